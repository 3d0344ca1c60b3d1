/*
 * demo.c — data/demo/documents.json: one record of each kind whose
 * documents the pilot produces, so that a new user of `make run` can
 * download every kind at once: a catalogued Annex 1 scheme, an Annex 4
 * plan, and a Guangzhou package with its Annex 2 (and the Annex 4) at the
 * province, its paper recorded. Each step is a use case of app/pilot/
 * taken by the demo user the file names, at the receipt time the file
 * states (inside the 2024 round), so everything is validated and audited
 * as if those users had done it. Idempotent: a record whose name its
 * author already uses is left alone with what follows from it.
 * Depends on app/pilot, app/identity, core/ and jansson.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/docs/internal.h"
#include "app/identity/identity.h"
#include "app/pilot/pilot.h"
#include "core/bjtime.h"

static const char *
jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int64_t
jid(const json_t *o)
{
    return json_integer_value(json_object_get(o, "id"));
}

/* A time of the file (Beijing time); -1 when it is not one, which every use case refuses. */
static int64_t
when(const json_t *o, const char *key)
{
    int64_t t;
    return bjtime_parse(json_string_value(json_object_get(o, key)), &t, NULL) == CY_OK ? t : -1;
}

/* The caller demo user `name` would be, looked up as the operator op. */
static cy_status_t
demo_actor(app_t *app, const actor_t *op, const char *name, actor_t *a, cy_error_t *err)
{
    memset(a, 0, sizeof *a);
    user_t u;
    org_t o;
    cy_status_t st = app_user_find(app, name ? name : "", &a->user_id, err);
    if (st == CY_OK)
        st = app_user_get(app, op, a->user_id, &u, err);
    if (st == CY_OK)
        st = app_org_get(app, op, u.org_id, &o, err);
    if (st != CY_OK)
        return st;
    a->org_id = u.org_id;
    a->org_type = o.type;
    a->role = u.role;
    snprintf(a->username, sizeof a->username, "%s", name);
    snprintf(a->region, sizeof a->region, "%s", o.region_code);
    return CY_OK;
}

typedef cy_status_t (*list_fn)(app_t *, const actor_t *, const pilot_filter_t *, json_t **,
                               int64_t *, cy_error_t *);

/* The id of the record named name in a's list of the round (0: none). */
static cy_status_t
named(app_t *app, const actor_t *a, list_fn list, const char *round_id, const char *name,
      int64_t *id, cy_error_t *err)
{
    pilot_filter_t f = {.round_id = round_id, .page = {0, APP_PAGE_MAX}};
    cy_status_t st = CY_OK;
    *id = 0;
    do {
        json_t *items = NULL;
        st = list(app, a, &f, &items, &f.page.cursor, err);
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            if (*id == 0 && name != NULL &&
                strcmp(name, jstr(it, "name") ? jstr(it, "name") : "") == 0)
                *id = jid(it);
        }
        json_decref(items);
    } while (st == CY_OK && *id == 0 && f.page.cursor != 0);
    return st;
}

/* Every [user, legal representative, time] of step's "confirm" confirms document id. */
static cy_status_t
confirm_all(app_t *app, const actor_t *op, const json_t *step, int plan, int64_t id,
            cy_error_t *err)
{
    size_t i;
    json_t *c;
    cy_status_t st = CY_OK;
    json_array_foreach(json_object_get(step, "confirm"), i, c)
    {
        actor_t u;
        json_t *out = NULL;
        int64_t t;
        if (st == CY_OK)
            st = demo_actor(app, op, json_string_value(json_array_get(c, 0)), &u, err);
        if (st == CY_OK && bjtime_parse(json_string_value(json_array_get(c, 2)), &t, NULL) != CY_OK)
            t = -1;
        if (st == CY_OK)
            st = (plan ? app_plan_confirm : app_scheme_confirm)(
                app, &u, t, id, json_string_value(json_array_get(c, 1)), &out, err);
        json_decref(out);
    }
    return st;
}

/* The scheme's expert reviews, then its place in the catalogue. */
static cy_status_t
scheme_reviewed(app_t *app, const actor_t *op, const char *round_id, const json_t *s, int64_t id,
                FILE *log, cy_error_t *err)
{
    actor_t assigner, publisher;
    cy_status_t st = demo_actor(app, op, jstr(s, "assigner"), &assigner, err);
    if (st == CY_OK)
        st = demo_actor(app, op, jstr(s, "publisher"), &publisher, err);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(s, "reviews"), i, r)
    {
        actor_t expert;
        json_t *review = NULL, *out = NULL;
        int64_t t;
        if (st == CY_OK)
            st = demo_actor(app, op, json_string_value(json_array_get(r, 0)), &expert, err);
        if (st == CY_OK)
            st = app_scheme_assign(app, &assigner, when(s, "assigned_at"), id, expert.user_id,
                                   &review, err);
        if (st == CY_OK && bjtime_parse(json_string_value(json_array_get(r, 3)), &t, NULL) != CY_OK)
            t = -1;
        if (st == CY_OK)
            st = app_review_submit(app, &expert, t, jid(review), json_array_get(r, 1),
                                   json_string_value(json_array_get(r, 2)), &out, err);
        json_decref(review);
        json_decref(out);
    }
    json_t *items = NULL;
    if (st == CY_OK)
        st = app_catalogue_publish(app, &publisher, when(s, "published_at"), round_id, &id, 1,
                                   &items, err);
    if (st == CY_OK && log != NULL)
        fprintf(log, "  scheme %" PRId64 ": %s, in the catalogue of round %s\n", id,
                jstr(json_object_get(s, "form"), "name"), round_id);
    json_decref(items);
    return st;
}

/* The scheme: drafted by its lead, confirmed by its units, submitted, reviewed, catalogued. */
static cy_status_t
demo_scheme(app_t *app, const actor_t *op, const char *round_id, const json_t *s, FILE *log,
            cy_error_t *err)
{
    actor_t lead;
    json_t *form = json_object_get(s, "form"), *out = NULL;
    int64_t id;
    cy_status_t st = demo_actor(app, op, jstr(s, "lead"), &lead, err);
    if (st == CY_OK)
        st = named(app, &lead, app_scheme_list, round_id, jstr(form, "name"), &id, err);
    if (st != CY_OK || id != 0)
        return st;
    st = app_scheme_create(app, &lead, when(s, "created_at"), round_id, form, &out, err);
    id = jid(out);
    json_decref(out);
    if (st == CY_OK)
        st = confirm_all(app, op, s, 0, id, err);
    if (st == CY_OK)
        st = app_scheme_submit(app, &lead, when(s, "submitted_at"), id, &out, err);
    if (st == CY_OK)
        json_decref(out);
    return st == CY_OK ? scheme_reviewed(app, op, round_id, s, id, log, err) : st;
}

/* A plan of annex by step's author (or a), drafted, confirmed, submitted; *id (0: it existed). */
static cy_status_t
demo_plan(app_t *app, const actor_t *op, const actor_t *a, const char *round_id, int annex,
          const json_t *p, int64_t *id, cy_error_t *err)
{
    json_t *form = json_object_get(p, "form"), *out = NULL;
    int64_t existing;
    cy_status_t st = named(app, a, app_plan_list, round_id, jstr(form, "name"), &existing, err);
    *id = 0;
    if (st != CY_OK || existing != 0)
        return st;
    pilot_draft_t in = {round_id, annex, 0, form};
    st = app_plan_create(app, a, when(p, "created_at"), &in, &out, err);
    *id = jid(out);
    json_decref(out);
    if (st == CY_OK)
        st = confirm_all(app, op, p, 1, *id, err);
    if (st == CY_OK)
        st = app_plan_submit(app, a, when(p, "submitted_at"), *id, &out, err);
    if (st == CY_OK)
        json_decref(out);
    return st;
}

/* The package's paper copies arrive at its receiver. */
static cy_status_t
demo_paper(app_t *app, const actor_t *op, const json_t *paper, int64_t k, cy_error_t *err)
{
    actor_t to;
    json_t *out = NULL;
    cy_status_t st = demo_actor(app, op, jstr(paper, "receiver"), &to, err);
    pilot_paper_in_t in = {1, k, jstr(paper, "received_at"),
                           json_integer_value(json_object_get(paper, "copies")),
                           jstr(paper, "comment")};
    if (st == CY_OK)
        st = app_paper_record(app, &to, when(paper, "recorded_at"), &in, &out, err);
    json_decref(out);
    return st;
}

/* The city's Annex 2 and the package that carries it (and plan4, when the city holds it). */
static cy_status_t
demo_package(app_t *app, const actor_t *op, const char *round_id, const json_t *k, int64_t plan4,
             FILE *log, cy_error_t *err)
{
    actor_t city;
    int64_t ids[2] = {0, plan4}, id = 0;
    json_t *out = NULL;
    cy_status_t st = demo_actor(app, op, jstr(k, "city"), &city, err);
    if (st == CY_OK)
        st = demo_plan(app, op, &city, round_id, 2, json_object_get(k, "annex2"), &ids[0], err);
    if (st != CY_OK || ids[0] == 0)
        return st;
    st = app_package_create(app, &city, when(k, "packaged_at"), round_id, ids, plan4 ? 2 : 1, &out,
                            err);
    id = jid(out);
    json_decref(out);
    if (st == CY_OK)
        st = app_package_forward(app, &city, when(k, "forwarded_at"), id, &out, err);
    if (st == CY_OK)
        json_decref(out);
    if (st == CY_OK && json_object_get(k, "paper") != NULL)
        st = demo_paper(app, op, json_object_get(k, "paper"), id, err);
    if (st == CY_OK && log != NULL)
        fprintf(log, "  package %" PRId64 ": Annex 2 plan %" PRId64 "%s, at the province\n", id,
                ids[0], plan4 ? " and the Annex 4" : "");
    return st;
}

cy_status_t
app_docs_demo_load(app_t *app, const actor_t *op, const char *path, FILE *log, cy_error_t *err)
{
    json_error_t je;
    json_t *d = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (d == NULL)
        return cy_error_set(err, CY_EIO, "demo_invalid", NULL,
                            "无法读取演示数据 %s：%s / cannot read demo data %s: %s", path, je.text,
                            path, je.text);
    const char *round_id = jstr(d, "round_id");
    json_t *a4 = json_object_get(d, "annex4");
    actor_t author;
    int64_t plan4 = 0;
    if (log != NULL)
        fprintf(log, "demo documents (%s):\n", path);
    cy_status_t st = demo_scheme(app, op, round_id, json_object_get(d, "scheme"), log, err);
    if (st == CY_OK)
        st = demo_actor(app, op, jstr(a4, "author"), &author, err);
    if (st == CY_OK)
        st = demo_plan(app, op, &author, round_id, 4, a4, &plan4, err);
    if (st == CY_OK && plan4 != 0 && log != NULL)
        fprintf(log, "  plan %" PRId64 ": %s, at Guangzhou\n", plan4,
                jstr(json_object_get(a4, "form"), "name"));
    if (st == CY_OK)
        st = demo_package(app, op, round_id, json_object_get(d, "package"), plan4, log, err);
    json_decref(d);
    return st;
}
