/*
 * h_sim.h — handlers of portfolio simulations.
 */
#ifndef CY_HTTP_H_SIM_H
#define CY_HTTP_H_SIM_H

#include "http/http.h"

void h_sims_create(http_req_t *req, http_resp_t *resp);
void h_sims_list(http_req_t *req, http_resp_t *resp);
void h_sims_get(http_req_t *req, http_resp_t *resp);

#endif
