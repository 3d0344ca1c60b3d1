/*
 * overdue.c — what is overdue at now in an authority's scope: the progress
 * reports of active pilots whose period is due, the pilots' annual
 * summaries, and the summaries owed by the cities and provinces that sent
 * packages to the caller (the ministry: any). Reads only. Depends on
 * core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"

/* One thing owed: what, by whom, of which pilot and period, due when. */
typedef struct {
    const char *kind;
    int64_t org_id;
    const char *org_name;
    int64_t pilot_id;       /* 0: none */
    const char *pilot_code; /* NULL: none */
    const char *period;     /* NULL: none */
    int64_t due;
} owed_t;

static void
owed_add(json_t *items, const owed_t *o)
{
    char iso[32];
    utc_format_iso(o->due, iso);
    json_array_append_new(
        items, json_pack("{s:s, s:I, s:s, s:o, s:o, s:o, s:s}", "kind", o->kind, "org_id",
                         (json_int_t)o->org_id, "org_name", o->org_name, "pilot_id",
                         o->pilot_id ? json_integer(o->pilot_id) : json_null(), "pilot_code",
                         o->pilot_code ? json_string(o->pilot_code) : json_null(), "period",
                         o->period ? json_string(o->period) : json_null(), "due_at", iso));
}

/* What pilot t owes at now: each due report of a period after its start, its annual summary. */
static cy_status_t
pilot_owes(store_conn_t *c, const round_t *r, int64_t now, json_t *t, json_t *items,
           cy_error_t *err)
{
    owed_t o = {"report",
                json_integer_value(json_object_get(t, "lead_org_id")),
                pf_str(t, "lead_name"),
                json_integer_value(json_object_get(t, "id")),
                pf_str(t, "code"),
                NULL,
                0};
    int64_t start = 0, due;
    int found = 0;
    char subject[48];
    cy_status_t st = CY_OK;
    pilot_date_check(pf_str(t, "start_date"), "start_date", "", "", &start, NULL);
    for (size_t k = 0; st == CY_OK && k < r->n_periods; k++) {
        const round_period_t *per = &r->periods[k];
        if (per->to.at < start || !bjtime_is_late(now, per->due.at))
            continue;
        st = pilot_report_filed(c, o.pilot_id, per->period, &found, err);
        o.period = per->period;
        o.due = per->due.at;
        if (st == CY_OK && !found)
            owed_add(items, &o);
    }
    /* the pilot's summary is due where its first receiver takes it (its city, via_city) */
    char province[7];
    snprintf(province, sizeof province, "%.2s0000", pf_str(t, "lead_region"));
    round_deadline_t k = pilot_summary_deadline(r, province);
    if (st != CY_OK || !round_deadline_at(r, k, province, &due) || !bjtime_is_late(now, due))
        return st;
    snprintf(subject, sizeof subject, "pilot:%" PRId64, o.pilot_id);
    st = pilot_summary_filed(c, r->id, subject, &found, err);
    o.kind = "pilot_summary";
    o.period = NULL;
    o.due = due;
    if (st == CY_OK && !found)
        owed_add(items, &o);
    return st;
}

/* What authority s (a city or province that forwarded a package) owes: its annual summary. */
static cy_status_t
authority_owes(app_t *app, store_conn_t *c, const round_t *r, int64_t now, json_t *s, json_t *items,
               cy_error_t *err)
{
    int is_city = strcmp(pf_str(s, "type"), "city") == 0;
    const ref_region_t *reg = ref_region_find(app->ref, pf_str(s, "region"));
    int direct = reg != NULL && (reg->plan_city || reg->level == 1);
    round_deadline_t k =
        is_city && !direct ? ROUND_DL_CITY_SUMMARY_AT_PROVINCE : ROUND_DL_SUMMARY_AT_MINISTRY;
    int64_t due;
    if (!round_deadline_at(r, k, pf_str(s, "province"), &due) || !bjtime_is_late(now, due))
        return CY_OK;
    owed_t o = {is_city ? "city_summary" : "province_summary",
                json_integer_value(json_object_get(s, "id")),
                pf_str(s, "name"),
                0,
                NULL,
                NULL,
                due};
    char subject[48];
    int found = 0;
    snprintf(subject, sizeof subject, "org:%" PRId64, o.org_id);
    cy_status_t st = pilot_summary_filed(c, r->id, subject, &found, err);
    if (st == CY_OK && !found)
        owed_add(items, &o);
    return st;
}

static cy_status_t
overdue_rows(app_t *app, store_conn_t *c, const actor_t *a, const round_t *r, int64_t now,
             json_t *items, cy_error_t *err)
{
    json_t *pilots = NULL, *senders = NULL;
    size_t i;
    json_t *row;
    cy_status_t st = pilot_active_json(c, a, r->id, &pilots, err);
    json_array_foreach(pilots, i, row)
    {
        if (st == CY_OK)
            st = pilot_owes(c, r, now, row, items, err);
    }
    /* the authorities that sent packages to the caller (or, for the ministry, any) owe summaries */
    if (st == CY_OK && (pilot_sees_all(a) || a->org_type == ORG_PROVINCE))
        st = pilot_forwarders_json(c, a, r->id, &senders, err);
    json_array_foreach(senders, i, row)
    {
        if (st == CY_OK)
            st = authority_owes(app, c, r, now, row, items, err);
    }
    if (st == CY_OK)
        st = pilot_paper_overdue(c, a, r, now, items, err);
    json_decref(pilots);
    json_decref(senders);
    return st;
}

cy_status_t
app_overdue_list(app_t *app, const actor_t *a, int64_t now, const char *round_id, json_t **items,
                 cy_error_t *err)
{
    *items = NULL;
    if (!pilot_sees_all(a) && !authz_is_regional(a->org_type))
        return pilot_forbidden(err, "逾期清单供主管部门查看",
                               "the overdue list is for the authorities");
    const round_t *r;
    store_conn_t *c;
    cy_status_t st = pilot_round_need(app, round_id, "round_id", CY_EBADREQ, &r, err);
    if (st == CY_OK)
        st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    *items = json_array();
    st = overdue_rows(app, c, a, r, now, *items, err);
    store_release(app->store, c);
    if (st != CY_OK) {
        json_decref(*items);
        *items = NULL;
    }
    return st;
}
