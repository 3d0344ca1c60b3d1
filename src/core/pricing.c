/*
 * pricing.c — premium from the rating model, pro-rata by day, claim-free
 * credit, policy numbers and periods (see pricing.h). Pure: core/, libc,
 * libm; no I/O, no allocation, no globals.
 */
#include "core/pricing.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/bjtime.h"
#include "core/money.h"

int64_t
pricing_round(double fen)
{
    /* the same half-up rounding rating_premium applies to the pure premium */
    return (int64_t)floor(fen + 0.5);
}

/*
 * 1 when pricing_round gives r for every value from lo to hi: it is
 * non-decreasing, so it does when it does at both ends (r + 1 is exact
 * below 2^53; above, the test fails and the caller takes the safe way).
 */
static int
rounds_to(double lo, double hi, int64_t r)
{
    return lo + 0.5 >= (double)r && hi + 0.5 < (double)r + 1.0;
}

/*
 * The amounts of a quote from out->rating. Returns 1 when each rounding is
 * the same for any pure_c and Σ pure_c within out->rating.bound of these
 * (then, rating_premium says, it is libm's reference's), 0 when one may not
 * be, −1 when the gross is out of range.
 */
static int
amounts(const rating_model_t *m, const terms_t *t, double credit, int64_t minimum,
        pricing_result_t *out)
{
    double b = out->rating.bound, total = 0.0;
    int certain = 1;
    for (int c = 0; c < COV_N; c++) {
        double v = out->rating.pure_cov[c];
        out->pure_cov[c] = pricing_round(v);
        certain = certain && (b == 0.0 || rounds_to(v - b, v + b, out->pure_cov[c]));
        total += v;
    }
    out->pure = out->rating.pure;
    out->gross_exact = total * out->loading;
    double lo = total - b, hi = total + b;
    if (!(hi * out->loading < 9e18))
        return b == 0.0 ? -1 : 0;
    out->gross = pricing_round(out->gross_exact);
    out->credit = credit;
    int64_t credited = pricing_round(out->gross_exact * (1.0 - credit));
    if (b != 0.0)
        certain = certain && rounds_to(lo * out->loading, hi * out->loading, out->gross) &&
                  rounds_to(lo * out->loading * (1.0 - credit), hi * out->loading * (1.0 - credit),
                            credited);
    out->credit_amount = out->gross - credited;
    out->minimum = minimum >= 0 ? minimum : m->minimum_premium;
    out->minimum_applied = credited < out->minimum;
    out->premium = out->minimum_applied ? out->minimum : credited;
    out->rate_on_line =
        t->aggregate_limit > 0 ? (double)out->premium / (double)t->aggregate_limit : 0.0;
    return certain;
}

cy_status_t
pricing_quote(const rating_model_t *m, const rating_insured_t *ins, const terms_t *t, double credit,
              int64_t minimum, pricing_result_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!(credit >= 0.0 && credit < 1.0))
        return cy_error_set(
            err, CY_EINVAL, "pricing_credit", "credit",
            "无赔款优待比例应在 [0, 1) 之内 / the claim-free credit must be in [0, 1)");
    double loading = 1.0 / (1.0 - m->expense_loading - m->profit_loading);
    cy_status_t st = rating_premium(m, ins, t, &out->rating, err);
    if (st != CY_OK)
        return st;
    out->loading = loading;
    int done = amounts(m, t, credit, minimum, out);
    if (done == 0) {
        /* rating_premium's pure is libm's; another amount may not be: price by libm's */
        memset(out, 0, sizeof *out);
        st = rating_premium_scalar(m, ins, t, &out->rating, err);
        if (st != CY_OK)
            return st;
        out->loading = loading;
        done = amounts(m, t, credit, minimum, out);
    }
    if (done < 0)
        return cy_error_set(err, CY_EINVAL, "rating_overflow", "gross",
                            "毛保费超出可表示的范围 / the gross premium is out of range");
    return CY_OK;
}

cy_status_t
pricing_pro_rata(int64_t annual, int64_t days, int64_t days_total, int64_t *out, cy_error_t *err)
{
    if (days_total <= 0 || days < 0 || days > days_total)
        return cy_error_set(err, CY_EINVAL, "pricing_days", "days",
                            "按日比例的天数应在 0 到 %" PRId64 " 之间 / pro-rata days must be "
                            "from 0 to %" PRId64,
                            days_total, days_total);
    /* exact: |annual| < 2^63 and days ≤ 366·k, so the product fits 128 bits */
    __int128 num = (__int128)annual * days;
    __int128 q = num / days_total, r = num % days_total;
    if (r < 0)
        r = -r;
    if (2 * r >= days_total)
        q += num < 0 ? -1 : 1;
    *out = (int64_t)q;
    return CY_OK;
}

double
pricing_claim_free_credit(const pricing_credit_step_t *steps, size_t n, int years)
{
    double c = 0.0;
    for (size_t i = 0; i < n; i++)
        if (years >= steps[i].years)
            c = steps[i].credit;
    return c;
}

/* ISO 7064 MOD 97-10 over a string of digits: the two check digits 98 − (N × 100 mod 97). */
static int
mod97_check(const char *digits)
{
    unsigned r = 0;
    for (const char *p = digits; *p; p++)
        r = (r * 10 + (unsigned)(*p - '0')) % 97;
    r = (r * 100) % 97;
    return (int)(98 - r);
}

cy_status_t
policyno_format(const char *prefix, int year, int64_t insurer_id, int64_t seq, char *buf,
                size_t cap, cy_error_t *err)
{
    size_t n = prefix ? strlen(prefix) : 0;
    int ok = n >= 1 && n <= 8;
    for (size_t i = 0; ok && i < n; i++)
        ok = prefix[i] >= 'A' && prefix[i] <= 'Z';
    if (!ok)
        return cy_error_set(err, CY_EINVAL, "policyno_prefix", "prefix",
                            "保单号前缀应为 1–8 个大写字母 / the policy number prefix must be 1–8 "
                            "capital letters");
    if (year < 1000 || year > 9999 || insurer_id < 1 || insurer_id > 999999 || seq < 1 ||
        seq > 999999)
        return cy_error_set(
            err, CY_EINVAL, "policyno_range", "seq",
            "保单号的年份、机构号或序号超出范围 / the policy number's year, insurer or "
            "sequence is out of range");
    char digits[32];
    snprintf(digits, sizeof digits, "%04d%06" PRId64 "%06" PRId64, year, insurer_id, seq);
    int check = mod97_check(digits);
    int w = snprintf(buf, cap, "%s-%04d-%06" PRId64 "-%06" PRId64 "-%02d", prefix, year, insurer_id,
                     seq, check);
    if (w < 0 || (size_t)w >= cap)
        return cy_error_set(err, CY_EINVAL, "policyno_buffer", NULL,
                            "保单号缓冲区太小 / the policy number buffer is too small");
    return CY_OK;
}

int
policyno_check(const char *s)
{
    if (s == NULL)
        return 0;
    const char *p = s;
    size_t n = 0;
    while (p[n] >= 'A' && p[n] <= 'Z')
        n++;
    if (n < 1 || n > 8 || p[n] != '-')
        return 0;
    p += n + 1;
    static const int widths[] = {4, 6, 6, 2};
    char digits[32];
    size_t nd = 0;
    int check = -1;
    for (int part = 0; part < 4; part++) {
        for (int k = 0; k < widths[part]; k++)
            if (!isdigit((unsigned char)p[k]))
                return 0;
        if (part < 3) {
            memcpy(digits + nd, p, (size_t)widths[part]);
            nd += (size_t)widths[part];
        } else {
            check = (p[0] - '0') * 10 + (p[1] - '0');
        }
        p += widths[part];
        if (part < 3 && *p++ != '-')
            return 0;
    }
    if (*p != '\0')
        return 0;
    digits[nd] = '\0';
    return mod97_check(digits) == check;
}

static int
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* UTC second of 00:00 Beijing on y-m-d (valid date). */
static int64_t
bj_midnight(int y, int m, int d)
{
    /* end of the previous day + 1 second: bjtime_end_of_day knows the calendar */
    return bjtime_end_of_day(y, m, d) - 86399;
}

cy_status_t
pricing_period(int y, int m, int d, int64_t *start_utc, int64_t *end_utc, cy_error_t *err)
{
    if (y < 1900 || y > 9998 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return cy_error_set(err, CY_EINVAL, "date_invalid", "start_date",
                            "起保日期无效 / the start date is not a valid date");
    *start_utc = bj_midnight(y, m, d);
    int ey = y + 1, em = m, ed = d;
    if (m == 2 && d == 29) { /* no 29 February next year: the day after 28 February */
        em = 3;
        ed = 1;
    }
    *end_utc = bj_midnight(ey, em, ed);
    return CY_OK;
}

int64_t
pricing_days(int64_t a_utc, int64_t b_utc)
{
    return (b_utc - a_utc) / 86400;
}
