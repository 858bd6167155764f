import { describe, expect, it } from 'vitest';
import { bookMetrics } from '../../src/domain/book-metrics.ts';
import {
  actorName,
  byStage,
  compactAmount,
  compactDollars,
  exactAmount,
  formatMoment,
  formatMultiple,
  formatPercent,
  formatShare,
  formatXirr,
  headquarters,
  label,
  moneyScale,
  moneyScaleForCents,
  stateName,
} from '../../src/domain/format.ts';
import { cents, parseDollars } from '../../src/domain/money.ts';
import { STAGES } from '../../src/domain/stages.ts';
import { US_STATES, US_STATES_BY_NAME } from '../../src/domain/us-states.ts';
import { asSentence } from '../../src/web/format.ts';

describe('one formatting module', () => {
  it('shortens amounts without ever rounding up, and keeps the exact figure', () => {
    // The figure the issue found clipped at 1280 px: $229,950,710,000.00.
    expect(compactAmount(22_995_071_000_000n)).toBe('$229.95B');
    expect(exactAmount('22995071000000')).toBe('$229,950,710,000.00');
    expect(compactAmount(parseDollars('1500000000000'))).toBe('$1.50T');
    expect(compactAmount(parseDollars('9999999999.99'))).toBe('$9.99B');
    expect(compactAmount(parseDollars('75000000'))).toBe('$75.00M');
    expect(compactAmount(parseDollars('999.99'))).toBe('$999.99');
    expect(compactAmount(-150_000_000n)).toBe('-$1.50M');
    expect(compactDollars(2_500_000)).toBe('$2.50M');
    expect(compactDollars(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('gives a percentage the precision a reader needs', () => {
    expect(formatPercent(0.0035)).toBe('0.35%');
    expect(formatPercent(0.425)).toBe('42.5%');
    expect(formatPercent(12.5)).toBe('1,250%');
    expect(formatPercent(0.00001)).toBe('<0.01%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(Number.NaN)).toBe('–');
    // Shares of bigint amounts: $92M of $1.5T.
    expect(formatShare(9_200_000_000n, 150_000_000_000_000n)).toBe('<0.01%');
    expect(formatShare('46000000000000', '150000000000000')).toBe('30.7%');
    expect(formatShare(1n, 0n)).toBe('–');
    expect(formatMultiple(1.2345)).toBe('1.23×');
    expect(formatMultiple(null)).toBe('–');
  });

  it('picks one unit per chart axis from its largest value', () => {
    const billions = moneyScale(70_000_000_000);
    expect(billions.unit).toBe('$B');
    // Not "$70000M": the tick is in the axis unit.
    expect(billions.tick(70_000_000_000)).toBe('70');
    expect(billions.tick(2_500_000_000)).toBe('2.5');
    expect(billions.value(229_950_710_000)).toBe('$229.95B');
    expect(moneyScale(850_000).unit).toBe('$K');
    expect(moneyScale(12).unit).toBe('$');
    // Cents in, dollars decide: 9,200,000,000 cents is $92M.
    expect(moneyScaleForCents(['9200000000', null, 1n]).unit).toBe('$M');
  });

  it('shows XIRR as n.m. for a book held under a year (GIPS, ILPA), and the rate after a year', () => {
    const position = (drawOn: string) => ({
      dealId: 'd',
      subAreaId: 's',
      areaId: 'a',
      entries: [
        { kind: 'draw' as const, amount: cents(100_00n), effectiveOn: drawOn },
        { kind: 'valuation' as const, amount: cents(300_00n), effectiveOn: '2026-06-30' },
      ],
    });
    const [young] = bookMetrics([position('2026-03-01')], '2026-06-30', 'book');
    const shown = formatXirr(young!.xirr);
    expect(shown.text).toBe('n.m.');
    expect(shown.reason).toMatch(/held 121 days, under a year.*GIPS/);
    const [old] = bookMetrics([position('2024-06-30')], '2026-06-30', 'book');
    // Tripled in two years: (3)^(1/2) − 1 = 73.2 % a year.
    expect(formatXirr(old!.xirr)).toEqual({ text: '73.2%', reason: null });
    expect(formatXirr({ status: 'undefined', reason: 'no flows' })).toEqual({
      text: '–',
      reason: 'no flows',
    });
  });

  it('orders stages as the funnel does, and names states', () => {
    const shuffled = ['withdrawn', 'sourced', 'monitoring', 'committee', 'exited'].map((stage) => ({
      stage,
    }));
    expect(shuffled.sort(byStage((r) => r.stage)).map((r) => r.stage)).toEqual(
      STAGES.filter((s) => ['withdrawn', 'sourced', 'monitoring', 'committee', 'exited'].includes(s)),
    );
    expect(stateName('39')).toBe('Ohio');
    expect(stateName('01')).toBe('Alabama');
    expect(stateName('99')).toBe('FIPS 99');
    expect(stateName(null)).toBe('—');
    expect(headquarters('Fort Worth', '48')).toBe('Fort Worth, Texas');
    expect(headquarters(null, '48')).toBe('Texas');
    expect(headquarters('Toronto', null)).toBe('Toronto');
    expect(headquarters(null, null)).toBeNull();
    // A picker lists the states by name, not by FIPS code (Delaware, "10", came before Alabama, "01").
    const names = US_STATES_BY_NAME.map(([, name]) => name);
    expect(names.slice(0, 3)).toEqual(['Alabama', 'Alaska', 'American Samoa']);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(names).toHaveLength(Object.keys(US_STATES).length);
  });

  it("shows a server's message as a sentence after the web app's heading", () => {
    expect(asSentence("this entry: deal d1's approval covers $5.00")).toBe(
      "This entry: deal d1's approval covers $5.00.",
    );
    expect(asSentence('no deal "x".')).toBe('No deal "x".');
    // Found by a new user's pass: "Refused. Querystring.from: from must not be after to."
    expect(asSentence('querystring.from: from must not be after to')).toBe(
      'From: from must not be after to.',
    );
    expect(asSentence('body.amount: "1.005" has more than 2 decimal places')).toBe(
      'Amount: "1.005" has more than 2 decimal places.',
    );
    expect(asSentence('')).toBe('');
  });

  it('prints a moment in UTC, from ISO text or PostgreSQL text', () => {
    expect(formatMoment('2026-11-30T15:45:54.070Z')).toBe('2026-11-30 15:45 UTC');
    expect(formatMoment('2026-11-30 15:45:54.07+00')).toBe('2026-11-30 15:45 UTC');
    expect(formatMoment('2026-11-30 17:45:54+02', { seconds: true })).toBe('2026-11-30 15:45:54 UTC');
    expect(formatMoment('not a time')).toBe('not a time');
  });

  it('labels ids as words, abbreviations as they are written, and a few ids by their name', () => {
    expect(label('written_off')).toBe('written off');
    expect(label('critical-minerals')).toBe('critical minerals');
    expect(label('ma_advisory')).toBe('M&A advisory');
    expect(label('nrc_licence')).toBe('NRC licence');
    expect(label('nepa_environmental_assessment')).toBe('NEPA environmental assessment');
    expect(label('equity-vc-per-company')).toBe('equity VC per company');
    expect(label('risk_compliance')).toBe('risk & compliance');
    expect(label('clean_water_404')).toBe('Clean Water Act §404');
    // Only whole words: "mass" keeps its "ma", and an object's own keys are no labels.
    expect(label('mass_timber')).toBe('mass timber');
    expect(label('constructor')).toBe('constructor');
    expect(label('to_string')).toBe('to string');
  });

  it('names an actor by the user, the command line by its operator, and anything else by its id', () => {
    expect(actorName('ada', 'Ada Lovelace')).toBe('Ada Lovelace');
    expect(actorName('cli:root')).toBe('command line (root)');
    expect(actorName('sso-0a1b')).toBe('sso-0a1b');
  });
});
