import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { bookQuerySchema, creditBook, listCreditFacilities } from '../../app/credit/book.ts';
import {
  addCovenant,
  asOfQuerySchema,
  correctFinancials,
  covenantInputSchema,
  facilityCovenants,
  financialsCorrectionSchema,
  financialsInputSchema,
  recordFinancials,
  recordWatchlistAction,
  watchlist,
  watchlistActionInputSchema,
} from '../../app/credit/covenants.ts';
import {
  castCreditVote,
  decideCreditQuestion,
  declareCreditConflict,
  listCreditQuestions,
  putCreditQuestion,
  questionsQuerySchema,
} from '../../app/credit/credit-questions.ts';
import {
  amendFacilityTerms,
  amendmentInputSchema,
  facilityInputSchema,
  facilityQuerySchema,
  facilityView,
  openFacility,
} from '../../app/credit/facilities.ts';
import { rateFixingSummary } from '../../app/credit/fixings.ts';
import { assignGrade, gradeHistory, gradeInputSchema } from '../../app/credit/grades.ts';
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { portfolioRisk, portfolioRiskInputSchema } from '../../app/credit/portfolio-risk.ts';
import { creditStress, stressInputSchema, stressScenarios } from '../../app/credit/stress.ts';
import { portfolioRiskJob } from '../../app/jobs/compute-kinds.ts';
import { startJob } from '../../app/jobs/use-cases.ts';
import { conflictInputSchema, voteInputSchema } from '../../domain/committee.ts';
import { questionDecisionInputSchema, questionInputSchema } from '../../domain/credit/questions.ts';
import { rowId, slug } from '../../domain/fields.ts';
import { answerJobAsEventStream } from '../job-stream.ts';
import {
  addCovenantResponse,
  amendFacilityTermsResponse,
  assignGradeResponse,
  correctFinancialsResponse,
  creditBookResponse,
  creditConflictResponse,
  creditQuestionsResponse,
  creditStressResponse,
  creditVoteResponse,
  decideCreditQuestionResponse,
  facilityCovenantsResponse,
  getFacilityResponse,
  gradeHistoryResponse,
  irbFiguresResponse,
  listFacilitiesResponse,
  openFacilityResponse,
  portfolioRiskResponse,
  putCreditQuestionResponse,
  rateFixingsResponse,
  recordFinancialsResponse,
  stressScenariosResponse,
  watchlistActionResponse,
  watchlistResponse,
} from '../responses/credit.ts';
import { route } from '../route.ts';

const tags = ['credit'];

export function creditRoutes(ctx: AppContext) {
  return {
    irbFigures: route({
      method: 'GET',
      url: '/api/credit/irb',
      access: 'credit.read',
      summary:
        'Basel II corporate IRB figures for one exposure (BCBS 2006 ¶272–273): correlation, maturity adjustment, K, risk weight',
      tags,
      query: irbQuerySchema,
      response: irbFiguresResponse,
      handler: async ({ principal, query }) => irbFigures(principal, query),
    }),
    // A computation that writes nothing: POST for its body, read access, no idempotency key (like the
    // optimiser). Heavy: it holds one of the user's job slots and stops when the client leaves.
    portfolioRisk: route({
      method: 'POST',
      url: '/api/credit/portfolio-risk',
      access: 'credit.read',
      summary:
        'Monte Carlo loss distribution of the lending book (multi-factor Gaussian copula, seeded): EL, VaR and ES',
      tags,
      body: portfolioRiskInputSchema,
      heavy: true,
      response: portfolioRiskResponse,
      handler: async ({ principal, body, signal }) => portfolioRisk(ctx, principal, body, { signal }),
    }),
    streamPortfolioRisk: route({
      method: 'POST',
      url: '/api/credit/portfolio-risk/stream',
      access: 'credit.read',
      summary:
        'The same simulation as a durable job, answered as server-sent events: `job` {id, kind}, `progress` {done, total} scenarios, then `result`; closing the response cancels the job',
      tags,
      body: portfolioRiskInputSchema,
      produces: ['text/event-stream'],
      handler: ({ principal, body, reply }) =>
        answerJobAsEventStream(reply, ctx, principal, () => startJob(ctx, principal, portfolioRiskJob, body)),
    }),
    stressScenarios: route({
      method: 'GET',
      url: '/api/credit/stress/scenarios',
      access: 'credit.read',
      summary: 'The shipped research scenarios a stress can run, and the shortfall-to-notches mapping',
      tags,
      response: stressScenariosResponse,
      handler: async ({ principal }) => stressScenarios(ctx, principal),
    }),
    // Like portfolio-risk: a computation that writes nothing, POST for its body, heavy when it simulates.
    creditStress: route({
      method: 'POST',
      url: '/api/credit/stress',
      access: 'credit.read',
      summary:
        "Stress from a shipped research scenario: borrowers' shortfall → notches → stressed grades; base vs stressed EL in cents, and VaR/ES when `simulate` is given",
      tags,
      body: stressInputSchema,
      heavy: true,
      response: creditStressResponse,
      handler: async ({ principal, body, signal }) => creditStress(ctx, principal, body, { signal }),
    }),
    openFacility: route({
      method: 'POST',
      url: '/api/credit/facilities',
      access: 'credit.write',
      write: true,
      summary: 'Open a lending facility on a loan deal with its terms (version 1)',
      tags,
      body: facilityInputSchema,
      response: openFacilityResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        openFacility(ctx, principal, idempotencyKey, body),
    }),
    amendFacilityTerms: route({
      method: 'POST',
      url: '/api/credit/facilities/:id/terms',
      access: 'credit.write',
      write: true,
      summary:
        'Apply an approved credit question (a terms amendment of this facility): a new version with exactly the terms the committee approved; each question once',
      tags,
      params: z.object({ id: slug }),
      body: amendmentInputSchema,
      response: amendFacilityTermsResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        amendFacilityTerms(ctx, principal, idempotencyKey, params.id, body),
    }),
    getFacility: route({
      method: 'GET',
      url: '/api/credit/facilities/:id',
      access: 'credit.read',
      summary:
        'A facility: latest terms, projected schedule in cents (?referenceRate=0.043 for floating), versions',
      tags,
      params: z.object({ id: slug }),
      query: facilityQuerySchema,
      response: getFacilityResponse,
      handler: async ({ principal, params, query }) => facilityView(ctx, principal, params.id, query),
    }),
    listFacilities: route({
      method: 'GET',
      url: '/api/credit/facilities',
      access: 'credit.read',
      summary: 'Every lending facility with its deal and obligor',
      tags,
      response: listFacilitiesResponse,
      handler: async ({ principal }) => listCreditFacilities(ctx, principal),
    }),
    rateFixings: route({
      method: 'GET',
      url: '/api/credit/fixings',
      access: 'credit.read',
      summary:
        'Reference-rate fixings stored, per reference: how many, over which days, the latest and its source (import them as the rate-fixings CSV kind)',
      tags,
      response: rateFixingsResponse,
      handler: async ({ principal }) => rateFixingSummary(ctx, principal),
    }),
    creditBook: route({
      method: 'GET',
      url: '/api/credit/book',
      access: 'credit.read',
      summary:
        'The credit book as of a date (?asOf=YYYY-MM-DD): per facility grade, PD, LGD, EAD, EL and arrears; totals per obligor, sub-area and programme; concentration (HHI, top 20)',
      tags,
      query: bookQuerySchema,
      response: creditBookResponse,
      handler: async ({ principal, query }) => creditBook(ctx, principal, query),
    }),
    assignGrade: route({
      method: 'POST',
      url: '/api/credit/obligors/:id/grades',
      access: 'credit.write',
      write: true,
      summary: 'Assign an obligor (a company) a grade of the scale, with the reason; the history is kept',
      tags,
      params: z.object({ id: slug }),
      body: gradeInputSchema,
      response: assignGradeResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        assignGrade(ctx, principal, idempotencyKey, params.id, body),
    }),
    gradeHistory: route({
      method: 'GET',
      url: '/api/credit/obligors/:id/grades',
      access: 'credit.read',
      summary:
        "An obligor's grade history (who, when, why), newest first, with the grade scale and its sources",
      tags,
      params: z.object({ id: slug }),
      response: gradeHistoryResponse,
      handler: async ({ principal, params }) => gradeHistory(ctx, principal, params.id),
    }),
    addCovenant: route({
      method: 'POST',
      url: '/api/credit/facilities/:id/covenants',
      access: 'credit.write',
      write: true,
      summary:
        'Add a covenant to a facility: max_leverage or min_dscr (threshold a ratio like "3.5") or min_liquidity (dollars), tested every 1/3/6/12 months from firstTestOn',
      tags,
      params: z.object({ id: slug }),
      body: covenantInputSchema,
      response: addCovenantResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        addCovenant(ctx, principal, idempotencyKey, params.id, body),
    }),
    facilityCovenants: route({
      method: 'GET',
      url: '/api/credit/facilities/:id/covenants',
      access: 'credit.read',
      summary:
        "A facility's covenants with every test up to ?asOf (pass, breach, not tested) and the committee's actions",
      tags,
      params: z.object({ id: slug }),
      query: asOfQuerySchema,
      response: facilityCovenantsResponse,
      handler: async ({ principal, params, query }) => facilityCovenants(ctx, principal, params.id, query),
    }),
    recordFinancials: route({
      method: 'POST',
      url: '/api/credit/financials',
      access: 'credit.write',
      write: true,
      summary:
        "Borrowers' financials per period (EBITDA, net debt, cash flow available for debt service, debt service, liquidity in dollars): all rows or none",
      tags,
      body: financialsInputSchema,
      response: recordFinancialsResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        recordFinancials(ctx, principal, idempotencyKey, body),
    }),
    correctFinancials: route({
      method: 'POST',
      url: '/api/credit/financials/corrections',
      access: 'credit.financials.correct',
      write: true,
      summary:
        "Correct a period's financials already recorded: a new version with the reason; the one before is kept, covenant tests read the latest",
      tags,
      body: financialsCorrectionSchema,
      response: correctFinancialsResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        correctFinancials(ctx, principal, idempotencyKey, body),
    }),
    watchlist: route({
      method: 'GET',
      url: '/api/credit/watchlist',
      access: 'credit.read',
      summary:
        'Obligors with covenant breaches not waived or amended as of ?asOf, with each breach and its action',
      tags,
      query: asOfQuerySchema,
      response: watchlistResponse,
      handler: async ({ principal, query }) => watchlist(ctx, principal, query),
    }),
    watchlistAction: route({
      method: 'POST',
      url: '/api/credit/watchlist/actions',
      access: 'credit.write',
      write: true,
      summary:
        "Record the committee's waiver, amendment or acceleration of one covenant breach: applies the approved credit question that asked for it, once",
      tags,
      body: watchlistActionInputSchema,
      response: watchlistActionResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        recordWatchlistAction(ctx, principal, idempotencyKey, body),
    }),
    putCreditQuestion: route({
      method: 'POST',
      url: '/api/credit/questions',
      access: 'credit.write',
      write: true,
      summary:
        'Put a question about a facility to the committee: new terms (terms_amendment), or a waiver, covenant_amendment or acceleration of one breach (covenantId, testOn)',
      tags,
      body: questionInputSchema,
      response: putCreditQuestionResponse,
      handler: async ({ principal, body, idempotencyKey }) =>
        putCreditQuestion(ctx, principal, idempotencyKey, body),
    }),
    listCreditQuestions: route({
      method: 'GET',
      url: '/api/credit/questions',
      access: 'committee.read',
      summary:
        'Credit questions (?facilityId, ?status=open) with their votes, conflicts and decision, and whether an approved one was applied',
      tags,
      query: questionsQuerySchema,
      response: creditQuestionsResponse,
      handler: async ({ principal, query }) => listCreditQuestions(ctx, principal, query),
    }),
    castCreditVote: route({
      method: 'POST',
      url: '/api/credit/questions/:id/votes',
      access: 'committee.vote',
      write: true,
      summary: "A committee member's own vote on an open credit question (one each)",
      tags,
      params: z.object({ id: rowId }),
      body: voteInputSchema,
      response: creditVoteResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        castCreditVote(ctx, principal, idempotencyKey, { questionId: params.id, vote: body.vote }),
    }),
    declareCreditConflict: route({
      method: 'POST',
      url: '/api/credit/questions/:id/conflicts',
      access: 'committee.vote',
      write: true,
      summary: "A committee member's own declared conflict of interest on an open credit question",
      tags,
      params: z.object({ id: rowId }),
      body: conflictInputSchema,
      response: creditConflictResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        declareCreditConflict(ctx, principal, idempotencyKey, { questionId: params.id, note: body.note }),
    }),
    decideCreditQuestion: route({
      method: 'POST',
      url: '/api/credit/questions/:id/decision',
      access: 'committee.decide',
      write: true,
      summary:
        "The chair records the committee's decision on a credit question on the votes cast (quorum and majority of the programme; not by who put it)",
      tags,
      params: z.object({ id: rowId }),
      body: questionDecisionInputSchema,
      response: decideCreditQuestionResponse,
      handler: async ({ principal, params, body, idempotencyKey }) =>
        decideCreditQuestion(ctx, principal, idempotencyKey, params.id, body),
    }),
  };
}
