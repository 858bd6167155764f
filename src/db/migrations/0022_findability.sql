-- Findability (issue 15): deals get a name of their own (a card, a search result and an agenda say which
-- deal, not only which company), and the indexes that keep the deals list, the pipeline board's stage pages
-- and global search fast at 10,000 deals. Trigram similarity (pg_trgm, a trusted extension on PostgreSQL 13+
-- and bundled with PGlite) finds names from a misspelt or partial word.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE deals ADD COLUMN name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200);

-- A page of deals sorted by amount, overall or within a stage (the board's columns).
CREATE INDEX deals_amount ON deals(amount_cents DESC, id);
CREATE INDEX deals_stage_amount ON deals(stage, amount_cents DESC, id);
-- "Updated": the deal's latest stage move.
CREATE INDEX deal_stage_moves_latest ON deal_stage_moves(deal_id, moved_at DESC);

-- Full-text search over names ('simple': names are proper nouns, not stemmed English), and trigrams for
-- near misses and prefixes.
CREATE INDEX deals_search ON deals
  USING gin (to_tsvector('simple', coalesce(name, '') || ' ' || replace(id, '-', ' ')));
CREATE INDEX deals_name_trgm ON deals USING gin (coalesce(name, '') gin_trgm_ops);
CREATE INDEX companies_search ON companies USING gin (to_tsvector('simple', name));
CREATE INDEX companies_name_trgm ON companies USING gin (name gin_trgm_ops);
CREATE INDEX organisations_search ON organisations USING gin (to_tsvector('simple', name));
CREATE INDEX organisations_name_trgm ON organisations USING gin (name gin_trgm_ops);
