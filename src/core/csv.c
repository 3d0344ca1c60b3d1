/*
 * csv.c — the RFC 4180 reader declared in csv.h.
 *
 * One pass over the input, one copy of each field byte into the caller's
 * scratch buffer, no allocation. Unquoted fields are scanned with a byte
 * class table; quoted fields jump from quote to quote with memchr where the
 * text holds no line break. Depends on core/error.h and libc only.
 */
#include "core/csv.h"

#include <string.h>

/* Bytes that end an unquoted field or need attention in it. */
static const unsigned char special[256] = {
    ['\0'] = 1, ['\n'] = 1, ['\r'] = 1, [','] = 1, ['"'] = 1,
};

void
csv_reader_init(csv_reader_t *r, const char *buf, size_t len, unsigned flags)
{
    r->buf = buf;
    r->len = len;
    r->pos = 0;
    r->line = 1;
    r->flags = flags;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

/* Stop the reader and report; every error leaves it at the end of the input. */
static cy_status_t
fail(csv_reader_t *r, cy_error_t *err, const char *code, size_t line, const char *zh,
     const char *en)
{
    r->pos = r->len;
    return cy_error_set(err, CY_EINVAL, code, NULL, "第 %zu 行：%s / line %zu: %s", line, zh, line,
                        en);
}

static cy_status_t
too_many_fields(csv_reader_t *r, const csv_row_t *row, cy_error_t *err)
{
    size_t line = r->line;
    r->pos = r->len;
    return cy_error_set(err, CY_EINVAL, "csv_too_many_fields", NULL,
                        "第 %zu 行：字段多于 %zu 个 / line %zu: more than %zu fields", line,
                        row->max_fields, line, row->max_fields);
}

/* Consume the line ending at p (LF, CRLF or lone CR); returns the new offset. */
static size_t
skip_eol(const char *b, size_t n, size_t p)
{
    if (b[p] == '\r' && p + 1 < n && b[p + 1] == '\n')
        return p + 2;
    return p + 1;
}

/* Skip comment and blank lines as r->flags ask; returns the offset of the record. */
static size_t
skip_ignored(csv_reader_t *r, size_t p)
{
    const char *b = r->buf;
    size_t n = r->len;
    while (p < n) {
        if ((r->flags & CSV_SKIP_COMMENTS) && b[p] == '#') {
            while (p < n && b[p] != '\n' && b[p] != '\r')
                p++;
            if (p < n)
                p = skip_eol(b, n, p);
            r->line++;
        } else if ((r->flags & CSV_SKIP_BLANK) && (b[p] == '\n' || b[p] == '\r')) {
            p = skip_eol(b, n, p);
            r->line++;
        } else {
            break;
        }
    }
    return p;
}

/*
 * A quoted field at *p (on its opening quote) into dst, *len bytes; used is
 * what the row's earlier fields hold of the scratch buffer. *p ends after
 * the closing quote.
 */
static cy_status_t
read_quoted(csv_reader_t *r, const csv_row_t *row, size_t used, size_t *p, char *dst, size_t *len,
            cy_error_t *err)
{
    const char *b = r->buf;
    size_t n = r->len, at = *p + 1, k = 0;
    size_t qline = r->line;
    for (;;) {
        /* copy the run up to the next quote, counting line breaks */
        const char *q = memchr(b + at, '"', n - at);
        if (q == NULL)
            return fail(r, err, "csv_unterminated_quote", qline, "引号未闭合",
                        "unterminated quoted field");
        size_t run = (size_t)(q - (b + at));
        if (used + k + run + 1 > row->scratch_cap)
            return fail(r, err, "csv_field_too_long", qline, "字段超出缓冲区长度",
                        "field longer than the reader's buffer");
        for (size_t i = 0; i < run; i++) {
            char c = b[at + i];
            if (c == '\0')
                return fail(r, err, "csv_nul_byte", r->line, "含有 NUL 字节", "NUL byte in field");
            if (c == '\n' || (c == '\r' && (at + i + 1 >= n || b[at + i + 1] != '\n')))
                r->line++;
            dst[k++] = c;
        }
        at += run + 1;
        if (at < n && b[at] == '"') { /* doubled quote: a literal one */
            if (used + k + 2 > row->scratch_cap)
                return fail(r, err, "csv_field_too_long", qline, "字段超出缓冲区长度",
                            "field longer than the reader's buffer");
            dst[k++] = '"';
            at++;
            continue;
        }
        break;
    }
    if (at < n && b[at] != ',' && b[at] != '\n' && b[at] != '\r')
        return fail(r, err, "csv_bad_quote", r->line, "右引号后还有字符",
                    "text after the closing quote of a field");
    *p = at;
    *len = k;
    return CY_OK;
}

/* An unquoted field at *p into dst, *len bytes; *p ends on the byte after it. */
static cy_status_t
read_plain(csv_reader_t *r, const csv_row_t *row, size_t used, size_t *p, char *dst, size_t *len,
           cy_error_t *err)
{
    const char *b = r->buf;
    size_t n = r->len, s = *p, at = *p;
    while (at < n && !special[(unsigned char)b[at]])
        at++;
    if (at < n && b[at] == '"')
        return fail(r, err, "csv_bad_quote", r->line, "未加引号的字段中含有引号",
                    "quote inside an unquoted field");
    if (at < n && b[at] == '\0')
        return fail(r, err, "csv_nul_byte", r->line, "含有 NUL 字节", "NUL byte in field");
    if (used + (at - s) + 1 > row->scratch_cap)
        return fail(r, err, "csv_field_too_long", r->line, "字段超出缓冲区长度",
                    "field longer than the reader's buffer");
    memcpy(dst, b + s, at - s);
    *p = at;
    *len = at - s;
    return CY_OK;
}

cy_status_t
csv_next(csv_reader_t *r, csv_row_t *row, cy_error_t *err)
{
    const char *b = r->buf;
    size_t n = r->len;
    size_t p = skip_ignored(r, r->pos);
    size_t used = 0; /* bytes of row->scratch in use */

    row->n_fields = 0;
    row->line = r->line;
    if (p >= n) {
        r->pos = n;
        return CY_OK;
    }
    for (;;) {
        if (row->n_fields == row->max_fields)
            return too_many_fields(r, row, err);
        char *dst = row->scratch + used;
        size_t len = 0;
        cy_status_t st = p < n && b[p] == '"' ? read_quoted(r, row, used, &p, dst, &len, err)
                                              : read_plain(r, row, used, &p, dst, &len, err);
        if (st != CY_OK)
            return st;
        dst[len] = '\0';
        used += len + 1;
        row->fields[row->n_fields].ptr = dst;
        row->fields[row->n_fields].len = len;
        row->n_fields++;

        if (p >= n)
            break;
        if (b[p] == ',') {
            p++;
            continue;
        }
        p = skip_eol(b, n, p); /* '\n' or '\r': the record ends */
        r->line++;
        break;
    }
    r->pos = p;
    return CY_OK;
}
