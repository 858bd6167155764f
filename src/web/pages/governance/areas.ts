/** The taxonomy's four core areas (ids as in data/taxonomy/sri-taxonomy.json), for filters. */
export const TAXONOMY_AREAS = [
  'supply-chain-advanced-manufacturing',
  'defense-aerospace',
  'energy-independence-resilience',
  'frontier-strategic-technologies',
] as const;
