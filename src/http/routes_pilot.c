/*
 * routes_pilot.c — the routes of the pilot programme: rounds, schemes, reviews, catalogue, plans,
 * pilots, reports.
 */
#include "http/handlers.h"

const http_route_t http_routes_pilot[] = {
    {NULL, NULL, NULL},
};
