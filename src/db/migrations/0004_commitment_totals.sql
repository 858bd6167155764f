-- Net commitments by instrument, classification, sub-area and year, kept in the same transaction as every
-- ledger write, so the programme summary reads a few hundred rows instead of aggregating the whole ledger.
-- The ledger stays the source of truth: test/integration checks that these totals always equal it.
CREATE TABLE commitment_totals (
  instrument      text NOT NULL,
  classification  text NOT NULL,
  sub_area_id     text NOT NULL REFERENCES sub_areas(id),
  year            integer NOT NULL,
  net_cents       bigint NOT NULL,
  PRIMARY KEY (instrument, classification, sub_area_id, year)
);

INSERT INTO commitment_totals (instrument, classification, sub_area_id, year, net_cents)
SELECT d.instrument, d.classification, d.sub_area_id, extract(year FROM e.effective_on)::int,
       sum(CASE WHEN e.kind = 'commitment' THEN e.amount_cents ELSE -e.amount_cents END)::bigint
FROM ledger_entries e JOIN deals d ON d.id = e.deal_id
WHERE e.kind IN ('commitment', 'cancellation')
GROUP BY 1, 2, 3, 4;
