/*
 * test_loss.c — 定损 (core/loss.c): a line item's own amount, the items added
 * up into the terms engine's loss with what liability declined set apart,
 * one outage per loss, a responder's cost to the fen, and the refusals.
 * docs/claims.md's claim 1 goes through loss_sum and terms_apply here too, so
 * the worked example holds below the API. Depends on cmocka and core/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cytest.h"

#include "core/loss.h"

#define YUAN(x) ((int64_t)(x)*100)

CY_TEST(test_loss_item_amount_bi_is_hours_times_profit_plus_extra)
{
    (void)state;
    loss_item_t bi = {COV_BI, YUAN(36000), 60 * 60, YUAN(8500)};
    int64_t v = 0;
    cy_error_t err;
    assert_int_equal(loss_item_check(&bi, "line_items[0]", &err), CY_OK);
    assert_int_equal(loss_item_amount(&bi, &v, &err), CY_OK);
    assert_int_equal(v, YUAN(546000));
    /* 20 minutes at ¥3.33 an hour: ¥1.11 exactly; 25 minutes: 138.75 fen → 139 */
    loss_item_t small = {COV_BI, 0, 20, 333};
    assert_int_equal(loss_item_amount(&small, &v, &err), CY_OK);
    assert_int_equal(v, 111);
    small.outage_minutes = 25;
    assert_int_equal(loss_item_amount(&small, &v, &err), CY_OK);
    assert_int_equal(v, 139);
}

CY_TEST(test_loss_sum_sets_declined_coverages_apart)
{
    (void)state;
    loss_item_t items[] = {{COV_BI, YUAN(36000), 3600, YUAN(8500)},
                           {COV_DATA, YUAN(100000), 0, 0},
                           {COV_DATA, YUAN(80000), 0, 0},
                           {COV_IR, YUAN(62000), 0, 0},
                           {COV_MEDIA, YUAN(5000), 0, 0}};
    loss_sum_t s;
    cy_error_t err;
    uint32_t responding = 1u << COV_BI | 1u << COV_DATA | 1u << COV_IR;
    assert_int_equal(loss_sum(items, 5, responding, &s, &err), CY_OK);
    assert_int_equal(s.claimed[COV_DATA], YUAN(180000));
    assert_int_equal(s.claimed_total, YUAN(546000 + 180000 + 62000 + 5000));
    assert_int_equal(s.declined_total, YUAN(5000));
    assert_int_equal(s.declined[COV_MEDIA], YUAN(5000));
    assert_int_equal(s.loss.amount[COV_MEDIA], 0);
    assert_int_equal(s.loss.amount[COV_BI], YUAN(36000)); /* the extra expense only */
    assert_true(s.loss.bi_hours == 60.0);
    assert_int_equal(s.loss.bi_hourly_gross_profit, YUAN(8500));
    assert_int_equal(s.claimed_mask, responding | 1u << COV_MEDIA);
}

/* docs/claims.md, claim 1: the line items through loss_sum and the one terms engine. */
CY_TEST(test_loss_worked_example_claim1_to_the_fen)
{
    (void)state;
    loss_item_t items[] = {{COV_BI, YUAN(36000), 3600, YUAN(8500)},
                           {COV_DATA, YUAN(180000), 0, 0},
                           {COV_IR, YUAN(62000), 0, 0}};
    loss_sum_t s;
    cy_error_t err;
    assert_int_equal(loss_sum(items, 3, COV_ALL_MASK, &s, &err), CY_OK);
    terms_t t;
    terms_init(&t, YUAN(1000000));
    t.retention = YUAN(50000);
    t.bi_waiting_hours = 12;
    t.covered = 1u << COV_BI | 1u << COV_DATA | 1u << COV_IR | 1u << COV_BREACH;
    t.sublimit[COV_BI] = YUAN(800000);
    t.sublimit[COV_DATA] = YUAN(150000);
    t.sublimit[COV_IR] = YUAN(200000);
    t.share[COV_IR] = 0.9;
    assert_int_equal(terms_validate(&t, &err), CY_OK);
    terms_state_t year;
    terms_state_init(&t, &year);
    terms_payout_t out;
    assert_int_equal(terms_apply(&t, &s.loss, &year, &out, NULL, &err), CY_OK);
    assert_int_equal(out.ground_up_total, YUAN(788000));
    assert_int_equal(out.waiting, YUAN(102000));
    assert_int_equal(out.retained, YUAN(50000));
    assert_int_equal(out.paid[COV_BI], YUAN(394000));
    assert_int_equal(out.paid[COV_DATA], YUAN(150000));
    assert_int_equal(out.paid[COV_IR], YUAN(55800));
    assert_int_equal(out.paid_total, YUAN(599800));
    assert_int_equal(year.aggregate_remaining, YUAN(400200));
    /* claim 2 of the same year: what the limit has left */
    loss_item_t two[] = {{COV_IR, YUAN(120000), 0, 0}, {COV_BREACH, YUAN(420000), 0, 0}};
    assert_int_equal(loss_sum(two, 2, COV_ALL_MASK, &s, &err), CY_OK);
    assert_int_equal(terms_apply(&t, &s.loss, &year, &out, NULL, &err), CY_OK);
    assert_int_equal(out.paid[COV_IR], YUAN(63000));
    assert_int_equal(out.paid[COV_BREACH], YUAN(337200));
    assert_int_equal(out.paid_total, YUAN(400200));
    assert_int_equal(year.aggregate_remaining, 0);
}

CY_TEST(test_loss_one_outage_per_loss)
{
    (void)state;
    loss_item_t items[] = {{COV_BI, 0, 60, 100}, {COV_BI, YUAN(10), 0, 0}, {COV_BI, 0, 30, 100}};
    loss_sum_t s;
    cy_error_t err;
    assert_int_equal(loss_sum(items, 2, COV_ALL_MASK, &s, &err), CY_OK);
    assert_int_equal(loss_sum(items, 3, COV_ALL_MASK, &s, &err), CY_EINVAL);
    assert_string_equal(err.code, "loss_two_outages");
    assert_string_equal(err.field, "line_items");
}

CY_TEST(test_loss_item_refusals_name_the_field)
{
    (void)state;
    cy_error_t err;
    struct {
        loss_item_t it;
        const char *field;
    } bad[] = {
        {{COV_N, 0, 0, 0}, "line_items[1].coverage"},
        {{COV_DATA, -1, 0, 0}, "line_items[1].amount"},
        {{COV_DATA, TERMS_AMOUNT_MAX + 1, 0, 0}, "line_items[1].amount"},
        {{COV_DATA, 0, 60, 100}, "line_items[1].outage_minutes"},
        {{COV_BI, 0, -1, 0}, "line_items[1].outage_minutes"},
        {{COV_BI, 0, LOSS_MINUTES_MAX + 1, 100}, "line_items[1].outage_minutes"},
        {{COV_BI, 0, 60, 0}, "line_items[1].hourly_gross_profit"},
        {{COV_BI, 0, 0, 100}, "line_items[1].outage_minutes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(loss_item_check(&bad[i].it, "line_items[1]", &err), CY_EINVAL);
        assert_string_equal(err.code, "loss_item");
        assert_string_equal(err.field, bad[i].field);
        assert_non_null(strstr(err.message, " / "));
    }
}

CY_TEST(test_loss_task_cost_exact_to_the_fen)
{
    (void)state;
    int64_t v = 0;
    cy_error_t err;
    assert_int_equal(loss_task_cost(YUAN(1200), 510, 0, &v, &err), CY_OK);
    assert_int_equal(v, YUAN(10200)); /* 8.5 h */
    assert_int_equal(loss_task_cost(YUAN(1200), 1440, YUAN(3800), &v, &err), CY_OK);
    assert_int_equal(v, YUAN(32600));
    /* ¥10 an hour for 1 minute: 16.67 fen → 17; 2 minutes: 33.33 → 33; a half rounds up */
    assert_int_equal(loss_task_cost(1000, 1, 0, &v, &err), CY_OK);
    assert_int_equal(v, 17);
    assert_int_equal(loss_task_cost(1000, 2, 0, &v, &err), CY_OK);
    assert_int_equal(v, 33);
    assert_int_equal(loss_task_cost(6, 5, 0, &v, &err), CY_OK);
    assert_int_equal(v, 1); /* 0.5 fen */
    assert_int_equal(loss_task_cost(LOSS_RATE_MAX, LOSS_MINUTES_MAX, 0, &v, &err), CY_OK);
    assert_int_equal(v, LOSS_RATE_MAX * (LOSS_MINUTES_MAX / 60));
    assert_int_equal(loss_task_cost(LOSS_RATE_MAX + 1, 1, 0, &v, &err), CY_EINVAL);
    assert_int_equal(loss_task_cost(100, -1, 0, &v, &err), CY_EINVAL);
    assert_int_equal(loss_task_cost(100, 1, -1, &v, &err), CY_EINVAL);
    assert_string_equal(err.code, "task_cost");
}
