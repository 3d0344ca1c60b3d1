/*
 * db_money.c — the tables claim_reserve, claim_payment and claim_recovery,
 * read and written here only, their columns by name. Depends on store/;
 * never http/ or cli/.
 */
#include "app/claims/internal.h"

cy_status_t
claims_reserve_insert(store_conn_t *c, int64_t claim_id, claims_reserve_t *r, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id), STORE_P_INT(r->amount), STORE_P_TEXT(r->reason),
                         STORE_P_INT(r->user_id), STORE_P_TEXT(r->at)};
    return store_insert_id(c,
                           "INSERT INTO claim_reserve (claim_id, amount, reason, user_id, at) "
                           "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                           p, 5, &r->id, err);
}

static void
reserve_row(const store_rows_t *r, void *item)
{
    claims_reserve_t *x = item;
    x->id = store_row_int(r, "id");
    x->amount = store_row_int(r, "amount");
    store_row_copy(r, "reason", x->reason, sizeof x->reason);
    x->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "at", x->at, sizeof x->at);
}

cy_status_t
claims_reserves_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(cl->id)};
    return claims_rows(c,
                       "SELECT id, amount, reason, user_id, at FROM claim_reserve WHERE claim_id "
                       "= $1 ORDER BY id",
                       p, 1, sizeof *cl->reserves, reserve_row, 0, (void **)&cl->reserves,
                       &cl->n_reserves, NULL, err);
}

cy_status_t
claims_payment_insert(store_conn_t *c, int64_t claim_id, claims_payment_t *x, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id),    STORE_P_TEXT(x->kind),
                         STORE_P_INT(x->amount),   STORE_P_TEXT(x->reference),
                         STORE_P_TEXT(x->paid_on), STORE_P_INT(x->user_id),
                         STORE_P_TEXT(x->at)};
    return store_insert_id(c,
                           "INSERT INTO claim_payment (claim_id, kind, amount, reference, "
                           "paid_on, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                           "RETURNING id",
                           p, 7, &x->id, err);
}

static void
payment_row(const store_rows_t *r, void *item)
{
    claims_payment_t *x = item;
    x->id = store_row_int(r, "id");
    store_row_copy(r, "kind", x->kind, sizeof x->kind);
    x->amount = store_row_int(r, "amount");
    store_row_copy(r, "reference", x->reference, sizeof x->reference);
    store_row_copy(r, "paid_on", x->paid_on, sizeof x->paid_on);
    x->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "at", x->at, sizeof x->at);
}

cy_status_t
claims_payments_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(cl->id)};
    return claims_rows(c,
                       "SELECT id, kind, amount, reference, paid_on, user_id, at FROM "
                       "claim_payment WHERE claim_id = $1 ORDER BY id",
                       p, 1, sizeof *cl->payments, payment_row, 0, (void **)&cl->payments,
                       &cl->n_payments, NULL, err);
}

cy_status_t
claims_recovery_insert(store_conn_t *c, int64_t claim_id, claims_recovery_t *x, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id),         STORE_P_TEXT(x->source),
                         STORE_P_TEXT(x->counterparty), STORE_P_INT(x->amount),
                         STORE_P_TEXT(x->received_on),  STORE_P_TEXT(x->note),
                         STORE_P_INT(x->user_id),       STORE_P_TEXT(x->at)};
    return store_insert_id(c,
                           "INSERT INTO claim_recovery (claim_id, source, counterparty, amount, "
                           "received_on, note, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                           "$8) RETURNING id",
                           p, 8, &x->id, err);
}

static void
recovery_row(const store_rows_t *r, void *item)
{
    claims_recovery_t *x = item;
    x->id = store_row_int(r, "id");
    store_row_copy(r, "source", x->source, sizeof x->source);
    store_row_copy(r, "counterparty", x->counterparty, sizeof x->counterparty);
    x->amount = store_row_int(r, "amount");
    store_row_copy(r, "received_on", x->received_on, sizeof x->received_on);
    store_row_copy(r, "note", x->note, sizeof x->note);
    x->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "at", x->at, sizeof x->at);
}

cy_status_t
claims_recoveries_read(store_conn_t *c, claims_claim_t *cl, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(cl->id)};
    return claims_rows(c,
                       "SELECT id, source, counterparty, amount, received_on, note, user_id, at "
                       "FROM claim_recovery WHERE claim_id = $1 ORDER BY id",
                       p, 1, sizeof *cl->recoveries, recovery_row, 0, (void **)&cl->recoveries,
                       &cl->n_recoveries, NULL, err);
}
