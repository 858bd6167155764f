/** Reading the network: candidates for a deal, an organisation's neighbourhood, activity and concentration. */

import { z } from 'zod';
import { dealPlace } from '../../db/deals-repo.ts';
import {
  committedActivity,
  committedHistory,
  coParticipants,
  investorOrganisations,
  organisation,
  organisationNames,
  organisationTies,
  participationsOf,
  relationshipsOf,
} from '../../db/network-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import { positiveAmount } from '../../domain/fields.ts';
import { dealTitle } from '../../domain/format.ts';
import {
  type CandidateFacts,
  concentration,
  countsTowardProgramme,
  rankCandidates,
} from '../../domain/network.ts';
import { authorize } from '../../domain/roles.ts';
import type { Actor, AppContext } from '../context.ts';
import { currentProgramme } from '../programme.ts';

export const candidatesQuerySchema = z.object({
  gap: positiveAmount,
  top: z.coerce.number().int().min(1).max(100).default(10),
});

/** Co-investors and syndicate members for a deal that needs `gap` more capital, best first, each explained. */
export async function candidatesFor(
  ctx: AppContext,
  actor: Actor,
  dealId: string,
  query: z.infer<typeof candidatesQuerySchema>,
) {
  authorize(actor, 'network.read');
  const db = ctx.database.db;
  const deal = await dealPlace(db, dealId);
  if (!deal) throw new KeelError('not_found', `no deal "${dealId}"`);
  if (query.gap <= 0n) throw new KeelError('invalid_gap', 'the gap to fill must be more than zero');
  const [orgs, history, relations] = await Promise.all([
    investorOrganisations(db),
    committedHistory(db, dealId),
    organisationTies(db),
  ]);
  const facts: CandidateFacts[] = orgs.map((o) => {
    const own = relations.filter((r) => r.from_organisation === o.id);
    const tie = own.find(
      (r) => (r.kind === 'board_seat' || r.kind === 'ownership_stake') && r.company_id === deal.company_id,
    );
    return {
      organisation: o,
      history: history
        .filter((h) => h.organisation_id === o.id)
        .map((h) => ({
          subAreaId: h.sub_area_id,
          areaId: h.area_id,
          amount: h.amount_cents,
        })),
      existingClient: own.some((r) => r.kind === 'client_of'),
      conflict:
        o.companyId === deal.company_id
          ? 'it is the company itself'
          : tie
            ? `${tie.kind.replace('_', ' ')} in the company`
            : null,
    };
  });
  const ranked = facts.length
    ? rankCandidates(
        { subAreaId: deal.sub_area_id, areaId: deal.area_id, companyId: deal.company_id },
        query.gap,
        facts,
      )
    : [];
  return {
    dealId,
    gap: query.gap,
    candidates: ranked.slice(0, query.top),
    excluded: ranked.filter((r) => r.excluded),
  };
}

export async function neighbourhood(ctx: AppContext, actor: Actor, organisationId: string) {
  authorize(actor, 'network.read');
  const db = ctx.database.db;
  const centre = await organisation(db, organisationId);
  if (!centre) throw new KeelError('not_found', `no organisation "${organisationId}"`);
  const [relations, participations] = await Promise.all([
    relationshipsOf(db, organisationId),
    participationsOf(db, organisationId),
  ]);
  // Co-participants: who else stood in the same deals.
  const dealIds = [...new Set(participations.map((p) => p.deal_id))];
  const beside = await coParticipants(db, dealIds, organisationId);
  const orgIds = new Set<string>([organisationId]);
  for (const r of relations) {
    if (r.from_organisation) orgIds.add(r.from_organisation);
    orgIds.add(r.to_organisation);
  }
  for (const b of beside) orgIds.add(b.organisation_id);
  const names = await organisationNames(db, [...orgIds]);
  return {
    centre,
    organisations: names,
    relationships: relations.map((r) => ({
      id: r.id,
      kind: r.kind,
      from: r.from_organisation ?? `person:${r.from_person}`,
      to: r.to_organisation,
      businessLine: r.business_line,
      percent: r.percent === null ? null : Number(r.percent),
      since: r.since,
      source: r.source,
    })),
    participations: participations.map((p) => ({
      id: p.id,
      dealId: p.deal_id,
      // The deal's own title (its name, or its company and instrument), not the participation's instrument.
      dealTitle: dealTitle({ name: p.deal_name, company: p.company, instrument: p.deal_instrument }),
      subAreaId: p.sub_area_id,
      role: p.role,
      instrument: p.instrument,
      amountCents: p.amount_cents,
      status: p.status,
    })),
    coParticipants: beside.map((b) => ({
      dealId: b.deal_id,
      organisationId: b.organisation_id,
      role: b.role,
    })),
  };
}

/** Per sub-area, the most active co-investors; and how concentrated the counted facilitated capital is. */
export async function networkActivity(ctx: AppContext, actor: Actor) {
  authorize(actor, 'network.read');
  const db = ctx.database.db;
  const { programme } = await currentProgramme(db);
  const rows = await committedActivity(db);
  const bySubArea = new Map<
    string,
    { organisationId: string; name: string; deals: number; amount: bigint }[]
  >();
  const facilitated = new Map<string, bigint>();
  const names = new Map<string, string>();
  for (const r of rows) {
    names.set(r.organisation_id, r.name);
    const list = bySubArea.get(r.sub_area_id) ?? [];
    const known = list.find((x) => x.organisationId === r.organisation_id);
    if (known) {
      known.deals += Number(r.deals);
      known.amount += BigInt(r.amount);
    } else
      list.push({
        organisationId: r.organisation_id,
        name: r.name,
        deals: Number(r.deals),
        amount: BigInt(r.amount),
      });
    bySubArea.set(r.sub_area_id, list);
    if (
      countsTowardProgramme(programme, {
        instrument: r.instrument,
        arrangedByBank: r.arranged_by_bank,
      })
    ) {
      facilitated.set(r.organisation_id, (facilitated.get(r.organisation_id) ?? 0n) + BigInt(r.amount));
    }
  }
  return {
    subAreas: [...bySubArea.entries()]
      .map(([subAreaId, list]) => ({
        subAreaId,
        coInvestors: list.sort((a, b) => b.deals - a.deals || (b.amount > a.amount ? 1 : -1)).slice(0, 10),
      }))
      .sort((a, b) => a.subAreaId.localeCompare(b.subAreaId)),
    facilitatedConcentration: named(concentration(facilitated), names),
  };
}

/** The concentration's shares with each counterparty's name beside its id. */
function named(c: ReturnType<typeof concentration>, names: ReadonlyMap<string, string>) {
  return { ...c, shares: c.shares.map((x) => ({ ...x, name: names.get(x.id) ?? x.id })) };
}
