import { parseDollars } from '../../../domain/money.ts';
import type { ResponseOf } from '../../api.ts';
import { Empty } from '../../components/States.tsx';
import { exactAmount, formatMoment, label } from '../../format.ts';
import { useNames } from '../../names.ts';

type Amendment = ResponseOf<'GET /api/deals/:id'>['amendments'][number];

const FIELD_NAMES: Record<string, string> = {
  name: 'name',
  team: 'team',
  announcedOn: 'announced on',
  source: 'source',
  amount: 'amount',
  subAreaId: 'sub-area',
  instrument: 'instrument',
  classification: 'classification',
};

/** Every change made to the deal after it was opened: field, from, to, why, who and when. */
export function AmendmentHistory({
  amendments,
  person,
}: {
  amendments: Amendment[];
  /** A person's name by id. */
  person(id: string): string;
}) {
  const names = useNames();
  const shown = (field: string, value: string | null) => {
    if (value === null || value === '') return '–';
    if (field === 'amount') return exactAmount(parseDollars(value));
    if (field === 'subAreaId') return names.subArea(value);
    if (field === 'instrument') return label(value);
    return value;
  };
  return (
    <section className="panel">
      <h2>Amendments</h2>
      {!amendments.length ? (
        <Empty>No changes since the deal was opened.</Empty>
      ) : (
        <table data-testid="amendments">
          <thead>
            <tr>
              <th>Field</th>
              <th>From</th>
              <th>To</th>
              <th>Reason</th>
              <th>By</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {amendments.map((a) => (
              <tr key={a.id} data-field={a.field}>
                <td>{FIELD_NAMES[a.field] ?? a.field}</td>
                <td>{shown(a.field, a.fromValue)}</td>
                <td>{shown(a.field, a.toValue)}</td>
                <td>{a.reason ?? '–'}</td>
                <td>{person(a.amendedBy)}</td>
                <td>{formatMoment(a.amendedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
