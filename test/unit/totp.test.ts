/**
 * The TOTP second factor against the published test vectors: IETF RFC 6238, Appendix B (May 2011), read from
 * data/security/rfc6238-appendix-b.tsv (seeds from the RFC's Appendix A reference code, in the file's header).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { DATA_DIR } from '../../src/app/data-files.ts';
import { acceptedStep } from '../../src/app/totp.ts';

const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;

const vectors = readFileSync(join(DATA_DIR, 'security', 'rfc6238-appendix-b.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line && !line.startsWith('#') && !line.startsWith('time_seconds'))
  .map((line) => {
    const [time, , tHex, totp, mode] = line.split('\t') as [
      string,
      string,
      string,
      string,
      keyof typeof SEEDS,
    ];
    return { time: Number(time), step: BigInt(`0x${tHex}`), totp, mode };
  });

describe('TOTP (RFC 6238)', () => {
  it('reads all 18 vectors of Appendix B', () => {
    expect(vectors).toHaveLength(18);
  });

  it.each(vectors)('$mode at $time s gives $totp', ({ time, totp, mode }) => {
    const secret = new TextEncoder().encode(SEEDS[mode]);
    expect(generateSync({ secret, algorithm: mode.toLowerCase() as 'sha1', digits: 8, epoch: time })).toBe(
      totp,
    );
  });

  // Keel's codes are SHA1, 6 digits: the last six digits of the RFC's 8-digit values (RFC 4226 §5.3).
  const base32Seed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890" in base32 (RFC 4648)
  const sha1 = vectors.filter((v) => v.mode === 'SHA1');

  it.each(sha1)('accepts the 6-digit code at $time s as time step T = $step', ({ time, step, totp }) => {
    expect(acceptedStep(base32Seed, totp.slice(2), null, time)).toBe(step);
  });

  it('takes each code once, tolerates one step of clock drift, and no more', () => {
    const { time, totp, step } = sha1[1]!; // 1111111109 s: 07081804
    const code = totp.slice(2);
    expect(acceptedStep(base32Seed, code, step, time)).toBeNull(); // already used
    expect(acceptedStep(base32Seed, code, step - 1n, time)).toBe(step);
    expect(acceptedStep(base32Seed, code, null, time + 30)).toBe(step); // the authenticator is 30 s slow
    expect(acceptedStep(base32Seed, code, null, time - 30)).toBe(step); // or fast
    expect(acceptedStep(base32Seed, code, null, time + 90)).toBeNull();
    expect(acceptedStep(base32Seed, '12345', null, time)).toBeNull();
    expect(acceptedStep(base32Seed, 'abcdef', null, time)).toBeNull();
  });
});
