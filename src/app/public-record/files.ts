/**
 * The public record's shipped files (data/public-record/, copied from ../shared/data/public-deals with
 * their SOURCE notes) and the analyst's settings read beside them: sub-area rules, company places, and the
 * peer programmes an award's programme column belongs to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { subAreaRulesSchema } from '../../domain/public-record/sub-areas.ts';
import { DATA_DIR, readJson } from '../data-files.ts';

export const PUBLIC_RECORD_DIR = join(DATA_DIR, 'public-record');
export const REPORTED_DEALS_FILE = join(PUBLIC_RECORD_DIR, 'sri-deals.csv');
export const PEER_AWARDS_FILE = join(PUBLIC_RECORD_DIR, 'peer-awards.csv');
export const STATEMENTS_DIR = join(PUBLIC_RECORD_DIR, 'white-house-statements');

export const subAreaRules = () =>
  subAreaRulesSchema.parse(readJson(join(PUBLIC_RECORD_DIR, 'sub-area-rules.json')));

const placesSchema = z.object({
  source: z.string(),
  places: z.array(
    z.object({
      company: z.string().min(1),
      state: z.string().regex(/^[A-Z]{2}$/),
      countyFips: z
        .string()
        .regex(/^\d{5}$/)
        .optional(),
      evidence: z.string().min(3),
    }),
  ),
});
export const companyPlaces = () =>
  placesSchema.parse(readJson(join(PUBLIC_RECORD_DIR, 'places.json'))).places;

const peerProgrammeSchema = z.object({
  id: z.string(),
  name: z.string(),
  sponsor: z.string(),
  kind: z.enum(['bank', 'fund', 'sovereign', 'government']),
  names: z.array(z.string().min(1)).min(1),
  subAreas: z.array(z.string()).min(1),
  source: z.string().min(1),
});
export type PeerProgramme = z.infer<typeof peerProgrammeSchema>;

export const peerProgrammes = (): PeerProgramme[] =>
  z
    .object({ programmes: z.array(peerProgrammeSchema) })
    .parse(readJson(join(DATA_DIR, 'governance', 'peer-programmes.json'))).programmes;

/** The peer programme an award's programme column names, or undefined when none of the patterns match. */
export const programmeOf = (programmes: PeerProgramme[], name: string) =>
  programmes.find((p) => p.names.some((pattern) => new RegExp(pattern, 'i').test(name)));

export interface StatementFile {
  path: string;
  issuedOn: string;
  title: string;
  sourceUrl: string;
  topics: string[];
  body: string;
}

/** A YAML scalar as the scraper wrote it: plain, or double-quoted and folded over lines with `\` escapes. */
function yamlScalar(lines: string[]): string {
  const text = lines.join('\n').trim();
  if (!text.startsWith('"')) return text.replace(/^'|'$/g, '').replace(/\s*\n\s*/g, ' ');
  return text
    .slice(1, text.lastIndexOf('"'))
    .replace(/\\\n\s*\\?/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\\_/g, '\u00a0')
    .replace(/\\"/g, '"')
    .replace(/\\\\/g, '\\');
}

function frontMatter(text: string): { fields: Map<string, string>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  const fields = new Map<string, string>();
  if (!match) return { fields, body: text };
  let key: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (key !== null) fields.set(key, yamlScalar(lines));
  };
  for (const line of match[1]!.split('\n')) {
    const field = /^([a-z_]+):\s?(.*)$/.exec(line);
    if (field) {
      flush();
      key = field[1]!;
      lines = [field[2]!];
    } else lines.push(line);
  }
  flush();
  return { fields, body: text.slice(match[0].length) };
}

/** The 82 statements, read from their markdown files; index.csv gives each one's topics. */
export function statementFiles(): StatementFile[] {
  const index = parse(readFileSync(join(STATEMENTS_DIR, 'index.csv')), { columns: true }) as Array<
    Record<string, string>
  >;
  const topics = new Map(index.map((r) => [r.path!, (r.matched_topics ?? '').split(';').filter(Boolean)]));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.md')) files.push(join(dir, entry.name));
    }
  };
  walk(STATEMENTS_DIR);
  return files.sort().map((file) => {
    const path = relative(STATEMENTS_DIR, file).split('\\').join('/');
    const { fields, body } = frontMatter(readFileSync(file, 'utf8'));
    return {
      path,
      issuedOn: fields.get('date') ?? '',
      title: fields.get('title') ?? path,
      sourceUrl: fields.get('source_url') ?? '',
      topics: topics.get(path) ?? [],
      body: body.trim(),
    };
  });
}
