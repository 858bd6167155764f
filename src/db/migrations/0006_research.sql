-- The research engine: the dependency graph (one row per version, the whole graph as JSON, so any past
-- version can be scored and compared), saved shock scenarios and their runs, and research notes.
CREATE TABLE research_graph_versions (
  version     integer PRIMARY KEY CHECK (version > 0),
  graph       jsonb NOT NULL,
  note        text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE research_scenarios (
  id          text PRIMARY KEY,
  definition  jsonb NOT NULL,
  shipped     boolean NOT NULL DEFAULT false,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE research_scenario_runs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scenario_id    text NOT NULL REFERENCES research_scenarios(id),
  graph_version  integer NOT NULL REFERENCES research_graph_versions(version),
  definition     jsonb NOT NULL,
  result         jsonb NOT NULL,
  ran_by         text NOT NULL,
  ran_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX research_scenario_runs_scenario ON research_scenario_runs(scenario_id, id DESC);

CREATE TABLE research_notes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title         text NOT NULL,
  body_md       text NOT NULL,
  author        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'published')),
  side          text NOT NULL CHECK (side IN ('public', 'private')),
  subject_kind  text NOT NULL CHECK (subject_kind IN ('node', 'sub_area', 'scenario')),
  subject_id    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX research_notes_subject ON research_notes(subject_kind, subject_id);
