/**
 * Lending facilities and their versioned terms. Opening a facility records terms version 1; each amendment
 * is a new version that applies the terms of an approved credit question on the facility, exactly as the
 * committee voted them, once (the database refuses an amendment without an approval and a question applied
 * twice, and terms are append-only there too).
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { fixingsOf } from '../../db/credit-fixings-repo.ts';
import { lockQuestion } from '../../db/credit-questions-repo.ts';
import {
  facilityOfDeal,
  facilityRow,
  facilityTermsVersions,
  insertFacility,
  insertFacilityTerms,
  latestTermsVersion,
  lockFacility,
  storedTerms,
} from '../../db/credit-repo.ts';
import { dealRow } from '../../db/deals-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { type FacilitySchedule, facilitySchedule } from '../../domain/credit/facility-schedule.ts';
import { type FacilityTerms, facilityTermsSchema } from '../../domain/credit/facility-terms.ts';
import { assertQuestionApplies } from '../../domain/credit/questions.ts';
import { parseRate } from '../../domain/credit/rate.ts';
import { KeelError } from '../../domain/errors.ts';
import { isoDate, recordId, slug } from '../../domain/fields.ts';
import { LENDING_INSTRUMENTS } from '../../domain/instruments.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { lockDeal } from '../deals.ts';
import { runWrite } from '../write.ts';
import { type BookFacility, bookRows } from './book.ts';
import { gradeHistory } from './grades.ts';

export const facilityInputSchema = z.object({ id: slug, dealId: slug, terms: facilityTermsSchema });
export type FacilityInput = z.infer<typeof facilityInputSchema>;

/** The terms are the question's: nothing is typed again between the committee's vote and the new version. */
export const amendmentInputSchema = z.strictObject({
  /** The credit question (a terms amendment of this facility) the committee approved. */
  questionId: recordId,
});
export type AmendmentInput = z.infer<typeof amendmentInputSchema>;

async function insertTerms(
  tx: Transaction<Schema>,
  actor: Actor,
  facilityId: string,
  version: number,
  terms: FacilityTerms,
  questionId: bigint | null,
) {
  await insertFacilityTerms(tx, {
    facility_id: facilityId,
    version,
    // Canonical JSON keeps the exact cents (bigints tagged) through jsonb.
    terms: canonicalJson(terms),
    commitment_cents: terms.commitment,
    starts_on: terms.startsOn,
    maturity_on: terms.maturityOn,
    day_count: terms.dayCount,
    committee_decision_id: null,
    credit_question_id: questionId,
    recorded_by: actor.id,
  });
}

export async function openFacility(ctx: AppContext, actor: Actor, key: string, input: FacilityInput) {
  authorize(actor, 'credit.write');
  return runWrite(
    ctx,
    { actor, action: 'credit.facility.open', key, request: input, subject: `facility:${input.id}` },
    async (tx) => {
      const deal = await dealRow(tx, input.dealId);
      if (!deal) throw new KeelError('not_found', `no deal "${input.dealId}"`);
      if (!LENDING_INSTRUMENTS.has(deal.instrument)) {
        throw new KeelError(
          'not_a_lending_deal',
          `deal ${deal.id} is ${deal.instrument}: facility terms are for ${[...LENDING_INSTRUMENTS].join(', ')}`,
        );
      }
      const taken = await facilityRow(tx, input.id);
      if (taken) throw new KeelError('duplicate_id', `facility "${input.id}" already exists`);
      // The ledger is per deal: a second facility would count its draws and receipts twice, and open new
      // terms past the committee. Later terms are an amendment put to the committee.
      await lockDeal(tx, deal.id);
      const existing = await facilityOfDeal(tx, deal.id);
      if (existing)
        throw new KeelError(
          'conflict',
          `deal ${deal.id} already has facility "${existing.id}": new terms are an amendment, put to the committee on that facility`,
        );
      await insertFacility(tx, { id: input.id, dealId: input.dealId, createdBy: actor.id });
      await insertTerms(tx, actor, input.id, 1, input.terms, null);
      return { result: { id: input.id, dealId: input.dealId, version: 1 } };
    },
  );
}

export async function amendFacilityTerms(
  ctx: AppContext,
  actor: Actor,
  key: string,
  facilityId: string,
  input: AmendmentInput,
) {
  authorize(actor, 'credit.write');
  return runWrite(
    ctx,
    {
      actor,
      action: 'credit.facility.amend',
      key,
      request: { facilityId, ...input },
      subject: `facility:${facilityId}`,
    },
    async (tx) => {
      const facility = await lockFacility(tx, facilityId);
      if (!facility) throw new KeelError('not_found', `no facility "${facilityId}"`);
      const question = await lockQuestion(tx, input.questionId);
      assertQuestionApplies(question, input.questionId, { facilityId, kind: 'terms_amendment' });
      const latest = await latestTermsVersion(tx, facilityId);
      if (question!.baseVersion !== latest)
        throw new KeelError(
          'stale_version',
          `credit question ${question!.id} proposed a change from terms version ${question!.baseVersion}, and version ${latest} is now in force: put the terms to the committee again`,
          { questionId: String(question!.id), baseVersion: question!.baseVersion, version: latest },
        );
      const version = latest + 1;
      await insertTerms(tx, actor, facilityId, version, storedTerms(question!.proposedTerms), question!.id);
      return { result: { id: facilityId, version, questionId: question!.id } };
    },
  );
}

export interface FacilityView {
  id: string;
  dealId: string;
  version: number;
  committeeDecisionId: bigint | null;
  questionId: bigint | null;
  terms: FacilityTerms;
  schedule: FacilitySchedule;
  versions: Array<{
    version: number;
    recordedAt: string;
    recordedBy: string;
    committeeDecisionId: bigint | null;
    questionId: bigint | null;
  }>;
  /** The facility in the book as of `asOf`: obligor, grade, EAD, EL, arrears. */
  book: BookFacility;
  grades: Awaited<ReturnType<typeof gradeHistory>>['history'];
}

export const facilityQuerySchema = z.object({
  /** The reference rate a floating facility is projected at, as a decimal (0.043 = 4.3%). */
  referenceRate: z
    .string()
    .max(20)
    .regex(/^\d+(\.\d{1,12})?$/, 'must be a decimal rate like 0.043')
    .optional(),
  /** The date arrears and exposure are read at (default today). */
  asOf: isoDate.optional(),
});

/** A facility's latest terms, its projected schedule and the history of its versions. */
export async function facilityView(
  ctx: AppContext,
  actor: Actor,
  id: string,
  query: z.infer<typeof facilityQuerySchema> = {},
): Promise<FacilityView> {
  authorize(actor, 'credit.read');
  const db = ctx.database.db;
  const facility = await facilityRow(db, id);
  if (!facility) throw new KeelError('not_found', `no facility "${id}"`);
  const rows = await facilityTermsVersions(db, id);
  const latest = rows.at(-1)!;
  const terms = storedTerms(latest.terms);
  const [book] = await bookRows(ctx, query.asOf ?? today(), id);
  const fixings =
    terms.interest.kind === 'floating'
      ? ((await fixingsOf(db, [terms.interest.reference])).get(terms.interest.reference) ?? [])
      : [];
  const grades = await gradeHistory(ctx, actor, book!.companyId);
  return {
    id,
    dealId: facility.deal_id,
    version: latest.version,
    committeeDecisionId: latest.committee_decision_id,
    questionId: latest.credit_question_id,
    terms,
    schedule: facilitySchedule(terms, {
      fixings,
      ...(query.referenceRate ? { referenceRate: parseRate(query.referenceRate) } : {}),
    }),
    versions: rows.map((r) => ({
      version: r.version,
      recordedAt: String(r.recorded_at),
      recordedBy: r.recorded_by,
      committeeDecisionId: r.committee_decision_id,
      questionId: r.credit_question_id,
    })),
    book: book!,
    grades: grades.history,
  };
}
