-- Documents (issue 15): term sheets, memos and diligence reports attached to deals, companies and committee
-- meetings. Bytes are stored once per SHA-256, however many times they are attached, in the database in
-- both modes (so a backup carries them). A new upload with the same title on the same subject is the next
-- version; nothing is ever changed or removed (the append-only rule of 0015).
CREATE TABLE document_contents (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes  integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 20971520),
  content     bytea NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_kind  text NOT NULL CHECK (subject_kind IN ('deal', 'company', 'committee_meeting')),
  subject_id    text NOT NULL,
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  filename      text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  media_type    text NOT NULL,
  sha256        text NOT NULL REFERENCES document_contents(sha256),
  version       integer NOT NULL CHECK (version >= 1),
  uploaded_by   text NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subject_kind, subject_id, title, version)
);
CREATE INDEX documents_subject ON documents(subject_kind, subject_id, id);

CREATE TRIGGER document_contents_append_only
  BEFORE UPDATE OR DELETE ON document_contents
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER document_contents_no_truncate
  BEFORE TRUNCATE ON document_contents
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER documents_append_only
  BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER documents_no_truncate
  BEFORE TRUNCATE ON documents
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
