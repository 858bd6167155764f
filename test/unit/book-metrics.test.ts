import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME, readJson } from '../../src/app/data-files.ts';
import { bookMetrics, type Position } from '../../src/domain/book-metrics.ts';
import type { Cents } from '../../src/domain/money.ts';
import { pacing, pacingPath, planToDate, segmentPacing } from '../../src/domain/pacing.ts';
import { parseProgramme } from '../../src/domain/programme.ts';

const c = (dollars: number) => BigInt(Math.round(dollars * 100)) as Cents;

describe('book metrics', () => {
  /**
   * Definitions: CFA Institute, GIPS 2020 glossary (DPI = distributions / paid-in; RVPI = residual value /
   * paid-in; TVPI = DPI + RVPI). Worked figures: paid-in 100, distributions 50, NAV 80 → DPI 0.50, RVPI 0.80,
   * TVPI 1.30. The XIRR of the Excel XIRR example (Microsoft Support) carries through a position's flows.
   */
  const fund: Position = {
    dealId: 'd1',
    subAreaId: 'robotics',
    areaId: 'supply',
    entries: [
      { kind: 'commitment', amount: c(150), effectiveOn: '2020-01-01' },
      { kind: 'draw', amount: c(100), effectiveOn: '2020-01-01' },
      { kind: 'distribution', amount: c(50), effectiveOn: '2022-06-30' },
      { kind: 'valuation', amount: c(90), effectiveOn: '2023-06-30' },
      { kind: 'valuation', amount: c(80), effectiveOn: '2023-12-31' },
    ],
  };

  it('computes DPI, RVPI, TVPI and MOIC by their definitions', () => {
    const [m] = bookMetrics([fund], '2023-12-31', 'deal');
    expect(m).toMatchObject({ paidIn: c(100), distributed: c(50), nav: c(80) });
    expect(m!.dpi).toBeCloseTo(0.5, 12);
    expect(m!.rvpi).toBeCloseTo(0.8, 12);
    expect(m!.tvpi).toBeCloseTo(1.3, 12);
    expect(m!.moic).toBeCloseTo(1.3, 12);
  });

  it('carries the Excel XIRR documentation example through position flows (0.373362535)', () => {
    const excel: Position = {
      dealId: 'x',
      subAreaId: 's',
      areaId: 'a',
      entries: [
        { kind: 'draw', amount: c(10_000), effectiveOn: '2008-01-01' },
        { kind: 'distribution', amount: c(2_750), effectiveOn: '2008-03-01' },
        { kind: 'distribution', amount: c(4_250), effectiveOn: '2008-10-30' },
        { kind: 'distribution', amount: c(3_250), effectiveOn: '2009-02-15' },
        { kind: 'distribution', amount: c(2_750), effectiveOn: '2009-04-01' },
        { kind: 'valuation', amount: c(0), effectiveOn: '2009-04-01' },
      ],
    };
    const [m] = bookMetrics([excel], '2009-04-01', 'book');
    expect(m!.xirr).toMatchObject({ status: 'ok' });
    if (m!.xirr.status === 'ok') expect(m!.xirr.rate).toBeCloseTo(0.373362535, 8);
  });

  it('values an unmarked position at cost and aggregates by vintage and sub-area exactly', () => {
    const unmarked: Position = {
      dealId: 'd2',
      subAreaId: 'robotics',
      areaId: 'supply',
      entries: [{ kind: 'draw', amount: c(33.33), effectiveOn: '2021-05-01' }],
    };
    const byVintage = bookMetrics([fund, unmarked], '2023-12-31', 'vintage');
    expect(byVintage.map((m) => m.key)).toEqual(['2020', '2021']);
    expect(byVintage[1]).toMatchObject({ nav: c(33.33), tvpi: 1 });
    const [sub] = bookMetrics([fund, unmarked], '2023-12-31', 'subArea');
    expect(sub).toMatchObject({ positions: 2, paidIn: c(133.33), nav: c(113.33) });
  });

  it('ignores flows after the as-of date, and reports no multiple without paid-in capital', () => {
    const [m] = bookMetrics([fund], '2021-12-31', 'deal');
    expect(m).toMatchObject({ distributed: 0n, nav: c(100) });
    const [empty] = bookMetrics(
      [{ dealId: 'e', subAreaId: 's', areaId: 'a', entries: [] }],
      '2021-12-31',
      'deal',
    );
    expect(empty).toMatchObject({ dpi: null, tvpi: null, xirr: { status: 'undefined' } });
  });
});

describe('pacing', () => {
  const programme = parseProgramme(JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8')));

  it('prorates the plan within a year', () => {
    expect(planToDate(programme, '2026-01-01')).toBe(0);
    expect(planToDate(programme, '2027-01-01')).toBeCloseTo(150e9, 0);
    expect(planToDate(programme, '2027-07-02')).toBeCloseTo(150e9 + 150e9 * (182 / 365), 0);
  });

  it('says behind, with the run-rate still required, when counted lags the plan', () => {
    const [total] = pacing(
      programme,
      { total: c(100e9), baseline: c(80e9), incremental: c(20e9) },
      c(1e9),
      '2027-01-01',
    );
    expect(total!.status).toBe('behind');
    expect(total!.planToDate).toBeCloseTo(150e9, 0);
    // $1.4T left over the 8.78 years from 1 Jan 2027 to 12 Oct 2035.
    const remainingYears = (Date.UTC(2035, 9, 12) - Date.UTC(2027, 0, 1)) / (365.25 * 86_400_000);
    expect(total!.requiredRunRate).toBeCloseTo(1.4e12 / remainingYears, 0);
  });

  it('says ahead and on pace at the thresholds', () => {
    const ahead = pacing(
      programme,
      { total: c(160e9), baseline: c(0), incremental: c(0) },
      c(0),
      '2027-01-01',
    )[0]!;
    const onPace = pacing(
      programme,
      { total: c(150e9), baseline: c(0), incremental: c(0) },
      c(0),
      '2027-01-01',
    )[0]!;
    expect([ahead.status, onPace.status]).toEqual(['ahead', 'on_pace']);
  });

  it('draws the path ahead: straight on at the run-rate so far, and at the rate that reaches the goal', () => {
    const [total] = pacing(
      programme,
      { total: c(100e9), baseline: c(80e9), incremental: c(20e9) },
      c(1e9),
      '2027-01-01',
    );
    const path = pacingPath(programme, total!, '2027-01-01');
    // One point per year end from 2027 to 2035; the last at the horizon's end, 12 Oct 2035.
    expect(path.map((p) => p.year)).toEqual([2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
    const year = 365.25 * 86_400_000;
    const firstYear = (Date.UTC(2028, 0, 1) - Date.UTC(2027, 0, 1)) / year;
    // $100B counted in the 1.22 years since 13 Oct 2025: the run-rate; the rest of $1.4T over 8.78 years.
    const ranFor = (Date.UTC(2027, 0, 1) - Date.UTC(2025, 9, 13)) / year;
    expect(path[0]!.projected).toBeCloseTo(100e9 + (100e9 / ranFor) * firstYear, 0);
    expect(path[0]!.required).toBeCloseTo(100e9 + total!.requiredRunRate * firstYear, 0);
    expect(path.at(-1)!.required).toBeCloseTo(1.5e12, 0);
    expect(path.at(-1)!.projected).toBeCloseTo(total!.projected, 0);
  });
});

describe('pacing per core area (when the programme file plans areas)', () => {
  const withAreas = (byArea: Record<string, { year: number; amount: string }[]>) => {
    const file = readJson(REFERENCE_PROGRAMME) as { plan: { byArea?: unknown } };
    return { ...file, plan: { ...file.plan, byArea } };
  };

  it('measures each planned area against its own plan', () => {
    const programme = parseProgramme(
      withAreas({
        'defense-aerospace': [
          { year: 2026, amount: '40000000000.00' },
          { year: 2027, amount: '40000000000.00' },
        ],
      }),
    );
    const lines = segmentPacing(
      programme,
      programme.areaPlans,
      new Map([['defense-aerospace', 30_000_000_000_00n as Cents]]),
      '2027-01-01',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      key: 'defense-aerospace',
      goal: 80_000_000_000_00n,
      status: 'behind',
    });
    expect(lines[0]?.planToDate).toBeCloseTo(40e9, 0); // all of 2026's area plan is due by 1 Jan 2027
  });

  const withInstruments = (byInstrument: Record<string, { year: number; amount: string }[]>) => {
    const file = readJson(REFERENCE_PROGRAMME) as { plan: object };
    return { ...file, plan: { ...file.plan, byInstrument } };
  };

  it('measures each planned instrument against its own plan, area plans and instrument plans side by side', () => {
    const programme = parseProgramme(
      withInstruments({
        direct_equity: [
          { year: 2026, amount: '1000000000.00' },
          { year: 2027, amount: '1000000000.00' },
        ],
        term_loan: [{ year: 2026, amount: '60000000000.00' }],
      }),
    );
    expect(programme.areaPlans.size).toBe(0);
    const lines = segmentPacing(
      programme,
      programme.instrumentPlans,
      new Map([
        ['direct_equity', 1_200_000_000_00n as Cents],
        ['term_loan', 10_000_000_000_00n as Cents],
      ]),
      '2027-01-01',
    );
    expect(lines.map((l) => [l.key, l.status])).toEqual([
      ['direct_equity', 'ahead'], // $1.2B counted against $1B due
      ['term_loan', 'behind'], // $10B against $60B due
    ]);
    // $50B of the loan plan is left, over the years left to the horizon's end (2035-10-12).
    expect(lines[1]?.requiredRunRate).toBeCloseTo(
      50e9 / ((Date.UTC(2035, 9, 12) - Date.UTC(2027, 0, 1)) / (365.25 * 86_400_000)),
      -3,
    );
  });

  it('refuses instrument plans that are not instruments or exceed the year', () => {
    expect(() => parseProgramme(withInstruments({ bonds: [{ year: 2026, amount: '1.00' }] }))).toThrow(
      /plan\.byInstrument: Unrecognized key: "bonds"/,
    );
    expect(() =>
      parseProgramme(
        withInstruments({
          term_loan: [{ year: 2026, amount: '100000000000.00' }],
          project_finance: [{ year: 2026, amount: '50000000000.01' }],
        }),
      ),
    ).toThrow(/plan.byInstrument for 2026 adds up to \$150,000,000,000.01/);
  });

  it('refuses area plans that exceed the year or name a year the plan does not have', () => {
    expect(() =>
      parseProgramme(withAreas({ 'defense-aerospace': [{ year: 2026, amount: '150000000000.01' }] })),
    ).toThrow(/adds up to \$150,000,000,000.01, more than the year's plan/);
    expect(() =>
      parseProgramme(withAreas({ 'defense-aerospace': [{ year: 2040, amount: '1.00' }] })),
    ).toThrow(/has 2040, which plan.years does not/);
  });
});
