/*
 * demo.c — the monitoring demo data of data/demo/monitor.json: declared
 * stacks of the demo enterprises and an engagement, made through the use
 * cases (monitor_stack_put, engage_grant) so they are checked and audited
 * like any other. Idempotent: a stack already declared and an engagement
 * already in force are left alone. Depends on app/identity, app/engage and
 * jansson; never http/ or cli/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/engage/engage.h"
#include "app/identity/identity.h"
#include "app/monitor/internal.h"

static const char *
jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static cy_status_t
demo_stack(app_t *app, const actor_t *op, int64_t now, json_t *o, cy_error_t *err)
{
    int64_t org = 0;
    cy_status_t st = app_org_find_uscc(app, jstr(o, "enterprise_uscc"), &org, err);
    mon_enterprise_t *e = malloc(sizeof *e);
    if (st == CY_OK && e == NULL)
        st = cy_error_no_memory(err);
    if (st == CY_OK)
        st = monitor_enterprise(app, op, now, org, e, err);
    json_t *arr = json_object_get(o, "stack");
    mon_asset_t stack[MON_MAX_STACK] = {{{0}}};
    size_t n = json_array_size(arr) < MON_MAX_STACK ? json_array_size(arr) : MON_MAX_STACK;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(arr, i);
        snprintf(stack[i].vendor, sizeof stack[i].vendor, "%s",
                 jstr(a, "vendor") ? jstr(a, "vendor") : "");
        snprintf(stack[i].version, sizeof stack[i].version, "%s",
                 jstr(a, "version") ? jstr(a, "version") : "");
    }
    if (st == CY_OK && e->n_stack == 0)
        st = monitor_stack_put(app, op, now, org, stack, n, e, err);
    free(e);
    return st;
}

static cy_status_t
demo_engagement(app_t *app, const actor_t *op, int64_t now, json_t *o, cy_error_t *err)
{
    actor_t a = *op;
    a.cli = 0;
    a.org_type = ORG_ENTERPRISE;
    a.role = ROLE_ADMIN;
    cy_status_t st = app_org_find_uscc(app, jstr(o, "enterprise_uscc"), &a.org_id, err);
    if (st == CY_OK)
        st = app_user_find(app, jstr(o, "granted_by"), &a.user_id, err);
    json_t *sc = json_object_get(o, "scopes");
    const char *scopes[ENGAGE_MAX_SCOPES];
    size_t n = json_array_size(sc) < ENGAGE_MAX_SCOPES ? json_array_size(sc) : ENGAGE_MAX_SCOPES;
    for (size_t i = 0; i < n; i++)
        scopes[i] = json_string_value(json_array_get(sc, i));
    engage_in_t in = {.service_org_uscc = jstr(o, "service_org_uscc"),
                      .scopes = scopes,
                      .n_scopes = n,
                      .note = jstr(o, "note")};
    engagement_t e;
    if (st == CY_OK)
        st = engage_grant(app, &a, now, &in, &e, err);
    return st == CY_ECONFLICT ? CY_OK : st; /* in force already */
}

cy_status_t
monitor_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path, cy_error_t *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", NULL,
                            "%s 第 %d 行：%s / %s line %d: %s", path, je.line, je.text, path,
                            je.line, je.text);
    cy_status_t st = CY_OK;
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(root, "stacks"), i, v)
    {
        if (st == CY_OK)
            st = demo_stack(app, op, now, v, err);
    }
    json_array_foreach(json_object_get(root, "engagements"), i, v)
    {
        if (st == CY_OK)
            st = demo_engagement(app, op, now, v, err);
    }
    json_decref(root);
    return st;
}
