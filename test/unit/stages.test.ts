import { describe, expect, it } from 'vitest';
import { allowedMoves, assertMove, STAGES } from '../../src/domain/stages.ts';

describe('deal stages', () => {
  it('moves one step forward through the pipeline', () => {
    expect(() => assertMove('sourced', 'screening')).not.toThrow();
    expect(() => assertMove('committee', 'approved')).not.toThrow();
  });

  it('never skips the committee', () => {
    expect(() => assertMove('diligence', 'approved')).toThrow(/cannot move from diligence to approved/);
    for (const from of ['sourced', 'screening', 'diligence'] as const) {
      expect(allowedMoves(from)).not.toContain('approved');
      expect(allowedMoves(from)).not.toContain('closed');
    }
  });

  it('ends only from monitoring, and terminal stages go nowhere', () => {
    expect(allowedMoves('monitoring').sort()).toEqual(['exited', 'repaid', 'written_off']);
    expect(() => assertMove('exited', 'monitoring')).toThrow(/terminal stage/);
  });

  it('every stage can be reached from sourced', () => {
    const seen = new Set(['sourced']);
    const queue = ['sourced'];
    while (queue.length) {
      for (const next of allowedMoves(queue.shift() as never)) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    expect([...seen].sort()).toEqual([...STAGES].sort());
  });
});
