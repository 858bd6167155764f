/**
 * Keel's EU-method terms on the annex's own inputs (Annex 7 supply shares with t, WGI 2022), for every
 * material with an EU name: recomputed here from the files' lines by an independent split, with the
 * published SR of Annex 4 beside them; what the annex lacks is said, never filled in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { euComputation } from '../../src/app/research/eu-method.ts';
import { referenceCountries, referenceMaterials } from '../../src/app/research/reference-data.ts';
import { EU_DIR, euSupplyRelease } from '../../src/app/research/release.ts';
import { countryRef } from '../../src/domain/research/release/country-codes.ts';
import { decodePublished } from '../../src/domain/research/release/csv.ts';
import { EU_GLOBAL_FILE, EU_SOURCING_FILE } from '../../src/domain/research/release/eu-supply.ts';

/** The annex rows as [material, stage, country, share, t], split on commas outside quotes (not Keel's parser). */
function lines(file: string) {
  const text = decodePublished(readFileSync(join(EU_DIR, file))).text;
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) =>
      (l.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
        .map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').trim())
        .slice(0, 5),
    );
}
const GLOBAL = lines(EU_GLOBAL_FILE);
const SOURCING = lines(EU_SOURCING_FILE);
const countries = referenceCountries();
const median = countries.get('OTHER')?.wgi as number;

function byHand(rows: string[][], material: string, stage: string): number | null {
  const mine = rows.filter((r) => r[0] === material && r[1] === stage);
  if (mine.length === 0) return null;
  return mine.reduce((sum, [, , country, share, t]) => {
    const s = (share as string).startsWith('<') ? 0 : Number((share as string).replace('%', '')) / 100;
    const ref = countryRef(country as string);
    const code = ref.kind === 'country' ? ref.code : '';
    const c = countries.get(code);
    const wgi = c && !c.wgiSource.startsWith('no WGI') ? c.wgi : median;
    const scaled = Math.min(10, Math.max(0, (2.5 - wgi) * 2));
    return sum + s * s * scaled * Number(t);
  }, 0);
}

const withEu = referenceMaterials().filter((m) => m.eu);

describe("EU method on the annex's own data", () => {
  it('reads every row of both annex files, every country mapped', () => {
    const { global, sourcing } = euSupplyRelease();
    expect(global).toHaveLength(GLOBAL.length);
    expect(sourcing).toHaveLength(SOURCING.length);
    expect(global.every((r) => /^[A-Z]{2}$/.test(r.code))).toBe(true);
  });

  it.each(withEu.map((m) => [m.id, m] as const))('%s: HHI-WGI,t terms = the rows by hand', (_id, m) => {
    const c = euComputation(m);
    expect(c).not.toBeNull();
    if (!c) return;
    const published = m.eu?.assessments.find((a) => a.year === 2023)?.supplyRisk.text ?? null;
    expect(c.publishedSupplyRisk).toBe(published);
    for (const stage of ['E', 'P'] as const) {
      const s = c.stages.find((x) => x.stage === stage);
      const g = byHand(GLOBAL, c.supplyName, stage);
      const e = byHand(SOURCING, c.supplyName, stage);
      if (g === null && e === null) {
        expect(s).toBeUndefined();
        continue;
      }
      expect(s?.global?.value ?? null).toEqual(g === null ? null : expect.closeTo(g, 12));
      expect(s?.sourcing?.value ?? null).toEqual(e === null ? null : expect.closeTo(e, 12));
      if (g !== null && e !== null) {
        expect(s?.bracket?.lower).toBeCloseTo(Math.min(e, (g + e) / 2), 12);
        expect(s?.bracket?.upper).toBeCloseTo(Math.max(e, (g + e) / 2), 12);
      } else expect(s?.bracket).toBeNull();
    }
    expect(c.missingInputs).toMatch(/not the import reliance \(IR\)/);
  });

  it('groups (REEs, PGMs) are not computed from single elements, and say so', () => {
    const ree = euComputation(withEu.find((m) => m.id === 'rare-earths') as (typeof withEu)[number]);
    expect(ree?.stages).toEqual([]);
    expect(ree?.notes.join(' ')).toMatch(/per element, not for the group/);
    expect(ree?.comparison).toMatch(/cannot bound it/);
  });

  it('gallium: processing only; the published 3.9 lies within the bound from the annex', () => {
    const ga = euComputation(withEu.find((m) => m.id === 'gallium') as (typeof withEu)[number]);
    expect(ga?.stages.map((s) => s.stage)).toEqual(['P']);
    expect(ga?.publishedSupplyRisk).toBe('3.9');
    expect(ga?.comparison).toMatch(/lies within Keel's bound/);
  });

  it('silicon metal: the share printed "6" (no % sign) is read as 6% and said so', () => {
    const si = euComputation(withEu.find((m) => m.id === 'silicon') as (typeof withEu)[number]);
    expect(si?.notes.join(' ')).toMatch(/printed without "%"/);
    const row = euSupplyRelease().sourcing.find((r) => r.material === 'Silicon metal' && r.code === 'DE');
    expect(row).toMatchObject({ text: '6', share: 0.06, noPercentSign: true });
  });
});
