/*
 * insured.c — the policies of one insured, for another capability: claims
 * finds the policy a loss falls under by the insured and the date
 * (app_uw_policies_of_insured in uw.h). Use-case floor; reads through
 * db_policy.c's list like app_uw_policy_list.
 */
#include <string.h>

#include "app/uw/internal.h"

cy_status_t
app_uw_policies_of_insured(app_t *app, int64_t insured_org_id, int64_t at, uw_policy_list_t *out,
                           cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    /* an enterprise is never an insurer: its scope's policies are those it holds */
    uw_scope_t insured = {.all = 0, .org_id = insured_org_id};
    app_page_t pg = {.cursor = 0, .limit = APP_PAGE_MAX};
    st = uw_policy_list_read(c, insured, NULL, at, &pg, out, err);
    store_release(app->store, c);
    for (size_t i = 0; i < out->n; i++)
        uw_policy_at(&out->items[i], at);
    if (st != CY_OK)
        uw_policy_list_free(out);
    return st;
}
