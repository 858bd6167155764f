-- The job that claimed a key, when a job's run made the write. A job taken over after its first runner died
-- runs again and meets its own key: this tells its own committed write (the job is done, with the rows it
-- wrote) from another job's earlier write of the same file (a replay, nothing changed). No foreign key: ended
-- jobs are forgotten after 30 days, and the key outlives them.
ALTER TABLE idempotency_keys ADD COLUMN job_id text;
