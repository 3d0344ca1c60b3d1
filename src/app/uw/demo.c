/*
 * uw_demo.c — the underwriting demo data of data/demo/uw.json: filed
 * products of the demo insurer and submitted assessments of demo
 * enterprises, created through the use cases of app/uw.h so they are
 * validated and audited like any other (the actor is the command line
 * acting for the organisation). Idempotent: a product whose name the insurer
 * already uses, or an enterprise that already has an assessment, is left
 * alone. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/identity/identity.h"
#include "app/uw/uw.h"
#include "app/uw/internal.h"

static const char *
jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The command line acting for organisation id of type t (audited as cli:USER). */
static void
actor_for(actor_t *a, const actor_t *op, int64_t id, org_type_t t)
{
    *a = *op;
    a->org_id = id;
    a->org_type = t;
}

static cy_status_t
count(app_t *app, const char *sql, int64_t id, const char *text, int64_t *n, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(text)};
    st = store_query_int(c, sql, p, text ? 2 : 1, n, NULL, err);
    store_release(app->store, c);
    return st;
}

static cy_status_t
demo_bad(cy_error_t *err, const char *path, const char *what)
{
    return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                        "演示数据 %s：%s 不完整 / demo data %s: %s is incomplete", path, what, path,
                        what);
}

static cy_status_t
load_products(app_t *app, const actor_t *op, const char *path, json_t *arr, FILE *log,
              cy_error_t *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *uscc = jstr(o, "insurer_uscc");
        json_t *body = json_object_get(o, "product");
        if (uscc == NULL || !json_is_object(body) || jstr(body, "name") == NULL)
            return demo_bad(err, path, "products[]");
        int64_t org, n = 0;
        cy_status_t st = app_org_find_uscc(app, uscc, &org, err);
        if (st == CY_OK)
            st = count(app,
                       "SELECT COUNT(*) FROM uw_product WHERE insurer_org_id = $1 AND name = $2",
                       org, jstr(body, "name"), &n, err);
        if (st != CY_OK)
            return st;
        if (n > 0)
            continue;
        actor_t a;
        actor_for(&a, op, org, ORG_INSURER);
        json_t *p = NULL, *filed = NULL;
        st = app_uw_product_create(app, &a, body, &p, err);
        if (st == CY_OK && json_object_get(o, "filing") != NULL)
            st = app_uw_product_file(app, &a, json_integer_value(json_object_get(p, "id")),
                                     json_object_get(o, "filing"), &filed, err);
        if (st == CY_OK && log)
            fprintf(log, "  product %" JSON_INTEGER_FORMAT "  %s（%s）\n",
                    json_integer_value(json_object_get(p, "id")), jstr(body, "name"),
                    filed ? "filed" : "draft");
        json_decref(p);
        json_decref(filed);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

static cy_status_t
load_assessments(app_t *app, const actor_t *op, const char *path, json_t *arr, FILE *log,
                 cy_error_t *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *uscc = jstr(o, "org_uscc");
        json_t *body = json_object_get(o, "assessment");
        if (uscc == NULL || !json_is_object(body))
            return demo_bad(err, path, "assessments[]");
        int64_t org, n = 0;
        cy_status_t st = app_org_find_uscc(app, uscc, &org, err);
        if (st == CY_OK)
            st = count(app, "SELECT COUNT(*) FROM uw_assessment WHERE org_id = $1", org, NULL, &n,
                       err);
        if (st != CY_OK)
            return st;
        if (n > 0)
            continue;
        actor_t a;
        actor_for(&a, op, org, ORG_ENTERPRISE);
        json_t *as = NULL, *tmp = NULL;
        st = app_uw_assessment_create(app, &a, body, &as, err);
        int64_t id = as ? json_integer_value(json_object_get(as, "id")) : 0;
        json_t *findings = json_object_get(o, "findings");
        if (st == CY_OK && findings != NULL) {
            json_t *fb = json_pack("{s:O}", "findings", findings);
            st = app_uw_assessment_findings(app, &a, id, fb, &tmp, err);
            json_decref(fb);
            json_decref(tmp);
            tmp = NULL;
        }
        if (st == CY_OK && json_is_true(json_object_get(o, "submit")))
            st = app_uw_assessment_submit(app, &a, id, &tmp, err);
        if (st == CY_OK && log)
            fprintf(log, "  assessment %" PRId64 "  %s（%s%s）\n", id,
                    json_string_value(json_object_get(as, "org_name")), tmp ? "grade " : "draft",
                    tmp ? json_string_value(json_object_get(tmp, "grade")) : "");
        json_decref(as);
        json_decref(tmp);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

cy_status_t
app_uw_demo_load(app_t *app, const actor_t *op, const char *path, FILE *log, cy_error_t *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据 %s 第 %d 行：%s / demo data %s line %d: %s", path, je.line,
                            je.text, path, je.line, je.text);
    if (log)
        fprintf(log, "underwriting demo data (%s):\n", path);
    cy_status_t st = load_products(app, op, path, json_object_get(doc, "products"), log, err);
    if (st == CY_OK)
        st = load_assessments(app, op, path, json_object_get(doc, "assessments"), log, err);
    json_decref(doc);
    return st;
}
