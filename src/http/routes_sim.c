/*
 * routes_sim.c — the routes of portfolio simulations.
 */
#include "http/handlers.h"

const http_route_t http_routes_sim[] = {
    {NULL, NULL, NULL},
};
