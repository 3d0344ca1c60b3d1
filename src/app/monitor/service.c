/*
 * service.c — service delivery records (issue 15 item 6): what a service
 * organisation did for which enterprise (assessment, scan, drill, training,
 * response, monitoring), when and with what result — the figures the
 * pilot's reports need. The table monitor_service is read and written here
 * only, columns by name. Depends on core/, store/, data/ and app/engage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/engage/engage.h"
#include "app/monitor/internal.h"
#include "core/bjtime.h"

static cy_status_t
check_service(const monitor_data_t *md, int64_t now, const mon_service_t *in, cy_error_t *err)
{
    int known = 0;
    for (size_t i = 0; i < md->n_service_kinds; i++)
        known |= strcmp(md->service_kinds[i].code, in->kind) == 0;
    if (!known)
        return cy_error_set(
            err, CY_EINVAL, "service_kind", "kind",
            "服务类型应为 assessment、scan、drill、training、response 或 monitoring "
            "/ the kind is assessment, scan, drill, training, response or monitoring");
    char today[16];
    bjtime_format_date(now, today);
    int64_t t = 0;
    cy_error_t e2;
    if (strlen(in->performed_on) != 10 || bjtime_parse(in->performed_on, &t, &e2) != CY_OK ||
        strcmp(in->performed_on, today) > 0)
        return cy_error_set(err, CY_EINVAL, "performed_on_invalid", "performed_on",
                            "服务日期应为不晚于今天的 YYYY-MM-DD / performed_on is a date "
                            "(YYYY-MM-DD) not after today");
    size_t n = strlen(in->result);
    if (n == 0 || n > 1000)
        return cy_error_set(
            err, CY_EINVAL, "result_required", "result",
            "请说明服务结果（1–1000 字节） / say what came of it (1 to 1000 bytes)");
    return CY_OK;
}

static cy_status_t
insert_service(store_conn_t *c, const actor_t *a, mon_service_t *s, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(s->service_org_id),
                         STORE_P_INT(s->org_id),
                         STORE_P_TEXT(s->kind),
                         STORE_P_TEXT(s->performed_on),
                         STORE_P_TEXT(s->result),
                         s->task_id > 0 ? STORE_P_INT(s->task_id) : STORE_P_NULL,
                         a->user_id > 0 ? STORE_P_INT(a->user_id) : STORE_P_NULL,
                         STORE_P_TEXT(s->created_at)};
    return store_insert_id(c,
                           "INSERT INTO monitor_service (service_org_id, org_id, kind, "
                           "performed_on, result, task_id, created_by, created_at) VALUES ($1, $2, "
                           "$3, $4, $5, $6, $7, $8) RETURNING id",
                           p, 8, &s->id, err);
}

static const store_col_t SERVICE_COLS[] = {STORE_COL(mon_service_t, id),
                                           STORE_COL(mon_service_t, service_org_id),
                                           STORE_COL(mon_service_t, org_id),
                                           STORE_COL(mon_service_t, task_id),
                                           STORE_COL(mon_service_t, kind),
                                           STORE_COL(mon_service_t, performed_on),
                                           STORE_COL(mon_service_t, result),
                                           STORE_COL(mon_service_t, created_at),
                                           STORE_COL(mon_service_t, service_org_name),
                                           STORE_COL(mon_service_t, org_name)};

static void
service_from_row(store_rows_t *r, mon_service_t *s)
{
    memset(s, 0, sizeof *s);
    store_row_read(r, SERVICE_COLS, STORE_COLS_N(SERVICE_COLS), s);
}

/* One page of the records a sees (id > 0: only that one), newest first. */
static cy_status_t
service_page(store_conn_t *c, const actor_t *a, int64_t id, int64_t org_id, const app_page_t *pg,
             mon_service_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(a->cli || authz_sees_all(a->org_type)),
                         STORE_P_INT(a->org_id),
                         STORE_P_INT(id),
                         STORE_P_INT(org_id),
                         STORE_P_INT(pg->cursor),
                         STORE_P_INT(pg->limit + 1)};
    store_rows_t *r;
    cy_status_t st = store_query(
        c,
        "SELECT s.id, s.service_org_id, s.org_id, s.task_id, s.kind, s.performed_on, s.result, "
        "s.created_at, so.name AS service_org_name, o.name AS org_name FROM monitor_service s "
        "JOIN organisation so ON so.id = s.service_org_id JOIN organisation o ON o.id = s.org_id "
        "WHERE ($1 = 1 OR s.service_org_id = $2 OR s.org_id = $2) AND ($3 = 0 OR s.id = $3) AND "
        "($4 = 0 OR s.org_id = $4) AND ($5 = 0 OR s.id < $5) ORDER BY s.id DESC LIMIT $6",
        p, 6, &r, err);
    if (st != CY_OK)
        return st;
    int k, count = 0;
    int64_t last = 0;
    *next = 0;
    mon_service_t s;
    while ((k = store_rows_next(r, err)) == 1) {
        if (++count > pg->limit) {
            *next = last;
            break;
        }
        service_from_row(r, &s);
        last = s.id;
        fn(&s, arg);
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

static void
copy_service(const mon_service_t *s, void *arg)
{
    *(mon_service_t *)arg = *s;
}

static void
task_org(const mon_task_t *t, void *arg)
{
    *(int64_t *)arg = t->org_id;
}

/* The task, when one is named: one of the enterprise's the caller sees. */
static cy_status_t
check_task(store_conn_t *c, const actor_t *a, int64_t now, const mon_service_t *in, cy_error_t *err)
{
    if (in->task_id == 0)
        return CY_OK;
    mon_task_filter_t one = {.page = {0, 1}};
    int64_t next, org = 0;
    cy_status_t st = in->task_id > 0
                         ? mon_task_page(c, a, now, in->task_id, &one, task_org, &org, &next, err)
                         : CY_OK;
    if (st == CY_OK && org != in->org_id)
        st =
            cy_error_set(err, CY_EINVAL, "task_unknown", "task_id",
                         "该企业没有防灾减损任务 %" PRId64 " / the enterprise has no task %" PRId64,
                         in->task_id, in->task_id);
    return st;
}

cy_status_t
monitor_service_add(app_t *app, const actor_t *actor, int64_t now, const mon_service_t *in,
                    mon_service_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!(actor->cli || authz_allowed(actor->org_type, actor->role, ACT_SERVICE_RECORD)))
        return app_forbidden(err, ACT_SERVICE_RECORD);
    cy_status_t st = check_service(app->monitor, now, in, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    char name[256];
    int ent = 0, engaged = actor->cli;
    st = mon_org_read(c, in->org_id, name, sizeof name, &ent, err);
    if (st == CY_OK && ent && !engaged)
        st = engage_active(c, actor->org_id, in->org_id, "monitoring", now, &engaged, err);
    if (st == CY_OK && !(ent && engaged))
        st = app_not_found(err, "企业", "enterprise", in->org_id);
    if (st == CY_OK)
        st = check_task(c, actor, now, in, err);
    mon_service_t s = *in;
    s.service_org_id = actor->org_id;
    utc_format_iso(now, s.created_at);
    if (st == CY_OK)
        st = insert_service(c, actor, &s, err);
    app_page_t one = {0, 1};
    int64_t next;
    if (st == CY_OK)
        st = service_page(c, actor, s.id, 0, &one, copy_service, out, &next, err);
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, s.id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "service.record", "monitor_service", id, err,
                              "登记为“%s”提供的服务（%s） / recorded a service for \"%s\" (%s)",
                              name, s.kind, name, s.kind);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
monitor_service_list(app_t *app, const actor_t *actor, int64_t org_id, const app_page_t *pg,
                     mon_service_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    if (!(actor->cli || authz_allowed(actor->org_type, actor->role, ACT_MONITOR_READ)))
        return app_forbidden(err, ACT_MONITOR_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = service_page(c, actor, 0, org_id, pg, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}
