/*
 * product.c — insurance products (DOMAIN.md §6; docs/underwriting.md): an
 * insurer defines a product — class (企业类 with target industries, or
 * 产品服务类 with a product type), coverages from the notice's 13 with
 * default sublimits and shares, the BI waiting period, retention and limit
 * options, the minimum premium — as a draft, files it (备案号, date) to put
 * it on sale, and opens new versions; and the 单价保费及保额 table of a
 * product. Each write is one transaction with its audit entry. Depends on
 * core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"

/* ---------- applying what was sent ---------- */

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* 1..UW_MAX_OPTIONS distinct amounts (fen) ≥ lo, sorted into out. */
static cy_status_t
amounts_from(const uw_value_t *v, size_t n, const char *field, int64_t lo, int64_t *out,
             size_t *nout, cy_error_t *err)
{
    if (n < 1 || n > UW_MAX_OPTIONS)
        return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                            "%s 应为 1 到 %d 个金额（分）的数组 / %s must be an array of 1 to %d "
                            "amounts in fen",
                            field, UW_MAX_OPTIONS, field, UW_MAX_OPTIONS);
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind != UW_INTEGER || v[i].i < lo || v[i].i > TERMS_AMOUNT_MAX)
            return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                                "%s[%zu] 应为不小于 %" PRId64 " 的整数金额（分） / %s[%zu] must be "
                                "an amount in fen of at least %" PRId64,
                                field, i, lo, field, i, lo);
        out[i] = v[i].i;
        for (size_t k = 0; k < i; k++)
            if (out[k] == out[i])
                return cy_error_set(err, CY_EINVAL, "options_duplicate", field,
                                    "%s 中的金额重复 / %s lists an amount twice", field, field);
    }
    *nout = n;
    qsort(out, n, sizeof *out, cmp_i64);
    return CY_OK;
}

static cy_status_t
apply_targets(const app_t *app, uw_product_t *p, const uw_product_in_t *in, cy_error_t *err)
{
    if (in->n_target_industries > UW_MAX_TARGETS)
        return cy_error_set(err, CY_EINVAL, "target_industries_invalid", "target_industries",
                            "target_industries 应为至多 8 个试点行业代码的数组 / "
                            "target_industries must be an array of at most 8 pilot industry "
                            "codes");
    p->n_target_industries = 0;
    for (size_t i = 0; i < in->n_target_industries; i++) {
        const uw_value_t *v = &in->target_industries[i];
        if (v->kind != UW_STRING || ref_target_industry_find(app->ref, v->s) == NULL)
            return cy_error_set(err, CY_EINVAL, "target_industry_unknown", "target_industries",
                                "target_industries[%zu] 不是试点目标行业代码（见 "
                                "/api/v1/ref/pilot） / target_industries[%zu] is not a pilot "
                                "target industry (see /api/v1/ref/pilot)",
                                i, i);
        uw_copy(p->target_industries[p->n_target_industries++], sizeof p->target_industries[0],
                v->s);
    }
    return CY_OK;
}

/* One coverage as sent: coverages[i]. */
static cy_status_t
apply_cover(uw_product_t *p, const uw_cover_in_t *in, size_t i, cy_error_t *err)
{
    char f[48];
    snprintf(f, sizeof f, "coverages[%zu]", i);
    int c = in->code.kind == UW_STRING ? cov_find(in->code.s) : -1;
    if (in->not_object || c < 0)
        return cy_error_set(err, CY_EINVAL, "coverage_unknown", f,
                            "%s.code 应为通知所列 13 个险种之一（见 /api/v1/ref/coverages） / "
                            "%s.code must be one of the notice's 13 coverages (see "
                            "/api/v1/ref/coverages)",
                            f, f);
    if (p->covered & (1u << c))
        return cy_error_set(err, CY_EINVAL, "coverage_duplicate", f,
                            "险种 %s 重复 / coverage %s is listed twice", in->code.s, in->code.s);
    if (in->unknown != NULL)
        return cy_error_set(err, CY_EINVAL, "unknown_field", f,
                            "%s 含未知字段 %s / %s has an unknown field %s", f, in->unknown, f,
                            in->unknown);
    const uw_value_t *sl = &in->sublimit, *sh = &in->share_bp;
    int has_sub = sl->kind != UW_ABSENT && sl->kind != UW_NULL;
    if (has_sub && (sl->kind != UW_INTEGER || sl->i <= 0 || sl->i > TERMS_AMOUNT_MAX))
        return cy_error_set(err, CY_EINVAL, "sublimit_invalid", f,
                            "%s.sublimit 应为正的金额（分）或 null（即累计限额） / %s.sublimit "
                            "must be a positive amount in fen, or null (the aggregate limit)",
                            f, f);
    if (sh->kind != UW_ABSENT && (sh->kind != UW_INTEGER || sh->i < 1 || sh->i > 10000))
        return cy_error_set(err, CY_EINVAL, "share_invalid", f,
                            "%s.share_bp 应为 1 到 10000 的基点数 / %s.share_bp must be 1 to "
                            "10000 basis points",
                            f, f);
    p->covered |= 1u << c;
    p->sublimit[c] = has_sub ? sl->i : 0;
    p->share_bp[c] = sh->kind == UW_ABSENT ? 10000 : (int)sh->i;
    return CY_OK;
}

static cy_status_t
apply_coverages(uw_product_t *p, const uw_product_in_t *in, cy_error_t *err)
{
    if (in->n_coverages < 1 || in->n_coverages > COV_N)
        return cy_error_set(err, CY_EINVAL, "coverages_invalid", "coverages",
                            "coverages 应为 1 到 13 个险种的数组 / coverages must be an array of 1 "
                            "to 13 coverages");
    p->covered = 0;
    memset(p->sublimit, 0, sizeof p->sublimit);
    memset(p->share_bp, 0, sizeof p->share_bp);
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < in->n_coverages && st == CY_OK; i++)
        st = apply_cover(p, &in->coverages[i], i, err);
    return st;
}

/* The text fields and the class. */
static cy_status_t
apply_texts(const app_t *app, uw_product_t *p, const uw_product_in_t *in, int creating,
            cy_error_t *err)
{
    cy_status_t st;
    if ((st = uw_text_check(in->name, "name", 255, creating, err)) != CY_OK)
        return st;
    if (in->name)
        uw_copy(p->name, sizeof p->name, in->name);
    if ((st = uw_text_check(in->class_, "class", 20, creating, err)) != CY_OK)
        return st;
    if (in->class_) {
        if (strcmp(in->class_, "enterprise") != 0 && strcmp(in->class_, "product_service") != 0)
            return cy_error_set(
                err, CY_EINVAL, "class_invalid", "class",
                "产品类别应为 enterprise（企业类）或 product_service（产品服务类） / "
                "class must be enterprise or product_service");
        uw_copy(p->class_, sizeof p->class_, in->class_);
    }
    if (in->has_target_industries && (st = apply_targets(app, p, in, err)) != CY_OK)
        return st;
    if (in->has_product_type) {
        const char *s = in->product_type;
        if ((st = uw_text_check(s, "product_type", 40, 0, err)) != CY_OK)
            return st;
        if (s && s[0] && ref_product_class_find(app->ref, s) == NULL)
            return cy_error_set(err, CY_EINVAL, "product_type_unknown", "product_type",
                                "未知的产品服务类型 %s（见 /api/v1/ref/pilot） / unknown product "
                                "type %s (see /api/v1/ref/pilot)",
                                s, s);
        uw_copy(p->product_type, sizeof p->product_type, s);
    }
    if ((st = uw_text_check(in->description, "description", 2000, 0, err)) != CY_OK)
        return st;
    if (in->description)
        uw_copy(p->description, sizeof p->description, in->description);
    return CY_OK;
}

/* The liability trigger: occurrence, or claims made with an optional fixed retroactive date. */
static cy_status_t
apply_trigger(uw_product_t *p, const uw_product_in_t *in, cy_error_t *err)
{
    if (in->trigger != NULL) {
        if (strcmp(in->trigger, "occurrence") != 0 && strcmp(in->trigger, "claims_made") != 0)
            return cy_error_set(err, CY_EINVAL, "trigger_invalid", "liability_trigger",
                                "责任触发方式请选“事故发生制”或“索赔发生制” / the liability "
                                "trigger is occurrence or claims made");
        uw_copy(p->trigger, sizeof p->trigger, in->trigger);
    }
    if (in->has_retro_date) {
        int y, m, d;
        cy_status_t st = CY_OK;
        if (in->retro_date != NULL && in->retro_date[0] &&
            (st = uw_date_parse(in->retro_date, "retro_date", &y, &m, &d, err)) != CY_OK)
            return st;
        uw_copy(p->retro_date, sizeof p->retro_date, in->retro_date);
    }
    if (!p->trigger[0])
        uw_copy(p->trigger, sizeof p->trigger, "occurrence");
    if (!strcmp(p->trigger, "occurrence") && p->retro_date[0])
        return cy_error_set(err, CY_EINVAL, "retro_date_not_allowed", "retro_date",
                            "事故发生制没有追溯日期：请清空追溯日期，或改选索赔发生制 / an "
                            "occurrence trigger has no retroactive date: clear it, or choose "
                            "claims made");
    return CY_OK;
}

/* Apply the fields given onto p (creating: the required ones must be there). */
static cy_status_t
apply_in(const app_t *app, uw_product_t *p, const uw_product_in_t *in, int creating,
         cy_error_t *err)
{
    cy_status_t st = apply_texts(app, p, in, creating, err);
    if (st == CY_OK && in->bi_waiting_hours.given &&
        (st = uw_int_check(in->bi_waiting_hours.v, "bi_waiting_hours", 0, 720, err)) == CY_OK)
        p->bi_waiting_hours = (int)in->bi_waiting_hours.v;
    if (st == CY_OK && in->has_retentions)
        st = amounts_from(in->retentions, in->n_retentions, "retention_options", 0, p->retentions,
                          &p->n_retentions, err);
    if (st == CY_OK && in->has_limits)
        st = amounts_from(in->limits, in->n_limits, "limit_options", 1, p->limits, &p->n_limits,
                          err);
    if (st == CY_OK && in->has_minimum_premium) {
        const uw_value_t *m = &in->minimum_premium;
        int present = 0;
        st = uw_value_int(m, "minimum_premium", 0, TERMS_AMOUNT_MAX, &present, &p->minimum_premium,
                          err);
        if (st == CY_OK && !present)
            p->minimum_premium = -1; /* null: the rating model's */
    }
    if (st == CY_OK && in->has_coverages)
        st = apply_coverages(p, in, err);
    if (st == CY_OK)
        st = apply_trigger(p, in, err);
    return st;
}

/* What the whole product must satisfy, whichever fields changed. */
static cy_status_t
validate(const uw_product_t *p, cy_error_t *err)
{
    int enterprise = strcmp(p->class_, "enterprise") == 0;
    if (enterprise && p->n_target_industries == 0)
        return cy_error_set(err, CY_EINVAL, "target_industries_required", "target_industries",
                            "企业类产品须注明目标行业领域 / an enterprise product needs its target "
                            "industries");
    if (enterprise && p->product_type[0])
        return cy_error_set(err, CY_EINVAL, "product_type_not_allowed", "product_type",
                            "企业类产品不填产品类型 / an enterprise product has no product type");
    if (!enterprise && p->product_type[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "product_type_required", "product_type",
                            "产品服务类产品须注明产品类型 / a product/service product needs its "
                            "product type");
    if (!enterprise && p->n_target_industries > 0)
        return cy_error_set(err, CY_EINVAL, "target_industries_not_allowed", "target_industries",
                            "产品服务类产品不填目标行业 / a product/service product has no target "
                            "industries");
    if (p->covered == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "coverages",
                            "缺少保障范围 coverages / coverages is required");
    if (p->n_limits == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "limit_options",
                            "缺少限额选项 limit_options / limit_options is required");
    if (p->n_retentions == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "retention_options",
                            "缺少免赔额选项 retention_options / retention_options is required");
    /* every combination the product offers must be a valid layer */
    cy_status_t st =
        terms_layer_check(p->limits[0], p->retentions[p->n_retentions - 1], "limit_options", err);
    if (st != CY_OK)
        return st;
    if ((p->covered & (1u << COV_BI)) && p->bi_waiting_hours <= 0)
        return cy_error_set(err, CY_EINVAL, "waiting_period_required", "bi_waiting_hours",
                            "承保营业中断须设定等待期（小时） / business interruption needs a "
                            "waiting period in hours");
    return CY_OK;
}

/* ---------- use cases ---------- */

/* The product for a write: visible (404), the caller's insurer (403). */
static cy_status_t
load_for_write(store_conn_t *c, const actor_t *a, int64_t id, authz_action_t act, uw_product_t *p,
               cy_error_t *err)
{
    int found = 0;
    cy_status_t st = uw_product_read(c, id, p, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !uw_product_visible(a, p))
        return app_not_found(err, "产品", "product", id);
    if (!uw_may(a, act) || (!a->cli && p->insurer_org_id != a->org_id))
        return app_forbidden(err, act);
    return CY_OK;
}

/* A draft is made with the data files' versions of today. */
static void
stamp(const app_t *app, uw_product_t *p, const char *now_iso, int creating)
{
    uw_copy(p->rating_model, sizeof p->rating_model, app->uw->rating.version);
    uw_copy(p->rules_version, sizeof p->rules_version, app->uw->rules.version);
    if (creating)
        uw_copy(p->created_at, sizeof p->created_at, now_iso);
    uw_copy(p->updated_at, sizeof p->updated_at, now_iso);
}

cy_status_t
app_uw_product_create(app_t *app, const actor_t *a, int64_t now, const uw_product_in_t *in,
                      uw_product_t *p, cy_error_t *err)
{
    if (!uw_may(a, ACT_PRODUCT_MANAGE))
        return app_forbidden(err, ACT_PRODUCT_MANAGE);
    if (a->org_type != ORG_INSURER || a->org_id <= 0)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "产品须由保险机构创建 / a product is created by an insurer");
    char at[32], id[24], nm[96];
    utc_format_iso(now, at);
    memset(p, 0, sizeof *p);
    p->version = 1;
    p->insurer_org_id = a->org_id;
    p->minimum_premium = -1;
    uw_copy(p->status, sizeof p->status, "draft");
    stamp(app, p, at, 1);
    cy_status_t st = apply_in(app, p, in, 1, err);
    if (st == CY_OK)
        st = validate(p, err);
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    uw_org_t o;
    int found = 0;
    st = uw_product_insert(c, p, err);
    if (st == CY_OK)
        st = uw_org_read(c, p->insurer_org_id, &o, &found, err);
    if (st == CY_OK) {
        uw_copy(p->insurer_name, sizeof p->insurer_name, o.name);
        st = app_audit_append(c, a, now, "product.create", "product", uw_id_text(p->id, id), err,
                              "创建保险产品“%s”（草稿第 %d 版） / created product \"%s\" (draft "
                              "version %d)",
                              uw_short(p->name, nm), p->version, nm, p->version);
    }
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_uw_product_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                      const uw_product_in_t *in, uw_product_t *p, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char at[32], ids[24], nm[96];
    utc_format_iso(now, at);
    st = load_for_write(c, a, id, ACT_PRODUCT_MANAGE, p, err);
    if (st == CY_OK && strcmp(p->status, "draft") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "product_not_draft", "status",
                          "产品第 %d 版已备案（%s），不能修改；请新建版本 / version %d is filed "
                          "(%s) and cannot change; open a new version",
                          p->version, p->status, p->version, p->status);
    if (st == CY_OK) {
        stamp(app, p, at, 0);
        st = apply_in(app, p, in, 0, err);
    }
    if (st == CY_OK)
        st = validate(p, err);
    if (st == CY_OK)
        st = uw_product_update(c, p, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "product.update", "product", uw_id_text(p->id, ids), err,
                              "修改保险产品“%s”草稿第 %d 版 / updated draft version %d of product "
                              "\"%s\"",
                              uw_short(p->name, nm), p->version, p->version, nm);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_uw_product_get(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_product_t *p,
                   cy_error_t *err)
{
    (void)now;
    if (!uw_may(a, ACT_PRODUCT_READ))
        return app_forbidden(err, ACT_PRODUCT_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = uw_product_read(c, id, p, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = app_not_found(err, "产品", "product", id);
    return st;
}

static int
status_ok(const char *s)
{
    return s == NULL || !strcmp(s, "draft") || !strcmp(s, "active") || !strcmp(s, "superseded") ||
           !strcmp(s, "withdrawn");
}

cy_status_t
app_uw_product_list(app_t *app, const actor_t *a, int64_t now, const char *status,
                    const app_page_t *pg, uw_product_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_PRODUCT_READ))
        return app_forbidden(err, ACT_PRODUCT_READ);
    if (!status_ok(status))
        return cy_error_set(err, CY_EBADREQ, "status_invalid", "status",
                            "status 应为 draft、active、superseded 或 withdrawn / status must be "
                            "draft, active, superseded or withdrawn");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = uw_product_list_read(c, uw_scope(a), status, pg, out, err);
    store_release(app->store, c);
    if (st != CY_OK)
        uw_product_list_free(out);
    return st;
}

void
uw_product_list_free(uw_product_list_t *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

cy_status_t
app_uw_product_file(app_t *app, const actor_t *a, int64_t now, int64_t id, const uw_filing_in_t *in,
                    uw_product_t *p, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int y = 0, m = 0, d = 0;
    char ids[24], nm[96], fn[96];
    st = load_for_write(c, a, id, ACT_PRODUCT_FILE, p, err);
    if (st == CY_OK && strcmp(p->status, "draft") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "product_not_draft", "status",
                          "产品第 %d 版已备案 / version %d is already filed", p->version,
                          p->version);
    if (st == CY_OK)
        st = uw_text_check(in->filing_no, "filing_no", 120, 1, err);
    if (st == CY_OK)
        st = uw_text_check(in->filing_date, "filing_date", 10, 1, err);
    if (st == CY_OK)
        st = uw_date_parse(in->filing_date, "filing_date", &y, &m, &d, err);
    if (st == CY_OK && uw_midnight(y, m, d) > uw_today(now))
        st = cy_error_set(err, CY_EINVAL, "date_future", "filing_date",
                          "备案日期不能晚于今天 / the filing date cannot be in the future");
    if (st == CY_OK) {
        uw_copy(p->status, sizeof p->status, "active");
        uw_copy(p->filing_no, sizeof p->filing_no, in->filing_no);
        uw_copy(p->filing_date, sizeof p->filing_date, in->filing_date);
        utc_format_iso(now, p->updated_at);
        st = uw_product_put_on_sale(c, p, err);
    }
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "product.file", "product", uw_id_text(p->id, ids), err,
                              "保险产品“%s”第 %d 版备案（%s，%s），开始销售 / filed version %d of "
                              "product \"%s\" (%s, %s) and put it on sale",
                              uw_short(p->name, nm), p->version, uw_short(in->filing_no, fn),
                              p->filing_date, p->version, nm, fn, p->filing_date);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_uw_product_version(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_product_t *p,
                       cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int64_t drafts = 0, maxv = 0;
    char at[32], ids[24], nm[96];
    utc_format_iso(now, at);
    /* a new version starts a new filing: the act of whoever files (the insurer's admin) */
    st = load_for_write(c, a, id, ACT_PRODUCT_FILE, p, err);
    if (st == CY_OK)
        st = uw_product_family(c, p->family_id, &drafts, &maxv, err);
    if (st == CY_OK && drafts > 0)
        st = cy_error_set(err, CY_ECONFLICT, "draft_exists", "id",
                          "该产品已有草稿版本，请先修改或备案该草稿 / the product already has a "
                          "draft version: edit or file it first");
    if (st == CY_OK) {
        p->version = (int)maxv + 1;
        uw_copy(p->status, sizeof p->status, "draft");
        p->filing_no[0] = p->filing_date[0] = '\0';
        stamp(app, p, at, 1);
        st = uw_product_insert(c, p, err);
    }
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "product.version", "product", uw_id_text(p->id, ids), err,
                              "由保险产品 %" PRId64
                              " 新建“%s”草稿第 %d 版 / opened draft version %d "
                              "of \"%s\" from product %" PRId64,
                              id, uw_short(p->name, nm), p->version, p->version, nm, id);
    return store_tx_close(app->store, c, st, err);
}
