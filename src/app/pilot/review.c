/*
 * review.c — expert review of service schemes and the catalogue
 * 《网络安全保险典型服务方案目录》: the ministry assigns experts to a
 * submitted scheme (conflict of interest refused), an assigned expert
 * scores every criterion of data/review/criteria.json (core/review.c totals
 * them), and the ministry lists reviewed schemes in the catalogue with
 * numbered entries, which every logged-in user may read. The one place
 * pilot_review is written. Depends on core/, store/ and jansson; never
 * http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const char *const REVIEW_STATUSES[] = {"assigned", "submitted", NULL};

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

/* A review is seen by its expert ($3), the ministry and the support center ($1). */
#define REVIEW_SELECT                                                                              \
    "SELECT v.id, v.scheme_id, s.name AS scheme_name, s.round_id, lo.name AS lead_name, s.status " \
    "AS scheme_status, v.expert_user_id, u.display_name AS expert_name, v.expert_org_id, eo.name " \
    "AS expert_org, v.status, v.scores, v.total_x100, v.comment, v.assigned_at, v.submitted_at "   \
    "FROM pilot_review v JOIN pilot_scheme s ON s.id = v.scheme_id JOIN organisation lo ON "       \
    "lo.id = s.lead_org_id JOIN app_user u ON u.id = v.expert_user_id JOIN organisation eo ON "    \
    "eo.id = v.expert_org_id WHERE ($1 = 1 OR v.expert_user_id = $3) "

static const pilot_list_t REVIEW_LIST = {
    REVIEW_SELECT "AND ($5 = '' OR s.round_id = $5) AND ($6 = '' OR v.status = $6) AND v.id > $10 "
                  "ORDER BY v.id LIMIT $11",
    REVIEW_COLS, REVIEW_STATUSES};

cy_status_t
app_review_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &REVIEW_LIST, items, next, err);
}

cy_status_t
pilot_review_json(app_t *app, store_conn_t *c, const actor_t *a, int64_t id, json_t **out,
                  cy_error_t *err)
{
    cy_status_t st =
        pilot_record_seen(c, a, REVIEW_SELECT "AND v.id = $5", id, REVIEW_COLS, out, err);
    if (st == CY_OK && *out == NULL)
        st = app_not_found(err, "评审任务", "review", id);
    if (st == CY_OK)
        json_object_set_new(*out, "criteria",
                            pilot_criteria_json(pilot_criteria(
                                app, pilot_round_find(app, pf_str(*out, "round_id")))));
    return st;
}

/* ---- assignment --------------------------------------------------------- */

/* The reviewer: an active user of an expert organisation. */
static cy_status_t
review_expert(store_conn_t *c, int64_t user_id, pilot_org_t *eorg, char display[128],
              cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(user_id)};
    store_rows_t *r;
    int64_t org_id = 0;
    int disabled = 1, is_user = 0, found = 0;
    cy_status_t st = store_query(
        c, "SELECT org_id, disabled, display_name FROM app_user WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    if (store_rows_next(r, err) == 1) {
        is_user = 1;
        org_id = store_row_int(r, "org_id");
        disabled = store_row_int(r, "disabled") != 0;
        store_row_copy(r, "display_name", display, 128);
    }
    store_rows_free(r);
    if (is_user && (st = pilot_org_get(c, org_id, eorg, &found, err)) != CY_OK)
        return st;
    if (!is_user || !found || eorg->type != ORG_EXPERT || disabled)
        return cy_error_set(
            err, CY_EINVAL, "reviewer_not_expert", "user_id",
            "评审人应为专家库中有效的专家用户 / the reviewer must be an active user "
            "of an expert organisation");
    return CY_OK;
}

/* Conflict of interest: the expert's own unit applied. */
static cy_status_t
review_conflict_of(store_conn_t *c, int64_t scheme_id, const pilot_org_t *eorg, cy_error_t *err)
{
    json_t *units;
    cy_status_t st = pilot_units_json(c, "scheme", scheme_id, &units, err);
    size_t n = json_array_size(units);
    const char *usccs[64], *names[64];
    for (size_t i = 0; i < n && i < 64; i++) {
        usccs[i] = pf_str(json_array_get(units, i), "uscc");
        names[i] = pf_str(json_array_get(units, i), "name");
    }
    if (st == CY_OK)
        st = review_conflict(eorg->uscc, usccs, names, n < 64 ? n : 64, err);
    json_decref(units);
    return st;
}

static cy_status_t
review_assign(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, int64_t scheme_id,
              int64_t user_id, json_t **out, cy_error_t *err)
{
    pilot_org_t eorg;
    char display[128] = "", ts[32], sid[24];
    int64_t rid = 0;
    utc_format_iso(now, ts);
    snprintf(sid, sizeof sid, "%" PRId64, scheme_id);
    cy_status_t st = review_expert(c, user_id, &eorg, display, err);
    if (st == CY_OK)
        st = review_conflict_of(c, scheme_id, &eorg, err);
    store_param_t q[] = {STORE_P_INT(scheme_id), STORE_P_INT(user_id), STORE_P_INT(eorg.id),
                         STORE_P_INT(a->user_id), STORE_P_TEXT(ts)};
    if (st == CY_OK)
        st =
            pilot_insert_once(c,
                              "INSERT INTO pilot_review (scheme_id, expert_user_id, "
                              "expert_org_id, assigned_by, assigned_at, status) VALUES ($1, $2, "
                              "$3, $4, $5, 'assigned') RETURNING id",
                              q, 5, &rid, "reviewer_assigned", "user_id",
                              "该专家已在评审本方案 / this expert already reviews the scheme", err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "review.assign", "pilot_scheme", sid, err,
                              "安排专家 %s（%s）评审服务方案 %" PRId64 " / assigned expert %s (%s) "
                              "to service scheme %" PRId64,
                              display, eorg.name, scheme_id, display, eorg.name, scheme_id);
    if (st == CY_OK)
        st = pilot_notice_scheme(app, c, now, PILOT_SCHEME_REVIEW, scheme_id, eorg.id, user_id, rid,
                                 "", err);
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"scheme_id", 'i'},
                                  {"expert_user_id", 'i'},
                                  {"expert_org_id", 'i'},
                                  {"status", 's'},
                                  {"assigned_at", 's'},
                                  {NULL, 0}};
    if (st == CY_OK)
        st = pilot_query_id(c,
                            "SELECT id, scheme_id, expert_user_id, expert_org_id, status, "
                            "assigned_at FROM pilot_review WHERE id = $1",
                            rid, cols, out, err);
    return st;
}

cy_status_t
app_scheme_assign(app_t *app, const actor_t *a, int64_t now, int64_t id, int64_t user_id,
                  json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    st = pilot_doc_load(app, c, a, &pilot_scheme_kind, id, &d, err);
    if (st == CY_OK)
        st = pilot_need(a, ACT_REVIEW_ASSIGN, err);
    if (st == CY_OK && strcmp(d.status, "submitted") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "scheme_not_submitted", "status",
                          "只能为已提交、尚未列入目录的服务方案安排评审 / only a submitted scheme "
                          "not yet in the catalogue is reviewed");
    if (st == CY_OK)
        st = review_assign(app, c, a, now, id, user_id, out, err);
    pilot_doc_free(&d);
    return store_tx_close(app->store, c, st, err);
}

/* Expert row e against the scheme's units: conflict and, when there is one, the unit's name. */
static void
expert_conflict(json_t *e, json_t *units)
{
    const char *uscc = pf_str(e, "uscc");
    json_t *with = json_null();
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (uscc[0] && strcmp(pf_str(u, "uscc"), uscc) == 0) {
            json_decref(with);
            with = json_string(pf_str(u, "name"));
            break;
        }
    }
    json_object_set_new(e, "conflict", json_boolean(!json_is_null(with)));
    json_object_set_new(e, "conflict_with", with);
    json_object_del(e, "uscc");
}

cy_status_t
app_scheme_experts(app_t *app, const actor_t *a, int64_t id, json_t **items, cy_error_t *err)
{
    static const pcol_t cols[] = {{"user_id", 'i'},  {"display_name", 's'}, {"org_id", 'i'},
                                  {"org_name", 's'}, {"uscc", 's'},         {"assigned", 'b'},
                                  {NULL, 0}};
    *items = json_array();
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d;
    json_t *units = NULL;
    st = pilot_doc_load(app, c, a, &pilot_scheme_kind, id, &d, err);
    if (st == CY_OK)
        st = pilot_need(a, ACT_REVIEW_ASSIGN, err);
    if (st == CY_OK)
        st = pilot_units_json(c, "scheme", id, &units, err);
    store_param_t p[] = {STORE_P_INT(id)};
    if (st == CY_OK)
        st = pilot_query_json(c,
                              "SELECT u.id AS user_id, u.display_name, o.id AS org_id, o.name AS "
                              "org_name, o.uscc, CASE WHEN EXISTS (SELECT 1 FROM pilot_review v "
                              "WHERE v.scheme_id = $1 AND v.expert_user_id = u.id) THEN 1 ELSE 0 "
                              "END AS assigned FROM app_user u JOIN organisation o ON o.id = "
                              "u.org_id WHERE o.type = 'expert' AND u.disabled = 0 ORDER BY o.id, "
                              "u.id",
                              p, 1, cols, *items, err);
    size_t i;
    json_t *e;
    json_array_foreach(*items, i, e) expert_conflict(e, units);
    json_decref(units);
    pilot_doc_free(&d);
    store_release(app->store, c);
    return st;
}

/* ---- scoring ------------------------------------------------------------ */

/* The score sheet: one integer for every criterion of the data file, nothing else. */
static cy_status_t
review_sheet(const review_criteria_t *crit, json_t *sheet, int scores[], cy_error_t *err)
{
    for (size_t i = 0; i < crit->n; i++)
        scores[i] = -1;
    if (!json_is_object(sheet))
        return cy_error_set(err, CY_EINVAL, "missing_field", "scores",
                            "请为每项评分标准打分 / score every criterion");
    const char *key;
    json_t *val;
    json_object_foreach(sheet, key, val)
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
        if (scores[i] == -1 && json_object_get(sheet, crit->items[i].code) == NULL) {
            char field[64];
            snprintf(field, sizeof field, "scores.%s", crit->items[i].code);
            return cy_error_set(err, CY_EINVAL, "missing_field", field, "请为“%s”打分 / score %s",
                                crit->items[i].name_zh, crit->items[i].code);
        }
    }
    return CY_OK;
}

/* The review may be scored by a: its expert, once, while the scheme is under review. */
static cy_status_t
review_open(store_conn_t *c, const actor_t *a, int64_t id, int64_t *scheme_id, char round_id[16],
            cy_error_t *err)
{
    json_t *v;
    cy_status_t st =
        pilot_record_seen(c, a, REVIEW_SELECT "AND v.id = $5", id, REVIEW_COLS, &v, err);
    if (st == CY_OK && v == NULL)
        return app_not_found(err, "评审任务", "review", id);
    if (st != CY_OK)
        return st;
    int mine = json_integer_value(json_object_get(v, "expert_user_id")) == a->user_id;
    int done = strcmp(pf_str(v, "status"), "submitted") == 0;
    int open = strcmp(pf_str(v, "scheme_status"), "submitted") == 0;
    *scheme_id = json_integer_value(json_object_get(v, "scheme_id"));
    snprintf(round_id, 16, "%s", pf_str(v, "round_id"));
    json_decref(v);
    if (!mine || !authz_allowed(a->org_type, a->role, ACT_REVIEW_SCORE))
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
    return CY_OK;
}

static const pilot_text_rule_t REVIEW_COMMENT = {"comment", 20000, NULL,
                                                 "评审意见过长 / the comment is too long"};

static cy_status_t
review_scored(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, int64_t scheme_id,
              json_t *sheet, int64_t total, const char *comment, cy_error_t *err)
{
    char *scores_text = json_dumps(sheet, JSON_COMPACT | JSON_SORT_KEYS);
    char ts[32], rid[24];
    utc_format_iso(now, ts);
    snprintf(rid, sizeof rid, "%" PRId64, id);
    store_param_t p[] = {STORE_P_TEXT(scores_text), STORE_P_INT(total),
                         STORE_P_TEXT(comment ? comment : ""), STORE_P_TEXT(ts), STORE_P_INT(id)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_review SET status = 'submitted', scores = $1, "
                                "total_x100 = $2, comment = $3, submitted_at = $4 WHERE id = $5",
                                p, 5, NULL, err);
    free(scores_text);
    if (st == CY_OK)
        st = app_audit_append(
            c, a, now, "review.submit", "pilot_review", rid, err,
            "提交服务方案 %" PRId64 " 的评分（%" PRId64 ".%02" PRId64
            " 分） / scored service scheme %" PRId64 " (%" PRId64 ".%02" PRId64 " points)",
            scheme_id, total / 100, total % 100, scheme_id, total / 100, total % 100);
    return st;
}

cy_status_t
app_review_submit(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t *scores,
                  const char *comment, json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    const review_criteria_t *crit = NULL;
    int sheet[REVIEW_MAX_CRITERIA];
    int64_t scheme_id = 0, total = 0;
    char round_id[16] = "";
    st = review_open(c, a, id, &scheme_id, round_id, err);
    crit = pilot_criteria(app, pilot_round_find(app, round_id));
    if (st == CY_OK)
        st = review_sheet(crit, scores, sheet, err);
    if (st == CY_OK)
        st = review_total(crit, sheet, &total, err);
    if (st == CY_OK)
        st = pilot_text_check(comment, &REVIEW_COMMENT, err);
    if (st == CY_OK)
        st = review_scored(c, a, now, id, scheme_id, scores, total, comment, err);
    if (st == CY_OK)
        st = pilot_review_json(app, c, a, id, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---- the catalogue ------------------------------------------------------ */

static cy_status_t
catalogue_rows(store_conn_t *c, const char *round_id, json_t *items, cy_error_t *err)
{
    static const pcol_t cols[] = {{"number", 'i'},       {"code", 's'},      {"scheme_id", 'i'},
                                  {"round_id", 's'},     {"name", 's'},      {"lead_org_id", 'i'},
                                  {"lead_name", 's'},    {"lead_uscc", 's'}, {"form", 'j'},
                                  {"published_at", 's'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_TEXT(round_id ? round_id : "")};
    cy_status_t st = pilot_query_json(
        c,
        "SELECT s.catalogue_no AS number, s.catalogue_code AS code, s.id AS scheme_id, "
        "s.round_id, s.name, s.lead_org_id, lo.name AS lead_name, lo.uscc AS lead_uscc, s.form, "
        "s.catalogued_at AS published_at FROM pilot_scheme s JOIN organisation lo ON lo.id = "
        "s.lead_org_id WHERE s.status = 'catalogued' AND ($1 = '' OR s.round_id = $1) ORDER BY "
        "s.round_id, s.catalogue_no",
        p, 1, cols, items, err);
    size_t i;
    json_t *row;
    json_array_foreach(items, i, row)
    {
        json_t *units = NULL, *names = json_array();
        pilot_annex_direction(row, 1);
        if (st == CY_OK)
            st = pilot_units_json(
                c, "scheme", json_integer_value(json_object_get(row, "scheme_id")), &units, err);
        size_t k;
        json_t *u;
        json_array_foreach(units, k, u)
        {
            if (k > 0)
                json_array_append_new(names, json_string(pf_str(u, "name")));
        }
        json_decref(units);
        json_object_set_new(row, "joint_units", names);
    }
    return st;
}

cy_status_t
app_catalogue_get(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                  cy_error_t *err)
{
    (void)a; /* the published catalogue is readable by every logged-in user */
    *items = json_array();
    const round_t *r;
    store_conn_t *c;
    cy_status_t st = CY_OK;
    if (round_id != NULL)
        st = pilot_round_need(app, round_id, "round_id", CY_EBADREQ, &r, err);
    if (st == CY_OK)
        st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = catalogue_rows(c, round_id, *items, err);
    store_release(app->store, c);
    return st;
}

/* Scheme i of a publication: submitted in this round, not listed yet, reviewed enough. */
static cy_status_t
catalogue_candidate(store_conn_t *c, const round_t *r, int min_reviews, int64_t sid,
                    const char *field, cy_error_t *err)
{
    static const pcol_t cols[] = {{"round_id", 's'}, {"status", 's'}, {"reviews", 'i'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(sid)};
    json_t *s = NULL;
    cy_status_t st = pilot_query_one(c,
                                     "SELECT round_id, status, (SELECT COUNT(*) FROM pilot_review "
                                     "v WHERE v.scheme_id = s.id AND v.status = 'submitted') AS "
                                     "reviews FROM pilot_scheme s WHERE s.id = $1",
                                     p, 1, cols, &s, err);
    int64_t reviews = json_integer_value(json_object_get(s, "reviews"));
    int mine = s != NULL && strcmp(pf_str(s, "round_id"), r->id) == 0;
    const char *status = pf_str(s, "status");
    if (st == CY_OK && (!mine || strcmp(status, "draft") == 0))
        st = cy_error_set(err, CY_EINVAL, "scheme_not_submitted", field,
                          "方案 %" PRId64 " 不是本轮已提交的服务方案 / scheme %" PRId64
                          " is not a submitted scheme of this round",
                          sid, sid);
    else if (st == CY_OK && strcmp(status, "catalogued") == 0)
        st = cy_error_set(err, CY_ECONFLICT, "already_catalogued", field,
                          "方案 %" PRId64 " 已列入目录 / scheme %" PRId64
                          " is already in the catalogue",
                          sid, sid);
    else if (st == CY_OK && reviews < min_reviews)
        st = cy_error_set(err, CY_EINVAL, "reviews_missing", field,
                          "方案 %" PRId64 " 需至少 %d 份专家评分才能列入目录（当前 %" PRId64
                          " 份） / scheme %" PRId64 " needs %d submitted reviews before it "
                          "is listed (%" PRId64 " so far)",
                          sid, min_reviews, reviews, sid, min_reviews, reviews);
    json_decref(s);
    return st;
}

static cy_status_t
catalogue_list(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
               int64_t sid, int64_t no, cy_error_t *err)
{
    char code[40], ts[32], idtext[24];
    snprintf(code, sizeof code, "%s-%03" PRId64, r->id, no);
    utc_format_iso(now, ts);
    snprintf(idtext, sizeof idtext, "%" PRId64, sid);
    store_param_t u[] = {STORE_P_INT(no), STORE_P_TEXT(code), STORE_P_TEXT(ts), STORE_P_INT(sid)};
    cy_status_t st = store_exec(c,
                                "UPDATE pilot_scheme SET status = 'catalogued', catalogue_no = "
                                "$1, catalogue_code = $2, catalogued_at = $3 WHERE id = $4",
                                u, 4, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "catalogue.publish", "pilot_scheme", idtext, err,
                              "服务方案 %" PRId64 " 列入《网络安全保险典型服务方案目录》，编号 "
                              "%s / service scheme %" PRId64 " listed in the catalogue as %s",
                              sid, code, sid, code);
    if (st == CY_OK)
        st = pilot_notice_scheme(app, c, now, PILOT_SCHEME_LISTED, sid, 0, 0, 0, code, err);
    return st;
}

/* The schemes of one publication: some, and not too many. */
static cy_status_t
catalogue_count(size_t n, cy_error_t *err)
{
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", "scheme_ids",
                            "请选择列入目录的服务方案 / choose the schemes to list");
    if (n > 500)
        return cy_error_set(err, CY_EINVAL, "too_many_items", "scheme_ids",
                            "一次最多列入500个方案 / at most 500 schemes at once");
    return CY_OK;
}

/* Scheme i of the publication is not one of those before it. */
static cy_status_t
catalogue_once(const int64_t *ids, size_t i, const char *field, cy_error_t *err)
{
    for (size_t j = 0; j < i; j++)
        if (ids[j] == ids[i])
            return cy_error_set(err, CY_EINVAL, "duplicate", field,
                                "方案 %" PRId64 " 重复列出 / scheme %" PRId64 " is listed twice",
                                ids[i], ids[i]);
    return CY_OK;
}

cy_status_t
app_catalogue_publish(app_t *app, const actor_t *a, int64_t now, const char *round_id,
                      const int64_t *scheme_ids, size_t n, json_t **items, cy_error_t *err)
{
    *items = NULL;
    store_conn_t *c;
    cy_status_t st = pilot_need(a, ACT_CATALOGUE_PUBLISH, err);
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    const round_t *r = NULL;
    int64_t last = 0;
    st = pilot_round_need(app, round_id, "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = catalogue_count(n, err);
    store_param_t q[] = {STORE_P_TEXT(r ? r->id : "")};
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT COALESCE(MAX(catalogue_no), 0) FROM pilot_scheme WHERE "
                             "round_id = $1",
                             q, 1, &last, NULL, err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        char field[48];
        snprintf(field, sizeof field, "scheme_ids[%zu]", i);
        st = catalogue_once(scheme_ids, i, field, err);
        if (st == CY_OK)
            st = catalogue_candidate(c, r, pilot_criteria(app, r)->min_reviews, scheme_ids[i],
                                     field, err);
        if (st == CY_OK)
            st = catalogue_list(app, c, a, now, r, scheme_ids[i], last + (int64_t)i + 1, err);
    }
    if (st == CY_OK) {
        *items = json_array();
        st = catalogue_rows(c, r->id, *items, err);
    }
    if (st != CY_OK) {
        json_decref(*items);
        *items = NULL;
    }
    return store_tx_close(app->store, c, st, err);
}
