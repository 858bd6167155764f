import { describe, expect, it } from 'vitest';
import { mailRetryDelayMs, mailSubject, mayBeToldOf } from '../../src/domain/notifications.ts';

describe('notification rules of the domain', () => {
  it('tells the public side about a deal only over an open wall-crossing for every deal named', () => {
    expect(mayBeToldOf('banker', ['d1'], new Set())).toBe(true);
    expect(mayBeToldOf('research_analyst', [], new Set())).toBe(true);
    expect(mayBeToldOf('research_analyst', ['d1'], new Set())).toBe(false);
    expect(mayBeToldOf('research_analyst', ['d1'], new Set(['d1']))).toBe(true);
    expect(mayBeToldOf('research_analyst', ['d1', 'd2'], new Set(['d1']))).toBe(false);
    expect(mayBeToldOf('council_member', ['d1'], new Set(['d1']))).toBe(false);
  });

  it('backs off from 30 s, doubling, to at most 4 h', () => {
    expect([1, 2, 3].map(mailRetryDelayMs)).toEqual([30_000, 60_000, 120_000]);
    expect(mailRetryDelayMs(40)).toBe(4 * 3_600_000);
  });

  it('makes a one-line subject of at most 120 characters of text', () => {
    expect(mailSubject('A\nB')).toBe('Keel: A');
    expect(mailSubject('x'.repeat(300))).toHaveLength('Keel: '.length + 120);
  });
});
