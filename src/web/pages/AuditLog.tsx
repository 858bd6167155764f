import { type FormEvent, useEffect, useState } from 'react';
import type { QueryOf } from '../../api/contract.ts';
import { can, type Principal } from '../../domain/roles.ts';
import { Pager } from '../components/Pager.tsx';
import { SavedViews } from '../components/SavedViews.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { actorName, countOf, formatCount, formatMoment, label } from '../format.ts';
import { navigate, queryOf } from '../hash-route.ts';
import { useApi } from '../use-api.ts';
import { AuditDetails } from './audit/AuditDetails.tsx';
import { SignCheckpoint } from './audit/SignCheckpoint.tsx';
import { VerifyChain } from './audit/VerifyChain.tsx';

const PAGE = 50;
const FILTERS = ['actor', 'action', 'subject', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/**
 * The audit log for auditors: who did what to which subject and when, newest first. The filters live in
 * the URL (Back and shared links work); the export takes the same filters. Above it, the chain's check.
 */
export function AuditLog({ params, user }: { params: URLSearchParams; user: Principal }) {
  const view = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const offset = Number(params.get('offset')) || 0;
  // The URL's text goes to the server as it is: its query schema refuses what does not parse, with a reason.
  const query = { ...view, offset, limit: PAGE } as QueryOf<'GET /api/audit/log'>;
  const page = useApi('/api/audit/log', { query });
  const [draft, setDraft] = useState(view);
  // The boxes follow the URL: after Back (or a saved view) they show the filters the table shows.
  const viewKey = queryOf(view);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL's filters, as text, are the trigger.
  useEffect(() => setDraft(view), [viewKey]);
  const go = (filters: Filters, at = 0) =>
    navigate('/audit', { ...filters, offset: at ? String(at) : '' } as Record<string, string>);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    go(draft);
  };
  const exportHref = `/api/audit/log.csv?${queryOf(view)}`;

  return (
    <>
      <h1>Audit log</h1>
      {can(user, 'audit.verify') && <VerifyChain />}
      {can(user, 'audit.checkpoint') && <SignCheckpoint onSigned={page.reload} />}
      <SavedViews page="audit" query={queryOf(view)} />
      <form className="filters" aria-label="Filters" onSubmit={apply}>
        <label>
          Actor
          <input
            value={draft.actor}
            placeholder="a name, email or user id"
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </label>
        <label>
          Action
          <input
            value={draft.action}
            placeholder="e.g. committee. or ledger.record"
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </label>
        <label>
          Subject
          <input
            value={draft.subject}
            placeholder="e.g. deal: or user:"
            onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
          />
        </label>
        <label>
          From
          <input
            type="date"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit">Filter</button>
        <a href={exportHref} download>
          Export CSV
        </a>
      </form>
      {page.error ? (
        <ErrorState error={page.error} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.items.length === 0 ? (
        <Empty>No audit row matches these filters. Clear a filter, or widen the dates.</Empty>
      ) : (
        <section className="panel">
          {page.data.actors && view.actor && (
            <p className="muted" data-testid="audit-actors">
              Actor &ldquo;{view.actor}&rdquo; is{' '}
              {page.data.actors
                .filter((id) => id !== view.actor || page.data?.people[id])
                .map((id) => actorName(id, page.data?.people[id]))
                .join(', ') || view.actor}
              .
            </p>
          )}
          <p className="muted" data-testid="audit-count" aria-live="polite">
            {countOf(Number(page.data.total), ['row', 'rows'])}; {formatCount(offset + 1)}–
            {formatCount(offset + page.data.items.length)} shown, newest first
          </p>
          {/* Below 768 px each row is a card, each cell under its header's name (words broke mid-letter). */}
          <table data-testid="audit-log" className="cards">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Subject</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((row) => (
                <tr key={row.seq}>
                  <td className="num" data-label="#">
                    {row.seq}
                  </td>
                  <td data-label="When">{formatMoment(row.at, { seconds: true })}</td>
                  <td data-label="Actor">
                    <span title={row.actor}>{actorName(row.actor, page.data?.people[row.actor])}</span>{' '}
                    <span className="muted">({label(row.role)})</span>
                  </td>
                  <td data-label="Action">{row.action}</td>
                  <td data-label="Subject" title={row.subject}>
                    {page.data?.subjects[row.subject] ?? row.subject}
                  </td>
                  <td data-label="Details" className="details-cell">
                    <details>
                      <summary>show</summary>
                      <AuditDetails details={row.details} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            offset={offset}
            pageSize={PAGE}
            total={Number(page.data.total)}
            onPage={(at) => go(view, at)}
          />
        </section>
      )}
    </>
  );
}
