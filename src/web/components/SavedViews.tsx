import type { FormEvent } from 'react';
import type { SavedViewPage } from '../../domain/saved-views.ts';
import { api } from '../api.ts';
import { useAction } from '../use-action.ts';
import { useApi } from '../use-api.ts';
import { useFormPost } from '../use-form-post.ts';
import { Refusal } from './States.tsx';

/**
 * The signed-in user's saved views of a list page: each a link to the page with its filters (so Back and
 * shared links work as for any view), saving the current filters under a name, deleting one's own.
 */
export function SavedViews({ page, query }: { page: SavedViewPage; query: string }) {
  const views = useApi('/api/saved-views', { query: { page } });
  const post = useFormPost(views.reload);
  const remove = useAction(views.reload);
  const save = (event: FormEvent<HTMLFormElement>) =>
    post.submit(
      event,
      '/api/saved-views',
      (f) => ({ page, name: String(f.get('name') ?? ''), query }),
      'View saved.',
    );
  const current = views.data?.items.find((v) => v.query === query);
  return (
    <section className="saved-views" aria-label="Saved views">
      <span className="muted">My views:</span>
      {views.data?.items.length ? (
        <ul>
          {views.data.items.map((v) => (
            <li key={v.id}>
              <a
                href={`#/${page}${v.query ? `?${v.query}` : ''}`}
                aria-current={v === current ? 'true' : undefined}
              >
                {v.name}
              </a>
              <button
                type="button"
                className="link"
                aria-label={`Delete the view ${v.name}`}
                onClick={() =>
                  remove.run(
                    () => api.delete('/api/saved-views/:id', { params: { id: v.id } }),
                    `View ${v.name} deleted.`,
                  )
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <span className="muted">none yet — set the filters, then save them under a name.</span>
      )}
      <form onSubmit={save} aria-label="Save this view">
        <input
          name="name"
          aria-label="Name of this view"
          placeholder="Name this view"
          required
          maxLength={80}
        />
        <button type="submit">Save view</button>
      </form>
      {post.saved && <span role="status">{post.saved}</span>}
      <Refusal error={post.error ?? remove.error} />
    </section>
  );
}
