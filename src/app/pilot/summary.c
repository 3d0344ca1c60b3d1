/*
 * summary.c — annual summaries (DOMAIN.md §7; notice §四(六) 工作总结, and
 * Guangdong's §三): a pilot, a city or a province files its summary with the
 * notice's three parts (年度试点开展情况, 网络安全保险产品创新情况,
 * 网络安全保险服务实施情况). A pilot's goes to the ministry, or — where the
 * round routes its province's summaries via the city (粤: 由各地级以上市…
 * 报送至省) — to its city, which forwards it to the province, which forwards
 * it to the ministry; a city's goes to its province (a 计划单列市's to the
 * ministry). A 基础电信企业's summary is copied to the province's
 * 通信管理局. Each receipt is a hop judged against its level's deadline;
 * summaries are flagged late, not refused, unless the round says so. The one
 * place pilot_summary is read and written. Depends on core/, store/ and
 * jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const pcol_t SUMMARY_COLS[] = {
    {"id", 'i'},          {"round_id", 's'},      {"level", 's'},       {"pilot_id", 'I'},
    {"pilot_code", 'n'},  {"org_id", 'i'},        {"org_name", 's'},    {"to_org_id", 'i'},
    {"to_name", 's'},     {"holder_org_id", 'I'}, {"holder_name", 'n'}, {"progress", 's'},
    {"innovation", 's'},  {"services", 's'},      {"deadline", 's'},    {"due_at", 'n'},
    {"received_at", 's'}, {"late", 'b'},          {"sections", 'j'},    {NULL, 0}};
#define SUMMARY_SELECT                                                                             \
    "SELECT m.id, m.round_id, m.level, m.pilot_id, t.code AS pilot_code, m.org_id, o.name AS "     \
    "org_name, m.to_org_id, tg.name AS to_name, m.holder_org_id, ho.name AS holder_name, "         \
    "m.progress, m.innovation, m.services, m.deadline_key AS deadline, m.due_at, m.received_at, "  \
    "m.late, m.sections FROM pilot_summary m JOIN organisation o ON o.id = m.org_id JOIN "         \
    "organisation tg ON "                                                                          \
    "tg.id = m.to_org_id LEFT JOIN organisation ho ON ho.id = m.holder_org_id LEFT JOIN pilot t "  \
    "ON t.id = m.pilot_id LEFT JOIN pilot_plan p ON p.id = t.plan_id "

/* a summary: its author, whoever it reached or holds it, or (a pilot's) whoever sees the pilot */
#define SUMMARY_VISIBLE                                                                            \
    "($1 = 1 OR m.org_id = $2 OR m.to_org_id = $2 OR m.holder_org_id = $2 OR EXISTS (SELECT 1 "    \
    "FROM pilot_hop sh WHERE sh.summary_id = m.id AND sh.to_org_id = $2) OR (m.pilot_id IS NOT "   \
    "NULL AND " PILOT_PLAN_VISIBLE "))"

static const pilot_list_t SUMMARY_LIST = {
    SUMMARY_SELECT "WHERE " SUMMARY_VISIBLE " AND ($5 = '' OR m.round_id = $5) AND m.id > $10 "
                   "ORDER BY m.id LIMIT $11",
    SUMMARY_COLS, NULL};

cy_status_t
app_summary_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                 int64_t *next, cy_error_t *err)
{
    return pilot_list(app, a, f, &SUMMARY_LIST, items, next, err);
}

/* An annual summary as its list shows it; 404 outside the caller's sight. */
cy_status_t
pilot_summary_json(store_conn_t *c, const actor_t *a, int64_t id, json_t **out, cy_error_t *err)
{
    cy_status_t st = pilot_record_seen(
        c, a, SUMMARY_SELECT "WHERE " SUMMARY_VISIBLE " AND m.id = $5", id, SUMMARY_COLS, out, err);
    return st == CY_OK && *out == NULL ? app_not_found(err, "年度总结", "annual summary", id) : st;
}

cy_status_t
pilot_summary_filed(store_conn_t *c, const char *round_id, const char *subject, int *found,
                    cy_error_t *err)
{
    int64_t one = 0;
    store_param_t q[] = {STORE_P_TEXT(round_id), STORE_P_TEXT(subject)};
    return store_query_int(c, "SELECT 1 FROM pilot_summary WHERE round_id = $1 AND subject = $2", q,
                           2, &one, found, err);
}

cy_status_t
pilot_summaries_of_pilot(store_conn_t *c, int64_t id, json_t *out, cy_error_t *err)
{
    return pilot_query_of(c, SUMMARY_SELECT "WHERE m.pilot_id = $1 ORDER BY m.id", id, SUMMARY_COLS,
                          out, err);
}

round_deadline_t
pilot_summary_deadline(const round_t *r, const char *province)
{
    int64_t at;
    if (round_summary_route(r, province) != ROUND_SUMMARY_VIA_CITY)
        return ROUND_DL_SUMMARY_AT_MINISTRY;
    if (round_deadline_at(r, ROUND_DL_PILOT_SUMMARY_AT_CITY, province, &at))
        return ROUND_DL_PILOT_SUMMARY_AT_CITY;
    return ROUND_DL_CITY_SUMMARY_AT_PROVINCE;
}

/* The deadline a stop of this level receives summaries under. */
static round_deadline_t
summary_deadline_at(route_level_t level)
{
    return level == ROUTE_CITY       ? ROUND_DL_PILOT_SUMMARY_AT_CITY
           : level == ROUTE_PROVINCE ? ROUND_DL_CITY_SUMMARY_AT_PROVINCE
                                     : ROUND_DL_SUMMARY_AT_MINISTRY;
}

/* ---- filing ------------------------------------------------------------- */

/* An annual summary: of a pilot (its id), a city or a province, with the notice's three parts. */
static const pf_field_t SUMMARY_FORM[] = {
    {"round_id", 's', 32, NULL, "试点轮次", "round"},
    {"level", 's', 32, NULL, "总结层级", "level"},
    {"pilot_id", 'i', 0, NULL, "试点", "pilot"},
    {"progress", 'l', 300000, NULL, "年度试点开展情况", "the year's pilot work"},
    {"innovation", 'l', 300000, NULL, "网络安全保险产品创新情况", "product innovation"},
    {"services", 'l', 300000, NULL, "网络安全保险服务实施情况", "services delivered"},
    {"sections", 'o', 300000, NULL, "本轮增设的总结部分", "the round's own parts"},
    {NULL, 0, 0, NULL, NULL, NULL}};

/* The parts the round adds (summary_sections): each given, long enough; nothing else. */
static cy_status_t
summary_sections(const round_t *r, json_t *given, cy_error_t *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(given, key, v)
    {
        size_t k = 0;
        while (k < r->n_summary_sections && strcmp(r->summary_sections[k].key, key) != 0)
            k++;
        if (k == r->n_summary_sections)
            return cy_error_set(
                err, CY_EBADREQ, "unknown_field", "sections",
                "本轮年度总结没有“%.40s”这一部分 / this round's summary has no part "
                "\"%.40s\"",
                key, key);
    }
    for (size_t k = 0; k < r->n_summary_sections; k++) {
        const round_section_t *x = &r->summary_sections[k];
        char field[64];
        snprintf(field, sizeof field, "sections.%s", x->key);
        if (*pilot_text_trim(pf_str(given, x->key)) == '\0')
            return cy_error_set(err, CY_EINVAL, "missing_field", field, "请填写%s / %s is required",
                                x->name_zh, x->name_en);
        cy_status_t st = round_check_zishu_min(x->zishu_min, pf_zishu(given, x->key), field,
                                               x->name_zh, x->name_en, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

/* Who files it and where it goes: its subject, the receiving stop, the deadline, a copy. */
typedef struct {
    char subject[48];
    int64_t pilot_id;
    route_stop_t stop;
    round_deadline_t deadline;
    int telecom; /* a 基础电信企业's: also to the 通信管理局 */
} summary_dest_t;

/* A pilot's summary: by its lead, of this round, to the ministry or (via_city) its city. */
static cy_status_t
summary_of_pilot(app_t *app, store_conn_t *c, const actor_t *a, const round_t *r,
                 const pilot_org_t *me, json_t *summary, summary_dest_t *dest, cy_error_t *err)
{
    json_t *t;
    dest->pilot_id = json_integer_value(json_object_get(summary, "pilot_id"));
    cy_status_t st = pilot_load(c, a, dest->pilot_id, "pilot_id", &t, err);
    if (st != CY_OK)
        return st;
    int64_t lead = json_integer_value(json_object_get(t, "lead_org_id"));
    int same_round = strcmp(pf_str(t, "round_id"), r->id) == 0;
    dest->telecom = json_is_true(json_object_get(t, "telecom"));
    json_decref(t);
    if (lead != a->org_id)
        return pilot_forbidden(err, "试点年度总结由试点牵头单位报送",
                               "a pilot's annual summary is filed by its lead unit");
    if (!same_round)
        return cy_error_set(err, CY_EINVAL, "round_mismatch", "round_id",
                            "试点不属于该轮次 / the pilot is not of this round");
    snprintf(dest->subject, sizeof dest->subject, "pilot:%" PRId64, dest->pilot_id);
    if (round_summary_route(r, me->province) == ROUND_SUMMARY_VIA_CITY) {
        st = routing_next(app->ref, pilot_level_of(me), me->region, &dest->stop, err);
        dest->deadline = summary_deadline_at(dest->stop.level);
    }
    return st;
}

/* A city's or a province's summary: by that authority, to the next level up. */
static cy_status_t
summary_of_authority(app_t *app, const pilot_org_t *me, const char *level, json_t *summary,
                     summary_dest_t *dest, cy_error_t *err)
{
    org_type_t want = level[0] == 'c' ? ORG_CITY : ORG_PROVINCE;
    if (me->type != want)
        return pilot_forbidden(err, "地市总结由地市主管部门、省级总结由省级主管部门报送",
                               "city summaries come from city authorities, province summaries "
                               "from provincial authorities");
    if (!json_is_null(json_object_get(summary, "pilot_id")) &&
        json_object_get(summary, "pilot_id") != NULL)
        return cy_error_set(err, CY_EINVAL, "pilot_not_applicable", "pilot_id",
                            "地市或省级总结不关联单个试点 / a city or province summary names "
                            "no pilot");
    cy_status_t st = routing_next(app->ref, pilot_level_of(me), me->region, &dest->stop, err);
    dest->deadline = summary_deadline_at(dest->stop.level);
    snprintf(dest->subject, sizeof dest->subject, "org:%" PRId64, me->id);
    return st;
}

static cy_status_t
summary_dest(app_t *app, store_conn_t *c, const actor_t *a, const round_t *r, const pilot_org_t *me,
             json_t *summary, summary_dest_t *dest, cy_error_t *err)
{
    static const char *const parts[] = {"progress", "innovation", "services"};
    const char *level = pf_str(summary, "level");
    cy_status_t st;
    memset(dest, 0, sizeof *dest);
    dest->stop.level = ROUTE_MINISTRY;
    dest->deadline = ROUND_DL_SUMMARY_AT_MINISTRY;
    if (strcmp(level, "pilot") == 0)
        st = summary_of_pilot(app, c, a, r, me, summary, dest, err);
    else if (strcmp(level, "city") == 0 || strcmp(level, "province") == 0)
        st = summary_of_authority(app, me, level, summary, dest, err);
    else
        st = cy_error_set(err, CY_EINVAL, "level_unknown", "level",
                          "总结层级应为试点、地市或省级 / the level is pilot, city or province");
    if (st == CY_OK && !authz_allowed(a->org_type, a->role, ACT_SUMMARY_WRITE))
        st = app_forbidden(err, ACT_SUMMARY_WRITE);
    for (int i = 0; i < 3 && st == CY_OK; i++)
        st = pf_require_path(SUMMARY_FORM, summary, parts[i], err);
    if (st == CY_OK)
        st = summary_sections(r, json_object_get(summary, "sections"), err);
    return st;
}

/* The 通信管理局 copy of a 基础电信企业's summary, its own receipt judged (flagged when late). */
static cy_status_t
summary_copy(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
             const pilot_org_t *me, int64_t id, cy_error_t *err)
{
    pilot_org_t ca;
    pilot_receipt_t rc = {0};
    int found = 0;
    cy_status_t st = pilot_comm_admin(c, me->province, &ca, &found, err);
    if (st != CY_OK || !found)
        return st; /* no 通信管理局 registered: nothing to copy to */
    st = pilot_receipt_judge(c, r, ROUND_DL_SUMMARY_COPY_AT_COMM_ADMIN, &ca, me->id, now, &rc, err);
    pilot_hop_t cc = {"copy", 0, 0, me->id, ca.id, "", id};
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, &cc, &rc, err);
    return st;
}

static cy_status_t
summary_insert(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
               const pilot_org_t *me, const pilot_org_t *to, const summary_dest_t *dest,
               const pilot_receipt_t *rc, json_t *summary, int64_t *id, cy_error_t *err)
{
    char ts[32], dueiso[32], sid[24], bj[32];
    utc_format_iso(now, ts);
    if (rc->deadline_at > 0)
        utc_format_iso(rc->deadline_at, dueiso);
    const char *level = pf_str(summary, "level");
    json_t *extra = json_object_get(summary, "sections");
    char *sections =
        json_is_object(extra) ? json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    store_param_t p[] = {STORE_P_TEXT(r->id),
                         STORE_P_TEXT(level),
                         STORE_P_TEXT(dest->subject),
                         dest->pilot_id ? STORE_P_INT(dest->pilot_id) : STORE_P_NULL,
                         STORE_P_INT(me->id),
                         STORE_P_INT(to->id),
                         STORE_P_TEXT(pf_str(summary, "progress")),
                         STORE_P_TEXT(pf_str(summary, "innovation")),
                         STORE_P_TEXT(pf_str(summary, "services")),
                         STORE_P_TEXT(round_deadline_key(dest->deadline)),
                         rc->deadline_at > 0 ? STORE_P_TEXT(dueiso) : STORE_P_NULL,
                         STORE_P_TEXT(ts),
                         STORE_P_INT(rc->late),
                         STORE_P_INT(a->user_id),
                         STORE_P_TEXT(sections ? sections : "{}")};
    cy_status_t st = pilot_insert_once(
        c,
        "INSERT INTO pilot_summary (round_id, level, subject, pilot_id, org_id, to_org_id, "
        "progress, innovation, services, deadline_key, due_at, received_at, recorded_at, late, "
        "user_id, holder_org_id, sections) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $12, $13, $14, $6, $15) RETURNING id",
        p, 15, id, "summary_exists", "level",
        "本轮年度总结已报送 / the annual summary of this round has been filed", err);
    free(sections);
    pilot_hop_t hop = {"submit", 0, 0, me->id, to->id, "", *id};
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, &hop, rc, err);
    snprintf(sid, sizeof sid, "%" PRId64, *id);
    bjtime_format(now, bj);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "summary.create", "pilot_summary", sid, err,
                              "%s报送年度总结（%s），送达%s的时间 %s%s / %s filed its annual "
                              "summary (%s), received by %s at %s%s",
                              me->name, level, to->name, bj, rc->late ? "（逾期）" : "", me->name,
                              level, to->name, bj, rc->late ? " (late)" : "");
    return st;
}

/* The summary as its reader sees it, with its trail. */
static cy_status_t
summary_json(store_conn_t *c, int64_t id, json_t **out, cy_error_t *err)
{
    json_t *hops = json_array();
    static const pcol_t cols[] = {{"id", 'i'},           {"kind", 's'},
                                  {"from_name", 's'},    {"to_org_id", 'i'},
                                  {"to_name", 's'},      {"received_at", 's'},
                                  {"deadline_key", 'n'}, {"deadline_at", 'n'},
                                  {"late", 'b'},         {NULL, 0}};
    cy_status_t st =
        pilot_query_id(c, SUMMARY_SELECT "WHERE m.id = $1", id, SUMMARY_COLS, out, err);
    if (st == CY_OK)
        st = pilot_query_of(c,
                            "SELECT h.id, h.kind, fo.name AS from_name, h.to_org_id, tg.name AS "
                            "to_name, h.received_at, h.deadline_key, h.deadline_at, h.late FROM "
                            "pilot_hop h JOIN organisation fo ON fo.id = h.from_org_id JOIN "
                            "organisation tg ON tg.id = h.to_org_id WHERE h.summary_id = $1 ORDER "
                            "BY h.id",
                            id, cols, hops, err);
    if (st == CY_OK && *out != NULL)
        json_object_set_new(*out, "hops", hops);
    else
        json_decref(hops);
    return st;
}

cy_status_t
app_summary_create(app_t *app, const actor_t *a, int64_t now, json_t *summary, json_t **out,
                   cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = pilot_filing_open(app, SUMMARY_FORM, summary, &c, out, err);
    if (st != CY_OK)
        return st;
    const round_t *r = NULL;
    pilot_org_t me = {0}, to = {0};
    summary_dest_t dest;
    pilot_receipt_t rc = {0};
    int found = 0;
    int64_t id = 0;
    st = pilot_round_need(app, pf_str(summary, "round_id"), "round_id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &found, err);
    if (st == CY_OK)
        st = summary_dest(app, c, a, r, &me, summary, &dest, err);
    if (st == CY_OK)
        st = pilot_authority(c, &dest.stop, &to, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, r, dest.deadline, &to, me.id, now, &rc, err);
    if (st == CY_OK)
        st = summary_insert(app, c, a, now, r, &me, &to, &dest, &rc, summary, &id, err);
    if (st == CY_OK && dest.telecom)
        st = summary_copy(app, c, a, now, r, &me, id, err);
    if (st == CY_OK)
        st = summary_json(c, id, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---- forwarding --------------------------------------------------------- */

/* The summary the caller holds and may forward: visible (404), held, route (403). */
static cy_status_t
summary_held(store_conn_t *c, const actor_t *a, int64_t id, char round_id[16], cy_error_t *err)
{
    json_t *m = NULL;
    cy_status_t st = pilot_record_seen(
        c, a, SUMMARY_SELECT "WHERE " SUMMARY_VISIBLE " AND m.id = $5", id, SUMMARY_COLS, &m, err);
    if (st == CY_OK && m == NULL)
        return app_not_found(err, "年度总结", "summary", id);
    if (st != CY_OK)
        return st;
    int held = json_integer_value(json_object_get(m, "holder_org_id")) == a->org_id;
    snprintf(round_id, 16, "%s", pf_str(m, "round_id"));
    json_decref(m);
    if (!held || !authz_allowed(a->org_type, a->role, ACT_PLAN_ROUTE))
        return pilot_forbidden(err, "只有当前收到该总结的主管部门可以转报",
                               "only the authority holding the summary forwards it");
    return CY_OK;
}

cy_status_t
app_summary_forward(app_t *app, const actor_t *a, int64_t now, int64_t id, json_t **out,
                    cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char round_id[16] = "", ts[32], sid[24], bj[32];
    const round_t *r = NULL;
    pilot_org_t me = {0}, to = {0};
    pilot_receipt_t rc = {0};
    route_stop_t stop;
    int found = 0;
    st = summary_held(c, a, id, round_id, err);
    if (st == CY_OK && (r = pilot_round_find(app, round_id)) == NULL)
        st = cy_error_set(err, CY_ECONFLICT, "round_unknown", "round_id",
                          "该总结所属轮次已不在数据文件中 / the summary's round is no longer in "
                          "the data files");
    if (st == CY_OK)
        st = pilot_org_get(c, a->org_id, &me, &found, err);
    if (st == CY_OK && pilot_level_of(&me) == ROUTE_MINISTRY)
        st = cy_error_set(err, CY_ECONFLICT, "route_end", "status",
                          "年度总结已报送至工业和信息化部 / the summary is at the ministry");
    if (st == CY_OK)
        st = routing_next(app->ref, pilot_level_of(&me), me.region, &stop, err);
    if (st == CY_OK)
        st = pilot_authority(c, &stop, &to, err);
    if (st == CY_OK)
        st = pilot_receipt_judge(c, r, summary_deadline_at(stop.level), &to, me.id, now, &rc, err);
    utc_format_iso(now, ts);
    store_param_t u[] = {STORE_P_INT(to.id), STORE_P_INT(id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE pilot_summary SET holder_org_id = $1 WHERE id = $2", u, 2, NULL,
                        err);
    pilot_hop_t hop = {"forward", 0, 0, me.id, to.id, "", id};
    if (st == CY_OK)
        st = pilot_hop_add(app, c, a, now, &hop, &rc, err);
    snprintf(sid, sizeof sid, "%" PRId64, id);
    bjtime_format(now, bj);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "summary.forward", "pilot_summary", sid, err,
                              "年度总结 %" PRId64 " 转报%s，送达时间 %s%s / annual summary %" PRId64
                              " forwarded to %s, received at %s%s",
                              id, to.name, bj, rc.late ? "（逾期）" : "", id, to.name, bj,
                              rc.late ? " (late)" : "");
    if (st == CY_OK)
        st = summary_json(c, id, out, err);
    return store_tx_close(app->store, c, st, err);
}
