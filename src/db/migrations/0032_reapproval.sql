-- The amount an approval covers (issue 15). A commitment may bring a deal's net commitments up to the amount
-- its current approval covers and no further: a deal whose amount is raised past it goes back to the committee.
-- Approvals Keel's committee recorded before this column existed cover the deal's amount as it stands now (the
-- amount they were given on was not kept). A decision taken outside Keel (a historical import's reference)
-- names no amount Keel could know, so it stays null there: such a deal's commitments are not bounded by it.
ALTER TABLE committee_decisions ADD COLUMN approved_amount_cents bigint CHECK (approved_amount_cents > 0);
UPDATE committee_decisions c SET approved_amount_cents = d.amount_cents
FROM deals d
WHERE d.id = c.deal_id AND c.decision IN ('approve', 'approve_with_conditions') AND c.reference IS NULL;
ALTER TABLE committee_decisions ADD CONSTRAINT committee_decisions_approval_covers_an_amount
  CHECK (approved_amount_cents IS NULL OR decision IN ('approve', 'approve_with_conditions'));
ALTER TABLE committee_decisions ADD CONSTRAINT committee_decisions_committee_approval_has_an_amount
  CHECK (reference IS NOT NULL OR decision NOT IN ('approve', 'approve_with_conditions')
         OR approved_amount_cents IS NOT NULL);

-- An agenda item can be taken off the agenda. It is kept (with who took it off and when) because whoever put a
-- deal on the agenda asked for its decision and may not vote on it (four eyes): deleting the row would forget
-- that. A deal can be put back on the same meeting, as a new item.
ALTER TABLE committee_agenda ADD COLUMN removed_at timestamptz;
ALTER TABLE committee_agenda ADD COLUMN removed_by text;
ALTER TABLE committee_agenda ADD CONSTRAINT committee_agenda_removal_names_who
  CHECK ((removed_at IS NULL) = (removed_by IS NULL));
DROP INDEX committee_agenda_deal_meeting;
CREATE UNIQUE INDEX committee_agenda_deal_meeting ON committee_agenda(deal_id, meeting_on) WHERE removed_at IS NULL;
