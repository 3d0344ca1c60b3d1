/*
 * test_csv.c — the RFC 4180 reader in core/csv.c: quoting, line endings,
 * line numbers, and every refusal (unterminated quote, stray quote, NUL,
 * field over the caller's buffer, too many fields). Depends on cmocka and
 * core/ only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"

#include "core/csv.h"

/* A reader over a string literal with room for 8 fields of 256 bytes. */
typedef struct {
    csv_reader_t r;
    char scratch[256];
    csv_field_t fields[8];
    csv_row_t row;
    cy_error_t err;
} fixture_t;

static void
start(fixture_t *f, const char *text, size_t len, unsigned flags)
{
    memset(f, 0, sizeof *f);
    csv_reader_init(&f->r, text, len, flags);
    f->row.scratch = f->scratch;
    f->row.scratch_cap = sizeof f->scratch;
    f->row.fields = f->fields;
    f->row.max_fields = 8;
}

#define START(f, lit, flags) start((f), (lit), sizeof(lit) - 1, (flags))

/* Read one record and check its line and fields (NULL-terminated list). */
static void
expect_row(fixture_t *f, size_t line, ...)
{
    assert_int_equal(csv_next(&f->r, &f->row, &f->err), CY_OK);
    assert_int_equal(f->row.line, line);
    va_list ap;
    va_start(ap, line);
    size_t i = 0;
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
        assert_true(i < f->row.n_fields);
        assert_int_equal(f->fields[i].len, strlen(want));
        assert_memory_equal(f->fields[i].ptr, want, strlen(want) + 1);
    }
    va_end(ap);
    assert_int_equal(f->row.n_fields, i);
}

static void
expect_end(fixture_t *f)
{
    assert_int_equal(csv_next(&f->r, &f->row, &f->err), CY_OK);
    assert_int_equal(f->row.n_fields, 0);
}

/* Expect a refusal with this code and "line N" in the message. */
static void
expect_error(fixture_t *f, const char *code, size_t line)
{
    assert_int_equal(csv_next(&f->r, &f->row, &f->err), CY_EINVAL);
    assert_string_equal(f->err.code, code);
    char want_en[64], want_zh[64];
    snprintf(want_en, sizeof want_en, "line %zu:", line);
    snprintf(want_zh, sizeof want_zh, "第 %zu 行", line);
    assert_non_null(strstr(f->err.message, want_en));
    assert_non_null(strstr(f->err.message, want_zh));
    expect_end(f); /* a reader that failed stays at the end */
}

CY_TEST(test_csv_plain_rows_with_lf)
{
    (void)state;
    fixture_t f;
    START(&f, "code,name\n110000,北京市\n120000,天津市\n", 0);
    expect_row(&f, 1, "code", "name", NULL);
    expect_row(&f, 2, "110000", "北京市", NULL);
    expect_row(&f, 3, "120000", "天津市", NULL);
    expect_end(&f);
    expect_end(&f);
}

CY_TEST(test_csv_last_record_without_line_end)
{
    (void)state;
    fixture_t f;
    START(&f, "a,b\nc,d", 0);
    expect_row(&f, 1, "a", "b", NULL);
    expect_row(&f, 2, "c", "d", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_empty_input_has_no_record)
{
    (void)state;
    fixture_t f;
    START(&f, "", 0);
    expect_end(&f);
    START(&f, "\xEF\xBB\xBF", 0);
    expect_end(&f);
}

CY_TEST(test_csv_empty_fields)
{
    (void)state;
    fixture_t f;
    START(&f, ",,\nx,\n,y\n\"\",z\na,", 0);
    expect_row(&f, 1, "", "", "", NULL);
    expect_row(&f, 2, "x", "", NULL);
    expect_row(&f, 3, "", "y", NULL);
    expect_row(&f, 4, "", "z", NULL);
    expect_row(&f, 5, "a", "", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_quoted_fields_with_commas_quotes_and_newlines)
{
    (void)state;
    fixture_t f;
    START(&f,
          "\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\"\n"
          "\"\"\"\",plain,\"农、林、牧、渔业\"\n",
          0);
    expect_row(&f, 1, "a,b", "say \"hi\"", "line1\nline2", NULL);
    expect_row(&f, 3, "\"", "plain", "农、林、牧、渔业", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_crlf_and_lone_cr_line_endings)
{
    (void)state;
    fixture_t f;
    START(&f, "a,b\r\nc,d\r\n\"x\r\ny\",z\r\ne\rf,g\r", 0);
    expect_row(&f, 1, "a", "b", NULL);
    expect_row(&f, 2, "c", "d", NULL);
    expect_row(&f, 3, "x\r\ny", "z", NULL); /* CRLF inside quotes is data */
    expect_row(&f, 5, "e", NULL);
    expect_row(&f, 6, "f", "g", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_blank_lines_are_records_unless_skipped)
{
    (void)state;
    fixture_t f;
    START(&f, "a\n\nb\r\n\r\n", 0);
    expect_row(&f, 1, "a", NULL);
    expect_row(&f, 2, "", NULL);
    expect_row(&f, 3, "b", NULL);
    expect_row(&f, 4, "", NULL);
    expect_end(&f);

    START(&f, "a\n\nb\r\n\r\n\n", CSV_SKIP_BLANK);
    expect_row(&f, 1, "a", NULL);
    expect_row(&f, 3, "b", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_comment_lines_skip_with_flag)
{
    (void)state;
    fixture_t f;
    START(&f, "# source: x, \"y\r\n# version: 1\nh1,h2\n# inner\nv1,v2\n", CSV_SKIP_COMMENTS);
    expect_row(&f, 3, "h1", "h2", NULL);
    expect_row(&f, 5, "v1", "v2", NULL);
    expect_end(&f);

    /* without the flag a '#' line is data */
    START(&f, "#a,b\n", 0);
    expect_row(&f, 1, "#a", "b", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_hash_inside_a_record_is_data)
{
    (void)state;
    fixture_t f;
    START(&f, "a,#b\n\"#c\",d\n", CSV_SKIP_COMMENTS);
    expect_row(&f, 1, "a", "#b", NULL);
    expect_row(&f, 2, "#c", "d", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_byte_order_mark_skipped)
{
    (void)state;
    fixture_t f;
    START(&f,
          "\xEF\xBB\xBF"
          "code,name\n",
          0);
    expect_row(&f, 1, "code", "name", NULL);
    expect_end(&f);
}

CY_TEST(test_csv_unterminated_quote_names_the_line_it_opened)
{
    (void)state;
    fixture_t f;
    START(&f, "a,b\nc,\"open\nmore\nstill open", 0);
    expect_row(&f, 1, "a", "b", NULL);
    expect_error(&f, "csv_unterminated_quote", 2);
}

CY_TEST(test_csv_quote_inside_unquoted_field_refused)
{
    (void)state;
    fixture_t f;
    START(&f, "ok\nab\"c,d\n", 0);
    expect_row(&f, 1, "ok", NULL);
    expect_error(&f, "csv_bad_quote", 2);
}

CY_TEST(test_csv_text_after_closing_quote_refused)
{
    (void)state;
    fixture_t f;
    START(&f, "\"a\nb\"x,c\n", 0);
    expect_error(&f, "csv_bad_quote", 2);
}

CY_TEST(test_csv_nul_byte_refused)
{
    (void)state;
    fixture_t f;
    START(&f, "a\nb\0c\n", 0);
    expect_row(&f, 1, "a", NULL);
    expect_error(&f, "csv_nul_byte", 2);
    START(&f, "\"b\0c\"\n", 0);
    expect_error(&f, "csv_nul_byte", 1);
}

CY_TEST(test_csv_field_longer_than_buffer_refused)
{
    (void)state;
    fixture_t f;
    char text[600];
    memset(text, 'x', 300);
    memcpy(text + 300, "\n", 2);
    start(&f, "short\n", 6, 0);
    expect_row(&f, 1, "short", NULL);

    char both[700];
    snprintf(both, sizeof both, "short\n%s", text);
    start(&f, both, strlen(both), 0);
    expect_row(&f, 1, "short", NULL);
    expect_error(&f, "csv_field_too_long", 2);

    /* the same inside quotes, and when the fields of one record add up */
    snprintf(both, sizeof both, "\"%.300s\"\n", text);
    start(&f, both, strlen(both), 0);
    expect_error(&f, "csv_field_too_long", 1);
    snprintf(both, sizeof both, "%.200s,%.200s\n", text, text);
    start(&f, both, strlen(both), 0);
    expect_error(&f, "csv_field_too_long", 1);
}

CY_TEST(test_csv_field_that_exactly_fits_is_read)
{
    (void)state;
    fixture_t f;
    char text[300];
    memset(text, 'y', 255); /* 255 bytes + NUL = the 256-byte scratch */
    text[255] = '\0';
    start(&f, text, 255, 0);
    assert_int_equal(csv_next(&f.r, &f.row, &f.err), CY_OK);
    assert_int_equal(f.row.n_fields, 1);
    assert_int_equal(f.fields[0].len, 255);
    start(&f, text, 255, 0);
    f.row.scratch_cap = 255;
    expect_error(&f, "csv_field_too_long", 1);
}

CY_TEST(test_csv_too_many_fields_refused)
{
    (void)state;
    fixture_t f;
    START(&f, "1,2,3,4,5,6,7,8\n1,2,3,4,5,6,7,8,9\n", 0);
    expect_row(&f, 1, "1", "2", "3", "4", "5", "6", "7", "8", NULL);
    expect_error(&f, "csv_too_many_fields", 2);
}

CY_TEST(test_csv_many_rows_keep_line_numbers)
{
    (void)state;
    enum { N = 200000 };
    size_t cap = (size_t)N * 40;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%d,\"q,%d\",%s\r\n", i, i,
                                i % 2 ? "odd" : "even");
    fixture_t f;
    start(&f, buf, len, 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(csv_next(&f.r, &f.row, &f.err), CY_OK);
        assert_int_equal(f.row.n_fields, 3);
        assert_int_equal(f.row.line, (size_t)i + 1);
        assert_int_equal(atoi(f.fields[0].ptr), i);
    }
    expect_end(&f);
    free(buf);
}
