-- A server on PostgreSQL resolves API tokens from a cache of its own (app/token-cache.ts). Any change to a
-- token or a user row, by any server, command or hand-written statement, tells every server listening on
-- the database to forget what it cached; PostgreSQL delivers the notice when the change commits, and not
-- at all if it rolls back.
CREATE FUNCTION notify_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_credentials', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credential_change();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credential_change();
