-- Saved views (issue 15): a user's own named filters and sort for a list page, as the URL query the page
-- reads. Private to their owner; saving a name again replaces its query.
CREATE TABLE saved_views (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner       text NOT NULL REFERENCES users(id),
  page        text NOT NULL CHECK (page IN ('deals', 'companies', 'pipeline', 'audit')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  query       text NOT NULL CHECK (length(query) <= 2000),
  saved_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner, page, name)
);
