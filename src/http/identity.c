/*
 * identity.c — handlers of identity and access: session (login, logout),
 * me, organisations, users, API tokens and the audit log. Parse, call app/,
 * render. Never includes sqlite3 or libpq.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity/identity.h"
#include "core/authz.h"
#include "http/http.h"
#include "http/handlers.h"

#include <microhttpd.h>
#include <sodium.h>

#define COOKIE "cyberins_session"

/* ---------- rendering ---------- */

static json_t *
str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *
org_json(const org_t *o)
{
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:s, s:s, "
        "s:s}",
        "id", (json_int_t)o->id, "name", o->name, "type", authz_org_type_name(o->type), "uscc",
        o->uscc, "uscc_warning", str_or_null(o->uscc_warning), "region_code", o->region_code,
        "region_name", o->region_name, "province_code", o->province_code, "city_code",
        str_or_null(o->city_code), "industry_section", str_or_null(o->industry_section),
        "industry_division", str_or_null(o->industry_division), "nature", o->nature, "nature_other",
        str_or_null(o->nature_other), "founded_on", str_or_null(o->founded_on),
        "registered_capital_fen",
        o->registered_capital_fen >= 0 ? json_integer(o->registered_capital_fen) : json_null(),
        "address", o->address, "created_at", o->created_at, "updated_at", o->updated_at);
    const char *keys[] = {"contact", "phone", "fax", "email"};
    const char *vals[] = {o->contact, o->phone, o->fax, o->email};
    for (int i = 0; i < 4; i++)
        json_object_set_new(j, keys[i], o->contacts_hidden ? json_null() : json_string(vals[i]));
    json_object_set_new(j, "licence_no", str_or_null(o->licence_no));
    return j;
}

static json_t *
user_json(const user_t *u)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)u->id,
                     "org_id", (json_int_t)u->org_id, "username", u->username, "display_name",
                     u->display_name, "role", authz_role_name(u->role), "email", u->email, "phone",
                     u->phone, "disabled", u->disabled, "created_at", u->created_at);
}

/* Every action the caller's role allows (app_permissions): the web UI offers exactly these. */
static json_t *
permissions_json(const actor_t *a)
{
    const char *names[ACT_COUNT];
    size_t n = app_permissions(a, names, ACT_COUNT);
    json_t *p = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(p, json_string(names[i]));
    return p;
}

/* {"user", "organisation", "csrf_token", "permissions"} of the actor. */
static cy_status_t
me_json(app_t *app, const actor_t *a, json_t **out, cy_error_t *err)
{
    user_t u;
    org_t o;
    cy_status_t st = app_user_get(app, a, a->user_id, &u, err);
    if (st == CY_OK)
        st = app_org_get(app, a, a->org_id, &o, err);
    if (st == CY_OK)
        *out =
            json_pack("{s:o, s:o, s:o, s:o}", "user", user_json(&u), "organisation", org_json(&o),
                      "csrf_token", str_or_null(a->csrf), "permissions", permissions_json(a));
    return st;
}

static const char *
jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An optional text field: absent → NULL (unchanged), null → "" (cleared). */
static const char *
jopt(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_null(v) ? "" : json_string_value(v);
}

/* ---------- session ---------- */

void
h_session_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"username", JSON_STRING, 1}, {"password", JSON_STRING, 1}, {NULL, 0, 0}};
    json_t *b;
    if (!http_body(req, resp, spec, &b))
        return;
    auth_login_t in = {jstr(b, "username"), jstr(b, "password"), req->ip,
                       MHD_lookup_connection_value(req->mhd, MHD_COOKIE_KIND, COOKIE)};
    auth_session_t s;
    cy_error_t err;
    cy_status_t st = app_login(req->app, req->now, &in, &s, &err);
    json_decref(b);
    if (st != CY_OK) {
        http_reply_error(resp, &err);
        resp->retry_after = s.retry_after;
        return;
    }
    json_t *me = NULL;
    if (me_json(req->app, &s.actor, &me, &err) != CY_OK)
        http_reply_error(resp, &err);
    else
        http_reply_json(resp, 200, me);
    snprintf(resp->set_cookie, sizeof resp->set_cookie,
             COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", s.token, s.max_age,
             req->secure_cookies ? "; Secure" : "");
    sodium_memzero(s.token, sizeof s.token);
}

void
h_session_delete(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    cy_error_t err;
    if (app_logout(req->app, &a, req->now, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    http_reply_text(resp, 204, NULL, "", 0);
    snprintf(resp->set_cookie, sizeof resp->set_cookie,
             COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             req->secure_cookies ? "; Secure" : "");
}

static cy_status_t
me(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    return me_json(c->req->app, &c->a, &res->json, err);
}

HTTP_ROUTE(h_me, .status = 200, .action = me)

/* ---------- organisations ---------- */

#define N HTTP_NULLABLE
static const http_field_t ORG_FIELDS[] = {
    {"name", JSON_STRING, 0},
    {"type", JSON_STRING, 0},
    {"uscc", JSON_STRING, 0},
    {"region_code", JSON_STRING, 0},
    {"industry_section", JSON_STRING, N},
    {"industry_division", JSON_STRING, N},
    {"nature", JSON_STRING, 0},
    {"nature_other", JSON_STRING, N},
    {"founded_on", JSON_STRING, N},
    {"registered_capital_fen", JSON_INTEGER, N},
    {"address", JSON_STRING, N},
    {"contact", JSON_STRING, N},
    {"phone", JSON_STRING, N},
    {"fax", JSON_STRING, N},
    {"email", JSON_STRING, N},
    {"licence_no", JSON_STRING, N},
    {NULL, 0, 0},
};

static void
org_input_from(json_t *b, org_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->name = jstr(b, "name");
    in->type = jstr(b, "type");
    in->uscc = jstr(b, "uscc");
    in->region_code = jstr(b, "region_code");
    in->industry_section = jopt(b, "industry_section");
    in->industry_division = jopt(b, "industry_division");
    in->nature = jstr(b, "nature");
    in->nature_other = jopt(b, "nature_other");
    in->founded_on = jopt(b, "founded_on");
    in->address = jopt(b, "address");
    in->contact = jopt(b, "contact");
    in->phone = jopt(b, "phone");
    in->fax = jopt(b, "fax");
    in->email = jopt(b, "email");
    in->licence_no = jopt(b, "licence_no");
    json_t *cap = json_object_get(b, "registered_capital_fen");
    if (cap != NULL) {
        in->has_capital = 1;
        in->registered_capital_fen = json_integer_value(cap);
        if (in->registered_capital_fen < 0)
            in->registered_capital_fen = -2; /* refused by validation, not "clear" */
        if (json_is_null(cap))
            in->registered_capital_fen = -1; /* cleared */
    }
}

static cy_status_t
orgs_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    org_filter_t f = {http_query(c->req, "type"), http_query(c->req, "region")};
    org_list_t l;
    cy_status_t st = app_org_list(c->req->app, &c->a, &f, &c->page, &l, err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, org_json(&l.items[i]));
    res->json = http_list_json(items, l.next);
    org_list_free(&l);
    return st;
}

/* Create an organisation from the body (no {id}: c->id is 0), or update the one of the path. */
static cy_status_t
org_write(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    org_input_t in;
    org_input_from(c->body, &in);
    org_t o;
    cy_status_t st = c->id > 0
                         ? app_org_update(c->req->app, &c->a, c->req->now, c->id, &in, &o, err)
                         : app_org_create(c->req->app, &c->a, c->req->now, &in, &o, err);
    if (st == CY_OK)
        res->json = org_json(&o);
    return st;
}

static cy_status_t
orgs_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    org_t o;
    cy_status_t st = app_org_get(c->req->app, &c->a, c->id, &o, err);
    if (st == CY_OK)
        res->json = org_json(&o);
    return st;
}

HTTP_ROUTE(h_orgs_list, .paged = 1, .status = 200, .action = orgs_list)
HTTP_ROUTE(h_orgs_create, .body = ORG_FIELDS, .status = 201, .action = org_write)
HTTP_ROUTE(h_orgs_get, .with_id = 1, .status = 200, .action = orgs_get)
HTTP_ROUTE(h_orgs_update, .with_id = 1, .body = ORG_FIELDS, .status = 200, .action = org_write)

/* ---------- users ---------- */

static cy_status_t
users_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    int64_t org_id;
    cy_status_t st = http_query_number(c->req, "org_id", 1, INT64_MAX, 0, &org_id, err);
    if (st != CY_OK)
        return st;
    user_list_t l;
    st = app_user_list(c->req->app, &c->a, org_id, &l, err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, user_json(&l.items[i]));
    res->json = http_list_json(items, 0);
    user_list_free(&l);
    return st;
}

static const http_field_t USER_FIELDS[] = {
    {"org_id", JSON_INTEGER, 0},      {"username", JSON_STRING, 1},
    {"display_name", JSON_STRING, 1}, {"role", JSON_STRING, 1},
    {"password", JSON_STRING, 1},     {"email", JSON_STRING, 0},
    {"phone", JSON_STRING, 0},        {NULL, 0, 0}};

static cy_status_t
users_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body;
    json_int_t org = json_integer_value(json_object_get(b, "org_id"));
    user_input_t in = {org > 0 ? org : 0, jstr(b, "username"), jstr(b, "display_name"),
                       jstr(b, "role"),   jstr(b, "password"), jstr(b, "email"),
                       jstr(b, "phone")};
    user_t u;
    cy_status_t st = json_object_get(b, "org_id") && org <= 0
                         ? cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                                        "机构不存在 / organisation not found")
                         : app_user_create(c->req->app, &c->a, c->req->now, &in, &u, err);
    if (st == CY_OK)
        res->json = user_json(&u);
    return st;
}

static cy_status_t
users_get(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    user_t u;
    cy_status_t st = app_user_get(c->req->app, &c->a, c->id, &u, err);
    if (st == CY_OK)
        res->json = user_json(&u);
    return st;
}

static const http_field_t USER_PATCH_FIELDS[] = {
    {"display_name", JSON_STRING, 0}, {"role", JSON_STRING, 0},  {"disabled", JSON_TRUE, 0},
    {"email", JSON_STRING, N},        {"phone", JSON_STRING, N}, {NULL, 0, 0}};

static cy_status_t
users_update(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    json_t *b = c->body, *dis = json_object_get(b, "disabled");
    user_patch_t in = {jstr(b, "display_name"), jstr(b, "role"), jopt(b, "email"),
                       jopt(b, "phone"),        dis != NULL,     json_is_true(dis)};
    user_t u;
    cy_status_t st = app_user_update(c->req->app, &c->a, c->req->now, c->id, &in, &u, err);
    if (st == CY_OK)
        res->json = user_json(&u);
    return st;
}

static const http_field_t PASSWORD_FIELDS[] = {
    {"password", JSON_STRING, 1}, {"current_password", JSON_STRING, 0}, {NULL, 0, 0}};

static cy_status_t
users_password(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    (void)res;
    return app_user_password(c->req->app, &c->a, c->req->now, c->id, jstr(c->body, "password"),
                             jstr(c->body, "current_password"), err);
}

HTTP_ROUTE(h_users_list, .status = 200, .action = users_list)
HTTP_ROUTE(h_users_create, .body = USER_FIELDS, .status = 201, .action = users_create)
HTTP_ROUTE(h_users_get, .with_id = 1, .status = 200, .action = users_get)
HTTP_ROUTE(h_users_update, .with_id = 1, .body = USER_PATCH_FIELDS, .status = 200,
           .action = users_update)
HTTP_ROUTE(h_users_password, .with_id = 1, .body = PASSWORD_FIELDS, .status = 204,
           .action = users_password)

/* ---------- tokens ---------- */

static cy_status_t
tokens_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    api_token_list_t l;
    cy_status_t st = app_token_list(c->req->app, &c->a, &l, err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++) {
        const api_token_t *t = &l.items[i];
        json_array_append_new(items,
                              json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)t->id,
                                        "name", t->name, "prefix", t->prefix, "created_at",
                                        t->created_at, "last_used_at", str_or_null(t->last_used_at),
                                        "revoked_at", str_or_null(t->revoked_at)));
    }
    res->json = http_list_json(items, 0);
    api_token_list_free(&l);
    return st;
}

static const http_field_t TOKEN_FIELDS[] = {{"name", JSON_STRING, 1}, {NULL, 0, 0}};

/* A new API token: its secret is in this answer only, and wiped from memory after it. */
static cy_status_t
tokens_create(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    api_token_new_t t;
    cy_status_t st =
        app_token_create(c->req->app, &c->a, c->req->now, jstr(c->body, "name"), &t, err);
    if (st == CY_OK)
        res->json = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t.id, "name",
                              jstr(c->body, "name"), "prefix", t.prefix, "token", t.token);
    sodium_memzero(t.token, sizeof t.token);
    return st;
}

static cy_status_t
tokens_delete(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    (void)res;
    return app_token_revoke(c->req->app, &c->a, c->req->now, c->id, err);
}

HTTP_ROUTE(h_tokens_list, .status = 200, .action = tokens_list)
HTTP_ROUTE(h_tokens_create, .body = TOKEN_FIELDS, .status = 201, .action = tokens_create)
HTTP_ROUTE(h_tokens_delete, .with_id = 1, .status = 204, .action = tokens_delete)

/* ---------- audit ---------- */

static json_t *
audit_json(const audit_record_t *r)
{
    return json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                     (json_int_t)r->seq, "at", r->at, "user_id", (json_int_t)r->user_id, "org_id",
                     (json_int_t)r->org_id, "actor", r->actor, "action", r->action, "object_type",
                     r->object_type, "object_id", r->object_id, "summary", r->summary, "prev_hash",
                     r->prev_hash, "hash", r->hash);
}

static cy_status_t
audit_list(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    audit_filter_t f = {http_query(c->req, "object_type"), http_query(c->req, "object_id")};
    audit_list_t l;
    cy_status_t st = app_audit_list(c->req->app, &c->a, &f, &c->page, &l, err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, audit_json(&l.items[i]));
    res->json = http_list_json(items, l.next);
    audit_list_free(&l);
    return st;
}

static cy_status_t
audit_verify(http_call_t *c, http_result_t *res, cy_error_t *err)
{
    audit_verify_t v;
    cy_status_t st = app_audit_verify(c->req->app, &c->a, http_query(c->req, "expect"), &v, err);
    if (st == CY_OK) {
        json_t *j = json_pack("{s:b, s:I}", "ok", v.ok, "entries", (json_int_t)v.entries);
        if (v.anchor_seq > 0)
            json_object_set_new(j, "anchor_seq", json_integer(v.anchor_seq));
        if (!v.ok) {
            json_object_set_new(j, "broken_seq", json_integer(v.broken_seq));
            json_object_set_new(j, "reason", json_string(v.reason));
        }
        res->json = j;
    }
    return st;
}

HTTP_ROUTE(h_audit_list, .paged = 1, .status = 200, .action = audit_list)
HTTP_ROUTE(h_audit_verify, .status = 200, .action = audit_verify)
