/**
 * Reshoring as the public side sees it: the capacity the portfolio's deals add to a material is a figure
 * about those deals, so it follows small-cell suppression (disclosure.ts) like money does. The portfolio
 * total per material and each projected year's cumulative addition are shown only where at least k deals
 * stand behind them and no subtraction (one year minus the year before, the total minus the others) gives
 * fewer away.
 */
import { cellsToSuppress, type DisclosurePolicy, type DisclosureRelation } from './disclosure.ts';

export interface CapacityRecord {
  dealId: string;
  unit: string;
  onlineYear: number;
}

/** Whether the material's portfolio total is shown, and which projected years' additions are. */
export function reshoringDisclosure(
  additions: readonly CapacityRecord[],
  unit: string,
  projectionYears: readonly number[],
  policy: DisclosurePolicy,
): { totalShown: boolean; yearShown: (year: number) => boolean } {
  const cells = new Map<string, Set<string>>();
  const add = (id: string, dealId: string) => cells.set(id, (cells.get(id) ?? new Set()).add(dealId));
  const years = [...projectionYears].sort((a, b) => a - b);
  const first = years[0] ?? Number.POSITIVE_INFINITY;
  const last = years.at(-1) ?? Number.NEGATIVE_INFINITY;
  for (const a of additions) {
    add('all', a.dealId);
    if (a.unit !== unit) {
      add('other-unit', a.dealId);
      continue;
    }
    add('unit', a.dealId);
    if (a.onlineYear > last) add('after', a.dealId);
    else add(`step:${Math.max(a.onlineYear, first)}`, a.dealId);
    for (const year of years) if (a.onlineYear <= year) add(`cumulative:${year}`, a.dealId);
  }
  const relations: DisclosureRelation[] = [{ parent: 'all', children: ['unit', 'other-unit'] }];
  years.forEach((year, i) => {
    relations.push({
      parent: `cumulative:${year}`,
      children: i === 0 ? [`step:${year}`] : [`cumulative:${years[i - 1]}`, `step:${year}`],
    });
  });
  if (years.length) relations.push({ parent: 'unit', children: [`cumulative:${last}`, 'after'] });
  const hidden = cellsToSuppress(cells, relations, policy);
  return {
    totalShown: !hidden.has('all'),
    yearShown: (year) => !hidden.has(`cumulative:${year}`),
  };
}
