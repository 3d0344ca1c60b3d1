-- 001_reference: reference data copied from data/ at start-up (the files are
-- the source of truth; these tables let SQL join and group by region,
-- industry and coverage). Written in the SQL both SQLite and PostgreSQL accept;
-- @ID@ becomes each backend's auto-increment key (see store.c).
CREATE TABLE ref_region (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    level      INTEGER NOT NULL CHECK (level IN (1, 2)),
    parent     TEXT REFERENCES ref_region (code),
    plan_city  INTEGER NOT NULL DEFAULT 0 CHECK (plan_city IN (0, 1))
);

CREATE TABLE ref_industry (
    code     TEXT PRIMARY KEY,
    level    INTEGER NOT NULL CHECK (level IN (1, 2)),
    section  TEXT NOT NULL,
    name     TEXT NOT NULL
);

CREATE TABLE ref_coverage (
    code            TEXT PRIMARY KEY,
    third_party     INTEGER NOT NULL CHECK (third_party IN (0, 1)),
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    waiting_period  INTEGER NOT NULL CHECK (waiting_period IN (0, 1)),
    oed_code        TEXT NOT NULL
);

-- one row per loaded data file: which version the database was synced from
CREATE TABLE ref_source (
    file       TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    loaded_at  TEXT NOT NULL
);
