/**
 * The Takahashi–Alexander ("Yale") model of a commitment's cash flows: D. Takahashi and S. Alexander,
 * "Illiquid Alternative Asset Fund Modeling", Journal of Portfolio Management 28(2), 2002, pp. 90–100.
 * For age t (years), commitment CC, paid-in PIC, net asset value NAV:
 *   contributions  C_t = RC_t · (CC − PIC_{t−1})
 *   distributions  D_t = RD_t · NAV_{t−1} · (1 + G),   RD_t = min(1, max(Y, (t / L)^B))
 *   NAV            NAV_t = NAV_{t−1} · (1 + G) + C_t − D_t
 * with RC the rate of contribution by year of age, G the growth rate, Y the yield, B the bow factor and L
 * the fund life. The paper's illustrative parameters are RC = 25 %, 33.3 %, then 50 % a year; B = 2.5;
 * L = 12; Y = 0; G = 13 %. With `stepsPerYear` > 1 the annual rates are converted to equivalent rates per
 * step (1 − (1 − r)^(1/n) for RC and RD, (1 + G)^(1/n) − 1 for G), so that quarterly steps compound to the
 * annual model. Analytics, in floats.
 */

export interface YaleParameters {
  /** Rates of contribution for ages 1, 2, 3, …; the last one repeats. */
  contributionRates: readonly number[];
  bow: number;
  lifeYears: number;
  yield: number;
  growth: number;
}

export const PAPER_EXAMPLE: YaleParameters = {
  contributionRates: [0.25, 1 / 3, 0.5],
  bow: 2.5,
  lifeYears: 12,
  yield: 0,
  growth: 0.13,
};

/**
 * The parameter sets of a projection: the default, and overrides per instrument and per sub-area, each
 * with the source of its calibration. The most specific one applies: sub-area, then instrument, then default.
 */
export interface YaleCalibration {
  default: YaleParameters;
  byInstrument: Readonly<Record<string, YaleParameters & { source: string }>>;
  bySubArea: Readonly<Record<string, YaleParameters & { source: string }>>;
}

export function parametersFor(
  calibration: YaleCalibration,
  position: { instrument: string; subAreaId: string },
): { key: string; params: YaleParameters } {
  const bySubArea = calibration.bySubArea[position.subAreaId];
  if (bySubArea) return { key: `sub-area ${position.subAreaId}`, params: bySubArea };
  const byInstrument = calibration.byInstrument[position.instrument];
  if (byInstrument) return { key: position.instrument, params: byInstrument };
  return { key: 'default', params: calibration.default };
}

export interface YaleStep {
  /** Age at the end of the step, in years. */
  age: number;
  contribution: number;
  distribution: number;
  nav: number;
  paidIn: number;
}

export const perStep = (annualRate: number, stepsPerYear: number) =>
  1 - (1 - Math.min(1, Math.max(0, annualRate))) ** (1 / stepsPerYear);
export const growthPerStep = (annualGrowth: number, stepsPerYear: number) =>
  (1 + annualGrowth) ** (1 / stepsPerYear) - 1;

/** RD at age t (years). */
export function distributionRate(p: YaleParameters, age: number): number {
  return Math.min(1, Math.max(p.yield, (age / p.lifeYears) ** p.bow));
}

export function contributionRate(p: YaleParameters, age: number): number {
  const year = Math.max(1, Math.ceil(age - 1e-9));
  return p.contributionRates[Math.min(year, p.contributionRates.length) - 1]!;
}

/** Runs the model from inception for `steps` steps, starting from an existing position if one is given. */
export function projectCommitment(
  p: YaleParameters,
  commitment: number,
  steps: number,
  stepsPerYear = 1,
  start: { age: number; paidIn: number; nav: number } = { age: 0, paidIn: 0, nav: 0 },
): YaleStep[] {
  const g = growthPerStep(p.growth, stepsPerYear);
  let { paidIn, nav } = start;
  const out: YaleStep[] = [];
  for (let s = 1; s <= steps; s++) {
    const age = start.age + s / stepsPerYear;
    const contribution = perStep(contributionRate(p, age), stepsPerYear) * (commitment - paidIn);
    const distribution = perStep(distributionRate(p, age), stepsPerYear) * nav * (1 + g);
    nav = nav * (1 + g) + contribution - distribution;
    paidIn += contribution;
    out.push({ age, contribution, distribution, nav, paidIn });
  }
  return out;
}
