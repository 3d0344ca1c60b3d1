/*
 * pilots.c — a pilot as the caller sees it (exactly as its plan is): one by
 * id, the active ones of a round, a page of the list: the one place a
 * pilot's row is read (PILOT_SELECT, PILOT_COLS). Below run.c, which
 * selects, exits and reports on pilots, and summary.c, which files their
 * annual summaries: both read a pilot here, so neither reads the other's
 * file for it. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <stdio.h>

#include "app/pilot/internal.h"

static const char *const PILOT_STATUSES[] = {"active", "exited", NULL};

static const pcol_t PILOT_COLS[] = {{"id", 'i'},
                                    {"code", 's'},
                                    {"round_id", 's'},
                                    {"status", 's'},
                                    {"plan_id", 'i'},
                                    {"plan_name", 's'},
                                    {"annex", 'i'},
                                    {"lead_org_id", 'i'},
                                    {"lead_name", 's'},
                                    {"lead_region", 's'},
                                    {"telecom", 'b'},
                                    {"start_date", 's'},
                                    {"selected_at", 's'},
                                    {"exited_at", 'n'},
                                    {"exit_reason", 'n'},
                                    {"exited_by", 'n'},
                                    {NULL, 0}};
/* alias p for its plan (PILOT_PLAN_VISIBLE), t for the pilot */
#define PILOT_SELECT                                                                               \
    "SELECT t.id, t.code, t.round_id, t.status, t.plan_id, p.name AS plan_name, p.annex, "         \
    "t.lead_org_id, lo.name AS lead_name, lo.region_code AS lead_region, p.telecom, "              \
    "t.start_date, t.selected_at, t.exited_at, t.exit_reason, xo.name AS exited_by FROM pilot t "  \
    "JOIN pilot_plan p ON p.id = t.plan_id JOIN organisation lo ON lo.id = t.lead_org_id LEFT "    \
    "JOIN organisation xo ON xo.id = t.exited_by_org_id WHERE " PILOT_PLAN_VISIBLE " "

static const pilot_list_t PILOT_LIST = {
    PILOT_SELECT "AND ($5 = '' OR t.round_id = $5) AND ($6 = '' OR t.status = $6) AND t.id > $10 "
                 "ORDER BY t.id LIMIT $11",
    PILOT_COLS, PILOT_STATUSES};

cy_status_t
app_pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items, int64_t *next,
               cy_error_t *err)
{
    return pilot_list(app, a, f, &PILOT_LIST, items, next, err);
}

cy_status_t
pilot_load(store_conn_t *c, const actor_t *a, int64_t id, const char *field, json_t **out,
           cy_error_t *err)
{
    cy_status_t st =
        pilot_record_seen(c, a, PILOT_SELECT "AND t.id = $5", id, PILOT_COLS, out, err);
    if (st == CY_OK && *out == NULL) {
        st = app_not_found(err, "试点", "pilot", id);
        snprintf(err->field, sizeof err->field, "%s", field);
    }
    return st;
}

cy_status_t
pilot_active_json(store_conn_t *c, const actor_t *a, const char *round_id, json_t **out,
                  cy_error_t *err)
{
    char like[8];
    store_param_t p[PILOT_SEEN_N + 1];
    pilot_seen_params(a, like, p);
    p[PILOT_SEEN_N] = STORE_P_TEXT(round_id);
    *out = json_array();
    return pilot_query_json(
        c, PILOT_SELECT "AND t.round_id = $5 AND t.status = 'active' ORDER BY t.id", p,
        PILOT_SEEN_N + 1, PILOT_COLS, *out, err);
}
