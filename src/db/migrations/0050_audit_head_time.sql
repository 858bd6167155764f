-- The head keeps the time of the last row, so that a row is never dated before the row it follows: an audited
-- write's time is taken before it locks the head, and servers' clocks differ (audit-repo.ts, auditAppendCtes).
-- ISO texts of one length, compared byte by byte ("C"), order as the times they name.
ALTER TABLE audit_head ADD COLUMN at text COLLATE "C" NOT NULL DEFAULT '';
UPDATE audit_head SET at = COALESCE((SELECT body::jsonb ->> 'at' FROM audit_log ORDER BY seq DESC LIMIT 1), '')
WHERE id = 1;
