/*
 * db_evidence.c — the table claim_evidence (the evidence chain, 061), read
 * and written here only, its columns by name. Depends on store/; never
 * http/ or cli/.
 */
#include "app/claims/internal.h"

#define EVIDENCE_COLS                                                                              \
    "id, claim_id, seq, kind, item_seq, blob_id, sha256, size, media_type, filename, "             \
    "description, collected_by, collected_at, method, from_holder, to_holder, org_id, user_id, "   \
    "created_at, prev_hash, hash"

cy_status_t
claims_evidence_insert(store_conn_t *c, claims_evidence_t *e, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(e->claim_id),
                         STORE_P_INT(e->seq),
                         STORE_P_TEXT(e->kind),
                         STORE_P_INT(e->item_seq),
                         e->blob_id > 0 ? STORE_P_INT(e->blob_id) : STORE_P_NULL,
                         STORE_P_TEXT(e->sha256),
                         STORE_P_INT(e->size),
                         STORE_P_TEXT(e->media_type),
                         STORE_P_TEXT(e->filename),
                         STORE_P_TEXT(e->description),
                         STORE_P_TEXT(e->collected_by),
                         STORE_P_TEXT(e->collected_at),
                         STORE_P_TEXT(e->method),
                         STORE_P_TEXT(e->from_holder),
                         STORE_P_TEXT(e->to_holder),
                         STORE_P_INT(e->org_id),
                         STORE_P_INT(e->user_id),
                         STORE_P_TEXT(e->created_at),
                         STORE_P_TEXT(e->prev_hash),
                         STORE_P_TEXT(e->hash)};
    return store_insert_id(
        c,
        "INSERT INTO claim_evidence (claim_id, seq, kind, item_seq, blob_id, "
        "sha256, size, media_type, filename, description, collected_by, "
        "collected_at, method, from_holder, to_holder, org_id, user_id, "
        "created_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
        "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
        p, 20, &e->id, err);
}

static const store_col_t EVIDENCE_MAP[] = {
    STORE_COL(claims_evidence_t, id),           STORE_COL(claims_evidence_t, claim_id),
    STORE_COL(claims_evidence_t, seq),          STORE_COL(claims_evidence_t, kind),
    STORE_COL(claims_evidence_t, item_seq),     STORE_COL(claims_evidence_t, blob_id),
    STORE_COL(claims_evidence_t, sha256),       STORE_COL(claims_evidence_t, size),
    STORE_COL(claims_evidence_t, media_type),   STORE_COL(claims_evidence_t, filename),
    STORE_COL(claims_evidence_t, description),  STORE_COL(claims_evidence_t, collected_by),
    STORE_COL(claims_evidence_t, collected_at), STORE_COL(claims_evidence_t, method),
    STORE_COL(claims_evidence_t, from_holder),  STORE_COL(claims_evidence_t, to_holder),
    STORE_COL(claims_evidence_t, org_id),       STORE_COL(claims_evidence_t, user_id),
    STORE_COL(claims_evidence_t, created_at),   STORE_COL(claims_evidence_t, prev_hash),
    STORE_COL(claims_evidence_t, hash)};

cy_status_t
claims_evidence_read(store_conn_t *c, int64_t claim_id, claims_evidence_t **out, size_t *n,
                     cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id)};
    return claims_rows(c,
                       "SELECT " EVIDENCE_COLS " FROM claim_evidence WHERE claim_id = $1 "
                       "ORDER BY seq, id",
                       p, 1, sizeof **out, CLAIMS_MAP(EVIDENCE_MAP, NULL), 0, (void **)out, n, NULL,
                       err);
}
