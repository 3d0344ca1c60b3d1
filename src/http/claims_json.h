/*
 * claims_json.h — the one mapping of claims between the API's JSON and
 * app/claims/claims.h (claims_json.c): request bodies into the use cases'
 * inputs, records into the answers' JSON. The top level of a body is
 * checked by http_body's field lists; nested lists and objects are read
 * here, a wrong type refused as a malformed request (400) naming the
 * element ("estimates[1].amount"). Every rule is the use case's. Private to
 * http/claims.c. Never includes sqlite3 or libpq.
 */
#ifndef CY_HTTP_CLAIMS_JSON_H
#define CY_HTTP_CLAIMS_JSON_H

#include <jansson.h>

#include "app/claims/claims.h"
#include "http/http.h"

/* Room for the lists an input points into; the body must outlive the use case too. */
typedef struct {
    claims_estimate_in_t estimates[COV_N];
    const char *strings[CLAIMS_MAX_SYSTEMS + 1];
    int64_t ids[CLAIMS_MAX_POLICIES + 1];
} cj_lists_t;

cy_status_t cj_notice_in(json_t *b, claims_notice_in_t *in, cj_lists_t *l, cy_error_t *err);
void cj_note_in(json_t *b, claims_note_in_t *in);
void cj_assign_in(json_t *b, claims_assign_in_t *in);
void cj_task_in(json_t *b, claims_task_in_t *in);
cy_status_t cj_panel_in(json_t *b, claims_panel_in_t *in, cj_lists_t *l, cy_error_t *err);
cy_status_t cj_liability_in(json_t *b, claims_liability_in_t *in, cj_lists_t *l, cy_error_t *err);
void cj_line_item_in(json_t *b, claims_line_item_in_t *in);
void cj_reserve_in(json_t *b, claims_reserve_in_t *in);
void cj_payment_in(json_t *b, claims_payment_in_t *in);
void cj_recovery_in(json_t *b, claims_recovery_in_t *in);

json_t *cj_incident(const claims_incident_t *i);
json_t *cj_incidents(const claims_incident_list_t *l);
json_t *cj_claim(const claims_claim_t *c);
json_t *cj_claims(const claims_claim_list_t *l);
json_t *cj_task(const claims_task_t *t);
json_t *cj_tasks(const claims_task_list_t *l);
json_t *cj_panel(const claims_panel_t *p);
json_t *cj_panels(const claims_panel_list_t *l);
json_t *cj_settlement(const claims_settlement_t *s);
json_t *cj_figures(const claims_figures_t *f);
json_t *cj_evidence(const claims_evidence_t *e);
/* The chain with its check: {"items": [...], "verify": {"ok", "bad_seq", …}}. */
json_t *cj_evidence_list(const claims_evidence_list_t *l);
/* The rules a form needs: incident types, services, exclusions with their clauses. */
json_t *cj_rules(const claims_data_t *d);

#endif
