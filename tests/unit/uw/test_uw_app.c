/*
 * test_uw_app.c — the underwriting use cases (app/uw/uw.h) on a real store:
 * SQLite in a temporary folder, or the PostgreSQL database named by
 * CYBERINS_TEST_PG (tests/unit/with-pg.sh starts a throwaway cluster for
 * it). Every use case runs at a fixed time T0 (2030-03-01 10:00 Beijing)
 * or a day counted from it, so what depends on the calendar — a quote's
 * validity, start dates, the pro-rata days — is exact.
 *
 * Premiums are checked to the fen against docs/pricing.md's worked example
 * (computed there with Python's math.erfc, independently of the C code):
 * pure ¥1,836.67, gross ¥3,061.12, and ¥2,908.06 after one claim-free year.
 * Refusals are checked by status, code, field and (where the words are the
 * point) the whole message; a refused write is checked to leave nothing.
 *
 * Test code: cmocka, jansson and the library; reads CY_SOURCE_DIR/data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cytest.h"
#include <jansson.h>

#include "app/app.h"
#include "app/identity/identity.h"
#include "app/sim/portfolio.h"
#include "app/uw/uw.h"
#include "core/pricing.h"
#include "testapp.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define DATA CY_SOURCE_DIR "/data"

#define DAY 86400
/* 2030-03-01T02:00:00Z: 10:00 in Beijing */
static const int64_t T0 = 1898560800;

static app_t *app;
static testapp_store_t ts;
static actor_t insurer, underwriter, ent_gz, ent_hz, secfirm;
static int64_t product_seq;

/* ---------- fixture ---------- */

static actor_t
actor_of(const char *uscc, org_type_t type, user_role_t role, int64_t user, const char *name)
{
    actor_t a = {0};
    cy_error_t err;
    if (app_org_find_uscc(app, uscc, &a.org_id, &err) != CY_OK)
        fail_msg("%s: %s", uscc, err.message);
    a.org_type = type;
    a.role = role;
    a.user_id = user;
    snprintf(a.username, sizeof a.username, "%s", name);
    return a;
}

static int
group_setup(void **state)
{
    (void)state;
    app_config_t cfg = {.data_dir = DATA, .pool_size = 2, .migrate = 1, .now = T0};
    if (testapp_open(&ts, "uwapp", cfg, &app) != 0)
        return -1;
    cy_error_t err;
    actor_t op;
    actor_cli(&op, "test");
    demo_result_t dr;
    if (app_demo_load(app, &op, 1704067200 /* 2024-01-01 UTC */, DATA "/demo/demo.json", NULL, &dr,
                      &err) != CY_OK) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    insurer = actor_of("91440300862QA4XF61", ORG_INSURER, ROLE_ADMIN, 101, "insurer");
    underwriter = actor_of("91440300862QA4XF61", ORG_INSURER, ROLE_MEMBER, 102, "insurer-uw");
    ent_gz = actor_of("91440106147NM21P27", ORG_ENTERPRISE, ROLE_ADMIN, 103, "ent-gz");
    ent_hz = actor_of("913301067688W4TD2Y", ORG_ENTERPRISE, ROLE_ADMIN, 104, "ent-hz");
    secfirm = actor_of("91440106895ANBKF5M", ORG_SERVICE_ORG, ROLE_ADMIN, 105, "secfirm");
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    return testapp_close(&ts, app);
}

CY_GROUP("tests", group_setup, group_teardown);

static int64_t
count(const char *sql)
{
    return testapp_count(app, sql);
}

/* The refusal: status, code, field. */
static void
refused(cy_status_t st, const cy_error_t *err, cy_status_t want, const char *code,
        const char *field)
{
    if (st != want || strcmp(err->code, code) != 0 || strcmp(err->field, field) != 0)
        fail_msg("want %s %s on %s, got %s %s on %s: %s", cy_status_name(want), code, field,
                 cy_status_name(st), err->code, err->field, err->message);
}

#define OK(call)                                                                                   \
    do {                                                                                           \
        cy_error_t e_;                                                                             \
        cy_status_t s_ = (call);                                                                   \
        (void)e_;                                                                                  \
        if (s_ != CY_OK)                                                                           \
            fail_msg("%s: %s", #call, err.message);                                                \
    } while (0)

static uw_value_t
I(int64_t v)
{
    return (uw_value_t){.kind = UW_INTEGER, .i = v, .x = (double)v};
}

static uw_value_t
S(const char *s)
{
    return (uw_value_t){.kind = UW_STRING, .s = s};
}

/* ---------- products ---------- */

/* An enterprise product of the demo insurer: coverages by code, options in fen. */
static uw_product_in_t
product_in(const char *name, const char *const *covers, const int64_t *limits, size_t n_limits,
           const int64_t *retentions, size_t n_retentions)
{
    uw_product_in_t in = {.name = name, .class_ = "enterprise", .description = "单元测试产品"};
    in.has_target_industries = 1;
    in.n_target_industries = 1;
    in.target_industries[0] = S("other");
    in.bi_waiting_hours = (uw_opt_int_t){1, 12};
    in.has_limits = in.has_retentions = in.has_coverages = 1;
    for (size_t i = 0; i < n_limits; i++)
        in.limits[in.n_limits++] = I(limits[i]);
    for (size_t i = 0; i < n_retentions; i++)
        in.retentions[in.n_retentions++] = I(retentions[i]);
    for (size_t i = 0; covers[i]; i++)
        in.coverages[in.n_coverages++] = (uw_cover_in_t){.code = S(covers[i])};
    return in;
}

/* The worked example's product, filed: incident response only, ¥1M limit, ¥50k retention. */
static int64_t
ir_product(void)
{
    static const char *const ir[] = {"ir", NULL};
    static const int64_t limits[] = {100000000, 300000000}, retentions[] = {5000000};
    char name[64];
    snprintf(name, sizeof name, "应急处置单险种产品%lld", (long long)++product_seq);
    uw_product_in_t in = product_in(name, ir, limits, 2, retentions, 1);
    uw_product_t p;
    cy_error_t err;
    OK(app_uw_product_create(app, &insurer, T0, &in, &p, &err));
    uw_filing_in_t f = {"（备-网络安全保险）〔2030〕1号", "2030-02-01"};
    OK(app_uw_product_file(app, &insurer, T0, p.id, &f, &p, &err));
    assert_string_equal(p.status, "active");
    return p.id;
}

static uw_quote_in_t
quote_in(int64_t product, int64_t limit, int64_t retention)
{
    return (uw_quote_in_t){.product_id = product,
                           .revenue = 10000000000, /* ¥100M: the reference revenue */
                           .aggregate_limit = limit,
                           .retention = retention,
                           .industry = "C"};
}

static json_t *
breakdown_of(const char *text)
{
    json_error_t je;
    json_t *b = json_loads(text, 0, &je);
    if (b == NULL)
        fail_msg("breakdown: %s", je.text);
    return b;
}

static double
real_at(json_t *b, const char *obj, const char *key)
{
    json_t *o = obj ? json_object_get(b, obj) : b;
    return json_number_value(json_object_get(o, key));
}

/* docs/pricing.md: λ = 0.0135 × 1 × 0.8; pure_ir = λ × 17,006,198.0326 fen. */
CY_TEST(test_worked_example_prices_to_the_fen)
{
    (void)state;
    int64_t id = ir_product();
    uw_quote_in_t in = quote_in(id, 100000000, 5000000);
    in.grade = "B";
    uw_indicative_t q;
    cy_error_t err;
    OK(app_uw_quote_price(app, &insurer, T0, &in, &q, &err));
    assert_int_equal(q.pure, 183667);         /* 183,666.9388 */
    assert_int_equal(q.gross, 306112);        /* 306,111.5646 */
    assert_int_equal(q.premium, 306112);      /* no credit: the gross, above the ¥2,000 minimum */
    assert_string_equal(q.decision, "refer"); /* no assessment behind an indicative price */
    json_t *b = breakdown_of(q.breakdown);
    assert_true(fabs(real_at(b, "factors", "lambda") - 0.0108) < 1e-12);
    assert_true(fabs(real_at(b, "factors", "size_factor") - 1.0) < 1e-12);
    assert_true(fabs(real_at(b, "factors", "security_factor") - 0.8) < 1e-12);
    json_t *ir = json_array_get(json_object_get(b, "coverages"), 0);
    assert_string_equal(json_string_value(json_object_get(ir, "code")), "ir");
    assert_true(fabs(real_at(ir, NULL, "expected_losses") - 0.009558) < 1e-12);
    assert_true(fabs(real_at(ir, NULL, "pure_premium_exact") - 183666.9388) < 1e-4);
    assert_int_equal(json_integer_value(json_object_get(b, "minimum_premium")), 200000);
    assert_false(json_is_true(json_object_get(b, "minimum_applied")));
    json_decref(b);
    uw_indicative_free(&q);
}

/* ---------- assessments ---------- */

/* The best answer to every base question, except the four left for a grade B (82.35). */
static json_t *
answers_b(void)
{
    const qn_t *qn = app_uw_questionnaire(app);
    json_t *a = json_object();
    for (size_t i = 0; i < qn->n_questions; i++) {
        const qn_question_t *q = &qn->questions[i];
        if (q->module >= 0 || !strcmp(q->id, "ic_mfa_email") ||
            !strcmp(q->id, "ic_mfa_privileged") || !strcmp(q->id, "ic_pam") ||
            !strcmp(q->id, "ic_restore_test"))
            continue;
        if (q->type == QN_YNP)
            json_object_set_new(a, q->id, json_string("yes"));
        else if (q->type == QN_CHOICE)
            for (size_t k = 0; k < q->n_options; k++) {
                if (q->options[k].score == 1.0)
                    json_object_set_new(a, q->id, json_string(q->options[k].code));
            }
        else
            json_object_set_new(a, q->id,
                                json_real(q->score_at_max == 1.0 ? q->num_max : q->num_min));
    }
    return a;
}

/* A submitted grade-B assessment of the caller's enterprise at now. */
static int64_t
assessment_b(const actor_t *a, int64_t now)
{
    json_t *ans = answers_b();
    uw_answer_in_t list[QN_MAX_QUESTIONS];
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(ans, key, v)
    {
        list[n].question = key;
        list[n++].value = json_is_string(v)
                              ? S(json_string_value(v))
                              : (uw_value_t){.kind = UW_REAL, .x = json_real_value(v)};
    }
    uw_assessment_in_t in = {.has_answers = 1, .n_answers = n, .answers = list};
    uw_assessment_t r;
    cy_error_t err;
    OK(app_uw_assessment_create(app, a, now, &in, &r, &err));
    int64_t id = r.id;
    uw_assessment_free(&r);
    OK(app_uw_assessment_submit(app, a, now, id, &r, &err));
    assert_string_equal(r.status, "submitted");
    assert_int_equal(r.grade, 'B');
    assert_true(fabs(r.score - 82.35) < 1e-9);
    uw_assessment_free(&r);
    json_decref(ans);
    return id;
}

/* ---------- quotes, binding, renewal ---------- */

/* The worked example applied for, bound, and renewed after one claim-free year: 5% off. */
CY_TEST(test_renewal_grants_the_claim_free_credit_to_the_fen)
{
    (void)state;
    int64_t product = ir_product();
    assessment_b(&ent_gz, T0);
    uw_quote_in_t in = quote_in(product, 100000000, 5000000);
    uw_quote_t q;
    cy_error_t err;
    OK(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err));
    assert_string_equal(q.status, "quoted");
    assert_string_equal(q.decision, "accept");
    assert_int_equal(q.grade, 'B');
    assert_int_equal(q.premium, 306112);
    assert_string_equal(q.start_date, "2030-03-02"); /* tomorrow in Beijing */
    assert_string_equal(q.valid_until, "2030-03-31T02:00:00Z");
    assert_true(q.bindable);
    uw_policy_t y;
    OK(app_uw_quote_bind(app, &ent_gz, T0, q.id, &y, &err));
    assert_string_equal(y.period_start, "2030-03-01T16:00:00Z"); /* 2030-03-02 00:00 Beijing */
    assert_string_equal(y.period_end, "2031-03-01T16:00:00Z");
    assert_int_equal(y.days, 365);
    assert_int_equal(y.terms.annual, 306112);
    assert_int_equal(y.written, 306112);
    assert_true(policyno_check(y.policy_no));
    uw_quote_free(&q);
    /* a renewal needs a newer assessment */
    uw_renew_in_t rn = {.assessment_id = assessment_b(&ent_gz, T0 + DAY)};
    OK(app_uw_policy_renew(app, &ent_gz, T0 + 2 * DAY, y.id, &rn, &q, &err));
    assert_int_equal(q.renewal_of, y.id);
    assert_int_equal(q.claim_free_years, 1);
    assert_int_equal(q.pure, 183667);
    assert_int_equal(q.gross, 306112);
    assert_int_equal(q.premium, 290806); /* 306,111.5646 × 0.95 = 290,805.9864 */
    assert_string_equal(q.start_date, "2031-03-02");
    json_t *b = breakdown_of(q.breakdown);
    assert_true(fabs(real_at(b, NULL, "claim_free_credit") - 0.05) < 1e-12);
    assert_int_equal(json_integer_value(json_object_get(b, "credit_amount")), 306112 - 290806);
    json_decref(b);
    /* bound, the renewal continues the policy: it is renewed once */
    uw_policy_t y2;
    OK(app_uw_quote_bind(app, &ent_gz, T0 + 2 * DAY, q.id, &y2, &err));
    assert_int_equal(y2.renewal_of, y.id);
    assert_string_equal(y2.period_start, y.period_end);
    assert_int_equal(y2.terms.annual, 290806);
    uw_policy_free(&y2);
    uw_quote_free(&q);
    refused(app_uw_policy_renew(app, &ent_gz, T0 + 2 * DAY, y.id, &rn, &q, &err), &err,
            CY_ECONFLICT, "policy_already_renewed", "id");
    uw_policy_free(&y);
}

/* Valid 30 days on the caller's calendar: bindable on day 30, refused on day 31. */
CY_TEST(test_quote_expires_on_the_callers_clock)
{
    (void)state;
    int64_t product = ir_product();
    assessment_b(&ent_gz, T0);
    uw_quote_in_t in = quote_in(product, 100000000, 5000000);
    in.start_date = "2030-04-05"; /* 35 days ahead: still to come on day 31 */
    uw_quote_t a, b, g;
    cy_error_t err;
    OK(app_uw_quote_apply(app, &ent_gz, T0, &in, &a, &err));
    OK(app_uw_quote_apply(app, &ent_gz, T0, &in, &b, &err));
    assert_string_equal(a.valid_until, "2030-03-31T02:00:00Z");
    /* the last second of the 30 days: still bindable */
    OK(app_uw_quote_get(app, &ent_gz, T0 + 30 * DAY, a.id, &g, &err));
    assert_false(g.expired);
    assert_true(g.bindable);
    uw_quote_free(&g);
    uw_policy_t y;
    OK(app_uw_quote_bind(app, &ent_gz, T0 + 30 * DAY, b.id, &y, &err));
    assert_string_equal(y.period_start, "2030-04-04T16:00:00Z");
    uw_policy_free(&y);
    /* day 31: expired, and binding it is refused with the date and the validity */
    int64_t policies = count("SELECT COUNT(*) FROM uw_policy");
    OK(app_uw_quote_get(app, &ent_gz, T0 + 31 * DAY, a.id, &g, &err));
    assert_true(g.expired);
    assert_false(g.bindable);
    uw_quote_free(&g);
    refused(app_uw_quote_bind(app, &ent_gz, T0 + 31 * DAY, a.id, &y, &err), &err, CY_EINVAL,
            "quote_expired", "valid_until");
    assert_string_equal(err.message,
                        "报价已于 2030-03-31T02:00:00Z 过期（有效期 30 天），请重新报价 / the "
                        "quote expired at 2030-03-31T02:00:00Z (valid 30 days): ask for a new one");
    assert_int_equal(count("SELECT COUNT(*) FROM uw_policy"), policies);
    uw_quote_free(&a);
    uw_quote_free(&b);
}

/* Each bad application refused with its field and rule; none leaves a quote or an audit entry. */
CY_TEST(test_bad_applications_are_refused_and_leave_nothing)
{
    (void)state;
    int64_t product = ir_product();
    int64_t quotes = count("SELECT COUNT(*) FROM uw_quote");
    int64_t audit = count("SELECT COUNT(*) FROM audit_log");
    uw_quote_t q;
    cy_error_t err;
    uw_quote_in_t in = quote_in(product, 100000000, 5000000);
    in.revenue = 0;
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL, "revenue_invalid",
            "revenue");
    in = quote_in(product, 500000, 1000000);
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "limit_below_retention", "aggregate_limit");
    assert_string_equal(err.message, "累计赔偿限额（¥5,000.00）应高于免赔额（¥10,000.00） / the "
                                     "aggregate limit (¥5,000.00) must be above the retention "
                                     "(¥10,000.00)");
    in = quote_in(product, 500000000, 5000000);
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "limit_not_offered", "aggregate_limit");
    in = quote_in(product, 100000000, 5000000);
    in.industry = "Z9";
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "industry_unknown", "industry");
    in = quote_in(product, 100000000, 5000000);
    in.grade = "A";
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "grade_from_assessment", "grade");
    in = quote_in(product, 100000000, 5000000);
    in.org_id = (uw_opt_int_t){1, ent_hz.org_id};
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EFORBIDDEN, "forbidden",
            "org_id");
    in = quote_in(product, 100000000, 5000000);
    in.start_date = "2030-02-28";
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "start_date_invalid", "start_date");
    in = quote_in(product, 100000000, 5000000);
    uw_value_t fire = S("fire");
    in.has_coverages = 1, in.n_coverages = 1, in.coverages = &fire;
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_EINVAL,
            "coverage_unknown", "coverages");
    in = quote_in(999999, 100000000, 5000000);
    refused(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err), &err, CY_ENOTFOUND, "not_found",
            "product_id");
    in = quote_in(product, 100000000, 5000000);
    refused(app_uw_quote_apply(app, &secfirm, T0, &in, &q, &err), &err, CY_EINVAL, "missing_field",
            "assessment_id");
    refused(app_uw_quote_apply(app, &insurer, T0, &in, &q, &err), &err, CY_EFORBIDDEN, "forbidden",
            "");
    assert_int_equal(count("SELECT COUNT(*) FROM uw_quote"), quotes);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audit);
}

/* ---------- products ---------- */

CY_TEST(test_product_rules_and_versions)
{
    (void)state;
    static const char *const four[] = {"bi", "data", "ir", "breach", NULL};
    static const int64_t limits[] = {500000}, retentions[] = {1000000, 5000000};
    uw_product_t p;
    cy_error_t err;
    int64_t products = count("SELECT COUNT(*) FROM uw_product");
    uw_product_in_t in = product_in("层次不对的产品", four, limits, 1, retentions, 2);
    refused(app_uw_product_create(app, &insurer, T0, &in, &p, &err), &err, CY_EINVAL,
            "limit_below_retention", "limit_options");
    assert_string_equal(err.message, "累计赔偿限额（¥5,000.00）应高于免赔额（¥50,000.00） / the "
                                     "aggregate limit (¥5,000.00) must be above the retention "
                                     "(¥50,000.00)");
    static const int64_t ok_limits[] = {300000000, 100000000};
    in = product_in("险种不对的产品", four, ok_limits, 2, retentions, 2);
    in.coverages[1] = (uw_cover_in_t){.code = S("fire")};
    refused(app_uw_product_create(app, &insurer, T0, &in, &p, &err), &err, CY_EINVAL,
            "coverage_unknown", "coverages[1]");
    in.coverages[1] = (uw_cover_in_t){.code = S("data"), .sublimit = S("2亿")};
    refused(app_uw_product_create(app, &insurer, T0, &in, &p, &err), &err, CY_EINVAL,
            "sublimit_invalid", "coverages[1]");
    in.coverages[1] = (uw_cover_in_t){.code = S("data"), .unknown = "colour"};
    refused(app_uw_product_create(app, &insurer, T0, &in, &p, &err), &err, CY_EINVAL,
            "unknown_field", "coverages[1]");
    in.coverages[1] = (uw_cover_in_t){.code = S("data"), .sublimit = I(200000000)};
    in.bi_waiting_hours = (uw_opt_int_t){1, 0};
    refused(app_uw_product_create(app, &insurer, T0, &in, &p, &err), &err, CY_EINVAL,
            "waiting_period_required", "bi_waiting_hours");
    in.bi_waiting_hours = (uw_opt_int_t){1, 12};
    refused(app_uw_product_create(app, &ent_gz, T0, &in, &p, &err), &err, CY_EFORBIDDEN,
            "forbidden", "");
    assert_int_equal(count("SELECT COUNT(*) FROM uw_product"), products);
    in.name = "版本测试产品";
    OK(app_uw_product_create(app, &insurer, T0, &in, &p, &err));
    assert_string_equal(p.status, "draft");
    assert_int_equal(p.version, 1);
    assert_int_equal(p.family_id, p.id);
    assert_int_equal(p.limits[0], 100000000); /* sorted */
    assert_int_equal(p.sublimit[COV_DATA], 200000000);
    assert_int_equal(p.share_bp[COV_IR], 10000);
    assert_string_equal(p.insurer_name, "南方示范财产保险股份有限公司（演示）");
    int64_t v1 = p.id;
    /* a draft is the insurer's own */
    refused(app_uw_product_get(app, &ent_gz, T0, v1, &p, &err), &err, CY_ENOTFOUND, "not_found",
            "id");
    uw_filing_in_t f = {"备案 V1", "2030-03-02"};
    refused(app_uw_product_file(app, &insurer, T0, v1, &f, &p, &err), &err, CY_EINVAL,
            "date_future", "filing_date");
    f.filing_date = "2030-03-01";
    refused(app_uw_product_file(app, &underwriter, T0, v1, &f, &p, &err), &err, CY_EFORBIDDEN,
            "forbidden", "");
    OK(app_uw_product_file(app, &insurer, T0, v1, &f, &p, &err));
    uw_product_in_t change = {.description = "改"};
    refused(app_uw_product_update(app, &insurer, T0, v1, &change, &p, &err), &err, CY_ECONFLICT,
            "product_not_draft", "status");
    OK(app_uw_product_version(app, &insurer, T0, v1, &p, &err));
    assert_int_equal(p.version, 2);
    assert_int_equal(p.family_id, v1);
    assert_string_equal(p.status, "draft");
    int64_t v2 = p.id;
    refused(app_uw_product_version(app, &insurer, T0, v1, &p, &err), &err, CY_ECONFLICT,
            "draft_exists", "id");
    OK(app_uw_product_update(app, &underwriter, T0 + DAY, v2, &change, &p, &err));
    assert_string_equal(p.description, "改");
    assert_string_equal(p.updated_at, "2030-03-02T02:00:00Z");
    f.filing_no = "备案 V2";
    OK(app_uw_product_file(app, &insurer, T0 + DAY, v2, &f, &p, &err));
    OK(app_uw_product_get(app, &ent_gz, T0, v1, &p, &err));
    assert_string_equal(p.status, "superseded");
}

/* ---------- assessments ---------- */

CY_TEST(test_findings_import_refuses_a_bad_row_whole)
{
    (void)state;
    uw_assessment_in_t in = {0};
    uw_assessment_t a;
    cy_error_t err;
    OK(app_uw_assessment_create(app, &ent_hz, T0, &in, &a, &err));
    int64_t id = a.id;
    uw_assessment_free(&a);
    uw_findings_in_t f = {.csv = "asset,port,cvss,epss,kev,first_seen\n"
                                 "mail.example.cn,25,5.3,0.01,false,2030-01-02\n"
                                 "db.example.cn,5432,11,0.2,false,2030-01-02\n"};
    refused(app_uw_assessment_findings(app, &ent_hz, T0, id, &f, &a, &err), &err, CY_EINVAL,
            "finding_invalid", "csv");
    assert_string_equal(err.message, "CSV 第 3 行 cvss：CVSS 应在 0 到 10 之间 / CSV line 3, "
                                     "cvss: CVSS must be from 0 to 10");
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM uw_finding WHERE assessment_id = %lld",
             (long long)id);
    assert_int_equal(count(sql), 0);
    f.csv = "asset,first_seen\nvpn.example.cn,2030-03-03\n"; /* beyond tomorrow */
    refused(app_uw_assessment_findings(app, &ent_hz, T0, id, &f, &a, &err), &err, CY_EINVAL,
            "finding_invalid", "csv");
    uw_finding_in_t row = {.n = 2,
                           .cells = {{"asset", 0, S("vpn.example.cn")}, {"colour", -1, S("red")}}};
    uw_findings_in_t j = {.has_findings = 1, .n_findings = 1, .findings = &row};
    refused(app_uw_assessment_findings(app, &ent_hz, T0, id, &j, &a, &err), &err, CY_EINVAL,
            "unknown_field", "findings[0].colour");
    row = (uw_finding_in_t){.n = 4,
                            .cells = {{"asset", 0, S("vpn.example.cn")},
                                      {"cvss", 4, I(10)},
                                      {"kev", 6, {.kind = UW_BOOL, .i = 1}},
                                      {"first_seen", 8, S("2030-01-02")}}};
    OK(app_uw_assessment_findings(app, &ent_hz, T0, id, &j, &a, &err));
    assert_int_equal(a.n_findings, 1);
    assert_int_equal(a.findings[0].cvss_tenths, 100);
    assert_int_equal(a.findings[0].kev, 1);
    assert_int_equal(a.findings[0].internet_facing, 1);
    assert_string_equal(a.findings[0].first_seen, "2030-01-01T16:00:00Z");
    uw_assessment_free(&a);
    /* submitted: scored (nothing answered: 0, E, the KEV finding's 10 points) and frozen */
    OK(app_uw_assessment_submit(app, &ent_hz, T0, id, &a, &err));
    assert_int_equal(a.grade, 'E');
    assert_true(a.score == 0.0);
    assert_non_null(strstr(a.result, "\"kev_findings\":1"));
    uw_assessment_free(&a);
    refused(app_uw_assessment_update(app, &ent_hz, T0, id, &in, &a, &err), &err, CY_ECONFLICT,
            "assessment_submitted", "status");
    refused(app_uw_assessment_get(app, &ent_gz, T0, id, &a, &err), &err, CY_ENOTFOUND, "not_found",
            "id");
}

/* ---------- policies ---------- */

/* Half away from zero of a × num / den, in integers: the pro-rata rule, computed apart. */
static int64_t
pro_rata(int64_t a, int64_t num, int64_t den)
{
    __int128 p = (__int128)a * num;
    __int128 q = p / den, r = p % den;
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += p < 0 ? -1 : 1;
    return (int64_t)q;
}

/*
 * A policy ent_gz applied for after a grade-B assessment and the insurer
 * bound at T0, on a new incident-response product: ¥1M limit, ¥50,000
 * retention. Its id; its product in *product (unless NULL) and its annual
 * premium in *annual.
 */
static int64_t
bound_policy(int64_t *product, int64_t *annual)
{
    int64_t p = ir_product();
    assessment_b(&ent_gz, T0);
    uw_quote_in_t in = quote_in(p, 100000000, 5000000);
    uw_quote_t q;
    uw_policy_t y;
    cy_error_t err;
    OK(app_uw_quote_apply(app, &ent_gz, T0, &in, &q, &err));
    OK(app_uw_quote_bind(app, &insurer, T0, q.id, &y, &err));
    int64_t id = y.id;
    *annual = y.terms.annual;
    if (product != NULL)
        *product = p;
    uw_policy_free(&y);
    uw_quote_free(&q);
    return id;
}

CY_TEST(test_endorsement_and_cancellation_are_pro_rata_by_day)
{
    (void)state;
    int64_t product, old;
    int64_t id = bound_policy(&product, &old);
    uw_policy_t y;
    cy_error_t err;
    /* the same insured at ¥3M, priced apart */
    uw_indicative_t at3m;
    uw_quote_in_t in = quote_in(product, 300000000, 5000000);
    in.grade = "B";
    OK(app_uw_quote_price(app, &insurer, T0, &in, &at3m, &err));
    uw_endorse_in_t e = {.effective_date = "2030-06-10", .aggregate_limit = {1, 300000000}};
    refused(app_uw_policy_endorse(app, &ent_gz, T0, id, &e, &y, &err), &err, CY_EFORBIDDEN,
            "forbidden", "");
    e.aggregate_limit = (uw_opt_int_t){1, 100000000};
    refused(app_uw_policy_endorse(app, &underwriter, T0, id, &e, &y, &err), &err, CY_EINVAL,
            "limit_unchanged", "aggregate_limit");
    e.aggregate_limit = (uw_opt_int_t){1, 300000000};
    OK(app_uw_policy_endorse(app, &underwriter, T0, id, &e, &y, &err));
    /* 2030-06-10 is day 100 of the period from 2030-03-02: 265 of 365 days remain */
    assert_int_equal(y.n_endorsements, 1);
    assert_int_equal(y.endorsements[0].days_total, 365);
    assert_int_equal(y.endorsements[0].days_remaining, 265);
    int64_t delta = pro_rata(at3m.premium - old, 265, 365);
    assert_int_equal(y.endorsements[0].premium_delta, delta);
    assert_int_equal(y.endorsements[0].old_annual_premium, old);
    assert_int_equal(y.endorsements[0].new_annual_premium, at3m.premium);
    assert_true(y.endorsements[0].scheduled);
    assert_int_equal(y.endorsements[0].changed, UW_CHANGED_LIMIT | UW_CHANGED_SUBLIMITS);
    assert_int_equal(y.written, old); /* nothing charged before the date */
    uw_policy_free(&y);
    /* from the date on, the new limit, its sublimit and its premium */
    OK(app_uw_policy_get(app, &insurer, T0 + 101 * DAY, id, &y, &err));
    assert_int_equal(y.terms.annual, at3m.premium);
    assert_int_equal(y.written, old + delta);
    assert_int_equal(y.terms.limit, 300000000);
    assert_int_equal(y.terms.sublimit[COV_IR], 300000000);
    assert_false(y.endorsements[0].scheduled);
    uw_policy_free(&y);
    uw_cancel_in_t c = {.effective_date = "2030-06-01", .reason = "insured_request"};
    refused(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err), &err, CY_EINVAL,
            "effective_before_last", "effective_date");
    c.effective_date = "2030-09-18"; /* day 200: 165 remain, of the premium at ¥3M */
    c.reason = NULL;
    refused(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err), &err, CY_EINVAL,
            "reason_required", "reason");
    c.reason = "other";
    refused(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err), &err, CY_EINVAL,
            "note_required", "note");
    c.reason = "insured_request";
    int64_t ret = pro_rata(at3m.premium, 165, 365);
    /* a preview answers the return premium and stores nothing */
    c.preview = 1;
    OK(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err));
    assert_int_equal(y.return_premium, ret);
    assert_int_equal(y.endorsements[1].id, 0);
    uw_policy_free(&y);
    c.preview = 0;
    OK(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err));
    assert_string_equal(y.status, "active"); /* until 2030-09-18 */
    assert_int_equal(y.return_premium, ret);
    assert_int_equal(y.endorsements[1].premium_delta, -ret);
    assert_string_equal(y.endorsements[1].reason, "insured_request");
    assert_true(y.in_force == 0); /* not started yet at T0 */
    uw_policy_free(&y);
    refused(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err), &err, CY_ECONFLICT,
            "policy_cancelled", "status");
    OK(app_uw_policy_get(app, &insurer, T0 + 201 * DAY, id, &y, &err));
    assert_int_equal(y.n_endorsements, 2);
    assert_string_equal(y.status, "cancelled");
    assert_false(y.in_force);
    assert_int_equal(y.written, old + delta - ret);
    assert_string_equal(y.cancel_effective, "2030-09-17T16:00:00Z");
    uw_policy_free(&y);
    uw_indicative_free(&at3m);
}

/*
 * The aggregate limit of policy id in the insurer's book in force at t, as
 * app_uw_book_in_force and the simulation's portfolio read it (they must
 * agree); -1 when the policy is not in force then.
 */
static int64_t
book_limit(int64_t t, int64_t id)
{
    uw_book_t b;
    sim_portfolio_t sp;
    cy_error_t err;
    int64_t limit = -1, sim_limit = -1;
    OK(app_uw_book_in_force(app, &insurer, t, &b, &err));
    char no[POLICYNO_MAX] = "";
    for (size_t i = 0; i < b.n; i++)
        if (b.items[i].id == id) {
            limit = b.items[i].terms.limit;
            snprintf(no, sizeof no, "%s", b.items[i].policy_no);
        }
    uw_book_free(&b);
    cy_status_t st = app_portfolio_in_force(app, &insurer, t, &sp, &err);
    if (st == CY_OK) {
        for (size_t i = 0; i < sp.n; i++)
            if (!strcmp(sp.policies[i].id, no))
                sim_limit = sp.policies[i].terms.aggregate_limit;
        sim_portfolio_free(&sp);
    }
    assert_int_equal(sim_limit, limit);
    return limit;
}

/* The sublimit of coverage cov of policy id in the insurer's book in force at t; -1: not in it. */
static int64_t
book_sublimit(int64_t t, int64_t id, int cov)
{
    uw_book_t b;
    cy_error_t err;
    int64_t sub = -1;
    OK(app_uw_book_in_force(app, &insurer, t, &b, &err));
    for (size_t i = 0; i < b.n; i++)
        if (b.items[i].id == id)
            sub = b.items[i].terms.sublimit[cov];
    uw_book_free(&b);
    return sub;
}

/*
 * Issue 17: a change dated in the future is scheduled, not in force. Today's
 * terms, premium and status stay as they are until 00:00 Beijing time of
 * the effective date; from then on the change is in force.
 */
CY_TEST(test_future_dated_changes_take_effect_on_their_date)
{
    (void)state;
    int64_t old;
    int64_t id = bound_policy(NULL, &old);
    uw_policy_t y;
    cy_error_t err;
    /* 2030-06-10 00:00 Beijing is 2030-06-09T16:00Z: T0 + 100 days is before, + 101 after */
    uw_endorse_in_t e = {.effective_date = "2030-06-10", .aggregate_limit = {1, 300000000}};
    OK(app_uw_policy_endorse(app, &underwriter, T0, id, &e, &y, &err));
    assert_int_equal(y.terms.limit, 100000000);
    assert_int_equal(y.terms.annual, old);
    assert_int_equal(y.written, old);
    uw_policy_free(&y);
    OK(app_uw_policy_get(app, &insurer, T0 + 100 * DAY, id, &y, &err));
    assert_int_equal(y.terms.limit, 100000000);
    assert_int_equal(y.terms.sublimit[COV_IR], 100000000);
    assert_int_equal(y.terms.annual, old);
    uw_policy_free(&y);
    OK(app_uw_policy_get(app, &insurer, T0 + 101 * DAY, id, &y, &err));
    assert_int_equal(y.terms.limit, 300000000);
    assert_int_equal(y.terms.sublimit[COV_IR], 300000000);
    assert_true(y.terms.annual > old);
    uw_policy_free(&y);
    /* a cancellation from 2030-09-18 (2030-09-17T16:00Z) leaves the policy active until then */
    uw_cancel_in_t c = {.effective_date = "2030-09-18", .reason = "insured_request"};
    OK(app_uw_policy_cancel(app, &ent_gz, T0, id, &c, &y, &err));
    assert_string_equal(y.status, "active");
    assert_int_equal(y.terms.limit, 100000000);
    uw_policy_free(&y);
    OK(app_uw_policy_get(app, &ent_gz, T0 + 200 * DAY, id, &y, &err));
    assert_string_equal(y.status, "active");
    assert_true(y.in_force);
    assert_int_equal(y.terms.limit, 300000000);
    uw_policy_free(&y);
    OK(app_uw_policy_get(app, &ent_gz, T0 + 201 * DAY, id, &y, &err));
    assert_string_equal(y.status, "cancelled");
    assert_false(y.in_force);
    uw_policy_free(&y);
    /* the book the simulation and the statistics run on says the same */
    assert_int_equal(book_limit(T0 + 100 * DAY, id), 100000000);
    assert_int_equal(book_limit(T0 + 101 * DAY, id), 300000000);
    /* the change's coverages, as the book reads them (each change through its policy) */
    assert_int_equal(book_sublimit(T0 + 100 * DAY, id, COV_IR), 100000000);
    assert_int_equal(book_sublimit(T0 + 101 * DAY, id, COV_IR), 300000000);
    assert_int_equal(book_limit(T0 + 200 * DAY, id), 300000000);
    assert_int_equal(book_limit(T0 + 201 * DAY, id), -1);
}

/* ---------- lists ---------- */

CY_TEST(test_lists_page_by_the_one_policy)
{
    (void)state;
    ir_product();
    ir_product();
    app_page_t pg = {.cursor = 0, .limit = 1};
    uw_product_list_t l;
    cy_error_t err;
    OK(app_uw_product_list(app, &ent_gz, T0, "active", &pg, &l, &err));
    assert_int_equal(l.n, 1);
    assert_int_equal(l.next, l.items[0].id);
    int64_t first = l.items[0].id;
    uw_product_list_free(&l);
    pg.cursor = first;
    OK(app_uw_product_list(app, &ent_gz, T0, "active", &pg, &l, &err));
    assert_int_equal(l.n, 1);
    assert_true(l.items[0].id < first);
    uw_product_list_free(&l);
    refused(app_uw_product_list(app, &ent_gz, T0, "sold", &pg, &l, &err), &err, CY_EBADREQ,
            "status_invalid", "status");
    uw_quote_list_t ql;
    refused(app_uw_quote_list(app, &ent_gz, T0, "maybe", &pg, &ql, &err), &err, CY_EBADREQ,
            "status_invalid", "status");
}
