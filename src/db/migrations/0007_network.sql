-- Client networks: organisations, their relationships (clients, coverage, board seats, prior deals,
-- ownership), and the capital stack of each deal. A participation the bank arranged that counts toward the
-- programme is booked, when committed, as its own facilitated deal with a ledger commitment (counted_deal_id).
CREATE TABLE organisations (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('company', 'investor', 'fund', 'lender', 'bank', 'government_programme')),
  country         text NOT NULL,
  controlled_from text,
  company_id      text REFERENCES companies(id),
  source          text NOT NULL,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE relationships (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('client_of', 'coverage_banker', 'board_seat', 'prior_co_investment', 'prior_syndicate', 'ownership_stake')),
  from_organisation  text REFERENCES organisations(id),
  from_person        text,
  to_organisation    text NOT NULL REFERENCES organisations(id),
  business_line      text,
  percent            numeric(7, 4),
  deal_id            text REFERENCES deals(id),
  since              date,
  until              date,
  source             text NOT NULL,
  created_by         text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((from_organisation IS NULL) <> (from_person IS NULL))
);
CREATE INDEX relationships_to ON relationships(to_organisation);
CREATE INDEX relationships_from ON relationships(from_organisation);

CREATE TABLE deal_participations (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id           text NOT NULL REFERENCES deals(id),
  organisation_id   text NOT NULL REFERENCES organisations(id),
  role              text NOT NULL,
  instrument        text NOT NULL,
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  arranged_by_bank  boolean NOT NULL,
  status            text NOT NULL CHECK (status IN ('proposed', 'soft_circled', 'committed', 'declined')),
  counted_deal_id   text REFERENCES deals(id),
  source            text NOT NULL,
  created_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deal_participations_deal ON deal_participations(deal_id);
CREATE INDEX deal_participations_organisation ON deal_participations(organisation_id);
