-- Notes on deals and companies (issue 15): what the deal team learns, in markdown, beside the record it is
-- about. Private-side material like the deals themselves. Append-only: a note is corrected by a new one.
CREATE TABLE pipeline_notes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_kind  text NOT NULL CHECK (subject_kind IN ('deal', 'company')),
  subject_id    text NOT NULL,
  body_md       text NOT NULL CHECK (length(body_md) BETWEEN 1 AND 20000),
  author        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pipeline_notes_subject ON pipeline_notes(subject_kind, subject_id, id);

-- The append-only rule of 0015: no UPDATE, DELETE or TRUNCATE.
CREATE TRIGGER pipeline_notes_append_only
  BEFORE UPDATE OR DELETE ON pipeline_notes
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER pipeline_notes_no_truncate
  BEFORE TRUNCATE ON pipeline_notes
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
