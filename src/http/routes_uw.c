/*
 * routes_uw.c — the routes of underwriting: products, assessments, quotes, policies.
 */
#include "http/handlers.h"

const http_route_t http_routes_uw[] = {
    {NULL, NULL, NULL},
};
