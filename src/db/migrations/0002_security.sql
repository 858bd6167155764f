-- Users, sessions, API tokens and wall-crossings. Secrets are stored only as hashes: argon2id for passwords,
-- SHA-256 for random session and API tokens (they carry 256 bits of entropy, so a slow hash adds nothing).

CREATE TABLE users (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]*$'),
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'portfolio_manager', 'banker', 'sector_specialist', 'research_analyst',
                                              'investment_committee', 'risk_compliance', 'auditor', 'council_member')),
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_sha256 text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users(id),
  name         text NOT NULL,
  token_sha256 text NOT NULL UNIQUE,
  scope        text NOT NULL CHECK (scope IN ('read', 'write')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE wall_crossings (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users(id),
  deal_id       text NOT NULL REFERENCES deals(id),
  reason        text NOT NULL,
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'denied', 'revoked')),
  decided_by    text,
  decided_at    timestamptz,
  expires_at    timestamptz,
  CHECK (status <> 'approved' OR (decided_by IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX wall_crossings_user_deal ON wall_crossings(user_id, deal_id);
