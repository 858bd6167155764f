import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME } from '../../src/app/data-files.ts';
import { INSTRUMENTS } from '../../src/domain/instruments.ts';
import type { Cents } from '../../src/domain/money.ts';
import { parseProgramme } from '../../src/domain/programme.ts';
import { type CommitmentRow, summarise } from '../../src/domain/summary.ts';
import { seededRandom } from '../../src/domain/synthetic.ts';

describe('programme summary', () => {
  it('every breakdown adds up to the counted total, to the cent, even with fractional counting factors', () => {
    const file = JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8'));
    file.methodology.instruments.ma_advisory.countingBps = 3_333;
    file.methodology.instruments.revolving_credit.countingBps = 5_001;
    const programme = parseProgramme(file);
    const random = seededRandom(7);
    const rows: CommitmentRow[] = Array.from({ length: 500 }, () => ({
      instrument: INSTRUMENTS[Math.floor(random() * INSTRUMENTS.length)]!,
      classification: random() < 0.5 ? 'baseline' : 'incremental',
      subAreaId: `s${Math.floor(random() * 27)}`,
      areaId: `a${Math.floor(random() * 4)}`,
      year: 2026 + Math.floor(random() * 10),
      netCommitted: BigInt(Math.floor(random() * 1e12)) as Cents,
    }));
    const s = summarise(programme, { version: 1, methodologyVersion: 1 }, rows, [], []);
    const total = s.counted.total;
    const sum = (xs: Array<{ counted: bigint }>) => xs.reduce((a, x) => a + x.counted, 0n);
    expect(sum(s.byYear)).toBe(total);
    expect(sum(s.byArea)).toBe(total);
    expect(sum(s.bySubArea)).toBe(total);
    expect(sum(s.byInstrument)).toBe(total);
    expect(sum(s.bySubAreaYear)).toBe(total);
    expect(s.counted.own + s.counted.facilitated).toBe(total);
    expect(s.counted.baseline + s.counted.incremental).toBe(total);
    expect(total).toBeLessThan(s.committed); // some factors are below 100%
    expect(s.byYear.at(-1)!.cumulativePlan).toBe(programme.targets.total);
  });
});
