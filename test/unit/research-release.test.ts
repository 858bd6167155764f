/**
 * The release loaders read the published files as they are: encodings, stray spaces, withheld values, every
 * country name. Expected values here are the files' cells, read by an independent line split.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { euRelease, governanceRelease, USGS_DIR, usgsRelease } from '../../src/app/research/release.ts';
import { countryRef } from '../../src/domain/research/release/country-codes.ts';
import { decodePublished, parseCsv } from '../../src/domain/research/release/csv.ts';
import {
  leadingProducer,
  productionShares,
  relianceForScoring,
  series,
  WORLD_FILE,
} from '../../src/domain/research/release/usgs-mcs.ts';

/** Line n (1-based) of a release file, split on commas outside quotes: independent of Keel's parser. */
const lines = new Map<string, string[]>();
function rawCells(file: string, line: number): string[] {
  let all = lines.get(file);
  if (!all) {
    all = readFileSync(join(USGS_DIR, file), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    lines.set(file, all);
  }
  const l = all[line - 1] ?? '';
  return (l.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map((c) =>
    c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'),
  );
}

describe('reading the published files', () => {
  it('decodes by the bytes: the world table is UTF-8 with a BOM (not cp1252 as its metadata says)', () => {
    const bytes = readFileSync(join(USGS_DIR, WORLD_FILE));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { text, encoding } = decodePublished(bytes);
    expect(encoding).toBe('utf-8');
    expect(text.startsWith('SOURCE,')).toBe(true);
    expect(text).toContain('Côte d’Ivoire');
    // A cp1252 file (ô = 0xF4) is not valid UTF-8 and is read as Windows-1252.
    expect(decodePublished(Uint8Array.from([0x43, 0xf4, 0x74, 0x65, 0x92]))).toEqual({
      text: 'Côte’',
      encoding: 'windows-1252',
    });
  });

  it('parses quoted fields, doubled quotes, CRLF and a field that spans lines', () => {
    expect(parseCsv('a,"b, c","d ""e"""\r\n"x\ny",2\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['x\ny', '2'],
    ]);
    const teak = euRelease().find((a) => a.material === 'Natural Teak wood' && a.year === 2011);
    expect(teak?.supplyRisk.at.row).toBe(43); // the record starts on line 43 and ends on 44
  });

  it('reads the columns whose names carry stray spaces ("PROD_EST_ 2024") and keeps them as printed', () => {
    const row = usgsRelease().world.find((r) => r.commodity === 'Antimony' && r.country === 'China');
    expect(row?.production[2024].value).toBe(60000);
    expect(row?.production[2024].at).toEqual({ file: WORLD_FILE, row: 51, column: 'PROD_EST_ 2024' });
    expect(row?.capacity[2024].at.column).toBe('CAP_EST_ 2024');
  });

  it('maps every country name that occurs in the files to an ISO 3166 code (or names the aggregate)', () => {
    const { world, fig2 } = usgsRelease();
    const unknown = world.filter((r) => r.ref.kind === 'unknown').map((r) => `${r.row}: ${r.country}`);
    expect(unknown).toEqual([]);
    const aggregates = new Set(world.filter((r) => r.ref.kind !== 'country').map((r) => r.ref.kind));
    expect([...aggregates].sort()).toEqual(['group', 'other', 'world']);
    for (const f of fig2) for (const s of f.sources) expect(s.code).toMatch(/^[A-Z]{2}$/);
    const wgi = governanceRelease();
    expect(wgi).toHaveLength(213);
    expect(new Set(wgi.map((g) => g.code)).size).toBe(213); // no two economies share a code
    // Spellings that differ between publishers land on the same code.
    for (const [a, b] of [
      ['Burma', 'Myanmar'],
      ['Korea, North', 'Korea, Dem. Rep.'],
      ['Korea, Republic of', 'Republic of Korea'],
      ['Russia ', 'Russian Federation'],
      ['Turkey', 'Türkiye'],
      ['Congo (Kinshasa)', 'Congo, Dem. Rep.'],
      ['China3', 'China (unspecified minerals)'],
    ]) {
      expect(countryRef(a as string)).toEqual(countryRef(b as string));
    }
  });
});

describe('figures derived from the world table', () => {
  const { world } = usgsRelease();

  it('every share is the row amount over the world total of the same column, for every commodity and year', () => {
    const selectors = new Map(world.map((r) => [`${r.commodity}\u0000${r.type}`, r]));
    let checked = 0;
    for (const r of selectors.values()) {
      const worldTotals = world.filter(
        (w) => w.commodity === r.commodity && w.type === r.type && w.ref.kind === 'world',
      );
      for (const total of worldTotals) {
        for (const year of [2023, 2024] as const) {
          const p = productionShares(
            world,
            { commodity: r.commodity, type: r.type, worldTotal: total.country },
            year,
          );
          if (p.status === 'withheld') continue;
          const totalCells = rawCells(WORLD_FILE, p.worldTotal.at.row);
          for (const s of p.shares) {
            const cells = rawCells(WORLD_FILE, s.at.row);
            const col = year === 2023 ? 5 : 6;
            expect(Number(cells[col])).toBe(s.amount);
            expect(s.share).toBeCloseTo(Number(cells[col]) / Number(totalCells[col]), 12);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('antimony 2023: China 62,300 t of 106,000 t, 59% (MCS 2025 revised 2023; MCS 2024 printed 48%)', () => {
    const p = productionShares(
      world,
      { commodity: 'Antimony', type: 'Mine production, antimony content' },
      2023,
    );
    expect(leadingProducer(p)?.code).toBe('CN');
    expect(Math.round((leadingProducer(p)?.share ?? 0) * 100)).toBe(59);
  });

  it('titanium sponge: US production withheld, excluded from the world total and said so; Saudi Arabia 4.7%', () => {
    const p = productionShares(
      world,
      { commodity: 'Titanium & titanium dioxide', type: 'Sponge Metal Production' },
      2024,
    );
    expect(p.usWithheld).toBe(true);
    expect(p.notes.join(' ')).toMatch(/withheld by USGS.*excludes US production/);
    expect(p.shares.find((s) => s.code === 'US')).toBeUndefined();
    expect((p.shares.find((s) => s.code === 'SA')?.share ?? 0) * 100).toBeCloseTo(4.6875, 9);
  });

  it('tungsten 2024: North Korea 1,700 t of 81,000 t (2.1%) is its own row, not folded into other', () => {
    const p = productionShares(
      world,
      { commodity: 'Tungsten', type: 'Mine production, tungsten content' },
      2024,
    );
    expect((p.shares.find((s) => s.code === 'KP')?.share ?? 0) * 100).toBeCloseTo(2.0988, 3);
  });

  it('germanium: world production withheld by USGS, no share invented', () => {
    const p = productionShares(
      world,
      { commodity: 'Gemanium', type: 'Primary and secondary refinery production' },
      2024,
    );
    expect(p.status).toBe('withheld');
    expect(p.shares).toEqual([]);
    expect(leadingProducer(p)).toBeNull();
  });
});

describe('salient statistics and figure 2', () => {
  const { salient, fig2 } = usgsRelease();

  it('keeps net import reliance as printed and reads it for scoring by a stated rule', () => {
    const titanium = salient.get('mcs2025-titan_salient.csv');
    expect(series(titanium as never, 'NIR_Sponge_pct').map((y) => y.text)).toEqual([
      '>50',
      '>95',
      '>95',
      '>95',
      '>95',
    ]);
    expect(relianceForScoring('>75').fraction).toBe(0.75);
    expect(relianceForScoring('<25').fraction).toBe(0.25);
    expect(relianceForScoring('E').fraction).toBe(0);
    expect(relianceForScoring('NA').fraction).toBeNull();
    expect(relianceForScoring('85').fraction).toBe(0.85);
  });

  it('reads all 85 salient files, each with the years 2020–2024', () => {
    expect(salient.size).toBe(85);
    for (const s of salient.values()) expect(s.years).toEqual([2020, 2021, 2022, 2023, 2024]);
  });

  it('figure 2 lists the import sources in order with footnote digits removed', () => {
    const garnet = fig2.find((f) => f.commodity === 'GARNET (INDUSTRIAL)');
    expect(garnet?.sources.map((s) => s.country)).toEqual(['South Africa', 'Australia', 'India', 'China']);
    expect(fig2).toHaveLength(64);
  });
});
