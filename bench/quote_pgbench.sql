-- quote_pgbench.sql — pgbench script of bench/quote.sh (PG=1): what
-- PostgreSQL alone does for one stored quote, the statements the server
-- sends (pg_stat_statements), in one transaction: the assessment, its
-- findings and the insured read, the quote, its coverages and its pending
-- audit entry written (copies of a quote the server stored: :src, its audit
-- entry :entry). The server's own work (authentication, pricing, JSON) is
-- not here: its stored-quote rate over this script's is the part of
-- PostgreSQL's capacity on the same machine the server reaches.
-- Variables (pgbench -D): assessment, org, src, entry.
BEGIN;
SELECT a.id, a.org_id, a.author_org_id, a.author_user_id, o.name AS org_name, a.status,
       a.questionnaire_version, a.target_industry, a.flags, a.answers, a.mlps_level,
       a.mlps_conclusion, a.mlps_score_tenths, a.mlps_date, a.dep_cloud, a.dep_os, a.dep_vpn,
       a.dep_email, a.score_hundredths, a.grade, a.result, a.created_at, a.updated_at,
       a.submitted_at
  FROM uw_assessment a JOIN organisation o ON o.id = a.org_id WHERE a.id = :assessment;
SELECT id, asset, port, service, cve, cvss_tenths, epss_e5, kev, internet_facing, first_seen
  FROM uw_finding WHERE assessment_id = :assessment ORDER BY id;
SELECT type, name, region_code, industry_section, industry_division FROM organisation
 WHERE id = :org;
INSERT INTO uw_quote (product_id, insured_org_id, requested_by_org_id, requested_by_user_id,
       assessment_id, renewal_of, status, decision, industry_section, revenue, gross_margin_bp,
       grade, aggregate_limit, retention, bi_waiting_hours, claim_free_years, credit_bp,
       pure_premium, gross_premium, premium, rating_model, rules_version, breakdown, start_date,
       valid_until, created_at, updated_at, liability_trigger, retro_date)
SELECT product_id, insured_org_id, requested_by_org_id, requested_by_user_id, assessment_id,
       renewal_of, status, decision, industry_section, revenue, gross_margin_bp, grade,
       aggregate_limit, retention, bi_waiting_hours, claim_free_years, credit_bp, pure_premium,
       gross_premium, premium, rating_model, rules_version, breakdown, start_date, valid_until,
       created_at, updated_at, liability_trigger, retro_date
  FROM uw_quote WHERE id = :src RETURNING id \gset
INSERT INTO uw_quote_coverage (quote_id, coverage, sublimit, share_bp, pure_premium)
SELECT :id, coverage, sublimit, share_bp, pure_premium FROM uw_quote_coverage
 WHERE quote_id = :src;
INSERT INTO audit_log (at, user_id, org_id, actor, action, object_type, object_id, summary)
SELECT at, user_id, org_id, actor, action, object_type, CAST(:id AS TEXT), summary
  FROM audit_log WHERE id = :entry;
COMMIT;
