-- The worker registry, fed by worker.heartbeat events: one row per worker, shared by every API replica.
CREATE TABLE workers (
    worker_id          VARCHAR(128)                NOT NULL PRIMARY KEY,
    hostname           VARCHAR(255)                NOT NULL,
    version            VARCHAR(64)                 NOT NULL,
    started_at         TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    -- When an API replica last heard from the worker, by that replica's clock.
    last_seen          TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    -- How often the worker said it sends heartbeats, in milliseconds.
    heartbeat_interval BIGINT                      NOT NULL,
    last_status        VARCHAR(16),
    -- The worker said goodbye (a last heartbeat with state 'stopped').
    stopped            BOOLEAN                     NOT NULL DEFAULT FALSE
);

CREATE INDEX workers_last_seen_idx ON workers (last_seen DESC);
