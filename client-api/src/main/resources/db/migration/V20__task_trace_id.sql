-- The trace (OpenTelemetry, 32 hex digits) of the request that created a task, when tracing was on and the
-- trace sampled; NULL otherwise. Served as the task's trace_id, never searched by.
ALTER TABLE tasks ADD COLUMN trace_id VARCHAR(32);
