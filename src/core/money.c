/*
 * money.c — int64_t 分 (fen) parsing, formatting and checked arithmetic.
 *
 * Pure: libc and core/ only. Must never hold an amount in floating point:
 * the single place a double enters (a rate) is money_mul_rate, which rounds
 * once and returns fen. Must never depend on a locale.
 */
#include "core/money.h"

#include <math.h>
#include <string.h>

#define MONEY_YEN_HALF "\xC2\xA5" /* ¥ U+00A5 YEN SIGN, what money_format writes */
#define MONEY_YEN_FULL                                                                             \
    "\xEF\xBF\xA5" /* ￥ U+FFE5 FULLWIDTH YEN SIGN, what Chinese input methods type */

static const char *
money_field(const char *field)
{
    return field != NULL && field[0] != '\0' ? field : "amount";
}

/* What money_parse read of an amount's digits, before judging it. */
typedef struct {
    uint64_t yuan, cents;
    size_t digits, decimals; /* size_t: a pasted megabyte of digits must not wrap */
    int too_big, bad_group, bad_syntax;
} money_scan_t;

/*
 * Scans the whole syntax at p (after the sign and the yen sign) before the
 * magnitude is judged, so "1,23" says grouping and "99999999999999999999x"
 * says syntax, not overflow.
 */
static void
money_scan(const char *p, money_scan_t *m)
{
    memset(m, 0, sizeof *m);
    size_t group = 0;
    int grouped = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (m->yuan > (UINT64_MAX - 9) / 10)
                m->too_big = 1;
            else
                m->yuan = m->yuan * 10 + (uint64_t)(*p - '0');
            m->digits++;
            group++;
        } else if (*p == ',') {
            /* the first group holds 1–3 digits, every later one exactly 3 */
            if (m->digits == 0)
                break;
            if (group == 0 || (grouped ? group != 3 : group > 3))
                m->bad_group = 1;
            grouped = 1;
            group = 0;
        } else {
            break;
        }
    }
    if (grouped && group != 3)
        m->bad_group = 1;
    m->bad_syntax = m->digits == 0;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, m->decimals++)
            if (m->decimals < 2)
                m->cents = m->cents * 10 + (uint64_t)(*p - '0');
        if (m->decimals == 0)
            m->bad_syntax = 1;
    }
    if (*p != '\0')
        m->bad_syntax = 1;
    if (m->decimals == 1)
        m->cents *= 10;
}

cy_status_t
money_parse(const char *s, const char *field, int64_t *fen, cy_error_t *err)
{
    const char *f = money_field(field);
    if (fen != NULL)
        *fen = 0;
    if (s == NULL || s[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "money_empty", f,
                            "金额（%s）不能为空 / %s: amount is empty", f, f);

    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (strncmp(p, MONEY_YEN_HALF, 2) == 0)
        p += 2;
    else if (strncmp(p, MONEY_YEN_FULL, 3) == 0)
        p += 3;
    money_scan_t m;
    money_scan(p, &m);
    if (m.bad_syntax)
        return cy_error_set(err, CY_EINVAL, "money_syntax", f,
                            "金额（%s）格式无效，应写作如 1234.56、1,234.56 或 ¥1,234.56 / "
                            "%s: not an amount; write e.g. 1234.56, 1,234.56 or ¥1,234.56",
                            f, f);
    if (m.bad_group)
        return cy_error_set(err, CY_EINVAL, "money_grouping", f,
                            "金额（%s）的千分位逗号应每三位一组，如 1,234,567.89 / "
                            "%s: thousands separators must group exactly three digits, e.g. "
                            "1,234,567.89",
                            f, f);
    if (m.decimals > 2)
        return cy_error_set(err, CY_EINVAL, "money_precision", f,
                            "金额（%s）最多两位小数（精确到分），实际有 %zu 位 / "
                            "%s: at most two decimal places (fen), found %zu",
                            f, m.decimals, f, m.decimals);

    /* a negative amount reaches one fen further: INT64_MIN has no positive twin */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (m.too_big || m.yuan > (limit - m.cents) / 100)
        return cy_error_set(
            err, CY_EINVAL, "money_overflow", f,
            "金额（%s）超出可表示的范围（绝对值不超过 92,233,720,368,547,758.07 元）"
            " / %s: amount out of range (at most 92,233,720,368,547,758.07 yuan)",
            f, f);
    uint64_t mag = m.yuan * 100 + m.cents;
    if (fen != NULL)
        *fen = !neg ? (int64_t)mag : mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    return CY_OK;
}

int
money_format(int64_t fen, char *buf, size_t cap)
{
    char tmp[MONEY_FORMAT_MAX];
    /* built right to left; the magnitude is unsigned so INT64_MIN needs no special case */
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *p = tmp + sizeof tmp;
    *--p = '\0';
    *--p = (char)('0' + mag % 10);
    *--p = (char)('0' + mag / 10 % 10);
    *--p = '.';
    uint64_t yuan = mag / 100;
    int n = 0;
    do {
        if (n > 0 && n % 3 == 0)
            *--p = ',';
        *--p = (char)('0' + yuan % 10);
        yuan /= 10;
        n++;
    } while (yuan > 0);
    p -= 2;
    memcpy(p, MONEY_YEN_HALF, 2);
    if (fen < 0)
        *--p = '-';

    size_t len = (size_t)(tmp + sizeof tmp - 1 - p);
    if (buf == NULL || cap < len + 1) {
        if (buf != NULL && cap > 0)
            buf[0] = '\0';
        return -1;
    }
    memcpy(buf, p, len + 1);
    return (int)len;
}

static cy_status_t
money_overflow(cy_error_t *err)
{
    return cy_error_set(
        err, CY_EINVAL, "money_overflow", NULL,
        "金额计算结果超出可表示的范围（绝对值不超过 92,233,720,368,547,758.07 元） / "
        "amount out of range after calculation (at most 92,233,720,368,547,758.07 "
        "yuan)");
}

cy_status_t
money_add(int64_t a, int64_t b, int64_t *out, cy_error_t *err)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return money_overflow(err);
    *out = a + b;
    return CY_OK;
}

cy_status_t
money_sub(int64_t a, int64_t b, int64_t *out, cy_error_t *err)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return money_overflow(err);
    *out = a - b;
    return CY_OK;
}

/*
 * Rates are typed as decimals (0.3, 1.005) but held as doubles, so 5 × 0.3
 * comes out as 1.4999999999999999445 and would round to 1 where anyone
 * checking by hand gets 2. A product within a few double ulps of a half is
 * therefore taken as the exact half the decimal rate meant. Only while that
 * window is far below a fen: for products beyond about 2^41 fen (¥20 billion)
 * a double cannot tell .4 from .5 anyway, and the plain product is rounded.
 */
#define MONEY_HALF_ULPS  0x1p-51L
#define MONEY_HALF_LIMIT 0x1p-10L

cy_status_t
money_mul_rate(int64_t fen, double rate, int64_t *out, cy_error_t *err)
{
    if (isnan(rate) || isinf(rate))
        return cy_error_set(err, CY_EINVAL, "money_rate", "rate",
                            "费率不是有限的数 / the rate is not a finite number");
    long double p = (long double)fen * (long double)rate;
    if (p >= 0x1p63L || p < -0x1p63L)
        return money_overflow(err);
    int64_t whole = (int64_t)p; /* truncates toward zero; in range by the test above */
    long double frac = p - (long double)whole;
    long double abs_p = p < 0 ? -p : p;
    long double abs_frac = frac < 0 ? -frac : frac;
    long double window = abs_p * MONEY_HALF_ULPS;
    long double dist = abs_frac - 0.5L;
    if (dist < 0)
        dist = -dist;
    int away = abs_frac >= 0.5L || (window < MONEY_HALF_LIMIT && dist <= window);
    if (away && frac > 0) {
        if (whole == INT64_MAX)
            return money_overflow(err);
        whole++;
    } else if (away && frac < 0) {
        if (whole == INT64_MIN)
            return money_overflow(err);
        whole--;
    }
    *out = whole;
    return CY_OK;
}
