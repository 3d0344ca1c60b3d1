/*
 * xlsx.c — workbooks (contract in doc.h) with libxlsxwriter: row 1 holds the
 * Chinese headers (bold, frozen, with an autofilter), each further row one
 * element of the sheet's rows. Money arrives as int64 fen and is stored as
 * the number of 元 (fen / 100: exact to the fen for any amount below 2^53
 * fen, i.e. ¥90 trillion) shown "#,##0.00", so a spreadsheet can sum it;
 * dates are real dates in Beijing time. Also the workbook templates of
 * data/forms/xlsx/ (doc_book_check at load, doc_xlsx_render):
 *   {"source", "version", "maps", "sheets": [{"name", "rows": PATH,
 *    "columns": [{"header", "width", and one of "text": TEXT, "int": PATH,
 *    "money": PATH, "date": PATH, "datetime": PATH, "index": true}]}]}
 * Depends on doc/ (fill, lib), core/ (bjtime, utf8), jansson, libxlsxwriter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "core/bjtime.h"
#include "core/utf8.h"
#include "doc/fill.h"
#include "doc/lib.h"

/* The template key of each column kind, in doc_col_kind_t order. */
static const char *const KIND_KEYS[] = {"text", "int", "money", "date", "datetime", "index"};
#define N_KINDS (sizeof KIND_KEYS / sizeof KIND_KEYS[0])

typedef struct {
    lxw_format *head, *text, *num, *money, *date, *datetime;
} fmts_t;

static fmts_t
formats(lxw_workbook *wb)
{
    fmts_t f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb),
                workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
    format_set_bold(f.head);
    format_set_align(f.head, LXW_ALIGN_CENTER);
    format_set_align(f.head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f.head);
    format_set_bg_color(f.head, 0xD9D9D9);
    format_set_text_wrap(f.text);
    format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(f.num, "0");
    format_set_num_format(f.money, "#,##0.00");
    format_set_num_format(f.date, "yyyy-mm-dd");
    format_set_num_format(f.datetime, "yyyy-mm-dd hh:mm");
    lxw_format *all[] = {f.head, f.text, f.num, f.money, f.date, f.datetime};
    for (size_t i = 0; i < 6; i++) {
        format_set_border(all[i], LXW_BORDER_THIN);
        format_set_font_name(all[i], "宋体");
        format_set_font_size(all[i], 11);
    }
    return f;
}

/* "YYYY-MM-DD" (that date) or an ISO instant (Beijing) into *dt; 0 when neither. */
static int
parse_when(const char *s, int with_time, lxw_datetime *dt)
{
    int64_t utc;
    cy_error_t ignored;
    char bj[32];
    memset(dt, 0, sizeof *dt);
    if (s == NULL || bjtime_parse(s, &utc, &ignored) != CY_OK)
        return 0;
    bjtime_format(utc, bj); /* a date alone is Beijing midnight: the same date back */
    int y, mo, d, h, mi, sec;
    if (sscanf(bj, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6)
        return 0;
    *dt = (lxw_datetime){y, mo, d, with_time ? h : 0, with_time ? mi : 0, 0};
    return 1;
}

/* One cell of a body row. */
static cy_status_t
put_cell(lxw_worksheet *ws, const fmts_t *f, lxw_row_t r, lxw_col_t c, const doc_col_t *col,
         const fill_ctx_t *ctx, cy_error_t *err)
{
    const json_t *v =
        col->kind == DOC_COL_TEXT || col->kind == DOC_COL_INDEX ? NULL : fill_get(ctx, col->value);
    lxw_datetime dt;
    switch (col->kind) {
    case DOC_COL_INDEX:
        worksheet_write_number(ws, r, c, (double)ctx->index, f->num);
        return CY_OK;
    case DOC_COL_INT:
        if (json_is_integer(v))
            worksheet_write_number(ws, r, c, (double)json_integer_value(v), f->num);
        else
            worksheet_write_blank(ws, r, c, f->num);
        return CY_OK;
    case DOC_COL_MONEY:
        if (json_is_integer(v))
            worksheet_write_number(ws, r, c, (double)json_integer_value(v) / 100.0, f->money);
        else
            worksheet_write_blank(ws, r, c, f->money);
        return CY_OK;
    case DOC_COL_DATE:
    case DOC_COL_DATETIME:
        if (parse_when(json_string_value(v), col->kind == DOC_COL_DATETIME, &dt))
            worksheet_write_datetime(ws, r, c, &dt,
                                     col->kind == DOC_COL_DATE ? f->date : f->datetime);
        else
            worksheet_write_blank(ws, r, c, f->text);
        return CY_OK;
    default:
        break;
    }
    char *s;
    cy_status_t st = fill_text(ctx, col->value ? col->value : "", &s, err);
    if (st != CY_OK)
        return st;
    if (!utf8_valid(s, strlen(s), NULL))
        st =
            cy_error_set(err, CY_EINVAL, "doc_text_utf8", col->header,
                         "“%s”列的值不是有效的 UTF-8 / a value of column \"%s\" is not valid UTF-8",
                         col->header, col->header);
    else if (s[0] != '\0')
        worksheet_write_string(ws, r, c, s, f->text);
    else
        worksheet_write_blank(ws, r, c, f->text);
    free(s);
    return st;
}

static cy_status_t
write_sheet(lxw_workbook *wb, const fmts_t *f, const doc_sheet_t *sh, const json_t *refs,
            cy_error_t *err)
{
    lxw_error le = sh->name && sh->name[0] ? workbook_validate_sheet_name(wb, sh->name)
                                           : LXW_ERROR_NULL_PARAMETER_IGNORED;
    if (le != LXW_NO_ERROR || sh->n_cols == 0 || sh->n_cols > 1000)
        return cy_error_set(err, CY_EINVAL, "doc_sheet", "name",
                            "工作表“%s”的名称或列无效（%s） / sheet \"%s\" has a bad name or no "
                            "columns (%s)",
                            sh->name ? sh->name : "", lxw_strerror(le), sh->name ? sh->name : "",
                            lxw_strerror(le));
    for (size_t c = 0; c < sh->n_cols; c++)
        if (sh->cols[c].header == NULL ||
            !utf8_valid(sh->cols[c].header, strlen(sh->cols[c].header), NULL))
            return cy_error_set(
                err, CY_EINVAL, "doc_sheet", "header",
                "工作表“%s”第 %zu 列的表头无效 / column %zu of sheet \"%s\" has a bad "
                "header",
                sh->name, c + 1, c + 1, sh->name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sh->name);
    if (ws == NULL)
        return cy_error_no_memory(err);
    for (size_t c = 0; c < sh->n_cols; c++) {
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             sh->cols[c].width > 0 ? sh->cols[c].width : 12, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, sh->cols[c].header, f->head);
    }
    worksheet_freeze_panes(ws, 1, 0);
    fill_ctx_t ctx = {sh->rows, NULL, 0, sh->maps, refs};
    size_t n = json_array_size(sh->rows);
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        ctx.cur = json_array_get(sh->rows, i);
        ctx.index = i + 1;
        for (size_t c = 0; st == CY_OK && c < sh->n_cols; c++)
            st = put_cell(ws, f, (lxw_row_t)(i + 1), (lxw_col_t)c, &sh->cols[c], &ctx, err);
    }
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, (lxw_col_t)(sh->n_cols - 1));
    return st;
}

cy_status_t
doc_xlsx_write(const doc_sheet_t *sheets, size_t n_sheets, const json_t *refs, const char *path,
               cy_error_t *err)
{
    if (n_sheets == 0)
        return cy_error_set(err, CY_EINVAL, "doc_sheet", NULL,
                            "工作簿至少需要一个工作表 / a workbook needs at least one sheet");
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL)
        return cy_error_no_memory(err);
    fmts_t f = formats(wb);
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < n_sheets; i++)
        st = write_sheet(wb, &f, &sheets[i], refs, err);
    lxw_error le = workbook_close(wb); /* also frees wb */
    if (st == CY_OK && le != LXW_NO_ERROR)
        st =
            cy_error_set(err, CY_EIO, "doc_write", NULL, "无法写入 %s（%s） / cannot write %s (%s)",
                         path, lxw_strerror(le), path, lxw_strerror(le));
    if (st != CY_OK)
        remove(path); /* no half-written workbook is left behind */
    return st;
}

/* ---- workbook templates ---------------------------------------------------- */

/* The kind of a template column: the one key of KIND_KEYS it has; -1 for none or several. */
static int
col_kind(const json_t *col)
{
    int kind = -1;
    for (size_t k = 0; k < N_KINDS; k++)
        if (json_object_get(col, KIND_KEYS[k]) != NULL) {
            if (kind >= 0)
                return -1;
            kind = (int)k;
        }
    return kind;
}

static cy_status_t
check_column(const json_t *col, const json_t *maps, const char *file, const char *path,
             cy_error_t *err)
{
    char why[400];
    int kind = col_kind(col);
    const json_t *width = json_object_get(col, "width"),
                 *v = kind >= 0 ? json_object_get(col, KIND_KEYS[kind]) : NULL;
    const char *header = json_string_value(json_object_get(col, "header"));
    if (header == NULL || header[0] == '\0' || kind < 0 ||
        json_object_size(col) != (width ? 3u : 2u))
        return doc_tpl_fail(
            err, file, path,
            "列应有 header、可选的 width 和 text/int/money/date/datetime/index 之一 "
            "/ a column has a header, an optional width and one of "
            "text/int/money/date/datetime/index");
    if (width != NULL &&
        (!json_is_number(width) || json_number_value(width) <= 0 || json_number_value(width) > 255))
        return doc_tpl_fail(err, file, path,
                            "width 应为 0–255 的字符数 / width is 0–255 characters");
    if (kind == DOC_COL_INDEX)
        return json_is_true(v)
                   ? CY_OK
                   : doc_tpl_fail(err, file, path, "index 应为 true / index must be true");
    if (kind == DOC_COL_TEXT) {
        if (!json_is_string(v) || !fill_check(json_string_value(v), maps, why, sizeof why))
            return doc_tpl_fail(err, file, path,
                                json_is_string(v) ? why : "text 应为文本 / text must be a string");
        return CY_OK;
    }
    if (!json_is_string(v) || !fill_check_path(json_string_value(v)) ||
        json_string_value(v)[0] == '#')
        return doc_tpl_fail(err, file, path, "应为数据路径 / must be a data path");
    return CY_OK;
}

cy_status_t
doc_book_check(const json_t *tpl, const char *file, cy_error_t *err)
{
    const json_t *sheets = json_object_get(tpl, "sheets"), *maps = json_object_get(tpl, "maps");
    if (!json_is_array(sheets) || json_array_size(sheets) == 0)
        return doc_tpl_fail(err, file, "sheets", "应为非空数组 / must be a non-empty array");
    if (maps != NULL && !json_is_object(maps))
        return doc_tpl_fail(err, file, "maps", "应为对象 / must be an object");
    size_t i, k;
    const json_t *sh, *col;
    json_array_foreach(sheets, i, sh)
    {
        char path[120];
        snprintf(path, sizeof path, "sheets[%zu]", i);
        const json_t *cols = json_object_get(sh, "columns"), *rows = json_object_get(sh, "rows");
        const char *name = json_string_value(json_object_get(sh, "name"));
        if (name == NULL || name[0] == '\0' || !json_is_string(rows) ||
            !fill_check_path(json_string_value(rows)) || !json_is_array(cols) ||
            json_array_size(cols) == 0 || json_object_size(sh) != 3)
            return doc_tpl_fail(err, file, path,
                                "工作表应有 name、rows（数据路径）和非空的 columns / a sheet has a "
                                "name, rows (a data path) and non-empty columns");
        json_array_foreach(cols, k, col)
        {
            snprintf(path, sizeof path, "sheets[%zu].columns[%zu]", i, k);
            cy_status_t st = check_column(col, maps, file, path, err);
            if (st != CY_OK)
                return st;
        }
    }
    return CY_OK;
}

cy_status_t
doc_xlsx_render(const doc_lib_t *lib, const char *name, const json_t *data, const json_t *refs,
                const char *path, cy_error_t *err)
{
    const json_t *tpl = doc_named_find(lib->books, lib->n_books, name);
    if (tpl == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "doc_form", "form",
                            "没有名为“%s”的工作簿模板 / there is no workbook template \"%s\"", name,
                            name);
    const json_t *tsheets = json_object_get(tpl, "sheets");
    size_t n = json_array_size(tsheets), total = 0;
    for (size_t i = 0; i < n; i++)
        total += json_array_size(json_object_get(json_array_get(tsheets, i), "columns"));
    doc_sheet_t *sheets = calloc(n, sizeof *sheets);
    doc_col_t *cols = calloc(total, sizeof *cols);
    if (sheets == NULL || cols == NULL) {
        free(sheets);
        free(cols);
        return cy_error_no_memory(err);
    }
    fill_ctx_t root = {data, data, 0, NULL, refs};
    doc_col_t *c = cols;
    for (size_t i = 0; i < n; i++) {
        const json_t *ts = json_array_get(tsheets, i), *tc;
        size_t k;
        const json_t *rows = fill_get(&root, json_string_value(json_object_get(ts, "rows")));
        sheets[i] = (doc_sheet_t){json_string_value(json_object_get(ts, "name")), c,
                                  json_array_size(json_object_get(ts, "columns")),
                                  json_is_array(rows) ? rows : NULL, json_object_get(tpl, "maps")};
        json_array_foreach(json_object_get(ts, "columns"), k, tc)
        {
            int kind = col_kind(tc);
            *c++ =
                (doc_col_t){json_string_value(json_object_get(tc, "header")),
                            json_number_value(json_object_get(tc, "width")), (doc_col_kind_t)kind,
                            json_string_value(json_object_get(tc, KIND_KEYS[kind]))};
        }
    }
    cy_status_t st = doc_xlsx_write(sheets, n, refs, path, err);
    free(sheets);
    free(cols);
    return st;
}
