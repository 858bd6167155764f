-- Accounts and separation of duties (issue 13).
-- Emails are one per person without regard to case: stored lower-case (checked) and unique on lower(email).
-- If two existing users differ only by the case of their email, this migration stops with a message naming
-- the email: decide which account to keep (disable the other and change its email), then start again.
DO $$
DECLARE clash text;
BEGIN
  SELECT lower(email) INTO clash FROM users GROUP BY lower(email) HAVING count(*) > 1 LIMIT 1;
  IF clash IS NOT NULL THEN
    RAISE EXCEPTION 'two users share the email % (differing only by case); keep one, change the other''s email, then migrate again', clash;
  END IF;
END $$;
UPDATE users SET email = lower(email) WHERE email <> lower(email);
ALTER TABLE users ADD CONSTRAINT users_email_lower_case CHECK (email = lower(email));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- When and by whom an account was disabled (its sessions end and its tokens are revoked in the same step).
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
ALTER TABLE users ADD COLUMN disabled_by text;

-- A user's role changes only when a second admin approves a request: the requester never approves it.
CREATE TABLE role_change_requests (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users(id),
  from_role     text NOT NULL,
  to_role       text NOT NULL CHECK (to_role IN ('admin', 'portfolio_manager', 'banker', 'sector_specialist', 'research_analyst',
                                                 'investment_committee', 'risk_compliance', 'auditor', 'council_member')),
  reason        text NOT NULL,
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'denied')),
  decided_by    text,
  decided_at    timestamptz,
  CHECK (from_role <> to_role),
  CHECK (status = 'requested' OR decided_by IS NOT NULL),
  CHECK (status <> 'approved' OR decided_by <> requested_by)
);
-- At most one open request per user: a second one would race the first.
CREATE UNIQUE INDEX role_change_requests_open ON role_change_requests (user_id) WHERE status = 'requested';
