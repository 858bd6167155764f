/**
 * The credit book: every facility with its obligor, grade, PD, LGD, EAD, EL and arrears as of a date; totals
 * per obligor, sub-area and programme; concentration. Balances come from the ledger entries of each
 * facility's deal, folded the way the ledger's own rules fold them (balancesFromSums).
 */
import { z } from 'zod';
import { fixingsOf } from '../../db/credit-fixings-repo.ts';
import { bookFacilities, creditFacilityList, currentGrades, storedTerms } from '../../db/credit-repo.ts';
import { dealKindSums, dealRepayments } from '../../db/ledger-repo.ts';
import { settleAll } from '../../db/sql-helpers.ts';
import { type Arrears, arrearsAsOf } from '../../domain/credit/arrears.ts';
import { type FacilityRisk, facilityRisk, riskTotals } from '../../domain/credit/book.ts';
import { concentration } from '../../domain/credit/concentration.ts';
import { facilitySchedule } from '../../domain/credit/facility-schedule.ts';
import type { FacilityTerms } from '../../domain/credit/facility-terms.ts';
import { isoDate } from '../../domain/fields.ts';
import { stateName } from '../../domain/format.ts';
import { balancesFromSums } from '../../domain/ledger.ts';
import { authorize } from '../../domain/roles.ts';
import { type Actor, type AppContext, today } from '../context.ts';
import { gradeScale, gradeScaleView } from './grade-scale.ts';

export const bookQuerySchema = z.object({ asOf: isoDate.optional() });

export interface BookFacility {
  id: string;
  dealId: string;
  dealName: string | null;
  companyId: string;
  companyName: string;
  subAreaId: string;
  subAreaName: string;
  state: string | null;
  seniority: FacilityTerms['seniority'];
  commitment: bigint;
  maturityOn: string;
  category: string | null;
  risk: FacilityRisk;
  arrears: Arrears;
}

/** The book's facilities with their figures as of a date (one facility when `facilityId` is given). */
export async function bookRows(ctx: AppContext, asOf: string, facilityId?: string): Promise<BookFacility[]> {
  const db = ctx.database.db;
  const scale = gradeScale();
  const rows = (await bookFacilities(db, facilityId)).map((row) => ({ row, terms: storedTerms(row.terms) }));
  const dealIds = [...new Set(rows.map(({ row }) => row.deal_id))];
  // Only the references the book's floating facilities are priced on: a fixed-rate book reads no fixings.
  const references = [
    ...new Set(
      rows.flatMap(({ terms }) => (terms.interest.kind === 'floating' ? [terms.interest.reference] : [])),
    ),
  ];
  const [sums, grades, repayments, fixings] = await settleAll([
    dealKindSums(db, dealIds),
    currentGrades(db),
    dealRepayments(db, dealIds),
    fixingsOf(db, references),
  ] as const);
  return rows.map(({ row, terms }) => {
    const grade = grades.get(row.company_id) ?? null;
    const risk = facilityRisk(scale, {
      instrument: row.instrument,
      balances: balancesFromSums(sums.get(row.deal_id) ?? {}, null),
      availabilityEndsOn: terms.availabilityEndsOn,
      asOf,
      seniority: terms.seniority,
      collateralValue: terms.collateral.reduce((sum, c) => sum + (c.value ?? 0n), 0n),
      grade,
    });
    const paid = (kind: 'repayment' | 'distribution') =>
      repayments
        .filter((r) => r.deal_id === row.deal_id && r.kind === kind)
        .map((r) => ({ effectiveOn: r.effective_on, amount: BigInt(r.amount_cents) }));
    const arrears = arrearsAsOf(
      // Nothing is owed on a facility never drawn: the schedule assumes the commitment drawn.
      (sums.get(row.deal_id)?.draw ?? 0n) === 0n
        ? []
        : facilitySchedule(terms, {
            fixings: terms.interest.kind === 'floating' ? fixings.get(terms.interest.reference) : [],
          }).periods,
      { repayments: paid('repayment'), interest: paid('distribution') },
      asOf,
    );
    return {
      id: row.id,
      dealId: row.deal_id,
      dealName: row.deal_name,
      companyId: row.company_id,
      companyName: row.company_name,
      subAreaId: row.sub_area_id,
      subAreaName: row.sub_area_name,
      state: row.hq_state_fips ? stateName(row.hq_state_fips) : null,
      seniority: terms.seniority,
      commitment: terms.commitment,
      maturityOn: terms.maturityOn,
      category: grade === null ? null : (scale.grades[grade - 1]?.category ?? null),
      risk,
      arrears,
    };
  });
}

export async function creditBook(ctx: AppContext, actor: Actor, query: z.infer<typeof bookQuerySchema>) {
  authorize(actor, 'credit.read');
  return bookAsOf(ctx, query.asOf ?? today());
}

/** The book's figures as of a date, for callers that have authorised already (the book route, the report). */
export async function bookAsOf(ctx: AppContext, asOf: string) {
  const facilities = await bookRows(ctx, asOf);
  const [programme] = riskTotals(
    facilities,
    () => 'programme',
    () => 'Programme',
  );
  const ungradedObligors = riskTotals(
    facilities.filter((f) => f.risk.grade === null),
    (f) => f.companyId,
    (f) => f.companyName,
  );
  return {
    asOf,
    facilities,
    totals: {
      programme: programme ?? {
        key: 'programme',
        name: 'Programme',
        facilities: 0,
        ead: 0n,
        el: 0n,
        ungradedEad: 0n,
      },
      byObligor: riskTotals(
        facilities,
        (f) => f.companyId,
        (f) => f.companyName,
      ),
      bySubArea: riskTotals(
        facilities,
        (f) => f.subAreaId,
        (f) => f.subAreaName,
      ),
    },
    ungradedObligors,
    concentration: concentration(
      facilities.map((f) => ({
        obligorId: f.companyId,
        obligorName: f.companyName,
        subAreaId: f.subAreaId,
        subAreaName: f.subAreaName,
        state: f.state,
        ead: f.risk.ead,
      })),
    ),
    scale: gradeScaleView(),
  };
}

/** Every facility with its deal and obligor (names, not ids, for the list). */
export async function listCreditFacilities(ctx: AppContext, actor: Actor) {
  authorize(actor, 'credit.read');
  const rows = await creditFacilityList(ctx.database.db);
  return rows.map((r) => ({
    id: r.id,
    dealId: r.deal_id,
    dealName: r.deal_name,
    companyId: r.company_id,
    companyName: r.company_name,
    createdAt: String(r.created_at),
  }));
}
