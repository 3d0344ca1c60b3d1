/*
 * test_terms.c — the terms engine (core/terms.c): every worked example of
 * docs/terms.md to the fen, the trace lines, the aggregate limit eroding over
 * a policy year, and the refusals. Also checks that core/cov.c still agrees
 * with data/coverages.json. Depends on cmocka, core/ and app/refdata.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"

#include <math.h>

#include "data/refdata.h"
#include "core/cov.h"
#include "core/terms.h"

#define YUAN(x) ((int64_t)(x)*100)

static terms_trace_line_t lines[TERMS_TRACE_MAX_LINES];

static terms_trace_t
trace_room(void)
{
    return (terms_trace_t){lines, TERMS_TRACE_MAX_LINES, 0};
}

/* The line of the trace for rule on coverage cov (cov −1: the whole loss), or NULL. */
static const terms_trace_line_t *
find_line(const terms_trace_t *tr, terms_rule_t rule, int cov)
{
    for (size_t i = 0; i < tr->n; i++)
        if (tr->lines[i].rule == rule && tr->lines[i].cov == cov)
            return &tr->lines[i];
    return NULL;
}

static void
apply_ok(const terms_t *t, const terms_loss_t *loss, terms_state_t *st, terms_payout_t *out,
         terms_trace_t *tr)
{
    cy_error_t err;
    cy_error_clear(&err);
    assert_int_equal(terms_validate(t, &err), CY_OK);
    assert_int_equal(terms_apply(t, loss, st, out, tr, &err), CY_OK);
}

/* docs/terms.md example 1: one coverage, a retention. */
CY_TEST(test_terms_example1_retention_on_one_coverage)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.covered = 1u << COV_DATA;
    t.retention = YUAN(10000);
    terms_loss_t loss = {0};
    loss.amount[COV_DATA] = YUAN(50000);
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.ground_up_total, YUAN(50000));
    assert_int_equal(out.retained, YUAN(10000));
    assert_int_equal(out.paid[COV_DATA], YUAN(40000));
    assert_int_equal(out.paid_total, YUAN(40000));
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_RETENTION, COV_DATA);
    assert_non_null(l);
    assert_int_equal(l->before, YUAN(50000));
    assert_int_equal(l->after, YUAN(40000));
    assert_non_null(strstr(l->text, "免赔额"));
    assert_non_null(strstr(l->text, "Retention: ¥10,000.00 per loss"));
    l = find_line(&tr, TERMS_RULE_TOTAL, -1);
    assert_non_null(l);
    assert_int_equal(l->after, YUAN(40000));
    assert_non_null(strstr(l->text, "paid ¥40,000.00"));
}

/* docs/terms.md example 2: business interruption past the waiting period. */
CY_TEST(test_terms_example2_bi_waiting_period)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.covered = 1u << COV_BI;
    t.retention = YUAN(5000);
    t.bi_waiting_hours = 12.0;
    terms_loss_t loss = {0};
    loss.bi_hours = 30.0;
    loss.bi_hourly_gross_profit = YUAN(1000);
    loss.amount[COV_BI] = YUAN(2000); /* extra expense */
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.ground_up[COV_BI], YUAN(32000));
    assert_int_equal(out.waiting, YUAN(12000));
    assert_int_equal(out.retained, YUAN(5000));
    assert_int_equal(out.paid[COV_BI], YUAN(15000));
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_WAITING, COV_BI);
    assert_non_null(l);
    assert_int_equal(l->before, YUAN(32000));
    assert_int_equal(l->after, YUAN(20000));
    assert_non_null(strstr(l->text, "等待期"));
    assert_non_null(strstr(l->text, "12 h on business interruption, 18 h count"));

    /* an outage shorter than the waiting period pays nothing, extra expense aside */
    loss.bi_hours = 10.0;
    loss.amount[COV_BI] = 0;
    apply_ok(&t, &loss, NULL, &out, NULL);
    assert_int_equal(out.ground_up[COV_BI], YUAN(10000));
    assert_int_equal(out.paid_total, 0);
}

/* docs/terms.md example 3: one retention for the whole loss, in the notice's order. */
CY_TEST(test_terms_example3_retention_once_across_coverages)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.covered = 1u << COV_BI | 1u << COV_DATA | 1u << COV_IR;
    t.retention = YUAN(10000);
    terms_loss_t loss = {0};
    loss.bi_hours = 10.0;
    loss.bi_hourly_gross_profit = YUAN(800);
    loss.amount[COV_DATA] = YUAN(6000);
    loss.amount[COV_IR] = YUAN(20000);
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.ground_up_total, YUAN(34000));
    assert_int_equal(out.retained, YUAN(10000));
    assert_int_equal(out.paid[COV_BI], 0);
    assert_int_equal(out.paid[COV_DATA], YUAN(4000));
    assert_int_equal(out.paid[COV_IR], YUAN(20000));
    assert_int_equal(out.paid_total, YUAN(24000));
    /* two retention lines: bi gives up all ¥8,000, data the other ¥2,000, ir nothing */
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_RETENTION, COV_BI);
    assert_non_null(l);
    assert_int_equal(l->after, 0);
    l = find_line(&tr, TERMS_RULE_RETENTION, COV_DATA);
    assert_non_null(l);
    assert_int_equal(l->before - l->after, YUAN(2000));
    assert_null(find_line(&tr, TERMS_RULE_RETENTION, COV_IR));
}

/* docs/terms.md example 4: coinsurance before the sublimit. */
CY_TEST(test_terms_example4_coinsurance_then_sublimit)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(5000000));
    t.covered = 1u << COV_IR;
    t.retention = YUAN(20000);
    t.share[COV_IR] = 0.8;
    t.sublimit[COV_IR] = YUAN(200000);
    terms_loss_t loss = {0};
    loss.amount[COV_IR] = YUAN(300000);
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.paid[COV_IR], YUAN(200000));
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_COINSURANCE, COV_IR);
    assert_non_null(l);
    assert_int_equal(l->before, YUAN(280000));
    assert_int_equal(l->after, YUAN(224000));
    assert_non_null(strstr(l->text, "insurer's share 80%"));
    l = find_line(&tr, TERMS_RULE_SUBLIMIT, COV_IR);
    assert_non_null(l);
    assert_int_equal(l->before, YUAN(224000));
    assert_int_equal(l->after, YUAN(200000));

    /* a smaller loss stays under the sublimit: 80% of (¥150,000 − ¥20,000) */
    loss.amount[COV_IR] = YUAN(150000);
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.paid[COV_IR], YUAN(104000));
    assert_null(find_line(&tr, TERMS_RULE_SUBLIMIT, COV_IR));
}

/* docs/terms.md example 5: the aggregate limit erodes over three losses of one year. */
CY_TEST(test_terms_example5_aggregate_erodes_over_a_year)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(500000));
    t.covered = 1u << COV_DATA | 1u << COV_IR | 1u << COV_PR | 1u << COV_BREACH;
    t.retention = YUAN(10000);
    terms_state_t st;
    terms_state_init(&t, &st);
    terms_payout_t out;
    terms_trace_t tr = trace_room();

    terms_loss_t march = {0};
    march.amount[COV_IR] = YUAN(300000);
    apply_ok(&t, &march, &st, &out, &tr);
    assert_int_equal(out.paid_total, YUAN(290000));
    assert_int_equal(st.aggregate_remaining, YUAN(210000));

    terms_loss_t july = {0};
    july.amount[COV_DATA] = YUAN(150000);
    apply_ok(&t, &july, &st, &out, &tr);
    assert_int_equal(out.paid_total, YUAN(140000));
    assert_int_equal(st.aggregate_remaining, YUAN(70000));

    terms_loss_t november = {0};
    november.amount[COV_PR] = YUAN(30000);
    november.amount[COV_BREACH] = YUAN(120000);
    apply_ok(&t, &november, &st, &out, &tr);
    assert_int_equal(out.retained, YUAN(10000)); /* from pr, which comes first in the notice */
    assert_int_equal(out.paid[COV_PR], YUAN(20000));
    assert_int_equal(out.paid[COV_BREACH], YUAN(50000));
    assert_int_equal(out.paid_total, YUAN(70000));
    assert_int_equal(st.aggregate_remaining, 0);
    assert_int_equal(st.paid, YUAN(500000));
    assert_int_equal(st.losses, 3);
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_AGGREGATE, COV_BREACH);
    assert_non_null(l);
    assert_int_equal(l->before, YUAN(120000));
    assert_int_equal(l->after, YUAN(50000));
    assert_non_null(strstr(l->text, "¥50,000.00 left this policy year"));
    assert_null(find_line(&tr, TERMS_RULE_AGGREGATE, COV_PR));

    /* a fourth loss finds nothing left */
    apply_ok(&t, &march, &st, &out, NULL);
    assert_int_equal(out.ground_up_total, YUAN(300000));
    assert_int_equal(out.paid_total, 0);
}

/* docs/terms.md example 6: a coverage the policy does not insure. */
CY_TEST(test_terms_example6_uncovered_coverage_not_paid)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.covered = 1u << COV_IR;
    t.retention = YUAN(5000);
    terms_loss_t loss = {0};
    loss.amount[COV_IR] = YUAN(3000);
    loss.amount[COV_MEDIA] = YUAN(80000);
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, NULL, &out, &tr);
    assert_int_equal(out.uncovered_total, YUAN(80000));
    assert_int_equal(out.ground_up_total, YUAN(3000));
    /* the uninsured media loss does not use up the retention */
    assert_int_equal(out.retained, YUAN(3000));
    assert_int_equal(out.paid_total, 0);
    const terms_trace_line_t *l = find_line(&tr, TERMS_RULE_NOT_COVERED, COV_MEDIA);
    assert_non_null(l);
    assert_non_null(strstr(l->text, "媒体侵权责任"));
    assert_non_null(strstr(l->text, "not insured by this policy"));
}

/* docs/terms.md example 7: one rounding, half up, at the share. */
CY_TEST(test_terms_example7_coinsurance_rounds_half_up_once)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.covered = 1u << COV_LEGAL | 1u << COV_BI;
    t.share[COV_LEGAL] = 0.5;
    terms_loss_t loss = {0};
    loss.amount[COV_LEGAL] = 12345; /* ¥123.45 × 50% = ¥61.725 → ¥61.73 */
    loss.bi_hours = 2.5;
    loss.bi_hourly_gross_profit = 333; /* ¥3.33 × 2.5 h = ¥8.325 → ¥8.33 */
    terms_payout_t out;
    apply_ok(&t, &loss, NULL, &out, NULL);
    assert_int_equal(out.paid[COV_LEGAL], 6173);
    assert_int_equal(out.paid[COV_BI], 833);
}

CY_TEST(test_terms_trace_lines_follow_the_rule_order)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(100000));
    t.covered = 1u << COV_BI | 1u << COV_IR;
    t.retention = YUAN(1000);
    t.bi_waiting_hours = 8.0;
    t.share[COV_IR] = 0.9;
    t.sublimit[COV_IR] = YUAN(50000);
    terms_state_t st;
    terms_state_init(&t, &st);
    st.aggregate_remaining = YUAN(40000);
    terms_loss_t loss = {0};
    loss.bi_hours = 20.0;
    loss.bi_hourly_gross_profit = YUAN(100);
    loss.amount[COV_IR] = YUAN(90000);
    terms_payout_t out;
    terms_trace_t tr = trace_room();
    apply_ok(&t, &loss, &st, &out, &tr);
    /* bi 2,000 → 1,200 past the wait → 200 after the retention; ir 90,000 × 0.9 → 81,000 → 50,000
     * sublimit; aggregate 40,000: bi 200, ir 39,800 */
    assert_int_equal(out.paid[COV_BI], YUAN(200));
    assert_int_equal(out.paid[COV_IR], YUAN(39800));
    terms_rule_t want[] = {TERMS_RULE_LOSS,      TERMS_RULE_LOSS,        TERMS_RULE_WAITING,
                           TERMS_RULE_RETENTION, TERMS_RULE_COINSURANCE, TERMS_RULE_SUBLIMIT,
                           TERMS_RULE_AGGREGATE, TERMS_RULE_TOTAL};
    assert_int_equal(tr.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < tr.n; i++) {
        assert_int_equal(tr.lines[i].rule, want[i]);
        assert_non_null(strstr(tr.lines[i].text, " / ")); /* Chinese, then English */
    }
}

CY_TEST(test_terms_state_unchanged_on_refusal)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000));
    t.covered = 1u << COV_IR;
    terms_state_t st;
    terms_state_init(&t, &st);
    terms_loss_t loss = {0};
    loss.amount[COV_IR] = -1;
    terms_payout_t out;
    cy_error_t err;
    assert_int_equal(terms_apply(&t, &loss, &st, &out, NULL, &err), CY_EINVAL);
    assert_string_equal(err.code, "terms_loss");
    assert_string_equal(err.field, "amount.ir");
    assert_int_equal(st.aggregate_remaining, YUAN(1000));
    assert_int_equal(st.losses, 0);

    loss.amount[COV_IR] = 0;
    loss.bi_hours = NAN;
    assert_int_equal(terms_apply(&t, &loss, &st, &out, NULL, &err), CY_EINVAL);
    assert_string_equal(err.field, "bi_hours");
    loss.bi_hours = -1.0;
    assert_int_equal(terms_apply(&t, &loss, &st, &out, NULL, &err), CY_EINVAL);
    loss.bi_hours = 1.0;
    loss.bi_hourly_gross_profit = -5;
    assert_int_equal(terms_apply(&t, &loss, &st, &out, NULL, &err), CY_EINVAL);
    assert_string_equal(err.field, "bi_hourly_gross_profit");
    loss.bi_hourly_gross_profit = 0;
    loss.amount[COV_DATA] = TERMS_AMOUNT_MAX + 1;
    assert_int_equal(terms_apply(&t, &loss, &st, &out, NULL, &err), CY_EINVAL);
    assert_string_equal(err.field, "amount.data");
}

CY_TEST(test_terms_trace_needs_room)
{
    (void)state;
    terms_t t;
    terms_init(&t, YUAN(1000));
    t.covered = 1u << COV_IR;
    terms_loss_t loss = {0};
    loss.amount[COV_IR] = YUAN(10);
    terms_payout_t out;
    terms_trace_line_t few[3];
    terms_trace_t tr = {few, 3, 0};
    cy_error_t err;
    assert_int_equal(terms_apply(&t, &loss, NULL, &out, &tr, &err), CY_ETOOLARGE);
    assert_string_equal(err.code, "terms_trace");
}

CY_TEST(test_terms_validate_refuses_bad_terms)
{
    (void)state;
    terms_t t;
    cy_error_t err;
    terms_init(&t, YUAN(1000));
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL); /* covers nothing */
    assert_string_equal(err.field, "covered");
    t.covered = 1u << COV_BI;
    assert_int_equal(terms_validate(&t, &err), CY_OK);
    t.sublimit[COV_BI] = YUAN(1001);
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "sublimit.bi");
    assert_string_equal(err.code, "terms_invalid");
    assert_non_null(strstr(err.message, "分项限额"));
    t.sublimit[COV_BI] = YUAN(1000);
    t.share[COV_BI] = 0.0;
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "share.bi");
    t.share[COV_BI] = 1.0;
    t.retention = -1;
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "retention");
    t.retention = 0;
    t.bi_waiting_hours = NAN;
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "bi_waiting_hours");
    t.bi_waiting_hours = 0.0;
    t.aggregate_limit = 0;
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "aggregate_limit");
    t.aggregate_limit = YUAN(1000);
    t.covered = 1u << 20;
    assert_int_equal(terms_validate(&t, &err), CY_EINVAL);
    assert_string_equal(err.field, "covered");
}

/* core/cov.c copies codes, names and OED codes from data/coverages.json: they must agree. */
CY_TEST(test_terms_coverage_table_matches_data_file)
{
    (void)state;
    ref_data_t *ref = NULL;
    cy_error_t err;
    assert_int_equal(refdata_load(CY_SOURCE_DIR "/data", &ref, &err), CY_OK);
    assert_int_equal(ref->n_coverages, COV_N);
    for (int c = 0; c < COV_N; c++) {
        assert_string_equal(ref->coverages[c].code, cov_code(c));
        assert_string_equal(ref->coverages[c].name_zh, cov_name_zh(c));
        assert_string_equal(ref->coverages[c].name_en, cov_name_en(c));
        assert_string_equal(ref->coverages[c].oed_code, cov_oed_code(c));
        assert_int_equal(ref->coverages[c].waiting_period, c == COV_BI);
        assert_int_equal(cov_find(cov_code(c)), c);
    }
    assert_int_equal(cov_find("nope"), -1);
    assert_string_equal(cov_code(COV_N), "");
    refdata_free(ref);
}
