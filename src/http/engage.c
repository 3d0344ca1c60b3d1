/*
 * engage.c — handlers of engagements (app/engage/engage.h): an enterprise
 * engages a service organisation, ends the engagement; both parties list
 * and read them. Parse, call app/, render. Never includes sqlite3 or libpq.
 */
#include "app/engage/engage.h"
#include "http/http.h"

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

static void
h_engagements_grant(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"service_org_id", JSON_INTEGER, 0},
                                        {"service_org_uscc", JSON_STRING, 0},
                                        {"scopes", JSON_ARRAY, HTTP_REQUIRED},
                                        {"valid_until", JSON_STRING, HTTP_NULLABLE},
                                        {"note", JSON_STRING, 0},
                                        {NULL, 0, 0}};
    actor_t a;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    json_t *arr = json_object_get(b, "scopes");
    const char *scopes[ENGAGE_MAX_SCOPES];
    size_t n = json_array_size(arr);
    cy_error_t err;
    cy_status_t st = n > ENGAGE_MAX_SCOPES
                         ? cy_error_set(&err, CY_EINVAL, "engagement_scopes", "scopes",
                                        "委托范围过多 / too many scopes")
                         : CY_OK;
    for (size_t i = 0; i < n && st == CY_OK; i++)
        if ((scopes[i] = json_string_value(json_array_get(arr, i))) == NULL)
            st = cy_error_set(&err, CY_EBADREQ, "wrong_type", "scopes",
                              "scopes 应为字符串数组 / scopes must be an array of strings");
    engage_in_t in = {
        .service_org_id = json_integer_value(json_object_get(b, "service_org_id")),
        .service_org_uscc = json_string_value(json_object_get(b, "service_org_uscc")),
        .scopes = scopes,
        .n_scopes = n,
        .valid_until = json_string_value(json_object_get(b, "valid_until")),
        .note = json_string_value(json_object_get(b, "note")),
    };
    if (st == CY_OK && json_object_get(b, "service_org_id") != NULL && in.service_org_id <= 0)
        st = cy_error_set(&err, CY_EINVAL, "service_org_unknown", "service_org_id",
                          "没有这个网络安全保险服务机构 / there is no such service organisation "
                          "on the platform");
    engagement_t e;
    if (st == CY_OK)
        st = engage_grant(req->app, &a, req->now, &in, &e, &err);
    json_decref(b);
    http_answer(resp, st, &err, 201, st == CY_OK ? engagement_json(&e) : NULL);
}

static void
item(const engagement_t *e, void *arg)
{
    json_array_append_new(arg, engagement_json(e));
}

static void
h_engagements_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    engage_filter_t f = {0};
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &f.page) ||
        !http_query_bool(req, resp, "active", 0, &f.active))
        return;
    json_t *items = json_array();
    int64_t next = 0;
    cy_error_t err;
    cy_status_t st = engage_list(req->app, &a, req->now, &f, item, items, &next, &err);
    http_answer_list(resp, st, &err, items, next);
}

/* A use case on one engagement ({id}) that answers it: read or end. */
typedef cy_status_t (*engagement_op_t)(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                                       engagement_t *out, cy_error_t *err);

static void
answer_one(http_req_t *req, http_resp_t *resp, engagement_op_t op)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    engagement_t e;
    cy_error_t err;
    cy_status_t st = op(req->app, &a, req->now, id, &e, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? engagement_json(&e) : NULL);
}

static void
h_engagements_get(http_req_t *req, http_resp_t *resp)
{
    answer_one(req, resp, engage_get);
}

static void
h_engagements_end(http_req_t *req, http_resp_t *resp)
{
    answer_one(req, resp, engage_end);
}

/* ---- routes: engagements */

const http_route_t http_routes_engage[] = {
    {"POST", "/api/v1/engagements", h_engagements_grant},
    {"GET", "/api/v1/engagements", h_engagements_list},
    {"GET", "/api/v1/engagements/{id}", h_engagements_get},
    {"POST", "/api/v1/engagements/{id}/end", h_engagements_end},
    {NULL, NULL, NULL},
};
