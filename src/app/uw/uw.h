/*
 * uw.h — the underwriting use cases (DOMAIN.md §6; docs/underwriting.md):
 * products, risk assessments, quotes with their referrals, policies with
 * endorsements, cancellation and renewal, the 单价保费及保额 table and the
 * bulk quote. http/ and cli/ call these; each write is one transaction with
 * its audit entry.
 *
 * Records cross this boundary as JSON objects in the API's shape (json_t,
 * owned by the caller): a quote's breakdown is a document stored as it was
 * computed — every factor, the pure premium per coverage, the rules that
 * held — so showing a quote later shows exactly what was quoted, whatever
 * the data files say by then. Request bodies come in as the JSON object the
 * client sent (its top-level types already checked by http_body_object);
 * every rule is checked here and refused with the field and the rule in
 * Chinese and English.
 *
 * Visibility (404 outside it): ministry and support center see everything;
 * an insurer its products (others' drafts stay hidden), the quotes on them,
 * the policies it underwrites and the assessments behind them; an
 * enterprise its own; a service organisation the assessments it authored
 * and the quotes it applied for. Permission (403): core/uw_authz.h.
 *
 * Depends on core/, store/ and jansson; never on http/ or cli/.
 */
#ifndef CY_APP_UW_H
#define CY_APP_UW_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "app/actor.h"
#include "app/app.h"

/* ---------- products ---------- */

cy_status_t app_uw_product_create(app_t *app, const actor_t *a, json_t *body, json_t **out,
                                  cy_error_t *err);
/* Change a draft; CY_ECONFLICT (product_not_draft) once filed. */
cy_status_t app_uw_product_update(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                  json_t **out, cy_error_t *err);
cy_status_t app_uw_product_get(app_t *app, const actor_t *a, int64_t id, json_t **out,
                               cy_error_t *err);
/* Products the caller sees, newest first; status NULL: any. */
cy_status_t app_uw_product_list(app_t *app, const actor_t *a, const char *status, int64_t cursor,
                                int limit, json_t **items, int64_t *next, cy_error_t *err);
/* Record the filing {filing_no, filing_date} of a draft and put it on sale. */
cy_status_t app_uw_product_file(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                json_t **out, cy_error_t *err);
/* Open a new draft version copied from product id (one draft per product at a time). */
cy_status_t app_uw_product_version(app_t *app, const actor_t *a, int64_t id, json_t **out,
                                   cy_error_t *err);
/*
 * The 单价保费及保额 table of a product: the premium of every limit option ×
 * grade A–E × revenue band for one GB/T 4754 industry (section or 大类) and
 * one retention option (NULL: the smallest).
 */
cy_status_t app_uw_rate_table(app_t *app, const actor_t *a, int64_t id, const char *industry,
                              const char *retention, json_t **out, cy_error_t *err);

/* ---------- questionnaire and assessments ---------- */

/* The questionnaire the wizard shows (sections, modules, questions, flags); never fails. */
json_t *app_uw_questionnaire(app_t *app);

cy_status_t app_uw_assessment_create(app_t *app, const actor_t *a, json_t *body, json_t **out,
                                     cy_error_t *err);
/* Save answers and facts of a draft (save-and-resume); CY_ECONFLICT once submitted. */
cy_status_t app_uw_assessment_update(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                     json_t **out, cy_error_t *err);
cy_status_t app_uw_assessment_get(app_t *app, const actor_t *a, int64_t id, json_t **out,
                                  cy_error_t *err);
/* The history of assessments the caller sees (org_id 0: every visible one), newest first. */
cy_status_t app_uw_assessment_list(app_t *app, const actor_t *a, int64_t org_id, int64_t cursor,
                                   int limit, json_t **items, int64_t *next, cy_error_t *err);
/*
 * Import external-scan findings {findings: [...]} or {csv: "..."} (with
 * replace: true to drop the earlier ones). A bad row refuses the whole
 * import naming the row and the column; nothing is half-saved.
 */
cy_status_t app_uw_assessment_findings(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                       json_t **out, cy_error_t *err);
/* Score, grade and freeze a draft. */
cy_status_t app_uw_assessment_submit(app_t *app, const actor_t *a, int64_t id, json_t **out,
                                     cy_error_t *err);

/* ---------- quotes ---------- */

/*
 * Price an application. With "indicative": true nothing is stored and
 * *stored is 0; otherwise the quote is stored with its decision (quoted,
 * referred or declined) and *stored is 1.
 */
cy_status_t app_uw_quote_create(app_t *app, const actor_t *a, json_t *body, json_t **out,
                                int *stored, cy_error_t *err);
cy_status_t app_uw_quote_get(app_t *app, const actor_t *a, int64_t id, json_t **out,
                             cy_error_t *err);
/* Quotes the caller sees, newest first; status NULL: any ("referred": the referral queue). */
cy_status_t app_uw_quote_list(app_t *app, const actor_t *a, const char *status, int64_t cursor,
                              int limit, json_t **items, int64_t *next, cy_error_t *err);
/* An underwriter's decision on a referred quote: {decision: approve|decline, note}. */
cy_status_t app_uw_quote_referral(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                  json_t **out, cy_error_t *err);
/* Bind a bindable, unexpired quote into a policy; binding twice is CY_ECONFLICT. */
cy_status_t app_uw_quote_bind(app_t *app, const actor_t *a, int64_t id, json_t **out,
                              cy_error_t *err);

/* ---------- policies ---------- */

cy_status_t app_uw_policy_get(app_t *app, const actor_t *a, int64_t id, json_t **out,
                              cy_error_t *err);
cy_status_t app_uw_policy_list(app_t *app, const actor_t *a, const char *status, int64_t cursor,
                               int limit, json_t **items, int64_t *next, cy_error_t *err);
/* Mid-term limit change {effective_date, aggregate_limit, note}: pro-rata premium by day. */
cy_status_t app_uw_policy_endorse(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                  json_t **out, cy_error_t *err);
/* Cancellation {effective_date, note}: pro-rata return premium by day. */
cy_status_t app_uw_policy_cancel(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                 json_t **out, cy_error_t *err);
/* The renewal quote {assessment_id, ...}: a new assessment and the claim-free credit. */
cy_status_t app_uw_policy_renew(app_t *app, const actor_t *a, int64_t id, json_t *body,
                                json_t **out, cy_error_t *err);

/* ---------- bulk ---------- */

typedef struct {
    size_t rows, quoted, bad;
} uw_bulk_stats_t;

/*
 * Quote every row of the CSV text csv (header id,industry,revenue,grade,
 * limit,retention[,gross_margin]; amounts in yuan) on product product_id
 * through the same pricing and rules as POST /api/v1/quotes, writing one
 * CSV line per good row to out and one line per bad row to report ("第 N 行
 * COLUMN：… / line N, COLUMN: …"). A bad row does not stop the others.
 * CY_EINVAL only when the header itself is wrong.
 */
cy_status_t app_uw_quote_bulk(app_t *app, const actor_t *a, int64_t product_id, const char *csv,
                              size_t len, FILE *out, FILE *report, uw_bulk_stats_t *stats,
                              cy_error_t *err);

/* ---------- demo ---------- */

/*
 * app_uw_demo_load loads data/demo/uw.json: a filed product of the demo
 * insurer and a submitted assessment of ent-gz, through the use cases
 * above (validated and audited). Idempotent. log (may be NULL) gets a line
 * per record added.
 */
cy_status_t app_uw_demo_load(app_t *app, const actor_t *op, const char *path, FILE *log,
                             cy_error_t *err);

#endif
