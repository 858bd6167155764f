-- What the optimiser weighs: the analyst's expected resilience gain (0-100, until the research engine's
-- vulnerability reduction replaces it), expected annual return and a risk score. Numeric, read as strings.
ALTER TABLE deals ADD COLUMN resilience_score numeric CHECK (resilience_score BETWEEN 0 AND 100);
ALTER TABLE deals ADD COLUMN expected_return numeric CHECK (expected_return BETWEEN -1 AND 10);
ALTER TABLE deals ADD COLUMN risk_score numeric CHECK (risk_score BETWEEN 0 AND 100);
