/**
 * Permitting bottlenecks as the public side sees them: the same rows as `bottlenecks`, with small-cell
 * suppression (disclosure.ts). A permit type × agency row that fewer than k deals stand behind is merged
 * into one `other` row with no figures; blocked projects and capital are shown only where at least k
 * blocked deals add up to them, in the rows and in the totals, so no row is a total minus the others.
 */
import { cellsToSuppress, type DisclosurePolicy } from './disclosure.ts';
import { type Cents, totalCents } from './money.ts';
import { BLOCKING, bottlenecks, type PermitRecord } from './permitting.ts';

export interface PublicBottleneck {
  kind: string;
  agency: string;
  permits: number | null;
  open: number | null;
  projectsBlocked: number | null;
  capitalBlocked: Cents | null;
  medianDaysInReview: number | null;
  merged?: true;
}

export function publicBottlenecks(permits: readonly PermitRecord[], asOf: string, policy: DisclosurePolicy) {
  const k = policy.minimumCellSize;
  const groups = new Map<string, PermitRecord[]>();
  for (const p of permits) {
    const key = `${p.kind}\u0000${p.agency}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const isOpen = (p: PermitRecord) => {
    const last = p.events.at(-1);
    return last !== undefined && BLOCKING.has(last.stage);
  };
  const deals = (list: readonly PermitRecord[]) => new Set(list.map((p) => p.dealId));
  const inReview = (p: PermitRecord) =>
    p.events.some((e) => e.stage === 'applied' || e.stage === 'under_review');

  // Blocked deals add up across rows to the totals: suppress them as one table.
  const blocked = new Map<string, Set<string>>([['total', deals(permits.filter(isOpen))]]);
  for (const [key, list] of groups) blocked.set(key, deals(list.filter(isOpen)));
  const hiddenBlocked = cellsToSuppress(blocked, [{ parent: 'total', children: [...groups.keys()] }], policy);

  const rows: PublicBottleneck[] = [];
  let merged = false;
  for (const [key, list] of groups) {
    if (deals(list).size < k) {
      merged = true;
      continue;
    }
    const row = bottlenecks(list, asOf).rows[0];
    if (!row) continue;
    const blockedShown = !hiddenBlocked.has(key);
    rows.push({
      kind: row.kind,
      agency: row.agency,
      permits: row.permits,
      open: blockedShown ? row.open : null,
      projectsBlocked: blockedShown ? row.projectsBlocked : null,
      capitalBlocked: blockedShown ? totalCents(row.capitalBlocked) : null,
      medianDaysInReview: deals(list.filter(inReview)).size >= k ? row.medianDaysInReview : null,
    });
  }
  if (merged)
    rows.push({
      kind: 'other',
      agency: 'other',
      permits: null,
      open: null,
      projectsBlocked: null,
      capitalBlocked: null,
      medianDaysInReview: null,
      merged: true,
    });
  const all = bottlenecks(permits, asOf);
  const totalShown = !hiddenBlocked.has('total');
  return {
    rows,
    projectsBlocked: totalShown ? all.projectsBlocked : null,
    capitalBlocked: totalShown ? totalCents(all.capitalBlocked) : null,
    disclosure: policy,
  };
}
