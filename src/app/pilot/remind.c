/*
 * remind.c — deadline reminders (issue 12: "a deadline in 7/3/1 days",
 * lead times as data). When an organisation comes to owe material under a
 * deadline of a round — a scheme drafted (its lead owes it to the
 * ministry), a plan drafted (its author owes it to its first receiver), a
 * plan received by a city or a province (that authority owes its package to
 * the next), a pilot selected (its annual summary) — one job per day of the
 * round's reminders_days is queued for the start of that day, Beijing time
 * (app_job_enqueue_at). Run at its time, the job reminds the organisation
 * (notification pilot.deadline) if it still owes something under that
 * deadline and the deadline is still ahead, once per organisation, deadline
 * and day (pilot_reminder: the one place that table is read and written).
 * Depends on core/, store/, jansson, app/jobs and app/notify; never http/
 * or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jobs.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

#define BJ_OFFSET (8 * 3600)

int64_t
pilot_days_left(int64_t now, int64_t at)
{
    return (at + BJ_OFFSET) / 86400 - (now + BJ_OFFSET) / 86400;
}

round_deadline_t
pilot_next_deadline(const app_t *app, const pilot_org_t *o)
{
    route_stop_t stop;
    cy_error_t ignored;
    route_level_t level = pilot_level_of(o);
    if (level == ROUTE_MINISTRY ||
        routing_next(app->ref, level, o->region, &stop, &ignored) != CY_OK)
        return ROUND_DL_COUNT;
    return routing_deadline(stop.level);
}

cy_status_t
pilot_remind_schedule(store_conn_t *c, const actor_t *a, int64_t now, const round_t *r,
                      round_deadline_t k, const pilot_org_t *o, cy_error_t *err)
{
    int64_t at;
    if (a->org_id <= 0 || a->user_id <= 0 || k >= ROUND_DL_COUNT ||
        !round_deadline_at(r, k, o->province, &at) || at < now)
        return CY_OK; /* the command line owns no job; no date, or past: nothing to remind of */
    /* the start of the deadline's day, Beijing time */
    int64_t day = (at + BJ_OFFSET) / 86400 * 86400 - BJ_OFFSET;
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < r->n_reminders; i++) {
        int64_t when = day - (int64_t)r->reminders[i] * 86400, id;
        if (when <= now)
            continue; /* that day has begun: the home page already shows the days left */
        char params[200];
        snprintf(params, sizeof params,
                 "{\"round_id\":\"%s\",\"deadline\":\"%s\",\"org_id\":%" PRId64 ",\"days\":%d}",
                 r->id, round_deadline_key(k), o->id, r->reminders[i]);
        st = app_job_enqueue_at(c, a, now, when, PILOT_REMIND_JOB, params, &id, err);
    }
    return st;
}

/* Whether o still owes material under deadline k of round r. */
static cy_status_t
remind_owed(const app_t *app, store_conn_t *c, const round_t *r, round_deadline_t k,
            const pilot_org_t *o, int *owed, cy_error_t *err)
{
    int64_t n = 0;
    cy_status_t st = CY_OK;
    store_param_t p[] = {STORE_P_TEXT(r->id), STORE_P_INT(o->id)};
    *owed = 0;
    if (k == ROUND_DL_SCHEME_AT_MINISTRY)
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot_scheme WHERE round_id = $1 AND "
                             "lead_org_id = $2 AND status = 'draft'",
                             p, 2, &n, NULL, err);
    else if (k == pilot_next_deadline(app, o))
        /* its own plans still to send, or plans it holds still to pass on */
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot_plan WHERE round_id = $1 AND "
                             "((author_org_id = $2 AND status IN ('draft', 'returned')) OR "
                             "(holder_org_id = $2 AND status = 'submitted'))",
                             p, 2, &n, NULL, err);
    if (st == CY_OK && n == 0 && k == pilot_summary_deadline(r, o->province))
        st = store_query_int(c,
                             "SELECT COUNT(*) FROM pilot t WHERE t.round_id = $1 AND "
                             "t.lead_org_id = $2 AND t.status = 'active' AND NOT EXISTS (SELECT "
                             "1 FROM pilot_summary s WHERE s.pilot_id = t.id)",
                             p, 2, &n, NULL, err);
    *owed = n > 0;
    return st;
}

/* The reminder of o for deadline k, `days` before it: recorded once (*fresh), then told. */
static cy_status_t
remind_send(app_t *app, store_conn_t *c, int64_t now, const round_t *r, round_deadline_t k,
            const pilot_org_t *o, int days, int64_t at, int *fresh, cy_error_t *err)
{
    char ts[32], due[32], bj[32];
    utc_format_iso(now, ts);
    utc_format_iso(at, due);
    bjtime_format(at, bj);
    int64_t id = 0;
    store_param_t p[] = {STORE_P_TEXT(r->id), STORE_P_TEXT(round_deadline_key(k)),
                         STORE_P_INT(o->id),  STORE_P_INT(days),
                         STORE_P_TEXT(due),   STORE_P_TEXT(ts)};
    int found = 0;
    cy_status_t st = store_query_int(c,
                                     "INSERT INTO pilot_reminder (round_id, deadline_key, org_id, "
                                     "days, deadline_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                     "ON CONFLICT (round_id, deadline_key, org_id, days) DO "
                                     "NOTHING RETURNING id",
                                     p, 6, &id, &found, err);
    *fresh = st == CY_OK && found;
    if (!*fresh)
        return st;
    int64_t left = pilot_days_left(now, at);
    pilot_notice_t n = {.org_id = o->id,
                        .kind = "pilot.deadline",
                        .object_type = "pilot_reminder",
                        .object_id = id,
                        .link_fmt = "/"};
    return pilot_noticef(app, c, now, &n, err,
                         "%s 年度试点：%s 截止于 %s（北京时间），还有 %" PRId64
                         " 天 / round %s: %s "
                         "is due %s (Beijing time), %" PRId64 " day%s left",
                         r->id, round_deadline_name_zh(k), bj, left, r->id,
                         round_deadline_name_en(k), bj, left, left == 1 ? "" : "s");
}

/* The job's parameters: its round, deadline, organisation and day. */
static cy_status_t
remind_params(app_t *app, const char *text, const round_t **r, round_deadline_t *k, int64_t *org_id,
              int *days, cy_error_t *err)
{
    json_t *p = json_loads(text, 0, NULL);
    *r = p ? pilot_round_find(app, pf_str(p, "round_id")) : NULL;
    int bad = *r == NULL || round_deadline_parse(pf_str(p, "deadline"), k) != 0;
    *org_id = json_integer_value(json_object_get(p, "org_id"));
    *days = (int)json_integer_value(json_object_get(p, "days"));
    json_decref(p);
    if (bad)
        return cy_error_set(err, CY_EINVAL, "job_params", "params",
                            "提醒任务的轮次或截止事项已不在数据文件中 / the reminder's round or "
                            "deadline is no longer in the data files");
    return CY_OK;
}

cy_status_t
app_pilot_remind_job(app_t *app, const job_t *job, char **result,
                     void (*progress)(void *ctx, int permille), void *ctx, cy_error_t *err)
{
    (void)progress;
    (void)ctx;
    *result = NULL;
    const round_t *r;
    round_deadline_t k;
    int64_t org_id, at = 0;
    int days, found = 0, owed = 0, fresh = 0;
    pilot_org_t o;
    cy_status_t st = remind_params(app, job->params, &r, &k, &org_id, &days, err);
    store_conn_t *c;
    if (st == CY_OK)
        st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = pilot_org_get(c, org_id, &o, &found, err);
    int ahead = found && round_deadline_at(r, k, o.province, &at) && at >= job->now;
    if (st == CY_OK && ahead)
        st = remind_owed(app, c, r, k, &o, &owed, err);
    if (st == CY_OK && ahead && owed)
        st = remind_send(app, c, job->now, r, k, &o, days, at, &fresh, err);
    st = store_tx_close(app->store, c, st, err);
    if (st != CY_OK)
        return st;
    char out[160];
    snprintf(out, sizeof out, "{\"reminded\":%s,\"reason\":\"%s\"}", fresh ? "true" : "false",
             fresh    ? "sent"
             : !ahead ? "deadline_passed"
             : !owed  ? "nothing_owed"
                      : "already_reminded");
    *result = strdup(out);
    return CY_OK;
}
