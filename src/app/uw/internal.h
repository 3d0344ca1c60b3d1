/*
 * uw_internal.h — what the underwriting use cases (app/uw_*.c) share and
 * nobody else sees: records as plain structs, loading them, visibility,
 * the one pricing path (uw_price) that POST /api/v1/quotes, the rate table
 * and the bulk quote all go through, and small JSON readers that refuse
 * with the field's name. Depends on core/, store/ and jansson.
 */
#ifndef CY_APP_UW_INTERNAL_H
#define CY_APP_UW_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"
#include "data/uw.h"
#include "core/pricing.h"
#include "core/questionnaire.h"
#include "core/terms.h"
#include "core/authz.h"
#include "core/uwrules.h"

#define UW_MAX_OPTIONS 12

/* A product version as the pricing sees it. */
typedef struct {
    int64_t id, family_id, insurer_org_id;
    int version;
    char name[256];
    char insurer_name[256];
    char class_[24];
    char target_industries[400]; /* comma separated */
    char product_type[48];
    char description[2048];
    int bi_waiting_hours;
    int64_t retentions[UW_MAX_OPTIONS];
    size_t n_retentions;
    int64_t limits[UW_MAX_OPTIONS];
    size_t n_limits;
    int64_t minimum_premium; /* -1: the rating model's */
    uint32_t covered;
    int64_t sublimit[COV_N]; /* 0: the aggregate limit */
    int share_bp[COV_N];
    char rating_model[64], rules_version[64];
    char status[16];
    char filing_no[128], filing_date[16];
    char created_at[32], updated_at[32];
} uw_product_rec_t;

/* An assessment with its answers parsed and its findings loaded. */
typedef struct {
    int64_t id, org_id, author_org_id, author_user_id;
    char org_name[256];
    char status[12];
    char questionnaire_version[64];
    qn_profile_t profile;
    char flags[256];      /* comma separated */
    json_t *answers_json; /* as stored: {id: code or number} */
    qn_answer_t answers[QN_MAX_QUESTIONS];
    int mlps_level;
    char mlps_conclusion[QN_CODE_CAP]; /* "" when none */
    int mlps_score_tenths;             /* -1 when none */
    char mlps_date[16];
    char dep[4][64]; /* cloud, os, vpn, email */
    int scored;
    double score;
    char grade;
    json_t *result; /* the stored scoring, or NULL */
    int64_t submitted_at;
    char created_at[32], updated_at[32], submitted_at_iso[32];
    qn_finding_t *findings; /* malloc'ed */
    size_t n_findings;
} uw_assess_rec_t;

/* One application as uw_price takes it. */
typedef struct {
    char section;        /* 'A'..'T' */
    int64_t revenue;     /* fen */
    double gross_margin; /* 0..1; negative: the model's default */
    char grade;
    int64_t limit, retention;
    uint32_t covered; /* a subset of the product's; 0: all of them */
    int claim_free_years;
    const uw_assess_rec_t *assessment; /* submitted, or NULL */
    int64_t now;
} uw_price_req_t;

typedef struct {
    terms_t terms;
    pricing_result_t price;
    uwr_outcome_t outcome;
} uw_price_res_t;

/* ---------- scope ---------- */

int uw_sees_all(const actor_t *a);
int uw_may(const actor_t *a, authz_action_t act);

/* ---------- records ---------- */

cy_status_t uw_product_load(app_t *app, store_conn_t *c, int64_t id, uw_product_rec_t *out,
                            int *found, cy_error_t *err);
int uw_product_visible(const actor_t *a, const uw_product_rec_t *p);
json_t *uw_product_json(const uw_product_rec_t *p);

/* uw_assess_load fills *out (uw_assess_free releases it); *found 0 when absent. */
cy_status_t uw_assess_load(app_t *app, store_conn_t *c, int64_t id, uw_assess_rec_t *out,
                           int *found, cy_error_t *err);
void uw_assess_free(uw_assess_rec_t *r);
/* Visible: sees all, the enterprise itself, its author, an insurer quoted on it. */
cy_status_t uw_assess_visible(store_conn_t *c, const actor_t *a, const uw_assess_rec_t *r,
                              int *visible, cy_error_t *err);

/* ---------- pricing ---------- */

/*
 * uw_industry_section reads an industry as a GB/T 4754 section letter or a
 * 大类 code into its section; CY_EINVAL industry_unknown on field.
 */
cy_status_t uw_industry_section(app_t *app, const char *industry, const char *field, char *section,
                                cy_error_t *err);

/*
 * uw_price: the one path from an application to a price and a decision.
 * Checks revenue > 0 (revenue), limit above the retention
 * (aggregate_limit), limit and retention among the product's options,
 * the grade; builds the terms from the product, prices them with
 * pricing_quote (core/rating's frequency × severity) and the claim-free
 * credit, and evaluates the underwriting rules.
 */
cy_status_t uw_price(const uw_data_t *d, const uw_product_rec_t *p, const uw_price_req_t *r,
                     uw_price_res_t *out, cy_error_t *err);

/* The breakdown document of a priced application (factors, coverages, rules). */
json_t *uw_breakdown_json(const uw_data_t *d, const uw_product_rec_t *p, const uw_price_req_t *r,
                          const uw_price_res_t *res);

/* ---------- quotes and policies ---------- */

typedef struct {
    int64_t id, product_id, insured_org_id, requested_by_org_id, requested_by_user_id;
    int64_t assessment_id, renewal_of, insurer_org_id;
    char product_name[256];
    int product_version;
    char insurer_name[256], insured_name[256];
    char status[12], decision[12];
    char section;
    int64_t revenue;
    int margin_bp; /* -1: the model's default */
    char grade;
    int64_t limit, retention;
    int bi_waiting_hours;
    int claim_free_years;
    int credit_bp;
    int64_t pure, gross, premium;
    char rating_model[64], rules_version[64];
    json_t *breakdown;
    char start_date[16], valid_until[32];
    char referral_note[2048];
    int64_t referral_by;
    char referral_at[32];
    char created_at[32], updated_at[32];
    int64_t policy_id;
    char policy_no[POLICYNO_MAX];
    uint32_t covered;
    int64_t sublimit[COV_N];
    int share_bp[COV_N];
    int64_t pure_cov[COV_N];
} uw_quote_rec_t;

/* An application to be priced, judged and stored as a quote (uw_quote_store). */
typedef struct {
    int64_t product_id, insured_org_id, assessment_id, renewal_of;
    char section;
    int64_t revenue;
    int margin_bp; /* -1: the model's default */
    int64_t limit, retention;
    uint32_t covered; /* 0: every coverage of the product */
    int claim_free_years;
    char start_date[16]; /* YYYY-MM-DD Beijing */
} uw_apply_t;

cy_status_t uw_quote_load(store_conn_t *c, int64_t id, uw_quote_rec_t *q, int *found,
                          cy_error_t *err);
void uw_quote_free(uw_quote_rec_t *q);
int uw_quote_visible(const actor_t *a, const uw_quote_rec_t *q);
json_t *uw_quote_json(const uw_quote_rec_t *q);
/*
 * uw_quote_store prices ap through uw_price, judges it and stores the quote
 * with its coverages and audit entry inside the open transaction of c;
 * *quote_id receives its id. The product must be on sale; the assessment,
 * if any, the insured's, submitted and visible to a.
 */
cy_status_t uw_quote_store(app_t *app, store_conn_t *c, const actor_t *a, const uw_apply_t *ap,
                           int64_t *quote_id, cy_error_t *err);

/* The policy id as the API shows it (schedule, endorsements), inside c. */
cy_status_t uw_policy_json_load(app_t *app, store_conn_t *c, int64_t id, json_t **out,
                                cy_error_t *err);

/* ---------- small helpers ---------- */

/* INSERT … RETURNING id into *id. */
cy_status_t uw_insert_id(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                         int64_t *id, cy_error_t *err);

/* Text of a JSON body field: absent → NULL (no error); wrong type, too long, control chars:
 * refusal. */
cy_status_t uw_jtext(json_t *o, const char *key, size_t max, int required, const char **out,
                     cy_error_t *err);
/* An integer body field in [lo, hi]; absent: *present 0. */
cy_status_t uw_jint(json_t *o, const char *key, int64_t lo, int64_t hi, int required, int *present,
                    int64_t *out, cy_error_t *err);

/* Beijing date YYYY-MM-DD → y, m, d; CY_EINVAL date_invalid on field. */
cy_status_t uw_date_parse(const char *s, const char *field, int *y, int *m, int *d,
                          cy_error_t *err);
/* Today's date in Beijing as y, m, d; and the UTC second of 00:00 Beijing of a date. */
void uw_today(int64_t now, int *y, int *m, int *d);
int64_t uw_midnight(int y, int m, int d);

/* fen / bp helpers for JSON */
json_t *uw_ratio_json(double x); /* a rate rounded to 1e-9 so JSON stays readable */

/*
 * uw_short: s cut to at most 80 bytes at a UTF-8 boundary ("…" added when
 * cut), for audit summaries, which hold 512 bytes and must stay valid UTF-8
 * (PostgreSQL refuses a cut character). Returns buf.
 */
const char *uw_short(const char *s, char buf[96]);

void uw_copy(char *dst, size_t cap, const char *src);

#endif
