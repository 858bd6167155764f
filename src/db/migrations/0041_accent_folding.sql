-- Names are found with or without their accents (issue 15): "societe" finds "Société", "Cernak" finds
-- "Čerňák". Words go through 'keel_words' ('simple' after unaccent: names are proper nouns, not stemmed), and
-- trigram similarity compares keel_fold(…) of both sides. unaccent is a trusted extension on PostgreSQL 13+
-- and bundled with PGlite. keel_fold is declared IMMUTABLE so that indexes may use it; the unaccent rules it
-- reads are the extension's own file, which Keel never changes.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION keel_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TEXT SEARCH CONFIGURATION keel_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION keel_words ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- The indexes of 0022 and 0029, on the folded expressions the queries now use (db/deal-search.ts,
-- db/global-search.ts).
DROP INDEX deals_search;
CREATE INDEX deals_search ON deals
  USING gin (to_tsvector('keel_words', coalesce(name, '') || ' ' || replace(id, '-', ' ')));
DROP INDEX deals_name_trgm;
CREATE INDEX deals_name_trgm ON deals USING gin (keel_fold(coalesce(name, '')) gin_trgm_ops);
DROP INDEX companies_search;
CREATE INDEX companies_search ON companies USING gin (to_tsvector('keel_words', name));
DROP INDEX companies_name_trgm;
CREATE INDEX companies_name_trgm ON companies USING gin (keel_fold(name) gin_trgm_ops);
DROP INDEX organisations_search;
CREATE INDEX organisations_search ON organisations USING gin (to_tsvector('keel_words', name));
DROP INDEX organisations_name_trgm;
CREATE INDEX organisations_name_trgm ON organisations USING gin (keel_fold(name) gin_trgm_ops);
DROP INDEX pipeline_notes_search;
CREATE INDEX pipeline_notes_search ON pipeline_notes USING gin (to_tsvector('keel_words', body_md));
DROP INDEX documents_title_search;
CREATE INDEX documents_title_search ON documents USING gin (to_tsvector('keel_words', title));
DROP INDEX documents_title_trgm;
CREATE INDEX documents_title_trgm ON documents USING gin (keel_fold(title) gin_trgm_ops);
