-- Each deal's balance per kind of entry, kept in the statement that appends the entries (ledger-repo.ts), so
-- a write reads its deals' balances from a few rows instead of summing every entry they ever had: a deal
-- with 10,000 entries cost a write 10,000 rows read. For valuations the row holds the latest mark (by seq),
-- not a sum. The ledger stays the source of truth: `keel audit verify` compares these rows with it.
CREATE TABLE deal_balances (
  deal_id      text NOT NULL REFERENCES deals(id),
  kind         text NOT NULL CHECK (kind IN ('commitment', 'cancellation', 'draw', 'repayment', 'distribution', 'valuation')),
  total_cents  bigint NOT NULL,
  last_seq     bigint NOT NULL,
  PRIMARY KEY (deal_id, kind)
);

INSERT INTO deal_balances (deal_id, kind, total_cents, last_seq)
SELECT deal_id, kind,
       CASE WHEN kind = 'valuation' THEN (array_agg(amount_cents ORDER BY seq DESC))[1] ELSE sum(amount_cents) END,
       max(seq)
FROM ledger_entries
GROUP BY deal_id, kind;
