-- Tamper evidence. The append-only tables refuse UPDATE, DELETE and TRUNCATE (a row trigger does not fire on
-- TRUNCATE, so 0001's ledger trigger let `TRUNCATE ledger_entries` through). A superuser can still disable
-- triggers: `keel audit verify` is what catches that, by checking each ledger row against its audit entry,
-- the kept totals against the ledger, and the audit chain against signed checkpoints kept outside.

CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER ledger_entries_no_truncate
  BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- The head moves with every write, but its one row never goes away.
CREATE TRIGGER audit_head_kept
  BEFORE DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER audit_head_no_truncate
  BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER deal_stage_moves_append_only
  BEFORE UPDATE OR DELETE ON deal_stage_moves
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER deal_stage_moves_no_truncate
  BEFORE TRUNCATE ON deal_stage_moves
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

CREATE TRIGGER programme_versions_append_only
  BEFORE UPDATE OR DELETE ON programme_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER programme_versions_no_truncate
  BEFORE TRUNCATE ON programme_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();

-- Signed audit heads (`keel audit checkpoint`). The signing key is never stored here: only its public half,
-- for messages; verification trusts the key file, not this column.
CREATE TABLE audit_checkpoints (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seq         bigint NOT NULL CHECK (seq >= 0),
  hash        text NOT NULL,
  signed_at   text NOT NULL,
  public_key  text NOT NULL,
  signature   text NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER audit_checkpoints_no_truncate
  BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
