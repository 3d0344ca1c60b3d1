/*
 * auth.c — who is calling: the session cookie or a Bearer API token, the
 * CSRF check for cookie-authenticated writes, and small readers of path and
 * query parameters. Whether the caller may act is app/'s decision, never
 * made here. Never includes sqlite3 or libpq.
 */
#include <errno.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/identity/identity.h"
#include "http/http.h"

int
http_logged_in(http_req_t *req)
{
    actor_t actor;
    cy_error_t err;
    const char *authz = MHD_lookup_connection_value(req->mhd, MHD_HEADER_KIND, "Authorization");
    if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0)
        return app_auth_bearer(req->app, req->now, authz + 7, req->ip, &actor, &err) == CY_OK;
    const char *cookie = MHD_lookup_connection_value(req->mhd, MHD_COOKIE_KIND, "cyberins_session");
    return cookie != NULL &&
           app_auth_session(req->app, req->now, cookie, req->ip, &actor, &err) == CY_OK;
}

int
http_auth(http_req_t *req, http_resp_t *resp, actor_t *actor)
{
    cy_error_t err;
    const char *authz = MHD_lookup_connection_value(req->mhd, MHD_HEADER_KIND, "Authorization");
    if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0) {
        if (app_auth_bearer(req->app, req->now, authz + 7, req->ip, actor, &err) != CY_OK) {
            http_reply_error(resp, &err);
            return 0;
        }
        return 1; /* a token is not sent by browsers on their own: no CSRF risk */
    }
    const char *cookie = MHD_lookup_connection_value(req->mhd, MHD_COOKIE_KIND, "cyberins_session");
    if (app_auth_session(req->app, req->now, cookie, req->ip, actor, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return 0;
    }
    int unsafe = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
    if (unsafe) {
        const char *csrf = MHD_lookup_connection_value(req->mhd, MHD_HEADER_KIND, "X-CSRF-Token");
        size_t n = strlen(actor->csrf);
        if (csrf == NULL || strlen(csrf) != n || n == 0 ||
            sodium_memcmp(csrf, actor->csrf, n) != 0) {
            cy_error_set(&err, CY_EFORBIDDEN, "csrf_failed", "X-CSRF-Token",
                         "缺少或错误的 CSRF 令牌 / missing or wrong CSRF token");
            http_reply_error(resp, &err);
            return 0;
        }
    }
    return 1;
}

int
http_path_id(http_req_t *req, http_resp_t *resp, const char *name, int64_t *id)
{
    const char *s = http_param(req, name);
    char *end;
    errno = 0;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (s == NULL || *end != '\0' || v <= 0 || errno != 0 || s[0] == '+' || s[0] == ' ') {
        cy_error_t err;
        cy_error_set(&err, CY_ENOTFOUND, "not_found", name, "没有这个记录 / no such record");
        http_reply_error(resp, &err);
        return 0;
    }
    *id = v;
    return 1;
}

int
http_page(http_req_t *req, http_resp_t *resp, app_page_t *page)
{
    int64_t limit, cursor;
    if (!http_query_int(req, resp, "limit", 1, APP_PAGE_MAX, APP_PAGE_DEFAULT, &limit) ||
        !http_query_int(req, resp, "cursor", 0, INT64_MAX, 0, &cursor))
        return 0;
    page->cursor = cursor;
    page->limit = (int)limit;
    return 1;
}

cy_status_t
http_query_number(http_req_t *req, const char *name, int64_t min, int64_t max, int64_t def,
                  int64_t *out, cy_error_t *err)
{
    const char *s = http_query(req, name);
    if (s == NULL) {
        *out = def;
        return CY_OK;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return cy_error_set(err, CY_EBADREQ, "query_invalid", name,
                            "%s 应为 %lld 到 %lld 之间的整数 / %s must be an integer from %lld to "
                            "%lld",
                            name, (long long)min, (long long)max, name, (long long)min,
                            (long long)max);
    *out = v;
    return CY_OK;
}

int
http_query_int(http_req_t *req, http_resp_t *resp, const char *name, int64_t min, int64_t max,
               int64_t def, int64_t *out)
{
    cy_error_t err;
    if (http_query_number(req, name, min, max, def, out, &err) == CY_OK)
        return 1;
    http_reply_error(resp, &err);
    return 0;
}

cy_status_t
http_query_flag(http_req_t *req, const char *name, int def, int *out, cy_error_t *err)
{
    const char *s = http_query(req, name);
    *out = def;
    if (s == NULL)
        return CY_OK;
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcmp(s, "false") == 0 ||
        strcmp(s, "0") == 0) {
        *out = s[0] == 't' || s[0] == '1';
        return CY_OK;
    }
    return cy_error_set(err, CY_EBADREQ, "query_invalid", name,
                        "%s 应为 true 或 false / %s must be true or false", name, name);
}

int
http_query_bool(http_req_t *req, http_resp_t *resp, const char *name, int def, int *out)
{
    cy_error_t err;
    if (http_query_flag(req, name, def, out, &err) == CY_OK)
        return 1;
    http_reply_error(resp, &err);
    return 0;
}
