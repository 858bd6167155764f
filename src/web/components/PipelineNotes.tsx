import type { FormEvent } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { formatMoment } from '../format.ts';
import { useApi } from '../use-api.ts';
import { useFormPost } from '../use-form-post.ts';
import { Markdown } from './Markdown.tsx';
import { Empty, ErrorState, Refusal } from './States.tsx';

/** A deal's or a company's notes, newest first, and a note form for the deal team. */
export function PipelineNotes({
  subjectKind,
  subjectId,
  user,
}: {
  subjectKind: 'deal' | 'company';
  subjectId: string;
  user: Principal;
}) {
  const notes = useApi('/api/notes', { query: { subjectKind, subjectId } });
  const post = useFormPost(notes.reload);
  const submit = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/notes',
      (f) => ({ subjectKind, subjectId, bodyMarkdown: String(f.get('bodyMarkdown') ?? '') }),
      'Note added.',
    );
  return (
    <section className="panel" aria-label="Notes">
      <h2>Notes</h2>
      {can(user, 'deals.write') && (
        <form className="filters entry" aria-label="New note" onSubmit={submit}>
          <label className="wide">
            Note (markdown: **bold**, *emphasis*, lists, [links](https://…))
            <textarea name="bodyMarkdown" rows={3} required maxLength={20_000} />
          </label>
          <button type="submit">Add note</button>
          <Refusal error={post.error} />
        </form>
      )}
      {notes.error ? (
        <ErrorState error={notes.error} />
      ) : !notes.data?.items.length ? (
        <Empty>No notes yet.</Empty>
      ) : (
        <ol className="notes" data-testid="notes">
          {notes.data.items.map((n) => (
            <li key={n.id}>
              <Markdown text={n.bodyMd} />
              <p className="muted">
                {n.authorName ?? n.author}, {formatMoment(n.createdAt)}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
