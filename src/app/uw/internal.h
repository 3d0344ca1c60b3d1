/*
 * internal.h — what the underwriting files (app/uw/) share and nobody else
 * sees. Three floors, each using only the ones below it:
 *
 *   use cases     product.c assessment.c quote.c bind.c policy.c bulk.c
 *   shared steps  apply.c: an application priced, judged and stored as a
 *                 quote (POST /quotes and the renewal both go through it)
 *                 price.c: uw_price, the one pricing path, and the breakdown
 *                 findings.c: scan findings as sent, checked into rows
 *   records       db_product.c db_assess.c db_quote.c db_policy.c: each table
 *                 read and written in one place, its columns by name
 *                 common.c: scope, checks of values as sent, dates, paging
 *
 * A use-case file never calls another; demo.c loads its file through the
 * public use cases of uw.h, as any caller would. Depends on core/, data/,
 * store/ and jansson.
 */
#ifndef CY_APP_UW_INTERNAL_H
#define CY_APP_UW_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "app/uw/uw.h"
#include "core/authz.h"
#include "core/pricing.h"
#include "core/questionnaire.h"
#include "core/terms.h"
#include "core/uwrules.h"
#include "data/uw.h"

/* ---------- scope (common.c) ---------- */

int uw_sees_all(const actor_t *a);
int uw_may(const actor_t *a, authz_action_t act);
/*
 * Who sees what, for the lists' WHERE clauses: everything, or the caller's
 * organisation's; a service organisation (engaged 1) only what it did for the
 * enterprises that engage it at now (UTC ISO text) — app/engage.
 */
typedef struct {
    int all;
    int64_t org_id;
    int engaged;
    char now[32];
} uw_scope_t;
uw_scope_t uw_scope(const actor_t *a);
uw_scope_t uw_scope_at(const actor_t *a, int64_t now);

/* ---------- checks of values as sent (common.c) ---------- */

/*
 * uw_text_check: a text field (NULL: absent, refused as missing_field when
 * required): at most max bytes of UTF-8 without control characters (a line
 * break allowed), not empty when required.
 */
cy_status_t uw_text_check(const char *s, const char *field, size_t max, int required,
                          cy_error_t *err);
/* uw_value_text: v must be a string (absent or null: *out NULL), then as uw_text_check. */
cy_status_t uw_value_text(const uw_value_t *v, const char *field, size_t max, int required,
                          const char **out, cy_error_t *err);
/* uw_value_int: v an integer in [lo, hi] (absent or null: *present 0). */
cy_status_t uw_value_int(const uw_value_t *v, const char *field, int64_t lo, int64_t hi,
                         int *present, int64_t *out, cy_error_t *err);
/* uw_int_check: x in [lo, hi], else out_of_range on field. */
cy_status_t uw_int_check(int64_t x, const char *field, int64_t lo, int64_t hi, cy_error_t *err);
/* The words of a field for a refusal (the key itself when it has none): "产品名称", "the product
 * name". */
void uw_field_words(const char *field, const char **zh, const char **en);
/* The first key a nested object must not have: unknown_field on it. */
cy_status_t uw_unknown_key(const char *key, cy_error_t *err);

/* Beijing date YYYY-MM-DD → y, m, d; CY_EINVAL date_invalid on field. */
cy_status_t uw_date_parse(const char *s, const char *field, int *y, int *m, int *d,
                          cy_error_t *err);
/* The UTC second of 00:00 Beijing of a date, and of today at now. */
int64_t uw_midnight(int y, int m, int d);
int64_t uw_today(int64_t now);

/*
 * uw_short: s cut to at most 80 bytes at a UTF-8 boundary ("…" added when
 * cut), for audit summaries, which hold 512 bytes and must stay valid UTF-8
 * (PostgreSQL refuses a cut character). Returns buf.
 */
const char *uw_short(const char *s, char buf[96]);
void uw_copy(char *dst, size_t cap, const char *src);
/* The id as audit object text. */
const char *uw_id_text(int64_t id, char buf[24]);

/*
 * One page of a list (every list of underwriting reads its page so): the
 * query's first three parameters are the list's own (who sees what, a
 * filter), $4 and $5 the page's — the rows before the cursor, one more
 * than the limit, newest first, so the last tells of a next page.
 *
 *     uw_pager_t g;
 *     st = uw_pager_open(c, SQL, filter, pg, &g, err);
 *     while (uw_pager_row(&g))
 *         read_row(g.rows, &items[n++]);
 *     st = uw_pager_close(&g);   (g.more: a next page exists)
 */
typedef struct {
    store_rows_t *rows;
    const app_page_t *pg;
    size_t kept;
    int more;
    cy_status_t st;
    cy_error_t *err;
} uw_pager_t;

cy_status_t uw_pager_open(store_conn_t *c, const char *sql, const store_param_t filter[3],
                          const app_page_t *pg, uw_pager_t *g, cy_error_t *err);
/* The same with a scope's engagement parameters after the page's: $6 engaged, $7 its scope
 * ("assessment", "quotes"), $8 now — for UW_ENGAGED(col). */
cy_status_t uw_pager_open_scoped(store_conn_t *c, const char *sql, const store_param_t filter[3],
                                 const uw_scope_t *s, const char *scope, const app_page_t *pg,
                                 uw_pager_t *g, cy_error_t *err);
/* 1: the page's next row is current; 0: the page is read (or failed). */
int uw_pager_row(uw_pager_t *g);
cy_status_t uw_pager_close(uw_pager_t *g);

/*
 * uw_first_row runs sql with $1 = id and stands on its first row: *found
 * says whether there is one; the caller reads it, then frees *rows (set
 * whenever the answer is CY_OK).
 */
cy_status_t uw_first_row(store_conn_t *c, const char *sql, int64_t id, store_rows_t **rows,
                         int *found, cy_error_t *err);

/*
 * The coverage rows of one record (uw_product_coverage, uw_quote_coverage,
 * uw_policy_coverage: coverage, sublimit, share_bp[, pure_premium]) by sql
 * with $1 the record's id; a NULL sublimit reads 0; pure may be NULL.
 */
cy_status_t uw_cover_rows(store_conn_t *c, const char *sql, int64_t id, uint32_t *covered,
                          int64_t *sublimit, int *share_bp, int64_t *pure, cy_error_t *err);

/* ---------- organisations (common.c) ---------- */

/* What underwriting reads of an organisation. */
typedef struct {
    char type[24], name[256], region[8];
    char industry[8]; /* the GB/T 4754 division if known, else the section */
} uw_org_t;

cy_status_t uw_org_read(store_conn_t *c, int64_t id, uw_org_t *o, int *found, cy_error_t *err);

/* ---------- pricing (price.c) ---------- */

/* One application as uw_price takes it. */
typedef struct {
    char section;        /* 'A'..'T' */
    int64_t revenue;     /* fen */
    double gross_margin; /* 0..1; negative: the model's default */
    char grade;
    int64_t limit, retention;
    uint32_t covered; /* a subset of the product's; 0: all of them */
    int claim_free_years;
    const struct uw_assess *assessment; /* submitted, or NULL */
    int64_t now;
    const int64_t *sublimit; /* per coverage, or NULL: the product's defaults capped at the limit */
} uw_price_req_t;

typedef struct {
    terms_t terms;
    pricing_result_t price;
    uwr_outcome_t outcome;
} uw_price_res_t;

/*
 * uw_industry_section reads an industry as a GB/T 4754 section letter or a
 * 大类 code into its section; CY_EINVAL industry_unknown on field.
 */
cy_status_t uw_industry_section(const app_t *app, const char *industry, const char *field,
                                char *section, cy_error_t *err);

/*
 * uw_price: the one path from an application to a price and a decision.
 * Checks revenue > 0 (revenue), the layer (limit above the retention,
 * core/terms.h), limit and retention among the product's options, the
 * grade; builds the terms from the product, prices them with pricing_quote
 * (core/rating's frequency × severity) and the claim-free credit, and
 * evaluates the underwriting rules.
 */
cy_status_t uw_price(const uw_data_t *d, const uw_product_t *p, const uw_price_req_t *r,
                     uw_price_res_t *out, cy_error_t *err);

/*
 * The breakdown document of a priced application (factors, coverages, rules)
 * as JSON text (malloc'd; NULL when out of memory), reals to precision
 * significant digits: 12 as stored with a quote, 15 for an indicative price.
 */
char *uw_breakdown_text(const uw_data_t *d, const uw_product_t *p, const uw_price_req_t *r,
                        const uw_price_res_t *res, int precision);

/* ---------- products (db_product.c) ---------- */

cy_status_t uw_product_read(store_conn_t *c, int64_t id, uw_product_t *p, int *found,
                            cy_error_t *err);
/* Insert p as a new version (p->id set; the first version of a family names it). */
cy_status_t uw_product_insert(store_conn_t *c, uw_product_t *p, cy_error_t *err);
/* Store a draft's fields and coverages. */
cy_status_t uw_product_update(store_conn_t *c, const uw_product_t *p, cy_error_t *err);
/* Put p on sale with its filing; the family's version on sale until now is superseded. */
cy_status_t uw_product_put_on_sale(store_conn_t *c, const uw_product_t *p, cy_error_t *err);
cy_status_t uw_product_list_read(store_conn_t *c, uw_scope_t s, const char *status,
                                 const app_page_t *pg, uw_product_list_t *out, cy_error_t *err);
/* The family's drafts and its highest version. */
cy_status_t uw_product_family(store_conn_t *c, int64_t family_id, int64_t *drafts,
                              int64_t *max_version, cy_error_t *err);
/* The version of product id's family on sale now (*found 0: none). */
cy_status_t uw_product_on_sale(store_conn_t *c, int64_t id, int64_t *on_sale, int *found,
                               cy_error_t *err);
/* How many products of the insurer bear the name. */
cy_status_t uw_product_count_named(store_conn_t *c, int64_t insurer, const char *name, int64_t *n,
                                   cy_error_t *err);
int uw_product_visible(const actor_t *a, const uw_product_t *p);
/* What a may do with p (UW_ACT_EDIT, UW_ACT_FILE, UW_ACT_VERSION). */
unsigned uw_product_actions(const actor_t *a, const uw_product_t *p);

/* ---------- assessments (db_assess.c) ---------- */

/* An assessment with what the use cases need beside its view. */
typedef struct uw_assess {
    uw_assessment_t v; /* as the API shows it */
    int64_t author_user_id;
    char flags[256]; /* as stored: the profile flags' codes in the order given */
    qn_profile_t profile;
    qn_answer_t answers[QN_MAX_QUESTIONS];
    json_t *answers_doc;    /* the answers as stored: {id: code or number} */
    qn_finding_t *evidence; /* the findings as the rules see them */
    int64_t submitted_at;   /* UTC seconds, 0 until submitted */
} uw_assess_t;

/* Read assessment id with its findings (*found 0 when absent); uw_assess_free releases it. */
cy_status_t uw_assess_read(store_conn_t *c, const qn_t *qn, int64_t id, uw_assess_t *a, int *found,
                           cy_error_t *err);
void uw_assess_free(uw_assess_t *a);
/* Recompute the view's flags, modules and progress from the profile and answers. */
void uw_assess_view(const qn_t *qn, uw_assess_t *a);
/* Insert a new draft (v.id set) or store a draft's fields (answers_doc as its text). */
cy_status_t uw_assess_insert(store_conn_t *c, uw_assess_t *a, cy_error_t *err);
cy_status_t uw_assess_update(store_conn_t *c, uw_assess_t *a, cy_error_t *err);
/* Store the scoring of a submitted assessment (status, score, grade, result, times). */
cy_status_t uw_assess_set_submitted(store_conn_t *c, const uw_assess_t *a, cy_error_t *err);
/* Replace (or add to) the findings of assessment id; then its updated_at is at. */
cy_status_t uw_findings_write(store_conn_t *c, int64_t id, const uw_finding_t *rows, size_t n,
                              int replace, const char *at, cy_error_t *err);
cy_status_t uw_findings_read(store_conn_t *c, int64_t id, uw_finding_t **out, size_t *n,
                             cy_error_t *err);
cy_status_t uw_assess_list_read(store_conn_t *c, uw_scope_t s, int64_t org_id, const app_page_t *pg,
                                uw_assessment_list_t *out, cy_error_t *err);
/*
 * The submitted assessments of org a renewal may use (newest first, at most
 * 20): not old_id, the one the policy was quoted on, and submitted no
 * earlier than it (old_at, UTC ISO; NULL or "": any). policy.c refuses any
 * other by the same rule.
 */
cy_status_t uw_assess_renewal_usable(store_conn_t *c, int64_t org, int64_t old_id,
                                     const char *old_at, uw_assessment_list_t *out,
                                     cy_error_t *err);
/* The latest submitted assessment of org (0 when none). */
cy_status_t uw_assess_latest(store_conn_t *c, int64_t org, int64_t *id, cy_error_t *err);
cy_status_t uw_assess_count_of(store_conn_t *c, int64_t org, int64_t *n, cy_error_t *err);
/*
 * Visible at now: sees all, the enterprise itself, an insurer quoted on it,
 * its author — a service organisation only while the enterprise engages it
 * for "assessment" (app/engage).
 */
cy_status_t uw_assess_visible(store_conn_t *c, const actor_t *a, const uw_assess_t *r, int64_t now,
                              int *visible, cy_error_t *err);

/*
 * uw_findings_parse checks the findings sent (a JSON list or a CSV text, one
 * of them) cell by cell at now into *rows (malloc'd, *n of them).
 */
cy_status_t uw_findings_parse(const uw_findings_in_t *in, int64_t now, uw_finding_t **rows,
                              size_t *n, cy_error_t *err);

/* ---------- quotes (db_quote.c) ---------- */

cy_status_t uw_quote_read(store_conn_t *c, int64_t id, uw_quote_t *q, int *found, cy_error_t *err);
/* Insert q with its coverages (q->id set). */
cy_status_t uw_quote_insert(store_conn_t *c, uw_quote_t *q, cy_error_t *err);
cy_status_t uw_quote_set_referral(store_conn_t *c, const uw_quote_t *q, cy_error_t *err);
cy_status_t uw_quote_set_bound(store_conn_t *c, int64_t id, const char *at, cy_error_t *err);
cy_status_t uw_quote_list_read(store_conn_t *c, uw_scope_t s, const char *status,
                               const app_page_t *pg, uw_quote_list_t *out, cy_error_t *err);
int uw_quote_visible(const actor_t *a, const uw_quote_t *q);
/* uw_quote_visible, and for a service organisation only while the insured engages it for quotes. */
cy_status_t uw_quote_seen(store_conn_t *c, const actor_t *a, const uw_quote_t *q, int64_t now,
                          int *visible, cy_error_t *err);
/* Whether a's role holds act and a is on the side of q that takes it. */
int uw_quote_may(const actor_t *a, const uw_quote_t *q, authz_action_t act);
/* Expired, bindable and what a may do, at now. */
void uw_quote_at(uw_quote_t *q, const actor_t *a, int64_t now);
/* The conditions of a quote's breakdown with their due dates from at, as JSON text (malloc'd). */
char *uw_quote_conditions(const char *breakdown, int64_t at);

/* ---------- policies (db_policy.c) ---------- */

/* Read policy id: its schedule as bound and its endorsements in the order they take effect. */
cy_status_t uw_policy_read(store_conn_t *c, int64_t id, uw_policy_t *y, int *found,
                           cy_error_t *err);
/* Insert y as bound (y->bound, with its coverages; y->id set); CY_ECONFLICT when its quote
 * or renewal is taken. */
cy_status_t uw_policy_insert(store_conn_t *c, uw_policy_t *y, cy_error_t *err);
/*
 * uw_policy_attribute (attribute.c): policy y (its insurer, insured and region known) is
 * attributed to in->pilot_id and in->scheme_id inside c, by the rules of
 * app_uw_policy_attribute, with its audit entry; y's pilot_id and scheme_id are set.
 */
cy_status_t uw_policy_attribute(store_conn_t *c, const actor_t *a, int64_t now,
                                const uw_attribution_in_t *in, uw_policy_t *y, cy_error_t *err);
/* The pilot and scheme (0: none) a policy is attributed to, changed at `at` (UTC ISO). */
cy_status_t uw_policy_set_pilot(store_conn_t *c, int64_t id, int64_t pilot_id, int64_t scheme_id,
                                const char *at, cy_error_t *err);
/* The next sequence number of the insurer's policies of year. */
cy_status_t uw_policy_next_seq(store_conn_t *c, int64_t insurer, int year, int64_t *seq,
                               cy_error_t *err);
/* Record y's cancellation (cancelled_at, cancel_effective, return_premium, updated_at). */
cy_status_t uw_policy_set_cancelled(store_conn_t *c, const uw_policy_t *y, cy_error_t *err);
/* Insert endorsement e of policy_id (a change with e->after and its coverages; e->id set). */
cy_status_t uw_endorsement_insert(store_conn_t *c, int64_t policy_id, uw_endorsement_t *e,
                                  cy_error_t *err);
/* Consecutive claim-free policy years ending with policy id (this one included). */
cy_status_t uw_policy_claim_free_years(store_conn_t *c, int64_t id, int *years, cy_error_t *err);
/* One page of the policies s sees, with status at now ("active", "cancelled" or NULL: any). */
cy_status_t uw_policy_list_read(store_conn_t *c, uw_scope_t s, const char *status, int64_t now,
                                const app_page_t *pg, uw_policy_list_t *out, cy_error_t *err);
/* The policies of s whose period holds now, with their endorsements effective by now. */
cy_status_t uw_book_read(store_conn_t *c, uw_scope_t s, int64_t now, uw_policy_t **out, size_t *n,
                         cy_error_t *err);
int uw_policy_visible(const actor_t *a, const uw_policy_t *y);
/* Whether a's role holds act and a is on the side of y that takes it (insurer, insured). */
int uw_policy_may(const actor_t *a, const uw_policy_t *y, authz_action_t act);

/* ---------- a policy at a time (schedule.c) ---------- */

/*
 * uw_schedule_walk fills each endorsement's before (and a cancellation's
 * after), the changes it made and its effective second, walking them in the
 * order they take effect from y->bound. Once, after reading.
 */
void uw_schedule_walk(uw_policy_t *y);
/*
 * uw_policy_at sets what holds at t, the one rule every reader follows: the
 * terms are those of the last change effective at or before t (else as
 * bound), the status is cancelled from a cancellation's effective time on,
 * in force inside the period and not cancelled, written the bound premium
 * plus the changes in effect; an endorsement effective after t is scheduled.
 */
void uw_policy_at(uw_policy_t *y, int64_t t);
/* What a may do with y at its as_of (UW_ACT_*). */
unsigned uw_policy_actions(const actor_t *a, const uw_policy_t *y);

/* ---------- applying (apply.c) ---------- */

/* An application to be priced, judged and stored as a quote. */
typedef struct {
    int64_t product_id, insured_org_id, assessment_id, renewal_of;
    char section;
    int64_t revenue;
    int margin_bp; /* -1: the model's default */
    int64_t limit, retention;
    uint32_t covered; /* 0: every coverage of the product */
    int claim_free_years;
    char start_date[16];    /* YYYY-MM-DD Beijing */
    char retro_date[16];    /* a claims-made renewal: the expiring policy's ("" otherwise) */
    char insured_name[256]; /* as the caller read it in the transaction ("": read when stored) */
} uw_apply_t;

/*
 * uw_quote_apply prices ap through uw_price, judges it and stores the quote
 * with its coverages and audit entry inside the open transaction of c;
 * *out is the quote as stored. The product must be on sale; the assessment,
 * if any, the insured's, submitted and visible to a.
 */
cy_status_t uw_quote_apply(app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
                           const uw_apply_t *ap, uw_quote_t *out, cy_error_t *err);
/*
 * The product an application is priced on: visible (else not_found on
 * product_id) and on sale (else product_not_on_sale), or with own_draft the
 * caller's own draft too. Read from the server's copy when it has a current
 * one (app->product_cache; every write of a product drops it), else by c.
 */
cy_status_t uw_product_to_price(app_t *app, store_conn_t *c, const actor_t *a, int64_t id,
                                int own_draft, uw_product_t *p, cy_error_t *err);
/* The assessment id behind an application: visible to a at now (else not_found on assessment_id).
 */
cy_status_t uw_assess_for(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, int64_t now,
                          uw_assess_t *as, cy_error_t *err);

#endif
