/** `keel research materials [--json]` through the real command: figures as the release prints them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runKeel } from './cli.ts';

interface Material {
  id: string;
  name: string;
  usgsCommodity: string | null;
  netImportReliance: { year: number; text: string } | null;
  primaryImportSource: string | null;
  leadingProducer: { country: string; code: string; sharePct: number; year: number } | null;
  sources: { figure: string; publication: string; file: string; row: number; column: string }[];
}

describe('keel research materials', () => {
  it('--json gives one object per material with the release figures and where each was read', async () => {
    const run = await runKeel(['research', 'materials', '--json'], process.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { materials } = JSON.parse(run.stdout) as { materials: Material[] };
    const catalogue = JSON.parse(readFileSync(join(ROOT, 'data', 'research', 'materials.json'), 'utf8'));
    expect(materials.map((m) => m.id)).toEqual(catalogue.materials.map((m: { id: string }) => m.id));
    const by = new Map(materials.map((m) => [m.id, m]));
    expect(by.get('platinum-group-metals')).toMatchObject({
      usgsCommodity: 'PLATINUM',
      netImportReliance: { year: 2024, text: '85' },
      primaryImportSource: 'South Africa',
    });
    expect(by.get('titanium')?.netImportReliance).toEqual({ year: 2024, text: '>95' });
    expect(by.get('magnesium')?.leadingProducer).toEqual({
      country: 'China',
      code: 'CN',
      sharePct: 95,
      year: 2024,
    });
    expect(by.get('cobalt')?.leadingProducer?.country).toBe('Congo (Kinshasa)');
    expect(by.get('germanium')?.leadingProducer).toBeNull(); // world production withheld by USGS
    // Each source names a line of a shipped file, and the file holds the figure there.
    for (const m of materials) {
      for (const s of m.sources) {
        const line = readFileSync(join(ROOT, s.file), 'utf8').split(/\r?\n/)[s.row - 1] ?? '';
        if (s.figure.startsWith('US net import reliance')) expect(line).toContain(m.netImportReliance?.text);
        if (s.figure.startsWith('major import sources')) expect(line).toContain(m.primaryImportSource);
      }
    }
  });

  it('without --json prints a table that says what USGS withholds', async () => {
    const run = await runKeel(['research', 'materials'], process.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/germanium\s+GERMANIUM\s+>50\s+2024\s+Belgium\s+withheld by USGS/);
  });
});

describe('keel io imports', () => {
  it('--sector 334 --json gives the 1997–2015 path of imported inputs per dollar of final demand', async () => {
    const run = await runKeel(['io', 'imports', '--sector', '334', '--json'], process.env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      series: { sector: string; path: { year: number; imported: number }[] }[];
    };
    const path = report.series[0]?.path ?? [];
    expect(path.map((p) => p.year)).toEqual(Array.from({ length: 19 }, (_, i) => 1997 + i));
    // 2015: 1.5368959 (total) − 1.3576382 (domestic), the printed totals of the two tables.
    expect(path.at(-1)?.imported).toBeCloseTo(0.1792577, 9);
    const unknown = await runKeel(['io', 'imports', '--sector', 'XXX'], process.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no BEA summary commodity XXX');
  });

  it('--sub-area gives the path of the industry the sub-area is mapped to, by name', async () => {
    const run = await runKeel(['io', 'imports', '--sub-area', 'shipbuilding,semiconductors'], process.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shipbuilding: 3364OT Other transportation equipment, 1997–2015');
    expect(run.stdout).toMatch(
      /semiconductors: 334 Computer and electronic products[\s\S]*2015 +1\.5369 +1\.3576 +0\.1793/,
    );
    const unknown = await runKeel(['io', 'imports', '--sub-area', 'atlantis'], process.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no sub-area "atlantis"');
  });
});

describe('keel io impact', () => {
  it('runs on the 2015 summary tables by default and on the 2007 detail tables with --level detail', async () => {
    const summary = await runKeel(
      ['io', 'impact', '--sub-area', 'semiconductors', '--change=-0.1', '--json'],
      process.env,
    );
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.stdout)).toMatchObject({ level: 'summary', year: 2015, sector: '334' });
    const detail = await runKeel(
      ['io', 'impact', '--sub-area', 'munitions-missiles-hypersonics', '--change=-0.1', '--level', 'detail'],
      process.env,
    );
    expect(detail.code).toBe(0);
    expect(detail.stdout).toContain('to 33299A Ammunition, arms, ordnance, and accessories manufacturing');
    expect(detail.stdout).toContain('BEA 2007 benchmark, detail level (389 industries × 389 commodities)');
    const wrongYear = await runKeel(
      ['io', 'impact', '--sector', '334413', '--change=-0.1', '--level', 'detail', '--year', '2012'],
      process.env,
    );
    expect(wrongYear.code).not.toBe(0);
    expect(wrongYear.stderr).toContain('--year: the detail tables exist for 2007 only');
  });
});
