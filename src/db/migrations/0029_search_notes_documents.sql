-- Global search reaches notes and document titles (issue 15), with the same 'simple' configuration as the
-- names of 0022 (prefix matching on words as typed, no English stemming).
CREATE INDEX pipeline_notes_search ON pipeline_notes USING gin (to_tsvector('simple', body_md));
CREATE INDEX documents_title_search ON documents USING gin (to_tsvector('simple', title));
CREATE INDEX documents_title_trgm ON documents USING gin (title gin_trgm_ops);
