/*
 * routes_uw.c — the routes of underwriting: products, assessments, quotes,
 * policies (docs/underwriting.md). A literal segment comes before the {id}
 * route of the same shape, since the first match wins.
 */
#include "http/handlers.h"
#include "http/h_uw.h"

const http_route_t http_routes_uw[] = {
    {"GET", "/api/v1/products", h_uw_products_list},
    {"POST", "/api/v1/products", h_uw_products_create},
    {"GET", "/api/v1/products/{id}", h_uw_product_get},
    {"PATCH", "/api/v1/products/{id}", h_uw_product_update},
    {"POST", "/api/v1/products/{id}/filing", h_uw_product_filing},
    {"POST", "/api/v1/products/{id}/versions", h_uw_product_versions},
    {"GET", "/api/v1/products/{id}/rate-table", h_uw_product_rate_table},
    {"GET", "/api/v1/assessments/questionnaire", h_uw_questionnaire},
    {"GET", "/api/v1/assessments", h_uw_assessments_list},
    {"POST", "/api/v1/assessments", h_uw_assessments_create},
    {"GET", "/api/v1/assessments/{id}", h_uw_assessment_get},
    {"PATCH", "/api/v1/assessments/{id}", h_uw_assessment_update},
    {"POST", "/api/v1/assessments/{id}/findings", h_uw_assessment_findings},
    {"POST", "/api/v1/assessments/{id}/submit", h_uw_assessment_submit},
    {"GET", "/api/v1/quotes", h_uw_quotes_list},
    {"POST", "/api/v1/quotes", h_uw_quotes_create},
    {"GET", "/api/v1/quotes/{id}", h_uw_quote_get},
    {"POST", "/api/v1/quotes/{id}/referral", h_uw_quote_referral},
    {"POST", "/api/v1/quotes/{id}/bind", h_uw_quote_bind},
    {"GET", "/api/v1/policies", h_uw_policies_list},
    {"GET", "/api/v1/policies/{id}", h_uw_policy_get},
    {"POST", "/api/v1/policies/{id}/endorsements", h_uw_policy_endorsements},
    {"POST", "/api/v1/policies/{id}/cancellation", h_uw_policy_cancellation},
    {"POST", "/api/v1/policies/{id}/renewal", h_uw_policy_renewal},
    {NULL, NULL, NULL},
};
