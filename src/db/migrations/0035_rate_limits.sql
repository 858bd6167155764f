-- The rate limits' counters (issue 19): in the database, so that several Keel servers on one PostgreSQL
-- count the same login attempts (an attacker cannot multiply the limit by the number of servers) and a
-- restart does not reset them. One row per route and client; a window restarts in the same statement that
-- counts a hit, by the database's clock, so servers with different clocks agree.
CREATE TABLE rate_limit_hits (
  key                text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 400),
  window_started_at  timestamptz NOT NULL,
  hits               integer NOT NULL CHECK (hits >= 1)
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_started_at);
