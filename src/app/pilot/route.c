/*
 * route.c — the way up of plans and packages (DOMAIN.md §4): the route a
 * plan of an author takes, each hop with its receipt time (pilot_hop), and
 * the judging of a receipt against the round's deadline of the receiving
 * level, moved by the extension the receiver granted the sender
 * (pilot_extension). core/routing.c says who receives, core/round.c
 * whether it is on time. The one place pilot_hop is read and written.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"

/* The latest extension `granted_by` granted org for deadline k of the round (0 when none). */
static cy_status_t
extension_until(store_conn_t *c, const char *round_id, round_deadline_t k, int64_t org_id,
                int64_t granted_by, int64_t *until, int64_t *ext_id, cy_error_t *err)
{
    *until = 0;
    *ext_id = 0;
    store_param_t p[] = {STORE_P_TEXT(round_id), STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(org_id), STORE_P_INT(granted_by)};
    store_rows_t *r;
    cy_status_t st =
        store_query_row(c,
                        "SELECT id, until_at FROM pilot_extension WHERE round_id = "
                        "$1 AND deadline_key = $2 AND org_id = $3 AND "
                        "granted_by_org_id = $4 ORDER BY until_at DESC, id DESC LIMIT 1",
                        p, 4, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    *ext_id = store_row_int(r, "id");
    if (bjtime_parse(store_row_text(r, "until_at"), until, NULL) != CY_OK || *until < 0)
        *until = 0;
    store_rows_free(r);
    return CY_OK;
}

cy_status_t
pilot_receipt_judge(store_conn_t *c, const round_t *r, round_deadline_t k, const pilot_org_t *to,
                    int64_t from_org, int64_t now, pilot_receipt_t *out, cy_error_t *err)
{
    out->deadline = k;
    out->deadline_at = 0;
    int64_t until = 0;
    cy_status_t st =
        extension_until(c, r->id, k, from_org, to->id, &until, &out->extension_id, err);
    if (st != CY_OK)
        return st;
    if (!round_deadline_at(r, k, to->province, &out->deadline_at))
        out->deadline_at = 0;
    if (until <= out->deadline_at)
        out->extension_id = 0; /* an extension that moves nothing is not what made it on time */
    out->late = 0;
    cy_error_t late;
    st = round_check_receipt(r, k, to->province, now, until, to->name, &late);
    if (st == CY_OK)
        return CY_OK;
    if (r->late[k] == ROUND_LATE_FLAG) {
        out->late = 1; /* accepted, and marked late for whoever reads it */
        return CY_OK;
    }
    *err = late;
    return st;
}

cy_status_t
pilot_hop_add(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const pilot_hop_t *h,
              const pilot_receipt_t *judged, cy_error_t *err)
{
    char ts[32], dl[32];
    utc_format_iso(now, ts);
    int64_t deadline_at = judged ? judged->deadline_at : 0;
    if (deadline_at > 0)
        utc_format_iso(deadline_at, dl);
    /* recorded_at: when the row was written, the request's own time like every time here */
    store_param_t p[] = {STORE_P_TEXT(h->kind),
                         h->plan_id ? STORE_P_INT(h->plan_id) : STORE_P_NULL,
                         h->package_id ? STORE_P_INT(h->package_id) : STORE_P_NULL,
                         STORE_P_INT(h->from),
                         STORE_P_INT(h->to),
                         STORE_P_TEXT(ts),
                         STORE_P_TEXT(judged ? round_deadline_key(judged->deadline) : NULL),
                         deadline_at > 0 ? STORE_P_TEXT(dl) : STORE_P_NULL,
                         judged && judged->extension_id ? STORE_P_INT(judged->extension_id)
                                                        : STORE_P_NULL,
                         STORE_P_TEXT(h->comment ? h->comment : ""),
                         STORE_P_INT(a->user_id),
                         STORE_P_INT(judged ? judged->late : 0),
                         h->summary_id ? STORE_P_INT(h->summary_id) : STORE_P_NULL};
    cy_status_t st =
        store_exec(c,
                   "INSERT INTO pilot_hop (kind, plan_id, package_id, from_org_id, to_org_id, "
                   "received_at, recorded_at, deadline_key, deadline_at, extension_id, "
                   "comment, user_id, late, summary_id) VALUES ($1, $2, $3, $4, $5, $6, $6, "
                   "$7, $8, $9, $10, $11, $12, $13)",
                   p, 13, NULL, err);
    if (st == CY_OK)
        st = pilot_notice_hop(app, c, now, h, judged ? judged->late : 0, err);
    return st;
}

cy_status_t
pilot_hop_sender(store_conn_t *c, int64_t package_id, int64_t to, int64_t *from, int *found,
                 cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(package_id), STORE_P_INT(to)};
    return store_query_int(c,
                           "SELECT from_org_id FROM pilot_hop WHERE package_id = $1 AND "
                           "plan_id IS NULL AND kind = 'forward' AND to_org_id = $2 ORDER BY "
                           "id DESC LIMIT 1",
                           q, 2, from, found, err);
}

cy_status_t
pilot_hops_json(store_conn_t *c, int64_t plan_id, int64_t package_id, json_t **out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},           {"kind", 's'},
                                  {"from_org_id", 'i'},  {"from_name", 's'},
                                  {"to_org_id", 'i'},    {"to_name", 's'},
                                  {"to_type", 's'},      {"received_at", 's'},
                                  {"deadline_key", 'n'}, {"deadline_at", 'n'},
                                  {"extension_id", 'I'}, {"comment", 's'},
                                  {"late", 'b'},         {NULL, 0}};
    *out = json_array();
    cy_status_t st = pilot_query_of(
        c,
        plan_id
            ? "SELECT h.id, h.kind, h.from_org_id, fo.name AS from_name, h.to_org_id, tg.name "
              "AS to_name, tg.type AS to_type, h.received_at, h.deadline_key, h.deadline_at, "
              "h.extension_id, h.comment, h.late FROM pilot_hop h JOIN organisation fo ON fo.id = "
              "h.from_org_id JOIN organisation tg ON tg.id = h.to_org_id WHERE h.plan_id = $1 "
              "ORDER BY h.id"
            : "SELECT h.id, h.kind, h.from_org_id, fo.name AS from_name, h.to_org_id, tg.name "
              "AS to_name, tg.type AS to_type, h.received_at, h.deadline_key, h.deadline_at, "
              "h.extension_id, h.comment, h.late FROM pilot_hop h JOIN organisation fo ON fo.id = "
              "h.from_org_id JOIN organisation tg ON tg.id = h.to_org_id WHERE h.package_id = "
              "$1 AND h.plan_id IS NULL ORDER BY h.id",
        plan_id ? plan_id : package_id, cols, *out, err);
    /* the trail in words, as a person reads it */
    size_t i;
    json_t *h;
    json_array_foreach(*out, i, h)
    {
        char zh[700], en[700];
        pilot_hop_words(pf_str(h, "kind"), pf_str(h, "from_name"), pf_str(h, "to_name"),
                        plan_id ? "本方案" : "材料包", plan_id ? "the plan" : "the package",
                        pf_str(h, "comment"), json_is_true(json_object_get(h, "late")), zh,
                        sizeof zh, en, sizeof en);
        json_object_set_new(h, "text_zh", json_string(zh));
        json_object_set_new(h, "text_en", json_string(en));
    }
    return st == CY_OK ? pilot_paper_of_hops(c, *out, err) : st; /* paper beside electronic */
}

cy_status_t
pilot_forwarders_json(store_conn_t *c, const actor_t *a, const char *round_id, json_t **out,
                      cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},     {"name", 's'},     {"type", 's'},
                                  {"region", 's'}, {"province", 's'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->org_id),
                         STORE_P_TEXT(round_id)};
    *out = json_array();
    return pilot_query_json(c,
                            "SELECT DISTINCT o.id, o.name, o.type, o.region_code AS region, "
                            "o.province_code AS province FROM pilot_hop h JOIN pilot_package k ON "
                            "k.id = h.package_id JOIN organisation o ON o.id = h.from_org_id WHERE "
                            "h.plan_id IS NULL AND h.kind = 'forward' AND k.round_id = $3 AND "
                            "o.type IN ('city', 'province') AND ($1 = 1 OR h.to_org_id = $2) "
                            "ORDER BY o.id",
                            p, 3, cols, *out, err);
}

/* One stop of a route as a plan shows it. */
static json_t *
stop_json(const char *level, const char *region, const pilot_org_t *o, const char *deadline)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o}", "level", level, "region_code", region, "org_id",
                     o ? json_integer(o->id) : json_null(), "org_name",
                     o ? json_string(o->name) : json_null(), "deadline",
                     deadline ? json_string(deadline) : json_null());
}

cy_status_t
pilot_route_json(app_t *app, store_conn_t *c, const pilot_org_t *author, json_t **out,
                 cy_error_t *err)
{
    *out = json_array();
    route_stop_t stops[3];
    size_t n = routing_path(app->ref, pilot_level_of(author), author->region, stops);
    for (size_t i = 0; i < n; i++) {
        pilot_org_t o;
        cy_error_t ignored;
        int have = pilot_authority(c, &stops[i], &o, &ignored) == CY_OK;
        json_array_append_new(
            *out, stop_json(routing_level_name(stops[i].level), stops[i].region, have ? &o : NULL,
                            round_deadline_key(routing_deadline(stops[i].level))));
    }
    char prov[7];
    if (routing_copy_to_comm_admin(app->ref, author->telecom, author->region, prov)) {
        pilot_org_t o;
        int found = 0;
        cy_status_t st = pilot_comm_admin(c, prov, &o, &found, err);
        if (st != CY_OK)
            return st;
        json_array_append_new(*out, stop_json("comm_admin", prov, found ? &o : NULL, NULL));
    }
    return CY_OK;
}

const pilot_text_rule_t pilot_return_comment = {"comment", 20000,
                                                "退回修改须写明意见 / a return needs comments",
                                                "意见过长 / the comments are too long"};
