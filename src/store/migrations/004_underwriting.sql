-- 004_underwriting: products, risk assessments with their scan evidence,
-- quotes, policies, endorsements (DOMAIN.md §6; docs/underwriting.md
-- describes every column). Money is BIGINT fen; times are UTC ISO-8601 text;
-- dates a person chose (start date, 测评 date) are Beijing dates YYYY-MM-DD.
-- Shares and rates are integers (basis points, tenths, hundredths) so both
-- backends hold them exactly. @ID@ becomes each backend's auto-increment key.

-- A product version. Versions of one product share family_id (the first
-- version's id); only a draft changes; filing puts it on sale (active) and
-- retires the family's previous active version (superseded).
CREATE TABLE uw_product (
    id                 @ID@,
    family_id          BIGINT,
    version            INTEGER NOT NULL CHECK (version >= 1),
    insurer_org_id     BIGINT NOT NULL REFERENCES organisation (id),
    name               TEXT NOT NULL,
    class              TEXT NOT NULL CHECK (class IN ('enterprise', 'product_service')),
    target_industries  TEXT NOT NULL DEFAULT '',
    product_type       TEXT,
    description        TEXT NOT NULL DEFAULT '',
    bi_waiting_hours   INTEGER NOT NULL CHECK (bi_waiting_hours >= 0),
    retention_options  TEXT NOT NULL,
    limit_options      TEXT NOT NULL,
    minimum_premium    BIGINT CHECK (minimum_premium >= 0),
    rating_model       TEXT NOT NULL,
    rules_version      TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('draft', 'active', 'superseded', 'withdrawn')),
    filing_no          TEXT,
    filing_date        TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX uw_product_family_version ON uw_product (family_id, version);
CREATE INDEX uw_product_insurer ON uw_product (insurer_org_id, status);

-- The coverages a product offers: sublimit NULL means the aggregate limit;
-- share_bp the insurer's share in basis points (10000 = all of it).
CREATE TABLE uw_product_coverage (
    product_id  BIGINT NOT NULL REFERENCES uw_product (id),
    coverage    TEXT NOT NULL REFERENCES ref_coverage (code),
    sublimit    BIGINT CHECK (sublimit > 0),
    share_bp    INTEGER NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    PRIMARY KEY (product_id, coverage)
);

-- A risk assessment of an enterprise, by itself or by a service organisation.
-- answers: JSON {question id: "yes"|"partial"|"no"|"na"|option code|number}.
-- result: JSON of the scoring (drivers, recommendations, counts) once submitted.
CREATE TABLE uw_assessment (
    id                     @ID@,
    org_id                 BIGINT NOT NULL REFERENCES organisation (id),
    author_org_id          BIGINT NOT NULL REFERENCES organisation (id),
    author_user_id         BIGINT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    questionnaire_version  TEXT NOT NULL,
    target_industry        TEXT NOT NULL DEFAULT '',
    flags                  TEXT NOT NULL DEFAULT '',
    answers                TEXT NOT NULL DEFAULT '{}',
    mlps_level             INTEGER NOT NULL DEFAULT 0 CHECK (mlps_level BETWEEN 0 AND 5),
    mlps_conclusion        TEXT,
    mlps_score_tenths      INTEGER CHECK (mlps_score_tenths BETWEEN 0 AND 1000),
    mlps_date              TEXT,
    dep_cloud              TEXT NOT NULL DEFAULT '',
    dep_os                 TEXT NOT NULL DEFAULT '',
    dep_vpn                TEXT NOT NULL DEFAULT '',
    dep_email              TEXT NOT NULL DEFAULT '',
    score_hundredths       INTEGER,
    grade                  TEXT CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    result                 TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    submitted_at           TEXT
);
CREATE INDEX uw_assessment_org ON uw_assessment (org_id, id);
CREATE INDEX uw_assessment_author ON uw_assessment (author_org_id, id);

-- External-scan findings (evidence) of an assessment.
CREATE TABLE uw_finding (
    id               @ID@,
    assessment_id    BIGINT NOT NULL REFERENCES uw_assessment (id),
    asset            TEXT NOT NULL,
    port             INTEGER CHECK (port BETWEEN 0 AND 65535),
    service          TEXT NOT NULL DEFAULT '',
    cve              TEXT NOT NULL DEFAULT '',
    cvss_tenths      INTEGER CHECK (cvss_tenths BETWEEN 0 AND 100),
    epss_e5          INTEGER CHECK (epss_e5 BETWEEN 0 AND 100000),
    kev              INTEGER NOT NULL CHECK (kev IN (0, 1)),
    internet_facing  INTEGER NOT NULL CHECK (internet_facing IN (0, 1)),
    first_seen       TEXT NOT NULL
);
CREATE INDEX uw_finding_assessment ON uw_finding (assessment_id);

-- A quote: the application's facts, the price and how it was made
-- (breakdown: JSON of every factor, the pure premium per coverage, the rules
-- that held), and the underwriting decision. status: quoted (bindable),
-- referred (awaiting an underwriter), approved (referral approved, bindable),
-- declined, bound.
CREATE TABLE uw_quote (
    id                     @ID@,
    product_id             BIGINT NOT NULL REFERENCES uw_product (id),
    insured_org_id         BIGINT NOT NULL REFERENCES organisation (id),
    requested_by_org_id    BIGINT NOT NULL REFERENCES organisation (id),
    requested_by_user_id   BIGINT NOT NULL,
    assessment_id          BIGINT REFERENCES uw_assessment (id),
    renewal_of             BIGINT,
    status                 TEXT NOT NULL CHECK (status IN ('quoted', 'referred', 'approved',
                               'declined', 'bound')),
    decision               TEXT NOT NULL CHECK (decision IN ('accept', 'condition', 'refer',
                               'decline')),
    industry_section       TEXT NOT NULL,
    revenue                BIGINT NOT NULL CHECK (revenue > 0),
    gross_margin_bp        INTEGER CHECK (gross_margin_bp BETWEEN 0 AND 10000),
    grade                  TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    aggregate_limit        BIGINT NOT NULL CHECK (aggregate_limit > 0),
    retention              BIGINT NOT NULL CHECK (retention >= 0),
    bi_waiting_hours       INTEGER NOT NULL CHECK (bi_waiting_hours >= 0),
    claim_free_years       INTEGER NOT NULL DEFAULT 0,
    credit_bp              INTEGER NOT NULL DEFAULT 0,
    pure_premium           BIGINT NOT NULL,
    gross_premium          BIGINT NOT NULL,
    premium                BIGINT NOT NULL,
    rating_model           TEXT NOT NULL,
    rules_version          TEXT NOT NULL,
    breakdown              TEXT NOT NULL,
    start_date             TEXT NOT NULL,
    valid_until            TEXT NOT NULL,
    referral_note          TEXT,
    referral_by_user_id    BIGINT,
    referral_at            TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX uw_quote_insured ON uw_quote (insured_org_id, id);
CREATE INDEX uw_quote_product ON uw_quote (product_id, status);

CREATE TABLE uw_quote_coverage (
    quote_id      BIGINT NOT NULL REFERENCES uw_quote (id),
    coverage      TEXT NOT NULL REFERENCES ref_coverage (code),
    sublimit      BIGINT NOT NULL CHECK (sublimit > 0),
    share_bp      INTEGER NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    pure_premium  BIGINT NOT NULL,
    PRIMARY KEY (quote_id, coverage)
);

-- A policy: the schedule (terms in the terms engine's shape, core/terms.h),
-- the insured's rating facts and declared dependencies (what the portfolio
-- simulation needs), and the premium. The period is [period_start,
-- period_end) in UTC; both are 00:00 Beijing time. In force: status
-- 'active' and period_start <= now < period_end. annual_premium is the
-- current annual rate (after endorsements); written_premium what was charged
-- in all (the first premium, plus endorsement charges, less returns).
CREATE TABLE uw_policy (
    id                @ID@,
    policy_no         TEXT NOT NULL UNIQUE,
    quote_id          BIGINT NOT NULL UNIQUE REFERENCES uw_quote (id),
    product_id        BIGINT NOT NULL REFERENCES uw_product (id),
    insurer_org_id    BIGINT NOT NULL REFERENCES organisation (id),
    insured_org_id    BIGINT NOT NULL REFERENCES organisation (id),
    status            TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
    period_start      TEXT NOT NULL,
    period_end        TEXT NOT NULL,
    liability_trigger TEXT NOT NULL DEFAULT 'occurrence' CHECK (liability_trigger IN ('occurrence',
                          'claims_made')),
    retro_date        TEXT,
    aggregate_limit   BIGINT NOT NULL CHECK (aggregate_limit > 0),
    retention         BIGINT NOT NULL CHECK (retention >= 0),
    bi_waiting_hours  INTEGER NOT NULL CHECK (bi_waiting_hours >= 0),
    industry_section  TEXT NOT NULL,
    region_code       TEXT NOT NULL,
    revenue           BIGINT NOT NULL CHECK (revenue > 0),
    gross_margin_bp   INTEGER CHECK (gross_margin_bp BETWEEN 0 AND 10000),
    grade             TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D', 'E')),
    dep_cloud         TEXT NOT NULL DEFAULT '',
    dep_os            TEXT NOT NULL DEFAULT '',
    dep_vpn           TEXT NOT NULL DEFAULT '',
    dep_email         TEXT NOT NULL DEFAULT '',
    annual_premium    BIGINT NOT NULL,
    written_premium   BIGINT NOT NULL,
    conditions        TEXT NOT NULL DEFAULT '[]',
    renewal_of        BIGINT UNIQUE REFERENCES uw_policy (id),
    claims_count      INTEGER NOT NULL DEFAULT 0,
    cancelled_at      TEXT,
    cancel_effective  TEXT,
    return_premium    BIGINT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX uw_policy_insured ON uw_policy (insured_org_id, id);
CREATE INDEX uw_policy_insurer ON uw_policy (insurer_org_id, id);
CREATE INDEX uw_policy_in_force ON uw_policy (status, period_start, period_end);

CREATE TABLE uw_policy_coverage (
    policy_id  BIGINT NOT NULL REFERENCES uw_policy (id),
    coverage   TEXT NOT NULL REFERENCES ref_coverage (code),
    sublimit   BIGINT NOT NULL CHECK (sublimit > 0),
    share_bp   INTEGER NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    PRIMARY KEY (policy_id, coverage)
);

-- Mid-term changes and the cancellation, with the pro-rata premium by day:
-- premium_delta = (new − old annual premium) × days_remaining / days_total
-- (a cancellation: − annual premium × days_remaining / days_total).
CREATE TABLE uw_endorsement (
    id                  @ID@,
    policy_id           BIGINT NOT NULL REFERENCES uw_policy (id),
    kind                TEXT NOT NULL CHECK (kind IN ('limit_change', 'cancellation')),
    effective_at        TEXT NOT NULL,
    old_limit           BIGINT NOT NULL,
    new_limit           BIGINT NOT NULL,
    old_annual_premium  BIGINT NOT NULL,
    new_annual_premium  BIGINT NOT NULL,
    days_remaining      INTEGER NOT NULL,
    days_total          INTEGER NOT NULL,
    premium_delta       BIGINT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    created_by_user_id  BIGINT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX uw_endorsement_policy ON uw_endorsement (policy_id, id);

-- The last policy sequence number per insurer and underwriting year.
CREATE TABLE uw_policy_seq (
    insurer_org_id  BIGINT NOT NULL REFERENCES organisation (id),
    year            INTEGER NOT NULL,
    last_seq        BIGINT NOT NULL,
    PRIMARY KEY (insurer_org_id, year)
);
