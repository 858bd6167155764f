-- Notifications (issue 15): what a user is told about a change that concerns them, made from the audited
-- write in the same transaction (app/notifications), and the e-mail outbox those notices are mailed from.
-- The text is made for its one recipient (names they may read, nothing across the information barrier).
CREATE TABLE notifications (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recipient     text NOT NULL REFERENCES users(id),
  kind          text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  text          text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  read_at       timestamptz
);
-- A user's list (newest first) and their unread count.
CREATE INDEX notifications_recipient ON notifications(recipient, id DESC);
CREATE INDEX notifications_unread ON notifications(recipient) WHERE read_at IS NULL;

-- Mail waiting for the sender loop. A write only inserts here, so a slow or absent SMTP server never slows
-- or fails it. The loop claims due rows in one statement (FOR UPDATE SKIP LOCKED: two servers never claim
-- the same row), sends them outside any transaction, then marks each sent, due again later, or failed
-- after its last attempt. A row left 'sending' past its claim (the server stopped mid-send) is marked
-- failed, not sent again: a mail is sent at most once.
CREATE TABLE mail_outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id  bigint NOT NULL REFERENCES notifications(id),
  to_address       text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  claimed_until    timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at) WHERE status = 'pending';
