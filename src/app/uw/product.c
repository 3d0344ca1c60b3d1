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
#include "core/money.h"

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
    const char *zh, *en;
    uw_field_words(field, &zh, &en);
    if (n < 1 || n > UW_MAX_OPTIONS)
        return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                            "%s：请给出 1 到 %d 个金额 / %s: give 1 to %d amounts", zh,
                            UW_MAX_OPTIONS, en, UW_MAX_OPTIONS);
    for (size_t i = 0; i < n; i++) {
        if (v[i].kind != UW_INTEGER || v[i].i < lo || v[i].i > TERMS_AMOUNT_MAX) {
            char m[MONEY_FORMAT_MAX];
            money_format(lo, m, sizeof m);
            return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                                "%s的第 %zu 项应为不少于 %s 的金额 / item %zu of %s must be an "
                                "amount of at least %s",
                                zh, i + 1, m, i + 1, en, m);
        }
        out[i] = v[i].i;
        for (size_t k = 0; k < i; k++)
            if (out[k] == out[i])
                return cy_error_set(err, CY_EINVAL, "options_duplicate", field,
                                    "%s中有重复的金额，请删去一个 / %s lists an amount twice: "
                                    "remove one",
                                    zh, en);
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
                            "试点行业领域最多选 %d 个 / choose at most %d pilot industries",
                            UW_MAX_TARGETS, UW_MAX_TARGETS);
    p->n_target_industries = 0;
    for (size_t i = 0; i < in->n_target_industries; i++) {
        const uw_value_t *v = &in->target_industries[i];
        if (v->kind != UW_STRING || ref_target_industry_find(app->ref, v->s) == NULL)
            return cy_error_set(err, CY_EINVAL, "target_industry_unknown", "target_industries",
                                "第 %zu 个试点行业领域不是试点的目标行业，请从列表中选择 / pilot "
                                "industry %zu is not one of the pilot's target industries: "
                                "choose from the list",
                                i + 1, i + 1);
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
                            "第 %zu 个险种不是通知所列 13 个险种之一，请从列表中选择 / coverage "
                            "%zu is not one of the notice's 13: choose from the list",
                            i + 1, i + 1);
    if (p->covered & (1u << c))
        return cy_error_set(err, CY_EINVAL, "coverage_duplicate", f,
                            "险种“%s”列了两次 / %s is listed twice", cov_name_zh(c),
                            cov_name_en(c));
    if (in->unknown != NULL)
        return cy_error_set(err, CY_EINVAL, "unknown_field", f,
                            "第 %zu 个险种含有无法识别的内容 %s，请去掉 / coverage %zu has "
                            "something it does not take (%s): leave it out",
                            i + 1, in->unknown, i + 1, in->unknown);
    const uw_value_t *sl = &in->sublimit, *sh = &in->share_bp;
    int has_sub = sl->kind != UW_ABSENT && sl->kind != UW_NULL;
    if (has_sub && (sl->kind != UW_INTEGER || sl->i <= 0 || sl->i > TERMS_AMOUNT_MAX))
        return cy_error_set(err, CY_EINVAL, "sublimit_invalid", f,
                            "%s的默认分项限额应为正的金额；留空即为累计赔偿限额 / the default "
                            "sublimit of %s must be a positive amount; leave it empty for the "
                            "aggregate limit",
                            cov_name_zh(c), cov_name_en(c));
    if (sh->kind != UW_ABSENT && (sh->kind != UW_INTEGER || sh->i < 1 || sh->i > 10000))
        return cy_error_set(err, CY_EINVAL, "share_invalid", f,
                            "%s的承保比例应在 0.01%% 到 100%% 之间 / the insurer's share of %s "
                            "must be from 0.01%% to 100%%",
                            cov_name_zh(c), cov_name_en(c));
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
                            "请选择 1 到 13 个险种 / choose 1 to 13 coverages");
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
            return cy_error_set(err, CY_EINVAL, "class_invalid", "class",
                                "产品类别请选“企业类”或“产品服务类” / the product class is the "
                                "enterprise class or the product and service class");
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
                                "产品服务类型不在试点的分类之中，请从列表中选择 / the product "
                                "type is not one of the pilot's classes: choose from the list");
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
                            "请选择保障的险种 / choose the coverages");
    if (p->n_limits == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "limit_options",
                            "请给出限额选项 / give the limit options");
    if (p->n_retentions == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "retention_options",
                            "请给出免赔额选项 / give the retention options");
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

/* The end of a write: commit (or roll back), and what a may do with p now. */
static cy_status_t
written(app_t *app, store_conn_t *c, const actor_t *a, uw_product_t *p, cy_status_t st,
        cy_error_t *err)
{
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK)
        p->actions = uw_product_actions(a, p);
    return st;
}

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
    return written(app, c, a, p, st, err);
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
                          "产品第 %d 版已备案，不能修改；请新建版本 / version %d is filed and "
                          "cannot change: open a new version",
                          p->version, p->version);
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
    return written(app, c, a, p, st, err);
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
    if (st == CY_OK)
        p->actions = uw_product_actions(a, p);
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
    for (size_t i = 0; i < out->n; i++)
        out->items[i].actions = uw_product_actions(a, &out->items[i]);
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
                          "产品第 %d 版已备案，不能再备案；请新建版本 / version %d is already "
                          "filed: open a new version",
                          p->version, p->version);
    if (st == CY_OK)
        st = uw_text_check(in->filing_no, "filing_no", 120, 1, err);
    if (st == CY_OK)
        st = uw_text_check(in->filing_date, "filing_date", 10, 1, err);
    if (st == CY_OK)
        st = uw_date_parse(in->filing_date, "filing_date", &y, &m, &d, err);
    if (st == CY_OK && uw_midnight(y, m, d) > uw_today(now))
        st = cy_error_set(err, CY_EINVAL, "date_future", "filing_date",
                          "备案日期不能晚于今天，请填写备案文件上的日期 / the filing date cannot "
                          "be in the future: give the date on the filing");
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
    return written(app, c, a, p, st, err);
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
    return written(app, c, a, p, st, err);
}
