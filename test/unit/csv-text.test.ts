import { describe, expect, it } from 'vitest';
import { csvText } from '../../src/web/csv.ts';

// Found by the fresh-eyes attack: the web app's own CSV downloads wrote formula-leading text live, while the
// server's exports neutralised it.
describe("the web app's CSV downloads", () => {
  it('write formula-leading text as text, numbers as numbers', () => {
    expect(csvText(['name', 'share'], [['=HYPERLINK("http://x.test")', -0.25]])).toBe(
      'name,share\n"\'=HYPERLINK(""http://x.test"")",-0.25',
    );
    expect(csvText(['a'], [['@SUM(A1)'], ['+1'], ['plain, text'], [null]])).toBe(
      'a\n"\'@SUM(A1)"\n"\'+1"\n"plain, text"\n',
    );
  });
});
