/*
 * h_uw.h — the HTTP handlers of underwriting (h_uw.c), for the route table
 * in routes_uw.c: products, the questionnaire, assessments, quotes and their
 * referrals, policies. Never includes sqlite3 or libpq.
 */
#ifndef CY_HTTP_H_UW_H
#define CY_HTTP_H_UW_H

#include "http/http.h"

void h_uw_products_list(http_req_t *req, http_resp_t *resp);
void h_uw_products_create(http_req_t *req, http_resp_t *resp);
void h_uw_product_get(http_req_t *req, http_resp_t *resp);
void h_uw_product_update(http_req_t *req, http_resp_t *resp);
void h_uw_product_filing(http_req_t *req, http_resp_t *resp);
void h_uw_product_versions(http_req_t *req, http_resp_t *resp);
void h_uw_product_rate_table(http_req_t *req, http_resp_t *resp);

void h_uw_questionnaire(http_req_t *req, http_resp_t *resp);
void h_uw_assessments_list(http_req_t *req, http_resp_t *resp);
void h_uw_assessments_create(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_get(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_update(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_findings(http_req_t *req, http_resp_t *resp);
void h_uw_assessment_submit(http_req_t *req, http_resp_t *resp);

void h_uw_quotes_list(http_req_t *req, http_resp_t *resp);
void h_uw_quotes_create(http_req_t *req, http_resp_t *resp);
void h_uw_quote_get(http_req_t *req, http_resp_t *resp);
void h_uw_quote_referral(http_req_t *req, http_resp_t *resp);
void h_uw_quote_bind(http_req_t *req, http_resp_t *resp);

void h_uw_policies_list(http_req_t *req, http_resp_t *resp);
void h_uw_policy_get(http_req_t *req, http_resp_t *resp);
void h_uw_policy_endorsements(http_req_t *req, http_resp_t *resp);
void h_uw_policy_cancellation(http_req_t *req, http_resp_t *resp);
void h_uw_policy_renewal(http_req_t *req, http_resp_t *resp);

#endif
