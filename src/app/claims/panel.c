/*
 * panel.c — an insurer's panel of service organisations (合作服务机构名录,
 * claims.h): who it assigns to its claims for which services, at the hourly
 * rate agreed. The insurer keeps it; its members and the operators read it.
 * Use-case file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/claims/internal.h"
#include "core/bjtime.h"
#include "core/money.h"

static const claims_field_t F_ORG = {"service_org_id", "服务机构", "the service organisation"};
static const claims_field_t F_RATE = {"hourly_rate", "小时费率", "the hourly rate"};
static const claims_field_t F_NOTE = {"note", "备注", "the note"};

/* in's fields (create: all of them) checked and applied to p. */
static cy_status_t
panel_apply(const app_t *app, const claims_panel_in_t *in, int create, claims_panel_t *p,
            cy_error_t *err)
{
    if (create && (in->services == NULL || !in->has_hourly_rate))
        return cy_error_set(err, CY_EINVAL, "missing_field",
                            in->services == NULL ? "services" : F_RATE.key,
                            "请填写服务类别和小时费率 / the services and the hourly rate are "
                            "required");
    if (in->services != NULL && (in->n_services == 0 || in->n_services > CLAIMS_PANEL_SERVICES))
        return cy_error_set(err, CY_EINVAL, "services_invalid", "services",
                            "服务类别应为 1 到 %d 项 / from 1 to %d services",
                            CLAIMS_PANEL_SERVICES, CLAIMS_PANEL_SERVICES);
    for (size_t i = 0; in->services != NULL && i < in->n_services; i++) {
        char key[32];
        snprintf(key, sizeof key, "services[%zu]", i);
        if (claims_service_find(claims_rules(app), in->services[i]) == NULL)
            return cy_error_set(err, CY_EINVAL, "value_invalid", key,
                                "不是已知的服务类别 / not a known service");
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->services[k], in->services[i]) == 0)
                return cy_error_set(err, CY_EINVAL, "value_repeated", key,
                                    "服务类别重复 / the service is given twice");
    }
    cy_status_t st = in->has_hourly_rate
                         ? claims_amount(in->hourly_rate, &F_RATE, 1, LOSS_RATE_MAX, err)
                         : CY_OK;
    if (st == CY_OK)
        st = claims_text(in->note, &F_NOTE, 500, 0, err);
    if (st != CY_OK)
        return st;
    if (in->services != NULL) {
        p->n_services = in->n_services;
        for (size_t i = 0; i < in->n_services; i++)
            claims_copy(p->services[i], sizeof p->services[i], in->services[i]);
    }
    if (in->has_hourly_rate)
        p->hourly_rate = in->hourly_rate;
    if (in->has_active)
        p->active = in->active;
    if (in->note != NULL)
        claims_copy(p->note, sizeof p->note, in->note);
    return CY_OK;
}

static cy_status_t
panel_audit(store_conn_t *c, const actor_t *a, int64_t now, const char *action,
            const claims_panel_t *p, cy_error_t *err)
{
    char idt[24], rate[MONEY_FORMAT_MAX];
    money_format(p->hourly_rate, rate, sizeof rate);
    return app_audit_append(c, a, now, action, "claim_panel", claims_id_text(p->id, idt), err,
                            "服务机构 %" PRId64 "，%s/小时，%s / service organisation %" PRId64
                            ", %s an hour, %s",
                            p->service_org_id, rate, p->active ? "有效" : "停用", p->service_org_id,
                            rate, p->active ? "active" : "inactive");
}

/* The entry id as stored, after its transaction. */
static cy_status_t
panel_get(app_t *app, int64_t id, claims_panel_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = claims_panel_read(c, id, out, &found, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
claims_panel_add(app_t *app, const actor_t *a, int64_t now, const claims_panel_in_t *in,
                 claims_panel_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_PANEL_MANAGE))
        return app_forbidden(err, ACT_PANEL_MANAGE);
    claims_panel_t p = {
        .insurer_org_id = a->org_id, .service_org_id = in->service_org_id, .active = 1};
    utc_format_iso(now, p.created_at);
    claims_copy(p.updated_at, sizeof p.updated_at, p.created_at);
    cy_status_t st = panel_apply(app, in, 1, &p, err);
    if (st != CY_OK)
        return st;
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    char type[24];
    int found = 0;
    st = claims_org_read(c, in->service_org_id, type, p.service_org_name, &found, err);
    if (st == CY_OK && (!found || strcmp(type, "service_org") != 0))
        st = cy_error_set(err, CY_EINVAL, "not_service_org", F_ORG.key,
                          "机构 %" PRId64 " 不是网络安全保险服务机构 / organisation %" PRId64
                          " is not a service organisation",
                          in->service_org_id, in->service_org_id);
    if (st == CY_OK)
        st = claims_panel_insert(c, &p, err);
    if (st == CY_OK)
        st = panel_audit(c, a, now, "panel.add", &p, err);
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "panel_member_exists", F_ORG.key,
                            "该机构已在本公司名录中，请修改原记录 / the organisation is on your "
                            "panel already: change its entry");
    return st == CY_OK ? panel_get(app, p.id, out, err) : st;
}

cy_status_t
claims_panel_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                    const claims_panel_in_t *in, claims_panel_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    claims_panel_t p;
    int found = 0;
    st = claims_panel_read(c, id, &p, &found, err);
    /* an insurer's panel is its own: another's entry looks absent */
    int sees = found && (a->cli || authz_sees_all(a->org_type) || p.insurer_org_id == a->org_id ||
                         p.service_org_id == a->org_id);
    if (st == CY_OK && !sees)
        st = app_not_found(err, "合作服务机构名录条目", "panel entry", id);
    if (st == CY_OK && !a->cli &&
        (!authz_allowed(a->org_type, a->role, ACT_PANEL_MANAGE) || p.insurer_org_id != a->org_id))
        st = app_forbidden(err, ACT_PANEL_MANAGE);
    if (st == CY_OK)
        st = panel_apply(app, in, 0, &p, err);
    utc_format_iso(now, p.updated_at);
    if (st == CY_OK)
        st = claims_panel_update_row(c, &p, err);
    if (st == CY_OK)
        st = panel_audit(c, a, now, "panel.update", &p, err);
    st = store_tx_close(app->store, c, st, err);
    return st == CY_OK ? panel_get(app, id, out, err) : st;
}

cy_status_t
claims_panel_list(app_t *app, const actor_t *a, int64_t now, const app_page_t *pg,
                  claims_panel_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_PANEL_READ))
        return app_forbidden(err, ACT_PANEL_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = claims_panel_list_read(c, a->cli || authz_sees_all(a->org_type), a->org_id, pg, out, err);
    store_release(app->store, c);
    if (st != CY_OK)
        claims_panel_list_free(out);
    return st;
}

void
claims_panel_list_free(claims_panel_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}
