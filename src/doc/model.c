/*
 * model.c — the document model of doc.h: a list of blocks (paragraphs of a
 * style, tables, page breaks) that the DOCX writer renders. Text enters here
 * once and leaves clean: UTF-8 checked, one paragraph per line, characters
 * XML cannot hold replaced, so the writer never has to refuse a character.
 * Depends on core/utf8 and libc only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "doc/lib.h"

/* The names templates and package.json use for the styles, in doc_style_t order. */
static const char *const STYLE_NAMES[DOC_STYLE_COUNT] = {
    "body",         "h1",     "h2",   "h3",   "title",   "subtitle",   "annex",       "cover_field",
    "cover_footer", "center", "sign", "note", "caption", "table_text", "table_label", "table_head"};

const char *
doc_style_name(doc_style_t style)
{
    return (unsigned)style < DOC_STYLE_COUNT ? STYLE_NAMES[style] : "";
}

int
doc_style_parse(const char *name, doc_style_t *out)
{
    for (int i = 0; i < DOC_STYLE_COUNT; i++)
        if (strcmp(STYLE_NAMES[i], name) == 0) {
            *out = (doc_style_t)i;
            return 1;
        }
    return 0;
}

/* Grows *p (n used of *cap elements of size sz) so that one more fits. */
static int
grow(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 8;
    void *q = realloc(*p, nc * sz);
    if (q == NULL)
        return 0;
    *p = q;
    *cap = nc;
    return 1;
}

/*
 * text_clean copies s into a new string *out: '\r' dropped, '\t' and '\n'
 * kept, other C0 controls, DEL, U+FFFE and U+FFFF (not XML characters) as
 * spaces. Refuses s that is not UTF-8 (doc_text_utf8).
 */
static cy_status_t
text_clean(const char *s, char **out, cy_error_t *err)
{
    size_t n = strlen(s), bad = 0;
    *out = NULL;
    if (!utf8_valid(s, n, &bad))
        return cy_error_set(err, CY_EINVAL, "doc_text_utf8", NULL,
                            "文本不是有效的 UTF-8（第 %zu 字节） / text is not valid UTF-8 (byte "
                            "%zu)",
                            bad, bad);
    char *o = malloc(n + 1);
    if (o == NULL)
        return cy_error_no_memory(err);
    *out = o;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (cp == '\r') {
            i += len;
            continue;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7f || cp == 0xfffe || cp == 0xffff) {
            *o++ = ' ';
            i += len;
            continue;
        }
        memcpy(o, s + i, len);
        o += len;
        i += len;
    }
    *o = '\0';
    return CY_OK;
}

doc_t *
doc_new(void)
{
    return calloc(1, sizeof(doc_t));
}

static void
table_free(doc_table_t *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; k < t->rows[i].n; k++)
            free(t->rows[i].cells[k].text);
        free(t->rows[i].cells);
    }
    free(t->rows);
    free(t->widths);
    free(t);
}

void
doc_free(doc_t *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
    }
    free(d->blocks);
    free(d);
}

/* Appends one block; its text (may be NULL) and table pass to d. */
static cy_status_t
add_block(doc_t *d, doc_block_t b, cy_error_t *err)
{
    if (!grow((void **)&d->blocks, &d->cap, d->n, sizeof *d->blocks))
        return cy_error_no_memory(err);
    d->blocks[d->n++] = b;
    return CY_OK;
}

cy_status_t
doc_add_par(doc_t *d, doc_style_t style, const char *text, cy_error_t *err)
{
    char *clean;
    cy_status_t st = text_clean(text ? text : "", &clean, err);
    if (st != CY_OK)
        return st;
    size_t first = d->n;
    for (char *line = clean; st == CY_OK && line != NULL;) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len > 0) {
            char *t = strndup(line, len);
            doc_block_t b = {DOC_BLOCK_PAR, style, t, NULL};
            st = t == NULL ? cy_error_no_memory(err) : add_block(d, b, err);
            if (st != CY_OK)
                free(t);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(clean);
    if (st != CY_OK) { /* all or nothing */
        while (d->n > first)
            free(d->blocks[--d->n].text);
    }
    return st;
}

cy_status_t
doc_add_page_break(doc_t *d, cy_error_t *err)
{
    doc_block_t b = {DOC_BLOCK_PAGE_BREAK, DOC_BODY, NULL, NULL};
    return add_block(d, b, err);
}

cy_status_t
doc_add_space(doc_t *d, unsigned n, cy_error_t *err)
{
    for (unsigned i = 0; i < n; i++) {
        char *t = strdup("");
        doc_block_t b = {DOC_BLOCK_PAR, DOC_BODY, t, NULL};
        cy_status_t st = t == NULL ? cy_error_no_memory(err) : add_block(d, b, err);
        if (st != CY_OK) {
            free(t);
            return st;
        }
    }
    return CY_OK;
}

cy_status_t
doc_add_table(doc_t *d, const unsigned *widths, size_t n_cols, doc_table_t **out, cy_error_t *err)
{
    *out = NULL;
    if (n_cols == 0 || n_cols > 63)
        return cy_error_set(err, CY_EINVAL, "doc_table", NULL,
                            "表格应有 1–63 列（当前 %zu 列） / a table has 1 to 63 columns (%zu "
                            "given)",
                            n_cols, n_cols);
    for (size_t i = 0; i < n_cols; i++)
        if (widths[i] == 0)
            return cy_error_set(err, CY_EINVAL, "doc_table", NULL,
                                "表格第 %zu 列宽度应大于 0 / column %zu of a table has no width",
                                i + 1, i + 1);
    doc_table_t *t = calloc(1, sizeof *t);
    if (t == NULL || (t->widths = malloc(n_cols * sizeof *widths)) == NULL) {
        free(t);
        return cy_error_no_memory(err);
    }
    memcpy(t->widths, widths, n_cols * sizeof *widths);
    t->n_cols = n_cols;
    doc_block_t b = {DOC_BLOCK_TABLE, DOC_TABLE_TEXT, NULL, t};
    cy_status_t st = add_block(d, b, err);
    if (st != CY_OK)
        table_free(t);
    else
        *out = t;
    return st;
}

cy_status_t
doc_table_add_row(doc_table_t *t, int header, doc_row_t **out, cy_error_t *err)
{
    *out = NULL;
    if (!grow((void **)&t->rows, &t->cap, t->n, sizeof *t->rows))
        return cy_error_no_memory(err);
    doc_row_t *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    r->header = header != 0;
    *out = r;
    return CY_OK;
}

cy_status_t
doc_row_add_cell(doc_row_t *r, doc_style_t style, const char *text, unsigned span,
                 doc_merge_t merge, cy_error_t *err)
{
    char *clean;
    cy_status_t st = text_clean(text ? text : "", &clean, err);
    if (st != CY_OK)
        return st;
    if (!grow((void **)&r->cells, &r->cap, r->n, sizeof *r->cells)) {
        free(clean);
        return cy_error_no_memory(err);
    }
    doc_cell_t c = {clean, style, span ? span : 1, merge};
    r->cells[r->n++] = c;
    return CY_OK;
}
