/**
 * Seeded generator of synthetic companies, deals and ledger entries for tests and benchmarks. Everything it
 * makes is labelled synthetic (ids start with `syn-`, `synthetic: true`, source "synthetic (seed N)"): it
 * is never presented as a fact.
 */
import type { Decision, Vote } from './committee.ts';
import type { CompanyInput } from './company.ts';
import type { DealInput, LedgerEntryInput } from './deal.ts';
import { asIsoDate, type IsoDate } from './fields.ts';
import { exactAmount } from './format.ts';
import { EQUITY_INSTRUMENTS, type Instrument } from './instruments.ts';
import { cents, toDecimalString } from './money.ts';
import type { Organisation, ParticipationInput } from './network.ts';
import { PERMIT_KINDS, PERMIT_STAGES, type PermitStage } from './permitting.ts';
import { DECIDED_STAGES, type Stage } from './stages.ts';

/** mulberry32: small, fast, good enough to spread synthetic data; same seed, same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOAN_INSTRUMENTS: Instrument[] = [
  'term_loan',
  'revolving_credit',
  'project_finance',
  'syndicated_loan',
  'bond_underwriting',
];

export interface SyntheticBook {
  companies: CompanyInput[];
  deals: DealInput[];
}

export function syntheticBook(
  seed: number,
  size: { companies: number; deals: number },
  subAreaIds: readonly string[],
): SyntheticBook {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const source = `synthetic (seed ${seed})`;
  const companies: CompanyInput[] = Array.from({ length: size.companies }, (_, i) => ({
    id: `syn-co-${seed}-${i}`,
    name: `Synthetic Company ${i}`,
    usBased: random() < 0.9,
    existingClient: random() < 0.5,
    foreignControl: false,
    source,
    synthetic: true,
    facilities: [],
  }));
  const deals: DealInput[] = Array.from({ length: size.deals }, (_, i) => ({
    id: `syn-deal-${seed}-${i}`,
    companyId: companies[i % companies.length]!.id,
    subAreaId: pick(subAreaIds),
    // Loans mostly: synthetic books exercise the ledger, not the equity cap.
    instrument: pick(LOAN_INSTRUMENTS),
    amount: cents((BigInt(Math.floor(random() * 500_000_000)) + 1_000_000n) * 100n),
    // A synthetic book is already decided: brought in (by an admin) as a historical import.
    stage: 'monitoring',
    historicalDecisionRef: `${source}: decided outside Keel`,
    classification: random() < 0.67 ? 'baseline' : 'incremental',
    openedOn: asIsoDate('2026-01-15'),
    team: [],
    source,
    synthetic: true,
  }));
  return { companies, deals };
}

/** Ledger rows as CSV text: each deal gets a commitment, then draws and repayments that respect the rules. */
export function syntheticLedgerCsv(seed: number, deals: readonly DealInput[], rows: number): string {
  const random = seededRandom(seed ^ 0x5eed);
  const lines = ['key,deal_id,kind,amount_usd,effective_on,note'];
  const state = deals.map(() => ({ undrawn: 0n, outstanding: 0n }));
  for (let i = 0; i < rows; i++) {
    const d = i % deals.length;
    const deal = deals[d]!;
    const s = state[d]!;
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const date = `${2026 + Math.floor(random() * 9)}-${month}-15`;
    let kind: 'commitment' | 'draw' | 'repayment';
    let amount: bigint;
    if (s.undrawn === 0n && s.outstanding === 0n) {
      kind = 'commitment';
      amount = BigInt(1 + Math.floor(random() * 1_000_000)) * 100n;
      s.undrawn += amount;
    } else if (s.undrawn > 0n && (s.outstanding === 0n || random() < 0.5)) {
      kind = 'draw';
      amount = s.undrawn;
      s.undrawn = 0n;
      s.outstanding += amount;
    } else {
      kind = 'repayment';
      amount = s.outstanding;
      s.outstanding = 0n;
    }
    lines.push(`syn-${seed}-${i},${deal.id},${kind},${toDecimalString(amount)},${date},synthetic`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The demo programme of `keel demo`: a whole synthetic book over every sub-area, its deals spread over the
 * stages (most early, some ended), with the ledger, committee, permit and price history a user can explore.
 * Pure: the app layer writes it through the use cases. Every date lies between the programme's start and
 * `today`; equity commitments stay far below the equity caps (the only capped instruments), so the ledger
 * never refuses a batch.
 */
export interface DemoPlan {
  source: string;
  companies: CompanyInput[];
  /** Opened at `sourced`, or brought in as historical imports at a decided stage. */
  deals: DealInput[];
  /** Stage moves after opening, in order, one deal's moves after another's (early pipeline, then endings). */
  moves: { dealId: string; to: Stage }[];
  ledger: LedgerEntryInput[];
  /** Moves that end a deal after its ledger is in (monitoring → repaid, exited, written off). */
  endings: { dealId: string; to: Stage }[];
  /** Deals before the committee to vote on and decide, with the decision and its date. */
  committee: { dealId: string; votes: Vote[]; decision: Decision; decidedOn: IsoDate }[];
  /** The client network: co-investors, lenders and agencies, with the deals they stand in (proposed). */
  organisations: Organisation[];
  participations: ParticipationInput[];
  permits: {
    dealId: string;
    kind: (typeof PERMIT_KINDS)[number];
    agency: string;
    stage: PermitStage;
    on: IsoDate;
  }[];
  prices: { ticker: string; date: IsoDate; close: string; source: string }[];
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number): IsoDate =>
  asIsoDate(new Date(Math.floor(day) * DAY_MS).toISOString().slice(0, 10));

/** Final stage weights: most deals early in the pipeline, about a third decided, a few ended. */
const STAGE_WEIGHTS: [Stage, number][] = [
  ['sourced', 30],
  ['screening', 17],
  ['diligence', 11],
  ['committee', 6],
  ['withdrawn', 4],
  ['approved', 4],
  ['closed', 6],
  ['monitoring', 16],
  ['repaid', 4],
  ['exited', 1],
  ['written_off', 1],
];
const EARLY_PATH: Stage[] = ['screening', 'diligence', 'committee'];
const ALL_INSTRUMENTS: Instrument[] = [
  ...LOAN_INSTRUMENTS,
  'direct_equity',
  'venture_capital',
  'ma_advisory',
];
const EQUITY: ReadonlySet<Instrument> = new Set(['direct_equity', 'venture_capital']);
const AGENCIES = [
  'DOE',
  'EPA',
  'US Army Corps of Engineers',
  'NRC',
  'State environmental agency',
  'County board',
];
const TICKERS = ['SYNA', 'SYNB', 'SYNC', 'SYND', 'SYNE'];
const PRICE_HISTORY_DAYS = 400;

export function syntheticDemo(
  seed: number,
  size: { deals: number },
  subAreaIds: readonly string[],
  dates: { start: string; today: string },
): DemoPlan {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (from: number, to: number) => from + Math.floor(random() * Math.max(1, to - from + 1));
  const source = `synthetic demo (seed ${seed})`;
  const start = dayNumber(dates.start);
  const end = Math.max(start, dayNumber(dates.today));
  const totalWeight = STAGE_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const stageOf = (): Stage => {
    let roll = random() * totalWeight;
    for (const [stage, weight] of STAGE_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return stage;
    }
    return 'sourced';
  };

  const companyCount = Math.max(1, Math.ceil(size.deals / 2));
  const companies: CompanyInput[] = Array.from({ length: companyCount }, (_, i) => ({
    id: `syn-co-${seed}-${i}`,
    name: `Synthetic Company ${i}`,
    usBased: random() < 0.9,
    existingClient: random() < 0.5,
    foreignControl: false,
    // The first companies are listed, under the tickers the price history below is made for.
    ...(i < TICKERS.length ? { ticker: TICKERS[i] } : {}),
    source,
    synthetic: true,
    facilities: [],
  }));

  const plan: DemoPlan = {
    source,
    companies,
    deals: [],
    moves: [],
    ledger: [],
    endings: [],
    committee: [],
    permits: [],
    prices: [],
    organisations: syntheticOrganisations(seed, Math.max(5, Math.ceil(size.deals / 40)), pick, source),
    participations: [],
  };
  for (let i = 0; i < size.deals; i++) {
    const id = `syn-deal-${seed}-${i}`;
    // Every sub-area gets deals: the first ones go round the taxonomy, the rest at random.
    const subAreaId = i < subAreaIds.length ? subAreaIds[i]! : pick(subAreaIds);
    const target = stageOf();
    const decided = DECIDED_STAGES.has(target);
    const instrument = pick(ALL_INSTRUMENTS);
    // Equity stays small (the caps are per company, sub-area and programme); loans range to $500M.
    const dollars = EQUITY.has(instrument) ? between(1_000_000, 20_000_000) : between(1_000_000, 500_000_000);
    // Decided deals were opened early enough to carry a ledger history; the pipeline is recent.
    const openedDay = decided ? between(start, end - 30) : between(Math.max(start, end - 365), end);
    plan.deals.push({
      id,
      name: `Synthetic deal ${i}`,
      companyId: companies[i % companyCount]!.id,
      subAreaId,
      instrument,
      amount: cents(BigInt(dollars) * 100n),
      stage: decided ? (target === 'approved' || target === 'closed' ? target : 'monitoring') : 'sourced',
      ...(decided ? { historicalDecisionRef: `${source}: decided outside Keel` } : {}),
      classification: random() < 0.67 ? 'baseline' : 'incremental',
      openedOn: dateOf(Math.min(openedDay, end)),
      team: [],
      source,
      synthetic: true,
      resilienceScore: between(10, 95),
      expectedReturn: Math.round(random() * 200) / 1000,
      riskScore: between(5, 90),
    });
    if (target === 'withdrawn') plan.moves.push({ dealId: id, to: 'withdrawn' });
    else if (!decided) {
      for (const to of EARLY_PATH.slice(0, EARLY_PATH.indexOf(target as Stage) + 1))
        plan.moves.push({ dealId: id, to });
    }
    if (target === 'committee' && random() < 0.6) {
      const decision = pick<Decision>([
        'approve',
        'approve',
        'approve',
        'approve_with_conditions',
        'decline',
        'defer',
      ]);
      const votes: Vote[] =
        decision === 'decline'
          ? ['against', 'against', 'for']
          : decision === 'defer'
            ? ['abstain', 'for', 'against']
            : ['for', 'for', pick<Vote>(['for', 'against', 'abstain'])];
      plan.committee.push({ dealId: id, votes, decision, decidedOn: dateOf(between(openedDay, end)) });
    }
    if (decided) {
      ledgerHistory(plan, id, BigInt(dollars) * 100n, openedDay, end, target, between, random);
      if (target === 'repaid' || target === 'exited' || target === 'written_off')
        plan.endings.push({ dealId: id, to: target });
    }
    // A fifth of the deals have another party in their capital stack, proposed (the demo commits nothing
    // outside the ledger): a co-investor beside equity, a government lender beside a loan.
    if (random() < 0.2) {
      const equity = EQUITY_INSTRUMENTS.has(instrument);
      const party = pick(
        plan.organisations.filter((o) =>
          equity ? o.kind === 'fund' || o.kind === 'investor' : o.kind === 'government_programme',
        ),
      );
      plan.participations.push({
        dealId: id,
        organisationId: party.id,
        role: equity ? 'co_investor' : 'government_lender',
        instrument: equity ? instrument : 'term_loan',
        amount: cents((BigInt(dollars) * 100n * BigInt(between(10, 50))) / 100n),
        arrangedByBank: false,
        status: 'proposed',
        source,
      });
    }
    if (random() < 0.15) {
      plan.permits.push({
        dealId: id,
        kind: pick(PERMIT_KINDS),
        agency: pick(AGENCIES),
        stage: pick(PERMIT_STAGES),
        on: dateOf(between(openedDay, end)),
      });
    }
  }
  // Prices begin before the programme: an event study estimates over the 250 trading days before its event.
  plan.prices = syntheticPrices(random, source, start - PRICE_HISTORY_DAYS, end);
  return plan;
}

const ORGANISATION_KINDS_SEEDED = ['fund', 'investor', 'bank', 'lender', 'government_programme'] as const;
const COUNTRIES = ['US', 'US', 'US', 'CA', 'GB', 'JP', 'AU', 'DE', 'FR', 'KR'];

/** Organisations of every kind but `company` (companies are the borrowers), every kind at least once. */
function syntheticOrganisations(
  seed: number,
  count: number,
  pick: <T>(items: readonly T[]) => T,
  source: string,
): Organisation[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = ORGANISATION_KINDS_SEEDED[i % ORGANISATION_KINDS_SEEDED.length]!;
    return {
      id: `syn-org-${seed}-${i}`,
      name: `Synthetic ${kind === 'government_programme' ? 'Agency' : kind[0]!.toUpperCase() + kind.slice(1)} ${i}`,
      kind,
      country: kind === 'government_programme' ? 'US' : pick(COUNTRIES),
      source,
    };
  });
}

/** A commitment, draws that never exceed it, and for a deal that ended, its repayment. */
function ledgerHistory(
  plan: DemoPlan,
  dealId: string,
  amount: bigint,
  openedDay: number,
  end: number,
  target: Stage,
  between: (from: number, to: number) => number,
  random: () => number,
) {
  const entry = (kind: LedgerEntryInput['kind'], value: bigint, day: number) =>
    plan.ledger.push({
      clientKey: `${dealId}-${plan.ledger.length}`,
      dealId,
      kind,
      amount: cents(value),
      effectiveOn: dateOf(day),
      note: 'synthetic',
    });
  let day = between(openedDay, Math.min(end, openedDay + 60));
  entry('commitment', amount, day);
  if (target === 'approved') return;
  let undrawn = amount;
  let drawn = 0n;
  const draws = 1 + Math.floor(random() * 3);
  for (let n = 0; n < draws && undrawn > 0n && day < end; n++) {
    day = between(day, Math.min(end, day + 120));
    const part = n === draws - 1 ? undrawn : (undrawn * BigInt(between(30, 70))) / 100n;
    if (part <= 0n) break;
    entry('draw', part, day);
    undrawn -= part;
    drawn += part;
  }
  if ((target === 'repaid' || target === 'exited') && drawn > 0n)
    entry('repayment', drawn, between(day, end));
}

/** Daily closes (weekdays) for a few synthetic tickers and the SPY index, a random walk each. */
function syntheticPrices(
  random: () => number,
  source: string,
  start: number,
  end: number,
): DemoPlan['prices'] {
  const rows: DemoPlan['prices'] = [];
  for (const ticker of [...TICKERS, 'SPY']) {
    let close = 20 + random() * 80;
    for (let day = start; day <= end; day++) {
      const weekday = new Date(day * DAY_MS).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      close = Math.max(1, close * (1 + (random() - 0.5) * 0.04));
      rows.push({ ticker, date: dateOf(day), close: close.toFixed(2), source });
    }
  }
  return rows;
}

/**
 * The committee memo of a demo decision, as plain text: what the decision was, on which votes, under a
 * heading that says the record is synthetic (the document travels without the demo banner).
 */
export function demoCommitteeMemo(
  item: DemoPlan['committee'][number],
  deal: Pick<DealInput, 'name' | 'id' | 'amount' | 'instrument'>,
  source: string,
): string {
  const tally = (vote: Vote) => item.votes.filter((v) => v === vote).length;
  return [
    'SYNTHETIC DEMO DATA: not a real deal, company or decision.',
    '',
    `Investment committee memo: ${deal.name ?? deal.id}`,
    `Instrument: ${deal.instrument.replaceAll('_', ' ')}; amount: ${exactAmount(deal.amount)}`,
    `Decided on ${item.decidedOn}: ${item.decision.replaceAll('_', ' ')}`,
    `Votes: ${tally('for')} for, ${tally('against')} against, ${tally('abstain')} abstaining`,
    '',
    `Source: ${source}`,
    '',
  ].join('\n');
}

/** The fields of a programme document that carry dates: the demo moves them and keeps everything else. */
interface DatedProgrammeDocument {
  source?: string;
  horizon: { start: string; end: string };
  plan: { source?: string; years: { year: number }[] } & Record<string, unknown>;
  methodology: { effectiveFrom: string } & Record<string, unknown>;
}

/** `date` (YYYY-MM-DD) moved by whole years; a 29 February lands on the 28th of a year without one. */
function yearsEarlier(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) - years;
  const monthDay = date.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}

/**
 * The demo's programme: the reference programme moved whole years earlier, so that `asOf` falls in the last
 * year of its horizon and the demo shows the history of most of a ten-year programme (a real programme that
 * began recently has only its first year of ledger). Amounts, caps and rules are the reference's; every
 * date and plan year moves by the same number of years, and both sources say so.
 */
export function demoProgrammeDocument(
  reference: unknown,
  asOf: string,
): { document: unknown; years: number } {
  const doc = structuredClone(reference) as DatedProgrammeDocument;
  const end = doc.horizon.end;
  const years = Number(end.slice(0, 4)) - Number(asOf.slice(0, 4)) - (end.slice(5) <= asOf.slice(5) ? 1 : 0);
  if (years <= 0) return { document: reference, years: 0 };
  const note = `Synthetic demo: the reference programme moved ${years} years earlier so that the demo shows its history. `;
  doc.source = note + (doc.source ?? '');
  doc.horizon = { start: yearsEarlier(doc.horizon.start, years), end: yearsEarlier(end, years) };
  doc.methodology = { ...doc.methodology, effectiveFrom: yearsEarlier(doc.methodology.effectiveFrom, years) };
  // Every plan row (the years, and any per-segment plan) is a list of { year, ... }.
  const moved: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc.plan)) moved[field] = moveYears(value, years);
  doc.plan = { ...(moved as DatedProgrammeDocument['plan']), source: note + (doc.plan.source ?? '') };
  return { document: doc, years };
}

function moveYears(value: unknown, years: number): unknown {
  if (Array.isArray(value))
    return value.map((row) =>
      row && typeof row === 'object' && 'year' in row && typeof row.year === 'number'
        ? { ...row, year: row.year - years }
        : moveYears(row, years),
    );
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, moveYears(v, years)]));
  return value;
}
