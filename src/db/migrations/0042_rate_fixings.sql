-- Reference-rate fixings (issue 16): one published rate per reference and day, with where it was published.
-- A floating-rate facility's period takes the fixing of its start (db/credit-fixings-repo.ts, domain/credit/
-- fixings.ts). A fixing is a published fact: a later import with another value for the same day is refused,
-- never written over, so a schedule shown yesterday is the schedule shown today.
CREATE TABLE credit_rate_fixings (
  reference     text NOT NULL CHECK (reference IN ('SOFR', 'TERM_SOFR_1M', 'TERM_SOFR_3M', 'TERM_SOFR_6M')),
  fixed_on      date NOT NULL,
  -- Percent per year, as published (5.31 is 5.31%).
  rate_percent  numeric(9, 5) NOT NULL CHECK (rate_percent >= 0 AND rate_percent < 100),
  source        text NOT NULL CHECK (length(source) BETWEEN 3 AND 2000),
  imported_by   text NOT NULL,
  imported_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reference, fixed_on)
);
