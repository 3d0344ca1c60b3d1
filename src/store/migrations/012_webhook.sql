-- 012_webhook: an organisation's webhook subscriptions and the deliveries of
-- its notifications to them (app/webhook/webhook.h). Each attempt is a
-- background job (005_jobs); a failed attempt queues the next one with
-- run_after = its time plus the backoff, until the delivery is delivered or,
-- after the last attempt, dead (the dead-letter list). webhook_delivery.job_id
-- is the one job that may send it, so no delivery is sent twice.
-- The secret signs each body (HMAC-SHA256); the subscriber sees it once.
ALTER TABLE job ADD COLUMN run_after TEXT;

CREATE TABLE webhook (
    id          @ID@,
    org_id      BIGINT NOT NULL REFERENCES organisation (id),
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES app_user (id),
    created_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX webhook_org ON webhook (org_id, id);

CREATE TABLE webhook_kind (
    webhook_id  BIGINT NOT NULL REFERENCES webhook (id),
    kind        TEXT NOT NULL,
    PRIMARY KEY (webhook_id, kind)
);

CREATE TABLE webhook_delivery (
    id               @ID@,
    webhook_id       BIGINT NOT NULL REFERENCES webhook (id),
    notification_id  BIGINT NOT NULL REFERENCES notification (id),
    kind             TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead',
                         'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    job_id           BIGINT REFERENCES job (id),
    next_attempt_at  TEXT,
    delivered_at     TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX webhook_delivery_hook ON webhook_delivery (webhook_id, status, id);

CREATE TABLE webhook_attempt (
    delivery_id  BIGINT NOT NULL REFERENCES webhook_delivery (id),
    n            INTEGER NOT NULL CHECK (n >= 1),
    at           TEXT NOT NULL,
    http_status  INTEGER,
    error        TEXT,
    ms           INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, n)
);
