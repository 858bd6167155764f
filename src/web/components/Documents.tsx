import { type FormEvent, useState } from 'react';
import { can, type Principal } from '../../domain/roles.ts';
import { api, urlFor } from '../api.ts';
import { formatMoment } from '../format.ts';
import { useApi } from '../use-api.ts';
import { Empty, ErrorState, Refusal } from './States.tsx';

type SubjectKind = 'deal' | 'company' | 'committee_meeting';

const PDF = 'application/pdf';
const sizeText = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The documents of a deal, a company or a committee meeting: every version, newest first, each downloadable
 * (the server audits every download) and a PDF previewed in the page. Uploading a title the subject already
 * has makes its next version.
 */
export function Documents({
  subjectKind,
  subjectId,
  user,
  heading = 'Documents',
}: {
  subjectKind: SubjectKind;
  subjectId: string;
  user: Principal;
  heading?: string;
}) {
  const docs = useApi('/api/documents', { query: { subjectKind, subjectId } });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    // The server reads the fields before the file, so the file goes last.
    const body = new FormData();
    body.set('subjectKind', subjectKind);
    body.set('subjectId', subjectId);
    body.set('title', String(data.get('title') ?? '').trim());
    const file = data.get('file');
    if (file instanceof File) body.set('file', file, file.name);
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const answer = await api.post('/api/documents', { form: body });
      form.reset();
      setSaved(`Uploaded as version ${answer.result.version}.`);
      docs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const contentUrl = (id: string) => urlFor('/api/documents/:id/content', { params: { id } });
  return (
    <section className="panel" aria-label={heading}>
      <h2>{heading}</h2>
      {can(user, 'documents.write') && (
        <form className="filters entry" aria-label="Upload a document" onSubmit={upload}>
          <label>
            Title
            <input name="title" required maxLength={200} placeholder="Term sheet" />
          </label>
          <label>
            File (PDF, text, CSV, XLSX or DOCX; at most 20 MB)
            <input name="file" type="file" required accept=".pdf,.txt,.csv,.xlsx,.docx" />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload'}
          </button>
          {saved && <output className="notice ok">{saved}</output>}
          <Refusal error={error} />
        </form>
      )}
      {docs.error ? (
        <ErrorState error={docs.error} />
      ) : !docs.data?.items.length ? (
        <Empty>No documents yet.</Empty>
      ) : (
        <table data-testid="documents">
          <thead>
            <tr>
              <th>Title</th>
              <th>Version</th>
              <th>File</th>
              <th>Size</th>
              <th>Uploaded</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {docs.data.items.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td className="num">{d.version}</td>
                <td>
                  <a href={contentUrl(d.id)} download={d.filename}>
                    {d.filename}
                  </a>
                </td>
                <td className="num">{sizeText(d.sizeBytes)}</td>
                <td>
                  {d.uploadedBy}, {formatMoment(d.uploadedAt)}
                </td>
                <td>
                  {d.mediaType === PDF && (
                    <button type="button" onClick={() => setPreview(preview === d.id ? null : d.id)}>
                      {preview === d.id ? 'Close preview' : 'Preview'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview && (
        <iframe
          className="document-preview"
          title="Document preview"
          src={contentUrl(preview)}
          data-testid="document-preview"
        />
      )}
    </section>
  );
}
