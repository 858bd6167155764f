-- Credit questions before the committee (issue 16): an amendment of a facility's terms, or the waiver,
-- amendment or acceleration of one covenant breach, is put to the committee as its own question. The
-- committee votes on that question (these exact terms; this breach), under the rules of deal decisions, and
-- an approved question is applied once. A credit question's decision is kept here, never in
-- committee_decisions, so no deal approval query can count it as the deal's approval.
CREATE TABLE credit_questions (
  id                bigserial PRIMARY KEY,
  facility_id       text NOT NULL REFERENCES credit_facilities(id),
  kind              text NOT NULL
                    CHECK (kind IN ('terms_amendment', 'waiver', 'covenant_amendment', 'acceleration')),
  covenant_id       bigint REFERENCES credit_covenants(id),
  test_on           date,
  -- The terms the committee approves, as canonical JSON; applying the amendment takes them from here. They
  -- replace `base_version`, the version in force when the question was put: once another version is
  -- recorded the question is stale (the committee approved a change from terms no longer in force).
  proposed_terms    jsonb,
  base_version      integer,
  summary           text NOT NULL CHECK (length(summary) BETWEEN 10 AND 2000),
  meeting_on        date NOT NULL,
  put_by            text NOT NULL,
  put_at            timestamptz NOT NULL DEFAULT now(),
  decision          text CHECK (decision IN ('approve', 'approve_with_conditions', 'decline', 'defer')),
  votes             jsonb,
  conflicts         jsonb,
  conditions        jsonb,
  quorum            integer,
  decided_on        date,
  decided_by        text,
  decided_at        timestamptz,
  CONSTRAINT credit_question_subject CHECK (
    CASE WHEN kind = 'terms_amendment'
      THEN proposed_terms IS NOT NULL AND base_version IS NOT NULL AND covenant_id IS NULL AND test_on IS NULL
      ELSE proposed_terms IS NULL AND base_version IS NULL AND covenant_id IS NOT NULL AND test_on IS NOT NULL
    END),
  CONSTRAINT credit_question_decided CHECK (
    (decision IS NULL) = (decided_on IS NULL) AND (decision IS NULL) = (decided_by IS NULL)
    AND (decision IS NULL) = (votes IS NULL))
);
CREATE INDEX credit_questions_facility ON credit_questions(facility_id, id);
CREATE INDEX credit_questions_open ON credit_questions(id) WHERE decision IS NULL;

-- One vote per member per question, cast by the signed-in member.
CREATE TABLE credit_question_votes (
  question_id  bigint NOT NULL REFERENCES credit_questions(id),
  member_id    text NOT NULL,
  vote         text NOT NULL CHECK (vote IN ('for', 'against', 'abstain')),
  cast_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (question_id, member_id)
);

CREATE TABLE credit_question_conflicts (
  question_id  bigint NOT NULL REFERENCES credit_questions(id),
  member_id    text NOT NULL,
  note         text NOT NULL,
  declared_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (question_id, member_id)
);

-- An amendment of the terms now names the question the committee approved; versions recorded before name a
-- committee decision and stay valid. One version per question: a question is applied once.
ALTER TABLE credit_facility_terms ADD COLUMN credit_question_id bigint REFERENCES credit_questions(id);
ALTER TABLE credit_facility_terms DROP CONSTRAINT amendment_needs_committee_decision;
ALTER TABLE credit_facility_terms ADD CONSTRAINT amendment_needs_committee_decision
  CHECK (version = 1 OR committee_decision_id IS NOT NULL OR credit_question_id IS NOT NULL);
CREATE UNIQUE INDEX credit_facility_terms_question ON credit_facility_terms(credit_question_id);

-- A breach's action names its question too (old rows keep their committee decision); exactly one of the two,
-- and one action per question.
ALTER TABLE credit_watchlist_actions ALTER COLUMN committee_decision_id DROP NOT NULL;
ALTER TABLE credit_watchlist_actions ADD COLUMN credit_question_id bigint REFERENCES credit_questions(id);
ALTER TABLE credit_watchlist_actions ADD CONSTRAINT watchlist_action_names_one_approval
  CHECK ((committee_decision_id IS NULL) <> (credit_question_id IS NULL));
CREATE UNIQUE INDEX credit_watchlist_actions_question ON credit_watchlist_actions(credit_question_id);
