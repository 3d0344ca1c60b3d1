/*
 * uw.h — the underwriting use cases (DOMAIN.md §6; docs/underwriting.md):
 * products, risk assessments, quotes with their referrals, policies with
 * endorsements, cancellation and renewal, the 单价保费及保额 table and the
 * bulk quote. http/ and cli/ call these; each write is one transaction with
 * its audit entry.
 *
 * A use case is (app, actor, now, typed input) → status + typed result:
 * now is the caller's (the request's receipt time, the command line's
 * clock, a test's), so a quote expires on the caller's calendar. Inputs are
 * what the client sent, translated but not judged: every rule is checked
 * here and refused with the field and the rule in Chinese and English. A
 * value whose type the client may get wrong inside a nested object or a
 * list comes as a uw_value_t, so the refusal is this layer's, in the order
 * the fields are checked.
 *
 * Documents stored as JSON (a quote's breakdown, a policy's conditions, an
 * assessment's answers and scoring result) are handed out as the stored
 * text: a quote's breakdown is made once, when it is priced — every factor,
 * the pure premium per coverage, the rules that held — so showing a quote
 * later shows exactly what was quoted, whatever the data files say by then.
 *
 * Visibility (404 outside it): ministry and support center see everything;
 * an insurer its products (others' drafts stay hidden), the quotes on them,
 * the policies it underwrites and the assessments behind them; an
 * enterprise its own; a service organisation the assessments it authored
 * and the quotes it applied for. Permission (403): core/authz.h.
 *
 * Depends on core/, data/, store/ and jansson; never on http/ or cli/.
 */
#ifndef CY_APP_UW_H
#define CY_APP_UW_H

#include <stdint.h>
#include <stdio.h>

#include "app/actor.h"
#include "app/app.h"
#include "core/cov.h"
#include "core/pricing.h"
#include "core/questionnaire.h"

#define UW_MAX_OPTIONS 12 /* retention and limit options of a product */
#define UW_MAX_TARGETS 8  /* target industries of an enterprise product */

/* ---------- values as sent ---------- */

/*
 * One value of a request as the client sent it, where its type is for the
 * use case to refuse: absent, null, or a string, integer, number, boolean
 * (i: 0 or 1) or something else (an array or object).
 */
typedef enum {
    UW_ABSENT = 0,
    UW_NULL,
    UW_STRING,
    UW_INTEGER,
    UW_REAL,
    UW_BOOL,
    UW_OTHER
} uw_kind_t;

typedef struct {
    uw_kind_t kind;
    const char *s; /* UW_STRING */
    int64_t i;     /* UW_INTEGER, UW_BOOL */
    double x;      /* UW_INTEGER and UW_REAL */
} uw_value_t;

/* An optional integer field of a request: given says whether it was. */
typedef struct {
    int given;
    int64_t v;
} uw_opt_int_t;

/* ---------- products ---------- */

typedef struct {
    int64_t id, family_id, insurer_org_id;
    int version;
    char name[256], insurer_name[256];
    char class_[24]; /* enterprise | product_service */
    char target_industries[UW_MAX_TARGETS][40];
    size_t n_target_industries;
    char product_type[48]; /* "" when none */
    char description[2048];
    int bi_waiting_hours;
    int64_t retentions[UW_MAX_OPTIONS]; /* fen, ascending */
    size_t n_retentions;
    int64_t limits[UW_MAX_OPTIONS]; /* fen, ascending */
    size_t n_limits;
    int64_t minimum_premium; /* fen; -1: the rating model's */
    uint32_t covered;        /* bit (1u << c): coverage c is offered */
    int64_t sublimit[COV_N]; /* 0: the aggregate limit */
    int share_bp[COV_N];
    char trigger[16];    /* occurrence | claims_made */
    char retro_date[16]; /* claims made: a fixed retroactive date YYYY-MM-DD, "" the start date */
    char rating_model[64], rules_version[64];
    char status[16]; /* draft | active | superseded | withdrawn */
    char filing_no[128], filing_date[16];
    char created_at[32], updated_at[32];
    unsigned actions; /* UW_ACT_EDIT, UW_ACT_FILE, UW_ACT_VERSION: what the caller may do */
} uw_product_t;

/* What the caller may do with a product version (uw_product_t.actions). */
#define UW_ACT_EDIT    (1u << 5) /* a draft of its own insurer */
#define UW_ACT_FILE    (1u << 6) /* the draft filed, by the insurer's admin */
#define UW_ACT_VERSION (1u << 7) /* a filed version opens the next draft */

/* A coverage of a product as sent: {code, sublimit, share_bp}. */
typedef struct {
    uw_value_t code, sublimit, share_bp;
    int not_object;      /* the element is not an object */
    const char *unknown; /* the first key a coverage does not have, or NULL */
} uw_cover_in_t;

/*
 * A product's fields as sent: on create the required ones must be there; on
 * update what is absent keeps its value. A list longer than its room is
 * refused by its count (n), before any element is looked at.
 */
typedef struct {
    const char *name, *class_, *description; /* NULL: not given */
    int has_product_type;                    /* product_type NULL then: cleared */
    const char *product_type;
    int has_target_industries;
    size_t n_target_industries;
    uw_value_t target_industries[UW_MAX_TARGETS];
    uw_opt_int_t bi_waiting_hours;
    int has_retentions, has_limits;
    size_t n_retentions, n_limits;
    uw_value_t retentions[UW_MAX_OPTIONS], limits[UW_MAX_OPTIONS];
    int has_minimum_premium; /* minimum_premium.kind UW_NULL: the model's */
    uw_value_t minimum_premium;
    int has_coverages;
    size_t n_coverages;
    uw_cover_in_t coverages[COV_N];
    const char *trigger;    /* liability_trigger; NULL: not given */
    int has_retro_date;     /* retro_date NULL then: cleared */
    const char *retro_date; /* YYYY-MM-DD */
} uw_product_in_t;

typedef struct {
    const char *filing_no, *filing_date; /* 备案号; YYYY-MM-DD, not after today */
} uw_filing_in_t;

typedef struct {
    uw_product_t *items;
    size_t n;
    int64_t next; /* cursor of the next page, 0 on the last */
} uw_product_list_t;

cy_status_t app_uw_product_create(app_t *app, const actor_t *a, int64_t now,
                                  const uw_product_in_t *in, uw_product_t *out, cy_error_t *err);
/* Change a draft; CY_ECONFLICT (product_not_draft) once filed. */
cy_status_t app_uw_product_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                  const uw_product_in_t *in, uw_product_t *out, cy_error_t *err);
cy_status_t app_uw_product_get(app_t *app, const actor_t *a, int64_t now, int64_t id,
                               uw_product_t *out, cy_error_t *err);
/* Products the caller sees, newest first; status NULL: any (else CY_EBADREQ status_invalid). */
cy_status_t app_uw_product_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                                const app_page_t *pg, uw_product_list_t *out, cy_error_t *err);
void uw_product_list_free(uw_product_list_t *l);
/* Record the filing of a draft and put it on sale (the family's version on sale retires). */
cy_status_t app_uw_product_file(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                const uw_filing_in_t *in, uw_product_t *out, cy_error_t *err);
/* Open a new draft version copied from product id (one draft per product at a time). */
cy_status_t app_uw_product_version(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                   uw_product_t *out, cy_error_t *err);

/* ---------- the 单价保费及保额 table ---------- */

#define UW_RATE_RULES 4

/*
 * A cell of the table: the premium, always, and the decision of the rules
 * that look at the cell's own facts (grade, limit, revenue, industry), with
 * the ids of those that held: a referral or a decline is a mark beside the
 * price, not instead of it. Rules about an insured's assessment (findings,
 * answers, its age, having none) have nothing to judge in a table.
 */
typedef struct {
    int64_t limit;
    char grade;
    const char *band; /* the revenue band's code */
    int64_t rated_revenue, premium, pure_premium;
    double rate_on_line;
    const char *decision; /* accept | condition | refer | decline */
    const char *rules[UW_RATE_RULES];
    size_t n_rules;
} uw_rate_row_t;

/* A rule that may mark a cell, in words. */
typedef struct {
    const char *id, *decision, *reason_zh, *reason_en;
} uw_rate_rule_t;

typedef struct {
    const char *code, *name_zh, *name_en;
    int64_t max_revenue; /* fen; 0: open-ended */
    int64_t rated_revenue;
} uw_band_view_t;

typedef struct {
    int64_t product_id;
    char product_name[256];
    int version;
    char industry[16]; /* as asked: a section or a division */
    char section;
    int64_t retention;
    int64_t limits[UW_MAX_OPTIONS];
    size_t n_limits;
    uw_band_view_t bands[16];
    size_t n_bands;
    const char *rating_model, *rules_version;
    uw_rate_rule_t rules[48]; /* the rules that judge a cell by its own facts, with their words */
    size_t n_rules;
    uw_rate_row_t *rows; /* limit × grade A–E × band */
    size_t n_rows;
} uw_rate_table_t;

/*
 * The premium of every limit option × grade A–E × revenue band of product id
 * for one GB/T 4754 industry (section or 大类) and one retention option (text
 * as in the query; NULL: the smallest), through the same uw_price as a quote.
 */
cy_status_t app_uw_rate_table(app_t *app, const actor_t *a, int64_t now, int64_t id,
                              const char *industry, const char *retention, uw_rate_table_t *out,
                              cy_error_t *err);
void uw_rate_table_free(uw_rate_table_t *t);

/*
 * The table as filed, an XLSX workbook at path (the caller's file): one row
 * per cell with its premium in 元 and the rules' mark, as the JSON and CSV.
 */
cy_status_t app_uw_rate_table_xlsx(const uw_rate_table_t *t, const char *path, cy_error_t *err);

/* ---------- questionnaire and assessments ---------- */

/* The questionnaire the wizard shows (sections, modules, questions, flags). */
const qn_t *app_uw_questionnaire(const app_t *app);

/* An external-scan finding as stored. */
typedef struct {
    int64_t id;
    char asset[256];
    int port; /* -1: none */
    char service[65];
    char cve[32];
    int cvss_tenths; /* -1: none */
    int epss_e5;     /* -1: none */
    int kev, internet_facing;
    char first_seen[32]; /* UTC ISO */
} uw_finding_t;

typedef struct {
    int64_t id, org_id, author_org_id;
    char org_name[256];
    char status[12]; /* draft | submitted */
    char questionnaire_version[64];
    char target_industry[40];
    const char *flags[QN_MAX_FLAGS]; /* the questionnaire's codes */
    size_t n_flags;
    const char *modules[QN_MAX_MODULES]; /* the modules that apply */
    size_t n_modules;
    size_t applicable, answered; /* questions */
    char *answers;               /* JSON object as stored {question: answer} */
    int mlps_level;
    char mlps_conclusion[QN_CODE_CAP]; /* "" when none */
    int mlps_score_tenths;             /* -1 when none */
    char mlps_date[16];                /* "" when none */
    char dep[4][64];                   /* cloud, os, vpn, email */
    int scored;
    double score;
    char grade;   /* 0 until submitted */
    char *result; /* JSON of the scoring as stored, or NULL */
    char created_at[32], updated_at[32], submitted_at[32];
    int with_findings; /* a record (not a list's summary): findings belong to it */
    uw_finding_t *findings;
    size_t n_findings;
} uw_assessment_t;

/* One answer as sent: a code, a number, or null to take the answer back. */
typedef struct {
    const char *question;
    uw_value_t value;
} uw_answer_in_t;

typedef struct {
    const char *unknown; /* the first key mlps must not have, or NULL */
    uw_value_t level, conclusion, score, date;
} uw_mlps_in_t;

typedef struct {
    uw_opt_int_t org_id;             /* create: the assessed enterprise (an enterprise: itself) */
    uw_opt_int_t from_assessment_id; /* create: start from this submitted assessment of the
                                        same enterprise (a renewal's: only changes to make) */
    int has_target_industry;         /* target_industry NULL then: cleared */
    const char *target_industry;
    int has_flags;
    size_t n_flags;
    const uw_value_t *flags;
    int has_answers;
    size_t n_answers;
    const uw_answer_in_t *answers;
    int has_mlps;
    uw_mlps_in_t mlps;
    int has_dependencies;
    const char *dep_unknown; /* the first key dependencies must not have, or NULL */
    uw_value_t dep[4];       /* cloud, os, vpn, email */
} uw_assessment_in_t;

/* The findings columns, in this order: asset, port, service, cve, cvss, epss, kev, internet_facing,
 * first_seen. */
#define UW_FINDING_COLS 9
extern const char *const uw_finding_cols[UW_FINDING_COLS];

/* One key of a finding as sent, in the object's order. */
typedef struct {
    const char *key;
    int col; /* index into uw_finding_cols, -1: not a finding's key */
    uw_value_t value;
} uw_finding_cell_t;

typedef struct {
    int not_object;
    size_t n;
    uw_finding_cell_t cells[UW_FINDING_COLS + 1];
} uw_finding_in_t;

/* {findings: [...]} or {csv: "..."}; replace drops the earlier ones. */
typedef struct {
    int has_findings;
    size_t n_findings;
    const uw_finding_in_t *findings;
    const char *csv;
    int replace;
} uw_findings_in_t;

typedef struct {
    uw_assessment_t *items; /* summaries */
    size_t n;
    int64_t next;
} uw_assessment_list_t;

cy_status_t app_uw_assessment_create(app_t *app, const actor_t *a, int64_t now,
                                     const uw_assessment_in_t *in, uw_assessment_t *out,
                                     cy_error_t *err);
/* Save answers and facts of a draft (save-and-resume); CY_ECONFLICT once submitted. */
cy_status_t app_uw_assessment_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                     const uw_assessment_in_t *in, uw_assessment_t *out,
                                     cy_error_t *err);
cy_status_t app_uw_assessment_get(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                  uw_assessment_t *out, cy_error_t *err);
/* The history of assessments the caller sees (org_id 0: every visible one), newest first. */
cy_status_t app_uw_assessment_list(app_t *app, const actor_t *a, int64_t now, int64_t org_id,
                                   const app_page_t *pg, uw_assessment_list_t *out,
                                   cy_error_t *err);
/*
 * Import external-scan findings. A bad row refuses the whole import naming
 * the row and the column; nothing is half-saved.
 */
cy_status_t app_uw_assessment_findings(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                       const uw_findings_in_t *in, uw_assessment_t *out,
                                       cy_error_t *err);
/* Score, grade and freeze a draft. */
cy_status_t app_uw_assessment_submit(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                     uw_assessment_t *out, cy_error_t *err);
void uw_assessment_free(uw_assessment_t *a);
void uw_assessment_list_free(uw_assessment_list_t *l);

/* ---------- quotes ---------- */

/* An application as sent (POST /api/v1/quotes). */
typedef struct {
    int64_t product_id, revenue, aggregate_limit, retention;
    uw_opt_int_t org_id, assessment_id, gross_margin_bp;
    const char *industry, *grade, *start_date; /* NULL: not given */
    int has_coverages;
    size_t n_coverages;
    const uw_value_t *coverages;
} uw_quote_in_t;

/* What the caller may do with a quote now (uw_quote_t.actions). */
#define UW_ACT_BIND   (1u << 3)
#define UW_ACT_DECIDE (1u << 4)

typedef struct {
    int64_t id, product_id, insured_org_id, requested_by_org_id, requested_by_user_id;
    int64_t assessment_id, renewal_of, insurer_org_id; /* 0: none */
    char product_name[256];
    int product_version;
    char insurer_name[256], insured_name[256];
    char status[12];   /* quoted | referred | approved | declined | bound */
    char decision[12]; /* accept | condition | refer | decline */
    char section, grade;
    int64_t revenue;
    int margin_bp; /* -1: the model's default */
    int64_t limit, retention;
    int bi_waiting_hours, claim_free_years, credit_bp;
    int64_t pure, gross, premium;
    char rating_model[64], rules_version[64];
    char *breakdown; /* the breakdown document (JSON) as stored */
    char start_date[16], valid_until[32];
    char referral_note[2048]; /* the underwriter's, once decided */
    int64_t referral_by;
    char referral_at[32]; /* "" until decided */
    char created_at[32], updated_at[32];
    int64_t policy_id; /* 0 until bound */
    char policy_no[POLICYNO_MAX];
    int expired, bindable; /* at the caller's now */
    unsigned actions;      /* UW_ACT_BIND, UW_ACT_DECIDE: what the caller may do now */
    uint32_t covered;
    int64_t sublimit[COV_N];
    int share_bp[COV_N];
    int64_t pure_cov[COV_N];
    char trigger[16];    /* occurrence | claims_made */
    char retro_date[16]; /* claims made: YYYY-MM-DD Beijing, else "" */
} uw_quote_t;

/* An indicative price: nothing stored. */
typedef struct {
    const char *decision;
    int64_t product_id;
    char product_name[256];
    int product_version;
    char section, grade;
    int64_t revenue, limit, retention, pure, gross, premium;
    char *breakdown; /* JSON */
} uw_indicative_t;

typedef struct {
    uw_quote_t *items; /* without their breakdowns */
    size_t n;
    int64_t next;
} uw_quote_list_t;

/* The referral queue's decision: approve | decline, with a note. */
typedef struct {
    const char *decision, *note;
} uw_referral_in_t;

/* An indicative price of in (needs "industry"; the grade as sent, else the assessment's). */
cy_status_t app_uw_quote_price(app_t *app, const actor_t *a, int64_t now, const uw_quote_in_t *in,
                               uw_indicative_t *out, cy_error_t *err);
/* Apply: the quote is stored with its decision (quoted, referred or declined). */
cy_status_t app_uw_quote_apply(app_t *app, const actor_t *a, int64_t now, const uw_quote_in_t *in,
                               uw_quote_t *out, cy_error_t *err);
cy_status_t app_uw_quote_get(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_quote_t *out,
                             cy_error_t *err);
/* Quotes the caller sees, newest first; status NULL: any ("referred": the referral queue). */
cy_status_t app_uw_quote_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                              const app_page_t *pg, uw_quote_list_t *out, cy_error_t *err);
cy_status_t app_uw_quote_referral(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                  const uw_referral_in_t *in, uw_quote_t *out, cy_error_t *err);
void uw_quote_free(uw_quote_t *q);
void uw_indicative_free(uw_indicative_t *q);
void uw_quote_list_free(uw_quote_list_t *l);

/* ---------- policies ---------- */

/*
 * A policy's schedule at one time: its terms (the terms engine's shape,
 * core/terms.h) and the insured's facts they are priced on, with the annual
 * premium of that schedule. The bound one is the policy row's; each change
 * (an endorsement) carries the whole schedule from its effective date on.
 */
typedef struct {
    int64_t limit, retention;
    int bi_waiting_hours;
    uint32_t covered;
    int64_t sublimit[COV_N];
    int share_bp[COV_N];
    char section; /* GB/T 4754 section */
    char region[8];
    int64_t revenue;
    int margin_bp;   /* -1: the model's default */
    char dep[4][64]; /* cloud, os, vpn, email */
    int64_t annual;  /* the annual premium of this schedule */
} uw_terms_t;

/* What a change changed (uw_endorsement_t.changed), against the schedule before it. */
#define UW_CHANGED_LIMIT     (1u << 0)
#define UW_CHANGED_RETENTION (1u << 1)
#define UW_CHANGED_COVERAGES (1u << 2) /* a coverage added or removed */
#define UW_CHANGED_SUBLIMITS (1u << 3) /* a kept coverage's sublimit */
#define UW_CHANGED_INSURED   (1u << 4) /* industry, region, revenue, margin, dependencies */

typedef struct {
    int64_t id;
    char kind[16]; /* change | cancellation */
    char effective_at[32];
    int64_t effective; /* the same in UTC seconds: 00:00 Beijing of the date chosen */
    int scheduled;     /* effective after the time the record was read at */
    int64_t old_annual_premium, new_annual_premium;
    int64_t days_remaining, days_total, premium_delta;
    char reason[32]; /* a cancellation's (uw_cancel_reasons), "" for a change */
    char note[2048];
    int64_t created_by_user_id;
    char created_at[32];
    uw_terms_t before; /* the schedule in force just before effective_at */
    uw_terms_t after;  /* a change: the schedule from effective_at on */
    uint32_t changed;  /* UW_CHANGED_* */
    char *breakdown;   /* a change: the pricing of after.annual (JSON as stored), or NULL */
} uw_endorsement_t;

/* What the caller may do with a policy now (uw_policy_t.actions). */
#define UW_ACT_ENDORSE (1u << 0)
#define UW_ACT_CANCEL  (1u << 1)
#define UW_ACT_RENEW   (1u << 2)

typedef struct {
    int64_t id, quote_id, product_id, insurer_org_id, insured_org_id;
    int64_t renewal_of, renewed_by; /* 0: none */
    int64_t pilot_id, scheme_id;    /* the pilot and catalogued scheme written under; 0: none */
    char policy_no[POLICYNO_MAX];
    char status[12];                       /* at as_of: active | cancelled */
    char period_start[32], period_end[32]; /* UTC ISO, both 00:00 Beijing */
    int64_t start, end, days;              /* the same in UTC seconds; days in the period */
    char trigger[16];                      /* occurrence | claims_made */
    char retro_date[16];                   /* claims made: YYYY-MM-DD Beijing, else "" */
    char grade;
    uw_terms_t bound; /* the schedule as bound */
    uw_terms_t terms; /* the schedule in force at as_of (before the start: as bound) */
    int64_t written;  /* charged by as_of: the bound premium and the changes in effect */
    char *conditions; /* JSON array as stored */
    int claims_count;
    /* a recorded cancellation: it takes effect at cancel_effective */
    char cancelled_at[32], cancel_effective[32];
    int64_t return_premium; /* -1: none recorded */
    char created_at[32], updated_at[32];
    char product_name[256];
    int product_version;
    char insurer_name[256], insured_name[256];
    int64_t quote_assessment_id;
    int quote_claim_free_years;
    int64_t as_of;    /* the caller's now */
    int in_force;     /* at as_of */
    unsigned actions; /* UW_ACT_*: what the caller may do now */
    int with_endorsements;
    uw_endorsement_t *endorsements; /* in the order they take effect */
    size_t n_endorsements;
} uw_policy_t;

typedef struct {
    uw_policy_t *items; /* without their endorsements */
    size_t n;
    int64_t next;
} uw_policy_list_t;

/* A coverage of an endorsement as sent: {code, sublimit}; sublimit absent or null: the default. */
typedef struct {
    uw_value_t code, sublimit;
    int not_object;
    const char *unknown;
} uw_endorse_cover_in_t;

/*
 * A mid-term change (批改) as sent: what is absent stays as it is in force
 * on the effective date. coverages is the whole list after the change (a
 * coverage of the product added, one removed, a sublimit changed; a
 * sublimit left out is the product's default capped at the limit); the
 * insured's facts change the pricing (industry, revenue, gross margin) or
 * the accumulation (region, dependencies). Priced by the same uw_price as a
 * quote; the premium moves pro rata by day. preview: priced and answered,
 * nothing stored.
 */
typedef struct {
    const char *effective_date; /* YYYY-MM-DD Beijing */
    uw_opt_int_t aggregate_limit, retention, revenue, gross_margin_bp;
    int has_coverages;
    size_t n_coverages;
    uw_endorse_cover_in_t coverages[COV_N];
    const char *industry, *region_code; /* NULL: unchanged */
    int has_dependencies;
    const char *dep_unknown; /* the first key dependencies must not have, or NULL */
    uw_value_t dep[4];       /* cloud, os, vpn, email */
    const char *note;        /* NULL: none */
    int preview;
} uw_endorse_in_t;

/* Why a policy is cancelled (a code of uw_cancel_reasons). */
typedef struct {
    const char *code, *name_zh, *name_en;
} uw_cancel_reason_t;

extern const uw_cancel_reason_t uw_cancel_reasons[];
extern const size_t uw_n_cancel_reasons;

/*
 * Cancellation: pro-rata return premium by day, with its reason (and a note,
 * required for "other"). preview: the return premium answered, nothing stored.
 */
typedef struct {
    const char *effective_date, *reason, *note;
    int preview;
} uw_cancel_in_t;

/* The renewal quote: a new assessment, and what changes (absent: as the policy). */
typedef struct {
    int64_t assessment_id; /* 0: none chosen */
    uw_opt_int_t revenue, gross_margin_bp, aggregate_limit, retention;
} uw_renew_in_t;

/*
 * What a renewal of a policy needs, for the insured to choose: whether it
 * can be renewed now and, if not, why in words; the assessments that would
 * do (submitted, of the insured, newer than the one the policy was quoted
 * on), newest first. A later "start a renewal assessment from the last
 * answers" adds its option here.
 */
typedef struct {
    int possible;                        /* a renewal may be asked for now */
    char reason_zh[512], reason_en[512]; /* why not, or what is missing ("" when nothing) */
    int64_t last_assessment_id;          /* the one the policy was quoted on (0: none) */
    uw_assessment_t *assessments;        /* summaries of the usable ones */
    size_t n_assessments;
    int64_t product_id;  /* the family's version on sale (0: none) */
    char start_date[16]; /* the renewal's: the day the policy ends */
} uw_renewal_options_t;

/* Bind a bindable, unexpired quote into a policy; binding twice is CY_ECONFLICT. */
/* What a policy is attributed to (issue 13): a pilot, a catalogued scheme of its round. */
typedef struct {
    int64_t pilot_id;   /* an active pilot the insurer and the insured take part in */
    int64_t scheme_id;  /* 0: none; else a catalogued scheme of the pilot's round */
    const char *reason; /* why (audited), 1..500 bytes */
} uw_attribution_in_t;

/*
 * app_uw_policy_attribute attributes policy id to a pilot (and scheme), or
 * changes it, by the policy's insurer, with a reason in the audit log. An
 * organisation takes part in a pilot when it wrote the pilot's plan or is a
 * unit of it, or — for an authority's plan (Annex 2) — lies in that
 * authority's region. Refusals: 404 outside visibility, 403 not the
 * insurer, 422 pilot_unknown, pilot_not_active, pilot_not_party (naming
 * who does not take part), scheme_unknown, missing_field / too_long reason.
 */
cy_status_t app_uw_policy_attribute(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                    const uw_attribution_in_t *in, uw_policy_t *y, cy_error_t *err);

cy_status_t app_uw_quote_bind(app_t *app, const actor_t *a, int64_t now, int64_t id,
                              uw_policy_t *out, cy_error_t *err);
/*
 * The same, the policy written under a pilot (pilot NULL or pilot_id 0: none) chosen by who
 * binds, checked as app_uw_policy_attribute checks it (reason NULL: "chosen at binding"); a
 * refused pilot refuses the binding.
 */
cy_status_t app_uw_quote_bind_under(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                    const uw_attribution_in_t *pilot, uw_policy_t *out,
                                    cy_error_t *err);
/* The policy as at now: the terms and status in force, the changes scheduled after now. */
cy_status_t app_uw_policy_get(app_t *app, const actor_t *a, int64_t now, int64_t id,
                              uw_policy_t *out, cy_error_t *err);
/* Policies the caller sees, newest first; status (at now) NULL: any. */
cy_status_t app_uw_policy_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                               const app_page_t *pg, uw_policy_list_t *out, cy_error_t *err);
/*
 * A change from in->effective_date (today or later, inside the period, not
 * before the last change). *out is the policy as at now with the change
 * among its endorsements (scheduled when it takes effect later); with
 * in->preview nothing is stored and *out shows the change as it would be.
 */
cy_status_t app_uw_policy_endorse(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                  const uw_endorse_in_t *in, uw_policy_t *out, cy_error_t *err);
/* As app_uw_policy_endorse, for the cancellation. */
cy_status_t app_uw_policy_cancel(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                 const uw_cancel_in_t *in, uw_policy_t *out, cy_error_t *err);
cy_status_t app_uw_policy_renew(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                const uw_renew_in_t *in, uw_quote_t *out, cy_error_t *err);
cy_status_t app_uw_renewal_options(app_t *app, const actor_t *a, int64_t now, int64_t id,
                                   uw_renewal_options_t *out, cy_error_t *err);
void uw_renewal_options_free(uw_renewal_options_t *o);
void uw_policy_free(uw_policy_t *y);
void uw_policy_list_free(uw_policy_list_t *l);

/* ---------- the book in force ---------- */

/* A policy of the book as in force at a time: what the accumulation model needs. */
typedef struct {
    int64_t id;
    char policy_no[POLICYNO_MAX];
    char insured_name[256];
    char grade;
    uw_terms_t terms;
} uw_book_policy_t;

typedef struct {
    uw_book_policy_t *items; /* by id */
    size_t n;
} uw_book_t;

/*
 * app_uw_book_in_force: every policy in force at now — inside its period and
 * not cancelled by then — with its terms as in force at now (the last change
 * effective by now, else as bound), read the way app_uw_policy_get reads
 * one, so a policy's page, the list, the simulation's portfolio and the
 * statistics agree. An insurer's own book; everything for the ministry, the
 * support centre and the command line; CY_EFORBIDDEN for anyone else. An
 * empty book is CY_OK with n 0.
 */
cy_status_t app_uw_book_in_force(app_t *app, const actor_t *a, int64_t now, uw_book_t *out,
                                 cy_error_t *err);
void uw_book_free(uw_book_t *b);

/*
 * app_uw_policies_of_insured: the policies insured_org_id holds (the newest
 * APP_PAGE_MAX, newest first), each as at the time at, for another
 * capability that has decided itself that its caller may act for the
 * insured (claims: the policy a loss falls under, by the insured and the
 * date). No visibility check of its own.
 */
cy_status_t app_uw_policies_of_insured(app_t *app, int64_t insured_org_id, int64_t at,
                                       uw_policy_list_t *out, cy_error_t *err);

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
 * CY_EINVAL only when the header itself is wrong. A bulk row has no
 * assessment, so no rule of it depends on the time: it takes no now.
 */
cy_status_t app_uw_quote_bulk(app_t *app, const actor_t *a, int64_t product_id, const char *csv,
                              size_t len, FILE *out, FILE *report, uw_bulk_stats_t *stats,
                              cy_error_t *err);

/* ---------- demo ---------- */

/*
 * app_uw_demo_load loads data/demo/uw.json: a filed product of the demo
 * insurer and a submitted assessment of ent-gz, through the use cases
 * above (validated and audited) at now. Idempotent. log (may be NULL) gets
 * a line per record added.
 */
cy_status_t app_uw_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path,
                             FILE *log, cy_error_t *err);

/* ---------- for in-force monitoring (app/monitor/monitor.h) ---------- */

/* An enterprise's latest submitted assessment: id, score (hundredths), grade. */
typedef struct {
    int64_t id, score_hundredths;
    char grade;
} uw_latest_t;

/* app_uw_latest_assessment reads it inside c; *found 0 when the enterprise has none. */
cy_status_t app_uw_latest_assessment(store_conn_t *c, int64_t org_id, uw_latest_t *out, int *found,
                                     cy_error_t *err);

/* A policy in force insuring an enterprise: its insurer and aggregate limit in force. */
typedef struct {
    int64_t policy_id, insurer_org_id, aggregate_limit;
    char policy_no[POLICYNO_MAX];
} uw_cover_t;

/* app_uw_covers: the policies in force at now insuring enterprise org_id (at most cap), inside c.
 */
cy_status_t app_uw_covers(store_conn_t *c, int64_t org_id, int64_t now, uw_cover_t *out, size_t cap,
                          size_t *n, cy_error_t *err);

#endif
