-- The credit book (issue 16): lending facilities and their versioned terms. ("facilities" is taken by the
-- industrial sites of companies, so these are credit_facilities.)
CREATE TABLE credit_facilities (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
  deal_id     text NOT NULL REFERENCES deals(id),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_facilities_deal ON credit_facilities(deal_id);

-- One row per version of the terms. Version 1 is the signed facility; every later version is an amendment
-- and must name the committee decision that approved it. The whole validated document is kept in `terms`
-- (src/domain/credit/facility-terms.ts); the columns repeat what queries filter and sum on.
CREATE TABLE credit_facility_terms (
  facility_id            text NOT NULL REFERENCES credit_facilities(id),
  version                integer NOT NULL CHECK (version >= 1),
  terms                  jsonb NOT NULL,
  commitment_cents       bigint NOT NULL CHECK (commitment_cents > 0),
  starts_on              date NOT NULL,
  maturity_on            date NOT NULL,
  day_count              text NOT NULL CHECK (day_count IN ('ACT/360', 'ACT/365F', '30/360', '30E/360')),
  committee_decision_id  bigint REFERENCES committee_decisions(id),
  recorded_by            text NOT NULL,
  recorded_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (facility_id, version),
  CHECK (maturity_on > starts_on),
  CONSTRAINT amendment_needs_committee_decision CHECK (version = 1 OR committee_decision_id IS NOT NULL)
);

-- Terms are history: a version is never changed or removed, only superseded by the next.
CREATE FUNCTION credit_facility_terms_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_facility_terms is append-only: % refused; record a new version instead', TG_OP
    USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER credit_facility_terms_append_only
  BEFORE UPDATE OR DELETE ON credit_facility_terms
  FOR EACH ROW EXECUTE FUNCTION credit_facility_terms_append_only();
