import type { KeelDatabase } from '../db/connect.ts';
import { asIsoDate, type IsoDate } from '../domain/fields.ts';
import type { Principal } from '../domain/roles.ts';
import type { SsoConfig } from './sso-config.ts';
import type { TokenCache } from './token-cache.ts';

/** Who acts: a user (with a role) or the local operator of the CLI. Every audited write names one. */
export type Actor = Principal;

export interface AppContext {
  database: KeelDatabase;
  /** The audit signing key's file, outside the database (see app/audit-key.ts); unset: no checkpoints. */
  auditKeyFile?: string | undefined;
  /** SMTP for notification mail (KEEL_SMTP_URL, KEEL_MAIL_FROM); unset: in-app notifications only. */
  mail?: MailConfig | undefined;
  /** The key that seals secrets at rest (app/secret-box.ts): KEEL_SECRET_KEY, else the key file. */
  secretKey?: Buffer | undefined;
  secretKeyFile?: string | undefined;
  /** OpenID Connect single sign-on (KEEL_OIDC_*, app/sso-config.ts); unset: local accounts only. */
  sso?: SsoConfig | undefined;
  /** API tokens already resolved, on an embedded data folder only (see app/token-cache.ts). */
  tokenCache?: TokenCache | undefined;
}

export interface MailConfig {
  /** smtp://host:port or smtps://user:password@host:port, as nodemailer takes it. */
  url: string;
  from: string;
  /** Keel's own address as users reach it (KEEL_PUBLIC_URL), for links in mail; none without it. */
  publicUrl?: string | undefined;
}

/** Progress of long work (imports, loads): called with rows done and rows in all. */
export type Progress = (done: number, total: number) => void;

/** Today's date (UTC) as YYYY-MM-DD: the default "as of" and effective date of the use cases. */
export const today = (): IsoDate => asIsoDate(new Date().toISOString().slice(0, 10));
