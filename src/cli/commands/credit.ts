/** `keel credit …`: the credit book's commands. */
import { irbFigures, irbQuerySchema } from '../../app/credit/irb.ts';
import { UsageError } from '../errors.ts';
import { out } from '../io.ts';
import { table } from '../output.ts';
import { cliActor } from '../session.ts';
import { parseOrUsage } from './validate.ts';

const USAGE = 'keel credit irb --pd P --lgd L --maturity M [--sales S] [--json]';

/** `keel credit irb`: the corporate IRB risk-weight function for one exposure; needs no database. */
export async function creditCommand(
  action: string | undefined,
  options: {
    pd?: string | undefined;
    lgd?: string | undefined;
    maturity?: string | undefined;
    sales?: string | undefined;
    json: boolean;
  },
): Promise<number> {
  if (action !== 'irb') throw new UsageError(USAGE);
  const query = parseOrUsage(
    irbQuerySchema,
    { pd: options.pd, lgd: options.lgd, maturity: options.maturity, sales: options.sales },
    {},
  );
  const figures = irbFigures(cliActor(), query);
  if (options.json) {
    out(`${JSON.stringify(figures, null, 2)}\n`);
    return 0;
  }
  out(
    `${table(
      ['figure', 'value'],
      [
        ['correlation R', figures.correlation.toFixed(6)],
        ['maturity adjustment b', figures.maturityAdjustment.toFixed(6)],
        ['capital K (per unit of EAD)', figures.capitalK.toFixed(6)],
        ['risk weight K × 12.5', `${(figures.riskWeight * 100).toFixed(2)}%`],
      ],
      ['l', 'r'],
    )}\n${figures.source}\n`,
  );
  return 0;
}
