-- Covenants, borrower financials and the watchlist's workflow (issue 16, item 4).
-- A covenant is tested at dates every `every_months` from `first_test_on` against the borrower's financials
-- for the period ending on that date. `threshold` is ×1000 for the ratios (3.5× leverage = 3500) and cents
-- for minimum liquidity, so every comparison is integer arithmetic.
CREATE TABLE credit_covenants (
  id             bigserial PRIMARY KEY,
  facility_id    text NOT NULL REFERENCES credit_facilities(id),
  kind           text NOT NULL CHECK (kind IN ('max_leverage', 'min_dscr', 'min_liquidity')),
  threshold      bigint NOT NULL CHECK (threshold > 0),
  first_test_on  date NOT NULL,
  every_months   integer NOT NULL CHECK (every_months IN (1, 3, 6, 12)),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_covenants_facility ON credit_covenants(facility_id, id);

-- A borrower's financials for the period ending on `period_end`, exact cents. One row a company and period:
-- a figure tested against a covenant is evidence and is not overwritten.
CREATE TABLE credit_borrower_financials (
  company_id          text NOT NULL REFERENCES companies(id),
  period_end          date NOT NULL,
  ebitda_cents        bigint NOT NULL,
  net_debt_cents      bigint NOT NULL,
  cfads_cents         bigint NOT NULL,
  debt_service_cents  bigint NOT NULL CHECK (debt_service_cents >= 0),
  liquidity_cents     bigint NOT NULL CHECK (liquidity_cents >= 0),
  recorded_by         text NOT NULL,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, period_end)
);

-- What the committee decided about a breach: one action per covenant and test date, naming the approving
-- committee decision on the facility's deal (the use case checks the deal and the outcome).
CREATE TABLE credit_watchlist_actions (
  id                     bigserial PRIMARY KEY,
  covenant_id            bigint NOT NULL REFERENCES credit_covenants(id),
  test_on                date NOT NULL,
  action                 text NOT NULL CHECK (action IN ('waiver', 'amendment', 'acceleration')),
  committee_decision_id  bigint NOT NULL REFERENCES committee_decisions(id),
  note                   text NOT NULL CHECK (length(note) BETWEEN 10 AND 2000),
  recorded_by            text NOT NULL,
  recorded_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (covenant_id, test_on)
);
