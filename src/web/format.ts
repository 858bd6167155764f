/**
 * The web app's side of the one formatting module (src/domain/format.ts): amounts arrive as cents in strings,
 * and a public-side figure may arrive as null (small-cell suppression).
 */
import { notShown } from '../domain/disclosure.ts';
import { compactAmount } from '../domain/format.ts';

export {
  actorName,
  byStage,
  compactAmount,
  compactDollars,
  countOf,
  dealTitle,
  exactAmount,
  formatCount,
  formatMoment,
  formatMultiple,
  formatPercent,
  formatShare,
  formatXirr,
  headquarters,
  label,
  moneyScale,
  moneyScaleForCents,
  stageLabel,
  stateName,
} from '../domain/format.ts';

/** For charts only: float dollars (loses cents above ~$90T, which no chart shows). */
export const chartDollars = (cents: string | bigint) => Number(BigInt(cents)) / 100;
/** For charts: a hidden figure is a gap, not a zero. */
export const chartDollarsOrGap = (cents: string | bigint | null) =>
  cents === null ? null : chartDollars(cents);
/**
 * A figure the public side may not see arrives as null: it reads as "fewer than k deals — not shown", never
 * as a number.
 */
export const compactOrHidden = (cents: string | bigint | null, minimumCellSize = 3) =>
  cents === null ? notShown(minimumCellSize) : compactAmount(cents);
export const countOrHidden = (count: number | null, minimumCellSize = 3) =>
  count === null ? notShown(minimumCellSize) : String(count);
/** Today's date as a form's date input takes it (UTC, as the server's dates are). */
export const todayIso = () => new Date().toISOString().slice(0, 10);

/**
 * A server's message as a sentence after a heading ("Refused. This entry: …."): capital first letter, a full
 * stop unless it ends in one already. The server's messages start in lower case to read inside a sentence.
 */
export const asSentence = (message: string) => {
  // A request check names the part of the request first ("querystring.from: …"), which is the API client's
  // business: the person reads the field ("From: …").
  const text = message.trim().replace(/^(querystring|body|params|headers)\./, '');
  if (!text) return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};
