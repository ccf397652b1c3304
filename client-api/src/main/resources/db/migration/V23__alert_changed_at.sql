-- When an alert was last opened or resolved, by the store's clock: what GET /api/v1/stream reads alert changes by.
-- opened_at and resolved_at are the times of the runs that caused them, which can be well before they were written.
ALTER TABLE alerts ADD COLUMN changed_at TIMESTAMP(3) WITH TIME ZONE;
UPDATE alerts SET changed_at = COALESCE(resolved_at, opened_at);
ALTER TABLE alerts ALTER COLUMN changed_at SET NOT NULL;
CREATE INDEX alerts_changed_at_idx ON alerts (changed_at);
