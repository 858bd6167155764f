/**
 * Single sign-on settings from the environment are checked at start: a bad one stops Keel with a message naming
 * the variable. And the role claim maps to exactly one Keel role, or to none.
 */
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/app/open.ts';
import { roleFromClaim } from '../../src/app/sso.ts';

const GOOD = {
  KEEL_DATA: '/tmp/keel-sso-config',
  KEEL_OIDC_ISSUER: 'https://login.example.org/realms/keel',
  KEEL_OIDC_CLIENT_ID: 'keel',
  KEEL_OIDC_CLIENT_SECRET: 'a client secret of some length',
  KEEL_PUBLIC_URL: 'https://keel.example.org/',
};

describe('single sign-on configuration', () => {
  it('is off without KEEL_OIDC_* and complete with the defaults otherwise', () => {
    expect(configFromEnv({ KEEL_DATA: '/tmp/keel-sso-config' }).sso).toBeUndefined();
    expect(configFromEnv(GOOD).sso).toEqual({
      issuer: 'https://login.example.org/realms/keel',
      clientId: 'keel',
      clientSecret: 'a client secret of some length',
      redirectUrl: 'https://keel.example.org/api/auth/oidc/callback',
      postLogoutUrl: 'https://keel.example.org/',
      scopes: 'openid email profile',
      roleClaim: 'keel_role',
      roleMap: null,
    });
    const mapped = configFromEnv({
      ...GOOD,
      KEEL_OIDC_ROLE_CLAIM: 'groups',
      KEEL_OIDC_ROLE_MAP: '{"ic-members":"investment_committee"}',
    }).sso;
    expect(mapped).toMatchObject({ roleClaim: 'groups', roleMap: { 'ic-members': 'investment_committee' } });
  });

  it('refuses a bad setting with a message naming it', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ KEEL_OIDC_CLIENT_ID: '' }, /KEEL_OIDC_CLIENT_ID/],
      [{ KEEL_OIDC_ISSUER: 'http://login.example.org' }, /KEEL_OIDC_ISSUER must be https/],
      [{ KEEL_OIDC_ISSUER: 'not a url' }, /KEEL_OIDC_ISSUER must be an absolute URL/],
      [{ KEEL_OIDC_CLIENT_SECRET: 'short' }, /KEEL_OIDC_CLIENT_SECRET must be at least 16/],
      [{ KEEL_OIDC_ROLE_MAP: '{"x":"superuser"}' }, /KEEL_OIDC_ROLE_MAP.*must be a Keel role/],
      [{ KEEL_OIDC_ROLE_MAP: 'ic-members=investment_committee' }, /KEEL_OIDC_ROLE_MAP must be a JSON object/],
      [{ KEEL_OIDC_SCOPES: 'email profile' }, /must include openid/],
      [{ KEEL_PUBLIC_URL: '' }, /set KEEL_OIDC_REDIRECT_URL .* or KEEL_PUBLIC_URL/],
      [
        { KEEL_OIDC_REDIRECT_URL: 'https://keel.example.org/callback' },
        /must end in \/api\/auth\/oidc\/callback/,
      ],
    ];
    for (const [change, message] of bad)
      expect(() => configFromEnv({ ...GOOD, ...change }), JSON.stringify(change)).toThrow(message);
    // Half a configuration is refused too, not taken as "off".
    expect(() => configFromEnv({ KEEL_DATA: '/tmp/x', KEEL_OIDC_CLIENT_ID: 'keel' })).toThrow(
      /KEEL_OIDC_ISSUER/,
    );
    // Plain http is for a provider on this machine only.
    expect(configFromEnv({ ...GOOD, KEEL_OIDC_ISSUER: 'http://localhost:3000' }).sso?.issuer).toBe(
      'http://localhost:3000',
    );
  });

  it('maps a claim to one Keel role, or to none', () => {
    const map = { 'ic-members': 'investment_committee', auditors: 'auditor' } as const;
    expect(roleFromClaim('ic-members', map)).toBe('investment_committee');
    expect(roleFromClaim(['staff', 'auditors'], map)).toBe('auditor');
    expect(roleFromClaim(['ic-members', 'auditors'], map)).toBeNull(); // two roles: ambiguous
    expect(roleFromClaim('admin', map)).toBeNull(); // with a map, only the map counts
    expect(roleFromClaim('constructor', map)).toBeNull();
    expect(roleFromClaim(undefined, map)).toBeNull();
    expect(roleFromClaim('banker', null)).toBe('banker');
    expect(roleFromClaim('superuser', null)).toBeNull();
    expect(roleFromClaim(42, null)).toBeNull();
  });
});
