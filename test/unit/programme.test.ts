import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PROGRAMME } from '../../src/app/data-files.ts';
import { INSTRUMENTS } from '../../src/domain/instruments.ts';
import { capKeysFor, countedAmount, parseProgramme } from '../../src/domain/programme.ts';

const reference = () => JSON.parse(readFileSync(REFERENCE_PROGRAMME, 'utf8'));

describe('programme file', () => {
  it('parses the reference programme: $1.5T = $1.0T baseline + $0.5T incremental, $10B equity+VC cap', () => {
    const programme = parseProgramme(reference());
    expect(programme.targets.total).toBe(150_000_000_000_000n);
    expect(programme.targets.baseline + programme.targets.incremental).toBe(programme.targets.total);
    expect(programme.caps.find((c) => c.id === 'equity-vc')?.limit).toBe(1_000_000_000_000n);
    expect(Object.keys(programme.methodology.rules).sort()).toEqual([...INSTRUMENTS].sort());
  });

  it('refuses targets that do not add up, naming the figures', () => {
    const file = reference();
    file.targets.incremental = '400000000000.00';
    expect(() => parseProgramme(file)).toThrow(
      /baseline \(\$1,000,000,000,000.00\) \+ targets.incremental \(\$400,000,000,000.00\) must equal/,
    );
  });

  it('refuses a plan that does not sum to the total', () => {
    const file = reference();
    file.plan.years[0].amount = '1.00';
    expect(() => parseProgramme(file)).toThrow(/plan.years add up to/);
  });

  it('refuses a methodology that leaves an instrument uncounted', () => {
    const file = reference();
    delete file.methodology.instruments.ma_advisory;
    expect(() => parseProgramme(file)).toThrow(/methodology\.instruments\.ma_advisory/);
  });

  it('refuses malformed amounts and unknown instruments with the path', () => {
    const file = reference();
    file.caps[0].limit = '10e9';
    expect(() => parseProgramme(file)).toThrow(/caps\.0\.limit/);
    const other = reference();
    other.caps[0].instruments = ['crypto'];
    expect(() => parseProgramme(other)).toThrow(/caps\.0\.instruments\.0/);
  });

  it('counts by the methodology factor, rounding toward zero', () => {
    const file = reference();
    file.methodology.instruments.ma_advisory.countingBps = 2_500;
    const programme = parseProgramme(file);
    expect(countedAmount(programme, 'ma_advisory', 1_000_003n)).toBe(250_000n);
    expect(countedAmount(programme, 'term_loan', 1_000_003n)).toBe(1_000_003n);
  });

  it('maps an equity deal to the programme, sub-area and company cap rows', () => {
    const programme = parseProgramme(reference());
    const keys = capKeysFor(programme, {
      instrument: 'direct_equity',
      subAreaId: 'critical-minerals',
      companyId: 'acme',
    });
    expect(keys.map((k) => `${k.capId}/${k.scopeKey}`).sort()).toEqual([
      'equity-vc-per-company/acme',
      'equity-vc-per-sub-area/critical-minerals',
      'equity-vc/*',
    ]);
    expect(capKeysFor(programme, { instrument: 'term_loan', subAreaId: 'x', companyId: 'y' })).toEqual([]);
  });
});
