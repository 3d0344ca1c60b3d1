-- 003_pilot: the pilot programme (DOMAIN.md §4, §5, §7): Annex 1 service
-- schemes with their units, confirmations, recommendations and expert
-- reviews, the catalogue (columns of the scheme), Annex 2–4 pilot plans,
-- the packages authorities forward, every hop with its receipt time,
-- deadline extensions, selected pilots, progress reports and annual
-- summaries. Forms are stored as the JSON document app/ validated (form);
-- what SQL filters, joins or counts on is a column. Times are UTC ISO-8601
-- text; received_at is the receipt time a deadline is judged on, recorded_at
-- the server's own clock when it was written. @ID@ becomes each backend's
-- auto-increment key.

-- 基础电信企业: their plans are also copied to the province's 通信管理局
ALTER TABLE organisation ADD COLUMN telecom_operator INTEGER NOT NULL DEFAULT 0
    CHECK (telecom_operator IN (0, 1));

CREATE TABLE pilot_scheme (
    id              @ID@,
    round_id        TEXT NOT NULL,
    lead_org_id     BIGINT NOT NULL REFERENCES organisation (id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'catalogued')),
    name            TEXT NOT NULL DEFAULT '',
    form            TEXT NOT NULL,
    body_zishu      BIGINT NOT NULL DEFAULT 0,
    created_by      BIGINT NOT NULL REFERENCES app_user (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    received_at     TEXT,
    recorded_at     TEXT,
    catalogue_no    BIGINT,
    catalogue_code  TEXT UNIQUE,
    catalogued_at   TEXT
);
CREATE INDEX pilot_scheme_lead ON pilot_scheme (lead_org_id, round_id, status);
CREATE UNIQUE INDEX pilot_scheme_catalogue_no ON pilot_scheme (round_id, catalogue_no);

-- the lead (seq 0) and joint units of a scheme or plan; org_id when registered
CREATE TABLE pilot_unit (
    kind     TEXT NOT NULL CHECK (kind IN ('scheme', 'plan')),
    doc_id   BIGINT NOT NULL,
    seq      INTEGER NOT NULL,
    uscc     TEXT NOT NULL,
    name     TEXT NOT NULL,
    org_id   BIGINT REFERENCES organisation (id),
    PRIMARY KEY (kind, doc_id, seq)
);
CREATE INDEX pilot_unit_org ON pilot_unit (org_id);

-- 真实性承诺 and 申报主体责任声明, one per unit, by that unit's own admin
CREATE TABLE pilot_confirmation (
    kind                  TEXT NOT NULL CHECK (kind IN ('scheme', 'plan')),
    doc_id                BIGINT NOT NULL,
    org_id                BIGINT NOT NULL REFERENCES organisation (id),
    user_id               BIGINT NOT NULL REFERENCES app_user (id),
    legal_representative  TEXT NOT NULL,
    confirmed_at          TEXT NOT NULL,
    PRIMARY KEY (kind, doc_id, org_id)
);

CREATE TABLE pilot_recommendation (
    id          @ID@,
    scheme_id   BIGINT NOT NULL REFERENCES pilot_scheme (id),
    org_id      BIGINT NOT NULL REFERENCES organisation (id),
    user_id     BIGINT NOT NULL REFERENCES app_user (id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (scheme_id, org_id)
);

CREATE TABLE pilot_review (
    id              @ID@,
    scheme_id       BIGINT NOT NULL REFERENCES pilot_scheme (id),
    expert_user_id  BIGINT NOT NULL REFERENCES app_user (id),
    expert_org_id   BIGINT NOT NULL REFERENCES organisation (id),
    assigned_by     BIGINT NOT NULL REFERENCES app_user (id),
    assigned_at     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('assigned', 'submitted')),
    scores          TEXT,
    total_x100      BIGINT,
    comment         TEXT NOT NULL DEFAULT '',
    submitted_at    TEXT,
    UNIQUE (scheme_id, expert_user_id)
);
CREATE INDEX pilot_review_expert ON pilot_review (expert_user_id);

CREATE TABLE pilot_package (
    id             @ID@,
    round_id       TEXT NOT NULL,
    origin_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    holder_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    status         TEXT NOT NULL CHECK (status IN ('open', 'sent', 'returned')),
    comment        TEXT NOT NULL DEFAULT '',
    created_by     BIGINT NOT NULL REFERENCES app_user (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX pilot_package_holder ON pilot_package (holder_org_id);

CREATE TABLE pilot_plan (
    id                   @ID@,
    round_id             TEXT NOT NULL,
    annex                INTEGER NOT NULL CHECK (annex IN (2, 3, 4)),
    author_org_id        BIGINT NOT NULL REFERENCES organisation (id),
    status               TEXT NOT NULL CHECK (status IN ('draft', 'returned', 'submitted',
                             'selected')),
    holder_org_id        BIGINT REFERENCES organisation (id),
    package_id           BIGINT REFERENCES pilot_package (id),
    catalogue_scheme_id  BIGINT REFERENCES pilot_scheme (id),
    telecom              INTEGER NOT NULL DEFAULT 0 CHECK (telecom IN (0, 1)),
    name                 TEXT NOT NULL DEFAULT '',
    form                 TEXT NOT NULL,
    body_zishu           BIGINT NOT NULL DEFAULT 0,
    return_comment       TEXT NOT NULL DEFAULT '',
    created_by           BIGINT NOT NULL REFERENCES app_user (id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    submitted_at         TEXT
);
CREATE INDEX pilot_plan_author ON pilot_plan (author_org_id);
CREATE INDEX pilot_plan_holder ON pilot_plan (holder_org_id);
CREATE INDEX pilot_plan_package ON pilot_plan (package_id);

-- every move of a plan or package: submit (to the first receiver), forward,
-- copy (to the 通信管理局), return (退回修改, with comments)
CREATE TABLE pilot_hop (
    id            @ID@,
    kind          TEXT NOT NULL CHECK (kind IN ('submit', 'forward', 'copy', 'return')),
    plan_id       BIGINT REFERENCES pilot_plan (id),
    package_id    BIGINT REFERENCES pilot_package (id),
    from_org_id   BIGINT NOT NULL REFERENCES organisation (id),
    to_org_id     BIGINT NOT NULL REFERENCES organisation (id),
    received_at   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    deadline_key  TEXT,
    deadline_at   TEXT,
    extension_id  BIGINT,
    comment       TEXT NOT NULL DEFAULT '',
    user_id       BIGINT NOT NULL REFERENCES app_user (id)
);
CREATE INDEX pilot_hop_plan ON pilot_hop (plan_id);
CREATE INDEX pilot_hop_package ON pilot_hop (package_id);
CREATE INDEX pilot_hop_to ON pilot_hop (to_org_id);

CREATE TABLE pilot_extension (
    id                  @ID@,
    round_id            TEXT NOT NULL,
    deadline_key        TEXT NOT NULL,
    org_id              BIGINT NOT NULL REFERENCES organisation (id),
    granted_by_org_id   BIGINT NOT NULL REFERENCES organisation (id),
    granted_by_user_id  BIGINT NOT NULL REFERENCES app_user (id),
    until_date          TEXT NOT NULL,
    until_at            TEXT NOT NULL,
    reason              TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX pilot_extension_org ON pilot_extension (org_id, round_id, deadline_key);

CREATE TABLE pilot (
    id                @ID@,
    round_id          TEXT NOT NULL,
    seq               BIGINT NOT NULL,
    code              TEXT NOT NULL UNIQUE,
    plan_id           BIGINT NOT NULL UNIQUE REFERENCES pilot_plan (id),
    lead_org_id       BIGINT NOT NULL REFERENCES organisation (id),
    status            TEXT NOT NULL CHECK (status IN ('active', 'exited')),
    start_date        TEXT NOT NULL,
    selected_at       TEXT NOT NULL,
    selected_by       BIGINT NOT NULL REFERENCES app_user (id),
    exited_at         TEXT,
    exit_reason       TEXT,
    exited_by_org_id  BIGINT REFERENCES organisation (id),
    UNIQUE (round_id, seq)
);

CREATE TABLE pilot_report (
    id                   @ID@,
    pilot_id             BIGINT NOT NULL REFERENCES pilot (id),
    period               TEXT NOT NULL,
    insured_enterprises  BIGINT NOT NULL,
    policies             BIGINT NOT NULL,
    premium_fen          BIGINT NOT NULL,
    sum_insured_fen      BIGINT NOT NULL,
    assessments          BIGINT NOT NULL,
    alerts               BIGINT NOT NULL,
    incidents            BIGINT NOT NULL,
    claims_paid_fen      BIGINT NOT NULL,
    text                 TEXT NOT NULL,
    due_at               TEXT NOT NULL,
    received_at          TEXT NOT NULL,
    recorded_at          TEXT NOT NULL,
    late                 INTEGER NOT NULL CHECK (late IN (0, 1)),
    org_id               BIGINT NOT NULL REFERENCES organisation (id),
    user_id              BIGINT NOT NULL REFERENCES app_user (id),
    UNIQUE (pilot_id, period)
);

-- annual summaries: of a pilot (by its lead), of a city, of a province;
-- subject is 'pilot:ID' or 'org:ID' so each is filed once per round
CREATE TABLE pilot_summary (
    id            @ID@,
    round_id      TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('pilot', 'city', 'province')),
    subject       TEXT NOT NULL,
    pilot_id      BIGINT REFERENCES pilot (id),
    org_id        BIGINT NOT NULL REFERENCES organisation (id),
    to_org_id     BIGINT NOT NULL REFERENCES organisation (id),
    progress      TEXT NOT NULL,
    innovation    TEXT NOT NULL,
    services      TEXT NOT NULL,
    deadline_key  TEXT NOT NULL,
    due_at        TEXT,
    received_at   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    late          INTEGER NOT NULL CHECK (late IN (0, 1)),
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    UNIQUE (round_id, subject)
);
