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
    const report = JSON.parse(run.stdout) as { path: { year: number; imported: number }[] };
    expect(report.path.map((p) => p.year)).toEqual(Array.from({ length: 19 }, (_, i) => 1997 + i));
    // 2015: 1.5368959 (total) − 1.3576382 (domestic), the printed totals of the two tables.
    expect(report.path.at(-1)?.imported).toBeCloseTo(0.1792577, 9);
    const unknown = await runKeel(['io', 'imports', '--sector', 'XXX'], process.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no BEA summary commodity XXX');
  });
});
