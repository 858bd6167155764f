/**
 * Reshoring: the domestic share of a material's production over time, and what the portfolio's capacity
 * additions would make of it. Projection assumption (stated in every report): world production stays at the
 * last observed year's level and each addition produces at its full capacity from its online year.
 */
export interface ShareYear {
  year: number;
  us: number;
  world: number;
}

export interface CapacityAddition {
  dealId: string;
  capacity: number;
  onlineYear: number;
}

export function reshoringSeries(
  observed: readonly ShareYear[],
  additions: readonly CapacityAddition[],
  untilYear: number,
) {
  const sorted = [...observed].sort((a, b) => a.year - b.year);
  const last = sorted.at(-1);
  const history = sorted.map((y) => ({
    year: y.year,
    share: y.world > 0 ? y.us / y.world : 0,
    projected: false,
  }));
  if (!last) return { history, projection: [] };
  const projection = [];
  for (let year = last.year + 1; year <= untilYear; year++) {
    const added = additions.filter((a) => a.onlineYear <= year).reduce((s, a) => s + a.capacity, 0);
    // The addition raises world output as well as US output: it is new supply, not taken from others.
    projection.push({ year, share: (last.us + added) / (last.world + added), added, projected: true });
  }
  return { history, projection };
}
