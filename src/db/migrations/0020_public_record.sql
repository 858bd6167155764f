-- The public record: the programme's reported deals and the peer programmes' awards, each row as its
-- sources state it, and the White House statements the awards cite. Nothing here is in the ledger: a
-- reported deal reaches the programme's figures only through a deal of its own (deal_id), and only when
-- the bank's own amount is disclosed and the report verified.

CREATE TABLE public_statements (
  path        text PRIMARY KEY,
  issued_on   date NOT NULL,
  title       text NOT NULL,
  source_url  text NOT NULL,
  topics      jsonb NOT NULL DEFAULT '[]',
  body        text NOT NULL
);
CREATE INDEX public_statements_search ON public_statements
  USING gin (to_tsvector('english', title || ' ' || body));
CREATE INDEX public_statements_url ON public_statements(source_url);

CREATE TABLE reported_deals (
  id                     text PRIMARY KEY CHECK (id ~ '^[0-9a-z][a-z0-9-]*$'),
  reported_on            date NOT NULL,
  company                text NOT NULL,
  instrument             text NOT NULL,
  -- What the source reports (a round or project total, or the bank's own amount); null when blank.
  reported_amount_cents  bigint CHECK (reported_amount_cents > 0),
  -- The bank's own amount; null means undisclosed, and nothing of the deal is counted.
  own_amount_cents       bigint CHECK (own_amount_cents > 0),
  amount_basis           text,
  roles                  jsonb NOT NULL DEFAULT '[]',
  sub_area_text          text NOT NULL,
  sub_area_id            text NOT NULL REFERENCES sub_areas(id),
  status                 text NOT NULL CHECK (status IN ('verified', 'unverified')),
  precursor              boolean NOT NULL DEFAULT false,
  state_fips             char(2) CHECK (state_fips ~ '^[0-9]{2}$'),
  county_fips            char(5) CHECK (county_fips ~ '^[0-9]{5}$'),
  sources                jsonb NOT NULL,
  deal_id                text REFERENCES deals(id),
  origin                 text NOT NULL,
  recorded_by            text NOT NULL,
  recorded_at            timestamptz NOT NULL DEFAULT now(),
  -- A lead (unverified) has no own amount and no deal, so it can never reach the ledger.
  CHECK (status = 'verified' OR (own_amount_cents IS NULL AND deal_id IS NULL)),
  CHECK (county_fips IS NULL OR state_fips IS NULL OR left(county_fips, 2) = state_fips)
);
CREATE INDEX reported_deals_sub_area ON reported_deals(sub_area_id);

CREATE TABLE peer_awards (
  id              text PRIMARY KEY,
  programme       text NOT NULL,
  programme_id    text NOT NULL,
  recipient       text NOT NULL,
  technology      text NOT NULL,
  amount_cents    bigint CHECK (amount_cents > 0),
  date_text       text NOT NULL,
  date_start      date,
  date_end        date,
  state_text      text NOT NULL,
  state_fips      jsonb NOT NULL DEFAULT '[]',
  outside_us      jsonb NOT NULL DEFAULT '[]',
  status          text NOT NULL,
  stage           text NOT NULL CHECK (stage IN ('final', 'conditional', 'preliminary', 'unstated')),
  sub_area_id     text NOT NULL REFERENCES sub_areas(id),
  sources         jsonb NOT NULL,
  statement_path  text REFERENCES public_statements(path),
  origin          text NOT NULL,
  recorded_by     text NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peer_awards_sub_area ON peer_awards(sub_area_id);
