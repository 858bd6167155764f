import { actorName, formatMoment, label } from '../format.ts';
import { useApi } from '../use-api.ts';
import { Empty, ErrorState, Loading } from './States.tsx';

/** A deal's or a company's activity from the audit log: who did what, and when, newest first. */
export function ActivityTimeline({ of, id }: { of: 'deal' | 'company'; id: string }) {
  const { data, error } = useApi(of === 'deal' ? '/api/deals/:id/activity' : '/api/companies/:id/activity', {
    params: { id },
  });
  return (
    <section className="panel" aria-label="Activity">
      <h2>Activity</h2>
      {error ? (
        <ErrorState error={error} />
      ) : !data ? (
        <Loading />
      ) : data.items.length === 0 ? (
        <Empty>No audited change yet{of === 'company' ? ' to this company or its deals' : ''}.</Empty>
      ) : (
        <ol className="timeline" data-testid="activity">
          {data.items.map((row) => (
            <li key={row.seq}>
              <time dateTime={row.at}>{formatMoment(row.at)}</time>{' '}
              <span title={row.actor}>{actorName(row.actor, data.people[row.actor])}</span>{' '}
              <span className="muted">({label(row.role)})</span>: {row.summary}
              {of === 'company' && row.subject.startsWith('deal:') ? (
                <>
                  {' '}
                  on{' '}
                  <a href={`#/deals/${row.subject.slice('deal:'.length)}`}>
                    {data.subjects[row.subject] ?? row.subject.slice('deal:'.length)}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
