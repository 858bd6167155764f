import { INSTRUMENTS } from '../../domain/instruments.ts';
import { label } from '../format.ts';
import { useNames } from '../names.ts';

/**
 * A sub-area chosen by its name, grouped under its core area (the taxonomy's ids stay behind the names);
 * `multiple`: any number of them (read with FormData.getAll).
 */
export function SubAreaSelect({
  name,
  defaultValue = '',
  multiple = false,
}: {
  name: string;
  defaultValue?: string;
  multiple?: boolean;
}) {
  const names = useNames();
  const areas = [...new Set(names.subAreas.map((s) => s.areaName))];
  return (
    <label className={multiple ? 'wide' : undefined}>
      {multiple ? 'Sub-areas' : 'Sub-area'}
      <select
        name={name}
        required={!multiple}
        multiple={multiple}
        size={multiple ? 8 : undefined}
        defaultValue={multiple ? [] : defaultValue}
        key={names.subAreas.length}
      >
        {!multiple && <option value="">choose…</option>}
        {areas.map((area) => (
          <optgroup key={area} label={area}>
            {names.subAreas
              .filter((s) => s.areaName === area)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** An instrument chosen by its label. */
export function InstrumentSelect({ name, defaultValue = '' }: { name: string; defaultValue?: string }) {
  return (
    <label>
      Instrument
      <select name={name} required defaultValue={defaultValue}>
        <option value="">choose…</option>
        {INSTRUMENTS.map((i) => (
          <option key={i} value={i}>
            {label(i)}
          </option>
        ))}
      </select>
    </label>
  );
}
