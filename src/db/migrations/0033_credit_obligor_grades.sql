-- Obligor risk grades (issue 16): each assignment is a row with who, when and why; the current grade of a
-- company is its newest row. The scale itself (grades → PD) is a data file with its sources
-- (data/credit/grade-scale.json), so the database only bounds the number loosely and the use case checks it
-- against the scale.
CREATE TABLE credit_obligor_grades (
  id           bigserial PRIMARY KEY,
  company_id   text NOT NULL REFERENCES companies(id),
  grade        integer NOT NULL CHECK (grade BETWEEN 1 AND 100),
  reason       text NOT NULL CHECK (length(reason) BETWEEN 10 AND 2000),
  assigned_by  text NOT NULL,
  assigned_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_obligor_grades_company ON credit_obligor_grades(company_id, id);

-- A grade history is evidence: an assignment is never changed or removed, only followed by the next.
CREATE FUNCTION credit_obligor_grades_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_obligor_grades is append-only: % refused; assign a new grade instead', TG_OP
    USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER credit_obligor_grades_append_only
  BEFORE UPDATE OR DELETE ON credit_obligor_grades
  FOR EACH ROW EXECUTE FUNCTION credit_obligor_grades_append_only();
