/*
 * router.c — method + path matching with {name} path parameters. The one
 * table itself is in routes.c. Never includes sqlite3 or libpq.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "http/http.h"

/*
 * Match path against pattern segment by segment; {x} takes one non-empty
 * segment (at most 127 bytes). Fills params only on a match.
 */
static int
match(const char *pattern, const char *path, http_req_t *req)
{
    const char *p = pattern, *s = path;
    int n = 0;
    const char *names[HTTP_MAX_PARAMS];
    const char *vals[HTTP_MAX_PARAMS];
    size_t lens[HTTP_MAX_PARAMS];
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
            if (close == NULL || len == 0 || len > 127 || n == HTTP_MAX_PARAMS)
                return 0;
            names[n] = p + 1;
            vals[n] = s;
            lens[n] = len;
            n++;
            p = close + 1;
            s += len;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return 0;
        }
    }
    if (*p != '\0' || *s != '\0')
        return 0;
    if (req != NULL) {
        req->n_params = n;
        for (int i = 0; i < n; i++) {
            req->param_names[i] = names[i];
            memcpy(req->param_values[i], vals[i], lens[i]);
            req->param_values[i][lens[i]] = '\0';
        }
    }
    return 1;
}

http_handler_t
http_route_find(const char *method, const char *path, http_req_t *req, char *allow,
                size_t allow_cap, int *path_known)
{
    *path_known = 0;
    if (allow_cap > 0)
        allow[0] = '\0';
    for (const http_route_t *r = http_routes; r->method != NULL; r++) {
        if (!match(r->pattern, path, NULL))
            continue;
        *path_known = 1;
        if (strcmp(r->method, method) == 0) {
            match(r->pattern, path, req);
            return r->handler;
        }
        size_t used = strlen(allow);
        if (used + strlen(r->method) + 3 < allow_cap)
            snprintf(allow + used, allow_cap - used, "%s%s", used ? ", " : "", r->method);
    }
    return NULL;
}

int
http_route_flags(const char *method, const char *path)
{
    for (const http_route_t *r = http_routes; r->method != NULL; r++)
        if (strcmp(r->method, method) == 0 && match(r->pattern, path, NULL))
            return r->flags;
    return 0;
}

const char *
http_param(const http_req_t *req, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < req->n_params; i++)
        if (strncmp(req->param_names[i], name, n) == 0 && req->param_names[i][n] == '}')
            return req->param_values[i];
    return NULL;
}

const char *
http_query(const http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->mhd, MHD_GET_ARGUMENT_KIND, name);
}
