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
static void
reply_me(http_req_t *req, http_resp_t *resp, const actor_t *a, int status)
{
    user_t u;
    org_t o;
    cy_error_t err;
    if (app_user_get(req->app, a, a->user_id, &u, &err) != CY_OK ||
        app_org_get(req->app, a, a->org_id, &o, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return;
    }
    json_t *j =
        json_pack("{s:o, s:o, s:o, s:o}", "user", user_json(&u), "organisation", org_json(&o),
                  "csrf_token", str_or_null(a->csrf), "permissions", permissions_json(a));
    http_reply_json(resp, status, j);
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
    reply_me(req, resp, &s.actor, 200);
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

void
h_me(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (http_auth(req, resp, &a))
        reply_me(req, resp, &a, 200);
}

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

void
h_orgs_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    org_filter_t f = {http_query(req, "type"), http_query(req, "region")};
    org_list_t l;
    cy_error_t err;
    cy_status_t st = app_org_list(req->app, &a, &f, &pg, &l, &err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, org_json(&l.items[i]));
    http_answer_list(resp, st, &err, items, l.next);
    org_list_free(&l);
}

/* Create an organisation from the body, or update the one of the path. */
static void
org_write(http_req_t *req, http_resp_t *resp, int update)
{
    actor_t a;
    int64_t id = 0;
    json_t *b;
    if (!http_auth(req, resp, &a) || (update && !http_path_id(req, resp, "id", &id)) ||
        !http_body(req, resp, ORG_FIELDS, &b))
        return;
    org_input_t in;
    org_input_from(b, &in);
    org_t o;
    cy_error_t err;
    cy_status_t st = update ? app_org_update(req->app, &a, req->now, id, &in, &o, &err)
                            : app_org_create(req->app, &a, req->now, &in, &o, &err);
    json_decref(b);
    http_answer(resp, st, &err, update ? 200 : 201, st == CY_OK ? org_json(&o) : NULL);
}

void
h_orgs_create(http_req_t *req, http_resp_t *resp)
{
    org_write(req, resp, 0);
}

void
h_orgs_update(http_req_t *req, http_resp_t *resp)
{
    org_write(req, resp, 1);
}

void
h_orgs_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    org_t o;
    cy_error_t err;
    cy_status_t st = app_org_get(req->app, &a, id, &o, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? org_json(&o) : NULL);
}

/* ---------- users ---------- */

void
h_users_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t org_id;
    if (!http_auth(req, resp, &a) || !http_query_int(req, resp, "org_id", 1, INT64_MAX, 0, &org_id))
        return;
    user_list_t l;
    cy_error_t err;
    cy_status_t st = app_user_list(req->app, &a, org_id, &l, &err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, user_json(&l.items[i]));
    http_answer_list(resp, st, &err, items, 0);
    user_list_free(&l);
}

void
h_users_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"org_id", JSON_INTEGER, 0},      {"username", JSON_STRING, 1},
        {"display_name", JSON_STRING, 1}, {"role", JSON_STRING, 1},
        {"password", JSON_STRING, 1},     {"email", JSON_STRING, 0},
        {"phone", JSON_STRING, 0},        {NULL, 0, 0}};
    actor_t a;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    json_int_t org = json_integer_value(json_object_get(b, "org_id"));
    user_input_t in = {org > 0 ? org : 0, jstr(b, "username"), jstr(b, "display_name"),
                       jstr(b, "role"),   jstr(b, "password"), jstr(b, "email"),
                       jstr(b, "phone")};
    user_t u;
    cy_error_t err;
    cy_status_t st = json_object_get(b, "org_id") && org <= 0
                         ? cy_error_set(&err, CY_ENOTFOUND, "not_found", "org_id",
                                        "机构不存在 / organisation not found")
                         : app_user_create(req->app, &a, req->now, &in, &u, &err);
    json_decref(b);
    http_answer(resp, st, &err, 201, st == CY_OK ? user_json(&u) : NULL);
}

void
h_users_get(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    user_t u;
    cy_error_t err;
    cy_status_t st = app_user_get(req->app, &a, id, &u, &err);
    http_answer(resp, st, &err, 200, st == CY_OK ? user_json(&u) : NULL);
}

void
h_users_update(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"display_name", JSON_STRING, 0}, {"role", JSON_STRING, 0},
                                        {"disabled", JSON_TRUE, 0},       {"email", JSON_STRING, N},
                                        {"phone", JSON_STRING, N},        {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    json_t *dis = json_object_get(b, "disabled");
    user_patch_t in = {jstr(b, "display_name"), jstr(b, "role"), jopt(b, "email"),
                       jopt(b, "phone"),        dis != NULL,     json_is_true(dis)};
    user_t u;
    cy_error_t err;
    cy_status_t st = app_user_update(req->app, &a, req->now, id, &in, &u, &err);
    json_decref(b);
    http_answer(resp, st, &err, 200, st == CY_OK ? user_json(&u) : NULL);
}

/* An empty answer with status, or the refusal. */
static void
answer_empty(http_resp_t *resp, cy_status_t st, const cy_error_t *err, int status)
{
    if (st != CY_OK)
        http_reply_error(resp, err);
    else
        http_reply_text(resp, status, NULL, "", 0);
}

void
h_users_password(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {
        {"password", JSON_STRING, 1}, {"current_password", JSON_STRING, 0}, {NULL, 0, 0}};
    actor_t a;
    int64_t id;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id) ||
        !http_body(req, resp, spec, &b))
        return;
    cy_error_t err;
    cy_status_t st = app_user_password(req->app, &a, req->now, id, jstr(b, "password"),
                                       jstr(b, "current_password"), &err);
    json_decref(b);
    answer_empty(resp, st, &err, 204);
}

/* ---------- tokens ---------- */

void
h_tokens_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    api_token_list_t l;
    cy_error_t err;
    cy_status_t st = app_token_list(req->app, &a, &l, &err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++) {
        const api_token_t *t = &l.items[i];
        json_array_append_new(items,
                              json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)t->id,
                                        "name", t->name, "prefix", t->prefix, "created_at",
                                        t->created_at, "last_used_at", str_or_null(t->last_used_at),
                                        "revoked_at", str_or_null(t->revoked_at)));
    }
    http_answer_list(resp, st, &err, items, 0);
    api_token_list_free(&l);
}

void
h_tokens_create(http_req_t *req, http_resp_t *resp)
{
    static const http_field_t spec[] = {{"name", JSON_STRING, 1}, {NULL, 0, 0}};
    actor_t a;
    json_t *b;
    if (!http_auth(req, resp, &a) || !http_body(req, resp, spec, &b))
        return;
    api_token_new_t t;
    cy_error_t err;
    cy_status_t st = app_token_create(req->app, &a, req->now, jstr(b, "name"), &t, &err);
    json_t *j = st != CY_OK ? NULL
                            : json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t.id, "name",
                                        jstr(b, "name"), "prefix", t.prefix, "token", t.token);
    json_decref(b);
    sodium_memzero(t.token, sizeof t.token);
    http_answer(resp, st, &err, 201, j);
}

void
h_tokens_delete(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    int64_t id;
    if (!http_auth(req, resp, &a) || !http_path_id(req, resp, "id", &id))
        return;
    cy_error_t err;
    answer_empty(resp, app_token_revoke(req->app, &a, req->now, id, &err), &err, 204);
}

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

void
h_audit_list(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    app_page_t pg;
    if (!http_auth(req, resp, &a) || !http_page(req, resp, &pg))
        return;
    audit_filter_t f = {http_query(req, "object_type"), http_query(req, "object_id")};
    audit_list_t l;
    cy_error_t err;
    cy_status_t st = app_audit_list(req->app, &a, &f, &pg, &l, &err);
    json_t *items = json_array();
    for (size_t i = 0; st == CY_OK && i < l.n; i++)
        json_array_append_new(items, audit_json(&l.items[i]));
    http_answer_list(resp, st, &err, items, l.next);
    audit_list_free(&l);
}

void
h_audit_verify(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    if (!http_auth(req, resp, &a))
        return;
    audit_verify_t v;
    cy_error_t err;
    cy_status_t st = app_audit_verify(req->app, &a, http_query(req, "expect"), &v, &err);
    json_t *j = NULL;
    if (st == CY_OK) {
        j = json_pack("{s:b, s:I}", "ok", v.ok, "entries", (json_int_t)v.entries);
        if (v.anchor_seq > 0)
            json_object_set_new(j, "anchor_seq", json_integer(v.anchor_seq));
        if (!v.ok) {
            json_object_set_new(j, "broken_seq", json_integer(v.broken_seq));
            json_object_set_new(j, "reason", json_string(v.reason));
        }
    }
    http_answer(resp, st, &err, 200, j);
}
