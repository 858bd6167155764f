/**
 * The public record's parsers and rules: state codes checked against the Census Bureau's boundary file
 * (us-atlas), dates of a day, month or quarter, places, sources, the bank's roles, and which stage of an
 * award counts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { placeOf, publicDollars } from '../../src/domain/public-record/crowding.ts';
import { placesField, reportedDateField, splitSources } from '../../src/domain/public-record/fields.ts';
import { awardStage, supersededAwards } from '../../src/domain/public-record/peer-award.ts';
import { bankRolesFromText, ownAmountIsReported } from '../../src/domain/public-record/reported-deal.ts';
import { US_STATES } from '../../src/domain/public-record/us-states.ts';

const require = createRequire(import.meta.url);

describe('public record parsers', () => {
  it('every state code names the state the Census boundary file gives that FIPS code', () => {
    const atlas = JSON.parse(readFileSync(require.resolve('us-atlas/states-10m.json'), 'utf8')) as {
      objects: { states: { geometries: { id: string; properties: { name: string } }[] } };
    };
    const names = new Map(atlas.objects.states.geometries.map((g) => [g.id, g.properties.name]));
    for (const [usps, fips, name] of US_STATES) expect(names.get(fips), usps).toBe(name);
    expect(new Set(US_STATES.map(([u]) => u)).size).toBe(US_STATES.length);
  });

  it('keeps a date as precise as its source: a day, a month, a quarter, or blank', () => {
    expect(reportedDateField.parse('2024-03-14')).toMatchObject({
      precision: 'day',
      start: '2024-03-14',
      end: '2024-03-14',
    });
    expect(reportedDateField.parse('2024-06')).toMatchObject({
      precision: 'month',
      start: '2024-06-01',
      end: '2024-06-30',
    });
    expect(reportedDateField.parse('2024-Q1')).toMatchObject({
      precision: 'quarter',
      start: '2024-01-01',
      end: '2024-03-31',
    });
    expect(reportedDateField.parse('')).toBeNull();
    expect(reportedDateField.parse(undefined)).toBeNull();
    for (const bad of ['2024-02-30', '2024-13', '2024-Q5', 'June 2024'])
      expect(reportedDateField.safeParse(bad).success, bad).toBe(false);
  });

  it('reads places: US states (several, or with a note) as FIPS, places abroad apart, typos refused', () => {
    expect(placesField.parse('AZ;OH;NM;OR').stateFips).toEqual(['04', '39', '35', '41']);
    expect(placesField.parse('NC (HQ)')).toEqual({ text: 'NC (HQ)', stateFips: ['37'], outsideUs: [] });
    expect(placesField.parse('NSW, Australia')).toEqual({
      text: 'NSW, Australia',
      stateFips: [],
      outsideUs: ['NSW, Australia'],
    });
    expect(placesField.parse(undefined)).toEqual({ text: '', stateFips: [], outsideUs: [] });
    expect(placesField.safeParse('XX').success).toBe(false);
    expect(placesField.safeParse('Calif').success).toBe(false);
  });

  it('splits sources on " | " and on ";" before a URL, keeping labels and URLs with semicolons', () => {
    expect(splitSources('https://a.example/x | stored copy: https://b.example/y.md')).toEqual([
      { label: null, url: 'https://a.example/x', text: 'https://a.example/x' },
      { label: 'stored copy', url: 'https://b.example/y.md', text: 'stored copy: https://b.example/y.md' },
    ]);
    expect(splitSources('https://a.example/?p=1;q=2;https://c.example').map((s) => s.url)).toEqual([
      'https://a.example/?p=1;q=2',
      'https://c.example',
    ]);
    expect(splitSources('Reuters, 27 Oct 2025')).toEqual([
      { label: null, url: null, text: 'Reuters, 27 Oct 2025' },
    ]);
    expect(splitSources('javascript:alert(1)')[0]!.url).toBeNull();
  });

  it("reads the bank's role and whether its own amount is reported from the deal's words", () => {
    expect(bankRolesFromText('Co-lead (JPMorganChase Strategic Investment Group) of $1B Series D')).toEqual([
      'co_lead',
    ]);
    expect(
      bankRolesFromText('JPM sole financial adviser and lead-left arranger; committed financing'),
    ).toEqual(['lead', 'adviser', 'debt']);
    expect(bankRolesFromText('Participant in $30B Series G (led by GIC and Coatue)')).toEqual([
      'participant',
    ]);
    expect(ownAmountIsReported('Direct equity, $75M of JPM own capital')).toBe(true);
    expect(ownAmountIsReported('JPM own share of the $1.0B not disclosed')).toBe(false);
    expect(ownAmountIsReported('[amount = round total; JPM share undisclosed] Co-lead')).toBe(false);
  });

  it('counts an award once, at its furthest stage, and never splits one over several states', () => {
    expect(awardStage('closed loan ("up to")')).toBe('final');
    expect(awardStage('conditional commitment')).toBe('conditional');
    expect(awardStage('announced direct loan')).toBe('preliminary');
    expect(awardStage('status not stated in read source')).toBe('unstated');
    expect(awardStage('rumoured')).toBeNull();
    const awards = [
      {
        id: 'a',
        programme: 'P',
        recipient: 'Lithium Co',
        amount: 10n,
        stage: 'conditional',
        dateEnd: '2024-03-14',
      },
      {
        id: 'b',
        programme: 'P',
        recipient: 'Lithium Co',
        amount: 10n,
        stage: 'final',
        dateEnd: '2024-10-28',
      },
      { id: 'c', programme: 'Q', recipient: 'Lithium Co', amount: 5n, stage: 'preliminary', dateEnd: null },
    ] as const;
    const superseded = supersededAwards(awards as never);
    expect([...superseded]).toEqual([['a', 'b']]);
    const figures = publicDollars([
      {
        id: 'a',
        programmeId: 'p',
        subAreaId: 's',
        stateFips: ['32'],
        amount: 10n as never,
        stage: 'conditional',
        supersededBy: 'b',
      },
      {
        id: 'b',
        programmeId: 'p',
        subAreaId: 's',
        stateFips: ['32'],
        amount: 10n as never,
        stage: 'final',
        supersededBy: null,
      },
      {
        id: 'c',
        programmeId: 'q',
        subAreaId: 's',
        stateFips: ['04', '39'],
        amount: 5n as never,
        stage: 'preliminary',
        supersededBy: null,
      },
      {
        id: 'd',
        programmeId: 'q',
        subAreaId: 's',
        stateFips: [],
        amount: null,
        stage: 'final',
        supersededBy: null,
      },
    ]);
    expect(figures.bySubArea.get('s')).toEqual({ amount: 15n, awards: 3, withoutAmount: 1 });
    expect(Object.fromEntries([...figures.byState].map(([k, v]) => [k, v.amount]))).toEqual({
      '32': 10n,
      several: 5n,
      none: 0n,
    });
    expect(placeOf(['06'])).toBe('06');
  });
});
