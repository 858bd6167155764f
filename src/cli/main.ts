/** The `keel` command: parses arguments, runs one command, turns failures into one line and an exit code. */

import { KeelError } from '../domain/errors.ts';
import { metricsCommand, optimiseCommand, pacingCommand, projectCommand } from './commands/allocation.ts';
import { auditCheckpointCommand, auditVerifyCommand } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { committeeCommand } from './commands/committee.ts';
import { creditCommand } from './commands/credit.ts';
import { dealCommand } from './commands/deal.ts';
import { demoCommand } from './commands/demo.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { ledgerCommand } from './commands/ledger.ts';
import { programmeCommand } from './commands/programme.ts';
import { reportCommand } from './commands/report.ts';
import { ioCommand, researchCommand, scenarioCommand } from './commands/research.ts';
import { serveCommand } from './commands/serve.ts';
import { summaryCommand } from './commands/summary.ts';
import { tokenCommand } from './commands/token.ts';
import { userCommand } from './commands/user.ts';
import { reportFailure, UsageError } from './errors.ts';
import { LOCAL_ONLY } from './handover-client.ts';
import { hosted, out } from './io.ts';
import { parseCommandLine } from './options.ts';

const HELP = `keel: the operating platform for a strategic-industrial capital programme

  keel start                               initialise on first run, show the summary, serve on :8080
  keel serve                               serve the API on PORT (default 8080) without initialising
  keel demo [--data DIR] [--deals N] [--seed N]
                                           serve a synthetic demo programme (seeded once) from its own
                                           folder, default ./keel-demo-data or KEEL_DEMO_DATA; never real data
  keel user add ID EMAIL ROLE [--name N]   add a user (password from KEEL_PASSWORD or stdin; 15+ characters)
  keel user disable ID                     disable a user: sessions end, every API token is revoked
  keel user totp-reset ID                  turn off a user's TOTP second factor (a lost phone)
  keel user role request ID ROLE --reason R | approve N | deny N | list
                                           role changes: one admin asks, another approves
  keel token list [--user ID] | revoke ID  API tokens (never their secrets) / revoke one
  keel init [--programme FILE] [--no-reference]
                                           create the database, load taxonomy, programme, reference deals
  keel summary [--json]                    targets, counted to date, by year/area/sub-area/instrument, caps
  keel import companies|deals|ledger FILE  import a CSV file: all rows or none [--key K]
  keel deal list [--stage S]               deals in the pipeline
  keel deal move DEAL STAGE [--key K]      move a deal to another stage
  keel committee agenda | add DEAL… --date YYYY-MM-DD | remove ITEM | decide DEAL DECISION --date YYYY-MM-DD [--conditions "a; b"]
                                           the agenda with votes cast; the chair records a decision
  keel ledger add --deal D --kind K --amount 1234.56 --date YYYY-MM-DD [--key K] [--note N]
  keel programme load FILE | history       record a new programme version / list versions
  keel audit verify [--checkpoint FILE]    check the audit chain, each ledger row against it, the kept
                                           totals and cap usage, and the chain against signed checkpoints
  keel audit checkpoint                    sign the audit head (key outside the database), print it to keep
  keel backup FILE [--force]               a consistent snapshot of the whole database (PGlite dump or pg_dump)
  keel restore FILE [--force]              replace the database with a backup, then verify its audit chain
  keel pacing [--date YYYY-MM-DD]          plan vs counted, run-rates, required run-rates, status
  keel metrics [--by deal|subArea|area|vintage|book] [--date D]   equity book DPI, TVPI, MOIC, XIRR
  keel project [--paths 100000] [--seed N] [--quarters 40]        Monte Carlo bands of the equity book
  keel optimise --year 2027 [--budget DOLLARS] [--gap 0.001] [--seconds 10]
                [--resilience-from analyst|analyst_first|research_first]   best pipeline deals (HiGHS)
  keel report --quarter 2026Q4 | --month 2026-11 [--format pdf|html] [--out FILE]   progress / pipeline report
  keel research score [--json]             criticality of every node of the dependency graph (USGS and EU methods)
  keel research materials [--json]         each material as the USGS MCS 2025 release prints it, with file, row, column
  keel scenario list | run FILE|ID [--key K]   run a shock scenario: exposures, paths, capital at risk
  keel io impact --sector CODE|--sub-area ID --change=-0.1 [--model supply|demand] [--level summary|detail|benchmark-1997] [--year 1997..2015] [--json]   economy-wide impact (BEA 2015 summary by default)
  keel io imports [--year 1997..2015] [--sector CODE|--sub-area ID[,ID…]] [--json]   imported inputs per dollar of final demand (BEA), or their path 1997–2015
  keel credit irb --pd P --lgd L --maturity M [--sales S] [--json]
                                           Basel II corporate IRB figures for one exposure (S in EUR millions)
  keel credit grade COMPANY --grade N --reason R [--key K] | grades COMPANY
                                           assign an obligor a grade of data/credit/grade-scale.json / its history
  keel credit covenants FACILITY [--as-of D] [--json] | watchlist [--as-of D] [--json]
                                           covenant tests (pass, breach, not tested) / obligors in breach
  keel credit financials FILE.csv [--key K]  borrowers' financials per period, all rows or none
  keel credit book [--as-of YYYY-MM-DD] [--json]   EAD, EL and arrears per facility; totals; concentration
  keel credit portfolio-risk [--pd P] [--lgd L] [--scenarios 10000] [--seed S] [--confidence 0.99,0.999]
                [--level core_area|sub_area] [--correlation R] [--json]
                                           Monte Carlo loss distribution of the lending book: EL, VaR, ES
  keel credit stress --scenario ID [--as-of YYYY-MM-DD] [--json]
                                           a shipped research scenario's downgrades: base vs stressed EL
  keel credit question FACILITY --kind terms_amendment --terms FILE.json | --kind waiver|covenant_amendment|acceleration
                --covenant ID --test-on D  --reason SUMMARY --date MEETING [--key K]
                                           put new terms, or an action on one covenant breach, to the committee
  keel credit questions [FACILITY] [--open] [--json] | decide QUESTION DECISION --date D [--conditions "a; b"]
                                           credit questions with their votes / the chair records the decision
  keel credit apply QUESTION [--note N] [--key K]   apply an approved question once (new terms, or the breach action)

Environment: KEEL_DATA (embedded data folder, default ./keel-data), DATABASE_URL (use a PostgreSQL server),
  PORT (default 8080), KEEL_HOST (default 127.0.0.1), KEEL_SECURE_COOKIES=1 behind HTTPS,
  KEEL_AUDIT_KEY (audit signing key file, default KEEL_DATA.audit-key.pem or ~/.config/keel/audit-key.pem)
  KEEL_METRICS_TOKEN (Bearer token for GET /metrics; /healthz and /readyz need none)

While a server runs on the embedded data folder, commands are handed to it and print the same output
(backup and restore need it stopped). With no admin yet, the server prints a one-time setup link.
`;

export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    const [command, action, ...rest] = positionals;
    if (values.help || command === 'help' || !command) {
      out(HELP);
      return command || values.help ? 0 : 2;
    }
    if (hosted() && LOCAL_ONLY.has(command))
      throw new KeelError('data_folder_locked', `keel ${command} cannot run inside the Keel server`);
    switch (command) {
      case 'start':
        return await serveCommand({ init: true, runCommand: main });
      case 'serve':
        return await serveCommand({ init: false, runCommand: main });
      case 'demo':
        return await demoCommand({
          data: values.data,
          deals: values.deals,
          seed: values.seed,
          runCommand: main,
        });
      case 'user':
        return await userCommand(action, rest, { name: values.name, key: values.key, reason: values.reason });
      case 'token':
        return await tokenCommand(action, rest, { user: values.user });
      case 'init':
        return await initCommand({ programme: values.programme, reference: !values['no-reference'] });
      case 'summary':
        return await summaryCommand({ json: values.json ?? false });
      case 'import':
        return await importCommand(action, rest[0], { key: values.key });
      case 'deal':
        return await dealCommand(action, rest, { key: values.key, stage: values.stage });
      case 'committee':
        return await committeeCommand(action, rest, {
          date: values.date,
          conditions: values.conditions,
          key: values.key,
        });
      case 'ledger':
        return await ledgerCommand(action, values);
      case 'programme':
        return await programmeCommand(action, rest[0]);
      case 'pacing':
        return await pacingCommand({ date: values.date });
      case 'metrics':
        return await metricsCommand({ by: values.by, date: values.date });
      case 'project':
        return await projectCommand({ paths: values.paths, seed: values.seed, quarters: values.quarters });
      case 'optimise':
      case 'optimize':
        return await optimiseCommand({
          year: values.year,
          budget: values.budget,
          gap: values.gap,
          seconds: values.seconds,
          resilienceFrom: values['resilience-from'],
        });
      case 'report':
        return await reportCommand({
          quarter: values.quarter,
          month: values.month,
          format: values.format,
          out: values.out,
        });
      case 'research':
        return await researchCommand(action, { json: values.json ?? false });
      case 'scenario':
        return await scenarioCommand(action, rest[0], { key: values.key });
      case 'io':
        return await ioCommand(action, values);
      case 'credit':
        return await creditCommand(action, rest, {
          grade: values.grade,
          reason: values.reason,
          key: values.key,
          asOf: values['as-of'],
          pd: values.pd,
          lgd: values.lgd,
          maturity: values.maturity,
          sales: values.sales,
          scenarios: values.scenarios,
          scenario: values.scenario,
          seed: values.seed,
          confidence: values.confidence,
          level: values.level,
          correlation: values.correlation,
          kind: values.kind,
          terms: values.terms,
          covenant: values.covenant,
          testOn: values['test-on'],
          date: values.date,
          conditions: values.conditions,
          note: values.note,
          open: values.open,
          json: values.json ?? false,
        });
      case 'backup':
        return await backupCommand(action, { force: values.force ?? false });
      case 'restore':
        return await restoreCommand(action, { force: values.force ?? false });
      case 'audit':
        if (action === 'verify') return await auditVerifyCommand({ checkpoint: values.checkpoint });
        if (action === 'checkpoint') return await auditCheckpointCommand();
        throw new UsageError('keel audit verify [--checkpoint FILE] | keel audit checkpoint');
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportFailure(error);
  }
}
