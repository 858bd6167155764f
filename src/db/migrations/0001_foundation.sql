-- Keel foundation schema. PostgreSQL 15-compatible (it also runs inside PGlite, which is PostgreSQL 18).
-- Money is bigint cents everywhere; there is no float column for an amount.

CREATE TABLE programme_versions (
  version              integer PRIMARY KEY,
  programme_id         text NOT NULL,
  methodology_version  integer NOT NULL,
  document             jsonb NOT NULL,
  document_sha256      text NOT NULL,
  loaded_at            timestamptz NOT NULL DEFAULT now(),
  loaded_by            text NOT NULL
);

CREATE TABLE areas (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  description  text NOT NULL
);

CREATE TABLE sub_areas (
  id              text PRIMARY KEY,
  area_id         text NOT NULL REFERENCES areas(id),
  name            text NOT NULL,
  description     text NOT NULL,
  publicly_named  boolean NOT NULL,
  source_note     text NOT NULL
);

CREATE TABLE companies (
  id                   text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  name                 text NOT NULL,
  us_based             boolean NOT NULL,
  hq_city              text,
  hq_state_fips        char(2) CHECK (hq_state_fips ~ '^[0-9]{2}$'),
  hq_county_fips       char(5) CHECK (hq_county_fips ~ '^[0-9]{5}$'),
  ticker               text,
  existing_client      boolean NOT NULL DEFAULT false,
  ownership_note       text,
  foreign_control      boolean NOT NULL DEFAULT false,
  foreign_control_note text,
  source               text NOT NULL,
  synthetic            boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (hq_county_fips IS NULL OR hq_state_fips IS NULL OR left(hq_county_fips, 2) = hq_state_fips)
);

CREATE TABLE facilities (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  company_id   text NOT NULL REFERENCES companies(id),
  name         text NOT NULL,
  kind         text NOT NULL,
  city         text,
  state_fips   char(2) NOT NULL CHECK (state_fips ~ '^[0-9]{2}$'),
  county_fips  char(5) CHECK (county_fips ~ '^[0-9]{5}$'),
  source       text NOT NULL
);
CREATE INDEX facilities_company ON facilities(company_id);

CREATE TABLE deals (
  id              text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  company_id      text NOT NULL REFERENCES companies(id),
  sub_area_id     text NOT NULL REFERENCES sub_areas(id),
  instrument      text NOT NULL,
  amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
  currency        char(3) NOT NULL DEFAULT 'USD' CHECK (currency = 'USD'),
  stage           text NOT NULL,
  classification  text NOT NULL CHECK (classification IN ('baseline', 'incremental')),
  opened_on       date NOT NULL,
  announced_on    date,
  team            jsonb NOT NULL DEFAULT '[]',
  source          text NOT NULL,
  synthetic       boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deals_company ON deals(company_id);
CREATE INDEX deals_stage ON deals(stage);

CREATE TABLE deal_stage_moves (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id    text NOT NULL REFERENCES deals(id),
  from_stage text,
  to_stage   text NOT NULL,
  moved_at   timestamptz NOT NULL DEFAULT now(),
  moved_by   text NOT NULL
);
CREATE INDEX deal_stage_moves_deal ON deal_stage_moves(deal_id);

-- Append-only: the trigger below refuses UPDATE and DELETE. Corrections are new entries.
CREATE TABLE ledger_entries (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  client_key    text NOT NULL UNIQUE,
  deal_id       text NOT NULL REFERENCES deals(id),
  kind          text NOT NULL CHECK (kind IN ('commitment', 'cancellation', 'draw', 'repayment', 'distribution', 'valuation')),
  amount_cents  bigint NOT NULL CHECK (amount_cents >= 0),
  effective_on  date NOT NULL,
  note          text,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  recorded_by   text NOT NULL
);
CREATE INDEX ledger_entries_deal ON ledger_entries(deal_id, kind);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER ledger_entries_append_only
  BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- One row per cap and scope (the whole programme, one sub-area, one company). Writers lock these rows
-- with SELECT ... FOR UPDATE in the same transaction as the ledger insert, so no interleaving overspends.
CREATE TABLE cap_usage (
  cap_id       text NOT NULL,
  scope_key    text NOT NULL,
  limit_cents  bigint NOT NULL CHECK (limit_cents >= 0),
  used_cents   bigint NOT NULL DEFAULT 0 CHECK (used_cents >= 0),
  PRIMARY KEY (cap_id, scope_key)
);

-- Every write carries a client key. A replay with the same key and the same request returns the stored
-- response and writes nothing; the same key with a different request is refused.
CREATE TABLE idempotency_keys (
  key            text PRIMARY KEY,
  action         text NOT NULL,
  request_sha256 text NOT NULL,
  response       text,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  seq       bigint PRIMARY KEY,
  prev_hash text NOT NULL,
  hash      text NOT NULL,
  body      text NOT NULL
);

-- The chain head: one row, locked by every audited write, so sequence numbers have no gaps.
CREATE TABLE audit_head (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
