/*
 * routes.c — the route tables of every capability, in the order the router
 * tries them (the first match wins). Each capability's handler file ends
 * with its own table; docs/openapi.json must describe each route
 * (tests/unit/http/test_openapi.c).
 */
#include "http/http.h"

const http_route_t *const http_route_tables[] = {
    http_routes_platform, http_routes_ref,    http_routes_identity,
    http_routes_pilot,    http_routes_uw,     http_routes_sim,
    http_routes_docs,     http_routes_blob,   http_routes_notify,
    http_routes_webhook,  http_routes_engage, http_routes_claims,
    http_routes_monitor,  http_routes_stats,  NULL,
};
