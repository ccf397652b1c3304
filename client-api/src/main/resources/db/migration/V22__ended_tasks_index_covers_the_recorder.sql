-- The history recorder looks back over the last minute of ended tasks (vitals.api.history.overlap) for those not
-- recorded yet, every few seconds: under load, thousands of tasks, nearly all of them recorded already. With the
-- columns its query tests in the index, a task is passed over from its index entry alone; the task's row, with its
-- report, is read only for the tasks it records. task_id second also gives the recorder's order. (Key columns:
-- H2 allows INCLUDE only in a unique index.)
DROP INDEX tasks_completed_at_idx;
CREATE INDEX tasks_completed_at_idx ON tasks (completed_at, task_id, target, worker_id);
