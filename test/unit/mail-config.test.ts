/** Notification mail settings from the environment: KEEL_PUBLIC_URL is checked at start, not at first mail. */
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/app/open.ts';

const env = (extra: Record<string, string>) => ({ KEEL_DATA: '/tmp/keel-mail-config', ...extra });

describe('mail configuration', () => {
  it('takes an http(s) public address without its trailing slash', () => {
    const config = configFromEnv(
      env({ KEEL_SMTP_URL: 'smtp://127.0.0.1:25', KEEL_PUBLIC_URL: 'https://keel.example.org/' }),
    );
    expect(config.mail).toEqual({
      url: 'smtp://127.0.0.1:25',
      from: 'Keel <keel@localhost>',
      publicUrl: 'https://keel.example.org',
    });
    expect(configFromEnv(env({ KEEL_SMTP_URL: 'smtp://127.0.0.1:25' })).mail?.publicUrl).toBeUndefined();
  });

  it('refuses a public address that is not http(s)', () => {
    for (const bad of ['keel.example.org', 'javascript:alert(1)', 'ftp://keel.example.org'])
      expect(
        () => configFromEnv(env({ KEEL_SMTP_URL: 'smtp://127.0.0.1:25', KEEL_PUBLIC_URL: bad })),
        bad,
      ).toThrow(/KEEL_PUBLIC_URL must be an http\(s\) address/);
  });
});
