/*
 * paper.c — the paper copies of a filing (纸质版一式三份, 加盖公章及骑缝章;
 * DOMAIN.md §4–5): the authority a plan or a package was sent to records
 * when its paper arrived and how many copies, once per hop; where the
 * round's "filing" says so (paper_judged), the arrival is judged against
 * the hop's deadline (moved by the extension that let the hop in), and a
 * paper that is missing after it, or came after it, is on the overdue list
 * of both ends of the hop. The hop history shows the paper beside the
 * electronic receipt. The one place pilot_paper is read and written.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

json_t *
pilot_filing_json(const round_t *r)
{
    const round_filing_t *f = &r->filing;
    json_t *judged = json_array(), *seals = json_array(), *materials = json_array();
    for (int k = 0; k < ROUND_DL_COUNT; k++)
        if (f->paper_judged & (1u << k))
            json_array_append_new(judged, json_string(round_deadline_key((round_deadline_t)k)));
    for (int a = 1; a <= 4; a++) {
        if (f->seal_scans & (1u << a))
            json_array_append_new(seals, json_integer(a));
        if (f->material_copies & (1u << a))
            json_array_append_new(materials, json_integer(a));
    }
    return json_pack("{s:i, s:o, s:o, s:o}", "paper_copies", f->paper_copies, "paper_judged",
                     judged, "seal_scans", seals, "material_copies", materials);
}

static const pilot_text_rule_t PAPER_COMMENT = {"comment", 2000, NULL,
                                                "备注过长 / the comment is too long"};

/* The hop a record's paper came by: the last one (not a return) of the record to the caller. */
static cy_status_t
paper_hop(store_conn_t *c, const actor_t *a, const pilot_paper_in_t *in, json_t **hop,
          cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},          {"round_id", 's'}, {"deadline_key", 'n'},
                                  {"deadline_at", 'n'}, {"until_at", 'n'}, {"from_name", 's'},
                                  {"received_at", 's'}, {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(in->id), STORE_P_INT(a->org_id)};
    cy_status_t st = pilot_query_one(
        c,
        in->package ? "SELECT h.id, k.round_id, h.deadline_key, h.deadline_at, e.until_at, fo.name "
                      "AS from_name, h.received_at FROM pilot_hop h JOIN pilot_package k ON k.id "
                      "= h.package_id JOIN organisation fo ON fo.id = h.from_org_id LEFT JOIN "
                      "pilot_extension e ON e.id = h.extension_id WHERE h.package_id = $1 AND "
                      "h.plan_id IS NULL AND h.to_org_id = $2 AND h.kind <> 'return' ORDER BY "
                      "h.id DESC LIMIT 1"
                    : "SELECT h.id, p.round_id, h.deadline_key, h.deadline_at, e.until_at, fo.name "
                      "AS from_name, h.received_at FROM pilot_hop h JOIN pilot_plan p ON p.id = "
                      "h.plan_id JOIN organisation fo ON fo.id = h.from_org_id LEFT JOIN "
                      "pilot_extension e ON e.id = h.extension_id WHERE h.plan_id = $1 AND "
                      "h.package_id IS NULL AND h.to_org_id = $2 AND h.kind <> 'return' ORDER BY "
                      "h.id DESC LIMIT 1",
        p, 2, cols, hop, err);
    if (st == CY_OK && *hop == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                            "没有报送给本机构的%s %" PRId64 " / no %s %" PRId64
                            " was sent to your organisation",
                            in->package ? "材料包" : "试点工作方案", in->id,
                            in->package ? "package" : "plan", in->id);
    return st;
}

/* When the paper arrived and how many copies: stated, not in the future, 1–99. */
static cy_status_t
paper_check(const pilot_paper_in_t *in, int64_t now, int64_t *arrived, cy_error_t *err)
{
    cy_error_t perr;
    if (in->received_at == NULL || bjtime_parse(in->received_at, arrived, &perr) != CY_OK)
        return cy_error_set(err, CY_EINVAL, "invalid_time", "received_at",
                            "纸质材料送达时间应为日期时间（如 2024-02-27 09:30，北京时间） / "
                            "received_at must be a date and time (e.g. 2024-02-27 09:30, Beijing)");
    if (*arrived > now)
        return cy_error_set(err, CY_EINVAL, "received_in_future", "received_at",
                            "纸质材料送达时间不能晚于现在 / received_at cannot be in the future");
    if (in->copies < 1 || in->copies > 99)
        return cy_error_set(err, CY_EINVAL, "copies_range", "copies",
                            "份数应为 1–99 / copies must be 1 to 99");
    return CY_OK;
}

static const pcol_t PAPER_COLS[] = {{"id", 'i'},
                                    {"hop_id", 'i'},
                                    {"received_at", 's'},
                                    {"copies", 'i'},
                                    {"deadline_key", 'n'},
                                    {"deadline_at", 'n'},
                                    {"judged", 'b'},
                                    {"late", 'b'},
                                    {"comment", 's'},
                                    {"recorded_at", 's'},
                                    {NULL, 0}};
#define PAPER_SELECT                                                                               \
    "SELECT id, hop_id, received_at, copies, deadline_key, deadline_at, judged, late, comment, "   \
    "recorded_at FROM pilot_paper "

/* The deadline the hop's paper is held to: the hop's, moved by its extension; 0 when none. */
static int64_t
hop_due(json_t *hop)
{
    int64_t due = 0, until = 0;
    const char *d = pf_str(hop, "deadline_at"), *u = pf_str(hop, "until_at");
    if (d[0] && bjtime_parse(d, &due, NULL) != CY_OK)
        due = 0;
    if (u[0] && bjtime_parse(u, &until, NULL) == CY_OK && until > due)
        due = until;
    return due;
}

static cy_status_t
paper_insert(store_conn_t *c, const actor_t *a, int64_t now, const round_t *r, json_t *hop,
             const pilot_paper_in_t *in, int64_t arrived, int64_t *id, cy_error_t *err)
{
    round_deadline_t k;
    int64_t due = hop_due(hop);
    int judged = round_deadline_parse(pf_str(hop, "deadline_key"), &k) == 0 && due > 0 &&
                 (r->filing.paper_judged & (1u << k));
    char at[32], rec[32], dl[32];
    utc_format_iso(arrived, at);
    utc_format_iso(now, rec);
    if (due > 0)
        utc_format_iso(due, dl);
    store_param_t p[] = {STORE_P_INT(json_integer_value(json_object_get(hop, "id"))),
                         STORE_P_INT(a->org_id),
                         STORE_P_TEXT(at),
                         STORE_P_INT(in->copies),
                         due > 0 ? STORE_P_TEXT(pf_str(hop, "deadline_key")) : STORE_P_NULL,
                         due > 0 ? STORE_P_TEXT(dl) : STORE_P_NULL,
                         STORE_P_INT(judged),
                         STORE_P_INT(judged && bjtime_is_late(arrived, due)),
                         STORE_P_TEXT(in->comment ? in->comment : ""),
                         STORE_P_INT(a->user_id),
                         STORE_P_TEXT(rec)};
    return pilot_insert_once(c,
                             "INSERT INTO pilot_paper (hop_id, org_id, received_at, copies, "
                             "deadline_key, deadline_at, judged, late, comment, user_id, "
                             "recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                             "RETURNING id",
                             p, 11, id, "paper_recorded", "id",
                             "该次报送的纸质材料送达已登记 / the paper copies of this hop are "
                             "already recorded",
                             err);
}

cy_status_t
app_paper_record(app_t *app, const actor_t *a, int64_t now, const pilot_paper_in_t *in,
                 json_t **out, cy_error_t *err)
{
    *out = NULL;
    int64_t arrived = 0, id = 0;
    json_t *hop = NULL;
    store_conn_t *c;
    cy_status_t st = pilot_need(a, ACT_PAPER_RECEIVE, err);
    if (st == CY_OK)
        st = pilot_text_check(in->comment, &PAPER_COMMENT, err);
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = paper_hop(c, a, in, &hop, err);
    const round_t *r = hop ? pilot_round_find(app, pf_str(hop, "round_id")) : NULL;
    if (st == CY_OK && r == NULL)
        st = pilot_round_need(app, pf_str(hop, "round_id"), "id", CY_EINVAL, &r, err);
    if (st == CY_OK)
        st = paper_check(in, now, &arrived, err);
    if (st == CY_OK)
        st = paper_insert(c, a, now, r, hop, in, arrived, &id, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "paper.receive", in->package ? "package" : "plan", NULL,
                              err, "%s %" PRId64 " 纸质材料 %" PRId64 " 份送达（%s）",
                              in->package ? "材料包" : "试点工作方案", in->id, in->copies,
                              in->received_at);
    if (st == CY_OK)
        st = pilot_query_id(c, PAPER_SELECT "WHERE id = $1", id, PAPER_COLS, out, err);
    if (st == CY_OK)
        json_object_set_new(*out, "copies_expected", json_integer(r->filing.paper_copies));
    json_decref(hop);
    if (st != CY_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
pilot_paper_of_hops(store_conn_t *c, json_t *hops, cy_error_t *err)
{
    size_t i;
    json_t *h;
    cy_status_t st = CY_OK;
    json_array_foreach(hops, i, h)
    {
        json_t *paper = NULL;
        if (st == CY_OK)
            st = pilot_query_id(c, PAPER_SELECT "WHERE hop_id = $1",
                                json_integer_value(json_object_get(h, "id")), PAPER_COLS, &paper,
                                err);
        json_object_set_new(h, "paper", paper ? paper : json_null());
    }
    return st;
}

/* One hop's paper on the overdue list: missing after its deadline, or arrived after it. */
static void
paper_owed(json_t *items, json_t *h, int64_t now)
{
    int64_t due = hop_due(h), arrived = 0;
    const char *got = pf_str(h, "paper_received_at");
    if (got[0] && bjtime_parse(got, &arrived, NULL) != CY_OK)
        return;
    if (due <= 0 || (got[0] ? !bjtime_is_late(arrived, due) : !bjtime_is_late(now, due)))
        return;
    char iso[32];
    utc_format_iso(due, iso);
    int package = json_is_null(json_object_get(h, "plan_id"));
    json_t *item = json_pack(
        "{s:s, s:O, s:s, s:n, s:n, s:n, s:s, s:O, s:O, s:s, s:O, s:O, s:O, s:O, s:b}", "kind",
        package ? "package_paper" : "plan_paper", "org_id", json_object_get(h, "from_org_id"),
        "org_name", pf_str(h, "from_name"), "pilot_id", "pilot_code", "period", "due_at", iso,
        "hop_id", json_object_get(h, "id"), "to_org_id", json_object_get(h, "to_org_id"), "to_name",
        pf_str(h, "to_name"), "package_id", json_object_get(h, "package_id"), "plan_id",
        json_object_get(h, "plan_id"), "paper_received_at", json_object_get(h, "paper_received_at"),
        "copies", json_object_get(h, "copies"), "late", 1);
    json_array_append_new(items, item);
}

cy_status_t
pilot_paper_overdue(store_conn_t *c, const actor_t *a, const round_t *r, int64_t now, json_t *items,
                    cy_error_t *err)
{
    if (r->filing.paper_judged == 0)
        return CY_OK;
    static const pcol_t cols[] = {{"id", 'i'},
                                  {"plan_id", 'I'},
                                  {"package_id", 'I'},
                                  {"from_org_id", 'i'},
                                  {"from_name", 's'},
                                  {"to_org_id", 'i'},
                                  {"to_name", 's'},
                                  {"deadline_key", 's'},
                                  {"deadline_at", 'n'},
                                  {"until_at", 'n'},
                                  {"copies", 'I'},
                                  {"paper_received_at", 'n'},
                                  {NULL, 0}};
    store_param_t p[] = {STORE_P_INT(pilot_sees_all(a)), STORE_P_INT(a->org_id),
                         STORE_P_TEXT(r->id)};
    json_t *hops = json_array();
    /* each record's last hop to each receiver (a returned and resent package owes once), by
       whoever sent or received it */
    cy_status_t st = pilot_query_json(
        c,
        "SELECT h.id, h.plan_id, h.package_id, h.from_org_id, fo.name AS from_name, h.to_org_id, "
        "tg.name AS to_name, h.deadline_key, h.deadline_at, e.until_at, pp.copies, pp.received_at "
        "AS paper_received_at FROM pilot_hop h JOIN organisation fo ON fo.id = h.from_org_id JOIN "
        "organisation tg ON tg.id = h.to_org_id LEFT JOIN pilot_package k ON k.id = h.package_id "
        "LEFT JOIN pilot_plan p ON p.id = h.plan_id LEFT JOIN pilot_extension e ON e.id = "
        "h.extension_id LEFT JOIN pilot_paper pp ON pp.hop_id = h.id WHERE (h.plan_id IS NULL OR "
        "h.package_id IS NULL) AND h.kind <> 'return' AND h.deadline_key IS NOT NULL AND "
        "COALESCE(k.round_id, p.round_id) = $3 AND ($1 = 1 OR h.to_org_id = $2 OR h.from_org_id = "
        "$2) AND NOT EXISTS (SELECT 1 FROM pilot_hop n WHERE n.id > h.id AND n.kind <> 'return' "
        "AND n.to_org_id = h.to_org_id AND COALESCE(n.plan_id, 0) = COALESCE(h.plan_id, 0) AND "
        "COALESCE(n.package_id, 0) = COALESCE(h.package_id, 0)) ORDER BY h.id",
        p, 3, cols, hops, err);
    size_t i;
    json_t *h;
    json_array_foreach(hops, i, h)
    {
        round_deadline_t k;
        if (round_deadline_parse(pf_str(h, "deadline_key"), &k) == 0 &&
            (r->filing.paper_judged & (1u << k)))
            paper_owed(items, h, now);
    }
    json_decref(hops);
    return st;
}
