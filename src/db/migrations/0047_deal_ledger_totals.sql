-- Each deal's ledger per kind, kept beside the ledger: the amount summed and the latest entry (for a
-- valuation, the mark that counts; the max of [seq, amount] pairs picks it without a sort). A write's rules
-- read these few rows instead of summing the deal's whole ledger, which grew with every entry. The statement
-- trigger below keeps them in the statement that inserts the entries (every insert, whatever path it takes),
-- from the rows it inserted; the deal's row lock, which every ledger write holds, keeps two writers of one
-- deal apart. `keel audit verify` checks them against the ledger. (pg_dump restores data before it creates
-- triggers, so a restore does not count the ledger twice.)
CREATE TABLE deal_ledger_totals (
  deal_id            text NOT NULL REFERENCES deals(id),
  kind               text NOT NULL,
  total_cents        numeric NOT NULL,
  last_seq           bigint NOT NULL,
  last_amount_cents  bigint NOT NULL,
  PRIMARY KEY (deal_id, kind)
);

INSERT INTO deal_ledger_totals (deal_id, kind, total_cents, last_seq, last_amount_cents)
SELECT deal_id, kind, sum(amount_cents), max(seq), (max(ARRAY[seq, amount_cents]))[2]
FROM ledger_entries GROUP BY deal_id, kind;

CREATE FUNCTION keep_deal_ledger_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO deal_ledger_totals AS t (deal_id, kind, total_cents, last_seq, last_amount_cents)
  SELECT deal_id, kind, sum(amount_cents), max(seq), (max(ARRAY[seq, amount_cents]))[2]
  FROM inserted_entries GROUP BY deal_id, kind
  ON CONFLICT (deal_id, kind) DO UPDATE SET
    total_cents = t.total_cents + EXCLUDED.total_cents,
    last_seq = GREATEST(t.last_seq, EXCLUDED.last_seq),
    last_amount_cents = CASE WHEN EXCLUDED.last_seq > t.last_seq THEN EXCLUDED.last_amount_cents ELSE t.last_amount_cents END;
  RETURN NULL;
END;
$$;

CREATE TRIGGER ledger_entries_deal_totals
  AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS inserted_entries
  FOR EACH STATEMENT EXECUTE FUNCTION keep_deal_ledger_totals();
