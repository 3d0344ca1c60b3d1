/*
 * response.c — incident response (应急处置, claims.h): the insurer assigns
 * service organisations (its panel's at the panel's rate, others at no more
 * than the rules' non-panel rate), the responders record their tasks, hours
 * and expenses, and everyone reads the task list. Use-case file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

static const claims_field_t F_ORG = {"service_org_id", "服务机构", "the service organisation"};
static const claims_field_t F_SERVICE = {"service", "服务类别", "the service"};
static const claims_field_t F_RATE = {"hourly_rate", "小时费率", "the hourly rate"};
static const claims_field_t F_NOTE = {"note", "备注", "the note"};

/* The claim id entered for act (claims_enter), refused while it is closed. */
static cy_status_t
enter_open(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, authz_action_t act,
           claims_party_t need, claims_claim_t *cl, cy_error_t *err)
{
    claims_party_t party;
    cy_status_t st = claims_enter(c, a, now, id, act, need, cl, &party, err);
    if (st != CY_OK || strcmp(cl->status, "closed") != 0)
        return st;
    return cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                        "理赔已结案，请先重开 / the claim is closed: reopen it first");
}

/* The assignment's organisation, service and rate, checked inside c. */
static cy_status_t
assignment_of(app_t *app, store_conn_t *c, const claims_claim_t *cl, const claims_assign_in_t *in,
              claims_assignment_t *s, cy_error_t *err)
{
    char type[24];
    int found = 0;
    cy_status_t st = claims_org_read(c, in->service_org_id, type, s->service_org_name, &found, err);
    if (st == CY_OK && (!found || strcmp(type, "service_org") != 0))
        return cy_error_set(err, CY_EINVAL, "not_service_org", F_ORG.key,
                            "机构 %" PRId64 " 不是网络安全保险服务机构 / organisation %" PRId64
                            " is not a service organisation",
                            in->service_org_id, in->service_org_id);
    claims_panel_t p;
    if (st == CY_OK)
        st = claims_panel_member(c, cl->insurer_org_id, in->service_org_id, in->service, &p, &found,
                                 err);
    if (st != CY_OK)
        return st;
    s->panel = found;
    int64_t cap = claims_rules(app)->non_panel_rate;
    s->hourly_rate = found ? p.hourly_rate : in->has_hourly_rate ? in->hourly_rate : cap;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    money_format(s->hourly_rate, a, sizeof a);
    money_format(cap, b, sizeof b);
    if (found && in->has_hourly_rate && in->hourly_rate != p.hourly_rate)
        return cy_error_set(err, CY_EINVAL, "panel_rate", F_RATE.key,
                            "合作机构按名录约定的小时费率 %s 计费 / a panel member is paid the "
                            "panel's hourly rate, %s",
                            a, a);
    if (!found && (s->hourly_rate <= 0 || s->hourly_rate > cap))
        return cy_error_set(err, CY_EINVAL, "rate_above_non_panel", F_RATE.key,
                            "非合作机构的小时费率 %s 应大于 0 且不超过 %s / a non-panel hourly "
                            "rate of %s must be above 0 and at most %s",
                            a, b, a, b);
    return CY_OK;
}

/* The same organisation for the same service once per claim. */
static cy_status_t
not_assigned_twice(store_conn_t *c, claims_claim_t *cl, const claims_assignment_t *s,
                   cy_error_t *err)
{
    cy_status_t st = claims_assignments_read(c, cl, s->service_org_id, err);
    for (size_t i = 0; st == CY_OK && i < cl->n_assignments; i++)
        if (strcmp(cl->assignments[i].service, s->service) == 0)
            st = cy_error_set(err, CY_ECONFLICT, "already_assigned", F_ORG.key,
                              "%s 已被指派本理赔的该项服务 / %s is already assigned this "
                              "service on the claim",
                              s->service_org_name, s->service_org_name);
    return st;
}

cy_status_t
claims_assign(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_assign_in_t *in,
              claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    const claims_service_t *svc = claims_service_find(claims_rules(app), in->service);
    cy_status_t st = svc ? CY_OK
                         : cy_error_set(err, CY_EINVAL, "value_invalid", F_SERVICE.key,
                                        "请选择服务类别 / choose the service");
    if (st == CY_OK)
        st = claims_text(in->note, &F_NOTE, 500, 0, err);
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_assignment_t s = {0};
    st = enter_open(c, a, now, id, ACT_CLAIM_ASSIGN, PARTY_INSURER, &cl, err);
    s.service_org_id = in->service_org_id;
    claims_copy(s.service, sizeof s.service, svc->code);
    claims_copy(s.note, sizeof s.note, in->note);
    s.assigned_by = a->user_id;
    utc_format_iso(now, s.assigned_at);
    if (st == CY_OK)
        st = assignment_of(app, c, &cl, in, &s, err);
    if (st == CY_OK)
        st = not_assigned_twice(c, &cl, &s, err);
    if (st == CY_OK)
        st = claims_assignment_insert(c, cl.id, &s, err);
    if (cl.first_response_at[0] == '\0')
        claims_copy(cl.first_response_at, sizeof cl.first_response_at, s.assigned_at);
    char rate[MONEY_FORMAT_MAX];
    money_format(s.hourly_rate, rate, sizeof rate);
    if (st == CY_OK)
        st =
            claims_step(c, a, now, &cl, "claim.assign",
                        strcmp(cl.status, "notified") == 0 ? "responding" : NULL, "", err,
                        "指派%s：%s（%s，%s/小时） / assigned for %s: %s (%s, %s an hour)",
                        svc->name_zh, s.service_org_name, s.panel ? "合作机构" : "非合作机构", rate,
                        svc->name_en, s.service_org_name, s.panel ? "panel" : "non-panel", rate);
    char zh[512], en[512];
    snprintf(zh, sizeof zh, "%s 指派本机构承担%s：理赔 %s", cl.insurer_name, svc->name_zh,
             cl.claim_no);
    snprintf(en, sizeof en, "%s assigned this organisation for %s on claim %s", cl.insurer_name,
             svc->name_en, cl.claim_no);
    if (st == CY_OK)
        st = claims_notify(app, c, now, s.service_org_id, "claim.assigned", &cl, zh, en, err);
    claims_claim_free(&cl);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

/* ---------- tasks ---------- */

static const char *const TASK_STATUSES[] = {"open", "done", NULL};

static cy_status_t
task_in_check(const claims_task_in_t *in, int create, cy_error_t *err)
{
    static const claims_field_t ft = {"title", "任务名称", "the task's title"};
    static const claims_field_t fd = {"detail", "任务说明", "the task's detail"};
    static const claims_field_t fh = {"minutes", "工时", "the time spent"};
    static const claims_field_t fe = {"expenses", "费用", "the expenses"};
    static const claims_field_t fs = {"status", "任务状态", "the task's status"};
    cy_status_t st = claims_text(in->title, &ft, 200, create, err);
    if (st == CY_OK)
        st = claims_text(in->detail, &fd, CLAIMS_SHORT_MAX, 0, err);
    if (st == CY_OK && in->has_minutes && (in->minutes < 0 || in->minutes > 100000 * 60))
        st = cy_error_set(err, CY_EINVAL, "out_of_range", fh.key,
                          "%s应在 0 到 100000 小时之间 / %s must be from 0 to 100000 hours", fh.zh,
                          fh.en);
    if (st == CY_OK && in->has_expenses)
        st = claims_amount(in->expenses, &fe, 0, TERMS_AMOUNT_MAX, err);
    if (st == CY_OK && in->status != NULL)
        st = claims_one_of(in->status, &fs, TASK_STATUSES, err);
    return st;
}

/* The caller's assignment on the claim the task goes under. */
static cy_status_t
task_assignment(store_conn_t *c, const actor_t *a, claims_claim_t *cl, int64_t wanted,
                claims_assignment_t *s, cy_error_t *err)
{
    cy_status_t st = claims_assignments_read(c, cl, a->org_id, err);
    if (st != CY_OK)
        return st;
    for (size_t i = 0; i < cl->n_assignments; i++) {
        if (wanted == cl->assignments[i].id || (wanted == 0 && cl->n_assignments == 1)) {
            *s = cl->assignments[i];
            return CY_OK;
        }
    }
    return cy_error_set(err, CY_EINVAL, wanted ? "assignment_unknown" : "assignment_required",
                        "assignment_id",
                        "请选择本机构在该理赔中的指派 / choose your organisation's assignment "
                        "on the claim");
}

/* in applied to t (create: every field), its cost at the assignment's rate, at now. */
static cy_status_t
task_apply(const claims_task_in_t *in, int64_t now, claims_task_t *t, cy_error_t *err)
{
    if (in->title != NULL)
        claims_copy(t->title, sizeof t->title, in->title);
    if (in->detail != NULL)
        claims_copy(t->detail, sizeof t->detail, in->detail);
    if (in->has_minutes)
        t->minutes = in->minutes;
    if (in->has_expenses)
        t->expenses = in->expenses;
    if (in->status != NULL)
        claims_copy(t->status, sizeof t->status, in->status);
    utc_format_iso(now, t->updated_at);
    if (strcmp(t->status, "done") == 0 && t->done_at[0] == '\0')
        claims_copy(t->done_at, sizeof t->done_at, t->updated_at);
    if (strcmp(t->status, "open") == 0)
        t->done_at[0] = '\0';
    return loss_task_cost(t->hourly_rate, t->minutes, t->expenses, &t->cost, err);
}

static cy_status_t
task_step(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl,
          const claims_task_t *t, const char *verb_zh, const char *verb_en, cy_error_t *err)
{
    char cost[MONEY_FORMAT_MAX];
    money_format(t->cost, cost, sizeof cost);
    return claims_step(c, a, now, cl, "claim.task", NULL, "", err,
                       "%s任务“%s”：%" PRId64 " 小时 %02" PRId64 " 分，费用合计 %s / %s task “%s”: "
                       "%" PRId64 " h %02" PRId64 " min, cost %s",
                       verb_zh, t->title, t->minutes / 60, t->minutes % 60, cost, verb_en, t->title,
                       t->minutes / 60, t->minutes % 60, cost);
}

/* The task the caller adds to the claim (at the assignment in->assignment_id names) or changes. */
static cy_status_t
task_take(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl, int create,
          int64_t task_id, const claims_task_in_t *in, claims_task_t *t, cy_error_t *err)
{
    if (!create) {
        int found = 0;
        cy_status_t st = claims_task_read(c, task_id, t, &found, err);
        if (st == CY_OK && (!found || t->claim_id != cl->id || t->service_org_id != a->org_id))
            st = app_not_found(err, "任务", "task", task_id);
        return st;
    }
    claims_assignment_t s = {0};
    cy_status_t st = task_assignment(c, a, cl, in->assignment_id, &s, err);
    t->claim_id = cl->id;
    t->assignment_id = s.id;
    t->hourly_rate = s.hourly_rate;
    t->created_by = a->user_id;
    utc_format_iso(now, t->created_at);
    claims_copy(t->status, sizeof t->status, "open");
    return st;
}

/* claims_task_add (create) and claims_task_update (of task_id): one transaction, the same steps. */
static cy_status_t
task_save(app_t *app, const actor_t *a, int64_t now, int64_t id, int create, int64_t task_id,
          const claims_task_in_t *in, claims_claim_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = task_in_check(in, create, err);
    if (st == CY_OK && !create && in->title != NULL && in->title[0] == '\0')
        st = cy_error_set(err, CY_EINVAL, "missing_field", "title",
                          "请填写任务名称 / the task's title is required");
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    claims_task_t t = {0};
    st = enter_open(c, a, now, id, ACT_CLAIM_RESPOND, PARTY_RESPONDER, &cl, err);
    if (st == CY_OK)
        st = task_take(c, a, now, &cl, create, task_id, in, &t, err);
    if (st == CY_OK)
        st = task_apply(in, now, &t, err);
    if (st == CY_OK)
        st = create ? claims_task_insert(c, &t, err) : claims_task_update_row(c, &t, err);
    if (st == CY_OK)
        st = task_step(c, a, now, &cl, &t, create ? "新增" : "更新", create ? "added" : "updated",
                       err);
    claims_claim_free(&cl);
    st = store_tx_close(app->store, c, st, err);
    return claims_after(app, a, now, id, st, out, err);
}

cy_status_t
claims_task_add(app_t *app, const actor_t *a, int64_t now, int64_t id, const claims_task_in_t *in,
                claims_claim_t *out, cy_error_t *err)
{
    return task_save(app, a, now, id, 1, 0, in, out, err);
}

cy_status_t
claims_task_update(app_t *app, const actor_t *a, int64_t now, int64_t id, int64_t task_id,
                   const claims_task_in_t *in, claims_claim_t *out, cy_error_t *err)
{
    return task_save(app, a, now, id, 0, task_id, in, out, err);
}

cy_status_t
claims_tasks(app_t *app, const actor_t *a, int64_t now, const char *status, const app_page_t *pg,
             claims_task_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    static const claims_field_t fs = {"status", "任务状态", "the task's status"};
    store_conn_t *c;
    cy_status_t st = claims_list_open(app, a, status, &fs, TASK_STATUSES, &c, err);
    if (st != CY_OK)
        return st;
    st = claims_task_list_read(c, a, status, pg, out, err);
    store_release(app->store, c);
    if (st != CY_OK)
        claims_task_list_free(out);
    return st;
}

void
claims_task_list_free(claims_task_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}
