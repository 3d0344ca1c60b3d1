/*
 * rate.c — the 单价保费及保额 table of a product as an insurer files it
 * (DOMAIN.md §6; docs/pricing.md): the premium of every limit option ×
 * grade A–E × revenue band, each through the same uw_price as a quote, for
 * one industry and one retention; and beside each price, as a mark, the
 * underwriting rules that would refer or decline that cell by its own facts
 * (the grade, the limit, the revenue, the industry). The rules about an
 * insured's assessment — its findings, answers, age, or having none — have
 * nothing to judge in a table, so they mark nothing here. The same table
 * as JSON and CSV (http/uw_json.c) and as an XLSX workbook (doc/).
 * Depends on core/, doc/; never http/ or cli/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"
#include "doc/doc.h"

/* The retention asked for (text, fen; NULL: the smallest option): one of the product's. */
static cy_status_t
retention_of(const uw_product_t *p, const char *text, int64_t *out, cy_error_t *err)
{
    *out = p->n_retentions ? p->retentions[0] : 0;
    if (text == NULL)
        return CY_OK;
    char *end;
    long long v = strtoll(text, &end, 10);
    for (size_t i = 0; *text && *end == '\0' && i < p->n_retentions; i++)
        if (p->retentions[i] == v) {
            *out = v;
            return CY_OK;
        }
    return cy_error_set(err, CY_EINVAL, "retention_not_offered", "retention",
                        "请从产品的免赔额选项中选择 / choose one of the product's retentions");
}

/* Whether rule r judges a cell by the cell's own facts. */
static int
cell_rule(const uwr_rule_t *r)
{
    switch (r->kind) {
    case UWR_GRADE_IN:
    case UWR_LIMIT_ABOVE:
    case UWR_LIMIT_TO_REVENUE_ABOVE:
    case UWR_REVENUE_ABOVE:
    case UWR_SECTION_IN:
        return 1;
    default:
        return 0;
    }
}

/* The mark of a cell: the strictest of the cell rules that hold, and their ids. */
static void
mark(const uw_data_t *d, const uw_price_req_t *rq, uw_rate_row_t *row)
{
    uwr_facts_t f = {.qn = &d->qn,
                     .has_assessment = 1,
                     .grade = rq->grade,
                     .revenue = rq->revenue,
                     .limit = rq->limit,
                     .section = rq->section,
                     .now = rq->now};
    uwr_decision_t worst = UWR_ACCEPT;
    for (size_t i = 0; i < d->rules.n_rules; i++) {
        const uwr_rule_t *r = &d->rules.rules[i];
        if (!cell_rule(r) || !uwr_rule_holds(r, &f))
            continue;
        if (r->decision > worst)
            worst = r->decision;
        if (row->n_rules < UW_RATE_RULES)
            row->rules[row->n_rules++] = r->id;
    }
    row->decision = uwr_decision_name(worst);
}

/* Every limit × grade × band of t priced through uw_price. */
static cy_status_t
rate_rows(const uw_data_t *d, const uw_product_t *p, int64_t now, uw_rate_table_t *t,
          cy_error_t *err)
{
    t->rows = calloc(p->n_limits * QN_GRADES * d->params.n_bands + 1, sizeof *t->rows);
    if (t->rows == NULL)
        return cy_error_no_memory(err);
    for (size_t l = 0; l < p->n_limits; l++)
        for (int g = 0; g < QN_GRADES; g++)
            for (size_t b = 0; b < d->params.n_bands; b++) {
                uw_price_req_t rq = {.section = t->section,
                                     .revenue = d->params.bands[b].rated,
                                     .gross_margin = -1.0,
                                     .grade = (char)('A' + g),
                                     .limit = p->limits[l],
                                     .retention = t->retention,
                                     .now = now};
                uw_price_res_t res;
                cy_status_t st = uw_price(d, p, &rq, &res, err);
                if (st != CY_OK)
                    return st;
                uw_rate_row_t *row = &t->rows[t->n_rows++];
                *row = (uw_rate_row_t){
                    .limit = rq.limit,
                    .grade = rq.grade,
                    .band = d->params.bands[b].code,
                    .rated_revenue = rq.revenue,
                    .premium = res.price.premium,
                    .pure_premium = res.price.pure,
                    .rate_on_line = res.price.rate_on_line,
                };
                mark(d, &rq, row);
            }
    return CY_OK;
}

cy_status_t
app_uw_rate_table(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *industry,
                  const char *retention, uw_rate_table_t *t, cy_error_t *err)
{
    const uw_data_t *d = app->uw;
    memset(t, 0, sizeof *t);
    if (industry == NULL)
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry",
                            "请选择行业（GB/T 4754 门类或大类） / choose an industry (a GB/T 4754 "
                            "section or division)");
    cy_status_t st = uw_industry_section(app, industry, "industry", &t->section, err);
    uw_product_t *p = malloc(sizeof *p);
    if (st == CY_OK && p == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = app_uw_product_get(app, a, now, id, p, err);
    if (st == CY_OK)
        st = retention_of(p, retention, &t->retention, err);
    if (st == CY_OK) {
        t->product_id = p->id;
        uw_copy(t->product_name, sizeof t->product_name, p->name);
        t->version = p->version;
        uw_copy(t->industry, sizeof t->industry, industry);
        memcpy(t->limits, p->limits, sizeof t->limits);
        t->n_limits = p->n_limits;
        t->rating_model = d->rating.version;
        t->rules_version = d->rules.version;
        for (size_t i = 0; i < d->rules.n_rules && t->n_rules < 48; i++)
            if (cell_rule(&d->rules.rules[i]))
                t->rules[t->n_rules++] = (uw_rate_rule_t){
                    d->rules.rules[i].id, uwr_decision_name(d->rules.rules[i].decision),
                    d->rules.rules[i].reason_zh, d->rules.rules[i].reason_en};
        for (size_t b = 0; b < d->params.n_bands && b < 16; b++, t->n_bands++)
            t->bands[b] = (uw_band_view_t){d->params.bands[b].code, d->params.bands[b].name_zh,
                                           d->params.bands[b].name_en, d->params.bands[b].max,
                                           d->params.bands[b].rated};
        st = rate_rows(d, p, now, t, err);
    }
    free(p);
    if (st != CY_OK)
        uw_rate_table_free(t);
    return st;
}

void
uw_rate_table_free(uw_rate_table_t *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n_rows = 0;
}

/* ---------- the workbook ---------- */

static const char *
mark_words(const char *decision)
{
    if (!strcmp(decision, "decline"))
        return "拒保 decline";
    if (!strcmp(decision, "refer"))
        return "转人工核保 refer";
    if (!strcmp(decision, "condition"))
        return "附条件 condition";
    return "";
}

/* One row of the workbook per cell, as doc_xlsx_write reads them. */
static json_t *
sheet_rows(const uw_rate_table_t *t)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < t->n_rows; i++) {
        const uw_rate_row_t *r = &t->rows[i];
        const uw_band_view_t *band = NULL;
        for (size_t b = 0; b < t->n_bands; b++)
            if (!strcmp(t->bands[b].code, r->band))
                band = &t->bands[b];
        char rol[32], rules[UW_RATE_RULES * 49] = "";
        snprintf(rol, sizeof rol, "%.4f%%", r->rate_on_line * 100.0);
        for (size_t k = 0, n = 0; k < r->n_rules; k++)
            n += (size_t)snprintf(rules + n, sizeof rules - n, "%s%s", k ? "；" : "", r->rules[k]);
        json_array_append_new(rows, json_pack("{s:I, s:s#, s:s, s:I, s:I, s:I, s:s, s:s, s:s}",
                                              "limit", (json_int_t)r->limit, "grade", &r->grade, 1,
                                              "band", band ? band->name_zh : r->band,
                                              "rated_revenue", (json_int_t)r->rated_revenue,
                                              "premium", (json_int_t)r->premium, "pure_premium",
                                              (json_int_t)r->pure_premium, "rate_on_line", rol,
                                              "mark", mark_words(r->decision), "rules", rules));
    }
    return rows;
}

/* What the table is of: product, industry, retention, model and rules. */
static json_t *
sheet_about(const uw_rate_table_t *t)
{
    char version[16], sec[2] = {t->section, '\0'};
    snprintf(version, sizeof version, "%d", t->version);
    return json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:I}, {s:s, s:s}, "
                     "{s:s, s:s}, {s:s, s:s}]",
                     "k", "产品 product", "v", t->product_name, "k", "版本 version", "v", version,
                     "k", "行业 industry", "v", t->industry, "k", "门类 section", "v", sec, "k",
                     "免赔额（元）retention (yuan)", "m", (json_int_t)t->retention, "k",
                     "费率模型 rating model", "v", t->rating_model, "k", "核保规则 rules", "v",
                     t->rules_version, "k", "核保标记 mark", "v",
                     "按每格的等级、限额、营业收入与行业判断；与评估有关的规则不在表中标记 / by "
                     "each cell's grade, limit, revenue and industry; the rules about an "
                     "assessment mark no cell");
}

cy_status_t
app_uw_rate_table_xlsx(const uw_rate_table_t *t, const char *path, cy_error_t *err)
{
    static const doc_col_t cells[] = {
        {"累计赔偿限额（元）", 16, DOC_COL_MONEY, "limit"},
        {"风险等级", 8, DOC_COL_TEXT, "{grade}"},
        {"营业收入档", 22, DOC_COL_TEXT, "{band}"},
        {"计费营业收入（元）", 20, DOC_COL_MONEY, "rated_revenue"},
        {"单价保费（元）", 14, DOC_COL_MONEY, "premium"},
        {"纯保费（元）", 14, DOC_COL_MONEY, "pure_premium"},
        {"费率", 10, DOC_COL_TEXT, "{rate_on_line}"},
        {"核保标记", 16, DOC_COL_TEXT, "{mark}"},
        {"触发的核保规则", 30, DOC_COL_TEXT, "{rules}"},
    };
    static const doc_col_t about[] = {
        {"项目 item", 24, DOC_COL_TEXT, "{k}"},
        {"内容 value", 60, DOC_COL_TEXT, "{v}"},
        {"金额（元） amount (yuan)", 18, DOC_COL_MONEY, "m"},
    };
    json_t *rows = sheet_rows(t), *info = sheet_about(t);
    cy_status_t st = rows && info ? CY_OK : cy_error_no_memory(err);
    doc_sheet_t sheets[] = {
        {"单价保费及保额", cells, sizeof cells / sizeof cells[0], rows, NULL},
        {"说明", about, sizeof about / sizeof about[0], info, NULL},
    };
    if (st == CY_OK)
        st = doc_xlsx_write(sheets, 2, NULL, path, err);
    json_decref(rows);
    json_decref(info);
    return st;
}
