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

static void
evidence_row(const store_rows_t *r, void *item)
{
    claims_evidence_t *e = item;
    e->id = store_row_int(r, "id");
    e->claim_id = store_row_int(r, "claim_id");
    e->seq = (int)store_row_int(r, "seq");
    store_row_copy(r, "kind", e->kind, sizeof e->kind);
    e->item_seq = (int)store_row_int(r, "item_seq");
    e->blob_id = store_row_isnull(r, "blob_id") ? 0 : store_row_int(r, "blob_id");
    store_row_copy(r, "sha256", e->sha256, sizeof e->sha256);
    e->size = store_row_int(r, "size");
    store_row_copy(r, "media_type", e->media_type, sizeof e->media_type);
    store_row_copy(r, "filename", e->filename, sizeof e->filename);
    store_row_copy(r, "description", e->description, sizeof e->description);
    store_row_copy(r, "collected_by", e->collected_by, sizeof e->collected_by);
    store_row_copy(r, "collected_at", e->collected_at, sizeof e->collected_at);
    store_row_copy(r, "method", e->method, sizeof e->method);
    store_row_copy(r, "from_holder", e->from_holder, sizeof e->from_holder);
    store_row_copy(r, "to_holder", e->to_holder, sizeof e->to_holder);
    e->org_id = store_row_int(r, "org_id");
    e->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "created_at", e->created_at, sizeof e->created_at);
    store_row_copy(r, "prev_hash", e->prev_hash, sizeof e->prev_hash);
    store_row_copy(r, "hash", e->hash, sizeof e->hash);
}

cy_status_t
claims_evidence_read(store_conn_t *c, int64_t claim_id, claims_evidence_t **out, size_t *n,
                     cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(claim_id)};
    return claims_rows(c,
                       "SELECT " EVIDENCE_COLS " FROM claim_evidence WHERE claim_id = $1 "
                       "ORDER BY seq, id",
                       p, 1, sizeof **out, evidence_row, 0, (void **)out, n, NULL, err);
}
