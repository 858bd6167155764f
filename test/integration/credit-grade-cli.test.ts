/** `keel credit grade`, `grades` and `book` through the real `keel` child process. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBackends, freshKeel, type TestKeel } from './backends.ts';
import { runKeel } from './cli.ts';
import { seedDeals } from './fixtures.ts';

describeOnBackends('keel credit grade / grades / book', (backend) => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await freshKeel(backend);
    await seedDeals(keel, { prefix: 'cli-grade', count: 1 });
    await keel.closeConnection();
  });
  afterAll(async () => {
    keel = await keel.reopen();
    await keel.close();
  });

  it('grades an obligor with a reason, once per key, and shows the history and the book', async () => {
    const args = [
      'credit',
      'grade',
      'cli-grade-0-co',
      '--grade',
      '6',
      '--reason',
      'B-equivalent on first review',
      '--key',
      'k1',
    ];
    const first = await runKeel(args, keel.env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/cli-grade-0-co: grade 6 \(B, PD 2\.93%\)/);
    const again = await runKeel(args, keel.env);
    expect(again.stdout).toMatch(/replayed; nothing changed/);
    const history = await runKeel(['credit', 'grades', 'cli-grade-0-co', '--json'], keel.env);
    expect(history.code, history.stderr).toBe(0);
    const parsed = JSON.parse(history.stdout);
    expect(parsed.history).toHaveLength(1);
    expect(parsed.history[0]).toMatchObject({ grade: 6, reason: 'B-equivalent on first review' });
    const book = await runKeel(['credit', 'book'], keel.env);
    expect(book.code, book.stderr).toBe(0);
    expect(book.stdout).toMatch(/EAD \$0\.00, EL \$0\.00/);
  });

  it('refuses a grade off the scale, a short reason and an unknown company, with a message', async () => {
    const off = await runKeel(
      ['credit', 'grade', 'cli-grade-0-co', '--grade', '12', '--reason', 'far too low to be real'],
      keel.env,
    );
    expect(off.code).not.toBe(0);
    expect(off.stderr).toMatch(/not on the scale/);
    const short = await runKeel(
      ['credit', 'grade', 'cli-grade-0-co', '--grade', '3', '--reason', 'ok'],
      keel.env,
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--reason: explain why/);
    const unknown = await runKeel(
      ['credit', 'grade', 'nobody', '--grade', '3', '--reason', 'a real enough reason'],
      keel.env,
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no company "nobody"/);
  });
});
