-- 002_identity: organisations, users, sessions, API tokens, login attempts
-- and the hash-chained audit log. Times are UTC ISO-8601 text; money is
-- BIGINT fen. @ID@ becomes each backend's auto-increment key.
CREATE TABLE organisation (
    id                      @ID@,
    name                    TEXT NOT NULL,
    type                    TEXT NOT NULL CHECK (type IN ('ministry', 'support_center',
                                'province', 'city', 'comm_admin', 'insurer', 'service_org',
                                'enterprise', 'expert')),
    uscc                    TEXT NOT NULL UNIQUE,
    uscc_warning            TEXT,
    region_code             TEXT NOT NULL,
    province_code           TEXT NOT NULL REFERENCES ref_region (code),
    city_code               TEXT REFERENCES ref_region (code),
    industry_section        TEXT,
    industry_division       TEXT,
    nature                  TEXT NOT NULL CHECK (nature IN ('public_institution', 'state_owned',
                                'private', 'joint_venture', 'state_controlled',
                                'state_participated', 'other')),
    nature_other            TEXT,
    founded_on              TEXT,
    registered_capital_fen  BIGINT CHECK (registered_capital_fen >= 0),
    address                 TEXT NOT NULL DEFAULT '',
    contact                 TEXT NOT NULL DEFAULT '',
    phone                   TEXT NOT NULL DEFAULT '',
    fax                     TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    licence_no              TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX organisation_region ON organisation (region_code);
CREATE INDEX organisation_type ON organisation (type);

CREATE TABLE app_user (
    id             @ID@,
    org_id         BIGINT NOT NULL REFERENCES organisation (id),
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    password_hash  TEXT NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX app_user_org ON app_user (org_id);

-- the token itself lives only in the user's cookie; the store keeps its SHA-256
CREATE TABLE session (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_by_user ON session (user_id);

CREATE TABLE api_token (
    id            @ID@,
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_token_user ON api_token (user_id);

CREATE TABLE login_attempt (
    id        @ID@,
    username  TEXT NOT NULL,
    ip        TEXT NOT NULL,
    at        TEXT NOT NULL,
    ok        INTEGER NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX login_attempt_user ON login_attempt (username, at);
CREATE INDEX login_attempt_ip ON login_attempt (ip, at);

-- one row: the chain's head. Appending updates it first, which serialises
-- appenders on both backends (a row lock on PostgreSQL, the write lock on SQLite).
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      BIGINT NOT NULL,
    org_id       BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    summary      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_org ON audit_log (org_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
