import { useState } from 'react';
import { notShown } from '../../../domain/disclosure.ts';
import { SourceLinks } from '../../components/SourceLinks.tsx';
import { ErrorState } from '../../components/States.tsx';
import { compactAmount, exactAmount, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { type PeerAward, safeHref } from './peer-types.ts';

function Sources({ award, onStatement }: { award: PeerAward; onStatement: (path: string) => void }) {
  return (
    <>
      <SourceLinks sources={award.sources} />
      {award.statement && (
        <button type="button" className="link" onClick={() => onStatement(award.statement!.path)}>
          statement: {award.statement.title}
        </button>
      )}
    </>
  );
}

/** A statement as published: markdown shown as plain text (React escapes it), one paragraph per block. */
function StatementView({ path, onClose }: { path: string; onClose: () => void }) {
  const statement = useApi('/api/public-record/statement', { query: { path } });
  if (statement.error) return <ErrorState error={statement.error} />;
  const s = statement.data;
  if (!s) return null;
  return (
    <article className="panel statement" data-testid="statement">
      <h3>{s.title}</h3>
      <p className="muted">
        {s.issuedOn} ·{' '}
        {safeHref(s.sourceUrl) ? (
          <a href={safeHref(s.sourceUrl)} target="_blank" rel="noreferrer noopener">
            {s.sourceUrl}
          </a>
        ) : (
          s.sourceUrl
        )}
        {s.awards.length ? ` · cited by ${s.awards.map((a) => a.recipient).join(', ')}` : ''}
      </p>
      {s.body
        .split(/\n\s*\n/)
        .map((p) => p.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
        .slice(0, 200)
        .map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one fixed text, in order.
          <p key={i}>{p}</p>
        ))}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </article>
  );
}

function StatementSearch({ onOpen }: { onOpen: (path: string) => void }) {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const hits = useApi('/api/public-record/statements', {
    query: { limit: 10, ...(asked ? { q: asked } : {}) },
  });
  return (
    <div data-testid="statement-search">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(q);
        }}
      >
        <label>
          Search the White House statements{' '}
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder="e.g. conditional commitment" />
        </label>
        <button type="submit">Search</button>
      </form>
      {hits.error ? <ErrorState error={hits.error} /> : null}
      <ul>
        {hits.data?.statements.map((h) => (
          <li key={h.path}>
            <button type="button" className="link" onClick={() => onOpen(h.path)}>
              {h.issuedOn} {h.title}
            </button>{' '}
            <span className="muted">{h.excerpt.replace(/\s+/g, ' ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The peer register built from the programmes' awards, with crowding beside the programme's own. */
export function PeerRegister({ k }: { k: number }) {
  const peers = useApi('/api/peers');
  const [open, setOpen] = useState<string | null>(null);
  const p = peers.data;
  return (
    <section className="panel" data-testid="peers">
      <h2>Peers and competing programmes (from their awards)</h2>
      {peers.error ? <ErrorState error={peers.error} /> : null}
      {p && (
        <>
          <table data-testid="peer-programmes">
            <thead>
              <tr>
                <th>Programme</th>
                <th className="num">Public dollars</th>
                <th className="num">Awards</th>
                <th>By stage</th>
              </tr>
            </thead>
            <tbody>
              {p.programmes.map((g) => (
                <tr key={g.id} data-programme={g.id}>
                  <td>
                    <strong>{g.name}</strong> ({g.sponsor})
                  </td>
                  <td className="num">{exactAmount(g.publicDollars)}</td>
                  <td className="num">
                    {g.counted}
                    {g.withoutAmount ? ` (${g.withoutAmount} without a figure)` : ''}
                  </td>
                  <td className="muted">
                    {g.byStage
                      .filter((s) => s.awards)
                      .map((s) => `${s.stage} ${compactAmount(s.amount)}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{p.note}</p>
          <h3>Crowding by sub-area</h3>
          <table data-testid="crowding">
            <thead>
              <tr>
                <th>Sub-area</th>
                <th>Peers</th>
                <th className="num">Public dollars committed</th>
                <th className="num">Programme counted</th>
                <th className="num">Our open pipeline</th>
              </tr>
            </thead>
            <tbody>
              {p.overlap.map((o) => (
                <tr key={o.subAreaId} data-sub-area={o.subAreaId}>
                  <td>{label(o.subAreaId)}</td>
                  <td>{o.peers.join(', ')}</td>
                  <td className="num">{exactAmount(o.publicDollars)}</td>
                  <td className="num">{o.ourCounted === null ? notShown(k) : exactAmount(o.ourCounted)}</td>
                  <td className="num">
                    {o.ourOpenPipeline === null
                      ? notShown(k)
                      : `$${(o.ourOpenPipeline / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })}M`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Awards ({p.awards.length})</h3>
          <table data-testid="peer-awards">
            <thead>
              <tr>
                <th>Programme</th>
                <th>Recipient</th>
                <th className="num">Amount</th>
                <th>Date</th>
                <th>State</th>
                <th>Status</th>
                <th>Sources</th>
              </tr>
            </thead>
            <tbody>
              {p.awards.map((a) => (
                <tr key={a.id} data-award={a.id} className={a.supersededBy ? 'muted' : undefined}>
                  <td>{a.programme}</td>
                  <td>
                    {a.recipient}
                    <div className="muted">
                      {a.technology} · {label(a.subAreaId)}
                    </div>
                  </td>
                  <td className="num">{a.amount === null ? 'not stated' : exactAmount(a.amount)}</td>
                  <td>{a.date || 'not stated'}</td>
                  <td>{a.state || '–'}</td>
                  <td>
                    {a.status}
                    {a.supersededBy ? ' (replaced by a later stage)' : ''}
                  </td>
                  <td>
                    <Sources award={a} onStatement={setOpen} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {open && <StatementView path={open} onClose={() => setOpen(null)} />}
      <StatementSearch onOpen={setOpen} />
    </section>
  );
}
