/*
 * test_jsonw.c — app/jsonw.h writes what jansson writes: every real, at the
 * precisions the project uses (12, 15) and jansson's default (17), against
 * json_dumps of the same json_real — random doubles over the whole range a
 * breakdown can hold and far beyond it, powers of ten and their neighbours,
 * exact halfway cases (ties go to even), integers, negative zero; every
 * byte of a string (escapes, UTF-8 passed through); and whole documents
 * built both ways. jansson is the independent computation here: the
 * breakdown used to be json_pack + json_dumps, and must not change a byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cytest.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jsonw.h"

static const int PRECISIONS[] = {12, 15, 17};

/* jansson's text of the real x at precision p. */
static void
jansson_real(double x, int p, char *out, size_t cap)
{
    json_t *j = json_real(x);
    char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(p));
    snprintf(out, cap, "%s", s);
    free(s);
    json_decref(j);
}

static int
same_real(double x)
{
    for (size_t i = 0; i < sizeof PRECISIONS / sizeof *PRECISIONS; i++) {
        char mine[32], theirs[64];
        jsonw_real_text(x, PRECISIONS[i], mine);
        jansson_real(x, PRECISIONS[i], theirs, sizeof theirs);
        if (strcmp(mine, theirs) != 0) {
            print_error("%.17g at precision %d: jsonw %s, jansson %s\n", x, PRECISIONS[i], mine,
                        theirs);
            return 0;
        }
    }
    return 1;
}

/* xorshift64*: a fixed sequence, so a failure repeats */
static uint64_t rng = 88172645463325252ULL;
static uint64_t
next_u64(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ULL;
}

CY_TEST(test_random_reals_match_jansson)
{
    (void)state;
    for (int i = 0; i < 60000; i++) {
        /* a random mantissa at a random binary exponent: 1e-18 .. 1e24 */
        double m = (double)(next_u64() >> 11) / 9007199254740992.0 + 0.5;
        int e = (int)(next_u64() % 140) - 60;
        double x = ldexp(m, e);
        if (next_u64() & 1)
            x = -x;
        assert_true(same_real(x));
    }
}

CY_TEST(test_breakdown_like_reals_match_jansson)
{
    (void)state;
    /* rates, shares, frequencies and exact premiums as a breakdown holds them */
    for (int i = 0; i < 30000; i++) {
        double u = (double)(next_u64() >> 11) / 9007199254740992.0;
        assert_true(same_real(u));                     /* a share, a rate */
        assert_true(same_real(u * u * 0.05));          /* a frequency */
        assert_true(same_real(exp(u * 30.0) * 100.0)); /* an exact premium in fen */
        assert_true(same_real(floor(u * 1e6) / 1e4));  /* few decimals */
    }
}

CY_TEST(test_edges_match_jansson)
{
    (void)state;
    assert_true(same_real(0.0));
    assert_true(same_real(-0.0));
    char buf[32];
    jsonw_real_text(-0.0, 15, buf);
    assert_string_equal(buf, "-0.0");
    jsonw_real_text(1.0, 15, buf);
    assert_string_equal(buf, "1.0");
    jsonw_real_text(1e21, 15, buf);
    assert_string_equal(buf, "1e21");
    jsonw_real_text(0.00001234, 12, buf);
    assert_string_equal(buf, "1.234e-5");
    for (int k = -20; k <= 25; k++) {
        double p = pow(10.0, k);
        assert_true(same_real(p));
        assert_true(same_real(nextafter(p, 0.0)));
        assert_true(same_real(nextafter(p, INFINITY)));
        /* 9.99…95 rounds up into the next power of ten */
        assert_true(same_real(p * 9.9999999999999995));
        assert_true(same_real(p * 0.99999999999995));
    }
    /* exact ties at 12, 15 and 17 digits: to even, as printf */
    for (int64_t n = 1; n < 4000; n += 7) {
        assert_true(same_real((double)n + 0.5));
        assert_true(same_real(((double)n + 0.5) * 1e12));
        assert_true(same_real(0.5 + (double)n * 1e11));
        assert_true(same_real((double)n * 0.125));
        assert_true(same_real(ldexp((double)(2 * n + 1), -1) + 1e14));
    }
    for (int64_t n = 1; n < 100000; n *= 3)
        assert_true(same_real((double)n));
    assert_true(same_real(4503599627370495.5));
    assert_true(same_real(9007199254740993.0));
    assert_true(same_real(123456789012.5));
    assert_true(same_real(1234567890123.5));
    assert_true(same_real(5e-324)); /* outside the exact range: printf's own answer */
    assert_true(same_real(1.7976931348623157e308));
}

/* One document built by jansson and by jsonw, with every kind of value. */
CY_TEST(test_documents_match_jansson)
{
    (void)state;
    char s[256];
    for (int c = 0; c < 256; c++)
        s[c] = (char)(c == 0 ? 'x' : c); /* every byte but NUL; 0x80.. make invalid UTF-8 */
    const char *text[] = {"保险", "a\"b\\c/d",      "\x01\x1f\x7f", "tab\there\r\n\b\f",
                          "",     "€ 𝄞 combining é"};
    for (int round = 0; round < 200; round++) {
        json_t *j = json_object(), *arr = json_array();
        jsonw_t w;
        int p = PRECISIONS[round % 3];
        jsonw_init(&w, p);
        jsonw_open(&w, '{');
        for (int i = 0; i < 6; i++) {
            const char *t = text[(size_t)(round + i) % (sizeof text / sizeof *text)];
            char key[16];
            snprintf(key, sizeof key, "k%d", i);
            double x = ldexp((double)(next_u64() >> 11), (int)(next_u64() % 80) - 70);
            int64_t v = (int64_t)next_u64();
            json_object_set_new(j, key,
                                json_pack("{s:s, s:f, s:I, s:b, s:n}", "t", t, "x", x, "v",
                                          (json_int_t)v, "b", i & 1, "n"));
            jsonw_key(&w, key);
            jsonw_open(&w, '{');
            jsonw_key(&w, "t");
            jsonw_str(&w, t);
            jsonw_key(&w, "x");
            jsonw_real(&w, x);
            jsonw_key(&w, "v");
            jsonw_int(&w, v);
            jsonw_key(&w, "b");
            jsonw_bool(&w, i & 1);
            jsonw_key(&w, "n");
            jsonw_null(&w);
            jsonw_close(&w, '}');
            json_array_append_new(arr, json_real(-x));
            json_array_append_new(arr, json_stringn_nocheck(s + 1, 127)); /* ASCII controls */
        }
        json_object_set_new(j, "list", arr);
        json_object_set_new(j, "empty", json_array());
        json_object_set_new(j, "inf",
                            json_null()); /* what jsonw writes for a rate that is not finite */
        jsonw_key(&w, "list");
        jsonw_open(&w, '[');
        for (size_t i = 0; i < json_array_size(arr); i++) {
            json_t *e = json_array_get(arr, i);
            if (json_is_real(e))
                jsonw_real(&w, json_real_value(e));
            else
                jsonw_strn(&w, json_string_value(e), json_string_length(e));
        }
        jsonw_close(&w, ']');
        jsonw_key(&w, "empty");
        jsonw_open(&w, '[');
        jsonw_close(&w, ']');
        jsonw_key(&w, "inf");
        jsonw_real(&w, INFINITY);
        jsonw_close(&w, '}');
        char *mine = jsonw_finish(&w);
        char *theirs = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(p));
        assert_non_null(mine);
        assert_string_equal(mine, theirs);
        free(mine);
        free(theirs);
        json_decref(j);
    }
}

CY_TEST(test_a_null_string_spoils_the_document_as_json_pack_does)
{
    (void)state;
    jsonw_t w;
    jsonw_init(&w, 15);
    jsonw_open(&w, '{');
    jsonw_key(&w, "a");
    jsonw_str(&w, NULL);
    jsonw_close(&w, '}');
    assert_null(jsonw_finish(&w));
}

/* Strings that escape at every offset of the 8-byte steps of the writer's scan, and none. */
CY_TEST(test_strings_escape_at_every_offset_as_jansson_does)
{
    (void)state;
    /* the bytes escaped, those next to them, and UTF-8 (jansson dumps only valid UTF-8) */
    static const char *const special[] = {"\x01", "\x08", "\x1f", " ",    "!", "\"", "#",
                                          "[",    "\\",   "]",    "\x7f", "é", "保", "𝄞"};
    char s[80];
    for (int round = 0; round < 20000; round++) {
        size_t want = (size_t)(next_u64() % 64), n = 0;
        while (n < want) {
            uint64_t r = next_u64();
            const char *add = r % 8 == 0 ? special[(r >> 8) % (sizeof special / sizeof *special)]
                                         : (const char[]){(char)('a' + (r >> 8) % 26), '\0'};
            size_t k = strlen(add);
            memcpy(s + n, add, k);
            n += k;
        }
        jsonw_t w;
        jsonw_init(&w, 15);
        jsonw_strn(&w, s, n);
        char *mine = jsonw_finish(&w);
        json_t *j = json_stringn(s, n);
        char *theirs = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
        assert_non_null(mine);
        assert_non_null(theirs);
        assert_string_equal(mine, theirs);
        free(mine);
        free(theirs);
        json_decref(j);
    }
}

/* A document written already (a stored breakdown) goes in as it is, as http_doc splices it. */
CY_TEST(test_a_raw_document_is_written_as_it_is)
{
    (void)state;
    json_t *doc = json_pack("{s:[i, f, s], s:{}}", "a", 1, 2.5, "保\"险", "b");
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_t *j = json_pack("{s:n, s:O, s:i}", "id", "breakdown", doc, "n", 7);
    char *theirs = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15));
    jsonw_t w;
    jsonw_init(&w, 15);
    jsonw_open(&w, '{');
    jsonw_key(&w, "id");
    jsonw_null(&w);
    jsonw_key(&w, "breakdown");
    jsonw_raw(&w, text);
    jsonw_kint(&w, "n", 7);
    jsonw_close(&w, '}');
    char *mine = jsonw_finish(&w);
    assert_string_equal(mine, theirs);
    assert_string_equal(
        mine, "{\"id\":null,\"breakdown\":{\"a\":[1,2.5,\"保\\\"险\"],\"b\":{}},\"n\":7}");
    free(mine);
    free(theirs);
    free(text);
    json_decref(j);
    json_decref(doc);
}
