import { useState } from 'react';
import { ROLES } from '../../../domain/roles.ts';
import { api, type ResponseOf } from '../../api.ts';
import { Options } from '../../components/Options.tsx';
import { ErrorState, Refusal } from '../../components/States.tsx';
import { countOf, formatMoment, label } from '../../format.ts';
import { useAction } from '../../use-action.ts';
import { useFormPost } from '../../use-form-post.ts';

export type UserRow = ResponseOf<'GET /api/users'>['items'][number];

const field = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

/**
 * Users for an admin: who has which role and who is disabled; adding a user; disabling one (their sessions
 * end and their tokens are revoked); asking for a role change, which another admin must approve.
 */
export function Users({
  me,
  users,
  error,
  manage,
  onChanged,
}: {
  me: string;
  users: UserRow[] | undefined;
  error: unknown;
  manage: boolean;
  onChanged(): void;
}) {
  const add = useFormPost(onChanged);
  const role = useFormPost(onChanged);
  const account = useAction(onChanged);
  // One outcome on screen at a time: "x is disabled" stayed up beside a later refusal of the Add user form
  // (found by the fresh-eyes attack).
  const forgetOutcomes = () => {
    add.clear();
    role.clear();
    account.clear();
  };
  const disableUser = (id: string) => {
    if (
      !window.confirm(
        `Disable ${id}? Their sessions end, their API tokens are revoked and their jobs cancelled. An admin may enable the account again later; its tokens stay revoked.`,
      )
    )
      return;
    forgetOutcomes();
    return account.run(
      () => api.post('/api/users/:id/disable', { params: { id } }),
      ({ result }) =>
        `${id} is disabled: ${countOf(result.sessionsEnded, ['session', 'sessions'])} ended, ${countOf(result.tokensRevoked, ['API token', 'API tokens'])} revoked, ${countOf(result.jobsCancelled, ['open job', 'open jobs'])} cancelled.`,
    );
  };
  const enableUser = (id: string) => {
    if (
      !window.confirm(
        `Enable ${id} again? They sign in in the role they had; their old API tokens stay revoked.`,
      )
    )
      return;
    forgetOutcomes();
    return account.run(
      () => api.post('/api/users/:id/enable', { params: { id } }),
      ({ result }) => `${id} is enabled again, as ${label(result.role)}; their old API tokens stay revoked.`,
    );
  };
  const reset = usePasswordReset(onChanged);
  return (
    <section className="panel">
      <h2>Users</h2>
      {error ? <ErrorState error={error} /> : null}
      <Refusal error={account.error ?? role.error ?? reset.error} />
      <ResetLink link={reset.link} />
      {(account.done || role.saved) && (
        <p className="notice ok" role="status">
          {account.done ?? role.saved}
        </p>
      )}
      <table data-testid="users" className="cards">
        <thead>
          <tr>
            <th>Id</th>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            {manage && <th>Request role change</th>}
            {manage && <th />}
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => (
            <tr key={u.id} data-user={u.id}>
              <td data-label="Id">{u.id}</td>
              <td data-label="Email">{u.email}</td>
              <td data-label="Name">{u.name}</td>
              <td data-label="Role" data-role-of={u.id}>
                {label(u.role)}
              </td>
              <td data-label="Status" data-status-of={u.id}>
                {u.disabled ? 'disabled' : 'active'}
              </td>
              {manage && (
                <td data-label="Request role change">
                  {!u.disabled && (
                    <form
                      className="inline"
                      onSubmit={(e) => {
                        forgetOutcomes();
                        return role.submit(
                          e,
                          '/api/users/:id/role',
                          (f) => ({ role: field(f, 'role'), reason: field(f, 'reason') }),
                          `Role change for ${u.id} requested; another admin must approve it.`,
                          { id: u.id },
                        );
                      }}
                    >
                      <select name="role" aria-label={`New role for ${u.id}`} defaultValue={u.role}>
                        <Options values={ROLES} />
                      </select>{' '}
                      <input
                        name="reason"
                        aria-label={`Reason for ${u.id}`}
                        placeholder="why (10 characters or more)"
                        required
                      />{' '}
                      <button type="submit">Request role change</button>
                    </form>
                  )}
                </td>
              )}
              {manage && (
                <td>
                  {!u.disabled && u.id !== me && (
                    <>
                      <button
                        type="button"
                        onClick={() => {
                          forgetOutcomes();
                          return reset.issue(u.id);
                        }}
                      >
                        Reset password
                      </button>{' '}
                      <button type="button" onClick={() => disableUser(u.id)}>
                        Disable
                      </button>
                    </>
                  )}
                  {u.disabled && (
                    <button type="button" onClick={() => enableUser(u.id)}>
                      Enable
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {manage && (
        <>
          <h3>Add user</h3>
          <Refusal error={add.error} />
          {add.saved && (
            <p className="notice ok" role="status">
              {add.saved}
            </p>
          )}
          <form
            className="filters"
            aria-label="Add user"
            onSubmit={(e) => {
              forgetOutcomes();
              return add.submit(
                e,
                '/api/users',
                (f) => ({
                  id: field(f, 'id'),
                  email: field(f, 'email'),
                  name: field(f, 'name'),
                  role: field(f, 'role'),
                  password: String(f.get('password') ?? ''),
                }),
                'User added.',
              );
            }}
          >
            <label>
              User id <input name="id" required placeholder="jdoe" />
            </label>
            <label>
              Email <input name="email" type="email" required />
            </label>
            <label>
              Name <input name="name" required />
            </label>
            <label>
              Role{' '}
              <select name="role" defaultValue="banker">
                <Options values={ROLES} />
              </select>
            </label>
            <label>
              Password <input name="password" type="password" required autoComplete="new-password" />
            </label>
            <button type="submit">Add user</button>
          </form>
        </>
      )}
    </section>
  );
}

interface IssuedLink {
  userId: string;
  /** The link to hand over, or null when Keel mailed it to the user (the admin never sees it then). */
  url: string | null;
  mailedTo: string | null;
  expiresAt: string;
  sessionsEnded: number;
  tokensRevoked: number;
}

/** Issuing a password-reset link: a shown link is kept in this page's memory only, to be shown once. */
function usePasswordReset(onChanged: () => void) {
  const [link, setLink] = useState<IssuedLink | null>(null);
  const action = useAction(onChanged);
  const issue = (id: string) => {
    if (!window.confirm(`Reset the password of ${id}? Their sessions end; a one-time link sets a new one.`))
      return;
    setLink(null);
    return action.run(async () => {
      const { result } = await api.post('/api/users/:id/password-reset', { params: { id } });
      setLink({
        userId: id,
        url: result.token
          ? `${window.location.origin}${window.location.pathname}#/setup/${result.token}`
          : null,
        mailedTo: result.mailedTo ?? null,
        expiresAt: result.expiresAt,
        sessionsEnded: result.sessionsEnded,
        tokensRevoked: result.tokensRevoked,
      });
    }, `A password-reset link for ${id} is issued.`);
  };
  return { issue, link, error: action.error };
}

/** The reset link, shown once (Keel keeps only its hash, so leaving the page loses it), or where it was mailed. */
function ResetLink({ link }: { link: IssuedLink | null }) {
  if (!link) return null;
  const until = formatMoment(link.expiresAt);
  const ended = [
    link.sessionsEnded ? `${countOf(link.sessionsEnded, ['session', 'sessions'])} of theirs ended.` : '',
    link.tokensRevoked
      ? `${countOf(link.tokensRevoked, ['API token', 'API tokens'])} of theirs revoked.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (!link.url)
    return (
      <div className="notice ok" role="status" data-testid="reset-link">
        <p>
          The link was mailed to {link.userId} at {link.mailedTo}; it works once, until {until}. It is not
          shown here. {ended}
        </p>
      </div>
    );
  return (
    <div className="notice ok" role="status" data-testid="reset-link">
      <p>
        Give this link to {link.userId} in person or over a channel you trust; it works once, until {until},
        and it is not shown again. (Keel mails it instead where KEEL_SMTP_URL and KEEL_PUBLIC_URL are set.){' '}
        {ended}
      </p>
      <label>
        Password-reset link for {link.userId}
        <input readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
      </label>
    </div>
  );
}
