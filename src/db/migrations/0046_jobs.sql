-- One durable-job table for all long work (imports, projections, optimiser runs, risk, scenario runs, reports):
-- the import jobs of 0045 become jobs of kind 'import.<what>', so their rows keep working. A job's input is the
-- request the route validated (jsonb, parsed again by the same schema when the runner reads it); its result is
-- jsonb (or bytes, for a PDF), readable by its owner (and the admin) as long as an ended job is kept.
ALTER TABLE import_jobs RENAME TO jobs;
ALTER TABLE import_uploads RENAME TO job_uploads;
ALTER INDEX import_jobs_open RENAME TO jobs_open;
ALTER INDEX import_jobs_status RENAME TO jobs_status;
UPDATE jobs SET kind = 'import.' || kind;
ALTER TABLE jobs ADD COLUMN input jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE jobs ADD COLUMN progress jsonb;
ALTER TABLE jobs ADD COLUMN result jsonb;
ALTER TABLE jobs ADD COLUMN result_bytes bytea;
UPDATE jobs SET result = jsonb_build_object('rows', rows, 'replayed', replayed) WHERE rows IS NOT NULL;
ALTER TABLE jobs DROP COLUMN rows;
ALTER TABLE jobs DROP COLUMN replayed;
-- The Jobs screen lists a user's jobs newest first.
CREATE INDEX jobs_owner_created ON jobs (owner, created_at DESC);
