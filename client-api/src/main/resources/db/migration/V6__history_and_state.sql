-- The history of runs (one worker's part in one ended task), hourly buckets of them, and the state each
-- worker's scheduled runs put it in. Filled by the history recorder from ended tasks.

-- The recorder finds ended tasks by when they ended.
CREATE INDEX tasks_completed_at_idx ON tasks (completed_at);

-- One row: how far ended tasks have been recorded. Replicas lock it (SELECT … FOR UPDATE) to record one at a time.
CREATE TABLE history_recorder (
    id             INT                         NOT NULL PRIMARY KEY,
    recorded_until TIMESTAMP(3) WITH TIME ZONE NOT NULL
);
INSERT INTO history_recorder (id, recorded_until) VALUES (1, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');

-- A run as reported, kept for the raw retention. One row per run, a column group per check (the contract's five
-- checks); a check's status is 0 ok, 1 warning, 2 error, 3 unknown, NULL when the report did not hold it.
-- status is the report's overall status, NULL for a missing report.
CREATE TABLE history_runs (
    task_id         UUID                        NOT NULL,
    worker_id       VARCHAR(128)                NOT NULL,
    run_at          TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    scheduled       BOOLEAN                     NOT NULL,
    status          VARCHAR(8),
    cpu_status      SMALLINT, cpu_value     DOUBLE PRECISION, cpu_warning     DOUBLE PRECISION, cpu_error     DOUBLE PRECISION,
    memory_status   SMALLINT, memory_value  DOUBLE PRECISION, memory_warning  DOUBLE PRECISION, memory_error  DOUBLE PRECISION,
    disk_status     SMALLINT, disk_value    DOUBLE PRECISION, disk_warning    DOUBLE PRECISION, disk_error    DOUBLE PRECISION,
    load_status     SMALLINT, load_value    DOUBLE PRECISION, load_warning    DOUBLE PRECISION, load_error    DOUBLE PRECISION,
    threads_status  SMALLINT, threads_value DOUBLE PRECISION, threads_warning DOUBLE PRECISION, threads_error DOUBLE PRECISION,
    -- A worker's part in a task is recorded once, whichever replica records it.
    PRIMARY KEY (task_id, worker_id)
);
CREATE INDEX history_runs_worker_at_idx ON history_runs (worker_id, run_at);
CREATE INDEX history_runs_at_idx ON history_runs (run_at);

-- Runs counted per worker, check ('overall' for the report's status) and hour (and, in history_days, UTC day),
-- as they are recorded. reports and
-- the status counts count reports (on demand too; for 'overall', n_ok counts healthy reports); value_* the
-- graded values; runs and failures the scheduled runs (missing reports included), for uptime.
CREATE TABLE history_buckets (
    worker_id    VARCHAR(128)                NOT NULL,
    check_name   VARCHAR(16)                 NOT NULL,
    bucket_start TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    reports      INT                         NOT NULL,
    n_ok         INT                         NOT NULL,
    n_warning    INT                         NOT NULL,
    n_error      INT                         NOT NULL,
    n_unknown    INT                         NOT NULL,
    value_count  INT                         NOT NULL,
    value_sum    DOUBLE PRECISION            NOT NULL,
    value_min    DOUBLE PRECISION,
    value_max    DOUBLE PRECISION,
    runs         INT                         NOT NULL,
    failures     INT                         NOT NULL,
    PRIMARY KEY (worker_id, check_name, bucket_start)
);
CREATE INDEX history_buckets_start_idx ON history_buckets (bucket_start);

-- The same counts per UTC day, kept alongside the hours, so that a year is 365 rows rather than 8,760.
CREATE TABLE history_days (
    worker_id    VARCHAR(128)                NOT NULL,
    check_name   VARCHAR(16)                 NOT NULL,
    bucket_start TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    reports      INT                         NOT NULL,
    n_ok         INT                         NOT NULL,
    n_warning    INT                         NOT NULL,
    n_error      INT                         NOT NULL,
    n_unknown    INT                         NOT NULL,
    value_count  INT                         NOT NULL,
    value_sum    DOUBLE PRECISION            NOT NULL,
    value_min    DOUBLE PRECISION,
    value_max    DOUBLE PRECISION,
    runs         INT                         NOT NULL,
    failures     INT                         NOT NULL,
    PRIMARY KEY (worker_id, check_name, bucket_start)
);
CREATE INDEX history_days_start_idx ON history_days (bucket_start);

-- The state of each worker (scope 'overall') and of each of its checks after its scheduled runs.
CREATE TABLE worker_states (
    worker_id             VARCHAR(128)                NOT NULL,
    scope                 VARCHAR(16)                 NOT NULL,
    status                VARCHAR(16)                 NOT NULL,
    since                 TIMESTAMP(3) WITH TIME ZONE,
    consecutive_failures  INT                         NOT NULL,
    consecutive_successes INT                         NOT NULL,
    flapping              BOOLEAN                     NOT NULL,
    last_run_at           TIMESTAMP(3) WITH TIME ZONE,
    -- The latest outcomes, oldest first: f failed, s succeeded.
    recent                VARCHAR(32)                 NOT NULL,
    PRIMARY KEY (worker_id, scope)
);

-- Every change of a state, with the run that made it and why.
CREATE TABLE worker_transitions (
    transition_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    worker_id     VARCHAR(128)                NOT NULL,
    scope         VARCHAR(16)                 NOT NULL,
    from_status   VARCHAR(16)                 NOT NULL,
    to_status     VARCHAR(16)                 NOT NULL,
    flapping      BOOLEAN                     NOT NULL,
    at            TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    task_id       UUID                        NOT NULL,
    reason_json   TEXT                        NOT NULL,
    -- A run changes a state once.
    CONSTRAINT worker_transitions_once UNIQUE (task_id, worker_id, scope)
);
CREATE INDEX worker_transitions_worker_at_idx ON worker_transitions (worker_id, at DESC);
CREATE INDEX worker_transitions_at_idx ON worker_transitions (at);
