-- Canary tasks: the ones each API replica sends through maintenance_tasks to prove that work flows (vitals.api.canary).
-- They are kept like any task (readable by id, deleted with the retention) but left out of listings, the history,
-- the event stream and alerts.
ALTER TABLE tasks ADD COLUMN canary BOOLEAN NOT NULL DEFAULT FALSE;
-- The history recorder and the event stream read ended tasks by completed_at and pass over canaries: with the column in
-- the index (as V22 did for the recorder's other conditions), a canary is passed over from its index entry alone.
DROP INDEX tasks_completed_at_idx;
CREATE INDEX tasks_completed_at_idx ON tasks (completed_at, task_id, target, worker_id, canary);
