-- quote_pgbench_batch.sql — the writes of 16 stored quotes as one writer gathering many
-- requests' quotes could send them: the 16 quotes, their coverages and their pending audit
-- entries in one statement (copies of a quote the server stored: :src, its audit entry :entry).
-- bench/quote.sh (PG=1) runs it from one pgbench client in one transaction after 16 quotes'
-- reads as the server sends them (the reads of bench/quote_pgbench.sql, 16 times), for the
-- least CPU PostgreSQL would spend on a stored quote. Foreign keys, indexes and durability as
-- the server has them. Variables (pgbench -D): src, entry.
WITH q AS (
  INSERT INTO uw_quote (product_id, insured_org_id, requested_by_org_id, requested_by_user_id,
       assessment_id, renewal_of, status, decision, industry_section, revenue, gross_margin_bp,
       grade, aggregate_limit, retention, bi_waiting_hours, claim_free_years, credit_bp,
       pure_premium, gross_premium, premium, rating_model, rules_version, breakdown, start_date,
       valid_until, created_at, updated_at, liability_trigger, retro_date)
  SELECT product_id, insured_org_id, requested_by_org_id, requested_by_user_id,
       assessment_id, renewal_of, status, decision, industry_section, revenue, gross_margin_bp,
       grade, aggregate_limit, retention, bi_waiting_hours, claim_free_years, credit_bp,
       pure_premium, gross_premium, premium, rating_model, rules_version, breakdown, start_date,
       valid_until, created_at, updated_at, liability_trigger, retro_date
    FROM uw_quote CROSS JOIN generate_series(1, 16) WHERE id = :src RETURNING id),
c AS (
  INSERT INTO uw_quote_coverage (quote_id, coverage, sublimit, share_bp, pure_premium)
  SELECT q.id, s.coverage, s.sublimit, s.share_bp, s.pure_premium
    FROM q CROSS JOIN uw_quote_coverage s WHERE s.quote_id = :src),
a AS (
  INSERT INTO audit_log (at, user_id, org_id, actor, action, object_type, object_id, summary)
  SELECT e.at, e.user_id, e.org_id, e.actor, e.action, e.object_type, CAST(q.id AS TEXT), e.summary
    FROM q CROSS JOIN audit_log e WHERE e.id = :entry)
SELECT count(*) FROM q;
