/*
 * findings.c — external-scan findings as an import sends them, a JSON list
 * of objects or a CSV text, checked cell by cell into rows to store: one bad
 * cell refuses the whole import naming its row and column ("CSV 第 3 行
 * cvss：… / CSV line 3, cvss: …"). Depends on core/; never store/, http/
 * or cli/.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"
#include "core/bjtime.h"
#include "core/csv.h"
#include "core/utf8.h"

#define MAX_FINDINGS 5000

const char *const uw_finding_cols[UW_FINDING_COLS] = {
    "asset", "port", "service", "cve", "cvss", "epss", "kev", "internet_facing", "first_seen"};

enum { F_ASSET, F_PORT, F_SERVICE, F_CVE, F_CVSS, F_EPSS, F_KEV, F_INTERNET, F_FIRST_SEEN };

/* Where a cell is, for its refusal: the row in Chinese and English and the field. */
typedef struct {
    char zh[48], en[48];
    char field[96];
    int64_t now;
} where_t;

static cy_status_t
bad(const where_t *w, int col, const char *zh, const char *en, cy_error_t *err)
{
    const char *c = uw_finding_cols[col];
    return cy_error_set(err, CY_EINVAL, "finding_invalid", w->field, "%s %s：%s / %s, %s: %s",
                        w->zh, c, zh, w->en, c, en);
}

/* A cell as sent: text (a CSV cell, a JSON string, "true"/"false" for a boolean) or a number. */
typedef struct {
    const char *v; /* NULL: a number (or a JSON value that has no text) */
    int is_number;
    double x;
} cell_t;

static cy_status_t
set_port(uw_finding_t *f, const cell_t *c, const where_t *w, cy_error_t *err)
{
    const char *v = c->v;
    char *end = NULL;
    double x = c->is_number ? c->x : (v && v[0] ? strtod(v, &end) : -1.0);
    if (!c->is_number && v && v[0] && (end == NULL || *end))
        return bad(w, F_PORT, "端口应为 0–65535 的整数", "the port must be an integer 0–65535",
                   err);
    if (v != NULL && !v[0] && !c->is_number)
        f->port = -1;
    else if (x < 0 || x > 65535 || x != floor(x))
        return bad(w, F_PORT, "端口应为 0–65535 的整数", "the port must be an integer 0–65535",
                   err);
    else
        f->port = (int)x;
    return CY_OK;
}

/* cvss 0–10 in tenths, epss 0–1 in 1e-5. */
static cy_status_t
set_score(uw_finding_t *f, int col, const cell_t *c, const where_t *w, cy_error_t *err)
{
    int cvss = col == F_CVSS;
    int *dst = cvss ? &f->cvss_tenths : &f->epss_e5;
    char *end = NULL;
    if (!c->is_number && (c->v == NULL || !c->v[0])) {
        *dst = -1;
        return CY_OK;
    }
    double x = c->is_number ? c->x : strtod(c->v, &end);
    if ((!c->is_number && *end) || !isfinite(x) || x < 0 || x > (cvss ? 10.0 : 1.0))
        return cvss ? bad(w, col, "CVSS 应在 0 到 10 之间", "CVSS must be from 0 to 10", err)
                    : bad(w, col, "EPSS 应在 0 到 1 之间", "EPSS must be from 0 to 1", err);
    *dst = (int)floor(x * (cvss ? 10.0 : 1e5) + 0.5);
    return CY_OK;
}

static cy_status_t
set_flag(uw_finding_t *f, int col, const char *v, const where_t *w, cy_error_t *err)
{
    int *dst = col == F_KEV ? &f->kev : &f->internet_facing;
    if (v == NULL || !v[0])
        return CY_OK;
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "是"))
        *dst = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "否"))
        *dst = 0;
    else
        return bad(w, col, "应为 true 或 false", "must be true or false", err);
    return CY_OK;
}

static cy_status_t
set_first_seen(uw_finding_t *f, const char *v, const where_t *w, cy_error_t *err)
{
    int64_t t;
    if (v == NULL || bjtime_parse(v, &t, NULL) != CY_OK)
        return bad(w, F_FIRST_SEEN, "应为日期或时间，如 2025-03-01 或 2025-03-01T08:00:00Z",
                   "must be a date or time such as 2025-03-01 or 2025-03-01T08:00:00Z", err);
    if (t > w->now + 86400)
        return bad(w, F_FIRST_SEEN, "首次发现时间不能在将来", "first seen cannot be in the future",
                   err);
    utc_format_iso(t, f->first_seen);
    return CY_OK;
}

/* Check one cell of column col into f. */
static cy_status_t
set_cell(uw_finding_t *f, int col, const cell_t *c, const where_t *w, cy_error_t *err)
{
    const char *v = c->v;
    int y = 0, n = 0, len = 0;
    switch (col) {
    case F_ASSET:
        if (v == NULL || !v[0] || strlen(v) > 255 || !utf8_valid(v, strlen(v), NULL))
            return bad(w, col, "资产不能为空且不超过 255 字节", "the asset must be 1–255 bytes",
                       err);
        uw_copy(f->asset, sizeof f->asset, v);
        return CY_OK;
    case F_PORT:
        return set_port(f, c, w, err);
    case F_SERVICE:
        if (v && (strlen(v) > 64 || !utf8_valid(v, strlen(v), NULL)))
            return bad(w, col, "服务名不超过 64 字节", "the service name must be at most 64 bytes",
                       err);
        uw_copy(f->service, sizeof f->service, v);
        return CY_OK;
    case F_CVE:
        if (v && v[0] &&
            (sscanf(v, "CVE-%4d-%d%n", &y, &n, &len) != 2 || (size_t)len != strlen(v) ||
             strlen(v) > 30 || strlen(v) < 13))
            return bad(w, col, "CVE 编号应形如 CVE-2024-3400", "a CVE id looks like CVE-2024-3400",
                       err);
        uw_copy(f->cve, sizeof f->cve, v);
        return CY_OK;
    case F_CVSS:
    case F_EPSS:
        return set_score(f, col, c, w, err);
    case F_KEV:
    case F_INTERNET:
        return set_flag(f, col, v, w, err);
    default:
        return set_first_seen(f, v, w, err);
    }
}

static void
finding_init(uw_finding_t *f)
{
    memset(f, 0, sizeof *f);
    f->port = f->cvss_tenths = f->epss_e5 = -1;
    f->internet_facing = 1; /* an external scan sees what faces the internet */
}

static cy_status_t
finding_complete(const uw_finding_t *f, const where_t *w, const char *field, cy_error_t *err)
{
    if (!f->asset[0])
        return cy_error_set(err, CY_EINVAL, "finding_invalid", field,
                            "%s asset：缺少资产 / %s, asset: the asset is missing", w->zh, w->en);
    if (!f->first_seen[0])
        return cy_error_set(
            err, CY_EINVAL, "finding_invalid", field,
            "%s first_seen：缺少首次发现时间 / %s, first_seen: first seen is missing", w->zh,
            w->en);
    return CY_OK;
}

/* ---------- a JSON list ---------- */

/* One object of the list: its keys in the order sent. */
static cy_status_t
from_object(const uw_finding_in_t *o, uw_finding_t *f, where_t *w, cy_error_t *err)
{
    char row[32];
    uw_copy(row, sizeof row, w->zh);
    finding_init(f);
    if (o->not_object)
        return cy_error_set(err, CY_EINVAL, "findings_invalid", row,
                            "%s 应为对象 / %s must be an object", row, row);
    for (size_t k = 0; k < o->n; k++) {
        const uw_finding_cell_t *cl = &o->cells[k];
        snprintf(w->field, sizeof w->field, "%s.%.20s", row, cl->key);
        if (cl->col < 0)
            return cy_error_set(err, CY_EINVAL, "unknown_field", w->field,
                                "未知字段 %s / unknown field %s", w->field, w->field);
        const uw_value_t *v = &cl->value;
        if (v->kind == UW_NULL || v->kind == UW_ABSENT)
            continue;
        int number = v->kind == UW_INTEGER || v->kind == UW_REAL;
        cell_t c = {.v = v->kind == UW_STRING ? v->s
                         : v->kind == UW_BOOL ? (v->i ? "true" : "false")
                                              : NULL,
                    .is_number = number,
                    .x = v->x};
        if (c.v == NULL && !number)
            return cy_error_set(err, CY_EINVAL, "finding_invalid", w->field,
                                "%s 的类型不对 / %s has the wrong type", w->field, w->field);
        cy_status_t st = set_cell(f, cl->col, &c, w, err);
        if (st != CY_OK)
            return st;
    }
    return finding_complete(f, w, row, err);
}

static cy_status_t
from_json(const uw_findings_in_t *in, int64_t now, uw_finding_t *out, size_t *n, cy_error_t *err)
{
    if (in->n_findings > MAX_FINDINGS)
        return cy_error_set(err, CY_EINVAL, "findings_invalid", "findings",
                            "findings 应为至多 %d 条发现的数组 / findings must be an array of at "
                            "most %d findings",
                            MAX_FINDINGS, MAX_FINDINGS);
    for (size_t i = 0; i < in->n_findings; i++) {
        where_t w = {.now = now};
        snprintf(w.zh, sizeof w.zh, "findings[%zu]", i);
        snprintf(w.en, sizeof w.en, "findings[%zu]", i);
        cy_status_t st = from_object(&in->findings[i], &out[i], &w, err);
        if (st != CY_OK)
            return st;
    }
    *n = in->n_findings;
    return CY_OK;
}

/* ---------- a CSV text ---------- */

/* The header: each column a finding's (asset and first_seen among them); col_of its index. */
static cy_status_t
csv_header(const csv_row_t *row, int *col_of, cy_error_t *err)
{
    int have_asset = 0, have_seen = 0;
    for (size_t i = 0; i < row->n_fields; i++) {
        col_of[i] = -1;
        for (int k = 0; k < UW_FINDING_COLS; k++)
            if (!strcmp(row->fields[i].ptr, uw_finding_cols[k]))
                col_of[i] = k;
        if (col_of[i] < 0)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                                "CSV 第 1 行：未知的列 %.40s（可用列：asset, port, service, cve, "
                                "cvss, epss, kev, internet_facing, first_seen） / CSV line 1: "
                                "unknown column %.40s (columns: asset, port, service, cve, cvss, "
                                "epss, kev, internet_facing, first_seen)",
                                row->fields[i].ptr, row->fields[i].ptr);
        have_asset |= col_of[i] == F_ASSET;
        have_seen |= col_of[i] == F_FIRST_SEEN;
    }
    if (!have_asset || !have_seen)
        return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                            "CSV 表头至少需要 asset 和 first_seen 两列 / the CSV header needs at "
                            "least the columns asset and first_seen");
    return CY_OK;
}

/* One row of the CSV after the header into f. */
static cy_status_t
csv_finding(const csv_row_t *row, const int *col_of, size_t ncols, int64_t now, uw_finding_t *f,
            cy_error_t *err)
{
    where_t w = {.now = now};
    snprintf(w.zh, sizeof w.zh, "CSV 第 %zu 行", row->line);
    snprintf(w.en, sizeof w.en, "CSV line %zu", row->line);
    uw_copy(w.field, sizeof w.field, "csv");
    if (row->n_fields != ncols)
        return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                            "%s：应有 %zu 列，实有 %zu 列 / %s: %zu columns expected, %zu found",
                            w.zh, ncols, row->n_fields, w.en, ncols, row->n_fields);
    finding_init(f);
    for (size_t i = 0; i < ncols; i++) {
        cell_t c = {.v = row->fields[i].ptr};
        cy_status_t st = set_cell(f, col_of[i], &c, &w, err);
        if (st != CY_OK)
            return st;
    }
    return finding_complete(f, &w, "csv", err);
}

static cy_status_t
from_csv(const char *text, int64_t now, uw_finding_t *out, size_t *n, cy_error_t *err)
{
    csv_reader_t rd;
    csv_reader_init(&rd, text, strlen(text), CSV_SKIP_BLANK);
    char scratch[4096];
    csv_field_t fields[16];
    csv_row_t row = {scratch, sizeof scratch, fields, 16, 0, 0};
    int col_of[16];
    cy_status_t st = csv_next(&rd, &row, err);
    if (st != CY_OK)
        return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv", "%s", err->message);
    if ((st = csv_header(&row, col_of, err)) != CY_OK)
        return st;
    size_t ncols = row.n_fields;
    for (*n = 0;;) {
        if ((st = csv_next(&rd, &row, err)) != CY_OK)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv", "%s", err->message);
        if (row.n_fields == 0)
            return CY_OK;
        if (*n == MAX_FINDINGS)
            return cy_error_set(err, CY_EINVAL, "csv_invalid", "csv",
                                "一次最多导入 %d 条发现 / at most %d findings per import",
                                MAX_FINDINGS, MAX_FINDINGS);
        if ((st = csv_finding(&row, col_of, ncols, now, &out[*n], err)) != CY_OK)
            return st;
        (*n)++;
    }
}

cy_status_t
uw_findings_parse(const uw_findings_in_t *in, int64_t now, uw_finding_t **rows, size_t *n,
                  cy_error_t *err)
{
    *rows = NULL;
    *n = 0;
    if (in->has_findings == (in->csv != NULL))
        return cy_error_set(err, CY_EINVAL, "missing_field", "findings",
                            "请给出 findings（JSON 数组）或 csv（CSV 文本）之一 / give either "
                            "findings (a JSON array) or csv (CSV text)");
    *rows = calloc(MAX_FINDINGS, sizeof **rows);
    if (*rows == NULL)
        return cy_error_no_memory(err);
    cy_status_t st = in->has_findings ? from_json(in, now, *rows, n, err)
                                      : from_csv(in->csv, now, *rows, n, err);
    if (st != CY_OK) {
        free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return st;
}
