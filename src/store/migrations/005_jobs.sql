-- 005_jobs: background jobs (simulations, exports). A server keeps no state
-- of its own: jobs, their progress and their results live here, and any
-- server's worker may claim a queued job (FOR UPDATE SKIP LOCKED on
-- PostgreSQL; on SQLite the single writer serialises claims). A running job
-- whose heartbeat stops (its server died) is claimed again.
CREATE TABLE job (
    id            @ID@,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    org_id        BIGINT NOT NULL REFERENCES organisation (id),
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    params        TEXT NOT NULL,
    result        TEXT,
    error         TEXT,
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1000),
    worker        TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    heartbeat_at  TEXT,
    finished_at   TEXT
);
CREATE INDEX job_queue ON job (status, id);
CREATE INDEX job_org ON job (org_id, id);
