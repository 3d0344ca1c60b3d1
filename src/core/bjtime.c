/*
 * bjtime.c — Beijing-time parsing and display over int64 UTC seconds, and
 * the deadline rule.
 *
 * Pure: libc and core/ only. Must never call localtime, mktime, timegm or
 * read TZ: the result would depend on how each server is set up. Beijing
 * time is a fixed UTC+8 here; the 1986–1991 summer time is out of scope
 * (no record of this platform predates it).
 */
#include "core/bjtime.h"

#include <stddef.h>
#include <string.h>

#define BJTIME_DAY 86400

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": days since 1970-01-01. */
static int64_t
bjtime_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
bjtime_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int
bjtime_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
bjtime_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && bjtime_is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n ASCII digits (isdigit would follow the locale). */
static int
bjtime_digits(const char **p, int n, int *val)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *val = v;
    return 1;
}

static cy_status_t
bjtime_bad_format(cy_error_t *err)
{
    return cy_error_set(err, CY_EINVAL, "time_format", NULL,
                        "时间格式无效，应为 YYYY-MM-DD、YYYY-MM-DD HH:MM[:SS] 或带时区的 ISO 8601"
                        "（如 2024-01-28T09:30:00Z、2024-01-28T17:30:00+08:00） / "
                        "not a time: write YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] or ISO 8601 with an "
                        "offset (e.g. 2024-01-28T09:30:00Z, 2024-01-28T17:30:00+08:00)");
}

cy_status_t
bjtime_parse(const char *s, int64_t *utc, cy_error_t *err)
{
    if (utc != NULL)
        *utc = 0;
    if (s == NULL)
        return bjtime_bad_format(err);

    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int offset = BJTIME_OFFSET;
    if (!bjtime_digits(&p, 4, &y) || *p++ != '-' || !bjtime_digits(&p, 2, &mo) || *p++ != '-' ||
        !bjtime_digits(&p, 2, &d))
        return bjtime_bad_format(err);
    if (*p != '\0') {
        if (*p != ' ' && *p != 'T' && *p != 't')
            return bjtime_bad_format(err);
        p++;
        if (!bjtime_digits(&p, 2, &h) || *p++ != ':' || !bjtime_digits(&p, 2, &mi))
            return bjtime_bad_format(err);
        if (*p == ':') {
            p++;
            if (!bjtime_digits(&p, 2, &sec))
                return bjtime_bad_format(err);
            if (*p == '.') {
                /* JavaScript's toISOString() sends milliseconds; storage keeps whole seconds */
                const char *f = ++p;
                while (*p >= '0' && *p <= '9' && p - f < 9)
                    p++;
                if (p == f)
                    return bjtime_bad_format(err);
            }
        }
        if (*p == 'Z' || *p == 'z') {
            offset = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            char sign = *p++;
            int oh, om;
            if (!bjtime_digits(&p, 2, &oh) || *p++ != ':' || !bjtime_digits(&p, 2, &om))
                return bjtime_bad_format(err);
            if (oh > 23 || om > 59)
                return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                                    "时区偏移 %c%02d:%02d 无效（小时应为 00–23，分钟应为 00–59） / "
                                    "offset %c%02d:%02d is out of range (hours 00–23, minutes "
                                    "00–59)",
                                    sign, oh, om, sign, oh, om);
            offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        }
        if (*p != '\0')
            return bjtime_bad_format(err);
    }

    if (y < 1900)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "年份 %d 超出范围（应为 1900–9999） / year %d is outside 1900–9999", y,
                            y);
    if (mo < 1 || mo > 12)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "月份 %d 无效（应为 1–12） / month %d is not 1–12", mo, mo);
    int dim = bjtime_days_in_month(y, mo);
    if (d < 1 || d > dim)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "%d 年 %d 月没有 %d 日（该月有 %d 天） / "
                            "%04d-%02d has no day %d (it has %d days)",
                            y, mo, d, dim, y, mo, d, dim);
    if (h > 23)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "小时 %d 无效（应为 0–23） / hour %d is not 0–23", h, h);
    if (mi > 59)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "分钟 %d 无效（应为 0–59） / minute %d is not 0–59", mi, mi);
    /* 60 is a leap second: UTC seconds since the epoch cannot name it */
    if (sec > 59)
        return cy_error_set(err, CY_EINVAL, "time_invalid", NULL,
                            "秒 %d 无效（应为 0–59） / second %d is not 0–59", sec, sec);

    if (utc != NULL)
        *utc = bjtime_days_from_civil(y, mo, d) * BJTIME_DAY + h * 3600 + mi * 60 + sec - offset;
    return CY_OK;
}

static char *
bjtime_put(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + width;
}

/*
 * Write the civil date and time of utc shifted by offset as
 * YYYY-MM-DD<sep>HH:MM:SS<tail>; with_time = 0 stops after the date.
 */
static void
bjtime_write(int64_t utc, int offset, int with_time, char sep, const char *tail, char *buf)
{
    /* floor division first, so the shift never overflows near INT64_MAX */
    int64_t days = utc / BJTIME_DAY;
    int64_t secs = utc % BJTIME_DAY;
    if (secs < 0) {
        secs += BJTIME_DAY;
        days--;
    }
    secs += offset;
    if (secs >= BJTIME_DAY) {
        secs -= BJTIME_DAY;
        days++;
    }
    int64_t y;
    int m, d;
    bjtime_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        y = m = d = 0;
        secs = 0;
    }
    char *p = buf;
    p = bjtime_put(p, y, 4);
    *p++ = '-';
    p = bjtime_put(p, m, 2);
    *p++ = '-';
    p = bjtime_put(p, d, 2);
    if (with_time) {
        *p++ = sep;
        p = bjtime_put(p, secs / 3600, 2);
        *p++ = ':';
        p = bjtime_put(p, secs / 60 % 60, 2);
        *p++ = ':';
        p = bjtime_put(p, secs % 60, 2);
        size_t n = strlen(tail);
        memcpy(p, tail, n);
        p += n;
    }
    *p = '\0';
}

void
bjtime_format(int64_t utc, char buf[32])
{
    bjtime_write(utc, BJTIME_OFFSET, 1, ' ', "", buf);
}

void
bjtime_format_date(int64_t utc, char buf[16])
{
    bjtime_write(utc, BJTIME_OFFSET, 0, ' ', "", buf);
}

void
utc_format_iso(int64_t utc, char buf[32])
{
    bjtime_write(utc, 0, 1, 'T', "Z", buf);
}

/*
 * "于2024年1月28日前报送" in a Chinese official notice means the material
 * must have arrived by the close of that day, not by its first second: the
 * day named is the last day allowed. So the deadline instant is 23:59:59
 * Beijing time of that day, and bjtime_is_late treats that second as on time.
 */
int64_t
bjtime_end_of_day(int y, int m, int d)
{
    return bjtime_days_from_civil(y, m, d) * BJTIME_DAY + (BJTIME_DAY - 1) - BJTIME_OFFSET;
}

int
bjtime_is_late(int64_t receipt_utc, int64_t deadline_utc)
{
    return receipt_utc > deadline_utc;
}
