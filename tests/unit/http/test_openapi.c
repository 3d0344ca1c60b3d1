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
