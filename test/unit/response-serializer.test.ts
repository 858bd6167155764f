import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { centsString, timestamp } from '../../src/api/responses/shared.ts';
import { responseSerializer } from '../../src/api/serialize.ts';

const schema = z.object({ id: z.string(), amountCents: centsString, at: timestamp });
const serialize = (strict: boolean) => responseSerializer(strict)({ schema, method: 'GET', url: '/x' });
const answer = { id: 'a', amountCents: 12_345_678_901_234_567_890n, at: new Date('2026-01-02T03:04:05Z') };

describe('responses go out through their schema', () => {
  it('bigint cents become exact decimal strings and times ISO text', () => {
    expect(JSON.parse(serialize(true)(answer))).toEqual({
      id: 'a',
      amountCents: '12345678901234567890',
      at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('strict: a field the schema does not name, or a value it refuses, is an error, not an answer', () => {
    const quiet = console.error;
    console.error = () => {};
    try {
      expect(() => serialize(true)({ ...answer, secret: 'x' })).toThrow(
        /fields the schema does not name: \.secret/,
      );
      expect(() => serialize(true)({ ...answer, amountCents: 1.5 })).toThrow(
        /does not fit its response schema/,
      );
      expect(() => serialize(true)({ id: 'a', at: answer.at })).toThrow(/amountCents/);
    } finally {
      console.error = quiet;
    }
  });

  it('otherwise a field the schema does not name is not sent', () => {
    expect(JSON.parse(serialize(false)({ ...answer, secret: 'x' }))).not.toHaveProperty('secret');
  });
});
