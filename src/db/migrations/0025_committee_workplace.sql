-- The committee memo is a document of its meeting (issue 15), uploaded and versioned like any other, so the
-- agenda no longer carries a URL to it.
ALTER TABLE committee_agenda DROP COLUMN memo_url;

-- The private side asks for a wall-crossing of a chosen length; compliance approves that or another length.
-- Requests made before this column existed asked for the former fixed 7 days.
ALTER TABLE wall_crossings ADD COLUMN requested_days integer NOT NULL DEFAULT 7
  CHECK (requested_days BETWEEN 1 AND 30);

-- A one-time link also resets an existing user's password when an admin issues one for them: such a link
-- names its user. A link without a user is a first-admin setup link, as before.
ALTER TABLE setup_links ADD COLUMN user_id text REFERENCES users(id);
CREATE INDEX setup_links_user ON setup_links(user_id) WHERE user_id IS NOT NULL;
