/*
 * jsonw.c — the JSON text writer of jsonw.h. Reals: printf's "%.{p}g" is
 * exact (the binary value correctly rounded to p digits, ties to even) and
 * slow; here the same digits come from exact integer arithmetic: a double
 * is m·2^e with m < 2^53, so x·10^k is the fraction A/B of two 128-bit
 * integers for the exponents a quote's numbers take, and its quotient and
 * remainder round it exactly. Outside that range (|x| < 1e-13 or ≥ 1e21,
 * which no breakdown holds) it asks snprintf. Depends on nothing but libc.
 */
#include "app/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

/* Room for n more bytes and the NUL: grown by doubling (w->oom when it cannot). */
static int
room(jsonw_t *w, size_t n)
{
    if (w->oom)
        return 0;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->n + n + 1)
        cap *= 2;
    char *t = realloc(w->s, cap);
    if (t == NULL) {
        w->oom = 1;
        return 0;
    }
    w->s = t;
    w->cap = cap;
    return 1;
}

/* the common case inline: the text fits (a breakdown is thousands of small puts) */
static inline void
put(jsonw_t *w, const char *s, size_t n)
{
    if ((w->n + n + 1 > w->cap || w->oom) && !room(w, n))
        return;
    memcpy(w->s + w->n, s, n);
    w->n += n;
}

static inline void
put_c(jsonw_t *w, char c)
{
    if ((w->n + 2 > w->cap || w->oom) && !room(w, 1))
        return;
    w->s[w->n++] = c;
}

/* Before a value or a key: the comma that separates it from the one before. */
static void
next(jsonw_t *w)
{
    if (w->comma)
        put_c(w, ',');
    w->comma = 1;
}

void
jsonw_init(jsonw_t *w, int precision)
{
    memset(w, 0, sizeof *w);
    w->precision = precision < 1 ? 17 : precision > 17 ? 17 : precision;
}

void
jsonw_open(jsonw_t *w, char bracket)
{
    next(w);
    put_c(w, bracket);
    w->comma = 0;
}

void
jsonw_close(jsonw_t *w, char bracket)
{
    put_c(w, bracket);
    w->comma = 1;
}

/* Whether one of the 8 bytes at p is below 0x20, '"' or '\\' (a zero byte of x ^ c has the
   borrow of the subtraction set in its high bit, and no byte of x without it does). */
static inline int
needs_escape8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
    uint64_t below = (x - ones * 0x20) & ~x;
    uint64_t zq = (quote - ones) & ~quote, zs = (slash - ones) & ~slash;
    return ((below | zq | zs) & high) != 0;
}

/* s (n bytes) as jansson's dump_string writes it without JSON_ENSURE_ASCII. */
static void
put_string(jsonw_t *w, const char *s, size_t n)
{
    put_c(w, '"');
    size_t run = 0; /* bytes to copy as they are */
    for (size_t i = 0; i < n; i++) {
        /* eight bytes at a time while none of them needs escaping */
        while (i + 8 <= n && !needs_escape8(s + i)) {
            i += 8;
            run += 8;
        }
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        put(w, s + i - run, run);
        run = 0;
        char esc[8];
        switch (c) {
        case '"':
            put(w, "\\\"", 2);
            break;
        case '\\':
            put(w, "\\\\", 2);
            break;
        case '\b':
            put(w, "\\b", 2);
            break;
        case '\f':
            put(w, "\\f", 2);
            break;
        case '\n':
            put(w, "\\n", 2);
            break;
        case '\r':
            put(w, "\\r", 2);
            break;
        case '\t':
            put(w, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(w, esc, 6);
        }
    }
    put(w, s + n - run, run);
    put_c(w, '"');
}

void
jsonw_key(jsonw_t *w, const char *key)
{
    next(w);
    put_string(w, key, strlen(key));
    put_c(w, ':');
    w->comma = 0;
}

void
jsonw_str(jsonw_t *w, const char *s)
{
    jsonw_strn(w, s, s ? strlen(s) : 0);
}

void
jsonw_strn(jsonw_t *w, const char *s, size_t n)
{
    if (s == NULL) { /* as json_pack refuses a NULL string: no document */
        w->oom = 1;
        return;
    }
    next(w);
    put_string(w, s, n);
}

void
jsonw_int(jsonw_t *w, int64_t v)
{
    char buf[24], *p = buf + sizeof buf;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    next(w);
    put(w, p, (size_t)(buf + sizeof buf - p));
}

void
jsonw_real(jsonw_t *w, double x)
{
    if (!isfinite(x)) {
        jsonw_null(w);
        return;
    }
    char buf[32];
    size_t k = jsonw_real_text(x, w->precision, buf);
    next(w);
    put(w, buf, k);
}

void
jsonw_bool(jsonw_t *w, int b)
{
    next(w);
    put(w, b ? "true" : "false", b ? 4 : 5);
}

void
jsonw_null(jsonw_t *w)
{
    next(w);
    put(w, "null", 4);
}

void
jsonw_raw(jsonw_t *w, const char *json)
{
    next(w);
    put(w, json, strlen(json));
}

void
jsonw_kint(jsonw_t *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    jsonw_int(w, v);
}

void
jsonw_kreal(jsonw_t *w, const char *key, double x)
{
    jsonw_key(w, key);
    jsonw_real(w, x);
}

void
jsonw_kstr(jsonw_t *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_str(w, s);
}

void
jsonw_kbool(jsonw_t *w, const char *key, int b)
{
    jsonw_key(w, key);
    jsonw_bool(w, b);
}

char *
jsonw_finish(jsonw_t *w)
{
    put(w, "", 0);
    if (w->oom) {
        free(w->s);
        w->s = NULL;
        return NULL;
    }
    w->s[w->n] = '\0';
    char *s = w->s;
    w->s = NULL;
    return s;
}

/* ---------- reals ---------- */

static const uint64_t POW10[20] = {1ULL,
                                   10ULL,
                                   100ULL,
                                   1000ULL,
                                   10000ULL,
                                   100000ULL,
                                   1000000ULL,
                                   10000000ULL,
                                   100000000ULL,
                                   1000000000ULL,
                                   10000000000ULL,
                                   100000000000ULL,
                                   1000000000000ULL,
                                   10000000000000ULL,
                                   100000000000000ULL,
                                   1000000000000000ULL,
                                   10000000000000000ULL,
                                   100000000000000000ULL,
                                   1000000000000000000ULL,
                                   10000000000000000000ULL};

static u128
pow10_128(int k)
{
    return k < 20 ? (u128)POW10[k] : (u128)POW10[19] * POW10[k - 19];
}

/* 5^k for k ≤ 27 (below 2^63) */
static const uint64_t POW5[28] = {1ULL,
                                  5ULL,
                                  25ULL,
                                  125ULL,
                                  625ULL,
                                  3125ULL,
                                  15625ULL,
                                  78125ULL,
                                  390625ULL,
                                  1953125ULL,
                                  9765625ULL,
                                  48828125ULL,
                                  244140625ULL,
                                  1220703125ULL,
                                  6103515625ULL,
                                  30517578125ULL,
                                  152587890625ULL,
                                  762939453125ULL,
                                  3814697265625ULL,
                                  19073486328125ULL,
                                  95367431640625ULL,
                                  476837158203125ULL,
                                  2384185791015625ULL,
                                  11920928955078125ULL,
                                  59604644775390625ULL,
                                  298023223876953125ULL,
                                  1490116119384765625ULL,
                                  7450580596923828125ULL};

/*
 * The p digits of v > 0 rounded, as an integer q (10^(p-1) ≤ q < 10^p),
 * and its decimal exponent *ex (v ≈ q·10^(ex-p+1)); 0 when v is outside
 * what 128 bits hold exactly (then the caller asks printf).
 */
static int
digits(double v, int p, uint64_t *q, int *ex)
{
    if (!(v >= 1e-13 && v < 1e21))
        return 0;
    int e2;
    double f = frexp(v, &e2); /* v = f·2^e2, 0.5 ≤ f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int e = e2 - 53; /* v = m·2^e exactly */
    int ex10 = (int)floor(log10(v));
    for (int tries = 0; tries < 3; tries++) {
        int k = p - 1 - ex10; /* v·10^k has p digits before the point */
        if (k > 27 || k < -20)
            return 0;
        u128 a, b;
        if (k >= 0) {
            a = (u128)m * POW5[k];
            int s = e + k; /* v·10^k = m·5^k·2^(e+k) */
            if (s >= 0) {
                if (s > 10)
                    return 0;
                a <<= s;
                b = 1;
            } else {
                if (-s > 126)
                    return 0;
                b = (u128)1 << -s;
            }
        } else {
            a = m;
            b = pow10_128(-k);
            if (e >= 0) {
                if (e > 60)
                    return 0;
                a <<= e;
            } else {
                if (-e > 56)
                    return 0;
                b <<= -e;
            }
        }
        u128 whole = a / b, rem = a % b;
        if (whole >= POW10[p]) {
            ex10++;
            continue;
        }
        if (whole < POW10[p - 1]) {
            ex10--;
            continue;
        }
        /* round half to even, as printf does in the default rounding mode */
        if (2 * rem > b || (2 * rem == b && (whole & 1)))
            whole++;
        if (whole == POW10[p]) {
            whole = POW10[p - 1];
            ex10++;
        }
        *q = (uint64_t)whole;
        *ex = ex10;
        return 1;
    }
    return 0;
}

/* "%.{p}g" of v ≥ 0 from its digits: the fixed or the exponent form, trailing zeros dropped. */
static size_t
g_text(uint64_t q, int p, int ex, char *out)
{
    char d[20];
    for (int i = p - 1; i >= 0; i--, q /= 10)
        d[i] = (char)('0' + q % 10);
    int nd = p;
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    size_t n = 0;
    if (ex < -4 || ex >= p) {
        out[n++] = d[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, d + 1, (size_t)nd - 1);
            n += (size_t)nd - 1;
        }
        n += (size_t)sprintf(out + n, "e%c%02d", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
    } else if (ex >= 0) {
        int whole = ex + 1;
        memcpy(out + n, d, (size_t)whole);
        n += (size_t)whole;
        if (nd > whole) {
            out[n++] = '.';
            memcpy(out + n, d + whole, (size_t)(nd - whole));
            n += (size_t)(nd - whole);
        }
    } else {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = 0; i < -ex - 1; i++)
            out[n++] = '0';
        memcpy(out + n, d, (size_t)nd);
        n += (size_t)nd;
    }
    out[n] = '\0';
    return n;
}

/* jansson's touches on printf's text: ".0" on an integer-looking real; "e+05" as "e5". */
static size_t
jansson_touch(char *buf, size_t n)
{
    if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
        memcpy(buf + n, ".0", 3);
        return n + 2;
    }
    char *e = strchr(buf, 'e');
    if (e != NULL) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, n - (size_t)(end - buf) + 1);
            n -= (size_t)(end - start);
        }
    }
    return n;
}

size_t
jsonw_real_text(double x, int precision, char buf[32])
{
    int p = precision < 1 ? 17 : precision > 17 ? 17 : precision;
    size_t n = 0;
    uint64_t q;
    int ex;
    if (x == 0.0) {
        n = (size_t)sprintf(buf, "%s0", signbit(x) ? "-" : "");
    } else if (digits(fabs(x), p, &q, &ex)) {
        if (x < 0)
            buf[n++] = '-';
        n += g_text(q, p, ex, buf + n);
    } else {
        n = (size_t)snprintf(buf, 32, "%.*g", p, x);
    }
    return jansson_touch(buf, n);
}
