-- The committee is the only door (issue 13). A deal opens at the first stage; an admin may bring in a deal
-- already decided elsewhere as a flagged historical import, whose reference is kept here.
ALTER TABLE deals ADD COLUMN historical_decision_ref text;

-- A committee cycle starts each time a deal enters `committee` (or, for a deal brought in at a later stage,
-- with the move that opened it): the stage move that started it names the cycle. A commitment needs an
-- approval of the deal's current cycle. `reference` says where a decision not voted in Keel was taken (a
-- historical import, or the parent deal's approval for a part of its capital stack).
ALTER TABLE committee_decisions ADD COLUMN cycle_move_id bigint REFERENCES deal_stage_moves(id);
ALTER TABLE committee_decisions ADD COLUMN reference text;
ALTER TABLE committee_decisions ADD COLUMN quorum integer;
CREATE INDEX committee_decisions_cycle ON committee_decisions(deal_id, cycle_move_id);
CREATE INDEX deal_stage_moves_cycle ON deal_stage_moves(deal_id, id) WHERE to_stage = 'committee' OR from_stage IS NULL;

-- Votes are cast by signed-in members, one each per decision: a vote is open until the decision that counts
-- it is recorded (decision_id set then).
CREATE TABLE committee_votes (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  deal_id        text NOT NULL REFERENCES deals(id),
  cycle_move_id  bigint NOT NULL REFERENCES deal_stage_moves(id),
  member_id      text NOT NULL REFERENCES users(id),
  vote           text NOT NULL CHECK (vote IN ('for', 'against', 'abstain')),
  cast_at        timestamptz NOT NULL DEFAULT now(),
  decision_id    bigint REFERENCES committee_decisions(id)
);
CREATE UNIQUE INDEX committee_votes_one_each ON committee_votes(deal_id, cycle_move_id, member_id)
  WHERE decision_id IS NULL;

-- Declared conflicts of interest, any number per cycle; a conflicted member cannot vote in that cycle.
CREATE TABLE committee_conflicts (
  deal_id        text NOT NULL REFERENCES deals(id),
  cycle_move_id  bigint NOT NULL REFERENCES deal_stage_moves(id),
  member_id      text NOT NULL REFERENCES users(id),
  note           text NOT NULL,
  declared_by    text NOT NULL,
  declared_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deal_id, cycle_move_id, member_id)
);

-- Decisions recorded before this migration belong to the cycle in which they were taken.
UPDATE committee_decisions c SET cycle_move_id = (
  SELECT max(m.id) FROM deal_stage_moves m
  WHERE m.deal_id = c.deal_id AND (m.to_stage = 'committee' OR m.from_stage IS NULL) AND m.moved_at <= c.recorded_at);

-- Deals opened at a stage past the committee before this migration were decided elsewhere: they become
-- historical imports, with an approval for their opening cycle, so their commitments stay possible.
UPDATE deals d SET historical_decision_ref = 'opened at ' || m.to_stage || ' before committee gating (migration 0014)'
FROM deal_stage_moves m
WHERE m.deal_id = d.id AND m.from_stage IS NULL
  AND m.to_stage IN ('approved', 'closed', 'monitoring', 'exited', 'repaid', 'written_off');
INSERT INTO committee_decisions (deal_id, decision, votes, conflicts, conditions, decided_on, recorded_by, cycle_move_id, reference)
SELECT d.id, 'approve', '[]', '[]', '[]', d.opened_on, m.moved_by, m.id, d.historical_decision_ref
FROM deals d JOIN deal_stage_moves m ON m.deal_id = d.id AND m.from_stage IS NULL
WHERE d.historical_decision_ref IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM committee_decisions c WHERE c.deal_id = d.id AND c.cycle_move_id = m.id);
