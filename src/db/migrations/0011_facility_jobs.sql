-- Jobs at a facility (direct employment, as the source states it), for the industrial-geography map.
ALTER TABLE facilities ADD COLUMN jobs integer CHECK (jobs IS NULL OR jobs >= 0);
