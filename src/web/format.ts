/** Amounts arrive as integer cents in strings; format them exactly with the domain's money code. */
import { notShown } from '../domain/disclosure.ts';
import { formatCompact, formatDollars } from '../domain/money.ts';

export const dollars = (cents: string | bigint) => formatDollars(BigInt(cents));
export const compact = (cents: string | bigint) => formatCompact(BigInt(cents));
/** For charts only: float dollars (loses cents above ~$90T, which no chart shows). */
export const chartDollars = (cents: string | bigint) => Number(BigInt(cents)) / 100;
export const share = (part: string, whole: string) => {
  const w = BigInt(whole);
  return w === 0n ? '–' : `${(Number((BigInt(part) * 10_000n) / w) / 100).toFixed(2)}%`;
};
/** Float dollars from analytics (the optimiser's amounts), shown like ledger amounts; ∞ for no limit. */
export const usd = (dollars: number) =>
  Number.isFinite(dollars) ? compact(BigInt(Math.round(dollars * 100))) : '∞';
export const label = (id: string) => id.replaceAll('_', ' ').replaceAll('-', ' ');
/**
 * A figure the public side may not see arrives as null (small-cell suppression): it reads as "fewer than k
 * deals — not shown", never as a number.
 */
export const dollarsOrHidden = (cents: string | bigint | null, minimumCellSize = 3) =>
  cents === null ? notShown(minimumCellSize) : dollars(cents);
export const countOrHidden = (count: number | null, minimumCellSize = 3) =>
  count === null ? notShown(minimumCellSize) : String(count);
/** For charts: a hidden figure is a gap, not a zero. */
export const chartDollarsOrGap = (cents: string | bigint | null) =>
  cents === null ? null : chartDollars(cents);
