/**
 * Small-cell suppression for what the public side (research analysts, the external council) sees. A figure
 * that adds up fewer than k distinct deals tells a reader one counterparty's business, so it is not shown;
 * and because a hidden figure can come back by subtraction (a total minus its other cells), more cells are
 * hidden until every difference a reader can take covers either no deal or at least k deals.
 *
 * The tables are described as cells (each with the set of deals that add up to it) and relations (a parent
 * cell is the sum of its child cells). A cell is *known* to a reader if it is shown, or if a relation gives
 * it (the parent and all children but it are known; or all children are known). The rules, applied until
 * nothing changes:
 *   1. primary: a cell with 1 to k−1 deals is hidden;
 *   2. complementary: in every relation with a known parent, the unknown children together hold no deal
 *      or at least k deals (else the smallest shown child is hidden too), so `parent − known children` is
 *      safe; a hidden parent of fewer than k deals is never the sum of known children;
 *   3. no hidden cell of fewer than k deals is known by any chain of such subtractions.
 * For nested tables (total ⊃ area ⊃ sub-area ⊃ sub-area × year, total ⊃ side ⊃ instrument) this means every
 * figure a reader can compute by adding and subtracting published figures covers 0 or ≥ k deals. For tables
 * that cross (sub-area × year with both margins) every row and column is protected the same way; a reader
 * who combines many lines at once can at best bound a hidden cell, except in rare patterns (a hidden cell
 * that joins two otherwise separate groups of hidden cells), which the unit test's linear-algebra audit
 * looks for.
 */

/** Default minimum number of distinct deals behind any figure the public side sees. */
export const DEFAULT_MINIMUM_CELL_SIZE = 3;

/** What a figure hidden by small-cell suppression reads as, wherever the public side sees it. */
export const notShown = (minimumCellSize: number) => `fewer than ${minimumCellSize} deals — not shown`;

export interface DisclosurePolicy {
  /** A figure is shown to the public side only if at least this many distinct deals add up to it. */
  minimumCellSize: number;
}

export interface DisclosureRelation {
  parent: string;
  children: readonly string[];
}

/**
 * The cells that must not be shown, given each cell's deals and how the cells add up. A hidden cell counts
 * as unknown only if no relation gives it away (a relation whose other members are all known gives its last
 * member by subtraction); hidden cells that a reader can compute do not protect anything.
 */
export function cellsToSuppress(
  cells: ReadonlyMap<string, ReadonlySet<string>>,
  relations: readonly DisclosureRelation[],
  policy: DisclosurePolicy,
): Set<string> {
  const k = policy.minimumCellSize;
  const size = (id: string) => cells.get(id)?.size ?? 0;
  const small = (n: number) => n > 0 && n < k;
  const hidden = new Set<string>();
  for (const [id, deals] of cells) if (small(deals.size)) hidden.add(id);
  if (k <= 1) return hidden;
  // Empty cells hold nothing to protect, and are known to be zero.
  const live = relations
    .map((r) => ({ parent: r.parent, children: r.children.filter((id) => size(id) > 0) }))
    .filter((r) => r.children.length > 0);

  // The smallest shown cell goes first: it costs the reader the least information.
  const smallestShown = (ids: readonly string[]) =>
    ids.filter((id) => !hidden.has(id)).sort((a, b) => size(a) - size(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
  const dealsOf = (ids: readonly string[]) => {
    const together = new Set<string>();
    for (const id of ids) for (const deal of cells.get(id) ?? []) together.add(deal);
    return together;
  };

  for (;;) {
    const known = knownCells(cells, live, hidden);
    let fixed = false;
    for (const relation of live) {
      const parentKnown = known.has(relation.parent) || size(relation.parent) === 0;
      const unknown = relation.children.filter((id) => !known.has(id));
      // What the reader can take as `parent − known children` must hold no deal or at least k deals;
      // a hidden parent must not be the sum of known children when it is itself too small.
      const exposed = parentKnown
        ? dealsOf(unknown)
        : unknown.length === 0
          ? dealsOf([relation.parent])
          : null;
      if (exposed && small(exposed.size)) {
        // Hide the smallest shown child; else the parent; else a shown cell that what is known is computed from.
        const derived = [relation.parent, ...relation.children].filter(
          (id) => hidden.has(id) && known.has(id),
        );
        const next =
          smallestShown(relation.children) ??
          (hidden.has(relation.parent) ? undefined : relation.parent) ??
          smallestShown(derived.flatMap((id) => shownSources(id, known)));
        if (next === undefined) continue;
        hidden.add(next);
        fixed = true;
        break;
      }
    }
    if (!fixed) {
      // A hidden cell of fewer than k deals that the reader can still compute: hide the smallest shown cell
      // its computation starts from.
      const leaked = [...hidden].find((id) => small(size(id)) && known.has(id));
      if (leaked === undefined) return hidden;
      const next = smallestShown(shownSources(leaked, known));
      if (next === undefined) return hidden;
      hidden.add(next);
    }
  }
}

/** The shown cells from which a known cell is computed, following the relations that give it. */
function shownSources(id: string, known: ReadonlyMap<string, DisclosureRelation | null>): string[] {
  const sources: string[] = [];
  const seen = new Set([id]);
  const queue = [id];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const via = known.get(next);
    if (via === null) {
      if (next !== id) sources.push(next);
      continue;
    }
    for (const member of via ? [via.parent, ...via.children] : [])
      if (!seen.has(member)) {
        seen.add(member);
        queue.push(member);
      }
  }
  return sources;
}

/**
 * The cells a reader can know: the shown ones (mapped to null), and any that a relation gives by adding or
 * subtracting (mapped to that relation).
 */
function knownCells(
  cells: ReadonlyMap<string, ReadonlySet<string>>,
  relations: readonly DisclosureRelation[],
  hidden: ReadonlySet<string>,
): Map<string, DisclosureRelation | null> {
  const known = new Map<string, DisclosureRelation | null>();
  for (const id of cells.keys()) if (!hidden.has(id)) known.set(id, null);
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of relations) {
      const unknown = r.children.filter((id) => !known.has(id));
      if (known.has(r.parent) && unknown.length === 1) {
        known.set(unknown[0] as string, r);
        changed = true;
      } else if (!known.has(r.parent) && unknown.length === 0) {
        known.set(r.parent, r);
        changed = true;
      }
    }
  }
  return known;
}
