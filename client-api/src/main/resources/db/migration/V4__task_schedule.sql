-- The schedule whose run created a task; NULL for a task asked for on demand.
ALTER TABLE tasks ADD COLUMN schedule VARCHAR(64);
-- Listing one schedule's tasks, newest first.
CREATE INDEX tasks_schedule_created_at_idx ON tasks (schedule, created_at DESC);
