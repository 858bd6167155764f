-- Sessions are cached by each server as API tokens are (app/token-cache.ts): a session ended anywhere (a
-- logout through another server, a password reset, an operator's statement) must reach every server.
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_credential_change();
