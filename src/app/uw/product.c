/*
 * uw_product.c — insurance products (DOMAIN.md §6; docs/underwriting.md):
 * an insurer defines a product — class (企业类 with target industries, or
 * 产品服务类 with a product type), coverages from the notice's 13 with
 * default sublimits and shares, the BI waiting period, retention and limit
 * options, the minimum premium — as a draft, files it (备案号, date) to put
 * it on sale, and opens new versions; and the 单价保费及保额 table of a
 * product. Each write is one transaction with its audit entry. Depends on
 * core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/uw.h"
#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

/* ---------- validation ---------- */

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* An array of 1..UW_MAX_OPTIONS distinct amounts (fen) ≥ lo, sorted into out. */
static cy_status_t
amounts_from(json_t *arr, const char *field, int64_t lo, int64_t *out, size_t *n, cy_error_t *err)
{
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > UW_MAX_OPTIONS)
        return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                            "%s 应为 1 到 %d 个金额（分）的数组 / %s must be an array of 1 to %d "
                            "amounts in fen",
                            field, UW_MAX_OPTIONS, field, UW_MAX_OPTIONS);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < lo ||
            json_integer_value(v) > TERMS_AMOUNT_MAX)
            return cy_error_set(err, CY_EINVAL, "options_invalid", field,
                                "%s[%zu] 应为不小于 %" PRId64 " 的整数金额（分） / %s[%zu] must be "
                                "an amount in fen of at least %" PRId64,
                                field, i, lo, field, i, lo);
        out[i] = json_integer_value(v);
        for (size_t k = 0; k < i; k++)
            if (out[k] == out[i])
                return cy_error_set(err, CY_EINVAL, "options_duplicate", field,
                                    "%s 中的金额重复 / %s lists an amount twice", field, field);
    }
    *n = json_array_size(arr);
    qsort(out, *n, sizeof *out, cmp_i64);
    return CY_OK;
}

/* Apply the fields present in body onto p (creating: the required ones must be there). */
static cy_status_t
apply_body(app_t *app, uw_product_rec_t *p, json_t *body, int creating, cy_error_t *err)
{
    const char *s;
    cy_status_t st;
    static const char *const known[] = {"name",
                                        "class",
                                        "target_industries",
                                        "product_type",
                                        "description",
                                        "bi_waiting_hours",
                                        "retention_options",
                                        "limit_options",
                                        "minimum_premium",
                                        "coverages",
                                        NULL};
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        int ok = 0;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                                "未知字段 %s / unknown field %s", key, key);
    }
    if ((st = uw_jtext(body, "name", 255, creating, &s, err)) != CY_OK)
        return st;
    if (s)
        uw_copy(p->name, sizeof p->name, s);
    if ((st = uw_jtext(body, "class", 20, creating, &s, err)) != CY_OK)
        return st;
    if (s) {
        if (strcmp(s, "enterprise") != 0 && strcmp(s, "product_service") != 0)
            return cy_error_set(
                err, CY_EINVAL, "class_invalid", "class",
                "产品类别应为 enterprise（企业类）或 product_service（产品服务类） / "
                "class must be enterprise or product_service");
        uw_copy(p->class_, sizeof p->class_, s);
    }
    json_t *ti = json_object_get(body, "target_industries");
    if (ti != NULL) {
        if (!json_is_array(ti) || json_array_size(ti) > 8)
            return cy_error_set(err, CY_EINVAL, "target_industries_invalid", "target_industries",
                                "target_industries 应为至多 8 个试点行业代码的数组 / "
                                "target_industries must be an array of at most 8 pilot industry "
                                "codes");
        p->target_industries[0] = '\0';
        size_t i;
        json_t *v;
        json_array_foreach(ti, i, v)
        {
            const char *code = json_string_value(v);
            if (code == NULL || ref_target_industry_find(app->ref, code) == NULL)
                return cy_error_set(err, CY_EINVAL, "target_industry_unknown", "target_industries",
                                    "target_industries[%zu] 不是试点目标行业代码（见 "
                                    "/api/v1/ref/pilot） / target_industries[%zu] is not a pilot "
                                    "target industry (see /api/v1/ref/pilot)",
                                    i, i);
            size_t used = strlen(p->target_industries);
            snprintf(p->target_industries + used, sizeof p->target_industries - used, "%s%s",
                     used ? "," : "", code);
        }
    }
    if (json_object_get(body, "product_type") != NULL) {
        if ((st = uw_jtext(body, "product_type", 40, 0, &s, err)) != CY_OK)
            return st;
        if (s && s[0] && ref_product_class_find(app->ref, s) == NULL)
            return cy_error_set(err, CY_EINVAL, "product_type_unknown", "product_type",
                                "未知的产品服务类型 %s（见 /api/v1/ref/pilot） / unknown product "
                                "type %s (see /api/v1/ref/pilot)",
                                s, s);
        uw_copy(p->product_type, sizeof p->product_type, s);
    }
    if ((st = uw_jtext(body, "description", 2000, 0, &s, err)) != CY_OK)
        return st;
    if (s)
        uw_copy(p->description, sizeof p->description, s);
    int present;
    int64_t v;
    if ((st = uw_jint(body, "bi_waiting_hours", 0, 720, 0, &present, &v, err)) != CY_OK)
        return st;
    if (present)
        p->bi_waiting_hours = (int)v;
    json_t *ro = json_object_get(body, "retention_options");
    if (ro != NULL && (st = amounts_from(ro, "retention_options", 0, p->retentions,
                                         &p->n_retentions, err)) != CY_OK)
        return st;
    json_t *lo = json_object_get(body, "limit_options");
    if (lo != NULL &&
        (st = amounts_from(lo, "limit_options", 1, p->limits, &p->n_limits, err)) != CY_OK)
        return st;
    json_t *mp = json_object_get(body, "minimum_premium");
    if (mp != NULL) {
        if (json_is_null(mp))
            p->minimum_premium = -1;
        else if ((st = uw_jint(body, "minimum_premium", 0, TERMS_AMOUNT_MAX, 0, &present,
                               &p->minimum_premium, err)) != CY_OK)
            return st;
    }
    json_t *cv = json_object_get(body, "coverages");
    if (cv != NULL) {
        if (!json_is_array(cv) || json_array_size(cv) < 1 || json_array_size(cv) > COV_N)
            return cy_error_set(err, CY_EINVAL, "coverages_invalid", "coverages",
                                "coverages 应为 1 到 13 个险种的数组 / coverages must be an array "
                                "of 1 to 13 coverages");
        p->covered = 0;
        size_t i;
        json_t *o;
        json_array_foreach(cv, i, o)
        {
            char f[48];
            snprintf(f, sizeof f, "coverages[%zu]", i);
            const char *code = json_string_value(json_object_get(o, "code"));
            int c = cov_find(code);
            if (!json_is_object(o) || c < 0)
                return cy_error_set(
                    err, CY_EINVAL, "coverage_unknown", f,
                    "%s.code 应为通知所列 13 个险种之一（见 /api/v1/ref/coverages） / "
                    "%s.code must be one of the notice's 13 coverages (see "
                    "/api/v1/ref/coverages)",
                    f, f);
            if (p->covered & (1u << c))
                return cy_error_set(err, CY_EINVAL, "coverage_duplicate", f,
                                    "险种 %s 重复 / coverage %s is listed twice", code, code);
            const char *key2;
            json_t *val2;
            json_object_foreach(o, key2, val2)
            {
                if (strcmp(key2, "code") && strcmp(key2, "sublimit") && strcmp(key2, "share_bp"))
                    return cy_error_set(err, CY_EINVAL, "unknown_field", f,
                                        "%s 含未知字段 %s / %s has an unknown field %s", f, key2, f,
                                        key2);
            }
            json_t *sl = json_object_get(o, "sublimit");
            int64_t sub = 0, share = 10000;
            if (sl != NULL && !json_is_null(sl)) {
                if (!json_is_integer(sl) || json_integer_value(sl) <= 0 ||
                    json_integer_value(sl) > TERMS_AMOUNT_MAX)
                    return cy_error_set(err, CY_EINVAL, "sublimit_invalid", f,
                                        "%s.sublimit 应为正的金额（分）或 null（即累计限额） / "
                                        "%s.sublimit must be a positive amount in fen, or null "
                                        "(the aggregate limit)",
                                        f, f);
                sub = json_integer_value(sl);
            }
            json_t *sh = json_object_get(o, "share_bp");
            if (sh != NULL) {
                if (!json_is_integer(sh) || json_integer_value(sh) < 1 ||
                    json_integer_value(sh) > 10000)
                    return cy_error_set(
                        err, CY_EINVAL, "share_invalid", f,
                        "%s.share_bp 应为 1 到 10000 的基点数 / %s.share_bp must be "
                        "1 to 10000 basis points",
                        f, f);
                share = json_integer_value(sh);
            }
            p->covered |= 1u << c;
            p->sublimit[c] = sub;
            p->share_bp[c] = (int)share;
        }
    }
    return CY_OK;
}

/* What the whole product must satisfy, whichever fields changed. */
static cy_status_t
validate(const uw_product_rec_t *p, cy_error_t *err)
{
    int enterprise = strcmp(p->class_, "enterprise") == 0;
    if (enterprise && p->target_industries[0] == '\0')
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
    if (!enterprise && p->target_industries[0])
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
    if (p->limits[0] <= p->retentions[p->n_retentions - 1])
        return cy_error_set(
            err, CY_EINVAL, "limit_below_retention", "limit_options",
            "最小的限额选项应高于最大的免赔额选项 / the smallest limit option must be "
            "above the largest retention option");
    if ((p->covered & (1u << COV_BI)) && p->bi_waiting_hours <= 0)
        return cy_error_set(err, CY_EINVAL, "waiting_period_required", "bi_waiting_hours",
                            "承保营业中断须设定等待期（小时） / business interruption needs a "
                            "waiting period in hours");
    return CY_OK;
}

/* ---------- storing ---------- */

static void
options_csv(const int64_t *v, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%" PRId64, i ? "," : "", v[i]);
}

static cy_status_t
store_coverages(store_conn_t *c, const uw_product_rec_t *p, cy_error_t *err)
{
    store_param_t d[] = {STORE_P_INT(p->id)};
    cy_status_t st =
        store_exec(c, "DELETE FROM uw_product_coverage WHERE product_id = $1", d, 1, NULL, err);
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(p->covered & (1u << cv)))
            continue;
        store_param_t q[] = {STORE_P_INT(p->id), STORE_P_TEXT(cov_code(cv)),
                             p->sublimit[cv] > 0 ? STORE_P_INT(p->sublimit[cv]) : STORE_P_NULL,
                             STORE_P_INT(p->share_bp[cv])};
        st =
            store_exec(c,
                       "INSERT INTO uw_product_coverage (product_id, coverage, sublimit, share_bp) "
                       "VALUES ($1, $2, $3, $4)",
                       q, 4, NULL, err);
    }
    return st;
}

static cy_status_t
store_product(store_conn_t *c, uw_product_rec_t *p, int creating, cy_error_t *err)
{
    char ro[400], lo[400], now[32];
    options_csv(p->retentions, p->n_retentions, ro, sizeof ro);
    options_csv(p->limits, p->n_limits, lo, sizeof lo);
    app_now_iso(now);
    if (creating)
        uw_copy(p->created_at, sizeof p->created_at, now);
    uw_copy(p->updated_at, sizeof p->updated_at, now);
    store_param_t q[] = {
        STORE_P_INT(p->version),
        STORE_P_INT(p->insurer_org_id),
        STORE_P_TEXT(p->name),
        STORE_P_TEXT(p->class_),
        STORE_P_TEXT(p->target_industries),
        p->product_type[0] ? STORE_P_TEXT(p->product_type) : STORE_P_NULL,
        STORE_P_TEXT(p->description),
        STORE_P_INT(p->bi_waiting_hours),
        STORE_P_TEXT(ro),
        STORE_P_TEXT(lo),
        p->minimum_premium >= 0 ? STORE_P_INT(p->minimum_premium) : STORE_P_NULL,
        STORE_P_TEXT(p->rating_model),
        STORE_P_TEXT(p->rules_version),
        STORE_P_TEXT(p->status),
        STORE_P_TEXT(p->created_at),
        STORE_P_TEXT(p->updated_at),
        p->family_id > 0 ? STORE_P_INT(p->family_id) : STORE_P_NULL,
        STORE_P_INT(p->id),
    };
    cy_status_t st;
    if (creating) {
        st = uw_insert_id(c,
                          "INSERT INTO uw_product (version, insurer_org_id, name, class, "
                          "target_industries, product_type, description, bi_waiting_hours, "
                          "retention_options, limit_options, minimum_premium, rating_model, "
                          "rules_version, status, created_at, updated_at, family_id) VALUES ($1, "
                          "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
                          "RETURNING id",
                          q, 17, &p->id, err);
        if (st == CY_OK && p->family_id <= 0) {
            /* the first version names its family */
            p->family_id = p->id;
            store_param_t f[] = {STORE_P_INT(p->id)};
            st = store_exec(c, "UPDATE uw_product SET family_id = id WHERE id = $1", f, 1, NULL,
                            err);
        }
    } else {
        st = store_exec(c,
                        "UPDATE uw_product SET name = $3, class = $4, target_industries = $5, "
                        "product_type = $6, description = $7, bi_waiting_hours = $8, "
                        "retention_options = $9, limit_options = $10, minimum_premium = $11, "
                        "rating_model = $12, rules_version = $13, updated_at = $16 WHERE id = $18",
                        q, 18, NULL, err);
    }
    if (st == CY_OK)
        st = store_coverages(c, p, err);
    return st;
}

/* ---------- use cases ---------- */

typedef struct {
    app_t *app;
    const actor_t *a;
    int64_t id;
    json_t *body;
    uw_product_rec_t p;
} product_tx_t;

/* Read the product back as stored (with its insurer's name). */
static cy_status_t
reload(product_tx_t *t, store_conn_t *c, cy_error_t *err)
{
    int found = 0;
    return uw_product_load(t->app, c, t->p.id, &t->p, &found, err);
}

static cy_status_t
product_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    product_tx_t *t = arg;
    uw_product_rec_t *p = &t->p;
    memset(p, 0, sizeof *p);
    p->version = 1;
    p->insurer_org_id = t->a->org_id;
    p->minimum_premium = -1;
    uw_copy(p->status, sizeof p->status, "draft");
    uw_copy(p->rating_model, sizeof p->rating_model, t->app->uw->rating.version);
    uw_copy(p->rules_version, sizeof p->rules_version, t->app->uw->rules.version);
    cy_status_t st = apply_body(t->app, p, t->body, 1, err);
    if (st == CY_OK)
        st = validate(p, err);
    if (st == CY_OK)
        st = store_product(c, p, 1, err);
    if (st == CY_OK)
        st = reload(t, c, err);
    if (st != CY_OK)
        return st;
    char id[24], nm[96];
    snprintf(id, sizeof id, "%" PRId64, p->id);
    uw_short(p->name, nm);
    return app_audit_append(c, t->a, app_now(), "product.create", "product", id, err,
                            "创建保险产品“%s”（草稿第 %d 版） / created product \"%s\" (draft "
                            "version %d)",
                            nm, p->version, nm, p->version);
}

cy_status_t
app_uw_product_create(app_t *app, const actor_t *a, json_t *body, json_t **out, cy_error_t *err)
{
    *out = NULL;
    if (!uw_may(a, ACT_PRODUCT_MANAGE))
        return app_forbidden(err, ACT_PRODUCT_MANAGE);
    if (a->org_type != ORG_INSURER || a->org_id <= 0)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "产品须由保险机构创建 / a product is created by an insurer");
    product_tx_t t = {app, a, 0, body, {0}};
    cy_status_t st = store_tx(app->store, product_create_tx, &t, err);
    if (st == CY_OK)
        *out = uw_product_json(&t.p);
    return st;
}

/* Load a product for a write: visible (404), the caller's insurer (403). */
static cy_status_t
load_for_write(product_tx_t *t, store_conn_t *c, authz_action_t act, cy_error_t *err)
{
    int found = 0;
    cy_status_t st = uw_product_load(t->app, c, t->id, &t->p, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !uw_product_visible(t->a, &t->p))
        return app_not_found(err, "产品", "product", t->id);
    if (!uw_may(t->a, act) || (!t->a->cli && t->p.insurer_org_id != t->a->org_id))
        return app_forbidden(err, act);
    return CY_OK;
}

static cy_status_t
product_update_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    product_tx_t *t = arg;
    cy_status_t st = load_for_write(t, c, ACT_PRODUCT_MANAGE, err);
    if (st != CY_OK)
        return st;
    uw_product_rec_t *p = &t->p;
    if (strcmp(p->status, "draft") != 0)
        return cy_error_set(err, CY_ECONFLICT, "product_not_draft", "status",
                            "产品第 %d 版已备案（%s），不能修改；请新建版本 / version %d is filed "
                            "(%s) and cannot change; open a new version",
                            p->version, p->status, p->version, p->status);
    uw_copy(p->rating_model, sizeof p->rating_model, t->app->uw->rating.version);
    uw_copy(p->rules_version, sizeof p->rules_version, t->app->uw->rules.version);
    if ((st = apply_body(t->app, p, t->body, 0, err)) != CY_OK ||
        (st = validate(p, err)) != CY_OK || (st = store_product(c, p, 0, err)) != CY_OK)
        return st;
    char id[24], nm[96];
    snprintf(id, sizeof id, "%" PRId64, p->id);
    uw_short(p->name, nm);
    return app_audit_append(c, t->a, app_now(), "product.update", "product", id, err,
                            "修改保险产品“%s”草稿第 %d 版 / updated draft version %d of product "
                            "\"%s\"",
                            nm, p->version, p->version, nm);
}

cy_status_t
app_uw_product_update(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                      cy_error_t *err)
{
    *out = NULL;
    product_tx_t t = {app, a, id, body, {0}};
    cy_status_t st = store_tx(app->store, product_update_tx, &t, err);
    if (st == CY_OK)
        *out = uw_product_json(&t.p);
    return st;
}

cy_status_t
app_uw_product_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    if (!uw_may(a, ACT_PRODUCT_READ))
        return app_forbidden(err, ACT_PRODUCT_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    uw_product_rec_t *p = malloc(sizeof *p);
    int found = 0;
    if (p == NULL)
        st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    else
        st = uw_product_load(app, c, id, p, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !uw_product_visible(a, p)))
        st = app_not_found(err, "产品", "product", id);
    if (st == CY_OK)
        *out = uw_product_json(p);
    free(p);
    return st;
}

static int
status_ok(const char *s)
{
    return s == NULL || !strcmp(s, "draft") || !strcmp(s, "active") || !strcmp(s, "superseded") ||
           !strcmp(s, "withdrawn");
}

cy_status_t
app_uw_product_list(app_t *app, const actor_t *a, const char *status, int64_t cursor, int limit,
                    json_t **items, int64_t *next, cy_error_t *err)
{
    *items = NULL;
    *next = 0;
    if (!uw_may(a, ACT_PRODUCT_READ))
        return app_forbidden(err, ACT_PRODUCT_READ);
    if (!status_ok(status))
        return cy_error_set(err, CY_EINVAL, "status_invalid", "status",
                            "status 应为 draft、active、superseded 或 withdrawn / status must be "
                            "draft, active, superseded or withdrawn");
    if (limit < 1 || limit > 100)
        limit = 50;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_INT(uw_sees_all(a)), STORE_P_INT(a->org_id), STORE_P_TEXT(status),
                         STORE_P_INT(cursor > 0 ? cursor : INT64_MAX), STORE_P_INT(limit + 1)};
    store_rows_t *r;
    int64_t ids[101];
    int n = 0;
    st = store_query(c,
                     "SELECT id FROM uw_product WHERE ($1 = 1 OR insurer_org_id = $2 OR status <> "
                     "'draft') AND (CAST($3 AS TEXT) IS NULL OR status = $3) AND id < $4 ORDER BY "
                     "id DESC LIMIT $5",
                     q, 5, &r, err);
    if (st == CY_OK) {
        int k;
        while ((k = store_rows_next(r, err)) == 1 && n < limit + 1)
            ids[n++] = store_rows_int(r, 0);
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    json_t *arr = json_array();
    uw_product_rec_t *p = malloc(sizeof *p);
    if (p == NULL && st == CY_OK)
        st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    for (int i = 0; i < n && i < limit && st == CY_OK; i++) {
        int found = 0;
        st = uw_product_load(app, c, ids[i], p, &found, err);
        if (st == CY_OK && found)
            json_array_append_new(arr, uw_product_json(p));
    }
    free(p);
    store_release(app->store, c);
    if (st != CY_OK) {
        json_decref(arr);
        return st;
    }
    if (n > limit)
        *next = ids[limit - 1];
    *items = arr;
    return CY_OK;
}

static cy_status_t
product_file_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    product_tx_t *t = arg;
    cy_status_t st = load_for_write(t, c, ACT_PRODUCT_FILE, err);
    if (st != CY_OK)
        return st;
    uw_product_rec_t *p = &t->p;
    if (strcmp(p->status, "draft") != 0)
        return cy_error_set(err, CY_ECONFLICT, "product_not_draft", "status",
                            "产品第 %d 版已备案 / version %d is already filed", p->version,
                            p->version);
    static const char *const known[] = {"filing_no", "filing_date", NULL};
    const char *key;
    json_t *val;
    json_object_foreach(t->body, key, val)
    {
        int ok = 0;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "unknown_field", key,
                                "未知字段 %s / unknown field %s", key, key);
    }
    const char *no, *date;
    if ((st = uw_jtext(t->body, "filing_no", 120, 1, &no, err)) != CY_OK ||
        (st = uw_jtext(t->body, "filing_date", 10, 1, &date, err)) != CY_OK)
        return st;
    int y, m, d, ty, tm, td;
    if ((st = uw_date_parse(date, "filing_date", &y, &m, &d, err)) != CY_OK)
        return st;
    uw_today(app_now(), &ty, &tm, &td);
    if (uw_midnight(y, m, d) > uw_midnight(ty, tm, td))
        return cy_error_set(err, CY_EINVAL, "date_future", "filing_date",
                            "备案日期不能晚于今天 / the filing date cannot be in the future");
    char now[32];
    app_now_iso(now);
    /* the family's version on sale until now retires */
    store_param_t s[] = {STORE_P_INT(p->family_id), STORE_P_TEXT(now)};
    st = store_exec(c,
                    "UPDATE uw_product SET status = 'superseded', updated_at = $2 WHERE family_id "
                    "= $1 AND status = 'active'",
                    s, 2, NULL, err);
    store_param_t q[] = {STORE_P_TEXT(no), STORE_P_TEXT(date), STORE_P_TEXT(now),
                         STORE_P_INT(p->id)};
    if (st == CY_OK)
        st =
            store_exec(c,
                       "UPDATE uw_product SET status = 'active', filing_no = $1, filing_date = $2, "
                       "updated_at = $3 WHERE id = $4",
                       q, 4, NULL, err);
    if (st != CY_OK)
        return st;
    uw_copy(p->status, sizeof p->status, "active");
    uw_copy(p->filing_no, sizeof p->filing_no, no);
    uw_copy(p->filing_date, sizeof p->filing_date, date);
    uw_copy(p->updated_at, sizeof p->updated_at, now);
    char id[24], nm[96], fn[96];
    snprintf(id, sizeof id, "%" PRId64, p->id);
    uw_short(p->name, nm);
    uw_short(no, fn);
    return app_audit_append(c, t->a, app_now(), "product.file", "product", id, err,
                            "保险产品“%s”第 %d 版备案（%s，%s），开始销售 / filed version %d of "
                            "product \"%s\" (%s, %s) and put it on sale",
                            nm, p->version, fn, date, p->version, nm, fn, date);
}

cy_status_t
app_uw_product_file(app_t *app, const actor_t *a, int64_t id, json_t *body, json_t **out,
                    cy_error_t *err)
{
    *out = NULL;
    product_tx_t t = {app, a, id, body, {0}};
    cy_status_t st = store_tx(app->store, product_file_tx, &t, err);
    if (st == CY_OK)
        *out = uw_product_json(&t.p);
    return st;
}

static cy_status_t
product_version_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    product_tx_t *t = arg;
    /* a new version starts a new filing: the act of whoever files (the insurer's admin) */
    cy_status_t st = load_for_write(t, c, ACT_PRODUCT_FILE, err);
    if (st != CY_OK)
        return st;
    uw_product_rec_t *p = &t->p;
    store_param_t f[] = {STORE_P_INT(p->family_id)};
    int64_t drafts = 0, maxv = 0;
    st = store_query_int(
        c, "SELECT COUNT(*) FROM uw_product WHERE family_id = $1 AND status = 'draft'", f, 1,
        &drafts, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c, "SELECT MAX(version) FROM uw_product WHERE family_id = $1", f, 1,
                             &maxv, NULL, err);
    if (st != CY_OK)
        return st;
    if (drafts > 0)
        return cy_error_set(err, CY_ECONFLICT, "draft_exists", "id",
                            "该产品已有草稿版本，请先修改或备案该草稿 / the product already has a "
                            "draft version: edit or file it first");
    int64_t from = p->id;
    p->version = (int)maxv + 1;
    uw_copy(p->status, sizeof p->status, "draft");
    p->filing_no[0] = p->filing_date[0] = '\0';
    uw_copy(p->rating_model, sizeof p->rating_model, t->app->uw->rating.version);
    uw_copy(p->rules_version, sizeof p->rules_version, t->app->uw->rules.version);
    if ((st = store_product(c, p, 1, err)) != CY_OK || (st = reload(t, c, err)) != CY_OK)
        return st;
    char id[24], nm[96];
    snprintf(id, sizeof id, "%" PRId64, p->id);
    uw_short(p->name, nm);
    return app_audit_append(c, t->a, app_now(), "product.version", "product", id, err,
                            "由保险产品 %" PRId64 " 新建“%s”草稿第 %d 版 / opened draft version %d "
                            "of \"%s\" from product %" PRId64,
                            from, nm, p->version, p->version, nm, from);
}

cy_status_t
app_uw_product_version(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    product_tx_t t = {app, a, id, NULL, {0}};
    cy_status_t st = store_tx(app->store, product_version_tx, &t, err);
    if (st == CY_OK)
        *out = uw_product_json(&t.p);
    return st;
}

/* ---------- the 单价保费及保额 table ---------- */

cy_status_t
app_uw_rate_table(app_t *app, const actor_t *a, int64_t id, const char *industry,
                  const char *retention, json_t **out, cy_error_t *err)
{
    *out = NULL;
    const uw_data_t *d = app->uw;
    char section;
    if (industry == NULL)
        return cy_error_set(err, CY_EINVAL, "missing_field", "industry",
                            "请给出行业 industry（GB/T 4754 门类或大类） / industry is required (a "
                            "GB/T 4754 section or division)");
    cy_status_t st = uw_industry_section(app, industry, "industry", &section, err);
    if (st != CY_OK)
        return st;
    json_t *pj;
    if ((st = app_uw_product_get(app, a, id, &pj, err)) != CY_OK)
        return st;
    json_decref(pj);
    uw_product_rec_t *p = malloc(sizeof *p);
    if (p == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    store_conn_t *c;
    int found = 0;
    st = store_acquire(app->store, &c, err);
    if (st == CY_OK) {
        st = uw_product_load(app, c, id, p, &found, err);
        store_release(app->store, c);
    }
    if (st == CY_OK && !found)
        st = app_not_found(err, "产品", "product", id);
    int64_t ret = p->n_retentions ? p->retentions[0] : 0;
    if (st == CY_OK && retention != NULL) {
        char *end;
        long long v = strtoll(retention, &end, 10);
        int ok = *retention && *end == '\0';
        for (size_t i = 0; ok && i < p->n_retentions; i++)
            if (p->retentions[i] == v)
                ret = v, ok = 2;
        if (ok != 2)
            st = cy_error_set(err, CY_EINVAL, "retention_not_offered", "retention",
                              "免赔额应为产品的免赔额选项之一（分） / retention must be one of the "
                              "product's retention options, in fen");
    }
    if (st != CY_OK) {
        free(p);
        return st;
    }
    json_t *bands = json_array(), *rows = json_array(), *limits = json_array();
    for (size_t b = 0; b < d->params.n_bands; b++) {
        const uw_band_t *bd = &d->params.bands[b];
        json_array_append_new(bands,
                              json_pack("{s:s, s:s, s:s, s:o, s:I}", "code", bd->code, "name_zh",
                                        bd->name_zh, "name_en", bd->name_en, "max_revenue",
                                        bd->max ? json_integer(bd->max) : json_null(),
                                        "rated_revenue", (json_int_t)bd->rated));
    }
    for (size_t l = 0; l < p->n_limits && st == CY_OK; l++) {
        json_array_append_new(limits, json_integer(p->limits[l]));
        for (int g = 0; g < QN_GRADES && st == CY_OK; g++) {
            for (size_t b = 0; b < d->params.n_bands && st == CY_OK; b++) {
                uw_price_req_t rq = {.section = section,
                                     .revenue = d->params.bands[b].rated,
                                     .gross_margin = -1.0,
                                     .grade = (char)('A' + g),
                                     .limit = p->limits[l],
                                     .retention = ret,
                                     .now = app_now()};
                uw_price_res_t res;
                st = uw_price(d, p, &rq, &res, err);
                if (st == CY_OK)
                    json_array_append_new(
                        rows,
                        json_pack("{s:I, s:s#, s:s, s:I, s:I, s:I, s:o, s:s}", "limit",
                                  (json_int_t)p->limits[l], "grade", &rq.grade, 1, "band",
                                  d->params.bands[b].code, "rated_revenue", (json_int_t)rq.revenue,
                                  "premium", (json_int_t)res.price.premium, "pure_premium",
                                  (json_int_t)res.price.pure, "rate_on_line",
                                  uw_ratio_json(res.price.rate_on_line), "decision",
                                  uwr_decision_name(res.outcome.decision)));
            }
        }
    }
    char sec[2] = {section, '\0'};
    json_t *j =
        json_pack("{s:I, s:s, s:i, s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:o}", "product_id",
                  (json_int_t)p->id, "product_name", p->name, "version", p->version, "industry",
                  industry, "industry_section", sec, "retention", (json_int_t)ret, "limits", limits,
                  "bands", bands, "grades", json_pack("[s,s,s,s,s]", "A", "B", "C", "D", "E"),
                  "rating_model", d->rating.version, "currency", "CNY (fen)", "rows", rows);
    free(p);
    if (st != CY_OK) {
        json_decref(j);
        return st;
    }
    *out = j;
    return CY_OK;
}
