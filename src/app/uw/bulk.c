/*
 * bulk.c — the bulk quote (cyberins quote --csv): every row of a CSV priced
 * on one product through the same uw_price and rules as POST
 * /api/v1/quotes, one CSV line out per good row and one report line per bad
 * row ("第 N 行 COLUMN：… / line N, COLUMN: …"); a bad row does not stop
 * the others. Written for speed (bench/quote.sh): the output is buffered
 * and its numbers formatted by hand. Depends on core/, store/; never http/
 * or cli/.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "app/uw/internal.h"
#include "core/csv.h"
#include "core/money.h"

/* Output buffer flushed to a FILE in large writes. */
typedef struct {
    char buf[1 << 16];
    size_t n;
    FILE *f;
} outbuf_t;

static void
ob_flush(outbuf_t *o)
{
    if (o->n)
        fwrite(o->buf, 1, o->n, o->f);
    o->n = 0;
}

static void
ob_put(outbuf_t *o, const char *s, size_t n)
{
    if (o->n + n > sizeof o->buf)
        ob_flush(o);
    if (n > sizeof o->buf) {
        fwrite(s, 1, n, o->f);
        return;
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

/* fen as yuan "1234.56" (no grouping): CSV for machines. */
static size_t
fmt_yuan(int64_t fen, char *b)
{
    char tmp[32];
    int neg = fen < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char *p = tmp + sizeof tmp;
    *--p = (char)('0' + v % 10);
    *--p = (char)('0' + v / 10 % 10);
    *--p = '.';
    v /= 100;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(b, p, n);
    return n;
}

/* x ≥ 0 with eight decimals ("0.01644620"), rounded once; printf costs a fifth of a row. */
static size_t
fmt_fixed8(double x, char *b)
{
    if (!(x >= 0.0 && x < 9e10))
        x = 0.0;
    uint64_t v = (uint64_t)floor(x * 1e8 + 0.5);
    char tmp[32];
    char *p = tmp + sizeof tmp;
    for (int i = 0; i < 8; i++, v /= 10)
        *--p = (char)('0' + v % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(b, p, n);
    return n;
}

/* Append s to line at n without passing cap − 2 (room for the line end); returns the new n. */
static size_t
put_str(char *line, size_t n, size_t cap, const char *s)
{
    size_t k = strlen(s);
    if (n + k + 2 > cap)
        k = cap > n + 2 ? cap - n - 2 : 0;
    memcpy(line + n, s, k);
    return n + k;
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void
ob_field(outbuf_t *o, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        ob_put(o, s, strlen(s));
        return;
    }
    ob_put(o, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ob_put(o, "\"", 1);
        ob_put(o, p, 1);
    }
    ob_put(o, "\"", 1);
}

enum { B_ID, B_INDUSTRY, B_REVENUE, B_GRADE, B_LIMIT, B_RETENTION, B_MARGIN, B_NCOLS };
static const char *const BULK_COLS[B_NCOLS] = {"id",    "industry",  "revenue",     "grade",
                                               "limit", "retention", "gross_margin"};

/* Which CSV column an error's field is about. */
static const char *
bulk_column(const char *field)
{
    if (!strcmp(field, "aggregate_limit"))
        return "limit";
    if (!strcmp(field, "gross_margin_bp"))
        return "gross_margin";
    for (int i = 0; i < B_NCOLS; i++)
        if (!strcmp(field, BULK_COLS[i]))
            return field;
    return field[0] ? field : "row";
}

static void
bulk_bad(FILE *report, size_t line, const char *col, const cy_error_t *e, uw_bulk_stats_t *s)
{
    s->bad++;
    if (report == NULL)
        return;
    const char *m = e->message, *sep = strstr(m, " / ");
    if (sep)
        fprintf(report, "第 %zu 行 %s：%.*s / line %zu, %s: %s\n", line, col, (int)(sep - m), m,
                line, col, sep + 3);
    else
        fprintf(report, "第 %zu 行 %s：%s / line %zu, %s: %s\n", line, col, m, line, col, m);
}

/* The header: the required columns (by name, in any order) and the optional gross_margin. */
static cy_status_t
bulk_header(const csv_row_t *row, int col[B_NCOLS], cy_error_t *err)
{
    for (int k = 0; k < B_NCOLS; k++)
        col[k] = -1;
    for (size_t i = 0; i < row->n_fields; i++)
        for (int k = 0; k < B_NCOLS; k++)
            if (!strcmp(row->fields[i].ptr, BULK_COLS[k]))
                col[k] = (int)i;
    for (int k = 0; k < B_MARGIN; k++)
        if (col[k] < 0)
            return cy_error_set(err, CY_EINVAL, "csv_header", BULK_COLS[k],
                                "CSV 第 1 行缺少列 %s（需要 id,industry,revenue,grade,limit,"
                                "retention，可选 gross_margin；金额以元计） / CSV line 1 lacks "
                                "column %s (needs id,industry,revenue,grade,limit,retention, "
                                "optionally gross_margin; amounts in yuan)",
                                BULK_COLS[k], BULK_COLS[k]);
    return CY_OK;
}

/* A row's facts into rq; the column of the first bad cell (e says why), or NULL. */
static const char *
bulk_facts(const app_t *app, const csv_field_t *f, const int col[B_NCOLS], uw_price_req_t *rq,
           cy_error_t *e)
{
    const char *g = f[col[B_GRADE]].ptr;
    if (uw_industry_section(app, f[col[B_INDUSTRY]].ptr, "industry", &rq->section, e) != CY_OK)
        return "industry";
    if (money_parse(f[col[B_REVENUE]].ptr, "revenue", &rq->revenue, e) != CY_OK)
        return "revenue";
    if (money_parse(f[col[B_LIMIT]].ptr, "limit", &rq->limit, e) != CY_OK)
        return "limit";
    if (money_parse(f[col[B_RETENTION]].ptr, "retention", &rq->retention, e) != CY_OK)
        return "retention";
    if (strlen(g) != 1 || g[0] < 'A' || g[0] > 'E') {
        cy_error_set(e, CY_EINVAL, "grade_invalid", "grade",
                     "风险等级应为 A–E / the risk grade must be A–E");
        return "grade";
    }
    rq->grade = g[0];
    if (col[B_MARGIN] >= 0 && f[col[B_MARGIN]].ptr[0]) {
        char *end;
        double mg = strtod(f[col[B_MARGIN]].ptr, &end);
        if (*end || !(mg >= 0.0 && mg <= 1.0)) {
            cy_error_set(e, CY_EINVAL, "gross_margin_invalid", "gross_margin",
                         "毛利率应为 0 到 1 之间的小数 / the gross margin must be a number "
                         "from 0 to 1");
            return "gross_margin";
        }
        rq->gross_margin = mg;
    }
    return NULL;
}

/* The output line of a priced row: id,premium,pure_premium,gross_premium,lambda,decision,rules. */
static void
bulk_line(outbuf_t *ob, const uw_data_t *d, const char *id, const uw_price_res_t *res)
{
    char line[512];
    size_t n = 0;
    ob_field(ob, id);
    line[n++] = ',';
    n += fmt_yuan(res->price.premium, line + n);
    line[n++] = ',';
    n += fmt_yuan(res->price.pure, line + n);
    line[n++] = ',';
    n += fmt_yuan(res->price.gross, line + n);
    line[n++] = ',';
    n += fmt_fixed8(res->price.rating.freq.lambda, line + n);
    line[n++] = ',';
    n = put_str(line, n, sizeof line, uwr_decision_name(res->outcome.decision));
    line[n++] = ',';
    for (size_t h = 0; h < res->outcome.n_hits; h++) {
        if (h)
            n = put_str(line, n, sizeof line, ";");
        n = put_str(line, n, sizeof line, d->rules.rules[res->outcome.hits[h]].id);
    }
    line[n++] = '\n';
    ob_put(ob, line, n);
}

/* The rows after the header, each priced or reported. */
static void
bulk_rows(const app_t *app, const uw_product_t *p, csv_reader_t *rd, csv_row_t *row,
          const int col[B_NCOLS], outbuf_t *ob, FILE *report, uw_bulk_stats_t *stats)
{
    const uw_data_t *d = app->uw;
    size_t ncols = row->n_fields;
    for (;;) {
        cy_error_t e;
        if (csv_next(rd, row, &e) != CY_OK) {
            /* a broken quote ends the file for the reader: report it and stop */
            stats->rows++;
            bulk_bad(report, rd->line, "row", &e, stats);
            return;
        }
        if (row->n_fields == 0)
            return;
        stats->rows++;
        if (row->n_fields != ncols) {
            cy_error_set(&e, CY_EINVAL, "csv_columns", NULL,
                         "应有 %zu 列，实有 %zu 列 / %zu columns expected, %zu found", ncols,
                         row->n_fields, ncols, row->n_fields);
            bulk_bad(report, row->line, "row", &e, stats);
            continue;
        }
        /* no assessment behind a bulk row: no rule of it reads the time */
        uw_price_req_t rq = {.gross_margin = -1.0, .now = 0};
        uw_price_res_t res;
        const char *bad = bulk_facts(app, row->fields, col, &rq, &e);
        if (bad == NULL && uw_price(d, p, &rq, &res, &e) != CY_OK)
            bad = bulk_column(e.field);
        if (bad != NULL) {
            bulk_bad(report, row->line, bad, &e, stats);
            continue;
        }
        bulk_line(ob, d, row->fields[col[B_ID]].ptr, &res);
        stats->quoted++;
    }
}

/* The product to quote on: visible to the caller (404 on "product"). */
static cy_status_t
bulk_product(app_t *app, const actor_t *a, int64_t id, uw_product_t *p, cy_error_t *err)
{
    store_conn_t *c;
    int found = 0;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st == CY_OK) {
        st = uw_product_read(c, id, p, &found, err);
        store_release(app->store, c);
    }
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "product",
                          "产品 %" PRId64 " 不存在 / product %" PRId64 " not found", id, id);
    return st;
}

cy_status_t
app_uw_quote_bulk(app_t *app, const actor_t *a, int64_t product_id, const char *csv, size_t len,
                  FILE *out, FILE *report, uw_bulk_stats_t *stats, cy_error_t *err)
{
    memset(stats, 0, sizeof *stats);
    if (!uw_may(a, ACT_QUOTE_PRICE))
        return app_forbidden(err, ACT_QUOTE_PRICE);
    uw_product_t *p = malloc(sizeof *p);
    outbuf_t *ob = malloc(sizeof *ob);
    cy_status_t st = p && ob ? bulk_product(app, a, product_id, p, err) : cy_error_no_memory(err);
    csv_reader_t rd;
    char scratch[4096];
    csv_field_t fields[16];
    csv_row_t row = {scratch, sizeof scratch, fields, 16, 0, 0};
    int col[B_NCOLS];
    if (st == CY_OK) {
        csv_reader_init(&rd, csv, len, CSV_SKIP_BLANK | CSV_SKIP_COMMENTS);
        st = csv_next(&rd, &row, err);
    }
    if (st == CY_OK)
        st = bulk_header(&row, col, err);
    if (st == CY_OK) {
        static const char header[] =
            "id,premium,pure_premium,gross_premium,lambda,decision,rules\n";
        ob->n = 0;
        ob->f = out;
        ob_put(ob, header, sizeof header - 1);
        bulk_rows(app, p, &rd, &row, col, ob, report, stats);
        ob_flush(ob);
    }
    free(ob);
    free(p);
    return st;
}
