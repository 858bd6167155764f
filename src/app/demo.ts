/**
 * The demo programme (`keel demo`, issue 15 item 8): a data folder of its own, flagged synthetic, seeded once
 * through the same use cases as real work (so the audit chain, the caps and the committee rules hold), and
 * shown under a "synthetic demo data" banner. Every step is written under a key made from the seed, so a seed
 * interrupted half-way is finished by the next start instead of being doubled.
 */
import { randomBytes } from 'node:crypto';
import { completeDemoFlag, insertDemoFlag, readDemoFlag } from '../db/demo-repo.ts';
import { KeelError } from '../domain/errors.ts';
import { asIsoDate } from '../domain/fields.ts';
import { demoCommitteeMemo, demoProgrammeDocument, syntheticDemo } from '../domain/synthetic.ts';
import { disableUser } from './accounts.ts';
import { addUser } from './auth.ts';
import { castVote, recordDecision } from './committee.ts';
import { addCompanies } from './companies.ts';
import { type Actor, type AppContext, today } from './context.ts';
import { REFERENCE_PROGRAMME, readJson } from './data-files.ts';
import { moveDealStage, openDeals } from './deals.ts';
import { uploadDocument } from './documents.ts';
import { addPrices } from './event-studies.ts';
import { addStaff } from './governance/coverage.ts';
import { addPermit } from './governance/permits.ts';
import { initKeel } from './init.ts';
import { recordLedgerEntries } from './ledger.ts';
import { addOrganisations } from './network/organisations.ts';
import { addParticipation } from './network/stacks.ts';
import { currentProgramme, isInitialised, loadProgramme } from './programme.ts';
import { listSubAreas } from './taxonomy.ts';
import { runWrite } from './write.ts';
import { serverKey } from './write-key.ts';

export const DEMO_DEALS = 2_000;
export const DEMO_SEED = 2026;
const LEDGER_BATCH = 500;
const COMMITTEE_SEATS = 3;

/** What the web app shows on every page: whether this folder holds the synthetic demo programme. */
export async function demoStatus(ctx: AppContext): Promise<{ synthetic: boolean; source: string | null }> {
  const flag = await readDemoFlag(ctx.database.db);
  return { synthetic: flag !== null, source: flag?.source ?? null };
}

export interface DemoSeedReport {
  seeded: boolean;
  seed: number;
  companies: number;
  deals: number;
  ledgerEntries: number;
  committeeDecisions: number;
  /** One committee memo per decision. */
  documents: number;
  permits: number;
  prices: number;
  organisations: number;
  participations: number;
}

/** A step of the seed under way, for a progress bar. */
export type DemoProgress = (step: string, done: number, total: number) => void;

/**
 * Seeds the demo programme into an empty folder, finishes an interrupted seed, and does nothing to a folder
 * already seeded. A folder holding real data (initialised and not flagged) is refused: demo deals must never
 * mix with real ones.
 */
export async function seedDemo(
  ctx: AppContext,
  actor: Actor,
  options: { deals?: number; seed?: number; onProgress?: DemoProgress } = {},
): Promise<DemoSeedReport> {
  const db = ctx.database.db;
  let flag = await readDemoFlag(db);
  if (flag === null && (await isInitialised(db)))
    throw new KeelError(
      'conflict',
      'this data folder holds a real programme: the synthetic demo is only seeded into an empty folder of its own (keel demo --data DIR)',
    );
  if (flag === null) {
    const seed = options.seed ?? DEMO_SEED;
    const deals = options.deals ?? DEMO_DEALS;
    if (!Number.isInteger(deals) || deals < 1 || deals > 20_000)
      throw new KeelError('invalid_value', `the demo holds 1 to 20000 deals, not ${deals}`);
    const source = `synthetic demo (seed ${seed})`;
    // The flag goes in first: from here on, no start of this folder can take it for a real one.
    await runWrite(
      ctx,
      {
        actor,
        action: 'demo.flag',
        key: serverKey('demo', 'flag'),
        request: { seed, deals },
        subject: 'demo',
      },
      async (tx) => {
        await insertDemoFlag(tx, { seed, deals, source, as_of: today() });
        return { result: { seed, deals } };
      },
    );
    flag = (await readDemoFlag(db))!;
  }
  const report = await writePlan(ctx, actor, flag, options.onProgress ?? (() => {}));
  if (flag.seededAt !== null) return { ...report, seeded: false };
  await runWrite(
    ctx,
    { actor, action: 'demo.seeded', key: serverKey('demo', 'seeded'), request: report, subject: 'demo' },
    async (tx) => {
      await completeDemoFlag(tx);
      return { result: report };
    },
  );
  return report;
}

async function writePlan(
  ctx: AppContext,
  actor: Actor,
  flag: { seed: number; deals: number; asOf: string; seededAt: Date | null },
  progress: DemoProgress,
): Promise<DemoSeedReport> {
  const { seed } = flag;
  const key = (...parts: string[]) => serverKey('demo', String(seed), ...parts);
  const stepKey = (...parts: string[]) => ['demo', String(seed), ...parts].join(':');
  const summary = (plan: ReturnType<typeof syntheticDemo>): DemoSeedReport => ({
    seeded: true,
    seed,
    companies: plan.companies.length,
    deals: plan.deals.length,
    ledgerEntries: plan.ledger.length,
    committeeDecisions: plan.committee.length,
    documents: plan.committee.length,
    permits: plan.permits.length,
    prices: plan.prices.length,
    organisations: plan.organisations.length,
    participations: plan.participations.length,
  });
  // A seeded folder only needs the counts: rebuilding the plan is cheap and writes nothing.
  if (flag.seededAt === null) {
    progress('taxonomy and programme', 0, 1);
    // The public reference deals are real: a synthetic folder holds synthetic deals only.
    await initKeel(ctx, actor, { withReferenceDeals: false });
    // Years of history rather than the weeks a programme begun this year would show (loading the same
    // document again is one write, so a resumed seed changes nothing here).
    await loadProgramme(ctx, actor, demoProgrammeDocument(readJson(REFERENCE_PROGRAMME), flag.asOf).document);
  }
  const subAreas = (await listSubAreas(ctx, actor)).map((s) => s.id);
  const { programme } = await currentProgramme(ctx.database.db);
  const plan = syntheticDemo(seed, { deals: flag.deals }, subAreas, {
    start: programme.horizon.start,
    today: flag.asOf,
  });
  if (flag.seededAt !== null) return summary(plan);

  progress('companies', 0, plan.companies.length);
  await addCompanies(ctx, actor, key('companies'), plan.companies, {
    onProgress: (done, total) => progress('companies', done, total),
  });
  await openDeals(ctx, actor, key('deals'), plan.deals, {
    onProgress: (done, total) => progress('deals', done, total),
  });
  for (const [n, move] of plan.moves.entries()) {
    await moveDealStage(ctx, actor, { key: stepKey('move', move.dealId, move.to), ...move });
    if (n % 50 === 0) progress('pipeline moves', n, plan.moves.length);
  }
  for (let i = 0; i < plan.ledger.length; i += LEDGER_BATCH) {
    progress('ledger', i, plan.ledger.length);
    await recordLedgerEntries(ctx, actor, key('ledger', String(i)), plan.ledger.slice(i, i + LEDGER_BATCH));
  }
  for (const ending of plan.endings)
    await moveDealStage(ctx, actor, { key: stepKey('end', ending.dealId), ...ending });
  await committeeHistory(ctx, actor, plan.committee, stepKey, progress);
  await committeeMemos(ctx, actor, plan, stepKey, progress);
  for (const [n, permit] of plan.permits.entries()) {
    await addPermit(ctx, actor, stepKey('permit', String(n)), {
      ...permit,
      jurisdiction: 'federal',
      note: 'synthetic',
    });
    if (n % 50 === 0) progress('permits', n, plan.permits.length);
  }
  await coverage(ctx, actor, subAreas, stepKey, flag.asOf);
  progress('client network', 0, plan.participations.length);
  await addOrganisations(ctx, actor, key('organisations'), plan.organisations);
  for (const [n, participation] of plan.participations.entries()) {
    await addParticipation(ctx, actor, stepKey('participation', String(n)), participation);
    if (n % 50 === 0) progress('client network', n, plan.participations.length);
  }
  await addPrices(ctx, actor, key('prices'), plan.prices, {
    onProgress: (done, total) => progress('prices', done, total),
  });
  return summary(plan);
}

/**
 * The committee's seats are synthetic users (votes name a user) with a random password nobody is told, and
 * are disabled once they have voted: nobody signs in as them.
 */
async function committeeHistory(
  ctx: AppContext,
  admin: Actor,
  decisions: ReturnType<typeof syntheticDemo>['committee'],
  stepKey: (...parts: string[]) => string,
  progress: DemoProgress,
) {
  // The seed put the deals before the committee, so (four eyes) a chair of its own records the decisions.
  const seats: Actor[] = [];
  for (let seat = 0; seat <= COMMITTEE_SEATS; seat++) {
    const id = seat === 0 ? 'demo-committee-chair' : `demo-committee-${seat}`;
    await addUser(ctx, admin, {
      id,
      email: `${id}@demo.invalid`,
      name: seat === 0 ? 'Synthetic committee chair' : `Synthetic committee member ${seat}`,
      role: 'investment_committee',
      password: randomBytes(24).toString('base64url'),
    });
    seats.push({ id, role: 'investment_committee' });
  }
  const [chair, ...members] = seats as [Actor, ...Actor[]];
  for (const [n, item] of decisions.entries()) {
    for (const [seat, vote] of item.votes.entries())
      await castVote(ctx, members[seat]!, stepKey('vote', item.dealId, String(seat)), {
        dealId: item.dealId,
        vote,
      });
    await recordDecision(ctx, chair, stepKey('decide', item.dealId), {
      dealId: item.dealId,
      decision: item.decision,
      decidedOn: item.decidedOn,
      conditions:
        item.decision === 'approve_with_conditions' ? ['Synthetic condition: security package'] : [],
    });
    if (n % 10 === 0) progress('committee', n, decisions.length);
  }
  for (const seat of seats) await disableUser(ctx, admin, stepKey('disable', seat.id), seat.id);
}

/** Each decision's memo, attached to its deal as a document (plain text, marked synthetic in its first line). */
async function committeeMemos(
  ctx: AppContext,
  actor: Actor,
  plan: ReturnType<typeof syntheticDemo>,
  stepKey: (...parts: string[]) => string,
  progress: DemoProgress,
) {
  const deals = new Map(plan.deals.map((d) => [d.id, d]));
  for (const [n, item] of plan.committee.entries()) {
    await uploadDocument(ctx, actor, stepKey('memo', item.dealId), {
      fields: { subjectKind: 'deal', subjectId: item.dealId, title: 'Committee memo' },
      filename: `committee-memo-${item.dealId}.txt`,
      content: new TextEncoder().encode(demoCommitteeMemo(item, deals.get(item.dealId)!, plan.source)),
    });
    if (n % 10 === 0) progress('committee memos', n, plan.committee.length);
  }
}

/** One synthetic banker per sub-area: the coverage report then has a team to weigh against the pipeline. */
async function coverage(
  ctx: AppContext,
  actor: Actor,
  subAreas: string[],
  stepKey: (...parts: string[]) => string,
  joinedOn: string,
) {
  for (const [n, subAreaId] of subAreas.entries()) {
    await addStaff(ctx, actor, stepKey('staff', subAreaId), {
      id: `demo-banker-${n + 1}`,
      name: `Synthetic banker ${n + 1}`,
      kind: 'banker',
      subAreas: [subAreaId],
      companies: [],
      joinedOn: asIsoDate(joinedOn),
    });
  }
}
