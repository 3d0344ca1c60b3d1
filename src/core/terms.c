/*
 * terms.c — the terms engine (see terms.h for the rules and their order).
 *
 * Pure: core/ and libc only; no I/O, no allocation, no globals. The trace is
 * formatted with snprintf into the caller's lines; with trace NULL nothing
 * is formatted, which keeps the simulation's hot loop to integer arithmetic
 * and two roundings at most (bi hours, coinsurance).
 */
#include "core/terms.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

void
terms_init(terms_t *t, int64_t aggregate_limit)
{
    memset(t, 0, sizeof *t);
    t->aggregate_limit = aggregate_limit;
    for (int c = 0; c < COV_N; c++) {
        t->sublimit[c] = aggregate_limit;
        t->share[c] = 1.0;
    }
}

static cy_status_t
terms_bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "terms_invalid", field,
                        "保单条款 %s：%s / policy terms %s: %s", field, zh, field, en);
}

cy_status_t
terms_layer_check(int64_t aggregate_limit, int64_t retention, const char *field, cy_error_t *err)
{
    if (aggregate_limit > retention)
        return CY_OK;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    money_format(aggregate_limit, a, sizeof a);
    money_format(retention, b, sizeof b);
    return cy_error_set(err, CY_EINVAL, "limit_below_retention", field,
                        "累计赔偿限额（%s）应高于免赔额（%s） / the aggregate limit (%s) must be "
                        "above the retention (%s)",
                        a, b, a, b);
}

cy_status_t
terms_validate(const terms_t *t, cy_error_t *err)
{
    if (t->aggregate_limit <= 0 || t->aggregate_limit > TERMS_AMOUNT_MAX)
        return terms_bad(err, "aggregate_limit", "累计赔偿限额应大于 0 且不超过 10^15 元",
                         "the aggregate limit must be above 0 and at most 10^15 yuan");
    if (t->retention < 0 || t->retention > TERMS_AMOUNT_MAX)
        return terms_bad(err, "retention", "免赔额不能为负数，且不超过 10^15 元",
                         "the retention must not be negative nor above 10^15 yuan");
    if (!(t->bi_waiting_hours >= 0.0 && t->bi_waiting_hours <= TERMS_HOURS_MAX))
        return terms_bad(err, "bi_waiting_hours", "等待期应为 0 到 876000 小时之间的数",
                         "the waiting period must be a number of hours from 0 to 876000");
    if (t->covered == 0 || (t->covered & ~COV_ALL_MASK) != 0)
        return terms_bad(err, "covered", "应至少承保一个险种，且只能是通知所列的 13 个险种",
                         "at least one coverage, and only the notice's 13 coverages");
    for (int c = 0; c < COV_N; c++) {
        if (!(t->covered & (1u << c)))
            continue;
        char field[48]; /* named only for a refusal: portfolios validate 100,000 terms */
        if (t->sublimit[c] <= 0 || t->sublimit[c] > t->aggregate_limit) {
            snprintf(field, sizeof field, "sublimit.%s", cov_code(c));
            return terms_bad(err, field, "分项限额应大于 0 且不超过累计赔偿限额",
                             "a sublimit must be above 0 and at most the aggregate limit");
        }
        if (!(t->share[c] > 0.0 && t->share[c] <= 1.0)) {
            snprintf(field, sizeof field, "share.%s", cov_code(c));
            return terms_bad(err, field, "保险人承担比例应在 (0, 1] 之内",
                             "the insurer's share must be in (0, 1]");
        }
    }
    return CY_OK;
}

void
terms_state_init(const terms_t *t, terms_state_t *s)
{
    s->aggregate_remaining = t->aggregate_limit;
    s->paid = 0;
    s->losses = 0;
}

/* ---- trace -------------------------------------------------------------- */

/* Trace being written: the caller's lines, and whether one overflowed its text. */
typedef struct {
    terms_trace_t *t;
    int overflow;
} tracer_t;

/*
 * TRACE(x, ...) formats a line only when the caller asked for a trace: the
 * arguments (formatted amounts) are not even evaluated otherwise, which is
 * what keeps the simulation's calls free of text work.
 */
#define TRACE(x, ...)                                                                              \
    do {                                                                                           \
        if ((x)->tr.t != NULL)                                                                     \
            trace_add(&(x)->tr, __VA_ARGS__);                                                      \
    } while (0)

static void trace_add(tracer_t *tr, terms_rule_t rule, int cov, int64_t before, int64_t after,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
trace_add(tracer_t *tr, terms_rule_t rule, int cov, int64_t before, int64_t after, const char *fmt,
          ...)
{
    if (tr->t == NULL)
        return;
    if (tr->t->n >= tr->t->cap) {
        tr->overflow = 1;
        return;
    }
    terms_trace_line_t *l = &tr->t->lines[tr->t->n++];
    l->rule = rule;
    l->cov = cov;
    l->before = before;
    l->after = after;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof l->text)
        tr->overflow = 1;
}

/* Small ring of formatted amounts, so one trace line can show several. */
typedef struct {
    char s[16][MONEY_FORMAT_MAX];
    int i;
} amounts_t;

static const char *
amt(amounts_t *a, int64_t fen)
{
    char *b = a->s[a->i++ & 15];
    money_format(fen, b, MONEY_FORMAT_MAX);
    return b;
}

/* ---- the rules ---------------------------------------------------------- */

static cy_status_t
loss_bad(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "terms_loss", field, "损失 %s：%s / loss %s: %s", field, zh,
                        field, en);
}

/*
 * mul_rate is money_mul_rate (fen × rate rounded once, half away from zero,
 * with its tolerance for decimal halves) with a fast path: the product in
 * double decides whenever it lies clearly away from a half fen. The double
 * product errs by at most p·2^-53 and money_mul_rate's half window is p·2^-51,
 * so outside p·2^-50 of a half both give the same fen; closer than that, or
 * for large amounts, money_mul_rate itself decides. The simulation calls this
 * hundreds of millions of times; money_mul_rate's long double is slow.
 */
static int
mul_rate(int64_t fen, double rate, int64_t *out)
{
    if (fen >= 0 && fen < ((int64_t)1 << 52) && rate >= 0.0 && rate <= 1e9) {
        double p = (double)fen * rate;
        if (p < 0x1p52) {
            /* truncation is floor for p ≥ 0; a cast, not libm's floor, on baseline x86-64 */
            double whole = (double)(int64_t)p, frac = p - whole;
            if (fabs(frac - 0.5) > p * 0x1p-50 + 0x1p-60) {
                *out = (int64_t)whole + (frac > 0.5);
                return 0;
            }
        }
    }
    return money_mul_rate(fen, rate, out, NULL) == CY_OK ? 0 : -1;
}

/*
 * bi_amount computes hourly gross profit × hours + extra expense, each
 * product rounded once; CY_EINVAL when it leaves the engine's range.
 */
static cy_status_t
bi_amount(const terms_loss_t *loss, double hours, int64_t *out, cy_error_t *err)
{
    int64_t v = 0;
    if (hours > 0.0 && loss->bi_hourly_gross_profit > 0 &&
        mul_rate(loss->bi_hourly_gross_profit, hours, &v) != 0)
        return loss_bad(err, "bi_hours", "营业中断损失超出可计算范围",
                        "business interruption loss out of range");
    if (v > TERMS_AMOUNT_MAX - loss->amount[COV_BI])
        return loss_bad(err, "bi_hours", "营业中断损失超出可计算范围",
                        "business interruption loss out of range");
    *out = v + loss->amount[COV_BI];
    return CY_OK;
}

/* One application of the rules: the terms, the loss, the payout being written, the trace. */
typedef struct {
    const terms_t *t;
    const terms_loss_t *loss;
    terms_payout_t *out;
    tracer_t tr;
    amounts_t a;        /* its 16 buffers are written before they are read */
    int64_t net[COV_N]; /* the insured's loss after the rules so far; entries of live are read */
    uint32_t live;      /* the coverages still carrying a loss, walked lowest bit first */
} apply_t;

/* The loss's amounts and hours are in range; the trace (if any) has room for every line. */
static cy_status_t
check_loss(const terms_loss_t *loss, terms_trace_t *trace, cy_error_t *err)
{
    /* one pass without branches (negative amounts are huge unsigned), then find which */
    uint64_t bad = 0;
    for (int c = 0; c < COV_N; c++)
        bad |= (uint64_t)loss->amount[c] > (uint64_t)TERMS_AMOUNT_MAX;
    for (int c = 0; bad && c < COV_N; c++)
        if (loss->amount[c] < 0 || loss->amount[c] > TERMS_AMOUNT_MAX) {
            char field[32];
            snprintf(field, sizeof field, "amount.%s", cov_code(c));
            return loss_bad(err, field, "金额应在 0 到 10^15 元之间",
                            "an amount must be from 0 to 10^15 yuan");
        }
    if (!(loss->bi_hours >= 0.0 && loss->bi_hours <= TERMS_HOURS_MAX))
        return loss_bad(err, "bi_hours", "中断小时数应为 0 到 876000 之间的数",
                        "outage hours must be a number from 0 to 876000");
    if (loss->bi_hourly_gross_profit < 0 || loss->bi_hourly_gross_profit > TERMS_AMOUNT_MAX)
        return loss_bad(err, "bi_hourly_gross_profit", "每小时毛利润应在 0 到 10^15 元之间",
                        "hourly gross profit must be from 0 to 10^15 yuan");
    if (trace != NULL) {
        trace->n = 0;
        if (trace->cap < TERMS_TRACE_MAX_LINES)
            return cy_error_set(err, CY_ETOOLARGE, "terms_trace", "trace",
                                "理算说明的行数空间不足（需要 %d 行） / the trace needs room for "
                                "%d lines",
                                TERMS_TRACE_MAX_LINES, TERMS_TRACE_MAX_LINES);
    }
    return CY_OK;
}

/*
 * The bi loss from hours: *full over all of them, *after over the *past
 * hours after the waiting period (both 0 without a bi loss).
 */
static cy_status_t
bi_losses(const terms_t *t, const terms_loss_t *loss, int64_t *full, int64_t *after, double *past,
          cy_error_t *err)
{
    *full = *after = 0;
    *past = 0.0;
    if (!(loss->amount[COV_BI] > 0 || (loss->bi_hours > 0.0 && loss->bi_hourly_gross_profit > 0)))
        return CY_OK;
    cy_status_t st = bi_amount(loss, loss->bi_hours, full, err);
    if (st != CY_OK)
        return st;
    *past = loss->bi_hours - t->bi_waiting_hours;
    if (*past < 0.0)
        *past = 0.0;
    return bi_amount(loss, *past, after, err);
}

/* The loss per coverage: what the policy insures (out->mask, net) and what it does not. */
static void
ground_up(apply_t *x, int64_t bi_full)
{
    const terms_loss_t *loss = x->loss;
    terms_payout_t *out = x->out;
    for (int c = 0; c < COV_N; c++) {
        int64_t v = c == COV_BI ? bi_full : loss->amount[c];
        out->ground_up[c] = out->paid[c] = 0;
        if (v == 0)
            continue;
        if (!(x->t->covered & (1u << c))) {
            out->uncovered_total += v;
            TRACE(x, TERMS_RULE_NOT_COVERED, c, v, 0,
                  "%s：本保单未承保该险种，损失 %s 不予赔付 / %s: not insured by this policy; "
                  "loss %s not paid",
                  cov_name_zh(c), amt(&x->a, v), cov_name_en(c), amt(&x->a, v));
            continue;
        }
        out->mask |= 1u << c;
        out->ground_up[c] = v;
        out->ground_up_total += v;
        x->net[c] = v;
        amounts_t *a = &x->a;
        if (c == COV_BI)
            TRACE(x, TERMS_RULE_LOSS, c, v, v,
                  "%s：中断 %g 小时 × 每小时毛利润 %s，另加额外费用 %s，计 %s / %s: %g h "
                  "outage × hourly gross profit %s, plus extra expense %s: %s",
                  cov_name_zh(c), loss->bi_hours, amt(a, loss->bi_hourly_gross_profit),
                  amt(a, loss->amount[COV_BI]), amt(a, v), cov_name_en(c), loss->bi_hours,
                  amt(a, loss->bi_hourly_gross_profit), amt(a, loss->amount[COV_BI]), amt(a, v));
        else
            TRACE(x, TERMS_RULE_LOSS, c, v, v, "%s：损失 %s / %s: loss %s", cov_name_zh(c),
                  amt(a, v), cov_name_en(c), amt(a, v));
    }
}

/* 2. Retention: once per loss, taken from the coverages in the notice's order. */
static void
rule_retention(apply_t *x)
{
    const terms_t *t = x->t;
    amounts_t *a = &x->a;
    int64_t left = t->retention;
    for (uint32_t m = x->live; m != 0 && left > 0; m &= m - 1) {
        int c = __builtin_ctz(m);
        int64_t net = x->net[c], take = net < left ? net : left;
        left -= take;
        x->out->retained += take;
        TRACE(x, TERMS_RULE_RETENTION, c, net, net - take,
              "免赔额：每次损失免赔额 %s，由%s承担 %s，%s → %s / Retention: %s per loss, %s "
              "of it borne on %s: %s → %s",
              amt(a, t->retention), cov_name_zh(c), amt(a, take), amt(a, net), amt(a, net - take),
              amt(a, t->retention), amt(a, take), cov_name_en(c), amt(a, net), amt(a, net - take));
        x->net[c] -= take;
        if (x->net[c] == 0)
            x->live &= ~(1u << c);
    }
}

/* 3. Coinsurance, then 4. sublimit, per coverage. */
static void
rule_share_sublimit(apply_t *x)
{
    const terms_t *t = x->t;
    amounts_t *a = &x->a;
    for (uint32_t m = x->live; m != 0; m &= m - 1) {
        int c = __builtin_ctz(m);
        int64_t *net = &x->net[c];
        if (t->share[c] < 1.0) {
            int64_t v = 0;
            mul_rate(*net, t->share[c], &v); /* share ≤ 1: cannot overflow */
            TRACE(x, TERMS_RULE_COINSURANCE, c, *net, v,
                  "共保：保险人承担 %g%%，%s %s → %s / Coinsurance: insurer's share %g%%, %s "
                  "%s → %s",
                  t->share[c] * 100.0, cov_name_zh(c), amt(a, *net), amt(a, v), t->share[c] * 100.0,
                  cov_name_en(c), amt(a, *net), amt(a, v));
            *net = v;
        }
        if (*net > t->sublimit[c]) {
            TRACE(x, TERMS_RULE_SUBLIMIT, c, *net, t->sublimit[c],
                  "分项限额：%s每次损失限额 %s，%s → %s / Sublimit: %s, %s per loss: %s → %s",
                  cov_name_zh(c), amt(a, t->sublimit[c]), amt(a, *net), amt(a, t->sublimit[c]),
                  cov_name_en(c), amt(a, t->sublimit[c]), amt(a, *net), amt(a, t->sublimit[c]));
            *net = t->sublimit[c];
        }
    }
}

/* 5. Aggregate limit: what is left of the policy year's limit, coverage by coverage. */
static int64_t
rule_aggregate(apply_t *x, int64_t remaining)
{
    amounts_t *a = &x->a;
    for (uint32_t m = x->live; m != 0; m &= m - 1) {
        int c = __builtin_ctz(m);
        int64_t net = x->net[c];
        if (net == 0)
            continue; /* coinsurance rounded a fen to nothing */
        int64_t pay = net < remaining ? net : remaining;
        if (pay < net)
            TRACE(x, TERMS_RULE_AGGREGATE, c, net, pay,
                  "累计赔偿限额：本保单年度剩余 %s，%s %s → %s / Aggregate limit: %s left this "
                  "policy year, %s %s → %s",
                  amt(a, remaining), cov_name_zh(c), amt(a, net), amt(a, pay), amt(a, remaining),
                  cov_name_en(c), amt(a, net), amt(a, pay));
        remaining -= pay;
        x->out->paid[c] = pay;
        x->out->paid_total += pay;
    }
    return remaining;
}

cy_status_t
terms_apply(const terms_t *t, const terms_loss_t *loss, terms_state_t *state, terms_payout_t *out,
            terms_trace_t *trace, cy_error_t *err)
{
    cy_status_t st = check_loss(loss, trace, err);
    if (st != CY_OK)
        return st;
    /* every ground_up[c] and paid[c] is written once, in ground_up */
    out->ground_up_total = out->uncovered_total = out->waiting = out->retained = 0;
    out->paid_total = 0;
    out->mask = 0;
    int64_t bi_full, bi_after_wait;
    double past;
    if ((st = bi_losses(t, loss, &bi_full, &bi_after_wait, &past, err)) != CY_OK)
        return st;
    apply_t x;
    x.t = t;
    x.loss = loss;
    x.out = out;
    x.tr = (tracer_t){trace, 0};
    x.a.i = 0;
    x.net[COV_BI] = 0;
    ground_up(&x, bi_full);

    /* 1. Waiting period: the first hours of an outage are the insured's. */
    amounts_t *a = &x.a;
    if ((out->mask & (1u << COV_BI)) && bi_after_wait != bi_full) {
        out->waiting = bi_full - bi_after_wait;
        x.net[COV_BI] = bi_after_wait;
        TRACE(&x, TERMS_RULE_WAITING, COV_BI, bi_full, bi_after_wait,
              "等待期：营业中断等待期 %g 小时，计入 %g 小时，%s → %s / Waiting period: %g h "
              "on business interruption, %g h count: %s → %s",
              t->bi_waiting_hours, past, amt(a, bi_full), amt(a, bi_after_wait),
              t->bi_waiting_hours, past, amt(a, bi_full), amt(a, bi_after_wait));
    }
    x.live = out->mask;
    if (x.net[COV_BI] == 0)
        x.live &= ~(1u << COV_BI);
    rule_retention(&x);
    rule_share_sublimit(&x);
    int64_t remaining =
        rule_aggregate(&x, state != NULL ? state->aggregate_remaining : t->aggregate_limit);

    int64_t year_paid = (state != NULL ? state->paid : 0) + out->paid_total;
    TRACE(&x, TERMS_RULE_TOTAL, -1, out->ground_up_total, out->paid_total,
          "合计：承保损失 %s，本次赔付 %s；本保单年度已赔付 %s，剩余累计赔偿限额 %s / Total: "
          "covered loss %s, paid %s; paid this policy year %s, aggregate limit left %s",
          amt(a, out->ground_up_total), amt(a, out->paid_total), amt(a, year_paid),
          amt(a, remaining), amt(a, out->ground_up_total), amt(a, out->paid_total),
          amt(a, year_paid), amt(a, remaining));
    if (x.tr.overflow)
        return cy_error_set(err, CY_ETOOLARGE, "terms_trace", "trace",
                            "理算说明超出行长度 / a trace line did not fit its text");
    if (state != NULL) {
        state->aggregate_remaining = remaining;
        state->paid = year_paid;
        state->losses++;
    }
    return CY_OK;
}

/*
 * The rules of terms_apply without the trace, in one pass over the
 * coverages with a loss: each coverage's share of the retention, its
 * coinsurance, its sublimit and its share of the aggregate limit depend only
 * on the coverages before it in the notice's order, so taking the rules
 * coverage by coverage gives what terms_apply's rule-by-rule passes give.
 * Anything out of the ordinary (an amount or hours out of range, a loss on a
 * coverage the policy does not insure, a product money_mul_rate refuses)
 * goes to terms_apply itself, so that both always give the same result and
 * the same refusal; nothing in *state is written before that is decided.
 */
static cy_status_t
apply_full(const terms_t *t, const terms_loss_t *loss, uint32_t present, terms_state_t *state,
           terms_payout_t *out, cy_error_t *err)
{
    terms_loss_t full = *loss;
    for (int c = 0; c < COV_N; c++)
        if (!(present & (1u << c)))
            full.amount[c] = 0;
    return terms_apply(t, &full, state, out, NULL, err);
}

cy_status_t
terms_apply_fast(const terms_t *t, const terms_loss_t *loss, uint32_t present, terms_state_t *state,
                 terms_payout_t *out, cy_error_t *err)
{
    present &= COV_ALL_MASK;
    double hours = loss->bi_hours;
    int64_t gp = loss->bi_hourly_gross_profit;
    if (!(hours >= 0.0 && hours <= TERMS_HOURS_MAX) || gp < 0 || gp > TERMS_AMOUNT_MAX)
        return apply_full(t, loss, present, state, out, err);
    /* bi from hours (rule 1, the waiting period, below), as bi_amount computes it */
    int64_t extra = (present & (1u << COV_BI)) ? loss->amount[COV_BI] : 0;
    int64_t bi_full = 0, bi_after_wait = 0;
    if (extra != 0 || (hours > 0.0 && gp > 0)) {
        double past = hours - t->bi_waiting_hours;
        if (past < 0.0)
            past = 0.0;
        int64_t v = 0, w = 0;
        if ((uint64_t)extra > (uint64_t)TERMS_AMOUNT_MAX ||
            (hours > 0.0 && gp > 0 && mul_rate(gp, hours, &v) != 0) ||
            v > TERMS_AMOUNT_MAX - extra || (past > 0.0 && gp > 0 && mul_rate(gp, past, &w) != 0) ||
            w > TERMS_AMOUNT_MAX - extra)
            return apply_full(t, loss, present, state, out, err);
        bi_full = v + extra;
        bi_after_wait = w + extra;
    }
    /* a loss on a coverage the policy does not insure: terms_apply says what it is */
    uint32_t outside = (present | 1u << COV_BI) & ~t->covered;
    for (uint32_t m = outside; m != 0; m &= m - 1) {
        int c = __builtin_ctz(m);
        if ((c == COV_BI ? bi_full : loss->amount[c]) != 0)
            return apply_full(t, loss, present, state, out, err);
        out->ground_up[c] = out->paid[c] = 0;
    }
    /*
     * Every insured coverage of present and bi, one without a loss included:
     * with nothing to pay it takes no retention and no limit, so the pass
     * needs no branch on it (and a caller that gives every insured coverage
     * gives the same number of coverages every time).
     */
    uint32_t mask = 0;
    int64_t total = 0, waiting = 0, retained = 0, paid_total = 0;
    int64_t left = t->retention;
    int64_t remaining = state != NULL ? state->aggregate_remaining : t->aggregate_limit;
    for (uint32_t m = (present | 1u << COV_BI) & t->covered; m != 0; m &= m - 1) {
        int c = __builtin_ctz(m);
        int64_t v = c == COV_BI ? bi_full : loss->amount[c];
        if ((uint64_t)v > (uint64_t)TERMS_AMOUNT_MAX) /* negative amounts too */
            return apply_full(t, loss, present, state, out, err);
        mask |= (uint32_t)(v != 0) << c;
        total += v;
        out->ground_up[c] = v;
        int64_t net = c == COV_BI ? bi_after_wait : v; /* 1. waiting period */
        waiting += v - net;
        int64_t take = net < left ? net : left; /* 2. retention, in the notice's order */
        left -= take;
        retained += take;
        net -= take;
        if (t->share[c] < 1.0 && net > 0) { /* 3. coinsurance */
            int64_t s = 0;
            mul_rate(net, t->share[c], &s); /* share ≤ 1: cannot overflow */
            net = s;
        }
        net = net < t->sublimit[c] ? net : t->sublimit[c]; /* 4. sublimit */
        int64_t pay = net < remaining ? net : remaining;   /* 5. aggregate limit */
        remaining -= pay;
        out->paid[c] = pay;
        paid_total += pay;
    }
    out->ground_up_total = total;
    out->uncovered_total = 0;
    out->waiting = waiting;
    out->retained = retained;
    out->paid_total = paid_total;
    out->mask = mask;
    if (state != NULL) {
        state->aggregate_remaining = remaining;
        state->paid += paid_total;
        state->losses++;
    }
    return CY_OK;
}
