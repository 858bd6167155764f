-- The head keeps the time of the last row, so that a row is never dated before the row it follows: an audited
-- write's time is taken before it locks the head, and servers' clocks differ (audit-repo.ts, auditAppendCtes).
-- ISO texts of one length, compared byte by byte ("C"), order as the times they name. A last row dated after
-- the database's clock (a server's clock that ran ahead) does not become every later row's time.
ALTER TABLE audit_head ADD COLUMN at text COLLATE "C" NOT NULL DEFAULT '';
UPDATE audit_head SET at = LEAST(
  COALESCE((SELECT body::jsonb ->> 'at' FROM audit_log ORDER BY seq DESC LIMIT 1), ''),
  to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
) WHERE id = 1;
