-- The API token a job was started with (null: a session or the CLI). Revoking the token, or disabling its
-- user, cancels the jobs it started that are still open, and a runner refuses to start one whose token is no
-- longer valid: a leaked token that is revoked stops what it queued, not only what it would send next.
ALTER TABLE jobs ADD COLUMN token_id text;
CREATE INDEX jobs_open_token ON jobs (token_id) WHERE status IN ('queued', 'running') AND token_id IS NOT NULL;
