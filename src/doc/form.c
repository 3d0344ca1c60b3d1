/*
 * form.c — form templates (data/forms/NAME.json): checked at load
 * (doc_form_check) and filled from a record into the model
 * (doc_form_render). A template is {"source", "version", "maps", "blocks"};
 * a block is one of
 *   {"STYLE": TEXT}                  paragraphs of that style (doc_style_name)
 *   {"page_break": true}             a new page
 *   {"space": N}                     N empty lines
 *   {"each": PATH, "blocks": [...], "empty": [...]}   once per element (else "empty")
 *   {"table": {"widths": [w...], "rows": [ROW...]}}
 * a ROW is {"head": true?, "cells": [CELL...]} or {"each": PATH, "cells":
 * [...], "empty": [...]}, a CELL is TEXT or {"text": TEXT, "span": N,
 * "merge": "restart"|"continue"|"each", "style": STYLE} ("each": restart on
 * the first row of its each, continue on the others). TEXT is a string or an
 * array of lines, with the placeholders of fill.h. docs/documents.md tells
 * the same for template writers.
 * Depends on doc/ (model, fill, lib) and jansson; no I/O.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/fill.h"
#include "doc/lib.h"

/* ---- the check at load ---------------------------------------------------- */

typedef struct {
    const char *file;
    const json_t *maps;
    cy_error_t *err;
} ck_t;

#define PATH_CAP 300

/* A path of a template for messages ("blocks[3].table.rows[2]"); cut when longer than cap. */
static void __attribute__((format(printf, 3, 4)))
sub_path(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

static cy_status_t
ck_fail(const ck_t *c, const char *path, const char *why)
{
    return doc_tpl_fail(c->err, c->file, path, why);
}

/* Only the keys of allowed (NULL-terminated) may appear in o. */
static cy_status_t
ck_keys(const ck_t *c, const json_t *o, const char *const *allowed, const char *path)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok) {
            char why[300];
            snprintf(why, sizeof why, "未知的键“%s” / unknown key \"%s\"", key, key);
            return ck_fail(c, path, why);
        }
    }
    (void)v;
    return CY_OK;
}

static cy_status_t
ck_text(const ck_t *c, const json_t *t, const char *path)
{
    char why[400];
    if (json_is_string(t)) {
        if (!fill_check(json_string_value(t), c->maps, why, sizeof why))
            return ck_fail(c, path, why);
        return CY_OK;
    }
    if (!json_is_array(t) || json_array_size(t) == 0)
        return ck_fail(c, path, "应为文本或文本行的数组 / must be a text or an array of lines");
    size_t i;
    const json_t *line;
    json_array_foreach(t, i, line)
    {
        if (!json_is_string(line))
            return ck_fail(c, path, "文本行应为字符串 / each line must be a string");
        if (!fill_check(json_string_value(line), c->maps, why, sizeof why))
            return ck_fail(c, path, why);
    }
    return CY_OK;
}

static cy_status_t
ck_path(const ck_t *c, const json_t *p, const char *path)
{
    if (!json_is_string(p) || !fill_check_path(json_string_value(p)) ||
        strcmp(json_string_value(p), "#") == 0)
        return ck_fail(c, path,
                       "应为数据路径（如 form.joint_units） / must be a data path (e.g. "
                       "form.joint_units)");
    return CY_OK;
}

/* A row's cells: texts or cell objects whose spans add up to n_cols. */
static cy_status_t
ck_cells(const ck_t *c, const json_t *cells, size_t n_cols, int in_each, const char *path)
{
    static const char *const keys[] = {"text", "span", "merge", "style", NULL};
    if (!json_is_array(cells) || json_array_size(cells) == 0)
        return ck_fail(c, path, "cells 应为非空数组 / cells must be a non-empty array");
    size_t cols = 0, i;
    const json_t *cell;
    cy_status_t st = CY_OK;
    json_array_foreach(cells, i, cell)
    {
        char cp[PATH_CAP];
        sub_path(cp, sizeof cp, "%s[%zu]", path, i);
        if (!json_is_object(cell)) {
            cols++;
            if ((st = ck_text(c, cell, cp)) != CY_OK)
                return st;
            continue;
        }
        const json_t *span = json_object_get(cell, "span"), *merge = json_object_get(cell, "merge");
        const char *m = json_string_value(merge),
                   *style = json_string_value(json_object_get(cell, "style"));
        doc_style_t s;
        if ((st = ck_keys(c, cell, keys, cp)) != CY_OK ||
            (st = ck_text(c, json_object_get(cell, "text"), cp)) != CY_OK)
            return st;
        if (span != NULL && (!json_is_integer(span) || json_integer_value(span) < 1))
            return ck_fail(c, cp, "span 应为正整数 / span must be a positive integer");
        if (merge != NULL &&
            (m == NULL || (strcmp(m, "restart") != 0 && strcmp(m, "continue") != 0 &&
                           (strcmp(m, "each") != 0 || !in_each))))
            return ck_fail(c, cp,
                           "merge 应为 restart、continue 或（each 行中）each / merge must be "
                           "restart, continue or (in an each row) each");
        if (json_object_get(cell, "style") != NULL &&
            (style == NULL || !doc_style_parse(style, &s)))
            return ck_fail(c, cp, "未知的样式 / unknown style");
        cols += span ? (size_t)json_integer_value(span) : 1;
    }
    if (cols != n_cols) {
        char why[200];
        snprintf(why, sizeof why,
                 "各单元格共占 %zu 列，表格有 %zu 列 / the cells span %zu columns of %zu", cols,
                 n_cols, cols, n_cols);
        return ck_fail(c, path, why);
    }
    return CY_OK;
}

static cy_status_t
ck_table(const ck_t *c, const json_t *t, const char *path)
{
    static const char *const keys[] = {"widths", "rows", NULL};
    static const char *const row_keys[] = {"head", "each", "cells", "empty", NULL};
    cy_status_t st = json_is_object(t)
                         ? ck_keys(c, t, keys, path)
                         : ck_fail(c, path, "table 应为对象 / table must be an object");
    if (st != CY_OK)
        return st;
    const json_t *widths = json_object_get(t, "widths"), *rows = json_object_get(t, "rows");
    size_t n = json_array_size(widths), i;
    const json_t *v;
    if (n == 0 || n > 63)
        return ck_fail(c, path,
                       "widths 应为 1–63 个正整数 / widths must be 1 to 63 positive integers");
    json_array_foreach(widths, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 10000)
            return ck_fail(c, path,
                           "widths 应为 1–10000 的整数 / widths must be integers in 1–10000");
    }
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        return ck_fail(c, path, "rows 应为非空数组 / rows must be a non-empty array");
    int body_seen = 0;
    json_array_foreach(rows, i, v)
    {
        char rp[PATH_CAP], cp[PATH_CAP];
        sub_path(rp, sizeof rp, "%s.rows[%zu]", path, i);
        int head = json_is_true(json_object_get(v, "head")),
            each = json_object_get(v, "each") != NULL;
        if (!json_is_object(v) || (st = ck_keys(c, v, row_keys, rp)) != CY_OK)
            return st != CY_OK ? st : ck_fail(c, rp, "行应为对象 / a row must be an object");
        if (head && (body_seen || each))
            return ck_fail(c, rp, "重复表头行只能在表格开头 / repeated header rows come first");
        body_seen |= !head;
        if (each && (st = ck_path(c, json_object_get(v, "each"), rp)) != CY_OK)
            return st;
        sub_path(cp, sizeof cp, "%s.cells", rp);
        if ((st = ck_cells(c, json_object_get(v, "cells"), n, each, cp)) != CY_OK)
            return st;
        sub_path(cp, sizeof cp, "%s.empty", rp);
        if (json_object_get(v, "empty") != NULL &&
            (!each || (st = ck_cells(c, json_object_get(v, "empty"), n, 0, cp)) != CY_OK))
            return st != CY_OK
                       ? st
                       : ck_fail(c, cp, "只有 each 行可有 empty / only an each row has empty");
    }
    return CY_OK;
}

static cy_status_t ck_blocks(const ck_t *c, const json_t *blocks, const char *path);

static cy_status_t
ck_block(const ck_t *c, const json_t *b, const char *bp)
{
    static const char *const each_keys[] = {"each", "blocks", "empty", NULL};
    char sub[PATH_CAP];
    doc_style_t s;
    const char *key = json_is_object(b) && json_object_size(b) > 0
                          ? json_object_iter_key(json_object_iter((json_t *)b))
                          : NULL;
    if (key == NULL)
        return ck_fail(c, bp, "块应为非空对象 / a block must be a non-empty object");
    if (json_object_get(b, "each") != NULL) {
        cy_status_t st = ck_keys(c, b, each_keys, bp);
        if (st == CY_OK)
            st = ck_path(c, json_object_get(b, "each"), bp);
        sub_path(sub, sizeof sub, "%s.blocks", bp);
        if (st == CY_OK)
            st = ck_blocks(c, json_object_get(b, "blocks"), sub);
        sub_path(sub, sizeof sub, "%s.empty", bp);
        if (st == CY_OK && json_object_get(b, "empty") != NULL)
            st = ck_blocks(c, json_object_get(b, "empty"), sub);
        return st;
    }
    if (json_object_size(b) != 1)
        return ck_fail(c, bp, "块应只有一个键 / a block has exactly one key");
    const json_t *v = json_object_get(b, key);
    sub_path(sub, sizeof sub, "%s.%s", bp, key);
    if (strcmp(key, "table") == 0)
        return ck_table(c, v, sub);
    if (strcmp(key, "page_break") == 0)
        return json_is_true(v) ? CY_OK : ck_fail(c, sub, "应为 true / must be true");
    if (strcmp(key, "space") == 0)
        return json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 40
                   ? CY_OK
                   : ck_fail(c, sub, "应为 1–40 的整数 / must be an integer in 1–40");
    if (!doc_style_parse(key, &s))
        return ck_fail(c, sub, "未知的块类型或样式 / unknown block or style");
    return ck_text(c, v, sub);
}

static cy_status_t
ck_blocks(const ck_t *c, const json_t *blocks, const char *path)
{
    if (!json_is_array(blocks) || json_array_size(blocks) == 0)
        return ck_fail(c, path, "blocks 应为非空数组 / blocks must be a non-empty array");
    size_t i;
    const json_t *b;
    json_array_foreach(blocks, i, b)
    {
        char bp[PATH_CAP];
        sub_path(bp, sizeof bp, "%s[%zu]", path, i);
        cy_status_t st = ck_block(c, b, bp);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

cy_status_t
doc_form_check(const json_t *tpl, const char *file, cy_error_t *err)
{
    static const char *const keys[] = {"source", "version", "note", "title",
                                       "maps",   "blocks",  NULL};
    ck_t c = {file, json_object_get(tpl, "maps"), err};
    cy_status_t st = ck_keys(&c, tpl, keys, "");
    if (st != CY_OK)
        return st;
    const char *mk;
    const json_t *m;
    json_object_foreach(json_object_get(tpl, "maps"), mk, m)
    {
        const char *k;
        const json_t *v;
        int ok = json_is_object(m);
        json_object_foreach((json_t *)m, k, v) ok &= json_is_string(v);
        if (!ok)
            return ck_fail(&c, "maps",
                           "每个 map 应为“代码: 文本”的对象 / each map is an object of code: text");
    }
    return ck_blocks(&c, json_object_get(tpl, "blocks"), "blocks");
}

/* ---- filling --------------------------------------------------------------- */

typedef struct {
    doc_t *d;
    fill_ctx_t ctx;
    cy_error_t *err;
} rn_t;

/* The template text t (a string or lines) filled from the context, in *out (the caller frees). */
static cy_status_t
rn_text(const rn_t *r, const json_t *t, char **out)
{
    if (json_is_string(t))
        return fill_text(&r->ctx, json_string_value(t), out, r->err);
    size_t len = 1, i;
    const json_t *line;
    json_array_foreach(t, i, line) len += json_string_length(line) + 1;
    char *joined = malloc(len), *p = joined;
    if (joined == NULL)
        return cy_error_no_memory(r->err);
    json_array_foreach(t, i, line)
    {
        if (i > 0)
            *p++ = '\n';
        memcpy(p, json_string_value(line), json_string_length(line));
        p += json_string_length(line);
    }
    *p = '\0';
    cy_status_t st = fill_text(&r->ctx, joined, out, r->err);
    free(joined);
    return st;
}

/* One row of cells; first: the first row of its each (merge "each" restarts there). */
static cy_status_t
rn_row(rn_t *r, doc_table_t *t, const json_t *cells, int head, int first)
{
    doc_row_t *row;
    cy_status_t st = doc_table_add_row(t, head, &row, r->err);
    size_t i;
    const json_t *cell;
    json_array_foreach(cells, i, cell)
    {
        if (st != CY_OK)
            break;
        const json_t *text = json_is_object(cell) ? json_object_get(cell, "text") : cell;
        const char *m = json_string_value(json_object_get(cell, "merge"));
        const char *sname = json_string_value(json_object_get(cell, "style"));
        doc_style_t style = head ? DOC_TABLE_HEAD : DOC_TABLE_TEXT;
        if (sname != NULL)
            doc_style_parse(sname, &style);
        doc_merge_t merge = m == NULL                    ? DOC_MERGE_NONE
                            : strcmp(m, "restart") == 0  ? DOC_MERGE_RESTART
                            : strcmp(m, "continue") == 0 ? DOC_MERGE_CONTINUE
                            : first                      ? DOC_MERGE_RESTART
                                                         : DOC_MERGE_CONTINUE;
        char *s = NULL;
        /* a continued cell shows the cell it continues: its own text is not written */
        st = merge == DOC_MERGE_CONTINUE ? CY_OK : rn_text(r, text, &s);
        if (st == CY_OK)
            st = doc_row_add_cell(row, style, s ? s : "",
                                  (unsigned)json_integer_value(json_object_get(cell, "span")),
                                  merge, r->err);
        free(s);
    }
    return st;
}

static cy_status_t
rn_table(rn_t *r, const json_t *tpl)
{
    const json_t *widths = json_object_get(tpl, "widths"), *rows = json_object_get(tpl, "rows");
    unsigned w[64];
    size_t n = json_array_size(widths), i;
    for (i = 0; i < n && i < 64; i++)
        w[i] = (unsigned)json_integer_value(json_array_get(widths, i));
    doc_table_t *t;
    cy_status_t st = doc_add_table(r->d, w, n, &t, r->err);
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (st != CY_OK)
            break;
        const json_t *cells = json_object_get(row, "cells");
        const char *each = json_string_value(json_object_get(row, "each"));
        if (each == NULL) {
            st = rn_row(r, t, cells, json_is_true(json_object_get(row, "head")), 1);
            continue;
        }
        const json_t *items = fill_get(&r->ctx, each);
        fill_ctx_t saved = r->ctx;
        for (size_t k = 0; st == CY_OK && k < json_array_size(items); k++) {
            r->ctx.cur = json_array_get(items, k);
            r->ctx.index = k + 1;
            st = rn_row(r, t, cells, 0, k == 0);
        }
        r->ctx = saved;
        if (st == CY_OK && json_array_size(items) == 0 && json_object_get(row, "empty") != NULL)
            st = rn_row(r, t, json_object_get(row, "empty"), 0, 1);
    }
    return st;
}

static cy_status_t rn_blocks(rn_t *r, const json_t *blocks);

static cy_status_t
rn_each(rn_t *r, const json_t *b)
{
    const json_t *items = fill_get(&r->ctx, json_string_value(json_object_get(b, "each")));
    if (json_array_size(items) == 0) {
        const json_t *empty = json_object_get(b, "empty");
        return empty != NULL ? rn_blocks(r, empty) : CY_OK;
    }
    fill_ctx_t saved = r->ctx;
    cy_status_t st = CY_OK;
    for (size_t k = 0; st == CY_OK && k < json_array_size(items); k++) {
        r->ctx.cur = json_array_get(items, k);
        r->ctx.index = k + 1;
        st = rn_blocks(r, json_object_get(b, "blocks"));
    }
    r->ctx = saved;
    return st;
}

static cy_status_t
rn_block(rn_t *r, const json_t *b)
{
    if (json_object_get(b, "each") != NULL)
        return rn_each(r, b);
    const char *key = json_object_iter_key(json_object_iter((json_t *)b));
    const json_t *v = json_object_get(b, key);
    if (strcmp(key, "table") == 0)
        return rn_table(r, v);
    if (strcmp(key, "page_break") == 0)
        return doc_add_page_break(r->d, r->err);
    if (strcmp(key, "space") == 0)
        return doc_add_space(r->d, (unsigned)json_integer_value(v), r->err);
    doc_style_t style = DOC_BODY;
    doc_style_parse(key, &style);
    char *s;
    cy_status_t st = rn_text(r, v, &s);
    if (st == CY_OK)
        st = doc_add_par(r->d, style, s, r->err);
    free(s);
    return st;
}

static cy_status_t
rn_blocks(rn_t *r, const json_t *blocks)
{
    size_t i;
    const json_t *b;
    json_array_foreach(blocks, i, b)
    {
        cy_status_t st = rn_block(r, b);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

cy_status_t
doc_form_render(const doc_lib_t *lib, const char *name, const json_t *data, const json_t *refs,
                doc_t *d, cy_error_t *err)
{
    const json_t *tpl = doc_named_find(lib->forms, lib->n_forms, name);
    if (tpl == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "doc_form", "form",
                            "没有名为“%s”的文书模板 / there is no form template \"%s\"", name,
                            name);
    rn_t r = {d, {data, data, 0, json_object_get(tpl, "maps"), refs}, err};
    return rn_blocks(&r, json_object_get(tpl, "blocks"));
}
