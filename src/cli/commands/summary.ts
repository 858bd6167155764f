import { programmeSummary } from '../../app/summary.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { formatCompact, formatDollars } from '../../domain/money.ts';
import { publicRecordLines } from '../../domain/public-record/record-summary.ts';
import type { ProgrammeSummary } from '../../domain/summary.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

const pct = (part: bigint, whole: bigint) =>
  whole === 0n ? '-' : `${(Number((part * 10_000n) / whole) / 100).toFixed(2)}%`;

export function renderSummary(s: ProgrammeSummary): string {
  const lines: string[] = [];
  lines.push(`${s.programme.name}`);
  lines.push(
    `programme version ${s.programme.version}, counting methodology v${s.programme.methodologyVersion}`,
  );
  lines.push('');
  lines.push(
    table(
      ['', 'target', 'counted', 'share'],
      [
        [
          'total',
          formatCompact(s.targets.total),
          formatDollars(s.counted.total),
          pct(s.counted.total, s.targets.total),
        ],
        [
          'baseline',
          formatCompact(s.targets.baseline),
          formatDollars(s.counted.baseline),
          pct(s.counted.baseline, s.targets.baseline),
        ],
        [
          'incremental',
          formatCompact(s.targets.incremental),
          formatDollars(s.counted.incremental),
          pct(s.counted.incremental, s.targets.incremental),
        ],
        ['own balance sheet', '', formatDollars(s.counted.own), pct(s.counted.own, s.counted.total)],
        [
          'facilitated',
          '',
          formatDollars(s.counted.facilitated),
          pct(s.counted.facilitated, s.counted.total),
        ],
      ],
      ['l', 'r', 'r', 'r'],
    ),
  );
  lines.push('');
  lines.push('By year (plan vs counted)');
  lines.push(
    table(
      ['year', 'plan', 'counted', 'cumulative plan', 'cumulative counted'],
      s.byYear.map((y) => [
        y.year,
        formatCompact(y.plan),
        formatDollars(y.counted),
        formatCompact(y.cumulativePlan),
        formatDollars(y.cumulativeCounted),
      ]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  if (s.byArea.length) {
    lines.push('', 'By area');
    lines.push(
      table(
        ['area', 'counted'],
        s.byArea.map((a) => [a.key, formatDollars(a.counted)]),
        ['l', 'r'],
      ),
    );
    lines.push('', 'By sub-area');
    lines.push(
      table(
        ['sub-area', 'counted'],
        s.bySubArea.map((a) => [a.key, formatDollars(a.counted)]),
        ['l', 'r'],
      ),
    );
    lines.push('', 'By instrument');
    lines.push(
      table(
        ['instrument', 'side', 'committed', 'counted'],
        s.byInstrument.map((a) => [a.key, a.side, formatDollars(a.committed), formatDollars(a.counted)]),
        ['l', 'l', 'r', 'r'],
      ),
    );
  }
  lines.push('', 'Caps');
  const programmeCaps = s.caps.filter((c) => c.scopeKey === '*');
  const scoped = s.caps.filter((c) => c.scopeKey !== '*');
  lines.push(
    table(
      ['cap', 'scope', 'limit', 'used', 'headroom'],
      [...programmeCaps, ...scoped].map((c) => [
        c.label,
        c.scopeKey === '*' ? 'programme' : c.scopeKey,
        formatDollars(c.limit),
        formatDollars(c.used),
        formatDollars(c.headroom),
      ]),
      ['l', 'l', 'r', 'r', 'r'],
    ),
  );
  lines.push('', 'Pipeline');
  lines.push(
    table(
      ['stage', 'deals', 'amount'],
      s.pipeline.map((p) => [p.stage, p.deals, formatDollars(p.amount)]),
      ['l', 'r', 'r'],
    ),
  );
  if (s.publicRecord) lines.push('', ...publicRecordLines(s.publicRecord));
  return lines.join('\n');
}

export async function summaryCommand(options: { json: boolean }): Promise<number> {
  const summary = await withKeel((ctx) => programmeSummary(ctx, cliActor()));
  out(options.json ? `${canonicalJson(summary)}\n` : `${renderSummary(summary)}\n`);
  return 0;
}
