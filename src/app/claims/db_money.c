/*
 * db_money.c — the tables claim_reserve, claim_payment and claim_recovery:
 * their columns by name, once each. A row is written once and never
 * changed, and the three are written and read alike, by claims_table_insert
 * and claims_table_read (rows.c), with SQL made from these maps. Depends on
 * store/; never http/ or cli/.
 */
#include "app/claims/internal.h"

static const store_col_t RESERVE_COLS[] = {
    STORE_COL(claims_reserve_t, id), STORE_COL(claims_reserve_t, amount),
    STORE_COL(claims_reserve_t, reason), STORE_COL(claims_reserve_t, user_id),
    STORE_COL(claims_reserve_t, at)};
const claims_table_t CLAIMS_RESERVES = {"claim_reserve", RESERVE_COLS, STORE_COLS_N(RESERVE_COLS),
                                        sizeof(claims_reserve_t)};

static const store_col_t PAYMENT_COLS[] = {
    STORE_COL(claims_payment_t, id),      STORE_COL(claims_payment_t, kind),
    STORE_COL(claims_payment_t, amount),  STORE_COL(claims_payment_t, reference),
    STORE_COL(claims_payment_t, paid_on), STORE_COL(claims_payment_t, user_id),
    STORE_COL(claims_payment_t, at)};
const claims_table_t CLAIMS_PAYMENTS = {"claim_payment", PAYMENT_COLS, STORE_COLS_N(PAYMENT_COLS),
                                        sizeof(claims_payment_t)};

static const store_col_t RECOVERY_COLS[] = {
    STORE_COL(claims_recovery_t, id),           STORE_COL(claims_recovery_t, source),
    STORE_COL(claims_recovery_t, counterparty), STORE_COL(claims_recovery_t, amount),
    STORE_COL(claims_recovery_t, received_on),  STORE_COL(claims_recovery_t, note),
    STORE_COL(claims_recovery_t, user_id),      STORE_COL(claims_recovery_t, at)};
const claims_table_t CLAIMS_RECOVERIES = {"claim_recovery", RECOVERY_COLS,
                                          STORE_COLS_N(RECOVERY_COLS), sizeof(claims_recovery_t)};
