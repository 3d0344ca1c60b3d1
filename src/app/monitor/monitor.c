/*
 * monitor.c — the use cases of in-force monitoring (app/monitor/monitor.h):
 * declared stacks, signals in, tasks, the score. Each reads top to bottom:
 * permission and visibility, checks, one transaction of repository calls
 * (db.c), notifications raised inside it, the audit entry. Depends on
 * core/, store/, data/, app/uw, app/engage, app/notify and app/blob.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/blob/blob.h"
#include "app/engage/engage.h"
#include "app/monitor/internal.h"
#include "app/notify/notify.h"
#include "app/util.h"
#include "app/uw/uw.h"
#include "core/bjtime.h"
#include "core/monscore.h"

#define MON_MAX_ORGS 200000

static int
may(const actor_t *a, authz_action_t act)
{
    return a->cli || authz_allowed(a->org_type, a->role, act);
}

/* The enterprise org_id as actor sees its monitoring: its name; 404 when not visible. */
static cy_status_t
visible_enterprise(store_conn_t *c, const actor_t *a, int64_t org_id, int64_t now, char *name,
                   size_t cap, cy_error_t *err)
{
    int enterprise = 0, ok = 0;
    cy_status_t st = mon_org_read(c, org_id, name, cap, &enterprise, err);
    if (st == CY_OK && enterprise)
        st = mon_visible(c, a, org_id, now, &ok, err);
    if (st == CY_OK && !(enterprise && ok))
        st = app_not_found(err, "企业", "enterprise", org_id);
    return st;
}

/* ---- declared stacks ---------------------------------------------------------------------- */

static cy_status_t
check_stack(const monitor_data_t *md, const mon_asset_t *stack, size_t n, cy_error_t *err)
{
    char field[48];
    if (n > MON_MAX_STACK)
        return cy_error_set(err, CY_EINVAL, "stack_too_long", "stack",
                            "技术栈最多 %d 项 / a stack has at most %d entries", MON_MAX_STACK,
                            MON_MAX_STACK);
    for (size_t i = 0; i < n; i++) {
        snprintf(field, sizeof field, "stack[%zu].vendor", i);
        if (monitor_vendor_find(md, stack[i].vendor) == NULL) {
            int k = mon_nearest(stack[i].vendor, md->codes, md->n_vendors);
            const mon_vendor_t *v = &md->vendors[k < 0 ? 0 : k];
            return cy_error_set(err, CY_EINVAL, "vendor_unknown", field,
                                "产品目录中没有 %.40s，是否指 %s（%s）？ / the catalogue has no "
                                "%.40s: did you mean %s (%s)?",
                                stack[i].vendor, v->code, v->name_zh, stack[i].vendor, v->code,
                                v->name_en);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(stack[j].vendor, stack[i].vendor) == 0)
                return cy_error_set(err, CY_EINVAL, "vendor_repeated", field,
                                    "%s 重复申报 / %s is declared twice", stack[i].vendor,
                                    stack[i].vendor);
    }
    return CY_OK;
}

/* Enterprise org_id's own admins and members, or a service organisation it engaged. */
static cy_status_t
may_act_for(app_t *app, store_conn_t *c, const actor_t *a, int64_t org_id, int64_t now,
            authz_action_t act, cy_error_t *err)
{
    if (!may(a, act))
        return app_forbidden(err, act);
    if (a->cli || a->org_id == org_id)
        return CY_OK;
    if (a->org_type == ORG_SERVICE_ORG)
        return engage_require(app, c, a, org_id, "monitoring", now, err);
    return app_forbidden(err, act);
}

cy_status_t
monitor_stack_put(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                  const mon_asset_t *stack, size_t n, mon_enterprise_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!may(actor, ACT_MONITOR_STACK))
        return app_forbidden(err, ACT_MONITOR_STACK);
    cy_status_t st = check_stack(app->monitor, stack, n, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    st = visible_enterprise(c, actor, org_id, now, out->name, sizeof out->name, err);
    if (st == CY_OK)
        st = may_act_for(app, c, actor, org_id, now, ACT_MONITOR_STACK, err);
    if (st == CY_OK)
        st = mon_stack_replace(c, org_id, now, stack, n, err);
    if (st == CY_OK)
        st = mon_stack_read(c, org_id, out, err);
    if (st == CY_OK)
        st = mon_score_now(app, c, org_id, now, &out->score, err);
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, org_id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "monitor.stack", "organisation", id, err,
                              "申报“%s”的技术栈（%zu 项） / declared the stack of \"%s\" (%zu)",
                              out->name, n, out->name, n);
    out->org_id = org_id;
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
monitor_enterprise(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                   mon_enterprise_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!may(actor, ACT_MONITOR_READ))
        return app_forbidden(err, ACT_MONITOR_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = visible_enterprise(c, actor, org_id, now, out->name, sizeof out->name, err);
    if (st == CY_OK)
        st = mon_stack_read(c, org_id, out, err);
    if (st == CY_OK)
        st = mon_score_now(app, c, org_id, now, &out->score, err);
    store_release(app->store, c);
    out->org_id = org_id;
    return st;
}

cy_status_t
monitor_score_history(app_t *app, const actor_t *actor, int64_t now, int64_t org_id,
                      const app_page_t *pg, mon_score_fn fn, void *arg, int64_t *next,
                      cy_error_t *err)
{
    if (!may(actor, ACT_MONITOR_READ))
        return app_forbidden(err, ACT_MONITOR_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char name[256];
    st = visible_enterprise(c, actor, org_id, now, name, sizeof name, err);
    if (st == CY_OK)
        st = mon_score_page(c, org_id, pg, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}

/* ---- signals in --------------------------------------------------------------------------- */

static cy_status_t
check_signal(const monitor_data_t *md, const feed_signal_t *s, size_t i, cy_error_t *err)
{
    char field[64];
    snprintf(field, sizeof field, "signals[%zu].severity", i);
    if (monitor_severity_find(md, s->severity) == NULL)
        return cy_error_set(err, CY_EINVAL, "severity_unknown", field,
                            "第 %zu 条信号的严重程度应为 critical、high、medium 或 low / signal "
                            "%zu: the severity must be critical, high, medium or low",
                            i + 1, i + 1);
    snprintf(field, sizeof field, "signals[%zu]", i);
    if (s->source[0] == '\0' || s->source_id[0] == '\0' || s->title[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "signal_incomplete", field,
                            "第 %zu 条信号缺少来源、来源编号或标题 / signal %zu lacks its "
                            "source, source id or title",
                            i + 1, i + 1);
    if (s->cve[0] != '\0' && !feed_vuln_id_ok(s->cve))
        return cy_error_set(err, CY_EINVAL, "cve_invalid", field,
                            "第 %zu 条信号的漏洞编号应为 CVE、CNVD 或 CNNVD 编号 / signal %zu: "
                            "the identifier must be a CVE, CNVD or CNNVD one",
                            i + 1, i + 1);
    for (size_t k = 0; k < s->n_vendors; k++) {
        snprintf(field, sizeof field, "signals[%zu].vendors[%zu]", i, k);
        if (monitor_vendor_find(md, s->vendors[k]) != NULL)
            continue;
        int n = mon_nearest(s->vendors[k], md->codes, md->n_vendors);
        const mon_vendor_t *v = &md->vendors[n < 0 ? 0 : n];
        return cy_error_set(err, CY_EINVAL, "vendor_unknown", field,
                            "产品目录中没有 %.40s，是否指 %s（%s）？ / the catalogue has no %.40s: "
                            "did you mean %s (%s)?",
                            s->vendors[k], v->code, v->name_zh, s->vendors[k], v->code, v->name_en);
    }
    return CY_OK;
}

static void
signal_of(const feed_signal_t *f, mon_signal_t *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->source, sizeof s->source, "%s", f->source);
    snprintf(s->source_id, sizeof s->source_id, "%s", f->source_id);
    snprintf(s->kind, sizeof s->kind, "%s", f->kind);
    snprintf(s->cve, sizeof s->cve, "%s", f->cve);
    snprintf(s->severity, sizeof s->severity, "%s", f->severity);
    snprintf(s->title, sizeof s->title, "%s", f->title);
    for (size_t k = 0; k < f->n_vendors; k++)
        snprintf(s->vendors[s->n_vendors++], sizeof s->vendors[0], "%s", f->vendors[k]);
}

static cy_status_t
raise(app_t *app, store_conn_t *c, int64_t now, int64_t org, const char *kind, int64_t task_id,
      const char *zh, const char *en, cy_error_t *err)
{
    char id[24], link[64];
    snprintf(id, sizeof id, "%" PRId64, task_id);
    snprintf(link, sizeof link, "/monitor.html?task=%" PRId64, task_id);
    notify_in_t n = {.org_id = org,
                     .kind = kind,
                     .object_type = "monitor_task",
                     .object_id = id,
                     .text_zh = zh,
                     .text_en = en,
                     .link = link};
    return notify_raise(app, c, now, &n, NULL, err);
}

/* The task's reminder (remind_days before it is due) and escalation (when due), as jobs of the
   ingesting user (a job has an owner) that no worker claims before their time. */
static cy_status_t
queue_reminders(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const mon_task_t *t,
                const mon_severity_t *sev, cy_error_t *err)
{
    int64_t due = now + (int64_t)sev->due_days * 86400, id;
    int64_t remind = due - (int64_t)app->monitor->remind_days * 86400;
    char params[80];
    snprintf(params, sizeof params, "{\"task\":%" PRId64 ",\"step\":\"remind\"}", t->id);
    cy_status_t st = CY_OK;
    if (remind > now)
        st = app_job_enqueue_at(c, a, now, remind, MONITOR_JOB_KIND, params, &id, err);
    snprintf(params, sizeof params, "{\"task\":%" PRId64 ",\"step\":\"overdue\"}", t->id);
    if (st == CY_OK)
        st = app_job_enqueue_at(c, a, now, due, MONITOR_JOB_KIND, params, &id, err);
    return st;
}

/* The task of signal s for enterprise org (declaring vendor): stored, told, alerted, scored. */
static cy_status_t
open_task(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const mon_signal_t *s,
          int64_t org, const char *vendor, cy_error_t *err)
{
    const mon_severity_t *sev = monitor_severity_find(app->monitor, s->severity);
    mon_task_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cy_error_no_memory(err);
    t->org_id = t->assignee_org_id = org;
    t->signal_id = s->id;
    snprintf(t->vendor, sizeof t->vendor, "%s", vendor);
    snprintf(t->severity, sizeof t->severity, "%s", s->severity);
    utc_format_iso(now, t->opened_at);
    utc_format_iso(now + (int64_t)sev->due_days * 86400, t->due_at);
    char name[256], due[32], zh[1000], en[1000];
    int ent = 0;
    bjtime_format(now + (int64_t)sev->due_days * 86400, due);
    cy_status_t st = mon_org_read(c, org, name, sizeof name, &ent, err);
    if (st == CY_OK)
        st = mon_task_insert(c, t, err);
    snprintf(zh, sizeof zh, "%s：%s（%s，%s）影响所申报的 %s，请于 %s 前处置", s->cve, s->title,
             sev->name_zh, s->source, vendor, due);
    snprintf(en, sizeof en, "%s: %s (%s, %s) affects the declared %s: remediate by %s", s->cve,
             s->title, sev->name_en, s->source, vendor, due);
    if (st == CY_OK)
        st = raise(app, c, now, org, "monitor.task", t->id, zh, en, err);
    if (st == CY_OK && a->user_id > 0)
        st = queue_reminders(app, c, a, now, t, sev, err);
    uw_cover_t cov[16];
    size_t n = 0;
    if (st == CY_OK)
        st = app_uw_covers(c, org, now, cov, 16, &n, err);
    snprintf(zh, sizeof zh, "被保险人 %s 受 %s（%s）影响：%s", name, s->cve, sev->name_zh,
             s->title);
    snprintf(en, sizeof en, "insured %s is affected by %s (%s): %s", name, s->cve, sev->name_en,
             s->title);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        st = mon_task_insurer_add(c, t->id, cov[i].insurer_org_id, cov[i].policy_id,
                                  cov[i].aggregate_limit, err);
        int first = 1;
        for (size_t k = 0; k < i; k++)
            first &= cov[k].insurer_org_id != cov[i].insurer_org_id;
        if (st == CY_OK && first)
            st = raise(app, c, now, cov[i].insurer_org_id, "monitor.alert", t->id, zh, en, err);
    }
    if (st == CY_OK)
        st = mon_score_record(app, c, org, now, "task_opened", err);
    free(t);
    return st;
}

/* Match a new signal: the enterprises declaring any vendor it affects, once each. */
static cy_status_t
match_signal(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, mon_signal_t *s,
             int64_t *orgs, cy_error_t *err)
{
    size_t from[MON_MAX_MATCH + 1];
    cy_status_t st = mon_vendors_orgs(c, s->vendors, s->n_vendors, orgs, MON_MAX_ORGS, from, err);
    for (size_t v = 0; st == CY_OK && v < s->n_vendors; v++)
        for (size_t i = from[v]; st == CY_OK && i < from[v + 1]; i++)
            st = open_task(app, c, a, now, s, orgs[i], s->vendors[v], err);
    s->matched = (int64_t)from[s->n_vendors];
    return st == CY_OK ? mon_signal_set_matched(c, s->id, s->matched, err) : st;
}

static cy_status_t
ingest_one(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const feed_signal_t *f,
           mon_ingest_t *out, int64_t *orgs, cy_error_t *err)
{
    mon_signal_t *s = &out->signals[out->n++];
    int found = 0;
    cy_status_t st = mon_signal_find(c, f->source, f->source_id, s, &found, err);
    if (st != CY_OK || found) {
        s->duplicate = found;
        out->duplicates += (size_t)found;
        return st;
    }
    signal_of(f, s);
    st = mon_signal_insert(c, now, a->org_id, s, err);
    if (st == CY_OK)
        st = match_signal(app, c, a, now, s, orgs, err);
    out->created++;
    out->tasks += (size_t)s->matched;
    return st;
}

cy_status_t
monitor_ingest(app_t *app, const actor_t *actor, int64_t now, const feed_t *feed, mon_ingest_t *out,
               cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!may(actor, ACT_SIGNAL_INGEST))
        return app_forbidden(err, ACT_SIGNAL_INGEST);
    const monitor_data_t *md = app->monitor;
    if (feed->n > (size_t)md->max_batch)
        return cy_error_set(err, CY_EINVAL, "batch_too_large", "signals",
                            "一次最多导入 %d 条信号 / at most %d signals at a time", md->max_batch,
                            md->max_batch);
    cy_status_t st = CY_OK;
    for (size_t i = 0; st == CY_OK && i < feed->n; i++)
        st = check_signal(md, &feed->items[i], i, err);
    out->signals = calloc(feed->n + 1, sizeof *out->signals);
    int64_t *orgs = malloc(MON_MAX_ORGS * sizeof *orgs);
    store_conn_t *c;
    if (st == CY_OK && (out->signals == NULL || orgs == NULL))
        st = cy_error_no_memory(err);
    if (st == CY_OK && (st = store_tx_open(app->store, &c, err)) == CY_OK) {
        for (size_t i = 0; st == CY_OK && i < feed->n; i++)
            st = ingest_one(app, c, actor, now, &feed->items[i], out, orgs, err);
        if (st == CY_OK)
            st = app_audit_append(c, actor, now, "signal.ingest", "signal", NULL, err,
                                  "导入威胁信号 %zu 条（新 %zu，重复 %zu），开出任务 %zu 项 / "
                                  "brought in %zu signals (%zu new, %zu repeated), %zu tasks",
                                  feed->n, out->created, out->duplicates, out->tasks, feed->n,
                                  out->created, out->duplicates, out->tasks);
        st = store_tx_close(app->store, c, st, err);
    }
    free(orgs);
    out->ignored = feed->ignored;
    if (st != CY_OK)
        monitor_ingest_free(out);
    return st;
}

void
monitor_ingest_free(mon_ingest_t *r)
{
    free(r->signals);
    memset(r, 0, sizeof *r);
}

/* ---- tasks -------------------------------------------------------------------------------- */

cy_status_t
monitor_task_list(app_t *app, const actor_t *actor, int64_t now, const mon_task_filter_t *f,
                  mon_task_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    if (!may(actor, ACT_MONITOR_READ))
        return app_forbidden(err, ACT_MONITOR_READ);
    if (f->status != NULL && strcmp(f->status, "open") && strcmp(f->status, "closed"))
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "status",
                            "状态只能是 open 或 closed / the status is open or closed");
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = mon_task_page(c, actor, now, 0, f, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}

static void
copy_task(const mon_task_t *t, void *arg)
{
    *(mon_task_t *)arg = *t;
}

static cy_status_t
load_task(store_conn_t *c, const actor_t *a, int64_t now, int64_t id, mon_task_t *out,
          cy_error_t *err)
{
    mon_task_filter_t one = {.page = {0, 1}};
    int64_t next;
    out->id = 0;
    cy_status_t st = mon_task_page(c, a, now, id, &one, copy_task, out, &next, err);
    if (st == CY_OK && out->id != id)
        st = app_not_found(err, "防灾减损任务", "task", id);
    return st;
}

cy_status_t
monitor_task_get(app_t *app, const actor_t *actor, int64_t now, int64_t id, mon_task_t *out,
                 cy_error_t *err)
{
    if (!may(actor, ACT_MONITOR_READ))
        return app_forbidden(err, ACT_MONITOR_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_task(c, actor, now, id, out, err);
    store_release(app->store, c);
    return st;
}

static cy_status_t
check_evidence(store_conn_t *c, const actor_t *a, const char *note, int64_t file_id,
               cy_error_t *err)
{
    size_t n = note ? strlen(note) : 0;
    if (n == 0 || n > 2000)
        return cy_error_set(err, CY_EINVAL, "evidence_required", "evidence_note",
                            "请说明处置情况（1–2000 字节） / say what was done (1 to 2000 bytes)");
    if (file_id <= 0)
        return CY_OK;
    blob_t b;
    int found = 0;
    cy_status_t st = blob_get(c, file_id, &b, &found, err);
    if (st == CY_OK && (!found || (!a->cli && b.org_id != a->org_id)))
        st = cy_error_set(err, CY_EINVAL, "evidence_file_unknown", "evidence_file_id",
                          "本机构没有文件 %" PRId64 " / your organisation has no file %" PRId64,
                          file_id, file_id);
    return st;
}

static cy_status_t
tell_closed(app_t *app, store_conn_t *c, int64_t now, const mon_task_t *t, cy_error_t *err)
{
    int64_t ins[16];
    size_t n = 0;
    cy_status_t st = mon_task_insurers(c, t->id, ins, 16, &n, err);
    char zh[1000], en[1000];
    snprintf(zh, sizeof zh, "被保险人 %.200s 已处置 %s：%.400s", t->org_name, t->cve,
             t->evidence_note);
    snprintf(en, sizeof en, "insured %.200s remediated %s: %.400s", t->org_name, t->cve,
             t->evidence_note);
    for (size_t i = 0; st == CY_OK && i < n; i++)
        st = raise(app, c, now, ins[i], "monitor.task_closed", t->id, zh, en, err);
    return st;
}

cy_status_t
monitor_task_close(app_t *app, const actor_t *actor, int64_t now, int64_t id, const char *note,
                   int64_t file_id, mon_task_t *out, cy_error_t *err)
{
    if (!may(actor, ACT_TASK_CLOSE))
        return app_forbidden(err, ACT_TASK_CLOSE);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_task(c, actor, now, id, out, err);
    if (st == CY_OK)
        st = may_act_for(app, c, actor, out->org_id, now, ACT_TASK_CLOSE, err);
    if (st == CY_OK && strcmp(out->status, "open") != 0)
        st = cy_error_set(err, CY_ECONFLICT, "task_closed", "id",
                          "任务已于 %s 关闭 / the task was closed at %s", out->closed_at,
                          out->closed_at);
    if (st == CY_OK)
        st = check_evidence(c, actor, note, file_id, err);
    if (st == CY_OK) {
        snprintf(out->status, sizeof out->status, "closed");
        utc_format_iso(now, out->closed_at);
        out->closed_by = actor->user_id;
        snprintf(out->evidence_note, sizeof out->evidence_note, "%s", note);
        out->evidence_file_id = file_id > 0 ? file_id : 0;
        out->overdue = 0;
        st = mon_task_close_row(c, out, err);
    }
    if (st == CY_OK)
        st = mon_score_record(app, c, out->org_id, now, "task_closed", err);
    if (st == CY_OK)
        st = tell_closed(app, c, now, out, err);
    char tid[24];
    snprintf(tid, sizeof tid, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "task.close", "monitor_task", tid, err,
                              "关闭防灾减损任务（%s） / closed a loss-prevention task (%s)",
                              out->cve, out->cve);
    return store_tx_close(app->store, c, st, err);
}

/* ---- reminders and escalation (the job) --------------------------------------------------- */

static cy_status_t
remind(app_t *app, store_conn_t *c, int64_t now, const mon_task_t *t, int overdue, cy_error_t *err)
{
    char due[32], zh[1000], en[1000];
    bjtime_format(app_iso_to_time(t->due_at), due);
    snprintf(zh, sizeof zh, "%s防灾减损任务 #%" PRId64 "（%s：%.300s），处置期限 %s",
             overdue ? "已逾期：" : "即将到期：", t->id, t->cve, t->title, due);
    snprintf(en, sizeof en, "%s loss-prevention task #%" PRId64 " (%s: %.300s), due %s",
             overdue ? "Overdue:" : "Due soon:", t->id, t->cve, t->title, due);
    const char *kind = overdue ? "monitor.task_overdue" : "monitor.task_due";
    cy_status_t st = raise(app, c, now, t->org_id, kind, t->id, zh, en, err);
    int64_t ins[16];
    size_t n = 0;
    if (st == CY_OK && overdue)
        st = mon_task_insurers(c, t->id, ins, 16, &n, err);
    for (size_t i = 0; st == CY_OK && i < n; i++)
        st = raise(app, c, now, ins[i], kind, t->id, zh, en, err);
    return st;
}

cy_status_t
monitor_job(app_t *app, const job_t *job, char **result, void (*progress)(void *ctx, int permille),
            void *ctx, cy_error_t *err)
{
    (void)progress;
    (void)ctx;
    *result = NULL;
    long long id = 0;
    char step[16] = "";
    if (sscanf(job->params, "{\"task\":%lld,\"step\":\"%15[a-z]\"}", &id, step) != 2 || id <= 0 ||
        (strcmp(step, "remind") && strcmp(step, "overdue")))
        return cy_error_set(err, CY_EINVAL, "job_params", "params",
                            "任务参数无效 / the job's parameters are not valid: %s", job->params);
    actor_t sys = {.cli = 1};
    mon_task_t *t = malloc(sizeof *t);
    store_conn_t *c;
    cy_status_t st = t ? store_tx_open(app->store, &c, err) : cy_error_no_memory(err);
    if (st != CY_OK) {
        free(t);
        return st;
    }
    st = load_task(c, &sys, job->now, id, t, err);
    int open = st == CY_OK && strcmp(t->status, "open") == 0;
    if (open)
        st = remind(app, c, job->now, t, strcmp(step, "overdue") == 0, err);
    st = store_tx_close(app->store, c, st, err);
    char buf[96];
    snprintf(buf, sizeof buf, "{\"task\":%lld,\"step\":\"%s\",\"sent\":%s}", id, step,
             open ? "true" : "false");
    free(t);
    if (st == CY_OK && (*result = strdup(buf)) == NULL)
        st = cy_error_no_memory(err);
    return st;
}
