-- A data folder seeded by `keel demo` says so (issue 15 item 8): the web app shows a "synthetic demo data"
-- banner on every page, and `keel demo` refuses to seed a folder that holds real data. One row at most; a
-- folder without it is a real one. seeded_at stays empty until the whole seed is in, so an interrupted seed
-- is finished (every step replays by its key) instead of being taken for a complete one.
CREATE TABLE demo_flag (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  seed        integer NOT NULL,
  deals       integer NOT NULL CHECK (deals > 0),
  -- The seed's "today": a resumed seed rebuilds the same plan, so each step replays under its key.
  as_of       date NOT NULL,
  source      text NOT NULL,
  flagged_at  timestamptz NOT NULL DEFAULT now(),
  seeded_at   timestamptz
);

-- A synthetic folder never becomes a real one: the flag is never removed or rewritten, only completed.
CREATE FUNCTION demo_flag_only_completes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.seed <> OLD.seed OR NEW.deals <> OLD.deals OR NEW.source <> OLD.source OR NEW.as_of <> OLD.as_of
     OR OLD.seeded_at IS NOT NULL THEN
    RAISE EXCEPTION 'the demo flag is only ever completed, never removed or changed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER demo_flag_kept
  BEFORE UPDATE OR DELETE ON demo_flag
  FOR EACH ROW EXECUTE FUNCTION demo_flag_only_completes();
