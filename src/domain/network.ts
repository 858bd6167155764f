/**
 * Client networks: organisations, people and their relationships; the capital stack of each deal (who puts
 * in what beside the bank); and ranking of co-investors and syndicate members for a deal that needs more
 * capital than the bank will hold.
 *
 * Counting rule for the stack (with the programme's methodology): the bank's own part is the deal itself,
 * counted through the ledger. Another party's part counts toward the programme only when the bank arranged,
 * underwrote or allocated it (`arrangedByBank`) and its instrument is a facilitated one in the methodology;
 * then it counts at that instrument's basis points. Co-investors who come on their own and government
 * lenders stand beside the deal without counting.
 */
import { z } from 'zod';
import { invariant, KeelError } from './errors.ts';
import { isoDate, positiveAmount, slug } from './fields.ts';
import { INSTRUMENTS, type Instrument } from './instruments.ts';
import { applyBasisPoints, type Cents, cents, totalCents } from './money.ts';
import { countedAmount, type Programme, sideOf } from './programme.ts';

export const ORGANISATION_KINDS = [
  'company',
  'investor',
  'fund',
  'lender',
  'bank',
  'government_programme',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const RELATIONSHIP_KINDS = [
  'client_of',
  'coverage_banker',
  'board_seat',
  'prior_co_investment',
  'prior_syndicate',
  'ownership_stake',
] as const;
export const BUSINESS_LINES = [
  'corporate_banking',
  'investment_banking',
  'asset_management',
  'commercial_banking',
  'private_bank',
] as const;
export const PARTICIPANT_ROLES = [
  'co_investor',
  'syndicate_member',
  'underwriting_investor',
  'government_lender',
  'guarantor',
  'client_assets',
] as const;
export const PARTICIPATION_STATUSES = ['proposed', 'soft_circled', 'committed', 'declined'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

/** Countries whose control of a counterparty is a concern (10 U.S.C. 4872(d) covered nations). */
export const CONCERN_COUNTRIES: ReadonlySet<string> = new Set(['CN', 'RU', 'IR', 'KP']);

export const organisationSchema = z.object({
  id: slug,
  name: z.string().min(1).max(200),
  kind: z.enum(ORGANISATION_KINDS),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2 code'),
  /** Ultimate controlling country when it differs from the country of incorporation. */
  controlledFrom: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  companyId: slug.optional(),
  source: z.string().min(1).max(2000),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const relationshipSchema = z
  .object({
    kind: z.enum(RELATIONSHIP_KINDS),
    fromOrganisation: slug.optional(),
    fromPerson: z.string().min(1).max(200).optional(),
    toOrganisation: slug,
    businessLine: z.enum(BUSINESS_LINES).optional(),
    /** Ownership stake, percent of the target. */
    percent: z.number().gt(0).max(100).optional(),
    dealId: slug.optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    source: z.string().min(1).max(2000),
  })
  .refine(
    (r) => (r.fromOrganisation === undefined) !== (r.fromPerson === undefined),
    'give fromOrganisation or fromPerson',
  )
  .refine(
    (r) => r.kind !== 'ownership_stake' || r.percent !== undefined,
    'an ownership stake needs a percent',
  )
  .refine((r) => r.kind !== 'client_of' || r.businessLine !== undefined, 'client_of needs the business line')
  .refine((r) => !r.since || !r.until || r.since <= r.until, 'since must not be after until');
export type Relationship = z.infer<typeof relationshipSchema>;

export const participationInputSchema = z.object({
  dealId: slug,
  organisationId: slug,
  role: z.enum(PARTICIPANT_ROLES),
  instrument: z.enum(INSTRUMENTS),
  amount: positiveAmount,
  arrangedByBank: z.boolean().default(false),
  status: z.enum(PARTICIPATION_STATUSES).default('proposed'),
  source: z.string().min(1).max(2000),
});
export type ParticipationInput = z.infer<typeof participationInputSchema>;

export interface Participation {
  id: bigint;
  organisationId: string;
  role: (typeof PARTICIPANT_ROLES)[number];
  instrument: Instrument;
  amount: Cents;
  arrangedByBank: boolean;
  status: ParticipationStatus;
}

/** Refuses a participation the methodology cannot place: another party's own-side instrument "arranged by the bank". */
export function assertParticipationIsSound(
  programme: Programme,
  p: Pick<Participation, 'instrument' | 'arrangedByBank' | 'role'>,
) {
  if (p.arrangedByBank && sideOf(programme, p.instrument) !== 'facilitated') {
    throw new KeelError(
      'invalid_participation',
      `${p.instrument} is the bank's own balance sheet; capital the bank arranges for others is booked as a facilitated instrument (syndicated_loan, bond_underwriting, equity_underwriting, client_asset_allocation)`,
    );
  }
  if (p.role === 'government_lender' && p.arrangedByBank) {
    throw new KeelError(
      'invalid_participation',
      'a government lender lends on its own account; it is not arranged by the bank',
    );
  }
}

export const countsTowardProgramme = (
  programme: Programme,
  p: Pick<Participation, 'instrument' | 'arrangedByBank'>,
) => p.arrangedByBank && sideOf(programme, p.instrument) === 'facilitated';

export interface CapitalStack {
  own: { instrument: Instrument; committed: Cents; counted: Cents };
  parts: (Participation & { counts: boolean; counted: Cents })[];
  /** Own + every committed participation. */
  total: Cents;
  countedOwn: Cents;
  countedFacilitated: Cents;
  notCounted: Cents;
  /** Proposed and soft-circled amounts, not yet in any total. */
  pipeline: Cents;
}

/**
 * The stack of one deal. Invariant: total = own + Σ committed parts, and every cent of it is either counted
 * (own or facilitated, at the methodology's rate) or not counted, with the rate's remainder not counted.
 */
export function capitalStack(
  programme: Programme,
  own: { instrument: Instrument; committed: Cents },
  participations: readonly Participation[],
): CapitalStack {
  const countedOwn = countedAmount(programme, own.instrument, own.committed);
  let total: bigint = own.committed;
  let countedFacilitated = 0n;
  let pipeline = 0n;
  const parts = participations.map((p) => {
    const counts = countsTowardProgramme(programme, p);
    const counted =
      counts && p.status === 'committed'
        ? applyBasisPoints(p.amount, programme.methodology.rules[p.instrument].countingBps)
        : cents(0n);
    if (p.status === 'committed') {
      total += p.amount;
      countedFacilitated += counted;
    } else if (p.status !== 'declined') pipeline += p.amount;
    return { ...p, counts, counted };
  });
  const notCounted = total - countedOwn - countedFacilitated;
  invariant(notCounted >= 0n, 'counted amounts exceed the stack');
  return {
    own: { ...own, counted: countedOwn },
    parts,
    total: totalCents(total),
    countedOwn,
    countedFacilitated: totalCents(countedFacilitated),
    notCounted: totalCents(notCounted),
    pipeline: totalCents(pipeline),
  };
}

/** What the ranking knows about one candidate. */
export interface CandidateFacts {
  organisation: Organisation;
  /** Committed participations in earlier deals: sub-area, area, amount. */
  history: { subAreaId: string; areaId: string; amount: Cents }[];
  existingClient: boolean;
  /** Board seat or ownership stake in the deal's company, or is the company. */
  conflict: string | null;
}

export interface RankedCandidate {
  organisationId: string;
  name: string;
  score: number;
  excluded: string | null;
  reasons: string[];
  components: { appetite: number; ticket: number; history: number; client: number };
}

export const RANKING_WEIGHTS = { appetite: 0.35, ticket: 0.25, history: 0.2, client: 0.2 } as const;

/**
 * Ranks candidates for a deal that needs `gap` more capital: appetite for the sub-area (and its area, at half
 * weight), fit of their usual ticket to the gap, depth of history with the bank, and being an existing
 * client. Conflicts of interest and control from a country of concern exclude a candidate, with the reason.
 */
export function rankCandidates(
  deal: { subAreaId: string; areaId: string; companyId: string },
  gap: Cents,
  candidates: readonly CandidateFacts[],
): RankedCandidate[] {
  invariant(gap > 0n, 'the deal needs capital to rank co-investors for it');
  const appetiteRaw = candidates.map(
    (c) =>
      c.history.filter((h) => h.subAreaId === deal.subAreaId).length +
      0.5 * c.history.filter((h) => h.subAreaId !== deal.subAreaId && h.areaId === deal.areaId).length,
  );
  const maxAppetite = Math.max(1, ...appetiteRaw);
  const maxHistory = Math.max(1, ...candidates.map((c) => c.history.length));
  const ranked = candidates.map((c, i): RankedCandidate => {
    const control = c.organisation.controlledFrom ?? c.organisation.country;
    const excluded = c.conflict
      ? `conflict of interest: ${c.conflict}`
      : CONCERN_COUNTRIES.has(control)
        ? `controlled from a country of concern (${control})`
        : null;
    const tickets = c.history.map((h) => Number(h.amount)).sort((a, b) => a - b);
    const median = tickets.length ? (tickets[Math.floor((tickets.length - 1) / 2)] as number) : 0;
    const ticket = median > 0 ? Math.exp(-Math.abs(Math.log(median / Number(gap)))) : 0;
    const components = {
      appetite: (appetiteRaw[i] as number) / maxAppetite,
      ticket,
      history: Math.log1p(c.history.length) / Math.log1p(maxHistory),
      client: c.existingClient ? 1 : 0,
    };
    const score = excluded
      ? 0
      : (Object.keys(RANKING_WEIGHTS) as (keyof typeof RANKING_WEIGHTS)[]).reduce(
          (s, k) => s + RANKING_WEIGHTS[k] * components[k],
          0,
        );
    const reasons = [
      `${c.history.filter((h) => h.subAreaId === deal.subAreaId).length} earlier deal(s) in this sub-area`,
      median > 0
        ? `usual ticket ${(median / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} USD vs gap ${(Number(gap) / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} USD`
        : 'no earlier ticket',
      `${c.history.length} participation(s) with the bank`,
      c.existingClient ? 'existing client' : 'not a client yet',
    ];
    return {
      organisationId: c.organisation.id,
      name: c.organisation.name,
      score,
      excluded,
      reasons,
      components,
    };
  });
  return ranked.sort(
    (a, b) =>
      (a.excluded ? 1 : 0) - (b.excluded ? 1 : 0) ||
      b.score - a.score ||
      a.organisationId.localeCompare(b.organisationId),
  );
}

/** Concentration of facilitated capital by counterparty: shares and the HHI (0–10,000). */
export function concentration(amounts: ReadonlyMap<string, bigint>) {
  const total = [...amounts.values()].reduce((s, a) => s + a, 0n);
  const shares = [...amounts.entries()]
    .map(([id, amount]) => ({ id, amount, share: total > 0n ? Number(amount) / Number(total) : 0 }))
    .sort((a, b) => b.share - a.share);
  return { total, shares, hhi: 10_000 * shares.reduce((s, x) => s + x.share * x.share, 0) };
}
