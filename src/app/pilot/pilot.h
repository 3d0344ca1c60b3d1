/*
 * pilot.h — the pilot programme's use cases (DOMAIN.md §4, §5, §7): rounds
 * as data, Annex 1 service schemes, expert review and the catalogue
 * 《网络安全保险典型服务方案目录》, Annex 2–4 pilot plans routed city →
 * province → ministry in packages under deadlines judged on receipt time,
 * extensions, selection, progress reports, 试点退出 and annual summaries.
 *
 * The forms are documents of dozens of nested fields (tables, cases,
 * attached schemes), so they travel as jansson objects: a use case takes
 * the client's object, checks it against the form's shape and the round's
 * rules, stores it, and answers the record as an object that http/ sends as
 * it is. Every write takes `now`, the receipt time (app_pilot_now), and is one
 * transaction with its audit entry.
 *
 * Depends on core/, store/ and jansson; never on http/ or cli/.
 */
#ifndef CY_APP_PILOT_H
#define CY_APP_PILOT_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

/*
 * app_pilot_open loads every round file of DATA/rounds/ (*.json) and
 * DATA/review/criteria.json, validated; a broken file stops start-up with
 * its name, line and field. app_close frees them (app_pilot_close).
 */
cy_status_t app_pilot_open(app_t *app, cy_error_t *err);
void app_pilot_close(app_t *app);

/* A list request. Fields a list does not know are ignored. */
typedef struct {
    const char *round_id; /* NULL: every round */
    const char *status;   /* NULL: any */
    const char *box;  /* packages: "inbox" (held here, sent by others), "outbox" (assembled here) */
    int annex;        /* plans: 2, 3, 4 or 0 for any */
    int64_t pilot_id; /* reports: one pilot's; 0 any */
    int64_t cursor;   /* ids after this one */
    int limit;        /* 1–200 (default 50) */
} pilot_filter_t;

/* ---- rounds (public: the notice's own dates and limits) ----------------- */
cy_status_t app_round_list(app_t *app, json_t **items, cy_error_t *err);
cy_status_t app_round_get(app_t *app, const char *id, json_t **out, cy_error_t *err);
/* The review criteria (data/review/criteria.json). */
json_t *app_review_criteria_json(const app_t *app);

/* ---- Annex 1 service schemes -------------------------------------------- */
cy_status_t app_scheme_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
cy_status_t app_scheme_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                              cy_error_t *err);
cy_status_t app_scheme_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err);
cy_status_t app_scheme_update(app_t *app, const actor_t *a, int64_t id, json_t *patch, int64_t now,
                              json_t **out, cy_error_t *err);
cy_status_t app_scheme_confirm(app_t *app, const actor_t *a, int64_t id,
                               const char *legal_representative, int64_t now, json_t **out,
                               cy_error_t *err);
cy_status_t app_scheme_submit(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                              cy_error_t *err);
cy_status_t app_scheme_recommend(app_t *app, const actor_t *a, int64_t id, const char *text,
                                 int64_t now, json_t **out, cy_error_t *err);
/* Assign an expert user; answers the new review. */
cy_status_t app_scheme_assign(app_t *app, const actor_t *a, int64_t id, int64_t user_id,
                              int64_t now, json_t **out, cy_error_t *err);

/* ---- expert review and the catalogue ------------------------------------ */
cy_status_t app_review_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
cy_status_t app_review_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err);
/* scores: {"criterion code": integer, …} for every criterion. */
cy_status_t app_review_submit(app_t *app, const actor_t *a, int64_t id, json_t *scores,
                              const char *comment, int64_t now, json_t **out, cy_error_t *err);
cy_status_t app_catalogue_get(app_t *app, const actor_t *a, const char *round_id, json_t **items,
                              cy_error_t *err);
/* scheme_ids: an array of scheme ids, numbered in this order after the round's last entry. */
cy_status_t app_catalogue_publish(app_t *app, const actor_t *a, const char *round_id,
                                  json_t *scheme_ids, int64_t now, json_t **items, cy_error_t *err);

/* ---- Annex 2–4 pilot plans, packages, extensions ------------------------ */
cy_status_t app_plan_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                          int64_t *next, cy_error_t *err);
cy_status_t app_plan_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                            cy_error_t *err);
cy_status_t app_plan_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err);
cy_status_t app_plan_update(app_t *app, const actor_t *a, int64_t id, json_t *patch, int64_t now,
                            json_t **out, cy_error_t *err);
cy_status_t app_plan_confirm(app_t *app, const actor_t *a, int64_t id,
                             const char *legal_representative, int64_t now, json_t **out,
                             cy_error_t *err);
/* Send a unit's plan to its first receiver (an authority's own plan: ready to package). */
cy_status_t app_plan_submit(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                            cy_error_t *err);
/* 退回修改: the authority holding a plan sends it back to its author with comments. */
cy_status_t app_plan_return(app_t *app, const actor_t *a, int64_t id, const char *comment,
                            int64_t now, json_t **out, cy_error_t *err);

cy_status_t app_package_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                             int64_t *next, cy_error_t *err);
/* plan_ids: plans the caller holds, ready and in no other package. */
cy_status_t app_package_create(app_t *app, const actor_t *a, const char *round_id, json_t *plan_ids,
                               int64_t now, json_t **out, cy_error_t *err);
cy_status_t app_package_get(app_t *app, const actor_t *a, int64_t id, json_t **out,
                            cy_error_t *err);
cy_status_t app_package_forward(app_t *app, const actor_t *a, int64_t id, int64_t now, json_t **out,
                                cy_error_t *err);
cy_status_t app_package_return(app_t *app, const actor_t *a, int64_t id, const char *comment,
                               int64_t now, json_t **out, cy_error_t *err);

cy_status_t app_extension_list(app_t *app, const actor_t *a, const pilot_filter_t *f,
                               json_t **items, int64_t *next, cy_error_t *err);
/* until: a date YYYY-MM-DD (end of that day, Beijing time). */
cy_status_t app_extension_grant(app_t *app, const actor_t *a, const char *round_id,
                                const char *deadline, int64_t org_id, const char *until,
                                const char *reason, int64_t now, json_t **out, cy_error_t *err);

/* ---- pilots, reports, summaries ----------------------------------------- */
cy_status_t app_pilot_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                           int64_t *next, cy_error_t *err);
cy_status_t app_pilot_select(app_t *app, const actor_t *a, int64_t plan_id, const char *start_date,
                             int64_t now, json_t **out, cy_error_t *err);
/* One pilot with its status timeline (every hop of its plan, selection, reports, exit). */
cy_status_t app_pilot_get(app_t *app, const actor_t *a, int64_t id, json_t **out, cy_error_t *err);
cy_status_t app_pilot_exit(app_t *app, const actor_t *a, int64_t id, const char *reason,
                           int64_t now, json_t **out, cy_error_t *err);

cy_status_t app_report_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                            int64_t *next, cy_error_t *err);
/* body: pilot_id, period, the figures and text. */
cy_status_t app_report_create(app_t *app, const actor_t *a, json_t *body, int64_t now, json_t **out,
                              cy_error_t *err);
cy_status_t app_summary_list(app_t *app, const actor_t *a, const pilot_filter_t *f, json_t **items,
                             int64_t *next, cy_error_t *err);
/* body: round_id, level (pilot|city|province), pilot_id for a pilot, the three sections. */
cy_status_t app_summary_create(app_t *app, const actor_t *a, json_t *body, int64_t now,
                               json_t **out, cy_error_t *err);
/* What is overdue at now in the caller's scope: progress reports and summaries. */
cy_status_t app_overdue_list(app_t *app, const actor_t *a, const char *round_id, int64_t now,
                             json_t **items, cy_error_t *err);

/* Mark (or unmark) an organisation as a 基础电信企业. */
cy_status_t app_telecom_set(app_t *app, const actor_t *a, int64_t org_id, int on, json_t **out,
                            cy_error_t *err);

/*
 * app_pilot_demo_load applies data/demo/pilot.json (the pilot's part of the
 * demo data: which demo organisations are 基础电信企业), through
 * app_telecom_set as the command line. Idempotent.
 */
cy_status_t app_pilot_demo_load(app_t *app, const actor_t *op, const char *path, cy_error_t *err);

#endif
