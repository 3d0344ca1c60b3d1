/*
 * view.c — a scheme or a plan as its reader sees it: the record with its
 * form and 字数, its units and their confirmations, and what each kind
 * adds — a scheme its lead, the recommendations and (for the ministry and
 * the support center) the panel's reviews; a plan its trail of hops and
 * its route. Reads only; the document was loaded (and its visibility
 * checked) by the caller. Depends on core/, store/ and jansson.
 */
#include <stdio.h>
#include <string.h>

#include "app/pilot/internal.h"
#include "core/bjtime.h"

/* The panel's reviews of a scheme and their mean (the ministry's and support center's to read). */
static cy_status_t
scheme_reviews(store_conn_t *c, int64_t id, json_t *o, cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},           {"expert_user_id", 'i'},
                                  {"expert_name", 's'},  {"expert_org", 's'},
                                  {"status", 's'},       {"total_x100", 'I'},
                                  {"scores", 'j'},       {"comment", 's'},
                                  {"submitted_at", 'n'}, {NULL, 0}};
    json_t *reviews = json_array();
    cy_status_t st = pilot_query_of(c,
                                    "SELECT v.id, v.expert_user_id, u.display_name AS "
                                    "expert_name, o.name AS expert_org, v.status, v.total_x100, "
                                    "v.scores, v.comment, v.submitted_at FROM pilot_review v "
                                    "JOIN app_user u ON u.id = v.expert_user_id JOIN "
                                    "organisation o ON o.id = v.expert_org_id WHERE "
                                    "v.scheme_id = $1 ORDER BY v.id",
                                    id, cols, reviews, err);
    int64_t sum = 0, n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(reviews, i, v)
    {
        if (strcmp(pf_str(v, "status"), "submitted") == 0) {
            sum += json_integer_value(json_object_get(v, "total_x100"));
            n++;
        }
    }
    json_object_set_new(o, "reviews", reviews);
    json_object_set_new(o, "review",
                        json_pack("{s:I, s:o}", "submitted", (json_int_t)n, "mean_total_x100",
                                  n ? json_integer(review_mean_x100(sum, n)) : json_null()));
    return st;
}

static cy_status_t
scheme_recommendations(store_conn_t *c, int64_t id, json_t **out, cy_error_t *err)
{
    static const pcol_t cols[] = {{"id", 'i'},       {"org_id", 'i'}, {"org_name", 's'},
                                  {"org_type", 's'}, {"text", 's'},   {"created_at", 's'},
                                  {"late", 'b'},     {NULL, 0}};
    *out = json_array();
    return pilot_query_of(
        c,
        "SELECT r.id, r.org_id, o.name AS org_name, o.type AS org_type, "
        "r.text, r.created_at, r.late FROM pilot_recommendation r JOIN organisation o "
        "ON o.id = r.org_id WHERE r.scheme_id = $1 ORDER BY r.id",
        id, cols, *out, err);
}

static cy_status_t
scheme_json(store_conn_t *c, const actor_t *a, const pilot_doc_t *d, json_t *o, cy_error_t *err)
{
    json_t *lead = NULL, *recs = NULL;
    cy_status_t st = pilot_org_json(c, a, d->owner, &lead, err);
    if (st == CY_OK)
        st = scheme_recommendations(c, d->id, &recs, err);
    json_object_set_new(o, "lead", lead ? lead : json_null());
    json_object_set_new(o, "recommendations", recs ? recs : json_array());
    int64_t dl;
    if (d->round != NULL && round_deadline_at(d->round, ROUND_DL_SCHEME_AT_MINISTRY, NULL, &dl)) {
        char iso[32];
        utc_format_iso(dl, iso);
        json_object_set_new(o, "deadline_at", json_string(iso));
    }
    if (st == CY_OK && pilot_sees_all(a))
        st = scheme_reviews(c, d->id, o, err);
    return st;
}

static cy_status_t
plan_json(app_t *app, store_conn_t *c, const pilot_doc_t *d, json_t *o, cy_error_t *err)
{
    json_t *hops = NULL, *route = NULL;
    pilot_org_t author = {0};
    int found = 0;
    cy_status_t st = pilot_hops_json(c, d->id, 0, &hops, err);
    if (st == CY_OK)
        st = pilot_org_get(c, d->owner, &author, &found, err);
    if (st == CY_OK)
        st = pilot_route_json(app, c, &author, &route, err);
    json_object_set_new(o, "hops", hops ? hops : json_array());
    json_object_set_new(o, "route", route ? route : json_array());
    return st;
}

/* What the round asks of this document: the declarations' text, waivers and 原则上 warnings. */
static cy_status_t
doc_rules_json(store_conn_t *c, const pilot_doc_t *d, json_t *o, cy_error_t *err)
{
    unsigned bits = 0;
    json_t *waivers = NULL, *warnings = NULL;
    const round_annex_t *x = d->round ? &d->round->annex[d->annex] : NULL;
    cy_status_t st = pilot_waivers_of(c, pilot_kind(d->annex)->kind, d->id, &bits, &waivers, err);
    if (st == CY_OK)
        st = pilot_warnings_json(c, d, &warnings, err);
    json_object_set_new(o, "waivers", waivers ? waivers : json_array());
    json_object_set_new(o, "warnings", warnings ? warnings : json_array());
    json_object_set_new(o, "declaration_text",
                        json_pack("{s:s, s:s}", "commitment", x ? x->commitment : "", "declaration",
                                  x ? x->declaration : ""));
    return st;
}

/* 1 when the caller's organisation is a registered unit of the document (units: its rows). */
static int
doc_unit_of(json_t *units, int64_t org_id)
{
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        if (json_integer_value(json_object_get(u, "org_id")) == org_id)
            return 1;
    }
    return 0;
}

/* Add name to acts when cond holds. */
static void
act_if(json_t *acts, int cond, const char *name)
{
    if (cond)
        json_array_append_new(acts, json_string(name));
}

/*
 * What the caller may do with this record now, so a page shows only those
 * buttons: edit and submit (its owner, while editable), confirm (a unit's
 * admin, while editable), recommend, assign (a submitted scheme), waive (a
 * 原则上 limit passed), return and select (the authority holding a plan).
 * The use cases check each again.
 */
static json_t *
doc_actions(const app_t *app, const actor_t *a, const pilot_doc_t *loaded, json_t *o)
{
    /* the record as it is now (a use case answers after its change: d was loaded before) */
    pilot_doc_t now = *loaded, *d = &now;
    snprintf(now.status, sizeof now.status, "%s", pf_str(o, "status"));
    now.holder = json_integer_value(json_object_get(o, "holder_org_id"));
    /* a city recommends only as a 计划单列市 (or a 直辖市): scheme.c's may_recommend */
    const ref_region_t *reg = ref_region_find(app->ref, a->region);
    int recommender =
        a->org_type != ORG_CITY || (reg != NULL && (reg->plan_city || reg->level == 1));
    json_t *acts = json_array();
    int may_write = authz_allowed(a->org_type, a->role, pilot_annex_action(d->annex));
    int editable = pilot_doc_editable(d), submitted = strcmp(d->status, "submitted") == 0;
    act_if(acts, may_write && editable && d->owner == a->org_id, "edit");
    act_if(acts, may_write && editable && d->owner == a->org_id, "submit");
    act_if(acts,
           editable && authz_allowed(a->org_type, a->role, ACT_UNIT_CONFIRM) &&
               doc_unit_of(json_object_get(o, "units"), a->org_id),
           "confirm");
    act_if(acts,
           d->annex == 1 && strcmp(d->status, "draft") != 0 && recommender &&
               authz_allowed(a->org_type, a->role, ACT_SCHEME_RECOMMEND),
           "recommend");
    act_if(acts,
           d->annex == 1 && submitted && authz_allowed(a->org_type, a->role, ACT_REVIEW_ASSIGN),
           "assign");
    act_if(acts,
           editable && json_array_size(json_object_get(o, "warnings")) > 0 &&
               authz_allowed(a->org_type, a->role, ACT_WAIVER_GRANT),
           "waive");
    act_if(acts,
           d->annex > 1 && submitted && d->holder == a->org_id && d->owner != a->org_id &&
               authz_allowed(a->org_type, a->role, ACT_PLAN_ROUTE),
           "return");
    act_if(acts,
           d->annex > 1 && submitted && d->holder == a->org_id &&
               authz_allowed(a->org_type, a->role, ACT_PILOT_SELECT),
           "select");
    return acts;
}

/* The record's own columns, by kind. */
static const pcol_t SCHEME_COLS[] = {{"id", 'i'},
                                     {"round_id", 's'},
                                     {"status", 's'},
                                     {"name", 's'},
                                     {"form", 'j'},
                                     {"body_zishu", 'i'},
                                     {"created_at", 's'},
                                     {"updated_at", 's'},
                                     {"received_at", 'n'},
                                     {"catalogue_no", 'I'},
                                     {"catalogue_code", 'n'},
                                     {"catalogued_at", 'n'},
                                     {NULL, 0}};
static const pcol_t PLAN_COLS[] = {{"id", 'i'},
                                   {"round_id", 's'},
                                   {"annex", 'i'},
                                   {"status", 's'},
                                   {"author_org_id", 'i'},
                                   {"author_name", 's'},
                                   {"author_type", 's'},
                                   {"author_region", 's'},
                                   {"holder_org_id", 'I'},
                                   {"holder_name", 'n'},
                                   {"package_id", 'I'},
                                   {"catalogue_scheme_id", 'I'},
                                   {"catalogue_code", 'n'},
                                   {"telecom", 'b'},
                                   {"name", 's'},
                                   {"form", 'j'},
                                   {"body_zishu", 'i'},
                                   {"return_comment", 's'},
                                   {"created_at", 's'},
                                   {"updated_at", 's'},
                                   {"submitted_at", 'n'},
                                   {"pilot_id", 'I'},
                                   {"pilot_code", 'n'},
                                   {NULL, 0}};

cy_status_t
pilot_doc_json(app_t *app, store_conn_t *c, const actor_t *a, const pilot_doc_t *d, json_t **out,
               cy_error_t *err)
{
    *out = NULL;
    int scheme = d->annex == 1;
    json_t *o = NULL, *units = NULL;
    cy_status_t st = pilot_query_id(
        c,
        scheme ? "SELECT id, round_id, status, name, form, body_zishu, created_at, updated_at, "
                 "received_at, catalogue_no, catalogue_code, catalogued_at FROM pilot_scheme "
                 "WHERE id = $1"
               : "SELECT p.id, p.round_id, p.annex, p.status, p.author_org_id, ao.name AS "
                 "author_name, ao.type AS author_type, ao.region_code AS author_region, "
                 "p.holder_org_id, ho.name AS holder_name, p.package_id, p.catalogue_scheme_id, "
                 "cs.catalogue_code, p.telecom, p.name, p.form, p.body_zishu, p.return_comment, "
                 "p.created_at, p.updated_at, p.submitted_at, t.id AS pilot_id, t.code AS "
                 "pilot_code FROM pilot_plan p JOIN organisation ao ON ao.id = p.author_org_id "
                 "LEFT JOIN organisation ho ON ho.id = p.holder_org_id LEFT JOIN pilot_scheme cs "
                 "ON cs.id = p.catalogue_scheme_id LEFT JOIN pilot t ON t.plan_id = p.id WHERE "
                 "p.id = $1",
        d->id, scheme ? SCHEME_COLS : PLAN_COLS, &o, err);
    if (st == CY_OK && o == NULL)
        st = app_not_found(err, pilot_kind(d->annex)->zh, pilot_kind(d->annex)->short_en, d->id);
    if (st == CY_OK)
        st = pilot_units_json(c, pilot_kind(d->annex)->kind, d->id, &units, err);
    if (st == CY_OK) {
        json_object_set_new(o, "units", units);
        units = NULL;
        json_object_set_new(o, "zishu", pilot_annex_zishu_json(d->annex, d->form));
        st = scheme ? scheme_json(c, a, d, o, err) : plan_json(app, c, d, o, err);
    }
    if (st == CY_OK)
        st = doc_rules_json(c, d, o, err);
    if (st == CY_OK)
        st = pilot_attach_json(c, d, o, err);
    if (st == CY_OK)
        json_object_set_new(o, "actions", doc_actions(app, a, d, o));
    json_decref(units);
    if (st == CY_OK)
        *out = o;
    else
        json_decref(o);
    return st;
}
