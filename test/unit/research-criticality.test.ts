import { describe, expect, it } from 'vitest';
import {
  referenceCountries,
  referenceGraph,
  referenceMaterials,
} from '../../src/app/research/reference-data.ts';
import {
  concernShare,
  euEconomicImportance,
  euHhiWgiT,
  euSupplyRisk,
  hhi,
  spearman,
  usgsSupplyRisk,
} from '../../src/domain/research/criticality.ts';
import { scoreGraph } from '../../src/domain/research/scores.ts';

const countries = referenceCountries();

describe('criticality indicators', () => {
  it('HHI follows the published example of the US merger guidelines', () => {
    // US DOJ & FTC, Horizontal Merger Guidelines (2010), §5.3: four firms with 30, 30, 20 and 20 percent
    // have an HHI of 2,600.
    expect(hhi({ AA: 0.3, BB: 0.3, CC: 0.2, DD: 0.2 })).toBeCloseTo(2600, 9);
    expect(hhi({ CN: 1 })).toBe(10_000);
  });

  it('EU supply risk: the formula of the 2017 guidelines, worked by hand', () => {
    // One supplier (WGI −0.5 → scaled 6.0) with an export quota (t = 1.2): HHI_WGI,t = 1 · 6 · 1.2 = 7.2.
    const local = new Map([['XX', { code: 'XX', name: 'X', wgi: -0.5, alignment: 'neutral' as const }]]);
    expect(euHhiWgiT({ XX: 1 }, local, ['XX'])).toBeCloseTo(7.2, 12);
    // SR = [7.2·IR/2 + 3·(1 − IR/2)]·(1 − EoL)·SI with IR = 0.8, EoL = 0.25, SI = 0.9:
    // [2.88 + 1.8]·0.75·0.9 = 3.159
    expect(
      euSupplyRisk({
        hhiGlobal: 7.2,
        hhiSourcing: 3,
        importReliance: 0.8,
        eolRecyclingInputRate: 0.25,
        substitutionIndex: 0.9,
      }),
    ).toBeCloseTo(3.159, 12);
    // EI = Σ A_s Q_s · SI scaled so the largest sector is 10: (0.5·50 + 0.5·100)/100 · 10 · 0.8 = 6
    expect(
      euEconomicImportance(
        [
          { share: 1, valueAdded: 50 },
          { share: 1, valueAdded: 100 },
        ],
        100,
        0.8,
      ),
    ).toBeCloseTo(6, 12);
  });

  it('USGS supply risk is disruption potential × trade exposure × economic vulnerability', () => {
    const r = usgsSupplyRisk({ CN: 0.5, AU: 0.5 }, 0.8, 0.5, countries);
    const g = (w: number) => (2.5 - w) / 5;
    // Governance from the WGI file (China row 39, Australia row 13), 5 · value − 2.5.
    const dp = 0.25 * g(5 * 0.4333497367799282 - 2.5) + 0.25 * g(5 * 0.7983798384666444 - 2.5);
    expect(r.disruptionPotential).toBeCloseTo(dp, 12);
    expect(r.supplyRisk).toBeCloseTo(dp * 0.8 * 0.5, 12);
    expect(usgsSupplyRisk({ CN: 1 }, -0.3, 0.5, countries).supplyRisk).toBe(0); // net exporter
  });

  it('the share from countries of concern counts only the covered nations', () => {
    expect(concernShare({ CN: 0.6, RU: 0.1, AU: 0.3 }, countries)).toBeCloseTo(0.7, 12);
  });

  it("Keel's EU-method supply risk ranks materials like the EU 2023 published supply risk", () => {
    // Reference: European Commission, Study on the Critical Raw Materials for the EU 2023, Annex 4 (SR of the
    // 2023 assessment, read from the shipped file). Keel's figures use US import reliance and world supply
    // (USGS gives the order of US import sources, not their shares), with SI = 1 and EoL-RIR = 0 (not in the
    // shipped data), so only the ordering is compared over the materials both cover.
    const scores = new Map(scoreGraph(referenceGraph(), countries).map((s) => [s.id, s]));
    const pairs = referenceMaterials().flatMap((m) => {
      const published = m.eu?.assessments.find((a) => a.year === 2023)?.supplyRisk.value;
      const keel = scores.get(m.id)?.eu?.supplyRisk;
      return published !== undefined && published !== null && keel !== undefined ? [[keel, published]] : [];
    });
    expect(pairs.length).toBeGreaterThanOrEqual(12);
    const rho = spearman(
      pairs.map((p) => p[0] as number),
      pairs.map((p) => p[1] as number),
    );
    expect(rho).toBeGreaterThan(0.4);
  });

  it('scores every node of the reference graph, with gallium riskier than nickel', () => {
    const scores = scoreGraph(referenceGraph(), countries);
    const by = new Map(scores.map((s) => [s.id, s]));
    expect(by.get('gallium')?.usgs?.supplyRisk).toBeGreaterThan(by.get('nickel')?.usgs?.supplyRisk ?? 1);
    // China 750,000 kg and Russia 6,000 kg of the 2024 world total of 760,000 kg, over the itemised rows'
    // sum (762,000 kg), which exceeds USGS's rounded total.
    expect(by.get('gallium')?.concernShare).toBeCloseTo((750_000 + 6_000) / 762_000, 9);
    expect(by.get('semiconductors')?.exposures.map((e) => e.material)).toContain('gallium');
    expect(by.get('antimony')?.singlePointOfFailure).toBe(true);
    for (const s of scores) expect(Number.isFinite(s.inherited.risk)).toBe(true);
  });
});

describe('spearman', () => {
  it('is 1 for the same order and −1 for the reverse', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });
});
