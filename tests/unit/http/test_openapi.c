/*
 * test_openapi.c — docs/openapi.json (compiled into the program) and the
 * route table agree: every route is documented with its method, and every
 * documented operation has a route; and the table's order hides no route.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <ctype.h>
#include <string.h>

#include "http/http.h"
#include "store/embedded.h"

static void
lower(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

static json_t *
load_doc(void)
{
    json_error_t je;
    json_t *doc = json_loads(cy_openapi_json, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        fail_msg("openapi.json line %d: %s", je.line, je.text);
    return doc;
}

CY_TEST(test_every_route_is_documented)
{
    (void)state;
    json_t *doc = load_doc();
    json_t *paths = json_object_get(doc, "paths");
    assert_non_null(paths);
    int n = 0;
    for (const http_route_t *r = http_routes; r->method != NULL; r++, n++) {
        json_t *item = json_object_get(paths, r->pattern);
        if (item == NULL)
            fail_msg("route %s %s is missing from docs/openapi.json", r->method, r->pattern);
        char m[16];
        lower(r->method, m, sizeof m);
        if (json_object_get(item, m) == NULL)
            fail_msg("route %s %s: docs/openapi.json lacks the %s operation", r->method, r->pattern,
                     m);
    }
    assert_true(n >= 10);
    json_decref(doc);
}

CY_TEST(test_every_documented_operation_has_a_route)
{
    (void)state;
    json_t *doc = load_doc();
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item)
    {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op)
        {
            int found = 0;
            for (const http_route_t *r = http_routes; r->method != NULL && !found; r++) {
                char m[16];
                lower(r->method, m, sizeof m);
                found = strcmp(r->pattern, path) == 0 && strcmp(m, method) == 0;
            }
            if (!found)
                fail_msg("docs/openapi.json documents %s %s, which no route answers", method, path);
        }
    }
    json_decref(doc);
}

CY_TEST(test_router_matches_path_parameters)
{
    (void)state;
    http_req_t req = {0};
    char allow[64];
    int known;
    assert_non_null(http_route_find("GET", "/api/v1/meta", &req, allow, sizeof allow, &known));
    assert_null(http_route_find("POST", "/api/v1/meta", &req, allow, sizeof allow, &known));
    assert_int_equal(known, 1);
    assert_string_equal(allow, "GET");
    assert_null(http_route_find("GET", "/api/v1/meta/x", &req, allow, sizeof allow, &known));
    assert_int_equal(known, 0);
    assert_null(http_route_find("GET", "/api/v1/met", &req, allow, sizeof allow, &known));
    assert_int_equal(known, 0);
}

/*
 * The order of the one table: every route is the one the router finds for a
 * path of its own shape ({x} as "1"), so no route is hidden by an earlier one
 * (a literal segment such as /claims/rules must come before /claims/{id}).
 */
CY_TEST(test_every_route_is_reachable)
{
    (void)state;
    int n = 0;
    for (const http_route_t *r = http_routes; r->method != NULL; r++, n++) {
        char path[256];
        size_t len = 0;
        for (const char *p = r->pattern; *p && len + 2 < sizeof path; p++) {
            if (*p == '{') {
                path[len++] = '1';
                p = strchr(p, '}');
            } else {
                path[len++] = *p;
            }
        }
        path[len] = '\0';
        http_req_t req = {0};
        char allow[64];
        int known;
        if (http_route_find(r->method, path, &req, allow, sizeof allow, &known) != r->handler)
            fail_msg("route %s %s is hidden by an earlier route for %s", r->method, r->pattern,
                     path);
    }
    assert_true(n >= 170);
    /* and a literal route met after a pattern that matches it would be: */
    http_req_t req = {0};
    char allow[64];
    int known;
    assert_true(http_route_find("GET", "/api/v1/claims/rules", &req, allow, sizeof allow, &known) !=
                http_route_find("GET", "/api/v1/claims/1", &req, allow, sizeof allow, &known));
}

/* The test's own matcher: segment by segment, {x} any non-empty segment. */
static int
scan_match(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '{') {
            size_t len = strcspn(path, "/");
            if (len == 0)
                return 0;
            pattern = strchr(pattern, '}') + 1;
            path += len;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* What a scan of the whole table answers: the handler, whether the path is known, the Allow. */
static http_handler_t
scan_find(const char *method, const char *path, char *allow, size_t cap, int *known)
{
    *known = 0;
    allow[0] = '\0';
    for (const http_route_t *r = http_routes; r->method != NULL; r++) {
        if (!scan_match(r->pattern, path))
            continue;
        *known = 1;
        if (strcmp(r->method, method) == 0)
            return r->handler;
        size_t used = strlen(allow);
        snprintf(allow + used, cap - used, "%s%s", used ? ", " : "", r->method);
    }
    return NULL;
}

/* The router tries only the routes of a path's head: it answers what a whole scan answers. */
CY_TEST(test_the_router_answers_what_a_scan_of_the_table_does)
{
    (void)state;
    static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE"};
    static const char *const fills[] = {"1", "rules", "", "x/y"};
    static const char *const odd[] = {
        "/",         "",           "/api/v1",      "/api/v1/",
        "/api/v1//", "/api/v2/me", "/healthz/",    "/api/v1/me/",
        "/metricsx", "/api/v1/zz", "/api/openapi", "/api/v1/claims//1"};
    int checked = 0;
    size_t n_odd = sizeof odd / sizeof *odd, n_fills = sizeof fills / sizeof *fills;
    for (const http_route_t *r = http_routes;; r++) {
        for (size_t f = 0; f < (r->method != NULL ? n_fills : n_odd); f++) {
            char path[256];
            if (r->method != NULL) {
                size_t len = 0;
                for (const char *p = r->pattern; *p && len + 8 < sizeof path; p++) {
                    if (*p == '{') {
                        len += (size_t)snprintf(path + len, sizeof path - len, "%s", fills[f]);
                        p = strchr(p, '}');
                    } else {
                        path[len++] = *p;
                    }
                }
                path[len] = '\0';
            } else {
                snprintf(path, sizeof path, "%s", odd[f]);
            }
            for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
                char a1[128], a2[128];
                int k1, k2;
                http_req_t req = {0};
                http_handler_t h1 = http_route_find(methods[m], path, &req, a1, sizeof a1, &k1);
                http_handler_t h2 = scan_find(methods[m], path, a2, sizeof a2, &k2);
                if (h1 != h2 || k1 != k2 || (!h1 && strcmp(a1, a2) != 0))
                    fail_msg("%s %s: the router and a scan differ (known %d/%d, allow '%s'/'%s')",
                             methods[m], path, k1, k2, a1, a2);
                checked++;
            }
        }
        if (r->method == NULL)
            break;
    }
    assert_true(checked > 3000);
}
