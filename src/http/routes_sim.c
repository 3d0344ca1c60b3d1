/*
 * routes_sim.c — the routes of portfolio simulations.
 */
#include "http/h_sim.h"

const http_route_t http_routes_sim[] = {
    {"POST", "/api/v1/simulations", h_sims_create},
    {"GET", "/api/v1/simulations", h_sims_list},
    {"GET", "/api/v1/simulations/{id}", h_sims_get},
    {NULL, NULL, NULL},
};
