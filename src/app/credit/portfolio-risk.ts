/**
 * Portfolio credit risk: the loss distribution of the lending book under the multi-factor Gaussian copula
 * (domain/credit/factor-copula.ts), simulated in seeded chunks on the Monte Carlo worker pool, with EL, VaR
 * and ES at the confidence levels asked for. Writes nothing.
 *
 * The portfolio comes from one seam, `creditPortfolio`: the obligors are the borrowers of the lending deals
 * (LENDING_INSTRUMENTS) in a fundable stage, with the PD of their grade and the EAD and LGD the credit book
 * gives their facilities; the request's PD and LGD stand in where the book has none, and the answer counts
 * where they did. Each obligor's asset
 * correlation is the Basel II corporate IRB correlation for its PD (BCBS 2006 ¶272) unless the request sets
 * one: a sensible default for corporate borrowers, not a calibration of this book.
 */
import { z } from 'zod';
import { dealExposures } from '../../db/commitments-repo.ts';
import { currentGrades } from '../../db/credit-repo.ts';
import { groupObligors } from '../../domain/credit/factor-copula.ts';
import {
  FACTOR_LEVELS,
  type FactorLevel,
  factorCorrelationFileSchema,
  sectorFactors,
} from '../../domain/credit/factor-correlations.ts';
import { pdOfGrade } from '../../domain/credit/grade-scale.ts';
import { corporateCorrelation } from '../../domain/credit/irb.ts';
import { riskMeasures } from '../../domain/credit/portfolio-loss.ts';
import { KeelError } from '../../domain/errors.ts';
import { LENDING_INSTRUMENTS } from '../../domain/instruments.ts';
import { authorize } from '../../domain/roles.ts';
import { FUNDABLE_STAGES } from '../../domain/stages.ts';
import { type Actor, type AppContext, type Progress, today } from '../context.ts';
import { DATA_DIR, readJson } from '../data-files.ts';
import { runTaskChunks } from '../monte-carlo-pool.ts';
import { bookRows } from './book.ts';
import { gradeScale } from './grade-scale.ts';

export const FACTOR_CORRELATIONS_FILE = `${DATA_DIR}/credit/factor-correlations.json`;
/** Scenarios per chunk: fixed, so the losses do not depend on how many threads run the chunks. */
export const CHUNK_SCENARIOS = 5_000;
export const MAX_SCENARIOS = 1_000_000;
export const FALLBACK_RULE =
  "PD from the obligor's current grade, EAD and LGD from its facilities in the credit book; the request's PD stands in for an obligor without a graded PD, and the request's LGD with the net commitment as EAD for a lending deal without a facility";

export const QUANTILE_DEFINITION =
  'VaR_q is the ⌈q·S⌉-th smallest of the S simulated losses; ES_q the mean of the worst S·(1 − q) losses (Acerbi–Tasche 2002: the loss at rank ⌈q·S⌉ counted for the fraction ⌈q·S⌉ − q·S of a scenario)';
export const CORRELATION_RULE =
  "Basel II corporate IRB asset correlation by PD (BCBS June 2006, ¶272), a default for corporate borrowers, not this book's calibration";

export const portfolioRiskInputSchema = z
  .object({
    scenarios: z
      .number({ error: 'must be a whole number of scenarios' })
      .int('must be a whole number of scenarios')
      .min(1, 'must be at least 1')
      .max(MAX_SCENARIOS, `must be at most ${MAX_SCENARIOS.toLocaleString('en-US')}`)
      .default(10_000),
    seed: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must be from 0 to 4294967295')
      .max(0xffff_ffff, 'must be from 0 to 4294967295')
      .default(1),
    confidence: z
      .array(
        z
          .number({ error: 'must be numbers' })
          .gt(0, 'levels must be greater than 0')
          .lt(1, 'levels must be less than 1, e.g. 0.999 for 99.9%'),
      )
      .min(1, 'needs at least one level, e.g. [0.99, 0.999]')
      .max(6, 'at most 6 levels')
      .default([0.99, 0.999]),
    factorLevel: z.enum(FACTOR_LEVELS).default('sub_area'),
    /**
     * Fallbacks, needed only where the book lacks its own figure: the PD of an obligor without a graded PD,
     * the LGD of a lending deal without a facility (the answer counts how many stood in).
     */
    pd: z
      .number({ error: 'must be a probability of default for ungraded obligors, e.g. 0.01' })
      .gt(0, 'must be greater than 0')
      .lt(1, 'must be less than 1')
      .optional(),
    lgd: z
      .number({ error: 'must be a loss given default, e.g. 0.45' })
      .min(0, 'must be from 0 to 1')
      .max(1, 'must be from 0 to 1')
      .optional(),
    /** Overrides the IRB correlation for every obligor. */
    correlation: z.number().min(0, 'must be from 0 to below 1').lt(1, 'must be below 1').optional(),
  })
  .superRefine((input, ctx) => {
    // A level the scenarios cannot reach would report the worst scenario as its VaR: refused instead.
    const q = Math.max(...input.confidence);
    const needed = Math.ceil(1 / (1 - q) - 1e-9);
    if (input.scenarios < needed) {
      ctx.addIssue({
        code: 'custom',
        path: ['scenarios'],
        message: `must be at least ${needed} for confidence ${q} (so that the worst ${((1 - q) * 100).toPrecision(2)}% holds a scenario)`,
      });
    }
  });
export type PortfolioRiskInput = z.infer<typeof portfolioRiskInputSchema>;

/** One borrower of the credit portfolio. */
export interface Obligor {
  id: string;
  name: string;
  pd: number;
  /** The obligor's loss given default: its exposures' LGDs weighted by their EAD. */
  lgd: number;
  /** Exposure at default in cents. */
  ead: bigint;
  subAreaId: string;
  subAreaName: string;
  areaId: string;
  areaName: string;
  /** The grade its PD comes from; null when the request's PD stood in (no grade, or no sourced PD). */
  grade: number | null;
}

/** What stood in for the book's own figures, said in the answer. */
export interface PortfolioFallbacks {
  /** Obligors without a grade with a sourced PD: the request's PD stood in. */
  obligorsWithRequestPd: number;
  /** Lending deals without a facility in the credit book: their net commitment as EAD, the request's LGD. */
  dealsWithoutFacility: number;
}

/**
 * The seam: the obligors of the lending book. One obligor per borrowing company (its loans default
 * together), its sector the sub-area of its largest exposure (ties: the first sub-area id).
 * - PD: the obligor's current grade on the scale (grade-scale.ts); without one, the request's PD.
 * - A lending deal with a facility in the credit book counts with the book's own figures (bookRows: EAD =
 *   drawn + CCF × undrawn, LGD from seniority and collateral), not recomputed here; a deal without a
 *   facility counts its net commitment as EAD with the request's LGD.
 * `grades` overrides current grades (the stress case); `asOf` dates the book's EAD.
 */
export async function creditPortfolio(
  ctx: AppContext,
  actor: Actor,
  assumptions: { pd?: number | undefined; lgd?: number | undefined },
  options: { asOf?: string; grades?: ReadonlyMap<string, number> } = {},
): Promise<{ obligors: Obligor[]; fallbacks: PortfolioFallbacks }> {
  authorize(actor, 'credit.read');
  const rows = await dealExposures(ctx.database.db, [...LENDING_INSTRUMENTS], [...FUNDABLE_STAGES]);
  const book = new Map((await bookRows(ctx, options.asOf ?? today())).map((f) => [f.dealId, f]));
  const current = await currentGrades(ctx.database.db);
  const scale = gradeScale();
  const byCompany = new Map<
    string,
    { obligor: Obligor; bySubArea: Map<string, bigint>; lossPerUnit: number }
  >();
  let dealsWithoutFacility = 0;
  for (const row of rows) {
    const facility = book.get(row.deal_id);
    if (!facility) dealsWithoutFacility += 1;
    const ead = facility ? facility.risk.ead : BigInt(row.net);
    const lgd = facility
      ? facility.risk.lgd
      : (assumptions.lgd ?? needed('lgd', `${row.deal_id} (${row.company_name})`));
    let entry = byCompany.get(row.company_id);
    if (!entry) {
      const grade = options.grades?.get(row.company_id) ?? current.get(row.company_id) ?? null;
      const gradePd = grade === null ? null : pdOfGrade(scale, grade);
      entry = {
        obligor: {
          id: row.company_id,
          name: row.company_name,
          pd: gradePd ?? assumptions.pd ?? needed('pd', row.company_name),
          lgd: 0,
          ead: 0n,
          subAreaId: row.sub_area_id,
          subAreaName: row.sub_area_name,
          areaId: row.area_id,
          areaName: row.area_name,
          grade: gradePd === null ? null : grade,
        },
        bySubArea: new Map(),
        lossPerUnit: 0,
      };
      byCompany.set(row.company_id, entry);
    }
    entry.obligor.ead += ead;
    entry.lossPerUnit += Number(ead) * lgd;
    entry.bySubArea.set(row.sub_area_id, (entry.bySubArea.get(row.sub_area_id) ?? 0n) + ead);
    const largest = entry.bySubArea.get(entry.obligor.subAreaId)!;
    const now = entry.bySubArea.get(row.sub_area_id)!;
    if (now > largest || (now === largest && row.sub_area_id < entry.obligor.subAreaId)) {
      Object.assign(entry.obligor, {
        subAreaId: row.sub_area_id,
        subAreaName: row.sub_area_name,
        areaId: row.area_id,
        areaName: row.area_name,
      });
    }
  }
  const obligors = [...byCompany.values()]
    .map((e) => {
      // An obligor with nothing at risk weighs nothing whatever its LGD.
      e.obligor.lgd = e.obligor.ead > 0n ? e.lossPerUnit / Number(e.obligor.ead) : (assumptions.lgd ?? 0);
      return e.obligor;
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    obligors,
    fallbacks: {
      obligorsWithRequestPd: obligors.filter((o) => o.grade === null).length,
      dealsWithoutFacility,
    },
  };
}

/** A fallback the book needs and the request did not give: a 400 that says what to give, or what to grade. */
function needed(field: 'pd' | 'lgd', whose: string): never {
  throw new KeelError(
    'invalid_portfolio',
    field === 'pd'
      ? `pd is needed: ${whose} has no grade with a PD; grade it, or give pd for ungraded obligors (e.g. 0.01)`
      : `lgd is needed: the lending deal ${whose} has no facility in the credit book; open one, or give lgd (e.g. 0.45)`,
    { field },
  );
}

export interface PortfolioRiskControl {
  signal?: AbortSignal | undefined;
  onProgress?: Progress;
}

const dollars = (cents: bigint) => Number(cents) / 100;

/**
 * The loss distribution of `obligors` and its measures. Losses are floats in dollars (analytics); exposures
 * stay exact cents.
 */
export async function simulatePortfolioRisk(
  obligors: readonly Obligor[],
  options: Pick<PortfolioRiskInput, 'scenarios' | 'seed' | 'confidence' | 'factorLevel' | 'correlation'>,
  control: PortfolioRiskControl & { owner?: string } = {},
) {
  if (obligors.length === 0) {
    throw new KeelError(
      'empty_portfolio',
      `no borrower to simulate: no ${[...LENDING_INSTRUMENTS].join(', ')} deal in a stage ${[...FUNDABLE_STAGES].join(', ')} has a net commitment in the ledger`,
    );
  }
  const level: FactorLevel = options.factorLevel;
  const keyOf = (o: Obligor) => (level === 'core_area' ? o.areaId : o.subAreaId);
  const nameOf = (o: Obligor) => (level === 'core_area' ? o.areaName : o.subAreaName);
  const keys = [...new Set(obligors.map(keyOf))].sort();
  const file = factorCorrelationFileSchema.parse(readJson(FACTOR_CORRELATIONS_FILE));
  const factors = sectorFactors(file, level, keys, new Map(obligors.map((o) => [o.subAreaId, o.areaId])));
  const index = new Map(keys.map((k, i) => [k, i]));
  const spec = {
    pd: Float64Array.from(obligors, (o) => o.pd),
    lossGivenDefault: Float64Array.from(obligors, (o) => dollars(o.ead) * o.lgd),
    correlation: Float64Array.from(obligors, (o) => options.correlation ?? corporateCorrelation(o.pd)),
    factor: Int32Array.from(obligors, (o) => index.get(keyOf(o))!),
    factors: keys.length,
    factorCholesky: factors.cholesky,
  };
  groupObligors(spec); // refuses a bad portfolio here, with its own error, before any thread starts
  const { chunks } = await runTaskChunks('credit', spec, options.scenarios, options.seed, CHUNK_SCENARIOS, {
    what: 'portfolio credit risk simulation',
    signal: control.signal,
    onProgress: control.onProgress,
    ...(control.owner === undefined ? {} : { owner: control.owner }),
  });
  const losses = new Float64Array(options.scenarios);
  let offset = 0;
  for (const chunk of chunks) {
    losses.set(chunk, offset);
    offset += chunk.length;
  }
  const measures = riskMeasures(losses, options.confidence);
  const bySector = new Map<
    string,
    { name: string; obligors: number; exposure: bigint; expectedLoss: number }
  >();
  for (const o of obligors) {
    const s = bySector.get(keyOf(o)) ?? { name: nameOf(o), obligors: 0, exposure: 0n, expectedLoss: 0 };
    s.obligors += 1;
    s.exposure += o.ead;
    s.expectedLoss += o.pd * o.lgd * dollars(o.ead);
    bySector.set(keyOf(o), s);
  }
  return {
    scenarios: options.scenarios,
    seed: options.seed,
    factorLevel: level,
    obligors: obligors.length,
    exposure: obligors.reduce((sum, o) => sum + o.ead, 0n),
    expectedLoss: obligors.reduce((sum, o) => sum + o.pd * o.lgd * dollars(o.ead), 0),
    simulatedExpectedLoss: measures.expectedLoss,
    measures: options.confidence.map((confidence, i) => ({
      confidence,
      valueAtRisk: measures.valueAtRisk[i]!,
      expectedShortfall: measures.expectedShortfall[i]!,
    })),
    factors: keys.map((key) => ({ key, ...bySector.get(key)! })),
    quantileDefinition: QUANTILE_DEFINITION,
    correlationRule:
      options.correlation === undefined ? CORRELATION_RULE : 'one correlation set in the request',
    factorCorrelationSource: file.source,
  };
}

/** For a stream: refuses at once (throws) an actor who may not read the credit book, before any work. */
export function startPortfolioRisk(
  ...args: Parameters<typeof portfolioRisk>
): ReturnType<typeof portfolioRisk> {
  authorize(args[1], 'credit.read');
  return portfolioRisk(...args);
}

export async function portfolioRisk(
  ctx: AppContext,
  actor: Actor,
  input: PortfolioRiskInput,
  control: PortfolioRiskControl = {},
) {
  authorize(actor, 'credit.read');
  const { obligors, fallbacks } = await creditPortfolio(ctx, actor, { pd: input.pd, lgd: input.lgd });
  return {
    ...(await simulatePortfolioRisk(obligors, input, { ...control, owner: actor.id })),
    assumptions: { pd: input.pd ?? null, lgd: input.lgd ?? null, correlation: input.correlation ?? null },
    fallbacks: { ...fallbacks, rule: FALLBACK_RULE },
  };
}
