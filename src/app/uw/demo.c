/*
 * demo.c — the underwriting demo data of data/demo/uw.json: filed
 * products of the demo insurer and submitted assessments of demo
 * enterprises, created through the use cases of app/uw/uw.h so they are
 * validated and audited like any other (the actor is the command line
 * acting for the organisation). The file states each record in the shape
 * of the API's request; its values are handed on as sent, for the use
 * cases to judge. Idempotent: a product whose name the insurer already
 * uses, or an enterprise that already has an assessment, is left alone.
 * Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/identity/identity.h"
#include "app/uw/internal.h"

static const char *
jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static uw_value_t
val(json_t *v)
{
    uw_value_t u = {.kind = v == NULL ? UW_ABSENT : UW_OTHER};
    if (json_is_null(v))
        u.kind = UW_NULL;
    else if (json_is_string(v))
        u = (uw_value_t){.kind = UW_STRING, .s = json_string_value(v)};
    else if (json_is_integer(v))
        u = (uw_value_t){UW_INTEGER, NULL, json_integer_value(v), (double)json_integer_value(v)};
    else if (json_is_real(v))
        u = (uw_value_t){.kind = UW_REAL, .x = json_real_value(v)};
    else if (json_is_boolean(v))
        u = (uw_value_t){.kind = UW_BOOL, .i = json_is_true(v)};
    return u;
}

static size_t
vals(json_t *arr, uw_value_t *out, size_t cap)
{
    for (size_t i = 0; i < json_array_size(arr) && i < cap; i++)
        out[i] = val(json_array_get(arr, i));
    return json_array_size(arr);
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
demo_bad(cy_error_t *err, const char *path, const char *what)
{
    return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                        "演示数据 %s：%s 不完整 / demo data %s: %s is incomplete", path, what, path,
                        what);
}

static void
product_in(json_t *b, uw_product_in_t *in)
{
    memset(in, 0, sizeof *in);
    in->name = jstr(b, "name");
    in->class_ = jstr(b, "class");
    in->description = jstr(b, "description");
    in->has_product_type = json_object_get(b, "product_type") != NULL;
    in->product_type = jstr(b, "product_type");
    json_t *ti = json_object_get(b, "target_industries"), *cv = json_object_get(b, "coverages");
    in->has_target_industries = ti != NULL;
    in->n_target_industries = vals(ti, in->target_industries, UW_MAX_TARGETS);
    json_t *bi = json_object_get(b, "bi_waiting_hours");
    in->bi_waiting_hours = (uw_opt_int_t){bi != NULL, json_integer_value(bi)};
    json_t *ro = json_object_get(b, "retention_options"), *lo = json_object_get(b, "limit_options");
    in->has_retentions = ro != NULL;
    in->n_retentions = vals(ro, in->retentions, UW_MAX_OPTIONS);
    in->has_limits = lo != NULL;
    in->n_limits = vals(lo, in->limits, UW_MAX_OPTIONS);
    in->has_minimum_premium = json_object_get(b, "minimum_premium") != NULL;
    in->minimum_premium = val(json_object_get(b, "minimum_premium"));
    in->has_coverages = cv != NULL;
    in->n_coverages = json_array_size(cv);
    for (size_t i = 0; i < in->n_coverages && i < COV_N; i++) {
        json_t *o = json_array_get(cv, i);
        in->coverages[i] = (uw_cover_in_t){.code = val(json_object_get(o, "code")),
                                           .sublimit = val(json_object_get(o, "sublimit")),
                                           .share_bp = val(json_object_get(o, "share_bp"))};
    }
}

/* One product of the file: created and, when it has a filing, filed. */
static cy_status_t
load_product(app_t *app, const actor_t *op, int64_t now, json_t *o, FILE *log, cy_error_t *err)
{
    json_t *body = json_object_get(o, "product"), *filing = json_object_get(o, "filing");
    int64_t org, n = 0;
    cy_status_t st = app_org_find_uscc(app, jstr(o, "insurer_uscc"), &org, err);
    store_conn_t *c;
    if (st == CY_OK && (st = store_acquire(app->store, &c, err)) == CY_OK) {
        st = uw_product_count_named(c, org, jstr(body, "name"), &n, err);
        store_release(app->store, c);
    }
    if (st != CY_OK || n > 0)
        return st;
    actor_t a;
    actor_for(&a, op, org, ORG_INSURER);
    uw_product_in_t in;
    uw_product_t p;
    product_in(body, &in);
    st = app_uw_product_create(app, &a, now, &in, &p, err);
    if (st == CY_OK && filing != NULL) {
        uw_filing_in_t f = {jstr(filing, "filing_no"), jstr(filing, "filing_date")};
        st = app_uw_product_file(app, &a, now, p.id, &f, &p, err);
    }
    if (st == CY_OK && log)
        fprintf(log, "  product %" PRId64 "  %s（%s）\n", p.id, p.name, filing ? "filed" : "draft");
    return st;
}

static cy_status_t
load_products(app_t *app, const actor_t *op, int64_t now, const char *path, json_t *arr, FILE *log,
              cy_error_t *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        json_t *body = json_object_get(o, "product");
        if (jstr(o, "insurer_uscc") == NULL || !json_is_object(body) || !jstr(body, "name"))
            return demo_bad(err, path, "products[]");
        cy_status_t st = load_product(app, op, now, o, log, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

/* An assessment of the file as sent (its lists in *vs and *ans, freed by the caller). */
static int
assessment_in(json_t *b, uw_assessment_in_t *in, uw_value_t **vs, uw_answer_in_t **ans)
{
    memset(in, 0, sizeof *in);
    json_t *fl = json_object_get(b, "flags"), *an = json_object_get(b, "answers");
    json_t *ml = json_object_get(b, "mlps"), *dp = json_object_get(b, "dependencies");
    *vs = calloc(json_array_size(fl) + 1, sizeof **vs);
    *ans = calloc(json_object_size(an) + 1, sizeof **ans);
    if (*vs == NULL || *ans == NULL)
        return 0;
    in->has_target_industry = json_object_get(b, "target_industry") != NULL;
    in->target_industry = jstr(b, "target_industry");
    in->has_flags = fl != NULL;
    in->n_flags = vals(fl, *vs, json_array_size(fl));
    in->flags = *vs;
    in->has_answers = an != NULL;
    const char *key;
    json_t *v;
    json_object_foreach(an, key, v)(*ans)[in->n_answers++] = (uw_answer_in_t){key, val(v)};
    in->answers = *ans;
    in->has_mlps = ml != NULL;
    in->mlps = (uw_mlps_in_t){NULL, val(json_object_get(ml, "level")),
                              val(json_object_get(ml, "conclusion")),
                              val(json_object_get(ml, "score")), val(json_object_get(ml, "date"))};
    in->has_dependencies = dp != NULL;
    static const char *const deps[4] = {"cloud", "os", "vpn", "email"};
    for (int d = 0; d < 4; d++)
        in->dep[d] = val(json_object_get(dp, deps[d]));
    return 1;
}

/* The findings of the file: each object's keys in order. */
static int
findings_in(json_t *arr, uw_findings_in_t *in, uw_finding_in_t **rows)
{
    memset(in, 0, sizeof *in);
    in->has_findings = 1;
    in->n_findings = json_array_size(arr);
    *rows = calloc(in->n_findings + 1, sizeof **rows);
    if (*rows == NULL)
        return 0;
    for (size_t i = 0; i < in->n_findings; i++) {
        uw_finding_in_t *f = &(*rows)[i];
        const char *key;
        json_t *v;
        json_object_foreach(json_array_get(arr, i), key, v)
        {
            int col = -1;
            for (int k = 0; k < UW_FINDING_COLS; k++)
                if (!strcmp(uw_finding_cols[k], key))
                    col = k;
            if (f->n < UW_FINDING_COLS + 1)
                f->cells[f->n++] = (uw_finding_cell_t){key, col, val(v)};
        }
    }
    in->findings = *rows;
    return 1;
}

/* One assessment of the file: created, its findings imported, submitted when asked. */
static cy_status_t
load_assessment(app_t *app, const actor_t *a, int64_t now, json_t *o, FILE *log, cy_error_t *err)
{
    uw_assessment_in_t in;
    uw_findings_in_t fin;
    uw_value_t *vs = NULL;
    uw_answer_in_t *ans = NULL;
    uw_finding_in_t *rows = NULL;
    uw_assessment_t as = {0};
    json_t *findings = json_object_get(o, "findings");
    int submit = json_is_true(json_object_get(o, "submit"));
    cy_status_t st = assessment_in(json_object_get(o, "assessment"), &in, &vs, &ans)
                         ? app_uw_assessment_create(app, a, now, &in, &as, err)
                         : cy_error_no_memory(err);
    if (st == CY_OK && findings != NULL) {
        uw_assessment_t tmp = {0};
        st = findings_in(findings, &fin, &rows)
                 ? app_uw_assessment_findings(app, a, now, as.id, &fin, &tmp, err)
                 : cy_error_no_memory(err);
        uw_assessment_free(&tmp);
    }
    if (st == CY_OK && submit) {
        uw_assessment_free(&as);
        st = app_uw_assessment_submit(app, a, now, as.id, &as, err);
    }
    char g[2] = {as.grade, '\0'};
    if (st == CY_OK && log)
        fprintf(log, "  assessment %" PRId64 "  %s（%s%s）\n", as.id, as.org_name,
                submit ? "grade " : "draft", submit ? g : "");
    uw_assessment_free(&as);
    free(vs);
    free(ans);
    free(rows);
    return st;
}

static cy_status_t
load_assessments(app_t *app, const actor_t *op, int64_t now, const char *path, json_t *arr,
                 FILE *log, cy_error_t *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *uscc = jstr(o, "org_uscc");
        if (uscc == NULL || !json_is_object(json_object_get(o, "assessment")))
            return demo_bad(err, path, "assessments[]");
        int64_t org, n = 0;
        store_conn_t *c;
        cy_status_t st = app_org_find_uscc(app, uscc, &org, err);
        if (st == CY_OK && (st = store_acquire(app->store, &c, err)) == CY_OK) {
            st = uw_assess_count_of(c, org, &n, err);
            store_release(app->store, c);
        }
        actor_t a;
        actor_for(&a, op, org, ORG_ENTERPRISE);
        if (st == CY_OK && n == 0)
            st = load_assessment(app, &a, now, o, log, err);
        if (st != CY_OK)
            return st;
    }
    return CY_OK;
}

cy_status_t
app_uw_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path, FILE *log,
                 cy_error_t *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据 %s 第 %d 行：%s / demo data %s line %d: %s", path, je.line,
                            je.text, path, je.line, je.text);
    if (log)
        fprintf(log, "underwriting demo data (%s):\n", path);
    cy_status_t st = load_products(app, op, now, path, json_object_get(doc, "products"), log, err);
    if (st == CY_OK)
        st = load_assessments(app, op, now, path, json_object_get(doc, "assessments"), log, err);
    json_decref(doc);
    return st;
}
