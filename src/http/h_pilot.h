/*
 * h_pilot.h — the HTTP handlers of the pilot programme (rounds, schemes,
 * reviews, catalogue, plans, packages, extensions, pilots, reports,
 * summaries, overdue lists), for the table in routes_pilot.c. Never includes
 * sqlite3 or libpq.
 */
#ifndef CY_HTTP_H_PILOT_H
#define CY_HTTP_H_PILOT_H

#include "http/http.h"

void h_rounds_list(http_req_t *req, http_resp_t *resp);
void h_rounds_get(http_req_t *req, http_resp_t *resp);

void h_schemes_list(http_req_t *req, http_resp_t *resp);
void h_schemes_create(http_req_t *req, http_resp_t *resp);
void h_schemes_get(http_req_t *req, http_resp_t *resp);
void h_schemes_update(http_req_t *req, http_resp_t *resp);
void h_schemes_confirm(http_req_t *req, http_resp_t *resp);
void h_schemes_submit(http_req_t *req, http_resp_t *resp);
void h_schemes_recommend(http_req_t *req, http_resp_t *resp);
void h_schemes_assign(http_req_t *req, http_resp_t *resp);

void h_reviews_list(http_req_t *req, http_resp_t *resp);
void h_reviews_get(http_req_t *req, http_resp_t *resp);
void h_reviews_submit(http_req_t *req, http_resp_t *resp);
void h_catalogue_get(http_req_t *req, http_resp_t *resp);
void h_catalogue_publish(http_req_t *req, http_resp_t *resp);

void h_plans_list(http_req_t *req, http_resp_t *resp);
void h_plans_create(http_req_t *req, http_resp_t *resp);
void h_plans_get(http_req_t *req, http_resp_t *resp);
void h_plans_update(http_req_t *req, http_resp_t *resp);
void h_plans_confirm(http_req_t *req, http_resp_t *resp);
void h_plans_submit(http_req_t *req, http_resp_t *resp);
void h_plans_return(http_req_t *req, http_resp_t *resp);

void h_packages_list(http_req_t *req, http_resp_t *resp);
void h_packages_create(http_req_t *req, http_resp_t *resp);
void h_packages_get(http_req_t *req, http_resp_t *resp);
void h_packages_forward(http_req_t *req, http_resp_t *resp);
void h_packages_return(http_req_t *req, http_resp_t *resp);

void h_extensions_list(http_req_t *req, http_resp_t *resp);
void h_extensions_create(http_req_t *req, http_resp_t *resp);

void h_pilots_list(http_req_t *req, http_resp_t *resp);
void h_pilots_select(http_req_t *req, http_resp_t *resp);
void h_pilots_get(http_req_t *req, http_resp_t *resp);
void h_pilots_exit(http_req_t *req, http_resp_t *resp);

void h_reports_list(http_req_t *req, http_resp_t *resp);
void h_reports_create(http_req_t *req, http_resp_t *resp);
void h_summaries_list(http_req_t *req, http_resp_t *resp);
void h_summaries_create(http_req_t *req, http_resp_t *resp);
void h_overdue_list(http_req_t *req, http_resp_t *resp);

void h_orgs_telecom(http_req_t *req, http_resp_t *resp);

#endif
