-- 070_monitor: in-force monitoring and loss prevention (保中监测, 防灾减损;
-- app/monitor/monitor.h, docs/monitoring.md).
--
-- monitor_asset: an enterprise's declared stack, one row per product of the
-- vendor catalogue (data/vendors/catalogue.json) it runs; matched by vendor
-- (the index), never by a scan of all enterprises.
CREATE TABLE monitor_asset (
    id          @ID@,
    org_id      BIGINT NOT NULL REFERENCES organisation (id),
    vendor      TEXT NOT NULL,
    version     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, vendor)
);
CREATE INDEX monitor_asset_vendor ON monitor_asset (vendor, org_id);

-- monitor_signal: a threat signal as received (JSON, STIX 2.1, CISA KEV),
-- once per (source, source_id): a second receipt answers the first.
CREATE TABLE monitor_signal (
    id           @ID@,
    source       TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    cve          TEXT NOT NULL DEFAULT '',
    severity     TEXT NOT NULL,
    title        TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    received_by  BIGINT REFERENCES organisation (id),
    matched      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (source, source_id)
);
CREATE INDEX monitor_signal_cve ON monitor_signal (cve);

CREATE TABLE monitor_signal_vendor (
    signal_id  BIGINT NOT NULL REFERENCES monitor_signal (id),
    vendor     TEXT NOT NULL,
    PRIMARY KEY (signal_id, vendor)
);

-- monitor_task: a loss-prevention task (防灾减损) of an enterprise opened
-- from a signal, due by its severity, assigned to the enterprise or the
-- service organisation it engaged for monitoring; closed with evidence.
CREATE TABLE monitor_task (
    id               @ID@,
    org_id           BIGINT NOT NULL REFERENCES organisation (id),
    signal_id        BIGINT NOT NULL REFERENCES monitor_signal (id),
    vendor           TEXT NOT NULL,
    severity         TEXT NOT NULL,
    assignee_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    status           TEXT NOT NULL,
    opened_at        TEXT NOT NULL,
    due_at           TEXT NOT NULL,
    closed_at        TEXT,
    closed_by        BIGINT REFERENCES app_user (id),
    closed_by_org    BIGINT REFERENCES organisation (id),
    evidence_note    TEXT NOT NULL DEFAULT '',
    evidence_file_id BIGINT REFERENCES blob (id),
    UNIQUE (signal_id, org_id)
);
CREATE INDEX monitor_task_org ON monitor_task (org_id, status, id);
CREATE INDEX monitor_task_assignee ON monitor_task (assignee_org_id, status, id);

-- monitor_task_insurer: the insurers whose policies in force covered the
-- enterprise when the task was opened (their alerts board).
CREATE TABLE monitor_task_insurer (
    task_id          BIGINT NOT NULL REFERENCES monitor_task (id),
    insurer_org_id   BIGINT NOT NULL REFERENCES organisation (id),
    policy_id        BIGINT NOT NULL,
    aggregate_limit  BIGINT NOT NULL,
    PRIMARY KEY (task_id, insurer_org_id, policy_id)
);
CREATE INDEX monitor_task_insurer_org ON monitor_task_insurer (insurer_org_id, task_id);

-- monitor_score: the continuous score's history, a row each time it moved.
CREATE TABLE monitor_score (
    id             @ID@,
    org_id         BIGINT NOT NULL REFERENCES organisation (id),
    at             TEXT NOT NULL,
    assessment_id  BIGINT,
    base_hundredths  BIGINT NOT NULL,
    penalty        BIGINT NOT NULL,
    score_hundredths BIGINT NOT NULL,
    grade          TEXT NOT NULL,
    open_tasks     BIGINT NOT NULL,
    cause          TEXT NOT NULL
);
CREATE INDEX monitor_score_org ON monitor_score (org_id, id);

-- monitor_service: what a service organisation did for an enterprise.
CREATE TABLE monitor_service (
    id              @ID@,
    service_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    org_id          BIGINT NOT NULL REFERENCES organisation (id),
    kind            TEXT NOT NULL,
    performed_on    TEXT NOT NULL,
    result          TEXT NOT NULL,
    task_id         BIGINT REFERENCES monitor_task (id),
    created_by      BIGINT REFERENCES app_user (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX monitor_service_org ON monitor_service (org_id, id);
CREATE INDEX monitor_service_svc ON monitor_service (service_org_id, id);
