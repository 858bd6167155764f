import { MAX_CROSSING_DAYS } from '../../../domain/roles.ts';
import { Refusal } from '../../components/States.tsx';
import { useFormPost } from '../../use-form-post.ts';

const text = (f: FormData, name: string) => String(f.get(name) ?? '').trim();

/**
 * The private side asks to bring a research analyst over the wall for this deal, for a length it chooses;
 * risk & compliance (someone other than the requester) approves it on the Admin page.
 */
export function WallCrossingRequest({ dealId }: { dealId: string }) {
  const post = useFormPost();
  return (
    <form
      className="filters entry"
      aria-label="Request a wall-crossing"
      onSubmit={(e) =>
        post.submit(
          e,
          '/api/wall-crossings',
          (f) => ({
            userId: text(f, 'userId'),
            dealId,
            reason: text(f, 'reason'),
            days: Number(f.get('days')),
          }),
          'Wall-crossing requested; a risk & compliance officer other than you decides it.',
        )
      }
    >
      <label>
        Analyst's user id <input name="userId" required maxLength={64} placeholder="ana" />
      </label>
      <label>
        Reason <input name="reason" required minLength={10} maxLength={2000} placeholder="why they need it" />
      </label>
      <label>
        Days <input name="days" type="number" required min={1} max={MAX_CROSSING_DAYS} defaultValue={7} />
      </label>
      <button type="submit">Request the wall-crossing</button>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}
