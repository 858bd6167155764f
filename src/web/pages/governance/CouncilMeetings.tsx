import type { FormEvent } from 'react';
import type { PathOf } from '../../../api/contract.ts';
import { notShown } from '../../../domain/disclosure.ts';
import { can, type Principal } from '../../../domain/roles.ts';
import { api, type BodyOf, type ResponseOf } from '../../api.ts';
import { AmountOrHidden } from '../../components/Amount.tsx';
import { Options } from '../../components/Options.tsx';
import { Empty, ErrorState } from '../../components/States.tsx';
import { compactAmount, countOrHidden, label } from '../../format.ts';
import { useApi } from '../../use-api.ts';
import { useFormPost } from '../../use-form-post.ts';

/** On the public side, a figure that fewer than k deals stand behind arrives as null. */
type PublicBottlenecks = Extract<ResponseOf<'GET /api/permits/bottlenecks'>, { disclosure: unknown }>;
/** The private side's answer has the same fields, none null, and no `disclosure`: both read as this. */
type Bottlenecks = Omit<PublicBottlenecks, 'disclosure'> & { disclosure?: PublicBottlenecks['disclosure'] };
type RecommendationStatus = BodyOf<'POST /api/council/recommendations/:id/status'>['status'];

/** What the external council sees: its meetings (agenda facts are aggregates), recommendations, permitting bottlenecks. */
export function CouncilMeetings({ user }: { user: Principal }) {
  const book = useApi(can(user, 'council.read') ? '/api/council' : null);
  const permits = useApi('/api/permits/bottlenecks') as { data?: Bottlenecks; error?: unknown };
  const manager = can(user, 'council.manage');
  const k = permits.data?.disclosure?.minimumCellSize ?? 3;
  const { submit: post, error, setError } = useFormPost(book.reload);
  const submit = <P extends PathOf<'POST'>>(
    event: FormEvent<HTMLFormElement>,
    path: P,
    body: Parameters<typeof post<P>>[2],
  ) => post(event, path, body, 'saved');
  return (
    <>
      <section className="panel" data-testid="council-meetings">
        <h2>Meetings and recommendations</h2>
        {book.error ? <ErrorState error={book.error} /> : null}
        {error ? <ErrorState error={error} /> : null}
        {!can(user, 'council.read') && (
          <p className="muted">Council meetings are for the council and the programme office.</p>
        )}
        {book.data && !book.data.meetings.length && (
          <Empty>No meetings yet. An admin adds the council's meetings and their recommendations.</Empty>
        )}
        {book.data?.meetings.map((m) => (
          <article key={m.id} data-meeting={m.id}>
            <h3>
              {m.title} <span className="muted">{m.heldOn}</span>
            </h3>
            <ol>
              {m.agenda.map((a) => (
                <li key={a.item}>
                  {a.item}
                  <ul className="muted">
                    {a.facts.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            <table>
              <thead>
                <tr>
                  <th>Recommendation</th>
                  <th>Owner</th>
                  <th>Due</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {m.recommendations.map((r) => (
                  <tr key={r.id} data-recommendation={r.id}>
                    <td>{r.text}</td>
                    <td>{r.owner}</td>
                    <td>{r.dueOn ?? '–'}</td>
                    <td>
                      {manager ? (
                        <select
                          aria-label={`Status of recommendation ${r.id}`}
                          value={r.status}
                          onChange={async (e) => {
                            await api
                              .post('/api/council/recommendations/:id/status', {
                                params: { id: r.id },
                                body: { status: e.target.value as RecommendationStatus },
                              })
                              .catch(setError);
                            book.reload();
                          }}
                        >
                          <Options values={['open', 'in_progress', 'done', 'declined']} />
                        </select>
                      ) : (
                        label(r.status)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {manager && (
              <form
                className="filters"
                onSubmit={(e) =>
                  submit(e, '/api/council/recommendations', (f) => ({
                    meetingId: m.id,
                    text: String(f.get('text')),
                    owner: String(f.get('owner')),
                  }))
                }
              >
                <label>
                  Recommendation <input name="text" required />
                </label>
                <label>
                  Owner <input name="owner" required />
                </label>
                <button type="submit">Add recommendation</button>
              </form>
            )}
          </article>
        ))}
        {manager && (
          <form
            className="filters"
            onSubmit={(e) =>
              submit(e, '/api/council/meetings', (f) => ({
                heldOn: String(f.get('heldOn')),
                title: String(f.get('title')),
                items: String(f.get('items'))
                  .split(';')
                  .map((s) => s.trim())
                  .filter(Boolean),
              }))
            }
          >
            <label>
              Meeting date <input name="heldOn" type="date" required />
            </label>
            <label>
              Title <input name="title" required />
            </label>
            <label>
              Agenda items (separated by ;) <input name="items" required />
            </label>
            <button type="submit">Set meeting</button>
          </form>
        )}
      </section>
      <section className="panel" data-testid="council-permitting">
        <h2>Permitting bottlenecks</h2>
        {permits.data ? (
          <>
            <p>
              {permits.data.projectsBlocked === null
                ? `Projects and capital held back by open permits: ${notShown(k)}.`
                : `${permits.data.projectsBlocked} project(s) and ${permits.data.capitalBlocked === null ? notShown(k) : compactAmount(permits.data.capitalBlocked)} held back by open permits.`}
            </p>
            <table>
              <thead>
                <tr>
                  <th>Permit</th>
                  <th>Agency</th>
                  <th className="num">Open</th>
                  <th className="num">Median days in review</th>
                  <th className="num">Capital held back</th>
                </tr>
              </thead>
              <tbody>
                {permits.data.rows.map((r) => (
                  <tr key={`${r.kind}-${r.agency}`}>
                    <td>{r.merged ? `other permits (each fewer than ${k} deals)` : label(r.kind)}</td>
                    <td>{r.merged ? '' : r.agency}</td>
                    <td className="num">{countOrHidden(r.open, k)}</td>
                    <td className="num">{countOrHidden(r.medianDaysInReview, k)}</td>
                    <td className="num">
                      <AmountOrHidden cents={r.capitalBlocked} k={k} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : permits.error ? (
          <ErrorState error={permits.error} />
        ) : null}
      </section>
    </>
  );
}
