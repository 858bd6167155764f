-- Borrower financials are corrected by a new version of the period, with the reason (issue 16): the earlier
-- version stays, since a figure tested against a covenant is evidence. Reads take the latest version
-- recorded by the day they look from (app/credit/covenants.ts), so a report as of a quarter end shows what
-- was known then.
ALTER TABLE credit_borrower_financials ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE credit_borrower_financials ADD COLUMN correction_reason text
  CHECK (correction_reason IS NULL OR length(correction_reason) BETWEEN 10 AND 2000);
ALTER TABLE credit_borrower_financials ADD CONSTRAINT credit_financials_correction_has_reason
  CHECK ((version = 1) = (correction_reason IS NULL));
ALTER TABLE credit_borrower_financials DROP CONSTRAINT credit_borrower_financials_pkey;
ALTER TABLE credit_borrower_financials ADD PRIMARY KEY (company_id, period_end, version);
