/** What the public-record routes answer (routes/public-record.ts), and the record's parts other answers carry. */
import { z } from 'zod';
import { AWARD_STAGES } from '../../domain/public-record/peer-award.ts';
import { REPORT_STATUSES } from '../../domain/public-record/reported-deal.ts';
import { centsString } from './shared.ts';

/** A source as the public record splits it: a label and an address where the text has them. */
export const publicSourceSchema = z.object({
  label: z.string().nullable(),
  url: z.string().nullable(),
  text: z.string(),
});

/** The public record in a programme summary; `booked` is null on the public side (a ledger fact). */
export const publicRecordSummarySchema = z.object({
  reported: z.number(),
  ownReported: z.object({ deals: z.number(), own: centsString }),
  booked: z.object({ deals: z.number(), own: centsString }).nullable(),
  undisclosed: z.object({ deals: z.number(), reportedTotals: centsString, withoutFigure: z.number() }),
  leads: z.object({ deals: z.number(), reportedSizes: centsString }),
  precursors: z.object({ deals: z.number(), reportedTotals: centsString }),
});

export const peerAwardSchema = z.object({
  id: z.string(),
  programme: z.string(),
  programmeId: z.string(),
  recipient: z.string(),
  technology: z.string(),
  amount: centsString.nullable(),
  date: z.string(),
  dateStart: z.string().nullable(),
  dateEnd: z.string().nullable(),
  state: z.string(),
  stateFips: z.array(z.string()),
  outsideUs: z.array(z.string()),
  status: z.string(),
  stage: z.enum(AWARD_STAGES),
  subAreaId: z.string(),
  sources: z.array(publicSourceSchema),
  statement: z.object({ path: z.string(), title: z.string() }).nullable(),
  supersededBy: z.string().nullable(),
});

export const reportedDealsResponse = z.object({
  deals: z.array(
    z.object({
      id: z.string(),
      reportedOn: z.string(),
      company: z.string(),
      instrument: z.string(),
      reportedAmount: centsString.nullable(),
      ownAmount: centsString.nullable(),
      ownAmountDisclosed: z.boolean(),
      amountBasis: z.string().nullable(),
      roles: z.array(z.string()),
      subAreaText: z.string(),
      subAreaId: z.string(),
      status: z.enum(REPORT_STATUSES),
      stage: z.enum(['lead', 'precursor', 'reported']),
      precursor: z.boolean(),
      stateFips: z.string().nullable(),
      countyFips: z.string().nullable(),
      sources: z.array(publicSourceSchema),
      dealId: z.string().nullable(),
      origin: z.string(),
    }),
  ),
});

export const searchStatementsResponse = z.object({
  statements: z.array(
    z.object({
      path: z.string(),
      issuedOn: z.string(),
      title: z.string(),
      sourceUrl: z.string(),
      topics: z.array(z.string()),
      excerpt: z.string(),
    }),
  ),
});

export const statementResponse = z.object({
  path: z.string(),
  issuedOn: z.string(),
  title: z.string(),
  sourceUrl: z.string(),
  topics: z.array(z.string()),
  body: z.string(),
  awards: z.array(z.object({ id: z.string(), recipient: z.string(), programme: z.string() })),
});
