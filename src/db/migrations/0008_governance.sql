-- Governance: permits and their stage history; the advisory council's meetings, agenda and recommendations;
-- staff coverage of sub-areas and companies, and the hiring plan.
CREATE TABLE permits (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id       text NOT NULL REFERENCES deals(id),
  kind          text NOT NULL,
  agency        text NOT NULL,
  jurisdiction  text NOT NULL CHECK (jurisdiction IN ('federal', 'state', 'local', 'utility')),
  note          text,
  created_by    text NOT NULL
);
CREATE INDEX permits_deal ON permits(deal_id);

CREATE TABLE permit_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  permit_id  bigint NOT NULL REFERENCES permits(id),
  stage      text NOT NULL,
  on_date    date NOT NULL,
  recorded_by text NOT NULL
);
CREATE INDEX permit_events_permit ON permit_events(permit_id, id);

CREATE TABLE council_meetings (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  held_on    date NOT NULL,
  title      text NOT NULL,
  agenda     jsonb NOT NULL,
  created_by text NOT NULL
);

CREATE TABLE council_recommendations (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  meeting_id  bigint NOT NULL REFERENCES council_meetings(id),
  text        text NOT NULL,
  owner       text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'declined')),
  due_on      date,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('banker', 'investment_professional', 'sector_specialist')),
  sub_areas   jsonb NOT NULL,
  companies   jsonb NOT NULL,
  joined_on   date NOT NULL,
  left_on     date
);

CREATE TABLE hiring_plan (
  sub_area_id  text NOT NULL REFERENCES sub_areas(id),
  year         integer NOT NULL,
  headcount    integer NOT NULL CHECK (headcount >= 0),
  PRIMARY KEY (sub_area_id, year)
);
