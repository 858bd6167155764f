import { INSTRUMENTS } from '../../domain/instruments.ts';
import { useNames } from '../names.ts';
import { Options } from './Options.tsx';

export interface PlaceFilter {
  areaId: string;
  subAreaId: string;
  instrument: string;
}

/**
 * The area, sub-area and instrument selects of a deal filter. The sub-areas offered are those of the chosen
 * area, and choosing another area clears the sub-area, so the two never disagree.
 */
export function PlaceFilters({
  value,
  onChange,
  instruments = INSTRUMENTS,
}: {
  value: PlaceFilter;
  onChange: (change: Partial<PlaceFilter>) => void;
  instruments?: readonly string[];
}) {
  const names = useNames();
  const areas = [...new Map(names.subAreas.map((s) => [s.areaId, s.areaName])).entries()];
  return (
    <>
      <label>
        Area
        <select value={value.areaId} onChange={(e) => onChange({ areaId: e.target.value, subAreaId: '' })}>
          <option value="">all</option>
          {areas.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sub-area
        <select value={value.subAreaId} onChange={(e) => onChange({ subAreaId: e.target.value })}>
          <option value="">all</option>
          {names.subAreas
            .filter((s) => !value.areaId || s.areaId === value.areaId)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        Instrument
        <select value={value.instrument} onChange={(e) => onChange({ instrument: e.target.value })}>
          <option value="">all</option>
          <Options values={instruments} />
        </select>
      </label>
    </>
  );
}
