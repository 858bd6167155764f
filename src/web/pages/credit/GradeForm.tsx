/** Assigns the obligor a grade of the scale, with the reason (credit.write); the history keeps every one. */
import type { ResponseOf } from '../../api.ts';
import { Refusal } from '../../components/States.tsx';
import { formatPercent } from '../../format.ts';
import { useFormPost } from '../../use-form-post.ts';

type Scale = ResponseOf<'GET /api/credit/book'>['scale'];

export function GradeForm({
  companyId,
  companyName,
  scale,
  onGraded,
}: {
  companyId: string;
  companyName: string;
  scale: Scale;
  onGraded(): void;
}) {
  const post = useFormPost(onGraded);
  return (
    <form
      className="filters entry"
      aria-label="Assign a grade"
      onSubmit={(e) =>
        post.submit(
          e,
          '/api/credit/obligors/:id/grades',
          (f) => ({ grade: Number(f.get('grade')), reason: String(f.get('reason') ?? '') }),
          `${companyName} is graded.`,
          { id: companyId },
        )
      }
    >
      <label>
        Grade{' '}
        <select name="grade" required defaultValue="">
          <option value="" disabled>
            choose a grade
          </option>
          {scale.grades.map((g) => (
            <option key={g.grade} value={g.grade}>
              {g.grade} · {g.category} (PD {g.pd === null ? 'not sourced' : formatPercent(g.pd)})
            </option>
          ))}
        </select>
      </label>
      <label>
        Why (at least 10 characters){' '}
        <textarea name="reason" required minLength={10} maxLength={2000} rows={2} />
      </label>
      <button type="submit">Assign the grade</button>
      {post.saved && (
        <p className="notice ok" role="status">
          {post.saved}
        </p>
      )}
      <Refusal error={post.error} />
    </form>
  );
}
