/*
 * loss.c — 定损 (see loss.h). Pure: core/ and libc only.
 */
#include "core/loss.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"

static cy_status_t
item_bad(cy_error_t *err, const char *base, const char *key, const char *zh, const char *en)
{
    char field[96];
    snprintf(field, sizeof field, "%s%s%s", base, base[0] ? "." : "", key);
    return cy_error_set(err, CY_EINVAL, "loss_item", field, "%s：%s / %s: %s", field, zh, field,
                        en);
}

cy_status_t
loss_item_check(const loss_item_t *it, const char *field_base, cy_error_t *err)
{
    const char *b = field_base ? field_base : "";
    if (it->cov < 0 || it->cov >= COV_N)
        return item_bad(err, b, "coverage", "不是通知所列的险种",
                        "not one of the notice's coverages");
    if (it->amount < 0 || it->amount > TERMS_AMOUNT_MAX)
        return item_bad(err, b, "amount", "金额应在 0 到 10^15 元之间",
                        "the amount must be from 0 to 10^15 yuan");
    int outage = it->outage_minutes != 0 || it->hourly_gross_profit != 0;
    if (outage && it->cov != COV_BI)
        return item_bad(err, b, "outage_minutes", "停机时长和每小时毛利只用于营业中断损失",
                        "outage hours and hourly gross profit belong to business interruption");
    if (it->outage_minutes < 0 || it->outage_minutes > LOSS_MINUTES_MAX)
        return item_bad(err, b, "outage_minutes", "停机时长应在 0 到 876000 小时之间",
                        "the outage must be from 0 to 876000 hours");
    if (it->hourly_gross_profit < 0 || it->hourly_gross_profit > TERMS_AMOUNT_MAX)
        return item_bad(err, b, "hourly_gross_profit", "每小时毛利应在 0 到 10^15 元之间",
                        "the hourly gross profit must be from 0 to 10^15 yuan");
    if ((it->outage_minutes > 0) != (it->hourly_gross_profit > 0))
        return item_bad(err, b, it->outage_minutes > 0 ? "hourly_gross_profit" : "outage_minutes",
                        "停机时长与每小时毛利应同时给出",
                        "outage hours and the hourly gross "
                        "profit go together");
    return CY_OK;
}

cy_status_t
loss_item_amount(const loss_item_t *it, int64_t *out, cy_error_t *err)
{
    int64_t bi = 0;
    cy_status_t st = CY_OK;
    if (it->outage_minutes > 0)
        st = money_mul_rate(it->hourly_gross_profit, (double)it->outage_minutes / 60.0, &bi, err);
    if (st == CY_OK)
        st = money_add(bi, it->amount, out, err);
    if (st == CY_OK && *out > TERMS_AMOUNT_MAX)
        st = item_bad(err, "", "amount", "金额超出可计算范围", "the amount is out of range");
    return st;
}

/* Adds amount to *sum within the engine's range. */
static cy_status_t
add_to(int64_t *sum, int64_t amount, cy_error_t *err)
{
    if (amount > TERMS_AMOUNT_MAX - *sum)
        return item_bad(err, "", "amount", "合计金额超出可计算范围", "the total is out of range");
    *sum += amount;
    return CY_OK;
}

cy_status_t
loss_sum(const loss_item_t *items, size_t n, uint32_t responding, loss_sum_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int outages = 0;
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < n && st == CY_OK; i++) {
        const loss_item_t *it = &items[i];
        int64_t whole;
        if ((st = loss_item_amount(it, &whole, err)) != CY_OK)
            break;
        if (it->outage_minutes > 0 && ++outages > 1)
            return cy_error_set(err, CY_EINVAL, "loss_two_outages", "line_items",
                                "营业中断损失按一次停机计算，只能有一个停机明细 / business "
                                "interruption is one outage per loss: only one item may give "
                                "an outage");
        int c = it->cov;
        out->claimed_mask |= 1u << c;
        st = add_to(&out->claimed[c], whole, err);
        if (st == CY_OK)
            st = add_to(&out->claimed_total, whole, err);
        if (st != CY_OK)
            break;
        if (!(responding & (1u << c))) {
            out->declined[c] += whole;
            out->declined_total += whole;
            continue;
        }
        /* the engine takes bi as hours and rate plus extra expense, and adds them itself */
        st = add_to(&out->loss.amount[c], it->amount, err);
        if (it->outage_minutes > 0) {
            out->loss.bi_hours = (double)it->outage_minutes / 60.0;
            out->loss.bi_hourly_gross_profit = it->hourly_gross_profit;
        }
    }
    return st;
}

cy_status_t
loss_task_cost(int64_t rate, int64_t minutes, int64_t expenses, int64_t *out, cy_error_t *err)
{
    if (rate < 0 || minutes < 0 || expenses < 0 || rate > LOSS_RATE_MAX ||
        minutes > LOSS_MINUTES_MAX || expenses > TERMS_AMOUNT_MAX)
        return cy_error_set(err, CY_EINVAL, "task_cost", "minutes",
                            "工时、费率或费用超出范围 / the time, rate or expenses out of range");
    /* exact: rate × minutes ≤ 10^9 × 5.3·10^7 fits int64; the half fen rounds up */
    int64_t hours_cost = (rate * minutes + 30) / 60;
    if (hours_cost > TERMS_AMOUNT_MAX - expenses)
        return cy_error_set(err, CY_EINVAL, "task_cost", "minutes",
                            "费用合计超出范围 / the cost is out of range");
    *out = hours_cost + expenses;
    return CY_OK;
}
