/*
 * pilot_review.c — expert review of service schemes and the catalogue
 * 《网络安全保险典型服务方案目录》: an assigned expert scores every criterion of
 * data/review/criteria.json (core/review.c totals them), the ministry lists
 * reviewed schemes in the catalogue with numbered entries, which every
 * logged-in user may read. Depends on core/, store/ and jansson; never http/
 * or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "app/util.h"

static const pcol_t REVIEW_COLS[] = {{"id", 'i'},
                                     {"scheme_id", 'i'},
                                     {"scheme_name", 's'},
                                     {"round_id", 's'},
                                     {"lead_name", 's'},
                                     {"scheme_status", 's'},
                                     {"expert_user_id", 'i'},
                                     {"expert_name", 's'},
                                     {"expert_org_id", 'i'},
                                     {"expert_org", 's'},
                                     {"status", 's'},
                                     {"scores", 'j'},
                                     {"total_x100", 'I'},
                                     {"comment", 's'},
                                     {"assigned_at", 's'},
                                     {"submitted_at", 'n'},
                                     {NULL, 0}};

#define REVIEW_SELECT                                                                              \
    "SELECT v.id, v.scheme_id, s.name, s.round_id, lo.name, s.status, v.expert_user_id, "          \
    "u.display_name, v.expert_org_id, eo.name, v.status, v.scores, v.total_x100, v.comment, "      \
    "v.assigned_at, v.submitted_at FROM pilot_review v JOIN pilot_scheme s ON s.id = "             \
    "v.scheme_id JOIN organisation lo ON lo.id = s.lead_org_id JOIN app_user u ON u.id = "         \
    "v.expert_user_id JOIN organisation eo ON eo.id = v.expert_org_id "

/* $1 sees all, $2 the expert user */
#define REVIEW_VISIBLE "($1 = 1 OR v.expert_user_id = $2)"

typedef struct {
    app_t *app;
    const actor_t *a;
    const pilot_filter_t *f;
    int64_t id;
    json_t *in;
    const char *text;
    const char *round_id;
    int64_t now;
    json_t *out;
    int64_t next;
} rv_t;

static cy_status_t
review_load(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->user_id), STORE_P_INT(id)};
    cy_status_t st = pilot_query_one(c, REVIEW_SELECT "WHERE v.id = $3 AND " REVIEW_VISIBLE, p, 3,
                                     REVIEW_COLS, out, err);
    if (st == CY_OK && *out == NULL)
        return app_not_found(err, "评审任务", "review", id);
    return st;
}

static cy_status_t
list_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rv_t *l = arg;
    int limit = l->f->limit < 1 || l->f->limit > 200 ? 50 : l->f->limit;
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(l->a)), STORE_P_INT(l->a->user_id),
                         STORE_P_INT(l->f->cursor),         STORE_P_TEXT(l->f->round_id),
                         STORE_P_TEXT(l->f->status),        STORE_P_INT(limit + 1)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        REVIEW_SELECT "WHERE " REVIEW_VISIBLE " AND v.id > $3 AND (CAST($4 AS TEXT) IS NULL OR "
                      "s.round_id = $4) AND (CAST($5 AS TEXT) IS NULL OR v.status = $5) ORDER BY "
                      "v.id LIMIT $6",
        p, 6, REVIEW_COLS, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if ((int)i == limit) {
            l->next = json_integer_value(json_object_get(row, "id")) - 1;
            break;
        }
        json_array_append(l->out, row);
    }
    json_decref(rows);
    return st;
}

cy_status_t
app_review_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    rv_t l = {app, a, f, 0, NULL, NULL, NULL, 0, json_array(), 0};
    cy_status_t st = pilot_read(app, list_tx, &l, err);
    *items = l.out;
    *next = l.next;
    return st;
}

static cy_status_t
get_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rv_t *g = arg;
    cy_status_t st = review_load(c, g->a, g->id, &g->out, err);
    if (st == CY_OK)
        json_object_set_new(g->out, "criteria", app_review_criteria_json(g->app));
    return st;
}

cy_status_t
app_review_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    rv_t g = {app, a, NULL, id, NULL, NULL, NULL, 0, NULL, 0};
    cy_status_t st = pilot_read(app, get_tx, &g, err);
    *out = g.out;
    return st;
}

static cy_status_t
submit_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rv_t *w = arg;
    json_t *v;
    cy_status_t st = review_load(c, w->a, w->id, &v, err);
    if (st != CY_OK)
        return st;
    int mine = json_integer_value(json_object_get(v, "expert_user_id")) == w->a->user_id;
    int done = strcmp(pf_str(v, "status"), "submitted") == 0;
    int open = strcmp(pf_str(v, "scheme_status"), "submitted") == 0;
    int64_t scheme_id = json_integer_value(json_object_get(v, "scheme_id"));
    json_decref(v);
    if (!mine || !authz_allowed(w->a->org_type, w->a->role, ACT_REVIEW_SCORE))
        return pilot_forbidden(err, "只有被安排的评审专家可以评分",
                               "only the assigned expert scores a scheme");
    if (done)
        return cy_error_set(
            err, CY_ECONFLICT, "review_submitted", "status",
            "评分已提交，不能修改 / the scores have been submitted and cannot change");
    if (!open)
        return cy_error_set(err, CY_ECONFLICT, "scheme_not_submitted", "status",
                            "该方案已列入目录，评审已结束 / the scheme is already in the "
                            "catalogue: its review is closed");
    const review_criteria_t *crit = pilot_criteria(w->app);
    int scores[REVIEW_MAX_CRITERIA];
    for (size_t i = 0; i < crit->n; i++)
        scores[i] = -1;
    if (!json_is_object(w->in))
        return cy_error_set(err, CY_EINVAL, "missing_field", "scores",
                            "请为每项评分标准打分 / score every criterion");
    const char *key;
    json_t *val;
    json_object_foreach(w->in, key, val)
    {
        char field[64];
        snprintf(field, sizeof field, "scores.%.40s", key);
        int k = review_criterion_index(crit, key);
        if (k < 0)
            return cy_error_set(err, CY_EINVAL, "criterion_unknown", field,
                                "未知的评分标准 %.40s / unknown criterion %.40s", key, key);
        if (!json_is_integer(val) || json_integer_value(val) < -1000000 ||
            json_integer_value(val) > 1000000)
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                "%s 应为整数 / %s must be an integer", field, field);
        scores[k] = (int)json_integer_value(val);
    }
    for (size_t i = 0; i < crit->n; i++) {
        if (scores[i] == -1 && json_object_get(w->in, crit->items[i].code) == NULL) {
            char field[64];
            snprintf(field, sizeof field, "scores.%s", crit->items[i].code);
            return cy_error_set(err, CY_EINVAL, "missing_field", field, "请为“%s”打分 / score %s",
                                crit->items[i].name_zh, crit->items[i].code);
        }
    }
    int64_t total = 0;
    if ((st = review_total(crit, scores, &total, err)) != CY_OK)
        return st;
    if (w->text != NULL && strlen(w->text) > 20000)
        return cy_error_set(err, CY_EINVAL, "too_long", "comment",
                            "评审意见过长 / the comment is too long");
    char *scores_text = json_dumps(w->in, JSON_COMPACT | JSON_SORT_KEYS);
    char ts[32];
    pilot_iso(w->now, ts);
    store_param_t p[] = {STORE_P_TEXT(scores_text), STORE_P_INT(total),
                         STORE_P_TEXT(w->text ? w->text : ""), STORE_P_TEXT(ts),
                         STORE_P_INT(w->id)};
    st = store_exec(c,
                    "UPDATE pilot_review SET status = 'submitted', scores = $1, total_x100 = $2, "
                    "comment = $3, submitted_at = $4 WHERE id = $5",
                    p, 5, NULL, err);
    free(scores_text);
    char rid[24];
    snprintf(rid, sizeof rid, "%" PRId64, w->id);
    if (st == CY_OK)
        st = app_audit_append(
            c, w->a, w->now, "review.submit", "pilot_review", rid, err,
            "提交服务方案 %" PRId64 " 的评分（%" PRId64 ".%02" PRId64
            " 分） / scored service scheme %" PRId64 " (%" PRId64 ".%02" PRId64 " points)",
            scheme_id, total / 100, total % 100, scheme_id, total / 100, total % 100);
    if (st == CY_OK)
        st = get_tx(c, w, err);
    return st;
}

cy_status_t
app_review_submit(app_t *app, const actor_t *a, int64_t id, json_t *scores, const char *comment,
                  int64_t now, json_t **out, cy_error_t *err)
{
    rv_t w = {app, a, NULL, id, scores, comment, NULL, now, NULL, 0};
    cy_status_t st = store_tx(app->store, submit_tx, &w, err);
    *out = w.out;
    return st;
}

/* ---- the catalogue ------------------------------------------------------ */

static cy_status_t
catalogue_rows(store_conn_t *c, const char *round_id, json_t *items, cy_error_t *err)
{
    static const pcol_t cols[] = {{"number", 'i'},       {"code", 's'},      {"scheme_id", 'i'},
                                  {"round_id", 's'},     {"name", 's'},      {"lead_org_id", 'i'},
                                  {"lead_name", 's'},    {"lead_uscc", 's'}, {"form", 'j'},
                                  {"published_at", 's'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_TEXT(round_id)};
    json_t *rows = json_array();
    cy_status_t st = pilot_query_json(
        c,
        "SELECT s.catalogue_no, s.catalogue_code, s.id, s.round_id, s.name, s.lead_org_id, "
        "lo.name, lo.uscc, s.form, s.catalogued_at FROM pilot_scheme s JOIN organisation lo ON "
        "lo.id = s.lead_org_id WHERE s.status = 'catalogued' AND (CAST($1 AS TEXT) IS NULL OR "
        "s.round_id = $1) ORDER BY s.round_id, s.catalogue_no",
        p, 1, cols, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (st != CY_OK)
            break;
        json_t *form = json_object_get(row, "form");
        json_object_set_new(row, "direction", json_string(pf_str(form, "direction")));
        json_object_set_new(row, "industry", json_string(pf_str(form, "industry")));
        json_object_set_new(row, "product", json_string(pf_str(form, "product")));
        json_object_set_new(row, "overview", json_string(pf_str(form, "overview")));
        json_object_del(row, "form");
        json_t *units = NULL;
        st = pilot_units_json(c, "scheme", json_integer_value(json_object_get(row, "scheme_id")),
                              &units, err);
        json_t *names = json_array();
        size_t k;
        json_t *u;
        json_array_foreach(units, k, u)
        {
            if (k > 0)
                json_array_append_new(names, json_string(pf_str(u, "name")));
        }
        json_decref(units);
        json_object_set_new(row, "joint_units", names);
        json_array_append(items, row);
    }
    json_decref(rows);
    return st;
}

static cy_status_t
catalogue_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rv_t *g = arg;
    return catalogue_rows(c, g->round_id, g->out, err);
}

cy_status_t
app_catalogue_get(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                  cy_error_t *err)
{
    (void)a; /* the published catalogue is readable by every logged-in user */
    rv_t g = {app, a, NULL, 0, NULL, NULL, round_id, 0, json_array(), 0};
    cy_status_t st = CY_OK;
    if (round_id != NULL && pilot_round_find(app, round_id) == NULL)
        st = cy_error_set(err, CY_EINVAL, "round_unknown", "round_id",
                          "未知的试点轮次 %.32s / unknown pilot round %.32s", round_id, round_id);
    if (st == CY_OK)
        st = pilot_read(app, catalogue_tx, &g, err);
    *items = g.out;
    return st;
}

static cy_status_t
publish_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    rv_t *w = arg;
    const round_t *r;
    cy_status_t st = pilot_round_need(w->app, w->round_id, "round_id", &r, err);
    if (st != CY_OK)
        return st;
    size_t n = json_is_array(w->in) ? json_array_size(w->in) : 0;
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "scheme_ids",
                            "请选择列入目录的服务方案 / choose the schemes to list");
    if (n > 500)
        return cy_error_set(err, CY_EINVAL, "too_many_items", "scheme_ids",
                            "一次最多列入500个方案 / at most 500 schemes at once");
    int64_t last = 0;
    store_param_t q[] = {STORE_P_TEXT(r->id)};
    if ((st = store_query_int(c,
                              "SELECT COALESCE(MAX(catalogue_no), 0) FROM pilot_scheme WHERE "
                              "round_id = $1",
                              q, 1, &last, NULL, err)) != CY_OK)
        return st;
    const review_criteria_t *crit = pilot_criteria(w->app);
    char ts[32];
    pilot_iso(w->now, ts);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(w->in, i);
        char field[48];
        snprintf(field, sizeof field, "scheme_ids[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return cy_error_set(err, CY_EBADREQ, "wrong_type", field,
                                "%s 应为方案编号 / %s must be a scheme id", field, field);
        int64_t sid = json_integer_value(v);
        for (size_t j = 0; j < i; j++)
            if (json_integer_value(json_array_get(w->in, j)) == sid)
                return cy_error_set(
                    err, CY_EINVAL, "duplicate", field,
                    "方案 %" PRId64 " 重复列出 / scheme %" PRId64 " is listed twice", sid, sid);
        store_param_t p[] = {STORE_P_INT(sid)};
        store_rows_t *rows;
        if ((st = store_query(c,
                              "SELECT round_id, status, (SELECT COUNT(*) FROM pilot_review v "
                              "WHERE v.scheme_id = s.id AND v.status = 'submitted') FROM "
                              "pilot_scheme s WHERE s.id = $1",
                              p, 1, &rows, err)) != CY_OK)
            return st;
        int k = store_rows_next(rows, err);
        char round_id[16] = "", status[16] = "";
        int64_t reviews = 0;
        if (k == 1) {
            snprintf(round_id, sizeof round_id, "%s", store_rows_text(rows, 0));
            snprintf(status, sizeof status, "%s", store_rows_text(rows, 1));
            reviews = store_rows_int(rows, 2);
        }
        store_rows_free(rows);
        if (k < 0)
            return err->status;
        if (k == 0 || strcmp(round_id, r->id) != 0 || strcmp(status, "draft") == 0)
            return cy_error_set(err, CY_EINVAL, "scheme_not_submitted", field,
                                "方案 %" PRId64 " 不是本轮已提交的服务方案 / scheme %" PRId64
                                " is not a submitted scheme of this round",
                                sid, sid);
        if (strcmp(status, "catalogued") == 0)
            return cy_error_set(err, CY_ECONFLICT, "already_catalogued", field,
                                "方案 %" PRId64 " 已列入目录 / scheme %" PRId64
                                " is already in the catalogue",
                                sid, sid);
        if (reviews < crit->min_reviews)
            return cy_error_set(err, CY_EINVAL, "reviews_missing", field,
                                "方案 %" PRId64 " 需至少 %d 份专家评分才能列入目录（当前 %" PRId64
                                " 份） / scheme %" PRId64 " needs %d submitted reviews before it "
                                "is listed (%" PRId64 " so far)",
                                sid, crit->min_reviews, reviews, sid, crit->min_reviews, reviews);
        int64_t no = last + (int64_t)i + 1;
        char code[40];
        snprintf(code, sizeof code, "%s-%03" PRId64, r->id, no);
        store_param_t u[] = {STORE_P_INT(no), STORE_P_TEXT(code), STORE_P_TEXT(ts),
                             STORE_P_INT(sid)};
        if ((st = store_exec(c,
                             "UPDATE pilot_scheme SET status = 'catalogued', catalogue_no = $1, "
                             "catalogue_code = $2, catalogued_at = $3 WHERE id = $4",
                             u, 4, NULL, err)) != CY_OK)
            return st;
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%" PRId64, sid);
        if ((st =
                 app_audit_append(c, w->a, w->now, "catalogue.publish", "pilot_scheme", idtext, err,
                                  "服务方案 %" PRId64 " 列入《网络安全保险典型服务方案目录》，编号 "
                                  "%s / service scheme %" PRId64 " listed in the catalogue as %s",
                                  sid, code, sid, code)) != CY_OK)
            return st;
    }
    return catalogue_rows(c, r->id, w->out, err);
}

cy_status_t
app_catalogue_publish(app_t *app, const actor_t *a, const char *round_id, json_t *scheme_ids,
                      int64_t now, json_t **items, cy_error_t *err)
{
    *items = NULL;
    cy_status_t st = pilot_need(a, ACT_CATALOGUE_PUBLISH, err);
    if (st != CY_OK)
        return st;
    rv_t w = {app, a, NULL, 0, scheme_ids, NULL, round_id, now, json_array(), 0};
    st = store_tx(app->store, publish_tx, &w, err);
    if (st != CY_OK) {
        json_decref(w.out);
        w.out = NULL;
    }
    *items = w.out;
    return st;
}
