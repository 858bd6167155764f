-- The investment committee: its agenda (deals put before it, e.g. from the optimiser) and its decisions,
-- with votes, declared conflicts of interest and conditions to track to closing.
CREATE TABLE committee_agenda (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id     text NOT NULL REFERENCES deals(id),
  meeting_on  date NOT NULL,
  memo_url    text,
  source      text NOT NULL CHECK (source IN ('manual', 'optimiser')),
  added_by    text NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX committee_agenda_deal_meeting ON committee_agenda(deal_id, meeting_on);

CREATE TABLE committee_decisions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id      text NOT NULL REFERENCES deals(id),
  decision     text NOT NULL CHECK (decision IN ('approve', 'approve_with_conditions', 'decline', 'defer')),
  votes        jsonb NOT NULL,
  conflicts    jsonb NOT NULL,
  conditions   jsonb NOT NULL,
  decided_on   date NOT NULL,
  recorded_by  text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX committee_decisions_deal ON committee_decisions(deal_id, id);
