/** IRB capital figures for one exposure: the query both the CLI and the API validate, and the use case. */
import { z } from 'zod';
import { type IrbResult, irbCorporate } from '../../domain/credit/irb.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor } from '../context.ts';

const DECIMAL = /^\d+(\.\d+)?$/;

/** A decimal given as text (command-line flag or query string), e.g. `0.0125`; no exponents, no units. */
const decimal = (what: string) =>
  z
    .string({ error: 'is required' })
    .trim()
    .max(32, 'is too long')
    .regex(DECIMAL, `must be a decimal number like ${what}`)
    .transform(Number);

export const irbQuerySchema = z.object({
  pd: decimal('0.01 (1%)').pipe(
    z
      .number()
      .gt(0, 'must be greater than 0')
      .lt(1, 'must be less than 1 (a defaulted exposure has no IRB PD)'),
  ),
  lgd: decimal('0.45 (45%)').pipe(z.number().max(1, 'must be from 0 to 1')),
  maturity: decimal('2.5 (years)').pipe(
    z.number().gt(0, 'must be greater than 0 years').max(100, 'must be at most 100 years'),
  ),
  sales: decimal('30 (€ millions)').optional(),
});
export type IrbQuery = z.infer<typeof irbQuerySchema>;

export interface IrbFigures extends IrbResult {
  pd: number;
  lgd: number;
  maturity: number;
  sales: number | null;
  source: string;
}

export function irbFigures(actor: Actor, query: IrbQuery): IrbFigures {
  authorize(actor, 'credit.read');
  const result = irbCorporate({
    pd: query.pd,
    lgd: query.lgd,
    maturity: query.maturity,
    salesEurMillions: query.sales,
  });
  return {
    pd: query.pd,
    lgd: query.lgd,
    maturity: query.maturity,
    sales: query.sales ?? null,
    ...result,
    source: 'Basel II corporate IRB risk-weight function, BCBS June 2006, paragraphs 272-273',
  };
}
