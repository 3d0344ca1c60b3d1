/*
 * rows.c — reading the pilot's rows: a row into a JSON object by its
 * columns' NAMES (a SELECT's order never matters), the one record a caller
 * may see, one page of a list. The parameters of every visibility clause
 * and every list are bound here, the same way for all (internal.h says
 * which is which). Depends on core/ and store/; never http/ or cli/.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"

json_t *
pilot_row_json(store_rows_t *r, const pcol_t *cols)
{
    json_t *o = json_object();
    for (const pcol_t *c = cols; c->name != NULL; c++) {
        const char *t = store_row_text(r, c->name);
        json_t *v;
        switch (c->kind) {
        case 'i':
            v = json_integer(store_row_int(r, c->name));
            break;
        case 'I':
            v = t ? json_integer(store_row_int(r, c->name)) : json_null();
            break;
        case 'b':
            v = json_boolean(store_row_int(r, c->name) != 0);
            break;
        case 'n':
            v = t ? json_string(t) : json_null();
            break;
        case 'j':
            v = t ? json_loads(t, 0, NULL) : NULL;
            break;
        default:
            v = json_string(t ? t : "");
            break;
        }
        json_object_set_new(o, c->name, v ? v : json_null());
    }
    return o;
}

cy_status_t
pilot_query_json(store_conn_t *c, const char *sql, const store_param_t *p, int n,
                 const pcol_t *cols, json_t *array, cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1)
        json_array_append_new(array, pilot_row_json(r, cols));
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

cy_status_t
pilot_query_one(store_conn_t *c, const char *sql, const store_param_t *p, int n, const pcol_t *cols,
                json_t **out, cy_error_t *err)
{
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(c, sql, p, n, cols, rows, err);
    *out = st == CY_OK ? json_incref(json_array_get(rows, 0)) : NULL;
    json_decref(rows);
    return st;
}

/* ---- who sees what ------------------------------------------------------ */

void
pilot_seen_params(const actor_t *a, char like[8], store_param_t p[PILOT_SEEN_N])
{
    char prefix[7];
    authz_region_prefix(a->org_type, a->region, prefix);
    if (prefix[0])
        snprintf(like, 8, "%s%%", prefix);
    else
        like[0] = '\0';
    p[0] = STORE_P_INT(pilot_sees_all(a));
    p[1] = STORE_P_INT(a->org_id);
    p[2] = STORE_P_INT(a->user_id);
    p[3] = STORE_P_TEXT(like);
}

cy_status_t
pilot_query_seen(store_conn_t *c, const actor_t *a, const char *sql, int64_t id,
                 store_rows_t **rows, int *found, cy_error_t *err)
{
    char like[8];
    store_param_t p[PILOT_SEEN_N + 1];
    pilot_seen_params(a, like, p);
    p[PILOT_SEEN_N] = STORE_P_INT(id);
    *found = 0;
    cy_status_t st = store_query(c, sql, p, PILOT_SEEN_N + 1, rows, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(*rows, err);
    if (k < 0) {
        store_rows_free(*rows);
        *rows = NULL;
        return err->status;
    }
    *found = k;
    return CY_OK;
}

cy_status_t
pilot_record_seen(store_conn_t *c, const actor_t *a, const char *sql, int64_t id,
                  const pcol_t *cols, json_t **out, cy_error_t *err)
{
    store_rows_t *r;
    int found;
    *out = NULL;
    cy_status_t st = pilot_query_seen(c, a, sql, id, &r, &found, err);
    if (st != CY_OK)
        return st;
    if (found)
        *out = pilot_row_json(r, cols);
    store_rows_free(r);
    return CY_OK;
}

/* ---- lists -------------------------------------------------------------- */

/* "a, b or c" of a NULL-ended list, in each language. */
static void
statuses_text(const char *const *s, char zh[160], char en[160])
{
    size_t n = 0;
    while (s[n] != NULL)
        n++;
    zh[0] = en[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *sep_zh = i == 0 ? "" : i + 1 == n ? " 或 " : "、";
        const char *sep_en = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        snprintf(zh + strlen(zh), 160 - strlen(zh), "%s%s", sep_zh, s[i]);
        snprintf(en + strlen(en), 160 - strlen(en), "%s%s", sep_en, s[i]);
    }
}

/* A list's filter: a known round, one of the list's statuses, a known box. */
static cy_status_t
filter_check(const app_t *app, const pilot_filter_t *f, const pilot_list_t *l, cy_error_t *err)
{
    const round_t *r;
    if (f->round_id != NULL)
        if (pilot_round_need(app, f->round_id, "round_id", CY_EBADREQ, &r, err) != CY_OK)
            return err->status;
    int known = l->statuses == NULL || f->status == NULL;
    for (size_t i = 0; !known && l->statuses[i] != NULL; i++)
        known = strcmp(l->statuses[i], f->status) == 0;
    if (!known) {
        char zh[160], en[160];
        statuses_text(l->statuses, zh, en);
        return cy_error_set(err, CY_EBADREQ, "status_invalid", "status",
                            "status 应为 %s / status must be %s", zh, en);
    }
    if (f->box != NULL && strcmp(f->box, "inbox") != 0 && strcmp(f->box, "outbox") != 0)
        return cy_error_set(err, CY_EBADREQ, "box_unknown", "box",
                            "box 应为 inbox 或 outbox / box must be inbox or outbox");
    return CY_OK;
}

cy_status_t
pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, const pilot_list_t *l,
           json_t **items, int64_t *next, cy_error_t *err)
{
    *items = json_array();
    *next = 0;
    cy_status_t st = filter_check(app, f, l, err);
    store_conn_t *c;
    if (st == CY_OK)
        st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int limit = f->page.limit;
    if (limit < 1 || limit > APP_PAGE_MAX)
        limit = APP_PAGE_DEFAULT;
    int box = f->box == NULL ? 0 : strcmp(f->box, "inbox") == 0 ? 1 : 2;
    char like[8];
    store_param_t p[PILOT_LIST_N];
    pilot_seen_params(a, like, p);
    p[4] = STORE_P_TEXT(f->round_id ? f->round_id : "");
    p[5] = STORE_P_TEXT(f->status ? f->status : "");
    p[6] = STORE_P_INT(f->annex);
    p[7] = STORE_P_INT(box);
    p[8] = STORE_P_INT(f->pilot_id);
    p[9] = STORE_P_INT(f->page.cursor);
    p[10] = STORE_P_INT(limit + 1);
    st = pilot_query_json(c, l->sql, p, PILOT_LIST_N, l->cols, *items, err);
    store_release(app->store, c);
    /* the row past the page says there is a next one: it starts after its predecessor */
    if (st == CY_OK && json_array_size(*items) > (size_t)limit) {
        *next = json_integer_value(json_object_get(json_array_get(*items, limit), "id")) - 1;
        json_array_remove(*items, limit);
    }
    return st;
}

cy_status_t
pilot_query_of(store_conn_t *c, const char *sql, int64_t id, const pcol_t *cols, json_t *array,
               cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return pilot_query_json(c, sql, p, 1, cols, array, err);
}

cy_status_t
pilot_query_id(store_conn_t *c, const char *sql, int64_t id, const pcol_t *cols, json_t **out,
               cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return pilot_query_one(c, sql, p, 1, cols, out, err);
}

cy_status_t
pilot_insert_once(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *id,
                  const char *code, const char *field, const char *message, cy_error_t *err)
{
    cy_status_t st = store_query_int(c, sql, p, n, id, NULL, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, code, field, "%s", message);
    return st;
}

cy_status_t
pilot_filing_open(app_t *app, const pf_field_t *spec, json_t *form, store_conn_t **c, json_t **out,
                  cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pf_check(spec, form, "", err);
    return st == CY_OK ? store_tx_open(app->store, c, err) : st;
}

cy_status_t
pilot_open(app_t *app, const actor_t *a, authz_action_t act, store_conn_t **c, json_t **out,
           cy_error_t *err)
{
    *out = NULL;
    cy_status_t st = pilot_need(a, act, err);
    return st == CY_OK ? store_tx_open(app->store, c, err) : st;
}
