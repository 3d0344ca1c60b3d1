/*
 * extension.c — 延期: the authority that receives under a deadline grants
 * an organisation more time, to the end of a later day (Beijing time), with
 * a reason written to the audit log; route.c judges receipts with it. The
 * one place pilot_extension is written. Depends on core/, store/ and
 * jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const pcol_t EXT_COLS[] = {{"id", 'i'},
                                  {"round_id", 's'},
                                  {"deadline", 's'},
                                  {"org_id", 'i'},
                                  {"org_name", 's'},
                                  {"granted_by_org_id", 'i'},
                                  {"granted_by_name", 's'},
                                  {"until", 's'},
                                  {"until_at", 's'},
                                  {"reason", 's'},
                                  {"created_at", 's'},
                                  {NULL, 0}};

/* An extension is seen by the organisation it is for and the authority that granted it. */
#define EXT_SELECT                                                                                 \
    "SELECT e.id, e.round_id, e.deadline_key AS deadline, e.org_id, o.name AS org_name, "          \
    "e.granted_by_org_id, g.name AS granted_by_name, e.until_date AS until, e.until_at, "          \
    "e.reason, "                                                                                   \
    "e.created_at FROM pilot_extension e JOIN organisation o ON o.id = e.org_id JOIN "             \
    "organisation g ON g.id = e.granted_by_org_id WHERE ($1 = 1 OR e.org_id = $2 OR "              \
    "e.granted_by_org_id = $2) "

static const pilot_list_t EXT_LIST = {
    EXT_SELECT "AND ($5 = '' OR e.round_id = $5) AND e.id > $10 ORDER BY e.id LIMIT $11", EXT_COLS,
    NULL};

cy_status_t
app_extension_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                   int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &EXT_LIST, items, next, err);
}

/* Only the authority receiving under deadline k from org grants it more time. */
static cy_status_t
ext_receiver(const pilot_org_t *me, const pilot_org_t *org, round_deadline_t k, cy_error_t *err)
{
    int receiver;
    if (!round_deadline_is_local(k))
        receiver = me->type == ORG_MINISTRY;
    else if (k == ROUND_DL_PLAN_AT_CITY)
        receiver = me->type == ORG_CITY && org->city[0] && strcmp(me->region, org->city) == 0;
    else
        receiver = me->type == ORG_PROVINCE && strcmp(me->region, org->province) == 0;
    if (!receiver)
        return pilot_forbidden(err, "只有该截止事项的接收单位可以为报送单位延期",
                               "only the authority receiving under this deadline grants an "
                               "extension");
    return CY_OK;
}

static const pilot_text_rule_t REASON = {"reason", 4000, "请写明延期理由 / the reason is required",
                                         "理由过长 / the reason is too long"};

/* The new end: a valid day after the deadline it moves, and why. */
static cy_status_t
ext_until(const round_t *r, round_deadline_t k, const pilot_org_t *me,
          const pilot_extension_in_t *in, round_date_t *d, cy_error_t *err)
{
    int64_t deadline = 0;
    if (!round_deadline_at(r, k, me->province, &deadline))
        return cy_error_set(err, CY_EINVAL, "deadline_none", "deadline",
                            "本轮没有该截止时间，无需延期 / this round sets no such deadline");
    cy_status_t st = pilot_date_check(in->until, "until", "延期至", "until", NULL, err);
    if (st != CY_OK)
        return st;
    round_date_set(d, atoi(in->until), atoi(in->until + 5), atoi(in->until + 8));
    if (d->at <= deadline) {
        char dl[32];
        bjtime_format(deadline, dl);
        return cy_error_set(err, CY_EINVAL, "extension_not_later", "until",
                            "延期日期应晚于原截止时间 %s / an extension ends after the deadline %s",
                            dl, dl);
    }
    return pilot_text_check(in->reason, &REASON, err);
}

static cy_status_t
ext_insert(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
           round_deadline_t k, const pilot_org_t *org, const pilot_org_t *me,
           const pilot_extension_in_t *in, const round_date_t *d, int64_t *id, cy_error_t *err)
{
    char ts[32], at[32], eid[24];
    utc_format_iso(now, ts);
    utc_format_iso(d->at, at);
    store_param_t p[] = {STORE_P_TEXT(r->id),     STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(org->id),    STORE_P_INT(me->id),
                         STORE_P_INT(a->user_id), STORE_P_TEXT(in->until),
                         STORE_P_TEXT(at),        STORE_P_TEXT(in->reason),
                         STORE_P_TEXT(ts)};
    cy_status_t st = store_query_int(c,
                                     "INSERT INTO pilot_extension (round_id, deadline_key, org_id, "
                                     "granted_by_org_id, granted_by_user_id, until_date, "
                                     "until_at, reason, created_at) VALUES ($1, $2, $3, $4, $5, "
                                     "$6, $7, $8, $9) RETURNING id",
                                     p, 9, id, NULL, err);
    snprintf(eid, sizeof eid, "%" PRId64, *id);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "extension.grant", "pilot_extension", eid, err,
                              "同意%s延期：%s 截止时间延至 %s（北京时间当日24时前），理由：%s / "
                              "granted %s an extension of %s to the end of %s (Beijing time); "
                              "reason: %s",
                              org->name, round_deadline_name_zh(k), in->until, in->reason,
                              org->name, round_deadline_key(k), in->until, in->reason);
    pilot_notice_t n = {.org_id = org->id,
                        .kind = "pilot.extension",
                        .object_type = "pilot_extension",
                        .object_id = *id,
                        .link_fmt = "/extensions.html"};
    if (st == CY_OK)
        st = pilot_noticef(app, c, now, &n, err,
                           "%s同意本单位延期：%s 延至 %s（北京时间当日24时前） / %s granted you an "
                           "extension: %s until the end of %s (Beijing time)",
                           me->name, round_deadline_name_zh(k), in->until, me->name,
                           round_deadline_name_en(k), in->until);
    return st;
}

static cy_status_t request_granted(store_conn_t *c, const actor_t *a, int64_t now,
                                   const pilot_extension_in_t *in, int64_t ext_id, cy_error_t *err);

cy_status_t
app_extension_grant(app_t *app, const actor_t *a, int64_t now, const pilot_extension_in_t *in,
                    json_t **out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = pilot_open(app, a, ACT_EXTENSION_GRANT, &c, out, err);
    if (st != CY_OK)
        return st;
    const round_t *r = NULL;
    round_deadline_t k = ROUND_DL_COUNT;
    round_date_t d;
    pilot_org_t org, me;
    int found = 0, mine = 0;
    int64_t id = 0;
    st = pilot_round_need(app, in->round_id, "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK && round_deadline_parse(in->deadline, &k) != 0)
        st = cy_error_set(err, CY_EINVAL, "deadline_unknown", "deadline",
                          "未知的截止事项 %.40s / unknown deadline %.40s",
                          in->deadline ? in->deadline : "", in->deadline ? in->deadline : "");
    if (st == CY_OK)
        st = pilot_org_get(c, in->org_id, &org, &found, err);
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &mine, err);
    if (st == CY_OK && !found)
        st = cy_error_set(err, CY_EINVAL, "org_unknown", "org_id",
                          "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found",
                          in->org_id, in->org_id);
    if (st == CY_OK)
        st = ext_receiver(&me, &org, k, err);
    if (st == CY_OK)
        st = ext_until(r, k, &me, in, &d, err);
    if (st == CY_OK)
        st = ext_insert(app, c, a, now, r, k, &org, &me, in, &d, &id, err);
    if (st == CY_OK && in->request_id != 0)
        st = request_granted(c, a, now, in, id, err);
    if (st == CY_OK)
        st = pilot_record_seen(c, a, EXT_SELECT "AND e.id = $5", id, EXT_COLS, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---- 申请延期: asking the authority that receives --------------------------- */

static const pcol_t REQ_COLS[] = {{"id", 'i'},         {"round_id", 's'},   {"deadline", 's'},
                                  {"org_id", 'i'},     {"org_name", 's'},   {"to_org_id", 'i'},
                                  {"to_name", 's'},    {"until", 's'},      {"reason", 's'},
                                  {"status", 's'},     {"answer", 's'},     {"extension_id", 'I'},
                                  {"created_at", 's'}, {"decided_at", 'n'}, {NULL, 0}};

/* A request is seen by the organisation that asked and the authority it asked. */
#define REQ_SELECT                                                                                 \
    "SELECT q.id, q.round_id, q.deadline_key AS deadline, q.org_id, o.name AS org_name, "          \
    "q.to_org_id, g.name AS to_name, q.until_date AS until, q.reason, q.status, q.answer, "        \
    "q.extension_id, q.created_at, q.decided_at FROM pilot_extension_request q JOIN organisation " \
    "o ON o.id = q.org_id JOIN organisation g ON g.id = q.to_org_id WHERE ($1 = 1 OR q.org_id = "  \
    "$2 OR q.to_org_id = $2) "

static const char *const REQ_STATUSES[] = {"open", "granted", "declined", NULL};

static const pilot_list_t REQ_LIST = {
    REQ_SELECT "AND ($5 = '' OR q.round_id = $5) AND ($6 = '' OR q.status = $6) AND q.id > $10 "
               "ORDER BY q.id LIMIT $11",
    REQ_COLS, REQ_STATUSES};

cy_status_t
app_extension_request_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                           int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &REQ_LIST, items, next, err);
}

/* The authority that receives from me under deadline k (the one that may grant it). */
static cy_status_t
ext_receiver_of(app_t *app, store_conn_t *c, const pilot_org_t *me, round_deadline_t k,
                pilot_org_t *to, cy_error_t *err)
{
    route_stop_t stop = {ROUTE_MINISTRY, ""};
    cy_status_t st = CY_OK;
    if (k == ROUND_DL_PLAN_AT_CITY || k == ROUND_DL_PILOT_SUMMARY_AT_CITY)
        st = routing_next(app->ref, pilot_level_of(me), me->region, &stop, err);
    else if (k == ROUND_DL_PACKAGE_AT_PROVINCE || k == ROUND_DL_CITY_SUMMARY_AT_PROVINCE) {
        stop.level = ROUTE_PROVINCE;
        snprintf(stop.region, sizeof stop.region, "%s", me->province);
    }
    if (st == CY_OK && round_deadline_is_local(k) && stop.level == ROUTE_MINISTRY)
        st = cy_error_set(err, CY_EINVAL, "deadline_not_yours", "deadline",
                          "本单位不在该截止事项的报送范围内 / this deadline does not apply to "
                          "your organisation");
    return st == CY_OK ? pilot_authority(c, &stop, to, err) : st;
}

/* What an ask needs: a deadline of the round, refused when late, a later day, a reason. */
static cy_status_t
ask_valid(const round_t *r, const pilot_org_t *to, const pilot_extension_in_t *in,
          round_deadline_t *k, cy_error_t *err)
{
    if (round_deadline_parse(in->deadline, k) != 0)
        return cy_error_set(err, CY_EINVAL, "deadline_unknown", "deadline",
                            "请选择要延期的截止事项 / choose the deadline to extend");
    if (r->late[*k] == ROUND_LATE_FLAG)
        return cy_error_set(err, CY_EINVAL, "extension_not_needed", "deadline",
                            "该事项逾期只作标记、仍予受理，无需延期 / material late for this "
                            "deadline is marked late but still received: no extension is needed");
    round_date_t d;
    return ext_until(r, *k, to, in, &d, err);
}

cy_status_t
app_extension_ask(app_t *app, const actor_t *a, int64_t now, const pilot_extension_in_t *in,
                  json_t **out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = pilot_open(app, a, ACT_EXTENSION_ASK, &c, out, err);
    if (st != CY_OK)
        return st;
    const round_t *r = NULL;
    round_deadline_t k = ROUND_DL_COUNT;
    pilot_org_t me, to;
    int found = 0;
    int64_t id = 0;
    char ts[32], rid[24];
    utc_format_iso(now, ts);
    st = pilot_round_need(app, in->round_id, "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &found, err);
    if (st == CY_OK && round_deadline_parse(in->deadline, &k) != 0)
        st = cy_error_set(err, CY_EINVAL, "deadline_unknown", "deadline",
                          "请选择要延期的截止事项 / choose the deadline to extend");
    if (st == CY_OK)
        st = ext_receiver_of(app, c, &me, k, &to, err);
    if (st == CY_OK)
        st = ask_valid(r, &to, in, &k, err);
    store_param_t p[] = {STORE_P_TEXT(r ? r->id : ""), STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(me.id),           STORE_P_INT(to.id),
                         STORE_P_TEXT(in->until),      STORE_P_TEXT(pilot_text_trim(in->reason)),
                         STORE_P_INT(a->user_id),      STORE_P_TEXT(ts)};
    if (st == CY_OK)
        st = store_query_int(c,
                             "INSERT INTO pilot_extension_request (round_id, deadline_key, org_id, "
                             "to_org_id, until_date, reason, status, created_by, created_at) "
                             "VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
                             p, 8, &id, NULL, err);
    snprintf(rid, sizeof rid, "%" PRId64, id);
    if (st == CY_OK)
        st =
            app_audit_append(c, a, now, "extension.ask", "pilot_extension_request", rid, err,
                             "向%s申请延期：%s 延至 %s，理由：%s / asked %s to extend %s to %s: %s",
                             to.name, round_deadline_name_zh(k), in->until, in->reason, to.name,
                             round_deadline_key(k), in->until, in->reason);
    pilot_notice_t n = {.org_id = to.id,
                        .kind = "pilot.extension",
                        .object_type = "pilot_extension_request",
                        .object_id = id,
                        .link_fmt = "/extensions.html"};
    if (st == CY_OK)
        st = pilot_noticef(app, c, now, &n, err,
                           "%s申请延期：%s 延至 %s，理由：%s / %s asks for an extension of %s "
                           "until %s: %s",
                           me.name, round_deadline_name_zh(k), in->until, in->reason, me.name,
                           round_deadline_name_en(k), in->until, in->reason);
    if (st == CY_OK)
        st = pilot_record_seen(c, a, REQ_SELECT "AND q.id = $5", id, REQ_COLS, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* The open request id the caller was asked (404 unseen, 403 not asked of it, 409 decided). */
static cy_status_t
request_open(store_conn_t *c, const actor_t *a, int64_t id, json_t **row, cy_error_t *err)
{
    cy_status_t st = pilot_record_seen(c, a, REQ_SELECT "AND q.id = $5", id, REQ_COLS, row, err);
    if (st == CY_OK && *row == NULL)
        return app_not_found(err, "延期申请", "extension request", id);
    if (st != CY_OK)
        return st;
    if (json_integer_value(json_object_get(*row, "to_org_id")) != a->org_id ||
        !authz_allowed(a->org_type, a->role, ACT_EXTENSION_GRANT))
        return pilot_forbidden(err, "只有被申请的主管部门可以答复延期申请",
                               "only the authority asked answers an extension request");
    if (strcmp(pf_str(*row, "status"), "open") != 0)
        return cy_error_set(err, CY_ECONFLICT, "request_decided", "status",
                            "该延期申请已答复 / the request has been answered");
    return CY_OK;
}

static const pilot_text_rule_t ANSWER = {"answer", 4000,
                                         "请写明不予延期的理由 / the answer needs a reason",
                                         "答复过长 / the answer is too long"};

cy_status_t
app_extension_decline(app_t *app, const actor_t *a, int64_t now, int64_t id, const char *answer,
                      json_t **out, cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    json_t *row = NULL;
    char ts[32], rid[24];
    utc_format_iso(now, ts);
    snprintf(rid, sizeof rid, "%" PRId64, id);
    st = request_open(c, a, id, &row, err);
    pilot_notice_t n = {.org_id = row ? json_integer_value(json_object_get(row, "org_id")) : 0,
                        .kind = "pilot.extension",
                        .object_type = "pilot_extension_request",
                        .object_id = id,
                        .link_fmt = "/extensions.html"};
    json_decref(row);
    if (st == CY_OK)
        st = pilot_text_check(answer, &ANSWER, err);
    store_param_t u[] = {STORE_P_TEXT(pilot_text_trim(answer)), STORE_P_TEXT(ts), STORE_P_INT(id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot_extension_request SET status = 'declined', answer = $1, "
                        "decided_at = $2 WHERE id = $3",
                        u, 3, NULL, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "extension.decline", "pilot_extension_request", rid, err,
                              "不同意延期申请 %" PRId64 "：%s / declined extension request %" PRId64
                              ": %s",
                              id, answer, id, answer);
    if (st == CY_OK)
        st = pilot_noticef(app, c, now, &n, err,
                           "延期申请 %" PRId64 " 未获同意：%s / extension request %" PRId64
                           " declined: %s",
                           id, answer, id, answer);
    if (st == CY_OK)
        st = pilot_record_seen(c, a, REQ_SELECT "AND q.id = $5", id, REQ_COLS, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* A grant that answers a request: the request must be the granted one's, open, asked of me. */
static cy_status_t
request_granted(store_conn_t *c, const actor_t *a, int64_t now, const pilot_extension_in_t *in,
                int64_t ext_id, cy_error_t *err)
{
    json_t *row = NULL;
    char ts[32];
    utc_format_iso(now, ts);
    cy_status_t st = request_open(c, a, in->request_id, &row, err);
    if (st == CY_OK && (json_integer_value(json_object_get(row, "org_id")) != in->org_id ||
                        strcmp(pf_str(row, "deadline"), in->deadline) != 0 ||
                        strcmp(pf_str(row, "round_id"), in->round_id) != 0))
        st = cy_error_set(err, CY_EINVAL, "request_mismatch", "request_id",
                          "延期申请与所批准的单位或截止事项不一致 / the request is of another "
                          "organisation or deadline");
    json_decref(row);
    store_param_t u[] = {STORE_P_INT(ext_id), STORE_P_TEXT(ts), STORE_P_INT(in->request_id)};
    if (st == CY_OK)
        st = store_exec(c,
                        "UPDATE pilot_extension_request SET status = 'granted', extension_id = $1, "
                        "decided_at = $2 WHERE id = $3",
                        u, 3, NULL, err);
    return st;
}
