import { useEffect, useState } from 'react';
import { label } from '../domain/format.ts';
import { api } from './api.ts';

/** Names for the ids a table or chart would otherwise print: areas and sub-areas, from the taxonomy. */
export interface Names {
  area: (id: string) => string;
  subArea: (id: string) => string;
  /** Every sub-area, by area, for filters. */
  subAreas: ReadonlyArray<{ id: string; name: string; areaId: string; areaName: string }>;
}

const fallback: Names = { area: label, subArea: label, subAreas: [] };
// The taxonomy changes only when a programme is loaded: one request per page load is enough.
let loading: Promise<Names> | null = null;

function load(): Promise<Names> {
  loading ??= api.get('/api/taxonomy').then(
    ({ items }) => {
      const areas = new Map(items.map((r) => [r.areaId, r.areaName]));
      const subAreas = new Map(items.map((r) => [r.id, r.name]));
      return {
        area: (id) => areas.get(id) ?? label(id),
        subArea: (id) => subAreas.get(id) ?? label(id),
        subAreas: items.map((r) => ({ id: r.id, name: r.name, areaId: r.areaId, areaName: r.areaName })),
      };
    },
    () => {
      loading = null;
      return fallback;
    },
  );
  return loading;
}

/** The names, once loaded; until then (or if the taxonomy cannot be read) ids made readable. */
export function useNames(): Names {
  const [names, setNames] = useState<Names>(fallback);
  useEffect(() => {
    let live = true;
    void load().then((n) => live && setNames(n));
    return () => {
      live = false;
    };
  }, []);
  return names;
}
