/** The options every `keel` command may take, and the parse of a command line, strict: an unknown option is a usage error. */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export const OPTIONS = {
  json: { type: 'boolean' },
  key: { type: 'string' },
  stage: { type: 'string' },
  deal: { type: 'string' },
  kind: { type: 'string' },
  amount: { type: 'string' },
  date: { type: 'string' },
  note: { type: 'string' },
  programme: { type: 'string' },
  name: { type: 'string' },
  reason: { type: 'string' },
  user: { type: 'string' },
  by: { type: 'string' },
  paths: { type: 'string' },
  seed: { type: 'string' },
  quarters: { type: 'string' },
  year: { type: 'string' },
  budget: { type: 'string' },
  gap: { type: 'string' },
  seconds: { type: 'string' },
  'resilience-from': { type: 'string' },
  sector: { type: 'string' },
  'sub-area': { type: 'string' },
  change: { type: 'string' },
  model: { type: 'string' },
  level: { type: 'string' },
  quarter: { type: 'string' },
  month: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  checkpoint: { type: 'string' },
  'no-reference': { type: 'boolean' },
  conditions: { type: 'string' },
  pd: { type: 'string' },
  lgd: { type: 'string' },
  maturity: { type: 'string' },
  sales: { type: 'string' },
  grade: { type: 'string' },
  'as-of': { type: 'string' },
  scenarios: { type: 'string' },
  scenario: { type: 'string' },
  confidence: { type: 'string' },
  correlation: { type: 'string' },
  force: { type: 'boolean' },
  data: { type: 'string' },
  deals: { type: 'string' },
  terms: { type: 'string' },
  covenant: { type: 'string' },
  'test-on': { type: 'string' },
  open: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
