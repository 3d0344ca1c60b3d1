/*
 * handlers.h — every route handler of http/, grouped by the handler file that
 * defines it; routes.c puts them in the one route table. A handler is either
 * written out or declared with HTTP_ROUTE (http_serve). Never includes
 * sqlite3 or libpq.
 */
#ifndef CY_HTTP_HANDLERS_H
#define CY_HTTP_HANDLERS_H

#include "http/http.h"

/* platform.c: the platform: health, metrics, meta, the OpenAPI document */
void h_healthz(http_req_t *req, http_resp_t *resp);
void h_metrics(http_req_t *req, http_resp_t *resp);
void h_openapi(http_req_t *req, http_resp_t *resp);
void h_meta(http_req_t *req, http_resp_t *resp);

/* ref.c: reference data and the public checks (USCC, 字数) */
void h_ref_regions(http_req_t *req, http_resp_t *resp);
void h_ref_industries(http_req_t *req, http_resp_t *resp);
void h_ref_coverages(http_req_t *req, http_resp_t *resp);
void h_ref_pilot(http_req_t *req, http_resp_t *resp);
void h_check_uscc(http_req_t *req, http_resp_t *resp);
void h_check_zishu(http_req_t *req, http_resp_t *resp);

/* identity.c: identity: sessions, me, organisations, users, tokens, audit */
void h_session_create(http_req_t *req, http_resp_t *resp);
void h_session_delete(http_req_t *req, http_resp_t *resp);
void h_me(http_req_t *req, http_resp_t *resp);
void h_orgs_list(http_req_t *req, http_resp_t *resp);
void h_orgs_create(http_req_t *req, http_resp_t *resp);
void h_orgs_get(http_req_t *req, http_resp_t *resp);
void h_orgs_update(http_req_t *req, http_resp_t *resp);
void h_users_list(http_req_t *req, http_resp_t *resp);
void h_users_create(http_req_t *req, http_resp_t *resp);
void h_users_get(http_req_t *req, http_resp_t *resp);
void h_users_update(http_req_t *req, http_resp_t *resp);
void h_users_password(http_req_t *req, http_resp_t *resp);
void h_tokens_list(http_req_t *req, http_resp_t *resp);
void h_tokens_create(http_req_t *req, http_resp_t *resp);
void h_tokens_delete(http_req_t *req, http_resp_t *resp);
void h_audit_list(http_req_t *req, http_resp_t *resp);
void h_audit_verify(http_req_t *req, http_resp_t *resp);

/* pilot.c: the pilot programme: rounds, schemes, reviews, catalogue, plans, packages, extensions,
 * pilots, reports, summaries, overdue lists */
void h_rounds_list(http_req_t *req, http_resp_t *resp);
void h_rounds_get(http_req_t *req, http_resp_t *resp);
void h_schemes_list(http_req_t *req, http_resp_t *resp);
void h_schemes_create(http_req_t *req, http_resp_t *resp);
void h_schemes_get(http_req_t *req, http_resp_t *resp);
void h_schemes_update(http_req_t *req, http_resp_t *resp);
void h_schemes_confirm(http_req_t *req, http_resp_t *resp);
void h_schemes_submit(http_req_t *req, http_resp_t *resp);
void h_schemes_recommend(http_req_t *req, http_resp_t *resp);
void h_schemes_assign(http_req_t *req, http_resp_t *resp);
void h_schemes_experts(http_req_t *req, http_resp_t *resp);
void h_schemes_waive(http_req_t *req, http_resp_t *resp);
void h_reviews_list(http_req_t *req, http_resp_t *resp);
void h_reviews_get(http_req_t *req, http_resp_t *resp);
void h_reviews_submit(http_req_t *req, http_resp_t *resp);
void h_catalogue_get(http_req_t *req, http_resp_t *resp);
void h_catalogue_publish(http_req_t *req, http_resp_t *resp);
void h_plans_list(http_req_t *req, http_resp_t *resp);
void h_plans_create(http_req_t *req, http_resp_t *resp);
void h_plans_get(http_req_t *req, http_resp_t *resp);
void h_plans_update(http_req_t *req, http_resp_t *resp);
void h_plans_confirm(http_req_t *req, http_resp_t *resp);
void h_plans_submit(http_req_t *req, http_resp_t *resp);
void h_plans_return(http_req_t *req, http_resp_t *resp);
void h_plans_waive(http_req_t *req, http_resp_t *resp);
void h_plan_targets(http_req_t *req, http_resp_t *resp);
void h_packages_list(http_req_t *req, http_resp_t *resp);
void h_packages_create(http_req_t *req, http_resp_t *resp);
void h_packages_get(http_req_t *req, http_resp_t *resp);
void h_packages_forward(http_req_t *req, http_resp_t *resp);
void h_packages_return(http_req_t *req, http_resp_t *resp);
void h_extensions_list(http_req_t *req, http_resp_t *resp);
void h_extensions_create(http_req_t *req, http_resp_t *resp);
void h_extension_requests_list(http_req_t *req, http_resp_t *resp);
void h_extension_ask(http_req_t *req, http_resp_t *resp);
void h_extension_decline(http_req_t *req, http_resp_t *resp);
void h_pilots_list(http_req_t *req, http_resp_t *resp);
void h_pilots_select(http_req_t *req, http_resp_t *resp);
void h_pilots_get(http_req_t *req, http_resp_t *resp);
void h_pilots_exit(http_req_t *req, http_resp_t *resp);
void h_pilots_figures(http_req_t *req, http_resp_t *resp);
void h_reports_list(http_req_t *req, http_resp_t *resp);
void h_reports_create(http_req_t *req, http_resp_t *resp);
void h_summaries_list(http_req_t *req, http_resp_t *resp);
void h_summaries_create(http_req_t *req, http_resp_t *resp);
void h_summaries_forward(http_req_t *req, http_resp_t *resp);
void h_overdue_list(http_req_t *req, http_resp_t *resp);
void h_todo(http_req_t *req, http_resp_t *resp);
void h_orgs_telecom(http_req_t *req, http_resp_t *resp);

/* uw.c: underwriting: products, assessments, quotes, policies */
void h_uw_products_list(http_req_t *req, http_resp_t *resp);
void h_uw_products_create(http_req_t *req, http_resp_t *resp);
void h_uw_product_get(http_req_t *req, http_resp_t *resp);
void h_uw_product_update(http_req_t *req, http_resp_t *resp);
void h_uw_product_filing(http_req_t *req, http_resp_t *resp);
void h_uw_product_versions(http_req_t *req, http_resp_t *resp);
void h_uw_product_rate_table(http_req_t *req, http_resp_t *resp);
void h_uw_questionnaire(http_req_t *req, http_resp_t *resp);
void h_uw_assessments_list(http_req_t *req, http_resp_t *resp);
void h_uw_assessments_create(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_get(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_update(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_findings(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_submit(http_req_t *req, http_resp_t *resp);
void h_uw_quotes_list(http_req_t *req, http_resp_t *resp);
void h_uw_quotes_create(http_req_t *req, http_resp_t *resp);
void h_uw_quote_get(http_req_t *req, http_resp_t *resp);
void h_uw_quote_referral(http_req_t *req, http_resp_t *resp);
void h_uw_quote_bind(http_req_t *req, http_resp_t *resp);
void h_uw_policies_list(http_req_t *req, http_resp_t *resp);
void h_uw_policy_get(http_req_t *req, http_resp_t *resp);
void h_uw_policy_endorsements(http_req_t *req, http_resp_t *resp);
void h_uw_policy_cancellation(http_req_t *req, http_resp_t *resp);
void h_uw_policy_attribute(http_req_t *req, http_resp_t *resp);
void h_uw_policy_renewal_options(http_req_t *req, http_resp_t *resp);
void h_uw_policy_renewal(http_req_t *req, http_resp_t *resp);

/* sim.c: portfolio simulations */
void h_sims_create(http_req_t *req, http_resp_t *resp);
void h_sims_list(http_req_t *req, http_resp_t *resp);
void h_sims_get(http_req_t *req, http_resp_t *resp);

/* docs.c: the pilot's documents, paper copies and attachments */
void h_scheme_document(http_req_t *req, http_resp_t *resp);
void h_plan_document(http_req_t *req, http_resp_t *resp);
void h_package_document(http_req_t *req, http_resp_t *resp);
void h_catalogue_document(http_req_t *req, http_resp_t *resp);
void h_report_document(http_req_t *req, http_resp_t *resp);
void h_summary_document(http_req_t *req, http_resp_t *resp);
void h_overdue_document(http_req_t *req, http_resp_t *resp);
void h_plan_paper(http_req_t *req, http_resp_t *resp);
void h_package_paper(http_req_t *req, http_resp_t *resp);
void h_scheme_attach(http_req_t *req, http_resp_t *resp);
void h_plan_attach(http_req_t *req, http_resp_t *resp);
void h_scheme_attachment(http_req_t *req, http_resp_t *resp);
void h_plan_attachment(http_req_t *req, http_resp_t *resp);

/* blob.c: an organisation's files */
void h_files_upload(http_req_t *req, http_resp_t *resp);
void h_files_list(http_req_t *req, http_resp_t *resp);
void h_files_get(http_req_t *req, http_resp_t *resp);
void h_files_content(http_req_t *req, http_resp_t *resp);
void h_files_verify(http_req_t *req, http_resp_t *resp);

/* notify.c: notifications */
void h_notifications_list(http_req_t *req, http_resp_t *resp);
void h_notification_read(http_req_t *req, http_resp_t *resp);
void h_notifications_read_all(http_req_t *req, http_resp_t *resp);

/* webhook.c: webhooks */
void h_webhooks_create(http_req_t *req, http_resp_t *resp);
void h_webhooks_list(http_req_t *req, http_resp_t *resp);
void h_webhooks_get(http_req_t *req, http_resp_t *resp);
void h_webhooks_delete(http_req_t *req, http_resp_t *resp);
void h_webhook_deliveries(http_req_t *req, http_resp_t *resp);

/* engage.c: engagements */
void h_engagements_grant(http_req_t *req, http_resp_t *resp);
void h_engagements_list(http_req_t *req, http_resp_t *resp);
void h_engagements_get(http_req_t *req, http_resp_t *resp);
void h_engagements_end(http_req_t *req, http_resp_t *resp);

/* claims.c: claims: incidents, claims and what the parties do on them, the response tasks, the
 * panel */
void h_incidents_list(http_req_t *req, http_resp_t *resp);
void h_incidents_create(http_req_t *req, http_resp_t *resp);
void h_incident_get(http_req_t *req, http_resp_t *resp);
void h_claims_list(http_req_t *req, http_resp_t *resp);
void h_claims_rules(http_req_t *req, http_resp_t *resp);
void h_claims_tasks_list(http_req_t *req, http_resp_t *resp);
void h_claims_figures(http_req_t *req, http_resp_t *resp);
void h_claim_get(http_req_t *req, http_resp_t *resp);
void h_claim_timeline(http_req_t *req, http_resp_t *resp);
void h_claim_assignments(http_req_t *req, http_resp_t *resp);
void h_claim_tasks(http_req_t *req, http_resp_t *resp);
void h_claim_task_update(http_req_t *req, http_resp_t *resp);
void h_claim_liability(http_req_t *req, http_resp_t *resp);
void h_claim_line_items(http_req_t *req, http_resp_t *resp);
void h_claim_line_item_delete(http_req_t *req, http_resp_t *resp);
void h_claim_settlement(http_req_t *req, http_resp_t *resp);
void h_claim_reserves(http_req_t *req, http_resp_t *resp);
void h_claim_payments(http_req_t *req, http_resp_t *resp);
void h_claim_recoveries(http_req_t *req, http_resp_t *resp);
void h_claim_close(http_req_t *req, http_resp_t *resp);
void h_claim_reopen(http_req_t *req, http_resp_t *resp);
void h_claim_evidence_add(http_req_t *req, http_resp_t *resp);
void h_claim_evidence_list(http_req_t *req, http_resp_t *resp);
void h_claim_evidence_content(http_req_t *req, http_resp_t *resp);
void h_claim_custody(http_req_t *req, http_resp_t *resp);
void h_panel_list(http_req_t *req, http_resp_t *resp);
void h_panel_create(http_req_t *req, http_resp_t *resp);
void h_panel_update(http_req_t *req, http_resp_t *resp);

/* monitor.c: in-force monitoring */
void h_vendors(http_req_t *req, http_resp_t *resp);
void h_signals(http_req_t *req, http_resp_t *resp);
void h_signals_stix(http_req_t *req, http_resp_t *resp);
void h_signals_kev(http_req_t *req, http_resp_t *resp);
void h_enterprise(http_req_t *req, http_resp_t *resp);
void h_stack_put(http_req_t *req, http_resp_t *resp);
void h_scores(http_req_t *req, http_resp_t *resp);
void h_exposure(http_req_t *req, http_resp_t *resp);
void h_service_add(http_req_t *req, http_resp_t *resp);
void h_services(http_req_t *req, http_resp_t *resp);
void h_tasks(http_req_t *req, http_resp_t *resp);
void h_task_get(http_req_t *req, http_resp_t *resp);
void h_task_close(http_req_t *req, http_resp_t *resp);

/* stats.c: the pilot's statistics */
void h_stats(http_req_t *req, http_resp_t *resp);

#endif
