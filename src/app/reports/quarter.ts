import { z } from 'zod';

/** "2026Q4" → first and last day of the quarter. */
export const quarterSchema = z
  .string()
  .regex(/^\d{4}Q[1-4]$/, 'a quarter such as 2026Q4')
  .transform((q) => {
    const year = Number(q.slice(0, 4));
    const n = Number(q.slice(5));
    const pad = (m: number) => String(m).padStart(2, '0');
    const lastDay = new Date(Date.UTC(year, n * 3, 0)).getUTCDate();
    return { label: q, start: `${year}-${pad(n * 3 - 2)}-01`, end: `${year}-${pad(n * 3)}-${pad(lastDay)}` };
  });
export type Quarter = z.output<typeof quarterSchema>;

export const dayBefore = (iso: string) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
