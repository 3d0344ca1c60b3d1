/*
 * claim.c — a claim and the list of claims as the caller sees them
 * (claims.h). Use-case file.
 */
#include <string.h>

#include "app/claims/internal.h"

cy_status_t
claims_get(app_t *app, const actor_t *a, int64_t now, int64_t id, claims_claim_t *out,
           cy_error_t *err)
{
    return claims_view(app, a, now, id, out, err);
}

static const char *const STATUSES[] = {"notified", "responding", "adjusting",
                                       "settled",  "closed",     NULL};

cy_status_t
claims_list(app_t *app, const actor_t *a, int64_t now, const char *status, const app_page_t *pg,
            claims_claim_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    static const claims_field_t f = {"status", "状态", "status"};
    store_conn_t *c;
    cy_status_t st = claims_list_open(app, a, status, &f, STATUSES, &c, err);
    if (st != CY_OK)
        return st;
    st = claims_claim_list_read(c, a, status, pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n; i++) {
        claims_party_t p = a->cli || authz_sees_all(a->org_type)       ? PARTY_OPERATOR
                           : a->org_id == out->items[i].insurer_org_id ? PARTY_INSURER
                           : a->org_id == out->items[i].insured_org_id ? PARTY_INSURED
                                                                       : PARTY_RESPONDER;
        claims_copy(out->items[i].party, sizeof out->items[i].party, claims_party_name(p));
        if (p != PARTY_INSURER && p != PARTY_OPERATOR)
            out->items[i].reserve = -1;
    }
    if (st != CY_OK)
        claims_claim_list_free(out);
    return st;
}
