/**
 * Loads the shipped public record on first start (and on every start, as a replay that writes nothing):
 * the White House statements first, so that awards can link to them, then the reported deals and the
 * peer awards through the same parsers and use cases as an analyst's CSV import.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Actor, AppContext } from '../context.ts';
import { DATA_DIR } from '../data-files.ts';
import { parseImportFile } from '../import.ts';
import { serverKey } from '../write-key.ts';
import { PEER_AWARDS_FILE, REPORTED_DEALS_FILE, statementFiles } from './files.ts';
import { addPeerAwards, addReportedDeals, loadStatements } from './store.ts';

export async function seedPublicRecord(ctx: AppContext, actor: Actor) {
  const statements = statementFiles();
  const dealsText = readFileSync(REPORTED_DEALS_FILE, 'utf8');
  const awardsText = readFileSync(PEER_AWARDS_FILE, 'utf8');
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  const statementsSha = hash(JSON.stringify(statements));
  await loadStatements(ctx, actor, serverKey('public-record', 'statements', statementsSha), statements);
  const deals = await parseImportFile('public-deals', dealsText);
  const awards = await parseImportFile('peer-awards', awardsText);
  const origin = (file: string) => `data/${relative(DATA_DIR, file).split('\\').join('/')}`;
  await addReportedDeals(ctx, actor, serverKey('public-record', 'deals', hash(dealsText)), deals.rows, {
    origin: origin(REPORTED_DEALS_FILE),
    lines: deals.lines,
  });
  await addPeerAwards(
    ctx,
    actor,
    serverKey('public-record', 'awards', hash(awardsText), statementsSha),
    awards.rows,
    { origin: origin(PEER_AWARDS_FILE), lines: awards.lines },
  );
  return { statements: statements.length, reportedDeals: deals.rows.length, peerAwards: awards.rows.length };
}
