/*
 * routes.c — the route table: every HTTP resource the server answers.
 * docs/openapi.json must describe each one (tests/unit/test_openapi.c).
 */
#include "http/handlers.h"

const http_route_t http_routes[] = {
    {"GET", "/healthz", h_healthz},
    {"GET", "/metrics", h_metrics},
    {"GET", "/api/openapi.json", h_openapi},
    {"GET", "/api/v1/meta", h_meta},
    {"GET", "/api/v1/ref/regions", h_ref_regions},
    {"GET", "/api/v1/ref/industries", h_ref_industries},
    {"GET", "/api/v1/ref/coverages", h_ref_coverages},
    {"GET", "/api/v1/ref/pilot", h_ref_pilot},
    {"POST", "/api/v1/checks/uscc", h_check_uscc},
    {"POST", "/api/v1/checks/zishu", h_check_zishu},
    {NULL, NULL, NULL},
};
