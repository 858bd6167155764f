import { Refusal } from '../../components/States.tsx';
import { useFormPost } from '../../use-form-post.ts';
import { RequesterNote } from '../governance/RequesterNote.tsx';

/** Puts this deal on a committee meeting's agenda, one deal at a time (committee.manage). */
export function CommitteeAgendaForm({ dealId, onAdded }: { dealId: string; onAdded(): void }) {
  const post = useFormPost(onAdded);
  return (
    <form
      className="filters entry"
      aria-label="Put on the committee agenda"
      onSubmit={(e) =>
        post.submit(
          e,
          '/api/committee/agenda',
          (f) => ({ dealIds: [dealId], meetingOn: String(f.get('meetingOn') ?? ''), source: 'manual' }),
          'The deal is on the committee agenda.',
        )
      }
    >
      <label>
        Committee meeting on <input name="meetingOn" type="date" required />
      </label>
      <button type="submit">Put on the committee agenda</button>
      <RequesterNote />
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved} <a href="#/governance">Open the agenda</a>
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}
