/**
 * A facility's covenants: every test up to today (pass, breach, not tested), and for credit.write the forms
 * to add a covenant and to enter the obligor's financials for a period.
 */
import { can } from '../../../domain/roles.ts';
import type { Me, ResponseOf } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { Empty, ErrorState, Loading, Refusal } from '../../components/States.tsx';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';
import { approvalText, covenantLabel } from './covenant-text.tsx';

type Covenant = ResponseOf<'GET /api/credit/facilities/:id/covenants'>['covenants'][number];
const STATUS = { pass: 'pass', breach: 'breach', not_tested: 'not tested' } as const;

function Actual({ covenant, actual }: { covenant: Covenant; actual: string | null }) {
  if (actual === null) return <>–</>;
  return covenant.kind === 'min_liquidity' ? <Amount cents={actual} /> : <>{actual}×</>;
}

/** One period's figures as the financials forms read them (dollars as typed; the server parses them). */
const financialsRow = (companyId: string, f: FormData) => ({
  companyId,
  periodEnd: String(f.get('periodEnd') ?? ''),
  ebitda: String(f.get('ebitda') ?? ''),
  netDebt: String(f.get('netDebt') ?? ''),
  cfads: String(f.get('cfads') ?? ''),
  debtService: String(f.get('debtService') ?? ''),
  liquidity: String(f.get('liquidity') ?? ''),
});

/** The period and its five figures, the same fields for entering and for correcting them. */
function FinancialsFields() {
  return (
    <>
      <label>
        Period ends on <input name="periodEnd" type="date" required />
      </label>
      <label>
        EBITDA <input name="ebitda" required inputMode="decimal" />
      </label>
      <label>
        Net debt <input name="netDebt" required inputMode="decimal" />
      </label>
      <label>
        Cash flow available for debt service <input name="cfads" required inputMode="decimal" />
      </label>
      <label>
        Debt service <input name="debtService" required inputMode="decimal" />
      </label>
      <label>
        Liquidity <input name="liquidity" required inputMode="decimal" />
      </label>
    </>
  );
}

export function CovenantsPanel({
  facilityId,
  companyId,
  companyName,
  user,
  onChange = () => {},
}: {
  facilityId: string;
  companyId: string;
  companyName: string;
  user: Me['user'];
  /** After a covenant or financials are recorded: a new breach may be put to the committee. */
  onChange?: () => void;
}) {
  const view = useApi('/api/credit/facilities/:id/covenants', { params: { id: facilityId } });
  const changed = () => {
    view.reload();
    onChange();
  };
  const addCovenant = useFormPost(changed);
  const financials = useFormPost(changed);
  const writer = can(user, 'credit.write');
  const corrector = can(user, 'credit.financials.correct');
  const correction = useFormPost(changed);
  return (
    <section className="panel" aria-labelledby="covenants">
      <h2 id="covenants">Covenants</h2>
      {view.error ? (
        <ErrorState error={view.error} />
      ) : !view.data ? (
        <Loading />
      ) : view.data.covenants.length === 0 ? (
        <Empty>No covenants on this facility.</Empty>
      ) : (
        <table data-testid="covenant-tests">
          <caption>Tests up to {view.data.asOf}</caption>
          <thead>
            <tr>
              <th>Covenant</th>
              <th>Test date</th>
              <th>Result</th>
              <th className="num">Actual</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {view.data.covenants.flatMap((c) =>
              c.tests.map((t) => (
                <tr key={`${c.id}-${t.testOn}`} data-status={t.status}>
                  <td>{covenantLabel(c.kind, c.threshold)}</td>
                  <td>{t.testOn}</td>
                  <td>
                    <strong>{STATUS[t.status]}</strong>
                    {t.action ? ` · ${t.action.action} (${approvalText(t.action)})` : ''}
                  </td>
                  <td className="num">
                    <Actual covenant={c} actual={t.actual} />
                  </td>
                  <td>{t.reason}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {writer && (
        <>
          <form
            className="filters entry"
            aria-label="Add a covenant"
            onSubmit={(e) =>
              addCovenant.submit(
                e,
                '/api/credit/facilities/:id/covenants',
                (f) => ({
                  kind: String(f.get('kind')),
                  threshold: String(f.get('threshold') ?? ''),
                  firstTestOn: String(f.get('firstTestOn') ?? ''),
                  everyMonths: Number(f.get('everyMonths')),
                }),
                'The covenant is added.',
                { id: facilityId },
              )
            }
          >
            <label>
              Covenant{' '}
              <select name="kind" required defaultValue="max_leverage">
                <option value="max_leverage">maximum leverage (net debt / EBITDA)</option>
                <option value="min_dscr">minimum DSCR (cash flow available / debt service)</option>
                <option value="min_liquidity">minimum liquidity (dollars)</option>
              </select>
            </label>
            <label>
              Threshold (ratio like 3.5, or dollars) <input name="threshold" required maxLength={30} />
            </label>
            <label>
              First test date <input name="firstTestOn" type="date" required />
            </label>
            <label>
              Every{' '}
              <select name="everyMonths" defaultValue="3">
                <option value="1">month</option>
                <option value="3">quarter</option>
                <option value="6">half year</option>
                <option value="12">year</option>
              </select>
            </label>
            <button type="submit">Add the covenant</button>
            {addCovenant.saved && (
              <p className="notice ok" role="status">
                {addCovenant.saved}
              </p>
            )}
            <Refusal error={addCovenant.error} />
          </form>
          <form
            className="filters entry"
            aria-label="Enter financials"
            onSubmit={(e) =>
              financials.submit(
                e,
                '/api/credit/financials',
                (f) => ({ rows: [financialsRow(companyId, f)] }),
                `Financials of ${companyName} are recorded.`,
              )
            }
          >
            <p className="muted">
              Financials of {companyName} for the period ending on a test date (dollars). Figures already
              entered are corrected by risk &amp; compliance, with the reason.
            </p>
            <FinancialsFields />
            <button type="submit">Record the financials</button>
            {financials.saved && (
              <p className="notice ok" role="status">
                {financials.saved}
              </p>
            )}
            <Refusal error={financials.error} />
          </form>
        </>
      )}
      {corrector && (
        <form
          className="filters entry"
          aria-label="Correct financials"
          onSubmit={(e) =>
            correction.submit(
              e,
              '/api/credit/financials/corrections',
              (f) => ({
                ...financialsRow(companyId, f),
                replacesVersion: Number(f.get('replacesVersion')),
                reason: String(f.get('reason') ?? ''),
              }),
              `Financials of ${companyName} are corrected; the earlier figures are kept.`,
            )
          }
        >
          <p className="muted">
            Correct figures of {companyName} already entered (risk &amp; compliance; not the person who
            entered them). The earlier version is kept as evidence; an action the committee took on a breach
            stays.
          </p>
          <FinancialsFields />
          <label>
            Replaces version <input name="replacesVersion" type="number" min={1} defaultValue={1} required />
          </label>
          <label>
            Why <input name="reason" required minLength={10} maxLength={2000} />
          </label>
          <button type="submit">Correct the financials</button>
          {correction.saved && (
            <p className="notice ok" role="status">
              {correction.saved}
            </p>
          )}
          <Refusal error={correction.error} />
        </form>
      )}
    </section>
  );
}
