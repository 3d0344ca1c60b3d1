-- 030_uw_effective: dates that mean what they say, endorsements of any term,
-- and the liability trigger (issue 17; docs/underwriting.md).
--
-- A policy row keeps its schedule AS BOUND (the terms, the insured's facts
-- and the annual premium of the day it was bound); it no longer changes when
-- an endorsement is made. Each change is a row of uw_endorsement holding the
-- whole schedule from its effective date on (00:00 Beijing time of the date
-- chosen), so the terms in force at any time t are those of the last change
-- effective at or before t, or the bound ones. A cancellation is recorded at
-- once (uw_policy.status 'cancelled', cancel_effective, return_premium) but
-- the policy is cancelled only from cancel_effective on. Read a policy's
-- terms and status at a time through app/uw (app_uw_policy_get,
-- app_uw_book_in_force), never from these columns alone.

-- The liability trigger of a product and of a quote (copied to the policy it
-- becomes): occurrence, or claims made with a retroactive date (YYYY-MM-DD
-- Beijing). A product's retro_date NULL means the policy's own start date.
ALTER TABLE uw_product ADD COLUMN liability_trigger TEXT NOT NULL DEFAULT 'occurrence'
    CHECK (liability_trigger IN ('occurrence', 'claims_made'));
ALTER TABLE uw_product ADD COLUMN retro_date TEXT;
ALTER TABLE uw_quote ADD COLUMN liability_trigger TEXT NOT NULL DEFAULT 'occurrence'
    CHECK (liability_trigger IN ('occurrence', 'claims_made'));
ALTER TABLE uw_quote ADD COLUMN retro_date TEXT;

-- Endorsements, again: kind 'change' (any term, several at once) carries the
-- schedule from effective_at on and the pricing of its annual premium
-- (breakdown: the same document as a quote's); kind 'cancellation' carries
-- its reason. premium_delta = (new − old annual premium) × days_remaining /
-- days_total (a cancellation: − old annual premium × days_remaining /
-- days_total), old being the annual premium in force at effective_at.
CREATE TABLE uw_endorsement_030 (
    id                  @ID@,
    policy_id           BIGINT NOT NULL REFERENCES uw_policy (id),
    kind                TEXT NOT NULL CHECK (kind IN ('change', 'cancellation')),
    effective_at        TEXT NOT NULL,
    old_annual_premium  BIGINT NOT NULL,
    new_annual_premium  BIGINT NOT NULL,
    days_remaining      INTEGER NOT NULL,
    days_total          INTEGER NOT NULL,
    premium_delta       BIGINT NOT NULL,
    reason              TEXT,
    note                TEXT NOT NULL DEFAULT '',
    created_by_user_id  BIGINT NOT NULL,
    created_at          TEXT NOT NULL,
    aggregate_limit     BIGINT CHECK (aggregate_limit > 0),
    retention           BIGINT CHECK (retention >= 0),
    industry_section    TEXT,
    region_code         TEXT,
    revenue             BIGINT CHECK (revenue > 0),
    gross_margin_bp     INTEGER CHECK (gross_margin_bp BETWEEN 0 AND 10000),
    dep_cloud           TEXT,
    dep_os              TEXT,
    dep_vpn             TEXT,
    dep_email           TEXT,
    breakdown           TEXT
);

-- The endorsements made so far: a limit change becomes a change whose
-- schedule is the policy's with the new limit (only the limit could change).
INSERT INTO uw_endorsement_030 (policy_id, kind, effective_at, old_annual_premium,
    new_annual_premium, days_remaining, days_total, premium_delta, reason, note,
    created_by_user_id, created_at, aggregate_limit, retention, industry_section, region_code,
    revenue, gross_margin_bp, dep_cloud, dep_os, dep_vpn, dep_email)
SELECT e.policy_id, CASE WHEN e.kind = 'cancellation' THEN 'cancellation' ELSE 'change' END,
    e.effective_at, e.old_annual_premium, e.new_annual_premium, e.days_remaining, e.days_total,
    e.premium_delta, CASE WHEN e.kind = 'cancellation' THEN 'other' END, e.note,
    e.created_by_user_id, e.created_at,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE e.new_limit END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.retention END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.industry_section END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.region_code END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.revenue END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.gross_margin_bp END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.dep_cloud END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.dep_os END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.dep_vpn END,
    CASE WHEN e.kind = 'cancellation' THEN NULL ELSE y.dep_email END
FROM uw_endorsement e JOIN uw_policy y ON y.id = e.policy_id ORDER BY e.id;

DROP TABLE uw_endorsement;
ALTER TABLE uw_endorsement_030 RENAME TO uw_endorsement;
CREATE INDEX uw_endorsement_policy ON uw_endorsement (policy_id, effective_at, id);

-- The coverages of a change's schedule (as uw_policy_coverage is the bound one's).
CREATE TABLE uw_endorsement_coverage (
    endorsement_id  BIGINT NOT NULL REFERENCES uw_endorsement (id),
    coverage        TEXT NOT NULL REFERENCES ref_coverage (code),
    sublimit        BIGINT NOT NULL CHECK (sublimit > 0),
    share_bp        INTEGER NOT NULL CHECK (share_bp > 0 AND share_bp <= 10000),
    PRIMARY KEY (endorsement_id, coverage)
);

-- A limit change's sublimits were the product's defaults capped at its new limit.
INSERT INTO uw_endorsement_coverage (endorsement_id, coverage, sublimit, share_bp)
SELECT e.id, c.coverage,
    CASE WHEN pc.sublimit IS NOT NULL AND pc.sublimit < e.aggregate_limit THEN pc.sublimit
        ELSE e.aggregate_limit END,
    c.share_bp
FROM uw_endorsement e JOIN uw_policy y ON y.id = e.policy_id
JOIN uw_policy_coverage c ON c.policy_id = y.id
LEFT JOIN uw_product_coverage pc ON pc.product_id = y.product_id AND pc.coverage = c.coverage
WHERE e.kind = 'change';

-- The policy rows back to their schedule as bound: the quote's.
UPDATE uw_policy SET
    aggregate_limit = (SELECT q.aggregate_limit FROM uw_quote q WHERE q.id = uw_policy.quote_id),
    annual_premium = (SELECT q.premium FROM uw_quote q WHERE q.id = uw_policy.quote_id),
    written_premium = (SELECT q.premium FROM uw_quote q WHERE q.id = uw_policy.quote_id);
UPDATE uw_policy_coverage SET sublimit = (
    SELECT qc.sublimit FROM uw_quote_coverage qc JOIN uw_policy y ON y.quote_id = qc.quote_id
    WHERE y.id = uw_policy_coverage.policy_id AND qc.coverage = uw_policy_coverage.coverage)
WHERE EXISTS (
    SELECT 1 FROM uw_quote_coverage qc JOIN uw_policy y ON y.quote_id = qc.quote_id
    WHERE y.id = uw_policy_coverage.policy_id AND qc.coverage = uw_policy_coverage.coverage);
