/*
 * engage.c — handlers of engagements (app/engage/engage.h): an enterprise
 * engages a service organisation, ends the engagement; both parties list
 * and read them. Parse, call app/, render. Never includes sqlite3 or libpq.
 */
#include "app/engage/engage.h"
#include "http/http.h"
#include "http/handlers.h"

static json_t *
engagement_json(const engagement_t *e)
{
    json_t *scopes = json_array();
    for (size_t i = 0; i < e->n_scopes; i++)
        json_array_append_new(scopes, json_string(e->scopes[i]));
    return json_pack("{s:I, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:o, s:s, s:o, s:o, s:b, s:I, s:o, "
                     "s:s, s:s}",
                     "id", (json_int_t)e->id, "enterprise", "id", (json_int_t)e->enterprise_id,
                     "name", e->enterprise_name, "service_org", "id", (json_int_t)e->service_org_id,
                     "name", e->service_org_name, "uscc", e->service_org_uscc, "scopes", scopes,
                     "valid_from", e->valid_from, "valid_until", http_json_text(e->valid_until),
                     "ended_at", http_json_text(e->ended_at), "active", e->active, "granted_by",
                     (json_int_t)e->granted_by, "ended_by",
                     e->ended_by > 0 ? json_integer(e->ended_by) : json_null(), "note", e->note,
                     "created_at", e->created_at);
}

static const http_field_t GRANT_FIELDS[] = {{"service_org_id", JSON_INTEGER, 0},
                                            {"service_org_uscc", JSON_STRING, 0},
                                            {"scopes", JSON_ARRAY, HTTP_REQUIRED},
                                            {"valid_until", JSON_STRING, HTTP_NULLABLE},
                                            {"note", JSON_STRING, 0},
                                            {NULL, 0, 0}};

static cy_status_t
engagements_grant(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body, *arr = json_object_get(b, "scopes");
    const char *scopes[ENGAGE_MAX_SCOPES];
    size_t n = json_array_size(arr);
    cy_status_t st = n > ENGAGE_MAX_SCOPES
                         ? cy_error_set(err, CY_EINVAL, "engagement_scopes", "scopes",
                                        "委托范围过多 / too many scopes")
                         : http_strings(arr, "scopes", scopes, ENGAGE_MAX_SCOPES, &n, err);
    engage_in_t in = {
        .service_org_id = json_integer_value(json_object_get(b, "service_org_id")),
        .service_org_uscc = json_string_value(json_object_get(b, "service_org_uscc")),
        .scopes = scopes,
        .n_scopes = n,
        .valid_until = json_string_value(json_object_get(b, "valid_until")),
        .note = json_string_value(json_object_get(b, "note")),
    };
    if (st == CY_OK && json_object_get(b, "service_org_id") != NULL && in.service_org_id <= 0)
        st = cy_error_set(err, CY_EINVAL, "service_org_unknown", "service_org_id",
                          "没有这个网络安全保险服务机构 / there is no such service organisation "
                          "on the platform");
    engagement_t e;
    if (st == CY_OK)
        st = engage_grant(c->req->app, &c->a, c->req->now, &in, &e, err);
    if (st == CY_OK)
        res->json = engagement_json(&e);
    return st;
}

HTTP_ITEM_FN(item, engagement_t, engagement_json)

static cy_status_t
engagements_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    engage_filter_t f = {.page = c->page};
    cy_status_t st = http_query_flag(c->req, "active", 0, &f.active, err);
    json_t *items = json_array();
    int64_t next = 0;
    if (st == CY_OK)
        st = engage_list(c->req->app, &c->a, c->req->now, &f, item, items, &next, err);
    res->json = http_list_json(items, next);
    return st;
}

/* A use case on one engagement ({id}) that answers it: read or end. */
typedef cy_status_t (*engagement_op_t)(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                                       engagement_t *out, cy_error_t *err);

static cy_status_t
answer_one(http_call_t *c, http_result_t *res, engagement_op_t op, cy_error_t *err)
{
    engagement_t e;
    cy_status_t st = op(c->req->app, &c->a, c->req->now, c->id, &e, err);
    if (st == CY_OK)
        res->json = engagement_json(&e);
    return st;
}

static cy_status_t
engagement_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return answer_one(c, res, engage_get, err);
}

static cy_status_t
engagement_end(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return answer_one(c, res, engage_end, err);
}

HTTP_ROUTE(h_engagements_grant, .body = GRANT_FIELDS, .status = 201, .action = engagements_grant)
HTTP_ROUTE(h_engagements_list, .paged = 1, .status = 200, .action = engagements_list)
HTTP_ROUTE(h_engagements_get, .with_id = 1, .status = 200, .action = engagement_get)
HTTP_ROUTE(h_engagements_end, .with_id = 1, .status = 200, .action = engagement_end)
