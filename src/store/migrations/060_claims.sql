-- 060_claims: claims (理赔, DOMAIN.md §6; docs/claims.md describes every
-- column): first notices of incidents, a claim per policy, the timeline,
-- the insurer's panel of service organisations, responders and their tasks,
-- liability decisions with their checklist, line items, the settlement with
-- the terms engine's trace, the aggregate limit each policy has left, case
-- reserves, payments and recoveries. Money is BIGINT fen; times UTC ISO-8601
-- text. The *_s columns repeat a time as UTC seconds so that the pilot's
-- figures average durations with the SQL both backends share.

-- An incident as its insured reported it (报案). One incident may touch
-- several policies (a claim each); the same incident is the same insured,
-- type and discovery time.
CREATE TABLE claim_incident (
    id                   @ID@,
    insured_org_id       BIGINT NOT NULL REFERENCES organisation (id),
    reported_by_org_id   BIGINT NOT NULL REFERENCES organisation (id),
    reported_by_user_id  BIGINT NOT NULL,
    incident_type        TEXT NOT NULL,
    occurred_at          TEXT,
    discovered_at        TEXT NOT NULL,
    reported_at          TEXT NOT NULL,
    description          TEXT NOT NULL,
    systems              TEXT NOT NULL DEFAULT '',
    data_affected        TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX claim_incident_same ON claim_incident (insured_org_id, incident_type,
    discovered_at);

-- A claim: one incident under one policy. The policy's facts the claim needs
-- later (its number, parties, the insured's region and industry) are copied
-- at notice, so reading a claim never needs the policy's visibility.
-- status: notified → responding → adjusting → settled → closed (reopen
-- returns a closed claim to status_before_close). paid, recovered and
-- reserve are the sums of claim_payment, claim_recovery and the last
-- claim_reserve, kept here for lists and the figures.
CREATE TABLE claim (
    id                   @ID@,
    claim_no             TEXT NOT NULL UNIQUE,
    incident_id          BIGINT NOT NULL REFERENCES claim_incident (id),
    policy_id            BIGINT NOT NULL REFERENCES uw_policy (id),
    policy_no            TEXT NOT NULL,
    insurer_org_id       BIGINT NOT NULL REFERENCES organisation (id),
    insured_org_id       BIGINT NOT NULL REFERENCES organisation (id),
    region_code          TEXT NOT NULL,
    industry_section     TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('notified', 'responding', 'adjusting',
                             'settled', 'closed')),
    status_before_close  TEXT,
    notice_late          INTEGER NOT NULL CHECK (notice_late IN (0, 1)),
    estimate_total       BIGINT NOT NULL DEFAULT 0,
    liability_outcome    TEXT CHECK (liability_outcome IN ('covered', 'partly_covered',
                             'declined')),
    settled_amount       BIGINT,
    paid                 BIGINT NOT NULL DEFAULT 0,
    recovered            BIGINT NOT NULL DEFAULT 0,
    reserve              BIGINT NOT NULL DEFAULT 0,
    notified_at          TEXT NOT NULL,
    notified_s           BIGINT NOT NULL,
    first_response_at    TEXT,
    first_response_s     BIGINT,
    settled_at           TEXT,
    settled_s            BIGINT,
    closed_at            TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (incident_id, policy_id)
);
CREATE INDEX claim_policy ON claim (policy_id, id);
CREATE INDEX claim_insurer ON claim (insurer_org_id, id);
CREATE INDEX claim_insured ON claim (insured_org_id, id);

-- The first estimate per coverage at notice.
CREATE TABLE claim_estimate (
    claim_id  BIGINT NOT NULL REFERENCES claim (id),
    coverage  TEXT NOT NULL REFERENCES ref_coverage (code),
    amount    BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (claim_id, coverage)
);

-- Every status a claim took, with who and why.
CREATE TABLE claim_status (
    id        @ID@,
    claim_id  BIGINT NOT NULL REFERENCES claim (id),
    status    TEXT NOT NULL,
    at        TEXT NOT NULL,
    user_id   BIGINT NOT NULL,
    org_id    BIGINT NOT NULL,
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claim_status_claim ON claim_status (claim_id, id);

-- The timeline everyone on the claim appends to. party: who wrote it
-- (insured, insurer, responder, operator; system for the claim's own steps).
-- The insurer and the operators read every entry; the insured and the
-- responders those shown to them (the author's own side always).
CREATE TABLE claim_event (
    id                 @ID@,
    claim_id           BIGINT NOT NULL REFERENCES claim (id),
    at                 TEXT NOT NULL,
    user_id            BIGINT NOT NULL,
    org_id             BIGINT NOT NULL,
    party              TEXT NOT NULL CHECK (party IN ('insured', 'insurer', 'responder',
                           'operator', 'system')),
    kind               TEXT NOT NULL CHECK (kind IN ('note', 'call', 'decision', 'system')),
    text               TEXT NOT NULL,
    to_insured         INTEGER NOT NULL CHECK (to_insured IN (0, 1)),
    to_responder       INTEGER NOT NULL CHECK (to_responder IN (0, 1))
);
CREATE INDEX claim_event_claim ON claim_event (claim_id, id);

-- An insurer's panel (合作服务机构): service organisations with the services
-- they give and the hourly rate agreed.
CREATE TABLE claim_panel (
    id              @ID@,
    insurer_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    service_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    services        TEXT NOT NULL,
    hourly_rate     BIGINT NOT NULL CHECK (hourly_rate > 0),
    active          INTEGER NOT NULL CHECK (active IN (0, 1)),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (insurer_org_id, service_org_id)
);

-- A service organisation assigned to a claim, for one service, at the
-- panel's rate or (not on the panel) at a rate no higher than the rules'.
CREATE TABLE claim_assignment (
    id              @ID@,
    claim_id        BIGINT NOT NULL REFERENCES claim (id),
    service_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    service         TEXT NOT NULL,
    panel           INTEGER NOT NULL CHECK (panel IN (0, 1)),
    hourly_rate     BIGINT NOT NULL CHECK (hourly_rate > 0),
    note            TEXT NOT NULL DEFAULT '',
    assigned_by     BIGINT NOT NULL,
    assigned_at     TEXT NOT NULL,
    UNIQUE (claim_id, service_org_id, service)
);

-- What a responder does: hours (hundredths) at its assignment's rate plus
-- expenses; cost = rate × hours + expenses, rounded once.
CREATE TABLE claim_task (
    id             @ID@,
    claim_id       BIGINT NOT NULL REFERENCES claim (id),
    assignment_id  BIGINT NOT NULL REFERENCES claim_assignment (id),
    title          TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('open', 'done')),
    minutes     BIGINT NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    expenses       BIGINT NOT NULL DEFAULT 0 CHECK (expenses >= 0),
    cost           BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    created_by     BIGINT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    done_at        TEXT
);
CREATE INDEX claim_task_claim ON claim_task (claim_id, id);

-- A liability decision (定责), the latest one in force; its checklist in
-- claim_check. responding: the coverage codes that respond, comma-separated.
CREATE TABLE claim_liability (
    id              @ID@,
    claim_id        BIGINT NOT NULL REFERENCES claim (id),
    outcome         TEXT NOT NULL CHECK (outcome IN ('covered', 'partly_covered', 'declined')),
    responding      TEXT NOT NULL,
    war             INTEGER NOT NULL CHECK (war IN (0, 1)),
    infrastructure  INTEGER NOT NULL CHECK (infrastructure IN (0, 1)),
    intentional     INTEGER NOT NULL CHECK (intentional IN (0, 1)),
    exploited       TEXT NOT NULL DEFAULT '',
    rules_version   TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    decided_by      BIGINT NOT NULL,
    decided_at      TEXT NOT NULL
);
CREATE INDEX claim_liability_claim ON claim_liability (claim_id, id);

CREATE TABLE claim_check (
    liability_id  BIGINT NOT NULL REFERENCES claim_liability (id),
    seq           INTEGER NOT NULL,
    code          TEXT NOT NULL,
    mark          TEXT NOT NULL CHECK (mark IN ('pass', 'fail', 'warn')),
    coverage      TEXT,
    clause        TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    PRIMARY KEY (liability_id, seq)
);

-- A line item of the loss adjustment (定损), with the documents behind it.
CREATE TABLE claim_line_item (
    id                   @ID@,
    claim_id             BIGINT NOT NULL REFERENCES claim (id),
    coverage             TEXT NOT NULL REFERENCES ref_coverage (code),
    description          TEXT NOT NULL,
    amount               BIGINT NOT NULL CHECK (amount >= 0),
    outage_minutes    BIGINT NOT NULL DEFAULT 0 CHECK (outage_minutes >= 0),
    hourly_gross_profit  BIGINT NOT NULL DEFAULT 0 CHECK (hourly_gross_profit >= 0),
    documents            TEXT NOT NULL DEFAULT '',
    created_by           BIGINT NOT NULL,
    created_at           TEXT NOT NULL
);
CREATE INDEX claim_line_item_claim ON claim_line_item (claim_id, id);

-- What the policy year of a policy has paid out of its aggregate limit:
-- the row a settlement locks, so that two settlements on one policy never
-- spend the same limit.
CREATE TABLE claim_limit (
    policy_id    BIGINT PRIMARY KEY REFERENCES uw_policy (id),
    eroded       BIGINT NOT NULL DEFAULT 0 CHECK (eroded >= 0),
    settlements  INTEGER NOT NULL DEFAULT 0,
    claims       INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL
);

-- The settlement (理算): the terms applied, what the engine paid, and its
-- trace line by line (claim_trace).
CREATE TABLE claim_settlement (
    id                  @ID@,
    claim_id            BIGINT NOT NULL UNIQUE REFERENCES claim (id),
    aggregate_limit     BIGINT NOT NULL,
    retention           BIGINT NOT NULL,
    bi_waiting_hours    INTEGER NOT NULL,
    aggregate_before    BIGINT NOT NULL,
    aggregate_after     BIGINT NOT NULL,
    claimed_total       BIGINT NOT NULL,
    declined_total      BIGINT NOT NULL,
    ground_up_total     BIGINT NOT NULL,
    waiting             BIGINT NOT NULL,
    retained            BIGINT NOT NULL,
    paid_total          BIGINT NOT NULL,
    settled_by          BIGINT NOT NULL,
    settled_at          TEXT NOT NULL
);

CREATE TABLE claim_trace (
    settlement_id  BIGINT NOT NULL REFERENCES claim_settlement (id),
    seq            INTEGER NOT NULL,
    rule           TEXT NOT NULL,
    coverage       TEXT,
    before_amount  BIGINT NOT NULL,
    after_amount   BIGINT NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (settlement_id, seq)
);

-- Case reserves (未决赔款准备金) as they were set, newest last.
CREATE TABLE claim_reserve (
    id        @ID@,
    claim_id  BIGINT NOT NULL REFERENCES claim (id),
    amount    BIGINT NOT NULL CHECK (amount >= 0),
    reason    TEXT NOT NULL,
    user_id   BIGINT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX claim_reserve_claim ON claim_reserve (claim_id, id);

-- Payments of a settled claim: their sum never passes the settled amount.
CREATE TABLE claim_payment (
    id         @ID@,
    claim_id   BIGINT NOT NULL REFERENCES claim (id),
    kind       TEXT NOT NULL CHECK (kind IN ('partial', 'final')),
    amount     BIGINT NOT NULL CHECK (amount > 0),
    reference  TEXT NOT NULL DEFAULT '',
    paid_on    TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX claim_payment_claim ON claim_payment (claim_id, id);

-- Recoveries: subrogation against a third party, salvage, other.
CREATE TABLE claim_recovery (
    id            @ID@,
    claim_id      BIGINT NOT NULL REFERENCES claim (id),
    source        TEXT NOT NULL CHECK (source IN ('subrogation', 'salvage', 'other')),
    counterparty  TEXT NOT NULL DEFAULT '',
    amount        BIGINT NOT NULL CHECK (amount > 0),
    received_on   TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    user_id       BIGINT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX claim_recovery_claim ON claim_recovery (claim_id, id);
