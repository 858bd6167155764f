import { useState } from 'react';
import { monthField, quarterField } from '../../domain/fields.ts';
import { api, type ResponseOf } from '../api.ts';
import { BackgroundJob } from './BackgroundJob.tsx';
import { ErrorState } from './States.tsx';

const REPORTS = {
  quarterly: {
    title: 'Quarterly progress report',
    param: 'quarter',
    field: quarterField,
    example: '2026Q4',
    current: (now: Date) => `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`,
  },
  monthly: {
    title: 'Monthly pipeline report',
    param: 'month',
    field: monthField,
    example: '2026-11',
    current: (now: Date) => now.toISOString().slice(0, 7),
  },
} as const;

/**
 * A report built on the server from the ledger: HTML to read, PDF to send. The period is checked by the
 * same field parser the server uses; a period not over yet is reported "to date". The PDF can also be prepared
 * as a background job, which goes on if the page is closed and is downloaded from here or the Jobs screen.
 */
export function ReportLinks({ report }: { report: keyof typeof REPORTS }) {
  const spec = REPORTS[report];
  const [period, setPeriod] = useState(() => spec.current(new Date()));
  const parsed = spec.field.safeParse(period);
  const [job, setJob] = useState<ResponseOf<'GET /api/jobs/:id'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const prepare = async () => {
    setError(null);
    setJob(null);
    try {
      setJob(
        report === 'quarterly'
          ? await api.post('/api/reports/quarterly/jobs', { body: { quarter: period, format: 'pdf' } })
          : await api.post('/api/reports/monthly/jobs', { body: { month: period, format: 'pdf' } }),
      );
    } catch (e) {
      setError(e);
    }
  };
  const href = (format: string) =>
    `/api/reports/${report}?${spec.param}=${encodeURIComponent(period)}&format=${format}`;
  return (
    <section className="panel filters" aria-label={spec.title}>
      <label>
        {spec.title} <input value={period} onChange={(e) => setPeriod(e.target.value)} size={7} />
      </label>
      {parsed.success ? (
        <>
          <a href={href('html')} target="_blank" rel="noreferrer">
            HTML
          </a>
          <a href={href('pdf')}>PDF</a>
          <button type="button" onClick={() => void prepare()}>
            Prepare PDF in the background
          </button>
          {job ? <BackgroundJob key={job.id} job={job} /> : null}
          {error ? <ErrorState error={error} /> : null}
        </>
      ) : (
        <span className="muted">
          {parsed.error.issues[0]?.message ?? `a ${spec.param} such as ${spec.example}`}
        </span>
      )}
    </section>
  );
}
