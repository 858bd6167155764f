-- Deal edits (issue 15): every change to a deal after it was opened, one row per field, with who, when and
-- why. A change to what the ledger already counts by (amount, sub-area, instrument, classification) of a
-- deal with ledger entries carries its reason; other edits may leave it blank. Append-only, like the ledger.
CREATE TABLE deal_amendments (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id     text NOT NULL REFERENCES deals(id),
  field       text NOT NULL,
  from_value  text,
  to_value    text,
  reason      text CHECK (reason IS NULL OR length(reason) BETWEEN 3 AND 2000),
  amended_at  timestamptz NOT NULL DEFAULT now(),
  amended_by  text NOT NULL
);
CREATE INDEX deal_amendments_deal ON deal_amendments(deal_id, id);

-- The append-only rule of 0015: no UPDATE, DELETE or TRUNCATE.
CREATE TRIGGER deal_amendments_append_only
  BEFORE UPDATE OR DELETE ON deal_amendments
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER deal_amendments_no_truncate
  BEFORE TRUNCATE ON deal_amendments
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
