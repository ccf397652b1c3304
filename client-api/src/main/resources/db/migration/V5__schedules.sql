-- Schedules: a task run every interval by whichever API replica claims the run first. A replica claims a run
-- by moving next_run_at on with a conditional update (WHERE next_run_at = the value it read), so of several
-- replicas exactly one changes the row and runs it.
CREATE TABLE schedules (
    name         VARCHAR(64)                 NOT NULL PRIMARY KEY,
    target       VARCHAR(128)                NOT NULL,
    -- The payload of the tasks a run creates (target, checks, thresholds), as JSON, exactly as published.
    request_json TEXT                        NOT NULL,
    interval_ms  BIGINT                      NOT NULL,
    enabled      BOOLEAN                     NOT NULL,
    -- 'api' (made through the HTTP API) or 'config' (declared in vitals.api.schedules).
    source       VARCHAR(16)                 NOT NULL,
    next_run_at  TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    last_run_at  TIMESTAMP(3) WITH TIME ZONE,
    last_task_id UUID,
    created_at   TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT schedules_source_known CHECK (source IN ('api', 'config')),
    CONSTRAINT schedules_interval_positive CHECK (interval_ms > 0)
);

-- The runners' poll: enabled schedules by their next run.
CREATE INDEX schedules_next_run_at_idx ON schedules (next_run_at);
