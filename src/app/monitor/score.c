/*
 * score.c — the continuous score (core/monscore.h on the latest submitted
 * assessment and the open tasks) and who may see an enterprise's
 * monitoring. Depends on core/, store/, app/uw and app/engage.
 */
#include <stdio.h>
#include <string.h>

#include "app/engage/engage.h"
#include "app/monitor/internal.h"
#include "app/uw/uw.h"
#include "core/bjtime.h"
#include "core/monscore.h"

cy_status_t
mon_score_now(app_t *app, store_conn_t *c, int64_t org_id, int64_t now, mon_score_t *out,
              cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_latest_t last;
    int found = 0;
    cy_status_t st = app_uw_latest_assessment(c, org_id, &last, &found, err);
    int64_t points = 0;
    if (st == CY_OK)
        st = mon_open_points(app->monitor, c, org_id, &points, &out->open_tasks, err);
    if (st != CY_OK)
        return st;
    out->assessment_id = found ? last.id : 0;
    out->base_hundredths = found ? last.score_hundredths : 0;
    out->base_grade = found ? last.grade : 'E';
    out->penalty = points > app->monitor->max_penalty ? app->monitor->max_penalty : points;
    mon_score(out->base_hundredths, out->base_grade, points, app->monitor->max_penalty,
              app_uw_questionnaire(app)->grade_min, &out->score_hundredths, &out->grade);
    utc_format_iso(now, out->at);
    return CY_OK;
}

cy_status_t
mon_score_record(app_t *app, store_conn_t *c, int64_t org_id, int64_t now, const char *cause,
                 cy_error_t *err)
{
    mon_score_t s;
    cy_status_t st = mon_score_now(app, c, org_id, now, &s, err);
    snprintf(s.cause, sizeof s.cause, "%s", cause);
    return st == CY_OK ? mon_score_insert(c, org_id, &s, err) : st;
}

cy_status_t
monitor_grade_now(app_t *app, store_conn_t *c, int64_t org_id, int64_t now, char *grade,
                  cy_error_t *err)
{
    mon_score_t s;
    cy_status_t st = mon_score_now(app, c, org_id, now, &s, err);
    *grade = st == CY_OK && s.assessment_id > 0 ? s.grade : 0;
    return st;
}

cy_status_t
mon_visible(store_conn_t *c, const actor_t *a, int64_t org_id, int64_t now, int *ok,
            cy_error_t *err)
{
    *ok = a->cli || authz_sees_all(a->org_type) || a->org_id == org_id;
    if (*ok)
        return CY_OK;
    if (a->org_type == ORG_SERVICE_ORG)
        return engage_active(c, a->org_id, org_id, "monitoring", now, ok, err);
    if (a->org_type != ORG_INSURER)
        return CY_OK;
    uw_cover_t cov[16];
    size_t n = 0;
    cy_status_t st = app_uw_covers(c, org_id, now, cov, 16, &n, err);
    for (size_t i = 0; st == CY_OK && i < n; i++)
        *ok |= cov[i].insurer_org_id == a->org_id;
    return st;
}
