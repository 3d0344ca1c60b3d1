/*
 * handlers.h — every HTTP handler, for the route table in routes.c.
 */
#ifndef CY_HTTP_HANDLERS_H
#define CY_HTTP_HANDLERS_H

#include <stdlib.h>

#include "http/http.h"

void h_healthz(http_req_t *req, http_resp_t *resp);
void h_metrics(http_req_t *req, http_resp_t *resp);
void h_meta(http_req_t *req, http_resp_t *resp);
void h_openapi(http_req_t *req, http_resp_t *resp);

void h_ref_regions(http_req_t *req, http_resp_t *resp);
void h_ref_industries(http_req_t *req, http_resp_t *resp);
void h_ref_coverages(http_req_t *req, http_resp_t *resp);
void h_ref_pilot(http_req_t *req, http_resp_t *resp);
void h_check_uscc(http_req_t *req, http_resp_t *resp);
void h_check_zishu(http_req_t *req, http_resp_t *resp);

void h_session_create(http_req_t *req, http_resp_t *resp);
void h_session_delete(http_req_t *req, http_resp_t *resp);
void h_me(http_req_t *req, http_resp_t *resp);
void h_orgs_list(http_req_t *req, http_resp_t *resp);
void h_orgs_create(http_req_t *req, http_resp_t *resp);
void h_orgs_get(http_req_t *req, http_resp_t *resp);
void h_orgs_update(http_req_t *req, http_resp_t *resp);
void h_users_list(http_req_t *req, http_resp_t *resp);
void h_users_create(http_req_t *req, http_resp_t *resp);
void h_users_get(http_req_t *req, http_resp_t *resp);
void h_users_update(http_req_t *req, http_resp_t *resp);
void h_users_password(http_req_t *req, http_resp_t *resp);
void h_tokens_list(http_req_t *req, http_resp_t *resp);
void h_tokens_create(http_req_t *req, http_resp_t *resp);
void h_tokens_delete(http_req_t *req, http_resp_t *resp);
void h_audit_list(http_req_t *req, http_resp_t *resp);
void h_audit_verify(http_req_t *req, http_resp_t *resp);

#endif
