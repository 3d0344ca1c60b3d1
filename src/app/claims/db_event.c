/*
 * db_event.c — the table claim_event (the timeline), read and written here
 * only, its columns by name. Depends on store/; never http/ or cli/.
 */
#include "app/claims/internal.h"

cy_status_t
claims_event_insert(store_conn_t *c, int64_t claim_id, const claims_event_t *e, cy_error_t *err)
{
    store_param_t p[] = {
        STORE_P_INT(claim_id),  STORE_P_TEXT(e->at),        STORE_P_INT(e->user_id),
        STORE_P_INT(e->org_id), STORE_P_TEXT(e->party),     STORE_P_TEXT(e->kind),
        STORE_P_TEXT(e->text),  STORE_P_INT(e->to_insured), STORE_P_INT(e->to_responder)};
    return store_exec(c,
                      "INSERT INTO claim_event (claim_id, at, user_id, org_id, party, kind, text, "
                      "to_insured, to_responder) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                      p, 9, NULL, err);
}

static const store_col_t EVENT_COLS[] = {
    STORE_COL(claims_event_t, id),          STORE_COL(claims_event_t, at),
    STORE_COL(claims_event_t, user_id),     STORE_COL(claims_event_t, org_id),
    STORE_COL(claims_event_t, party),       STORE_COL(claims_event_t, kind),
    STORE_COL(claims_event_t, text),        STORE_COL(claims_event_t, to_insured),
    STORE_COL(claims_event_t, to_responder)};

cy_status_t
claims_events_read(store_conn_t *c, claims_claim_t *cl, claims_party_t party, int64_t org,
                   cy_error_t *err)
{
    /* the insurer and the operators read all; the others what was shown to them, and their own */
    int all = party == PARTY_INSURER || party == PARTY_OPERATOR;
    store_param_t p[] = {STORE_P_INT(cl->id), STORE_P_INT(all), STORE_P_INT(party == PARTY_INSURED),
                         STORE_P_INT(org)};
    return claims_rows(c,
                       "SELECT id, at, user_id, org_id, party, kind, text, to_insured, "
                       "to_responder FROM claim_event WHERE claim_id = $1 AND ($2 = 1 OR org_id "
                       "= $4 OR ($3 = 1 AND to_insured = 1) OR ($3 = 0 AND to_responder = 1)) "
                       "ORDER BY id",
                       p, 4, sizeof *cl->events, CLAIMS_MAP(EVENT_COLS, NULL), 0,
                       (void **)&cl->events, &cl->n_events, NULL, err);
}
