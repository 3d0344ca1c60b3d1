/*
 * db_product.c — the tables uw_product and uw_product_coverage, read and
 * written here only, their columns by name. A product's options are stored
 * as comma-separated fen ("1000000,5000000") and its target industries as
 * comma-separated codes. Depends on store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"

#define PRODUCT_SELECT                                                                             \
    "SELECT p.id, p.family_id, p.version, p.insurer_org_id, o.name AS insurer_name, p.name, "      \
    "p.class, p.target_industries, p.product_type, p.description, p.bi_waiting_hours, "            \
    "p.retention_options, p.limit_options, p.minimum_premium, p.rating_model, p.rules_version, "   \
    "p.status, p.filing_no, p.filing_date, p.created_at, p.updated_at, p.liability_trigger, "      \
    "p.retro_date FROM uw_product p JOIN "                                                         \
    "organisation o ON o.id = p.insurer_org_id "

static size_t
options_parse(const char *s, int64_t *out, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (p != NULL && *p && n < max) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        out[n++] = v;
        p = *end == ',' ? end + 1 : NULL;
    }
    return n;
}

static void
options_text(const int64_t *v, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%" PRId64, i ? "," : "", v[i]);
}

static void
targets_parse(const char *s, uw_product_t *p)
{
    char buf[400];
    uw_copy(buf, sizeof buf, s);
    p->n_target_industries = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save);
         t && p->n_target_industries < UW_MAX_TARGETS; t = strtok_r(NULL, ",", &save))
        uw_copy(p->target_industries[p->n_target_industries++], sizeof p->target_industries[0], t);
}

static void
targets_text(const uw_product_t *p, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_target_industries && used < cap; i++)
        used +=
            (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "," : "", p->target_industries[i]);
}

/* The current row of a PRODUCT_SELECT into p (its coverages apart). */
static void
product_row(const store_rows_t *r, uw_product_t *p)
{
    memset(p, 0, sizeof *p);
    p->id = store_row_int(r, "id");
    p->family_id = store_row_int(r, "family_id");
    p->version = (int)store_row_int(r, "version");
    p->insurer_org_id = store_row_int(r, "insurer_org_id");
    store_row_copy(r, "insurer_name", p->insurer_name, sizeof p->insurer_name);
    store_row_copy(r, "name", p->name, sizeof p->name);
    store_row_copy(r, "class", p->class_, sizeof p->class_);
    targets_parse(store_row_text(r, "target_industries"), p);
    store_row_copy(r, "product_type", p->product_type, sizeof p->product_type);
    store_row_copy(r, "description", p->description, sizeof p->description);
    p->bi_waiting_hours = (int)store_row_int(r, "bi_waiting_hours");
    p->n_retentions =
        options_parse(store_row_text(r, "retention_options"), p->retentions, UW_MAX_OPTIONS);
    p->n_limits = options_parse(store_row_text(r, "limit_options"), p->limits, UW_MAX_OPTIONS);
    p->minimum_premium =
        store_row_isnull(r, "minimum_premium") ? -1 : store_row_int(r, "minimum_premium");
    store_row_copy(r, "rating_model", p->rating_model, sizeof p->rating_model);
    store_row_copy(r, "rules_version", p->rules_version, sizeof p->rules_version);
    store_row_copy(r, "status", p->status, sizeof p->status);
    store_row_copy(r, "filing_no", p->filing_no, sizeof p->filing_no);
    store_row_copy(r, "filing_date", p->filing_date, sizeof p->filing_date);
    store_row_copy(r, "created_at", p->created_at, sizeof p->created_at);
    store_row_copy(r, "updated_at", p->updated_at, sizeof p->updated_at);
    store_row_copy(r, "liability_trigger", p->trigger, sizeof p->trigger);
    store_row_copy(r, "retro_date", p->retro_date, sizeof p->retro_date);
}

static cy_status_t
coverages_read(store_conn_t *c, uw_product_t *p, cy_error_t *err)
{
    return uw_cover_rows(c,
                         "SELECT coverage, sublimit, share_bp FROM uw_product_coverage WHERE "
                         "product_id = $1",
                         p->id, &p->covered, p->sublimit, p->share_bp, NULL, err);
}

static cy_status_t
coverages_write(store_conn_t *c, const uw_product_t *p, cy_error_t *err)
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

cy_status_t
uw_product_read(store_conn_t *c, int64_t id, uw_product_t *p, int *found, cy_error_t *err)
{
    memset(p, 0, sizeof *p);
    store_rows_t *r;
    cy_status_t st = uw_first_row(c, PRODUCT_SELECT "WHERE p.id = $1", id, &r, found, err);
    if (st != CY_OK)
        return st;
    if (*found)
        product_row(r, p);
    store_rows_free(r);
    return *found ? coverages_read(c, p, err) : CY_OK;
}

/*
 * The columns a product's writes bind, in the order of $1..$20: version,
 * insurer, the draft's fields, status, times, family, id, the trigger and
 * the retroactive date.
 */
static cy_status_t
product_write(store_conn_t *c, const char *sql, const uw_product_t *p, int64_t *id, cy_error_t *err)
{
    char ro[400], lo[400], ti[400];
    options_text(p->retentions, p->n_retentions, ro, sizeof ro);
    options_text(p->limits, p->n_limits, lo, sizeof lo);
    targets_text(p, ti, sizeof ti);
    store_param_t q[] = {
        STORE_P_INT(p->version),
        STORE_P_INT(p->insurer_org_id),
        STORE_P_TEXT(p->name),
        STORE_P_TEXT(p->class_),
        STORE_P_TEXT(ti),
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
        STORE_P_TEXT(p->trigger[0] ? p->trigger : "occurrence"),
        p->retro_date[0] ? STORE_P_TEXT(p->retro_date) : STORE_P_NULL,
    };
    return id != NULL ? store_insert_id(c, sql, q, 20, id, err)
                      : store_exec(c, sql, q, 20, NULL, err);
}

cy_status_t
uw_product_insert(store_conn_t *c, uw_product_t *p, cy_error_t *err)
{
    cy_status_t st = product_write(
        c,
        "INSERT INTO uw_product (version, insurer_org_id, name, class, target_industries, "
        "product_type, description, bi_waiting_hours, retention_options, limit_options, "
        "minimum_premium, rating_model, rules_version, status, created_at, updated_at, "
        "family_id, liability_trigger, retro_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12, $13, $14, $15, $16, $17, $19, $20) RETURNING id",
        p, &p->id, err);
    if (st == CY_OK && p->family_id <= 0) {
        /* the first version names its family */
        p->family_id = p->id;
        store_param_t f[] = {STORE_P_INT(p->id)};
        st = store_exec(c, "UPDATE uw_product SET family_id = id WHERE id = $1", f, 1, NULL, err);
    }
    return st == CY_OK ? coverages_write(c, p, err) : st;
}

/*
 * A product's row or coverages change only through uw_product_update and
 * uw_product_put_on_sale: each bumps the cache epoch, so that every server
 * drops its copies of products (apply.c) when the change commits (store.h).
 */
cy_status_t
uw_product_update(store_conn_t *c, const uw_product_t *p, cy_error_t *err)
{
    cy_status_t st = store_epoch_bump(c, err);
    if (st == CY_OK)
        st = product_write(
            c,
            "UPDATE uw_product SET name = $3, class = $4, target_industries = $5, product_type = "
            "$6, description = $7, bi_waiting_hours = $8, retention_options = $9, limit_options = "
            "$10, minimum_premium = $11, rating_model = $12, rules_version = $13, updated_at = "
            "$16, "
            "liability_trigger = $19, retro_date = $20 WHERE id = $18",
            p, NULL, err);
    return st == CY_OK ? coverages_write(c, p, err) : st;
}

cy_status_t
uw_product_put_on_sale(store_conn_t *c, const uw_product_t *p, cy_error_t *err)
{
    store_param_t s[] = {STORE_P_INT(p->family_id), STORE_P_TEXT(p->updated_at)};
    cy_status_t st = store_epoch_bump(c, err);
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE uw_product SET status = 'superseded', updated_at = $2 "
                        "WHERE family_id = $1 AND status = 'active'",
                        s, 2, NULL, err);
    store_param_t q[] = {STORE_P_TEXT(p->filing_no), STORE_P_TEXT(p->filing_date),
                         STORE_P_TEXT(p->updated_at), STORE_P_INT(p->id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE uw_product SET status = 'active', filing_no = $1, filing_date = "
                        "$2, updated_at = $3 WHERE id = $4",
                        q, 4, NULL, err);
    return st;
}

cy_status_t
uw_product_list_read(store_conn_t *c, uw_scope_t s, const char *status, const app_page_t *pg,
                     uw_product_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->items = calloc((size_t)pg->limit, sizeof *out->items);
    if (out->items == NULL)
        return cy_error_no_memory(err);
    store_param_t f[] = {STORE_P_INT(s.all), STORE_P_INT(s.org_id), STORE_P_TEXT(status)};
    uw_pager_t g;
    cy_status_t st = uw_pager_open(c,
                                   PRODUCT_SELECT "WHERE ($1 = 1 OR p.insurer_org_id = $2 OR "
                                                  "p.status <> 'draft') AND (CAST($3 AS TEXT) IS "
                                                  "NULL OR p.status = $3) AND p.id < $4 ORDER BY "
                                                  "p.id DESC LIMIT $5",
                                   f, pg, &g, err);
    while (uw_pager_row(&g))
        product_row(g.rows, &out->items[out->n++]);
    st = uw_pager_close(&g);
    out->next = g.more ? out->items[out->n - 1].id : 0;
    for (size_t i = 0; i < out->n && st == CY_OK; i++)
        st = coverages_read(c, &out->items[i], err);
    return st;
}

cy_status_t
uw_product_family(store_conn_t *c, int64_t family_id, int64_t *drafts, int64_t *max_version,
                  cy_error_t *err)
{
    store_param_t f[] = {STORE_P_INT(family_id)};
    cy_status_t st = store_query_int(
        c, "SELECT COUNT(*) AS n FROM uw_product WHERE family_id = $1 AND status = 'draft'", f, 1,
        drafts, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c, "SELECT MAX(version) AS v FROM uw_product WHERE family_id = $1", f,
                             1, max_version, NULL, err);
    return st;
}

cy_status_t
uw_product_on_sale(store_conn_t *c, int64_t id, int64_t *on_sale, int *found, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(id)};
    return store_query_int(c,
                           "SELECT id FROM uw_product WHERE family_id = (SELECT family_id FROM "
                           "uw_product WHERE id = $1) AND status = 'active'",
                           q, 1, on_sale, found, err);
}

cy_status_t
uw_product_count_named(store_conn_t *c, int64_t insurer, const char *name, int64_t *n,
                       cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(insurer), STORE_P_TEXT(name)};
    return store_query_int(
        c, "SELECT COUNT(*) AS n FROM uw_product WHERE insurer_org_id = $1 AND name = $2", q, 2, n,
        NULL, err);
}

int
uw_product_visible(const actor_t *a, const uw_product_t *p)
{
    /* a draft is the insurer's working copy; a filed version is public to every caller */
    return uw_sees_all(a) || p->insurer_org_id == a->org_id || strcmp(p->status, "draft") != 0;
}

unsigned
uw_product_actions(const actor_t *a, const uw_product_t *p)
{
    int own = a->cli || p->insurer_org_id == a->org_id, draft = !strcmp(p->status, "draft");
    unsigned m = 0;
    if (own && draft && uw_may(a, ACT_PRODUCT_MANAGE))
        m |= UW_ACT_EDIT;
    if (own && draft && uw_may(a, ACT_PRODUCT_FILE))
        m |= UW_ACT_FILE;
    if (own && !draft && uw_may(a, ACT_PRODUCT_FILE))
        m |= UW_ACT_VERSION;
    return m;
}
