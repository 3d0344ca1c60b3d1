/*
 * common.c — what every underwriting file uses (internal.h): who sees
 * what, the checks of values as the client sent them (each refusal names
 * the field), Beijing dates, paging, and what underwriting reads of an
 * organisation. Depends on core/ and store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/uw/internal.h"
#include "core/bjtime.h"
#include "core/utf8.h"

/* ---------- scope ---------- */

int
uw_sees_all(const actor_t *a)
{
    return a->cli || authz_sees_all(a->org_type);
}

int
uw_may(const actor_t *a, authz_action_t act)
{
    return a->cli || authz_allowed(a->org_type, a->role, act);
}

uw_scope_t
uw_scope(const actor_t *a)
{
    return (uw_scope_t){.all = uw_sees_all(a), .org_id = a->org_id};
}

uw_scope_t
uw_scope_at(const actor_t *a, int64_t now)
{
    uw_scope_t s = uw_scope(a);
    s.engaged = !a->cli && a->org_type == ORG_SERVICE_ORG;
    utc_format_iso(now, s.now);
    return s;
}

/* ---------- checks ---------- */

/*
 * The words of the fields a person fills on the underwriting pages, for
 * refusals: a refusal names the field in words (the API's key stays in the
 * error's field), never by its key, a path or an internal range.
 */
static const struct {
    const char *field, *zh, *en;
} WORDS[] = {
    {"name", "产品名称", "the product name"},
    {"class", "产品类别", "the product class"},
    {"description", "产品说明", "the product description"},
    {"product_type", "产品服务类型", "the product type"},
    {"target_industries", "试点行业领域", "the pilot industries"},
    {"bi_waiting_hours", "营业中断等待期（小时）",
     "the business-interruption waiting period (hours)"},
    {"retention_options", "免赔额选项", "the retention options"},
    {"limit_options", "限额选项", "the limit options"},
    {"minimum_premium", "最低保费", "the minimum premium"},
    {"coverages", "险种", "the coverages"},
    {"liability_trigger", "责任触发方式", "the liability trigger"},
    {"retro_date", "追溯日期", "the retroactive date"},
    {"filing_no", "备案号", "the filing number"},
    {"filing_date", "备案日期", "the filing date"},
    {"product_id", "产品", "the product"},
    {"assessment_id", "风险评估", "the risk assessment"},
    {"org_id", "企业", "the enterprise"},
    {"industry", "行业", "the industry"},
    {"grade", "风险等级", "the risk grade"},
    {"revenue", "年营业收入", "the annual revenue"},
    {"gross_margin_bp", "毛利率", "the gross margin"},
    {"aggregate_limit", "累计赔偿限额", "the aggregate limit"},
    {"retention", "免赔额", "the retention"},
    {"start_date", "起保日期", "the start date"},
    {"effective_date", "生效日期", "the effective date"},
    {"region_code", "行政区划", "the region"},
    {"note", "说明", "the note"},
    {"reason", "原因", "the reason"},
    {"decision", "决定", "the decision"},
    {"target_industry", "试点行业领域", "the pilot industry"},
    {"level", "等级保护级别", "the MLPS level"},
    {"mlps.date", "测评日期", "the assessment date"},
    {"cloud", "云服务商", "the cloud provider"},
    {"os", "操作系统", "the operating system"},
    {"vpn", "VPN 厂商", "the VPN vendor"},
    {"email", "邮件服务商", "the e-mail provider"},
    {"dependencies.cloud", "云服务商", "the cloud provider"},
    {"dependencies.os", "操作系统", "the operating system"},
    {"dependencies.vpn", "VPN 厂商", "the VPN vendor"},
    {"dependencies.email", "邮件服务商", "the e-mail provider"},
};

void
uw_field_words(const char *field, const char **zh, const char **en)
{
    for (size_t i = 0; field && i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (strcmp(WORDS[i].field, field) == 0) {
            *zh = WORDS[i].zh;
            *en = WORDS[i].en;
            return;
        }
    *zh = *en = field ? field : "";
}

cy_status_t
uw_unknown_key(const char *key, cy_error_t *err)
{
    return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                        "无法识别的内容 %s，请去掉 / %s is not something this takes: leave it out",
                        key, key);
}

static cy_status_t
missing(const char *field, cy_error_t *err)
{
    const char *zh, *en;
    uw_field_words(field, &zh, &en);
    return cy_error_set(err, CY_EINVAL, "missing_field", field, "请填写%s / %s is required", zh,
                        en);
}

cy_status_t
uw_text_check(const char *s, const char *field, size_t max, int required, cy_error_t *err)
{
    const char *zh, *en;
    uw_field_words(field, &zh, &en);
    if (s == NULL)
        return required ? missing(field, err) : CY_OK;
    size_t n = strlen(s);
    if (n > max)
        return cy_error_set(err, CY_EINVAL, "too_long", field,
                            "%s太长：最多 %zu 个字节（约 %zu 个汉字），请删短 / %s is too long: "
                            "at most %zu bytes (about %zu Chinese characters), please shorten it",
                            zh, max, max / 3, en, max, max / 3);
    if (!utf8_valid(s, n, NULL))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", field,
                            "%s含有无法识别的字符，请重新输入 / %s holds characters that are not "
                            "text: type it again",
                            zh, en);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return cy_error_set(err, CY_EINVAL, "control_char", field,
                                "%s含有控制字符，请删去 / %s contains a control character: remove "
                                "it",
                                zh, en);
    if (required && n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", field,
                            "请填写%s / %s must not be empty", zh, en);
    return CY_OK;
}

cy_status_t
uw_value_text(const uw_value_t *v, const char *field, size_t max, int required, const char **out,
              cy_error_t *err)
{
    const char *zh, *en;
    uw_field_words(field, &zh, &en);
    *out = NULL;
    if (v->kind == UW_ABSENT || v->kind == UW_NULL)
        return required ? missing(field, err) : CY_OK;
    if (v->kind != UW_STRING)
        return cy_error_set(err, CY_EINVAL, "wrong_type", field, "%s应为文字 / %s must be text", zh,
                            en);
    cy_status_t st = uw_text_check(v->s, field, max, required, err);
    if (st == CY_OK)
        *out = v->s;
    return st;
}

cy_status_t
uw_int_check(int64_t x, const char *field, int64_t lo, int64_t hi, cy_error_t *err)
{
    if (x >= lo && x <= hi)
        return CY_OK;
    const char *zh, *en;
    uw_field_words(field, &zh, &en);
    if (hi >= INT64_MAX / 2) /* a record's number */
        return cy_error_set(err, CY_EINVAL, "out_of_range", field, "请选择%s / choose %s", zh, en);
    if (hi >= TERMS_AMOUNT_MAX) /* an amount */
        return cy_error_set(err, CY_EINVAL, "out_of_range", field,
                            lo > 0 ? "%s应为大于 0 的金额 / %s must be an amount above 0"
                                   : "%s应为不小于 0 的金额 / %s must be an amount of 0 or more",
                            zh, en);
    return cy_error_set(err, CY_EINVAL, "out_of_range", field,
                        "%s应为 %" PRId64 " 到 %" PRId64 " 之间的整数 / %s must be a whole "
                        "number from %" PRId64 " to %" PRId64,
                        zh, lo, hi, en, lo, hi);
}

cy_status_t
uw_value_int(const uw_value_t *v, const char *field, int64_t lo, int64_t hi, int *present,
             int64_t *out, cy_error_t *err)
{
    *present = 0;
    if (v->kind == UW_ABSENT || v->kind == UW_NULL)
        return CY_OK;
    if (v->kind != UW_INTEGER) {
        const char *zh, *en;
        uw_field_words(field, &zh, &en);
        return cy_error_set(err, CY_EINVAL, "wrong_type", field,
                            "%s应为整数 / %s must be a whole number", zh, en);
    }
    cy_status_t st = uw_int_check(v->i, field, lo, hi, err);
    if (st == CY_OK) {
        *present = 1;
        *out = v->i;
    }
    return st;
}

/* ---------- dates and text ---------- */

cy_status_t
uw_date_parse(const char *s, const char *field, int *y, int *m, int *d, cy_error_t *err)
{
    int64_t t;
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, &t, NULL) != CY_OK ||
        sscanf(s, "%4d-%2d-%2d", y, m, d) != 3) {
        const char *zh, *en;
        uw_field_words(field, &zh, &en);
        return cy_error_set(err, CY_EINVAL, "date_invalid", field,
                            "%s不是有效的日期，请按“年-月-日”填写，如 2025-03-01 / %s is not a "
                            "valid date: write it year-month-day, as 2025-03-01",
                            zh, en);
    }
    return CY_OK;
}

int64_t
uw_midnight(int y, int m, int d)
{
    return bjtime_end_of_day(y, m, d) - 86399;
}

int64_t
uw_today(int64_t now)
{
    char buf[16];
    int y = 1970, m = 1, d = 1;
    bjtime_format_date(now, buf);
    if (sscanf(buf, "%4d-%2d-%2d", &y, &m, &d) != 3)
        y = 1970, m = 1, d = 1;
    return uw_midnight(y, m, d);
}

void
uw_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

const char *
uw_short(const char *s, char buf[96])
{
    size_t n = s ? strlen(s) : 0;
    if (n <= 80) {
        uw_copy(buf, 96, s);
        return buf;
    }
    /* back up over continuation bytes to a character boundary */
    size_t k = 80;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "\xE2\x80\xA6", 4); /* … and the NUL */
    return buf;
}

const char *
uw_id_text(int64_t id, char buf[24])
{
    snprintf(buf, 24, "%" PRId64, id);
    return buf;
}

/* ---------- paging ---------- */

cy_status_t
uw_pager_open(store_conn_t *c, const char *sql, const store_param_t filter[3], const app_page_t *pg,
              uw_pager_t *g, cy_error_t *err)
{
    memset(g, 0, sizeof *g);
    g->pg = pg;
    g->err = err;
    store_param_t q[] = {filter[0], filter[1], filter[2],
                         STORE_P_INT(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                         STORE_P_INT(pg->limit + 1)};
    return g->st = store_query(c, sql, q, 5, &g->rows, err);
}

cy_status_t
uw_pager_open_scoped(store_conn_t *c, const char *sql, const store_param_t filter[3],
                     const uw_scope_t *s, const char *scope, const app_page_t *pg, uw_pager_t *g,
                     cy_error_t *err)
{
    memset(g, 0, sizeof *g);
    g->pg = pg;
    g->err = err;
    store_param_t q[] = {filter[0],
                         filter[1],
                         filter[2],
                         STORE_P_INT(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                         STORE_P_INT(pg->limit + 1),
                         STORE_P_INT(s->engaged),
                         STORE_P_TEXT(scope),
                         STORE_P_TEXT(s->now)};
    return g->st = store_query(c, sql, q, 8, &g->rows, err);
}

int
uw_pager_row(uw_pager_t *g)
{
    if (g->st != CY_OK || g->rows == NULL || g->more)
        return 0;
    int k = store_rows_next(g->rows, g->err);
    if (k < 0)
        g->st = g->err->status;
    if (k != 1)
        return 0;
    if (g->kept == (size_t)g->pg->limit) {
        g->more = 1; /* the row past the page: there is a next one */
        return 0;
    }
    g->kept++;
    return 1;
}

cy_status_t
uw_pager_close(uw_pager_t *g)
{
    if (g->rows != NULL)
        store_rows_free(g->rows);
    g->rows = NULL;
    return g->st;
}

cy_status_t
uw_first_row(store_conn_t *c, const char *sql, int64_t id, store_rows_t **rows, int *found,
             cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    *found = 0;
    cy_status_t st = store_query(c, sql, p, 1, rows, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(*rows, err);
    *found = k == 1;
    if (k < 0) {
        store_rows_free(*rows);
        *rows = NULL;
        return err->status;
    }
    return CY_OK;
}

cy_status_t
uw_cover_rows(store_conn_t *c, const char *sql, int64_t id, uint32_t *covered, int64_t *sublimit,
              int *share_bp, int64_t *pure, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        int cv = cov_find(store_row_text(r, "coverage"));
        if (cv < 0)
            continue;
        *covered |= 1u << cv;
        sublimit[cv] = store_row_isnull(r, "sublimit") ? 0 : store_row_int(r, "sublimit");
        share_bp[cv] = (int)store_row_int(r, "share_bp");
        if (pure != NULL)
            pure[cv] = store_row_int(r, "pure_premium");
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

/* ---------- organisations ---------- */

cy_status_t
uw_org_read(store_conn_t *c, int64_t id, uw_org_t *o, int *found, cy_error_t *err)
{
    memset(o, 0, sizeof *o);
    store_rows_t *r;
    cy_status_t st = uw_first_row(c,
                                  "SELECT type, name, region_code, industry_section, "
                                  "industry_division FROM organisation WHERE id = $1",
                                  id, &r, found, err);
    if (st != CY_OK)
        return st;
    if (*found) {
        store_row_copy(r, "type", o->type, sizeof o->type);
        store_row_copy(r, "name", o->name, sizeof o->name);
        store_row_copy(r, "region_code", o->region, sizeof o->region);
        const char *dv = store_row_text(r, "industry_division");
        uw_copy(o->industry, sizeof o->industry,
                dv && dv[0] ? dv : store_row_text(r, "industry_section"));
    }
    store_rows_free(r);
    return CY_OK;
}
