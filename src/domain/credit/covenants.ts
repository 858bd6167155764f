/**
 * Financial covenants of a facility, tested exactly. A ratio covenant's threshold is held ×1000 (3.5× = 3500)
 * and the test cross-multiplies in bigint — net debt × 1000 ≤ threshold × EBITDA — so pass or breach never
 * depends on a float. The ratio shown beside the result is the same rational rounded half-up for reading.
 */
import { z } from 'zod';
import { iso, parseCalendarDate } from './day-count.ts';
import { addMonths } from './facility-schedule.ts';

export const COVENANT_KINDS = ['max_leverage', 'min_dscr', 'min_liquidity'] as const;
export type CovenantKind = (typeof COVENANT_KINDS)[number];
export const TEST_FREQUENCIES = [1, 3, 6, 12] as const;
/** What the committee may decide about a breach. */
export const WATCHLIST_ACTIONS = ['waiver', 'amendment', 'acceleration'] as const;

/** Ratios are held to three decimals; the largest a covenant may state is 1000× (absurd beyond that). */
export const RATIO_SCALE = 1000n;
export const MAX_RATIO_MILLI = 1_000_000n;

/** "3.5" → 3500n: a ratio of at most three decimals, above zero and at most 1000. */
export const ratioThreshold = z
  .string()
  .max(12)
  .regex(/^\d{1,4}(\.\d{1,3})?$/, 'must be a ratio like 3.5 (at most 3 decimals)')
  .transform((text, ctx) => {
    const [whole = '0', fraction = ''] = text.split('.');
    const milli = BigInt(whole) * RATIO_SCALE + BigInt(fraction.padEnd(3, '0'));
    if (milli <= 0n || milli > MAX_RATIO_MILLI) {
      ctx.addIssue({ code: 'custom', message: 'must be above 0 and at most 1000' });
      return z.NEVER;
    }
    return milli;
  });

export interface Covenant {
  id: bigint;
  kind: CovenantKind;
  /** ×1000 for the ratios, cents for minimum liquidity. */
  threshold: bigint;
  firstTestOn: string;
  everyMonths: number;
}

export interface Financials {
  periodEnd: string;
  ebitda: bigint;
  netDebt: bigint;
  /** Cash flow available for debt service. */
  cfads: bigint;
  debtService: bigint;
  liquidity: bigint;
}

export type TestStatus = 'pass' | 'breach' | 'not_tested';

export interface CovenantTest {
  testOn: string;
  status: TestStatus;
  /** The tested figure for reading: a ratio to 2 decimals, or cents for liquidity; null when not tested. */
  actual: string | null;
  reason: string;
}

/** The test dates of a covenant from its first date, every `everyMonths`, up to and including `until`. */
export function testDates(covenant: Pick<Covenant, 'firstTestOn' | 'everyMonths'>, until: string): string[] {
  const first = parseCalendarDate(covenant.firstTestOn);
  const dates: string[] = [];
  for (let k = 0; k < 1200; k++) {
    const date = iso(addMonths(first, k * covenant.everyMonths));
    if (date > until) break;
    dates.push(date);
  }
  return dates;
}

/** num/den rounded half-up (away from zero) to two decimals, as text; den > 0. */
export function ratioText(num: bigint, den: bigint): string {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  const hundredths = (abs * 200n + den) / (2n * den);
  const text = `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
  return negative && hundredths !== 0n ? `-${text}` : text;
}

/** A threshold held ×1000 as written: 3500n → "3.5", 1125n → "1.125" (exact, no rounding). */
export function milliText(milli: bigint): string {
  const fraction = String(milli % RATIO_SCALE)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return fraction ? `${milli / RATIO_SCALE}.${fraction}` : String(milli / RATIO_SCALE);
}

/** One covenant at one test date against the financials of the period ending then (undefined: none entered). */
export function testCovenant(
  covenant: Covenant,
  testOn: string,
  financials: Financials | undefined,
): CovenantTest {
  if (!financials) {
    return {
      testOn,
      status: 'not_tested',
      actual: null,
      reason: `no financials for the period ending ${testOn}`,
    };
  }
  const t = covenant.threshold;
  switch (covenant.kind) {
    case 'max_leverage': {
      const { netDebt, ebitda } = financials;
      if (ebitda <= 0n) {
        return {
          testOn,
          status: 'breach',
          actual: null,
          reason: 'EBITDA is zero or negative: leverage is not defined and the maximum cannot be met',
        };
      }
      const pass = netDebt * RATIO_SCALE <= t * ebitda;
      return {
        testOn,
        status: pass ? 'pass' : 'breach',
        actual: ratioText(netDebt, ebitda),
        reason: `net debt / EBITDA ${pass ? 'at most' : 'above'} ${milliText(t)}×`,
      };
    }
    case 'min_dscr': {
      const { cfads, debtService } = financials;
      if (debtService === 0n) {
        return { testOn, status: 'pass', actual: null, reason: 'no debt service due in the period' };
      }
      const pass = cfads * RATIO_SCALE >= t * debtService;
      return {
        testOn,
        status: pass ? 'pass' : 'breach',
        actual: ratioText(cfads, debtService),
        reason: `cash flow available / debt service ${pass ? 'at least' : 'below'} ${milliText(t)}×`,
      };
    }
    case 'min_liquidity': {
      const pass = financials.liquidity >= t;
      return {
        testOn,
        status: pass ? 'pass' : 'breach',
        actual: String(financials.liquidity),
        reason: pass ? 'liquidity at least the minimum' : 'liquidity below the minimum',
      };
    }
  }
}

/** Every test of a covenant up to `until`, each against the financials for the period ending on its date. */
export function covenantTests(
  covenant: Covenant,
  financials: ReadonlyMap<string, Financials>,
  until: string,
): CovenantTest[] {
  return testDates(covenant, until).map((date) => testCovenant(covenant, date, financials.get(date)));
}
