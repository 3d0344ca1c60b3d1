/*
 * routes.c — the route tables: every HTTP resource the server answers. This
 * file holds the platform's own; each capability keeps its table in its own
 * routes_*.c. docs/openapi.json must describe each route
 * (tests/unit/test_openapi.c).
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
    {"POST", "/api/v1/session", h_session_create},
    {"DELETE", "/api/v1/session", h_session_delete},
    {"GET", "/api/v1/me", h_me},
    {"GET", "/api/v1/organisations", h_orgs_list},
    {"POST", "/api/v1/organisations", h_orgs_create},
    {"GET", "/api/v1/organisations/{id}", h_orgs_get},
    {"PATCH", "/api/v1/organisations/{id}", h_orgs_update},
    {"GET", "/api/v1/users", h_users_list},
    {"POST", "/api/v1/users", h_users_create},
    {"GET", "/api/v1/users/{id}", h_users_get},
    {"PATCH", "/api/v1/users/{id}", h_users_update},
    {"POST", "/api/v1/users/{id}/password", h_users_password},
    {"GET", "/api/v1/tokens", h_tokens_list},
    {"POST", "/api/v1/tokens", h_tokens_create},
    {"DELETE", "/api/v1/tokens/{id}", h_tokens_delete},
    {"GET", "/api/v1/audit", h_audit_list},
    {"GET", "/api/v1/audit/verify", h_audit_verify},
    {NULL, NULL, NULL},
};

const http_route_t *const http_route_tables[] = {
    http_routes, http_routes_pilot, http_routes_uw, http_routes_sim, NULL,
};
