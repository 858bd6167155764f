/** settleAll: queries side by side, and the first failure thrown only once every query has settled. */
import { describe, expect, it } from 'vitest';
import { settleAll } from '../../src/db/sql-helpers.ts';

describe('settleAll', () => {
  it('answers the values in order, like Promise.all', async () => {
    await expect(settleAll([Promise.resolve(1), Promise.resolve('two')])).resolves.toEqual([1, 'two']);
  });

  it('throws the first failure only after the slower sibling has finished', async () => {
    let siblingDone = false;
    const slow = new Promise<number>((resolve) =>
      setTimeout(() => {
        siblingDone = true;
        resolve(1);
      }, 30),
    );
    await expect(settleAll([Promise.reject(new Error('broken row')), slow])).rejects.toThrow('broken row');
    expect(siblingDone).toBe(true);
  });
});
