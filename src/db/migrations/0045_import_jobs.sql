-- Import jobs outlive the process that accepted them: any server on the database runs a queued one (through
-- the pg-boss queue, app/job-queue.ts), and any server answers and cancels it. This table is the job's truth
-- (state, progress, outcome, owner); the queue only says "run job X". A running job's runner writes its
-- heartbeat; one whose heartbeat stopped (its process died) is queued again and taken over elsewhere.
CREATE TABLE import_jobs (
  id text PRIMARY KEY,
  kind text NOT NULL,
  owner text NOT NULL,
  -- The scope of the API token that started it (null: a session); the job acts with no more than that.
  scope text CHECK (scope IN ('read', 'write')),
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  rows integer,
  replayed boolean,
  error text,
  cancel_requested boolean NOT NULL DEFAULT false,
  runner text,
  heartbeat_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
-- The per-user heavy-job limit counts a user's open jobs; /metrics counts jobs by status.
CREATE INDEX import_jobs_open ON import_jobs (owner) WHERE status IN ('queued', 'running');
CREATE INDEX import_jobs_status ON import_jobs (status, created_at);

-- The uploaded file, kept apart from the job row (read once, by the runner) and dropped when the job ends.
CREATE TABLE import_uploads (
  job_id text PRIMARY KEY REFERENCES import_jobs (id) ON DELETE CASCADE,
  content text NOT NULL
);
