/**
 * The stress mapping: shortfall → notches by the stated thresholds (the shipped file and made-up ones),
 * grades moved down and capped at the worst grade short of default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGradeScale } from '../../src/domain/credit/grade-scale.ts';
import {
  notchesForShortfall,
  shortfallNotchesSchema,
  stressedGrade,
  worstPerformingGrade,
} from '../../src/domain/credit/stress.ts';

const shipped = shortfallNotchesSchema.parse(
  JSON.parse(readFileSync('data/credit/shortfall-notches.json', 'utf8')),
);
const scale = parseGradeScale(JSON.parse(readFileSync('data/credit/grade-scale.json', 'utf8')));

describe('credit stress mapping', () => {
  it('the shipped mapping: ≥10% → 1 notch, ≥25% → 2, ≥50% → 3, and says it is an assumption', () => {
    expect(shipped.assumption).toContain("programme's own assumption");
    const cases: Array<[number, number]> = [
      [0, 0],
      [0.0999, 0],
      [0.1, 1],
      [0.2499, 1],
      [0.25, 2],
      [0.3456, 2],
      [0.5, 3],
      [1, 3],
    ];
    for (const [shortfall, notches] of cases)
      expect(notchesForShortfall(shipped, shortfall), `${shortfall}`).toBe(notches);
    expect(() => notchesForShortfall(shipped, Number.NaN)).toThrow(/must be a number/);
  });

  it('refuses a mapping whose thresholds do not rise in both shortfall and notches', () => {
    const bad = {
      ...shipped,
      thresholds: [
        { minShortfall: 0.2, notches: 2 },
        { minShortfall: 0.3, notches: 1 },
      ],
    };
    expect(shortfallNotchesSchema.safeParse(bad).success).toBe(false);
    const unordered = {
      ...shipped,
      thresholds: [
        { minShortfall: 0.5, notches: 1 },
        { minShortfall: 0.1, notches: 2 },
      ],
    };
    expect(shortfallNotchesSchema.safeParse(unordered).success).toBe(false);
  });

  it('downgrades by the notches, capped at the worst grade short of default; default stays default', () => {
    expect(worstPerformingGrade(scale)).toBe(7); // grade 8 is D, PD 100%
    expect(stressedGrade(scale, 4, 2)).toBe(6);
    expect(stressedGrade(scale, 4, 0)).toBe(4);
    expect(stressedGrade(scale, 6, 3)).toBe(7);
    expect(stressedGrade(scale, 7, 1)).toBe(7);
    expect(stressedGrade(scale, 8, 1)).toBe(8);
  });
});
