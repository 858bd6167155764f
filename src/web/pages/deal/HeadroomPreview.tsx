import { capDelta, type EntryKind } from '../../../domain/ledger.ts';
import type { Cents } from '../../../domain/money.ts';
import type { ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty } from '../../components/States.tsx';
import { exactAmount, label } from '../../format.ts';

type CapRow = ResponseOf<'GET /api/deals/:id/headroom'>['caps'][number];

/**
 * Each cap the deal draws on, its headroom now and after the entry (the ledger's own `capDelta` says how an
 * entry moves it): the confirmation a person reads before a commitment is recorded.
 */
export function HeadroomPreview({
  caps,
  kind,
  amount,
  scopeName,
}: {
  caps: CapRow[];
  kind: EntryKind;
  amount: Cents;
  /** A cap's scope by name: the deal's company or sub-area. */
  scopeName: (scopeKey: string) => string;
}) {
  const delta = capDelta({ kind, amount });
  if (!caps.length) return <Empty>No programme cap applies to this deal&rsquo;s instrument.</Empty>;
  return (
    <>
      {delta === 0n && (
        <p className="muted">A {label(kind)} does not move cap usage: the headroom stays as it is.</p>
      )}
      <table data-testid="headroom">
        <thead>
          <tr>
            <th>Cap</th>
            <th>Scope</th>
            <th className="num">Limit</th>
            <th className="num">Headroom now</th>
            <th className="num">Headroom after</th>
          </tr>
        </thead>
        <tbody>
          {caps.map((c) => {
            const after = BigInt(c.limit) - BigInt(c.used) - delta;
            return (
              <tr key={`${c.capId}/${c.scopeKey}`} data-cap={c.capId} data-over={after < 0n}>
                <td>{c.label}</td>
                <td>{c.scopeKey === '*' ? 'programme-wide' : scopeName(c.scopeKey)}</td>
                <td className="num">
                  <Amount cents={c.limit} />
                </td>
                <td className="num" data-testid="headroom-before">
                  {exactAmount(c.headroom)}
                </td>
                <td className="num" data-testid="headroom-after">
                  {after < 0n ? `over by ${exactAmount(-after)}` : exactAmount(after)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
