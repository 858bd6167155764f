/** Opens a lending facility on a loan deal with its terms (version 1): credit.write. */

import { BUSINESS_DAY_RULES, HOLIDAY_CALENDARS } from '../../../domain/credit/business-days.ts';
import { DAY_COUNTS } from '../../../domain/credit/day-count.ts';
import { PAYMENT_FREQUENCIES, REFERENCE_RATES, SENIORITIES } from '../../../domain/credit/facility-terms.ts';
import { LENDING_INSTRUMENTS } from '../../../domain/instruments.ts';
import { AmountInput } from '../../components/AmountInput.tsx';
import { Refusal } from '../../components/States.tsx';
import { dealTitle, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();
const whole = (f: FormData, name: string) => Number(text(f, name) || '0');

function Choice({
  name,
  text: caption,
  values,
  initial,
}: {
  name: string;
  text: string;
  values: readonly string[];
  initial?: string;
}) {
  return (
    <label>
      {caption}{' '}
      <select name={name} defaultValue={initial ?? values[0]}>
        {values.map((v) => (
          <option key={v} value={v}>
            {label(v)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function OpenFacilityForm({ onOpened }: { onOpened(): void }) {
  const deals = useApi('/api/deals');
  const post = useFormPost(onOpened);
  const loans = (deals.data?.items ?? []).filter((d) => LENDING_INSTRUMENTS.has(d.instrument));
  return (
    <section className="panel" aria-labelledby="open-facility">
      <h2 id="open-facility">Open a facility on a loan deal</h2>
      <form
        className="filters entry"
        aria-label="Open a facility"
        onSubmit={(e) =>
          post.submit(
            e,
            '/api/credit/facilities',
            (f) => {
              const collateral = text(f, 'collateral');
              const collateralValue = text(f, 'collateralValue');
              return {
                id: text(f, 'id'),
                dealId: text(f, 'dealId'),
                terms: {
                  commitment: text(f, 'commitment'),
                  startsOn: text(f, 'startsOn'),
                  availabilityEndsOn: text(f, 'availabilityEndsOn'),
                  maturityOn: text(f, 'maturityOn'),
                  amortisation: { kind: text(f, 'amortisation') },
                  interest:
                    text(f, 'interestKind') === 'floating'
                      ? {
                          kind: 'floating',
                          reference: text(f, 'reference'),
                          marginBps: whole(f, 'marginBps'),
                        }
                      : { kind: 'fixed', rate: text(f, 'rate') },
                  dayCount: text(f, 'dayCount'),
                  paymentFrequency: text(f, 'paymentFrequency'),
                  businessDayRule: text(f, 'businessDayRule'),
                  holidayCalendar: text(f, 'holidayCalendar'),
                  fees: {
                    upfrontBps: whole(f, 'upfrontBps'),
                    commitmentFeeBps: whole(f, 'commitmentFeeBps'),
                  },
                  seniority: text(f, 'seniority'),
                  collateral: collateral
                    ? [{ description: collateral, ...(collateralValue ? { value: collateralValue } : {}) }]
                    : [],
                  guarantees: [],
                  source: text(f, 'source'),
                },
              } as never;
            },
            'The facility is open.',
          )
        }
      >
        <label>
          Facility id <input name="id" required pattern="[a-z0-9][a-z0-9-]*" placeholder="acme-term-loan-1" />
        </label>
        <label>
          Loan deal{' '}
          <select name="dealId" required>
            {loans.map((d) => (
              <option key={d.id} value={d.id}>
                {dealTitle(d)} ({d.company})
              </option>
            ))}
          </select>
        </label>
        <AmountInput label="Commitment (dollars)" name="commitment" />
        <label>
          Starts on <input name="startsOn" type="date" required />
        </label>
        <label>
          Available until <input name="availabilityEndsOn" type="date" required />
        </label>
        <label>
          Matures on <input name="maturityOn" type="date" required />
        </label>
        <Choice name="amortisation" text="Amortisation" values={['straight_line', 'annuity', 'bullet']} />
        <Choice name="interestKind" text="Interest" values={['fixed', 'floating']} />
        <label>
          Fixed rate (decimal) <input name="rate" placeholder="0.0525" defaultValue="0.06" />
        </label>
        <Choice name="reference" text="Reference rate (floating)" values={REFERENCE_RATES} />
        <label>
          Margin (bps, floating){' '}
          <input name="marginBps" type="number" min="0" max="5000" defaultValue="250" />
        </label>
        <Choice name="dayCount" text="Day count" values={DAY_COUNTS} />
        <Choice name="paymentFrequency" text="Payments" values={PAYMENT_FREQUENCIES} initial="quarterly" />
        <Choice name="businessDayRule" text="Business-day rule" values={BUSINESS_DAY_RULES} />
        <Choice name="holidayCalendar" text="Holidays" values={HOLIDAY_CALENDARS} />
        <label>
          Upfront fee (bps) <input name="upfrontBps" type="number" min="0" max="1000" defaultValue="0" />
        </label>
        <label>
          Commitment fee (bps){' '}
          <input name="commitmentFeeBps" type="number" min="0" max="1000" defaultValue="0" />
        </label>
        <Choice name="seniority" text="Seniority" values={SENIORITIES} />
        <label>
          Collateral (optional) <input name="collateral" placeholder="first lien on the smelter" />
        </label>
        <AmountInput label="Collateral value (dollars, optional)" name="collateralValue" optional />
        <label>
          Source <input name="source" required placeholder="signed facility agreement, 2026-11-30" />
        </label>
        <button type="submit">Open the facility</button>
        {post.saved && (
          <p className="notice ok" role="status">
            {post.saved}
          </p>
        )}
        <Refusal error={post.error} />
      </form>
    </section>
  );
}
