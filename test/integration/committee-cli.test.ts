/**
 * The committee agenda from the command line, through the real `keel` child process: `keel committee add`
 * puts deals on a meeting, `keel committee agenda` lists them with their item ids, `keel committee remove`
 * takes one off (kept with who took it off), and bad input is refused with exit code 2 and changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAgenda } from '../../src/app/committee.ts';
import { testAdmin } from '../principals.ts';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

describeOnBackends('the committee agenda from the CLI', (backend) => {
  let keel: TestKeel;
  let deals: string[];

  beforeAll(async () => {
    keel = await freshKeel(backend);
    deals = await seedDeals(keel, { prefix: 'cli-agenda', count: 2, stage: 'diligence' });
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('adds deals to a meeting, lists them with item ids, and takes one off; a replayed key changes nothing', async () => {
    const add = await runKeel(
      ['committee', 'add', ...deals, '--date', '2027-03-04', '--key', 'cli-agenda-add'],
      keel.env,
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`on the agenda of 2027-03-04: ${deals.join(', ')}`);
    const again = await runKeel(
      ['committee', 'add', ...deals, '--date', '2027-03-04', '--key', 'cli-agenda-add'],
      keel.env,
    );
    expect(again.stdout).toContain('(replayed; nothing changed)');

    const agenda = await runKeel(['committee', 'agenda'], keel.env);
    expect(agenda.code, agenda.stderr).toBe(0);
    const line = agenda.stdout.split('\n').find((l) => l.includes(deals[0]!))!;
    const itemId = line.trim().split(/\s+/)[0]!;
    expect(itemId).toMatch(/^\d+$/);
    expect(agenda.stdout.split('\n').filter((l) => l.includes('2027-03-04'))).toHaveLength(2);

    const remove = await runKeel(['committee', 'remove', itemId, '--key', 'cli-agenda-remove'], keel.env);
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toContain(`taken off the agenda of 2027-03-04: ${deals[0]}`);
    const after = await runKeel(['committee', 'agenda'], keel.env);
    expect(after.stdout).not.toContain(deals[0]);
    expect(after.stdout).toContain(deals[1]);

    // The same item again (a new key): it is no longer on the agenda.
    const twice = await runKeel(['committee', 'remove', itemId], keel.env);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toMatch(new RegExp(`no agenda item ${itemId} on the agenda`));
  });

  it('refuses bad input with exit code 2, naming the argument, and changes nothing', async () => {
    const noDeal = await runKeel(['committee', 'add', '--date', '2027-03-05'], keel.env);
    expect(noDeal.code).toBe(2);
    expect(noDeal.stderr).toMatch(/DEAL: name at least one deal/);
    const badDate = await runKeel(['committee', 'add', deals[1]!, '--date', '2027-02-30'], keel.env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--date: /);
    const zero = await runKeel(['committee', 'remove', '0'], keel.env);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/ITEM: is not an id \(ids start at 1\)/);
    const huge = await runKeel(['committee', 'remove', '99999999999999999999'], keel.env);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/ITEM: is not an id \(too large to name a row\)/);
    const words = await runKeel(['committee', 'remove', 'first'], keel.env);
    expect(words.code).toBe(2);

    keel = await keel.reopen();
    const agenda = await listAgenda(keel, testAdmin);
    expect(agenda.filter((i) => i.meetingOn === '2027-03-05')).toEqual([]);
    await keel.closeConnection();
  });
});
