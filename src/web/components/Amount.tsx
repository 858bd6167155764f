import { notShown } from '../../domain/disclosure.ts';
import { compactAmount, exactAmount } from '../../domain/format.ts';

/** An amount in the compact form ($229.95B), the exact figure to the cent on hover and for screen readers' title. */
export function Amount({ cents }: { cents: string | bigint }) {
  const exact = exactAmount(cents);
  return (
    <span className="amount" title={exact} data-exact={exact}>
      {compactAmount(cents)}
    </span>
  );
}

/** A public-side figure: null means fewer than k deals add up to it, and it reads as such, never as a number. */
export function AmountOrHidden({ cents, k = 3 }: { cents: string | bigint | null; k?: number | undefined }) {
  return cents === null ? notShown(k) : <Amount cents={cents} />;
}
