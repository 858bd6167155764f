/**
 * `keel init`: applies migrations (done on open), then loads the taxonomy, the programme and the public
 * reference deals shipped in data/. Every step is idempotent, so init can run on every start.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { existingIds } from '../db/sql-helpers.ts';
import { companyInputSchema } from '../domain/company.ts';
import { dealInputSchema, ledgerEntryInputSchema } from '../domain/deal.ts';
import { asIsoDate } from '../domain/fields.ts';
import { organisationSchema, participationInputSchema, relationshipSchema } from '../domain/network.ts';
import { addCompanies } from './companies.ts';
import type { Actor, AppContext } from './context.ts';
import { REFERENCE_DEALS, REFERENCE_PROGRAMME, REFERENCE_TAXONOMY, readJson } from './data-files.ts';
import { openDeals } from './deals.ts';
import { recordLedgerEntries } from './ledger.ts';
import { addOrganisations, addRelationships } from './network/organisations.ts';
import { addParticipation, setParticipationStatus } from './network/stacks.ts';
import { currentProgramme, isInitialised, loadProgramme } from './programme.ts';
import { seedPublicRecord } from './public-record/seed.ts';
import { seedReferenceGraph } from './research/graph.ts';
import { seedShippedScenarios } from './research/scenarios.ts';
import { loadTaxonomy } from './taxonomy.ts';
import { serverKey } from './write-key.ts';

const referenceDealsSchema = z.object({
  source: z.string(),
  companies: z.array(companyInputSchema),
  deals: z.array(dealInputSchema),
  ledger: z.array(ledgerEntryInputSchema),
  organisations: z.array(organisationSchema).default([]),
  relationships: z.array(relationshipSchema).default([]),
  participations: z.array(participationInputSchema).default([]),
});

async function holdsDeals(ctx: AppContext, ids: string[]): Promise<boolean> {
  if (!ids.length) return true;
  // A repeated id is never all held: it counts once among the ids found.
  return (await existingIds(ctx.database.db, 'deals', ids)).size === ids.length;
}

export interface InitReport {
  taxonomy: { areas: number; subAreas: number };
  programmeVersion: number;
  methodologyVersion: number;
  referenceDeals: number;
  research: { nodes: number; scenarios: number };
  publicRecord: { statements: number; reportedDeals: number; peerAwards: number } | null;
}

export async function initKeel(
  ctx: AppContext,
  actor: Actor,
  options: { programmeFile?: string; withReferenceDeals?: boolean } = {},
): Promise<InitReport> {
  const taxonomy = await loadTaxonomy(ctx, actor, readJson(REFERENCE_TAXONOMY));
  // The reference programme is loaded into an empty database only: loading a file makes it the current
  // version, so a start must not put the reference back over a version an admin loaded since.
  const programme =
    options.programmeFile !== undefined || !(await isInitialised(ctx.database.db))
      ? (await loadProgramme(ctx, actor, readJson(options.programmeFile ?? REFERENCE_PROGRAMME))).result
      : await currentProgramme(ctx.database.db);
  let referenceDeals = 0;
  const text = options.withReferenceDeals !== false ? readFileSync(REFERENCE_DEALS, 'utf8') : null;
  const reference = text === null ? null : referenceDealsSchema.parse(JSON.parse(text));
  // A database that already holds the reference deals (loaded from an earlier edition of the file) keeps them.
  if (
    text !== null &&
    reference &&
    !(await holdsDeals(
      ctx,
      reference.deals.map((d) => d.id),
    ))
  ) {
    const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const key = (...parts: string[]) => serverKey('reference', sha, ...parts);
    await addCompanies(ctx, actor, key('companies'), reference.companies);
    await openDeals(ctx, actor, key('deals'), reference.deals);
    await recordLedgerEntries(ctx, actor, key('ledger'), reference.ledger);
    if (reference.organisations.length)
      await addOrganisations(ctx, actor, key('organisations'), reference.organisations);
    if (reference.relationships.length)
      await addRelationships(ctx, actor, key('relationships'), reference.relationships);
    for (const [n, p] of reference.participations.entries()) {
      const { id } = (
        await addParticipation(ctx, actor, key('participation', String(n)), {
          ...p,
          status: 'proposed',
        })
      ).result;
      if (p.status !== 'proposed') {
        await setParticipationStatus(ctx, actor, key('participation', String(n), 'status'), id, {
          status: p.status,
          effectiveOn: asIsoDate('2025-10-27'),
        });
      }
    }
  }
  if (reference) referenceDeals = reference.deals.length;
  // After the reference deals, so that a reported deal Keel already books links to it instead of doubling it.
  const publicRecord = options.withReferenceDeals !== false ? await seedPublicRecord(ctx, actor) : null;
  const researchNodes = await seedReferenceGraph(ctx, actor);
  const scenarios = await seedShippedScenarios(ctx, actor);
  return {
    taxonomy: taxonomy.result,
    programmeVersion: programme.version,
    methodologyVersion: programme.methodologyVersion,
    referenceDeals,
    research: { nodes: researchNodes, scenarios },
    publicRecord,
  };
}
