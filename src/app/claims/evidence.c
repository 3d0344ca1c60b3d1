/*
 * evidence.c — a claim's evidence chain (溯源取证, claims.h): items whose
 * content is a blob written in the same transaction as their row, custody
 * transfers of items, each link hashed onto the one before it, and the chain
 * checked against its rows and its blobs as they are now (the check
 * `cyberins evidence verify` and the evidence list show). Use-case file.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/blob/blob.h"
#include "app/claims/internal.h"
#include "app/engage/engage.h"
#include "app/util.h"
#include "core/bjtime.h"

/* What an evidence item may be: data/claims/rules.json evidence_media_types; its size the
   server's --max-upload (256 MiB unless configured). */
static blob_rules_t
evidence_rules(const app_t *app)
{
    return (blob_rules_t){.purpose = "evidence", .media_types = claims_rules(app)->evidence_types};
}

static const char GENESIS[65] = "0000000000000000000000000000000000000000000000000000000000000000";

static const claims_field_t F_DESCRIPTION = {"description", "证据说明", "the description"};
static const claims_field_t F_BY = {"collected_by", "取证人", "who collected it"};
static const claims_field_t F_AT = {"collected_at", "取证时间", "when it was collected"};
static const claims_field_t F_METHOD = {"method", "取证方法", "how it was collected"};
static const claims_field_t F_FROM = {"from_holder", "移交人", "who handed it over"};
static const claims_field_t F_TO = {"to_holder", "接收人", "who received it"};
static const claims_field_t F_HOW = {"method", "移交方式", "how it was handed over"};
static const claims_field_t F_NOTE = {"note", "备注", "the note"};

/*
 * The hash of link e: SHA-256 of its canonical text (docs/claims.md), every
 * field as name=length:value on a line of its own, after the previous hash.
 */
void
claims_link_hash(const claims_evidence_t *e, char out[65])
{
    char buf[8192];
    int n = snprintf(buf, sizeof buf,
                     "cyberins-evidence-v1\nprev=%s\nclaim=%" PRId64 "\nseq=%d\nkind=%s\n"
                     "item=%d\nblob=%" PRId64 "\nsha256=%s\nsize=%" PRId64 "\n",
                     e->prev_hash, e->claim_id, e->seq, e->kind, e->item_seq, e->blob_id, e->sha256,
                     e->size);
    const char *names[] = {"media_type",   "filename",     "description",
                           "collected_by", "collected_at", "method",
                           "from_holder",  "to_holder",    "created_at"};
    const char *values[] = {e->media_type,   e->filename,     e->description,
                            e->collected_by, e->collected_at, e->method,
                            e->from_holder,  e->to_holder,    e->created_at};
    for (size_t i = 0; i < sizeof names / sizeof *names && n > 0 && (size_t)n < sizeof buf; i++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "%s=%zu:%s\n", names[i], strlen(values[i]),
                      values[i]);
    n += snprintf(buf + n, sizeof buf - (size_t)n, "org=%" PRId64 "\nuser=%" PRId64 "\n", e->org_id,
                  e->user_id);
    app_sha256_hex(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, out);
}

/* A link's place after the chain so far (items, n of them): its seq and previous hash. */
static void
link_after(const claims_evidence_t *items, size_t n, claims_evidence_t *e)
{
    e->seq = n ? items[n - 1].seq + 1 : 1;
    claims_copy(e->prev_hash, sizeof e->prev_hash, n ? items[n - 1].hash : GENESIS);
}

/*
 * Into claim id for act: a party other than an operator, the claim not
 * closed, and a responder engaged by the insured for claims. Inside c.
 */
static cy_status_t
enter_for_evidence(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
                   claims_claim_t *cl, cy_error_t *err)
{
    claims_party_t party;
    cy_status_t st = claims_enter(c, a, now, id, ACT_CLAIM_EVIDENCE, PARTY_NONE, cl, &party, err);
    if (st == CY_OK && party == PARTY_OPERATOR && !a->cli)
        st = app_forbidden(err, ACT_CLAIM_EVIDENCE);
    if (st == CY_OK && party == PARTY_RESPONDER)
        st = engage_require(app, c, a, cl->insured_org_id, "claims", now, err);
    if (st == CY_OK && strcmp(cl->status, "closed") == 0)
        st = cy_error_set(err, CY_ECONFLICT, "claim_closed", "status",
                          "理赔已结案，请先重开 / the claim is closed: reopen it first");
    return st;
}

/* The link's author, time, place and hash; then it is stored and the claim's step recorded. */
static cy_status_t
link_store(store_conn_t *c, const actor_t *a, int64_t now, claims_claim_t *cl, claims_evidence_t *e,
           cy_error_t *err)
{
    claims_evidence_t *items = NULL;
    size_t n = 0;
    e->claim_id = cl->id;
    e->org_id = a->org_id;
    e->user_id = a->user_id;
    utc_format_iso(now, e->created_at);
    cy_status_t st = claims_evidence_read(c, cl->id, &items, &n, err);
    link_after(items, n, e);
    if (strcmp(e->kind, "item") == 0)
        e->item_seq = e->seq;
    free(items);
    claims_link_hash(e, e->hash);
    if (st == CY_OK)
        st = claims_evidence_insert(c, e, err);
    if (st == CY_OK && strcmp(e->kind, "item") == 0)
        st = claims_step(c, a, now, cl, "claim.evidence", NULL, "", err,
                         "证据 %d：%s（%" PRId64 " 字节，SHA-256 %s） / evidence %d: %s (%" PRId64
                         " bytes, SHA-256 %s)",
                         e->seq, e->filename, e->size, e->sha256, e->seq, e->filename, e->size,
                         e->sha256);
    else if (st == CY_OK)
        st = claims_step(c, a, now, cl, "claim.custody", NULL, "", err,
                         "证据 %d 由 %s 移交 %s / evidence %d handed from %s to %s", e->item_seq,
                         e->from_holder, e->to_holder, e->item_seq, e->from_holder, e->to_holder);
    return st;
}

static cy_status_t
evidence_check(const claims_evidence_in_t *in, int64_t now, claims_evidence_t *e, cy_error_t *err)
{
    cy_status_t st = claims_text(in->description, &F_DESCRIPTION, 1000, 1, err);
    if (st == CY_OK)
        st = claims_text(in->collected_by, &F_BY, 200, 0, err);
    if (st == CY_OK)
        st = claims_text(in->method, &F_METHOD, 200, 1, err);
    int64_t at = now;
    if (st == CY_OK && in->collected_at != NULL)
        st = claims_time(in->collected_at, &F_AT, now, &at, err);
    claims_copy(e->kind, sizeof e->kind, "item");
    claims_copy(e->description, sizeof e->description, in->description);
    claims_copy(e->collected_by, sizeof e->collected_by, in->collected_by);
    claims_copy(e->method, sizeof e->method, in->method);
    utc_format_iso(at, e->collected_at);
    return st;
}

cy_status_t
claims_evidence_add(app_t *app, const actor_t *a, int64_t now, int64_t id,
                    const claims_evidence_in_t *in, claims_evidence_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    const blob_rules_t rules = evidence_rules(app);
    cy_status_t st = evidence_check(in, now, out, err);
    if (st == CY_OK)
        st = blob_check(in->upload, &rules, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    blob_t b;
    st = enter_for_evidence(app, c, a, now, id, &cl, err);
    if (st == CY_OK && out->collected_by[0] == '\0')
        claims_copy(out->collected_by, sizeof out->collected_by, a->username);
    if (st == CY_OK)
        st = blob_put(c, a, now, in->upload, &rules, &b, err);
    if (st == CY_OK) {
        out->blob_id = b.id;
        out->size = b.size;
        claims_copy(out->sha256, sizeof out->sha256, b.sha256);
        claims_copy(out->media_type, sizeof out->media_type, b.media_type);
        claims_copy(out->filename, sizeof out->filename, b.filename);
        st = link_store(c, a, now, &cl, out, err);
    }
    claims_claim_free(&cl);
    return store_tx_close(app->store, c, st, err);
}

static cy_status_t
custody_check(const claims_custody_in_t *in, claims_evidence_t *e, cy_error_t *err)
{
    cy_status_t st = claims_text(in->from_holder, &F_FROM, 200, 1, err);
    if (st == CY_OK)
        st = claims_text(in->to_holder, &F_TO, 200, 1, err);
    if (st == CY_OK)
        st = claims_text(in->method, &F_HOW, 200, 1, err);
    if (st == CY_OK)
        st = claims_text(in->note, &F_NOTE, 1000, 0, err);
    claims_copy(e->kind, sizeof e->kind, "custody");
    claims_copy(e->from_holder, sizeof e->from_holder, in->from_holder);
    claims_copy(e->to_holder, sizeof e->to_holder, in->to_holder);
    claims_copy(e->method, sizeof e->method, in->method);
    claims_copy(e->description, sizeof e->description, in->note);
    return st;
}

/* Item item_id of claim claim_id into the custody link e (its file's facts repeated), inside c. */
static cy_status_t
custody_of(store_conn_t *c, int64_t claim_id, int64_t item_id, claims_evidence_t *e,
           cy_error_t *err)
{
    claims_evidence_t *items = NULL;
    size_t n = 0;
    cy_status_t st = claims_evidence_read(c, claim_id, &items, &n, err);
    size_t k = 0;
    while (k < n && !(items[k].id == item_id && strcmp(items[k].kind, "item") == 0))
        k++;
    if (st == CY_OK && k == n)
        st = app_not_found(err, "证据", "evidence item", item_id);
    if (st == CY_OK) {
        e->item_seq = items[k].seq;
        claims_copy(e->sha256, sizeof e->sha256, items[k].sha256);
        e->size = items[k].size;
        claims_copy(e->media_type, sizeof e->media_type, items[k].media_type);
        claims_copy(e->filename, sizeof e->filename, items[k].filename);
        utc_format_iso(app_iso_to_time(items[k].collected_at), e->collected_at);
    }
    free(items);
    return st;
}

cy_status_t
claims_custody_add(app_t *app, const actor_t *a, int64_t now, int64_t id, int64_t item_id,
                   const claims_custody_in_t *in, claims_evidence_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = custody_check(in, out, err);
    store_conn_t *c;
    if (st != CY_OK || (st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    claims_claim_t cl;
    st = enter_for_evidence(app, c, a, now, id, &cl, err);
    if (st == CY_OK)
        st = custody_of(c, cl.id, item_id, out, err);
    claims_copy(out->collected_by, sizeof out->collected_by, out->from_holder);
    if (st == CY_OK)
        st = link_store(c, a, now, &cl, out, err);
    claims_claim_free(&cl);
    return store_tx_close(app->store, c, st, err);
}

/* ---------- the chain checked ---------- */

static void
bad(claims_chain_check_t *k, const claims_evidence_t *e, const char *zh, const char *en)
{
    k->ok = 0;
    k->bad_seq = e->seq;
    k->bad_id = e->id;
    claims_copy(k->bad_filename, sizeof k->bad_filename, e->filename);
    snprintf(k->reason, sizeof k->reason, "第 %d 条（%s）%s / link %d (%s) %s", e->seq, e->filename,
             zh, e->seq, e->filename, en);
}

/* One link after the chain items[0..i): its place, its hash, an item's blob as it is now. */
static cy_status_t
link_check(app_t *app, const claims_evidence_t *items, size_t i, claims_chain_check_t *k,
           cy_error_t *err)
{
    const claims_evidence_t *e = &items[i];
    char h[65];
    claims_link_hash(e, h);
    if (e->seq != (int)i + 1)
        bad(k, e, "序号不连续", "is out of sequence");
    else if (strcmp(e->prev_hash, i ? items[i - 1].hash : GENESIS) != 0)
        bad(k, e, "与前一条的哈希不衔接", "does not follow the link before it");
    else if (strcmp(h, e->hash) != 0)
        bad(k, e, "的记录在写入后被改动", "was changed after it was written");
    else if (strcmp(e->kind, "custody") == 0 && (e->item_seq < 1 || e->item_seq >= e->seq))
        bad(k, e, "移交的证据不在它之前", "hands over no earlier item");
    if (!k->ok || strcmp(e->kind, "item") != 0)
        return CY_OK;
    blob_verify_t v;
    cy_status_t st = e->blob_id > 0 ? blob_verify(app, e->blob_id, &v, err) : CY_ENOTFOUND;
    if (st == CY_ENOTFOUND) {
        bad(k, e, "的文件已不存在", "has lost its file");
        return CY_OK;
    }
    if (st == CY_OK && !v.ok)
        bad(k, e, "的文件已被改动", "has a file that was changed");
    else if (st == CY_OK && (strcmp(v.stored, e->sha256) != 0 || v.size != e->size))
        bad(k, e, "的文件不是登记的文件", "has a file other than the one recorded");
    return st;
}

cy_status_t
claims_chain_check(app_t *app, const claims_evidence_t *items, size_t n, claims_chain_check_t *k,
                   cy_error_t *err)
{
    memset(k, 0, sizeof *k);
    k->ok = 1;
    cy_status_t st = CY_OK;
    for (size_t i = 0; i < n && k->ok && st == CY_OK; i++)
        st = link_check(app, items, i, k, err);
    return st;
}

cy_status_t
claims_evidence_list(app_t *app, const actor_t *a, int64_t now, int64_t id,
                     claims_evidence_list_t *out, cy_error_t *err)
{
    (void)now;
    memset(out, 0, sizeof *out);
    claims_claim_t cl;
    cy_status_t st = claims_peek(app, a, id, ACT_CLAIM_READ, PARTY_NONE, &cl, err);
    claims_claim_free(&cl);
    store_conn_t *c;
    if (st != CY_OK || (st = store_acquire(app->store, &c, err)) != CY_OK)
        return st;
    st = claims_evidence_read(c, id, &out->items, &out->n, err);
    store_release(app->store, c);
    if (st == CY_OK)
        st = claims_chain_check(app, out->items, out->n, &out->check, err);
    if (st != CY_OK)
        claims_evidence_list_free(out);
    return st;
}

void
claims_evidence_list_free(claims_evidence_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

cy_status_t
claims_evidence_open(app_t *app, const actor_t *a, int64_t now, int64_t id, int64_t item_id,
                     blob_reader_t **out, cy_error_t *err)
{
    *out = NULL;
    claims_evidence_list_t l = {0};
    claims_claim_t cl;
    cy_status_t st = claims_peek(app, a, id, ACT_CLAIM_READ, PARTY_NONE, &cl, err);
    claims_claim_free(&cl);
    store_conn_t *c;
    if (st != CY_OK || (st = store_acquire(app->store, &c, err)) != CY_OK)
        return st;
    st = claims_evidence_read(c, id, &l.items, &l.n, err);
    store_release(app->store, c);
    (void)now;
    size_t k = 0;
    while (st == CY_OK && k < l.n && !(l.items[k].id == item_id && l.items[k].blob_id > 0))
        k++;
    if (st == CY_OK && k == l.n)
        st = app_not_found(err, "证据", "evidence item", item_id);
    if (st == CY_OK)
        st = blob_open(app, l.items[k].blob_id, out, err);
    claims_evidence_list_free(&l);
    return st;
}
