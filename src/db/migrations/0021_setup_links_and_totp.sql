-- One-time setup links (issue 19): a server starting on a database with no active admin prints a link that
-- creates the first admin in the browser. Only the SHA-256 of the link's 256-bit token is kept; a link works
-- once, until it expires, and only while there is no active admin.
CREATE TABLE setup_links (
  token_sha256 text PRIMARY KEY,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  used_by      text
);

-- Optional TOTP second factor (RFC 6238) for local accounts. The secret is set at enrolment and the factor is
-- required at login once a first code confirmed it; the last accepted time step makes each code single-use.
ALTER TABLE users ADD COLUMN totp_secret text;
ALTER TABLE users ADD COLUMN totp_confirmed_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
