/**
 * Writes of the public record: reported deals and peer awards, from the shipped files at init or from an
 * analyst's CSV import, all rows or none. What a row's words only imply (its sub-area, its peer programme,
 * its company's state) is resolved here against the analyst's settings; a row that cannot be resolved fails
 * the whole file, named by line and column.
 */
import type { Transaction } from 'kysely';
import {
  bookedDealReported,
  insertPeerAward,
  statementSources,
  upsertReportedDeal,
  upsertStatement,
} from '../../db/public-record-repo.ts';
import type { Schema } from '../../db/schema.ts';
import { subAreaNames } from '../../db/taxonomy-repo.ts';
import { KeelError } from '../../domain/errors.ts';
import { awardId, awardStage, type PeerAwardRow } from '../../domain/public-record/peer-award.ts';
import { type ReportedDealRow, reportedDeal } from '../../domain/public-record/reported-deal.ts';
import { subAreaFor } from '../../domain/public-record/sub-areas.ts';
import { stateFipsOf } from '../../domain/public-record/us-states.ts';
import { authorize } from '../../domain/roles.ts';
import type { BatchOptions } from '../batch.ts';
import type { Actor, AppContext } from '../context.ts';
import { runWrite } from '../write.ts';
import type { WriteKey } from '../write-key.ts';
import { companyPlaces, peerProgrammes, programmeOf, subAreaRules } from './files.ts';

export interface PublicRecordWrite extends BatchOptions {
  /** Where the rows come from, kept on each row: `data/public-record/sri-deals.csv` or `import <sha>`. */
  origin: string;
  /** The file line of each row, for errors and for the row's origin. */
  lines?: number[];
}

/** Collects every row's problem, then fails the whole file at once, as the CSV validation does. */
class RowProblems {
  readonly list: string[] = [];
  constructor(private readonly options: PublicRecordWrite) {}
  add(index: number, column: string, message: string) {
    const line = this.options.lines?.[index];
    this.list.push(
      `${line === undefined ? `row ${index + 1}` : `line ${line}`}, field ${column}: ${message}`,
    );
  }
  throwIfAny(what: string) {
    if (!this.list.length) return;
    throw new KeelError(
      'invalid_rows',
      `${what} file has ${this.list.length} invalid row(s); nothing was imported:\n${this.list.slice(0, 20).join('\n')}`,
      { errors: this.list.slice(0, 20), errorCount: this.list.length },
    );
  }
}

async function knownSubAreas(tx: Transaction<Schema>) {
  const rows = await subAreaNames(tx);
  const ids = new Set(rows.map((r) => r.id));
  /** Words no rule knows may still name a sub-area of the taxonomy outright ("shipbuilding"). */
  const named = (text: string): string | null => {
    const says = (phrase: string) =>
      new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text);
    return rows.find((r) => says(r.name) || says(r.id.replace(/-/g, ' ')))?.id ?? null;
  };
  return { has: (id: string) => ids.has(id), named };
}

const originOf = (options: PublicRecordWrite, index: number) =>
  `${options.origin}, line ${options.lines?.[index] ?? index + 2}`;

export async function addReportedDeals(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  rows: ReportedDealRow[],
  options: PublicRecordWrite,
) {
  authorize(actor, 'imports.public_record');
  const rules = subAreaRules();
  const places = companyPlaces();
  return runWrite(
    ctx,
    { actor, action: 'public_record.deals', key, request: { rows }, subject: 'public-record' },
    async (tx) => {
      const subAreas = await knownSubAreas(tx);
      const problems = new RowProblems(options);
      const resolved = rows.map((row, index) => {
        const deal = reportedDeal(row);
        const subAreaId = row.subAreaId ?? subAreaFor(row.subArea, rules) ?? subAreas.named(row.subArea);
        if (subAreaId === null || !subAreas.has(subAreaId))
          problems.add(
            index,
            row.subAreaId ? 'sub_area_id' : 'sub_area',
            subAreaId === null
              ? `no rule of data/public-record/sub-area-rules.json matches "${row.subArea}"; add a sub_area_id column`
              : `"${subAreaId}" is not a sub-area of the taxonomy`,
          );
        const place = places.find((p) => p.company === row.company);
        const stateFips = row.state.stateFips[0] ?? (place ? (stateFipsOf(place.state) ?? null) : null);
        if (row.state.stateFips.length > 1)
          problems.add(index, 'state', "a reported deal names one state (its company's)");
        const countyFips = row.countyFips ?? (row.state.text === '' ? place?.countyFips : undefined) ?? null;
        if (countyFips !== null && stateFips !== null && !countyFips.startsWith(stateFips))
          problems.add(index, 'county_fips', `${countyFips} is not a county of state ${stateFips}`);
        return { deal, subAreaId: subAreaId ?? '', stateFips, countyFips, index };
      });
      problems.throwIfAny('public-deals');
      const duplicate = resolved.find((r, i) => resolved.findIndex((o) => o.deal.id === r.deal.id) !== i);
      if (duplicate) {
        problems.add(
          duplicate.index,
          'company',
          `a second row for ${duplicate.deal.company} on ${duplicate.deal.reportedOn}`,
        );
        problems.throwIfAny('public-deals');
      }
      let linked = 0;
      for (const [n, r] of resolved.entries()) {
        options.signal?.throwIfAborted();
        const { deal } = r;
        // A deal Keel already books (the reference Perpetua investment) is the same deal, not a second one:
        // the report links to it when the company and the bank's own amount agree.
        const booked =
          deal.ownAmount === null || deal.status !== 'verified' || deal.precursor
            ? undefined
            : await bookedDealReported(tx, deal.company, deal.ownAmount);
        if (booked) linked++;
        await upsertReportedDeal(tx, deal.id, {
          reported_on: deal.reportedOn,
          company: deal.company,
          instrument: deal.instrument,
          reported_amount_cents: deal.reportedAmount,
          own_amount_cents: deal.ownAmount,
          amount_basis: deal.amountBasis,
          roles: JSON.stringify(deal.roles),
          sub_area_text: deal.subAreaText,
          sub_area_id: r.subAreaId,
          status: deal.status,
          precursor: deal.precursor,
          state_fips: r.stateFips,
          county_fips: r.countyFips,
          sources: JSON.stringify(deal.sources),
          deal_id: booked?.id ?? null,
          origin: originOf(options, r.index),
          recorded_by: actor.id,
        });
        options.onProgress?.(n + 1, resolved.length);
      }
      return {
        result: { added: resolved.length, linkedToBookedDeals: linked },
        audit: { count: resolved.length, origin: options.origin },
      };
    },
  );
}

/** A source URL's statement: the same whitehouse.gov address, or a stored copy under the statement's path. */
function statementFor(urls: string[], statements: { path: string; source_url: string }[]): string | null {
  const trim = (u: string) => u.replace(/\/+$/, '');
  for (const url of urls) {
    const found =
      statements.find((s) => trim(s.source_url) === trim(url)) ??
      statements.find((s) => url.endsWith(`/${s.path}`));
    if (found) return found.path;
  }
  return null;
}

export async function addPeerAwards(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  rows: PeerAwardRow[],
  options: PublicRecordWrite,
) {
  authorize(actor, 'imports.public_record');
  const rules = subAreaRules();
  const programmes = peerProgrammes();
  return runWrite(
    ctx,
    { actor, action: 'public_record.awards', key, request: { rows }, subject: 'peer-awards' },
    async (tx) => {
      const subAreas = await knownSubAreas(tx);
      const statements = await statementSources(tx);
      const problems = new RowProblems(options);
      const resolved = rows.map((row, index) => {
        const programme = programmeOf(programmes, row.programme);
        if (!programme)
          problems.add(
            index,
            'programme',
            `"${row.programme}" is none of the peer programmes in data/governance/peer-programmes.json`,
          );
        const fallback = programme?.subAreas.length === 1 ? programme.subAreas[0] : undefined;
        const subAreaId =
          row.subAreaId ??
          subAreaFor(row.technology, rules) ??
          subAreas.named(row.technology) ??
          fallback ??
          null;
        if (subAreaId === null || !subAreas.has(subAreaId))
          problems.add(
            index,
            row.subAreaId ? 'sub_area_id' : 'technology_or_sub_area',
            subAreaId === null
              ? `no rule of data/public-record/sub-area-rules.json matches "${row.technology}"; add a sub_area_id column`
              : `"${subAreaId}" is not a sub-area of the taxonomy`,
          );
        return { row, id: awardId(row), programmeId: programme?.id ?? '', subAreaId: subAreaId ?? '', index };
      });
      problems.throwIfAny('peer-awards');
      const duplicate = resolved.find((r, i) => resolved.findIndex((o) => o.id === r.id) !== i);
      if (duplicate) {
        problems.add(
          duplicate.index,
          'row',
          'the same award (programme, recipient, date, amount, status) appears twice',
        );
        problems.throwIfAny('peer-awards');
      }
      let added = 0;
      for (const [n, { row, id, programmeId, subAreaId, index }] of resolved.entries()) {
        options.signal?.throwIfAborted();
        const urls = row.source.flatMap((s) => (s.url ? [s.url] : []));
        const inserted = await insertPeerAward(tx, {
          id,
          programme: row.programme,
          programme_id: programmeId,
          recipient: row.recipient,
          technology: row.technology,
          amount_cents: row.amount,
          date_text: row.date?.text ?? '',
          date_start: row.date?.start ?? null,
          date_end: row.date?.end ?? null,
          state_text: row.state.text,
          state_fips: JSON.stringify(row.state.stateFips),
          outside_us: JSON.stringify(row.state.outsideUs),
          status: row.status,
          stage: awardStage(row.status)!,
          sub_area_id: subAreaId,
          sources: JSON.stringify(row.source),
          statement_path: statementFor(urls, statements),
          origin: originOf(options, index),
          recorded_by: actor.id,
        });
        if (inserted) added++;
        options.onProgress?.(n + 1, resolved.length);
      }
      return {
        result: { added, alreadyKnown: resolved.length - added },
        audit: { count: resolved.length, origin: options.origin },
      };
    },
  );
}

/** The statements are reference text: loaded once per edition of the files, replaced as a whole. */
export async function loadStatements(
  ctx: AppContext,
  actor: Actor,
  key: WriteKey,
  statements: {
    path: string;
    issuedOn: string;
    title: string;
    sourceUrl: string;
    topics: string[];
    body: string;
  }[],
) {
  authorize(actor, 'imports.run');
  return runWrite(
    ctx,
    {
      actor,
      action: 'public_record.statements',
      key,
      request: { count: statements.length },
      subject: 'statements',
    },
    async (tx) => {
      for (const s of statements) {
        await upsertStatement(tx, s.path, {
          issued_on: s.issuedOn,
          title: s.title,
          source_url: s.sourceUrl,
          topics: JSON.stringify(s.topics),
          body: s.body,
        });
      }
      return { result: { statements: statements.length }, audit: { count: statements.length } };
    },
  );
}
