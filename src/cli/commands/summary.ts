import { programmeSummary } from '../../app/summary.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { byStage, compactAmount, exactAmount, formatShare, label } from '../../domain/format.ts';
import { publicRecordLines } from '../../domain/public-record/record-summary.ts';
import type { ProgrammeSummary } from '../../domain/summary.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor, withKeel } from '../session.ts';

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
          compactAmount(s.targets.total),
          exactAmount(s.counted.total),
          formatShare(s.counted.total, s.targets.total),
        ],
        [
          'baseline',
          compactAmount(s.targets.baseline),
          exactAmount(s.counted.baseline),
          formatShare(s.counted.baseline, s.targets.baseline),
        ],
        [
          'incremental',
          compactAmount(s.targets.incremental),
          exactAmount(s.counted.incremental),
          formatShare(s.counted.incremental, s.targets.incremental),
        ],
        ['own balance sheet', '', exactAmount(s.counted.own), formatShare(s.counted.own, s.counted.total)],
        [
          'facilitated',
          '',
          exactAmount(s.counted.facilitated),
          formatShare(s.counted.facilitated, s.counted.total),
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
        compactAmount(y.plan),
        exactAmount(y.counted),
        compactAmount(y.cumulativePlan),
        exactAmount(y.cumulativeCounted),
      ]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  if (s.byArea.length) {
    lines.push('', 'By area');
    lines.push(
      table(
        ['area', 'counted'],
        s.byArea.map((a) => [a.key, exactAmount(a.counted)]),
        ['l', 'r'],
      ),
    );
    lines.push('', 'By sub-area');
    lines.push(
      table(
        ['sub-area', 'counted'],
        s.bySubArea.map((a) => [a.key, exactAmount(a.counted)]),
        ['l', 'r'],
      ),
    );
    lines.push('', 'By instrument');
    lines.push(
      table(
        ['instrument', 'side', 'committed', 'counted'],
        s.byInstrument.map((a) => [a.key, a.side, exactAmount(a.committed), exactAmount(a.counted)]),
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
        exactAmount(c.limit),
        exactAmount(c.used),
        exactAmount(c.headroom),
      ]),
      ['l', 'l', 'r', 'r', 'r'],
    ),
  );
  lines.push('', 'Pipeline');
  lines.push(
    table(
      ['stage', 'deals', 'amount'],
      [...s.pipeline]
        .sort(byStage((p) => p.stage))
        .map((p) => [label(p.stage), p.deals, exactAmount(p.amount)]),
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
