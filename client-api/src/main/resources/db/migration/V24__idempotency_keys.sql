-- Idempotency-Key of POST /api/v1/health-checks (the IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
-- one row per key and scope, shared by every API replica, so that a retried POST gets the task its first attempt made.
-- The primary key is what makes a key taken once: of two replicas inserting the same key at once, one inserts it and
-- the other finds it.
CREATE TABLE idempotency_keys (
    -- Whose key: the SHA-256 digest (hex) of the bearer token when tokens are configured, never the token; '' when open.
    scope           VARCHAR(64)                 NOT NULL,
    idempotency_key VARCHAR(255)                NOT NULL,
    -- SHA-256 (hex) of the request body as sent: the same key with another body is refused.
    fingerprint     VARCHAR(64)                 NOT NULL,
    -- The task the key stands for; chosen before the task is stored, so a row may name a task not stored yet.
    task_id         UUID                        NOT NULL,
    -- 'pending' while the first request is being stored and published, 'accepted' once the broker confirmed it.
    status          VARCHAR(16)                 NOT NULL,
    created_at      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, idempotency_key),
    CONSTRAINT idempotency_keys_status_known CHECK (status IN ('pending', 'accepted'))
);
-- Expired keys are deleted in batches by expires_at.
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
