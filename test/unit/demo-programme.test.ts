/**
 * The demo's programme (issue 15, "ten years of ledger"): the reference programme moved whole years earlier so
 * that the demo's day falls in the last year of its horizon, with every date and plan year moved alike.
 */
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import { parseProgramme } from '../../src/domain/programme.ts';
import { demoProgrammeDocument } from '../../src/domain/synthetic.ts';

describe('demoProgrammeDocument', () => {
  const reference = readJson(REFERENCE_PROGRAMME);
  const original = parseProgramme(reference);

  it('moves the horizon, the plan years and the methodology date so that the day is in the last year', () => {
    for (const asOf of ['2026-11-29', '2026-01-02', '2030-10-12', '2030-10-13']) {
      const { document, years } = demoProgrammeDocument(reference, asOf);
      const moved = parseProgramme(document);
      expect(years, asOf).toBeGreaterThan(0);
      expect(moved.horizon.start <= asOf && asOf < moved.horizon.end, asOf).toBe(true);
      // The last year of the horizon: a year later the programme has ended.
      const endYear = Number(moved.horizon.end.slice(0, 4));
      expect(`${endYear - 1}${moved.horizon.end.slice(4)}` <= asOf, asOf).toBe(true);
      expect(moved.plan.map((r) => r.year)).toEqual(original.plan.map((r) => r.year - years));
      expect(moved.plan.map((r) => r.amount)).toEqual(original.plan.map((r) => r.amount));
      expect(moved.targets).toEqual(original.targets);
      expect(moved.methodology.effectiveFrom.slice(0, 4)).toBe(
        String(Number(original.methodology.effectiveFrom.slice(0, 4)) - years),
      );
      expect((document as { source: string }).source).toMatch(
        /^Synthetic demo: the reference programme moved \d+ years earlier/,
      );
    }
    expect(demoProgrammeDocument(reference, '2026-11-29').years).toBe(8);
  });

  it('leaves a programme alone when the day is already in its last year', () => {
    expect(demoProgrammeDocument(reference, '2035-01-01')).toEqual({ document: reference, years: 0 });
  });
});
