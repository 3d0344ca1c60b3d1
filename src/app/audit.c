/*
 * audit.c — appending to, chaining, listing and verifying the hash-chained
 * audit log. An entry is written in its use case's own transaction, so it
 * exists exactly when the change it describes does. Its place in the chain
 * (seq, prev_hash, hash) comes from the single audit_head row, which
 * serialises whoever chains:
 *  - on SQLite the use case chains its entry at once (its transaction holds
 *    the database's one write lock anyway);
 *  - on PostgreSQL the use case writes the entry pending (no seq yet, no
 *    lock taken), and a sequencer chains the committed pending entries in
 *    order of id, in batches, one sequencer at a time (the head row's lock):
 *    a server's sequencer thread every few milliseconds, and every reader
 *    of the chain (list, verify, head) before it reads. Writers never wait
 *    for each other on the chain.
 * Depends on core/ and store/.
 */
#include "app/audit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/util.h"
#include "core/audit.h"
#include "core/bjtime.h"
#include "core/utf8.h"

static void
entry_hash(const audit_entry_t *e, const char *prev, char out[65])
{
    char stack[2048];
    size_t n = audit_canonical(e, prev, stack, sizeof stack);
    if (n < sizeof stack) {
        app_sha256_hex(stack, n, out);
        return;
    }
    char *buf = malloc(n + 1);
    if (buf == NULL) { /* cannot happen for sane summaries; hash a marker so verify fails */
        app_sha256_hex("oom", 3, out);
        return;
    }
    audit_canonical(e, prev, buf, n + 1);
    app_sha256_hex(buf, n, out);
    free(buf);
}

/* The head row: the last entry's seq and hash; lock: "" or a locking clause. */
static cy_status_t
head_read(store_conn_t *c, const char *lock, int64_t *seq, char hash[65], int *found,
          cy_error_t *err)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT seq, hash FROM audit_head WHERE id = 1%s", lock);
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, NULL, 0, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    *found = k == 1;
    if (*found) {
        *seq = store_row_int(r, "seq");
        store_row_copy(r, "hash", hash, 65);
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

static cy_status_t
head_missing(cy_error_t *err)
{
    return cy_error_set(err, CY_EIO, "audit_head", NULL,
                        "审计链头缺失 / the audit head is missing");
}

#define RECORD_COLS                                                                                \
    "seq, at, user_id, org_id, actor, action, object_type, object_id, summary, prev_hash, hash"

static const store_col_t RECORD_MAP[] = {
    STORE_COL(audit_record_t, seq),         STORE_COL(audit_record_t, user_id),
    STORE_COL(audit_record_t, org_id),      STORE_COL(audit_record_t, at),
    STORE_COL(audit_record_t, actor),       STORE_COL(audit_record_t, action),
    STORE_COL(audit_record_t, object_type), STORE_COL(audit_record_t, object_id),
    STORE_COL(audit_record_t, summary),     STORE_COL(audit_record_t, prev_hash),
    STORE_COL(audit_record_t, hash)};

static void
record_from_row(const store_rows_t *r, audit_record_t *e)
{
    store_row_read(r, RECORD_MAP, STORE_COLS_N(RECORD_MAP), e);
}

/* The fields the hash covers, of a stored record. */
static audit_entry_t
entry_of(const audit_record_t *e)
{
    return (audit_entry_t){.seq = e->seq,
                           .at = e->at,
                           .user_id = e->user_id,
                           .org_id = e->org_id,
                           .actor = e->actor,
                           .action = e->action,
                           .object_type = e->object_type,
                           .object_id = e->object_id,
                           .summary = e->summary};
}

/*
 * Stores e: chained, with its seq, prev_hash and hash, or pending (seq 0):
 * without them, sent with the transaction's next statement or its commit.
 */
static cy_status_t
entry_insert(store_conn_t *c, const audit_record_t *e, cy_error_t *err)
{
    int chained = e->seq > 0;
    store_param_t p[] = {chained ? STORE_P_INT(e->seq) : STORE_P_NULL,
                         STORE_P_TEXT(e->at),
                         STORE_P_INT(e->user_id),
                         STORE_P_INT(e->org_id),
                         STORE_P_TEXT(e->actor),
                         STORE_P_TEXT(e->action),
                         STORE_P_TEXT(e->object_type),
                         STORE_P_TEXT(e->object_id),
                         STORE_P_TEXT(e->summary),
                         STORE_P_TEXT(chained ? e->prev_hash : NULL),
                         STORE_P_TEXT(chained ? e->hash : NULL)};
    const char *sql = "INSERT INTO audit_log (" RECORD_COLS ") VALUES ($1, $2, $3, $4, $5, $6, "
                      "$7, $8, $9, $10, $11)";
    return chained ? store_exec(c, sql, p, 11, NULL, err) : store_exec_later(c, sql, p, 11, err);
}

cy_status_t
app_audit_append(store_conn_t *c, const actor_t *actor, int64_t now, const char *action,
                 const char *object_type, const char *object_id, cy_error_t *err, const char *fmt,
                 ...)
{
    audit_record_t e = {.user_id = actor->user_id, .org_id = actor->org_id};
    if (object_id == NULL)
        object_id = "";
    if (strlen(action) >= sizeof e.action || strlen(object_type) >= sizeof e.object_type ||
        strlen(object_id) >= sizeof e.object_id || strlen(actor->username) >= sizeof e.actor)
        return cy_error_set(err, CY_EIO, "audit_field_long", NULL,
                            "审计记录字段过长：%s / an audit field is too long: %s", action,
                            action);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.summary, sizeof e.summary, fmt, ap);
    va_end(ap);
    utf8_trim_partial(e.summary); /* a cut summary still holds whole characters */
    utc_format_iso(now, e.at);
    snprintf(e.actor, sizeof e.actor, "%s", actor->username);
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.object_type, sizeof e.object_type, "%s", object_type);
    snprintf(e.object_id, sizeof e.object_id, "%s", object_id);

    if (store_conn_backend(c) == STORE_POSTGRESQL) /* pending: chained by the sequencer */
        return entry_insert(c, &e, err);
    /* bumping the head first serialises appenders: the chain never forks */
    cy_status_t st =
        store_exec(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1", NULL, 0, NULL, err);
    int found = 0;
    if (st == CY_OK)
        st = head_read(c, "", &e.seq, e.prev_hash, &found, err);
    if (st == CY_OK && !found)
        st = head_missing(err);
    if (st != CY_OK)
        return st;
    audit_entry_t h = entry_of(&e);
    entry_hash(&h, e.prev_hash, e.hash);
    st = entry_insert(c, &e, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_TEXT(e.hash)};
    return store_exec(c, "UPDATE audit_head SET hash = $1 WHERE id = 1", q, 1, NULL, err);
}

/* ---------- the sequencer (PostgreSQL) ---------- */

#define BATCH 500

/* Appends v to a PostgreSQL array literal being built in b ("{" … "}"), growing it. */
typedef struct {
    char *s;
    size_t n, cap;
} array_t;

static int
array_add(array_t *b, const char *v)
{
    size_t k = strlen(v);
    if (b->n + k + 3 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + k;
        char *t = realloc(b->s, cap);
        if (t == NULL)
            return 0;
        b->s = t;
        b->cap = cap;
    }
    b->s[b->n] = b->n == 0 ? '{' : ',';
    b->n++;
    memcpy(b->s + b->n, v, k);
    b->n += k;
    strcpy(b->s + b->n, "}");
    return 1;
}

/* The pending entries chained onto the head: their ids, seqs, prev hashes and hashes. */
typedef struct {
    array_t id, seq, prev, hash;
    int64_t n, last_seq;
    char last_hash[65];
} batch_t;

static void
batch_free(batch_t *b)
{
    free(b->id.s);
    free(b->seq.s);
    free(b->prev.s);
    free(b->hash.s);
}

/* Reads up to BATCH pending entries in order of id and links each to the one before. */
static cy_status_t
batch_link(store_conn_t *c, batch_t *b, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(BATCH)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, " RECORD_COLS " FROM audit_log WHERE seq IS NULL "
                                 "ORDER BY id LIMIT $1",
                                 p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k, ok = 1;
    audit_record_t e;
    while (ok && (k = store_rows_next(r, err)) == 1) {
        char id[24], seq[24];
        record_from_row(r, &e);
        e.seq = ++b->last_seq;
        audit_entry_t h = entry_of(&e);
        entry_hash(&h, b->last_hash, e.hash);
        snprintf(id, sizeof id, "%" PRId64, store_row_int(r, "id"));
        snprintf(seq, sizeof seq, "%" PRId64, e.seq);
        ok = array_add(&b->id, id) && array_add(&b->seq, seq) &&
             array_add(&b->prev, b->last_hash) && array_add(&b->hash, e.hash);
        snprintf(b->last_hash, sizeof b->last_hash, "%s", e.hash);
        b->n++;
    }
    store_rows_free(r);
    if (!ok)
        return cy_error_no_memory(err);
    return k < 0 ? err->status : CY_OK;
}

/*
 * One batch, in c's transaction: takes the head (waiting for another
 * sequencer, or when skip, leaving the work to it), chains up to BATCH
 * pending entries, moves the head. *chained: how many.
 */
static cy_status_t
chain_batch(store_conn_t *c, int skip, int64_t *chained, cy_error_t *err)
{
    *chained = 0;
    batch_t b = {0};
    int found = 0;
    cy_status_t st = head_read(c, skip ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE", &b.last_seq,
                               b.last_hash, &found, err);
    if (st == CY_OK && !found && skip) {
        /* another sequencer holds the head (then the work is its), or the head is missing */
        st = head_read(c, "", &b.last_seq, b.last_hash, &found, err);
        if (st == CY_OK && found)
            return CY_OK;
    }
    if (st == CY_OK && !found)
        st = head_missing(err);
    if (st == CY_OK)
        st = batch_link(c, &b, err);
    if (st == CY_OK && b.n > 0) {
        store_param_t p[] = {STORE_P_TEXT(b.id.s), STORE_P_TEXT(b.seq.s), STORE_P_TEXT(b.prev.s),
                             STORE_P_TEXT(b.hash.s)};
        st = store_exec(c,
                        "UPDATE audit_log SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
                        "FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS "
                        "TEXT[]), CAST($4 AS TEXT[])) AS v(id, seq, prev_hash, hash) "
                        "WHERE audit_log.id = v.id",
                        p, 4, NULL, err);
        store_param_t q[] = {STORE_P_INT(b.last_seq), STORE_P_TEXT(b.last_hash)};
        if (st == CY_OK)
            st = store_exec(c, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", q, 2, NULL,
                            err);
    }
    if (st == CY_OK)
        *chained = b.n;
    batch_free(&b);
    return st;
}

/*
 * Chains every entry pending when it starts (PostgreSQL; on SQLite none
 * ever is), a batch a transaction. skip: leave it to a sequencer already at
 * work instead of waiting for it.
 */
static cy_status_t
chain_pending(app_t *app, int skip, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (int64_t chained = BATCH; st == CY_OK && chained == BATCH;) {
        store_conn_t *c;
        int64_t pending = 0;
        int any = 0;
        if ((st = store_acquire(app->store, &c, err)) != CY_OK)
            break;
        /* most of the time there is nothing to do: say so without a transaction */
        st = store_query_int(c, "SELECT id FROM audit_log WHERE seq IS NULL LIMIT 1", NULL, 0,
                             &pending, &any, err);
        store_release(app->store, c);
        if (st != CY_OK || !any)
            break;
        if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
            break;
        st = store_tx_close(app->store, c, chain_batch(c, skip, &chained, err), err);
    }
    return st;
}

/* Before a reader reads the chain: every entry committed so far chained (best effort). */
static void
chain_settle(app_t *app)
{
    cy_error_t ignored; /* a failure shows again in the read that follows */
    if (store_backend(app->store) == STORE_POSTGRESQL)
        chain_pending(app, 0, &ignored);
}

struct audit_sequencer {
    app_t *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

#define SEQUENCER_PERIOD_MS 20

static void *
sequencer_main(void *arg)
{
    audit_sequencer_t *q = arg;
    pthread_mutex_lock(&q->mu);
    while (!q->stop) {
        pthread_mutex_unlock(&q->mu);
        cy_error_t err;
        if (chain_pending(q->app, 1, &err) != CY_OK)
            fprintf(stderr, "cyberins audit sequencer: %s\n", err.message);
        /* the wait is measured on the monotonic clock, not the time of day */
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_nsec += SEQUENCER_PERIOD_MS * 1000000L;
        t.tv_sec += t.tv_nsec / 1000000000L;
        t.tv_nsec %= 1000000000L;
        pthread_mutex_lock(&q->mu);
        if (!q->stop)
            pthread_cond_timedwait(&q->cv, &q->mu, &t);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

cy_status_t
app_audit_sequencer_start(app_t *app, cy_error_t *err)
{
    audit_sequencer_t *q = calloc(1, sizeof *q);
    if (q == NULL)
        return cy_error_no_memory(err);
    q->app = app;
    pthread_mutex_init(&q->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&q->thread, NULL, sequencer_main, q) != 0) {
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->cv);
        free(q);
        return cy_error_set(err, CY_ENOMEM, "no_thread", NULL,
                            "无法启动审计链排序线程 / cannot start the audit sequencer");
    }
    app->sequencer = q;
    return CY_OK;
}

void
app_audit_sequencer_stop(app_t *app)
{
    audit_sequencer_t *q = app->sequencer;
    if (q == NULL)
        return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    free(q);
    app->sequencer = NULL;
}

static void
broken(audit_verify_t *out, int64_t seq, const char *fmt_zh_en, int64_t a)
{
    out->ok = 0;
    out->broken_seq = seq;
    snprintf(out->reason, sizeof out->reason, fmt_zh_en, a, a);
}

/* Checks entry e against the chain so far (prev, *expect); advances both when it verifies. */
static void
check_entry(const audit_record_t *e, char prev[65], int64_t *expect, audit_verify_t *out)
{
    if (e->seq != *expect) {
        broken(out, *expect, "审计记录 %" PRId64 " 缺失 / audit entry %" PRId64 " is missing",
               *expect);
        return;
    }
    audit_entry_t h = entry_of(e);
    char hash[65];
    entry_hash(&h, prev, hash);
    if (strcmp(e->prev_hash, prev) != 0) {
        broken(out, e->seq,
               "审计记录 %" PRId64 " 的前一哈希与链不符 / audit entry %" PRId64
               " does not link to the entry before it",
               e->seq);
    } else if (strcmp(hash, e->hash) != 0) {
        broken(out, e->seq,
               "审计记录 %" PRId64 " 的内容已被改动（哈希不符） / audit entry %" PRId64
               " was altered (hash mismatch)",
               e->seq);
    } else {
        snprintf(prev, 65, "%s", e->hash);
        out->entries++;
        (*expect)++;
    }
}

/*
 * Walks the entries in order, a page at a time; prev ends as the last good
 * hash, out->anchor_seq as the entry whose hash is anchor (NULL: none).
 */
static cy_status_t
verify_entries(store_conn_t *c, const char *anchor, char prev[65], audit_verify_t *out,
               cy_error_t *err)
{
    int64_t expect = 1;
    /* page by seq so PostgreSQL never holds the whole log in memory */
    for (int more = 1; more && out->ok;) {
        store_param_t p[] = {STORE_P_INT(expect)};
        store_rows_t *r;
        cy_status_t st = store_query(c,
                                     "SELECT " RECORD_COLS " FROM audit_log WHERE seq >= $1 "
                                     "ORDER BY seq LIMIT 5000",
                                     p, 1, &r, err);
        if (st != CY_OK)
            return st;
        int n = 0, k;
        audit_record_t e;
        while (out->ok && (k = store_rows_next(r, err)) == 1) {
            n++;
            record_from_row(r, &e);
            check_entry(&e, prev, &expect, out);
            if (out->ok && anchor != NULL && strcmp(e.hash, anchor) == 0)
                out->anchor_seq = e.seq;
        }
        store_rows_free(r);
        if (k < 0)
            return err->status;
        more = n == 5000;
    }
    return CY_OK;
}

/* The end of a whole chain: the head must be there and name its last entry; the anchor in it. */
static void
verify_end(int head_found, int64_t head_seq, const char *head_hash, const char *last_hash,
           const char *anchor, audit_verify_t *out)
{
    if (!head_found) {
        out->ok = 0; /* nothing else vouches for the end of the chain */
        snprintf(out->reason, sizeof out->reason,
                 "审计链头缺失，无法确认链尾完整 / the audit head is missing: the end of the "
                 "chain cannot be vouched for");
    } else if (head_seq != out->entries || strcmp(head_hash, last_hash) != 0) {
        broken(out, out->entries + 1,
               "审计链尾部被截断：记录 %" PRId64 " 起缺失 / the audit chain was cut: "
               "entries from %" PRId64 " are missing",
               out->entries + 1);
    } else if (anchor != NULL && out->anchor_seq == 0) {
        out->ok = 0;
        snprintf(out->reason, sizeof out->reason,
                 "没有哈希为 %.16s… 的记录：审计链被截断或改写 / no entry has the expected "
                 "hash %.16s…: the chain was cut or rewritten",
                 anchor, anchor);
    }
}

static cy_status_t
may_verify(const actor_t *a, cy_error_t *err)
{
    if (!a->cli && !authz_allowed(a->org_type, a->role, ACT_AUDIT_VERIFY))
        return app_forbidden(err, ACT_AUDIT_VERIFY);
    return CY_OK;
}

cy_status_t
app_audit_verify(app_t *app, const actor_t *actor, const char *expect, audit_verify_t *out,
                 cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = may_verify(actor, err);
    if (st != CY_OK)
        return st;
    if (expect != NULL && (strlen(expect) != 64 || strspn(expect, "0123456789abcdef") != 64))
        return cy_error_set(err, CY_EBADREQ, "expect_invalid", "expect",
                            "expect 应为 64 位小写十六进制的哈希 / expect must be a hash of 64 "
                            "lower-case hex digits");
    out->ok = 1;
    chain_settle(app);
    store_conn_t *c;
    if ((st = store_acquire(app->store, &c, err)) != CY_OK)
        return st;
    char prev[65] = AUDIT_GENESIS, head_hash[65] = "";
    int64_t head_seq = 0;
    int found = 0;
    /* the entries and the head as of one moment, while others go on appending */
    st = store_snapshot_begin(c, err);
    if (st == CY_OK)
        st = verify_entries(c, expect, prev, out, err);
    if (st == CY_OK && out->ok)
        st = head_read(c, "", &head_seq, head_hash, &found, err);
    store_rollback(c);
    store_release(app->store, c);
    if (st == CY_OK && out->ok)
        verify_end(found, head_seq, head_hash, prev, expect, out);
    return st;
}

cy_status_t
app_audit_head(app_t *app, const actor_t *actor, int64_t *seq, char hash[65], cy_error_t *err)
{
    cy_status_t st = may_verify(actor, err);
    if (st != CY_OK)
        return st;
    chain_settle(app);
    store_conn_t *c;
    if ((st = store_acquire(app->store, &c, err)) != CY_OK)
        return st;
    int found = 0;
    st = head_read(c, "", seq, hash, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        return head_missing(err);
    return st;
}

cy_status_t
app_audit_list(app_t *app, const actor_t *actor, const audit_filter_t *f, const app_page_t *page,
               audit_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_AUDIT_READ))
        return app_forbidden(err, ACT_AUDIT_READ);
    chain_settle(app);
    int limit = page->limit < 1 || page->limit > APP_PAGE_MAX ? APP_PAGE_DEFAULT : page->limit;
    out->items = calloc((size_t)limit, sizeof *out->items);
    if (out->items == NULL)
        return cy_error_no_memory(err);
    int all = actor->cli || authz_sees_all(actor->org_type);
    store_param_t p[] = {STORE_P_INT(page->cursor > 0 ? page->cursor : INT64_MAX),
                         STORE_P_INT(all),
                         STORE_P_INT(actor->org_id),
                         STORE_P_TEXT(f->object_type),
                         STORE_P_TEXT(f->object_id),
                         STORE_P_INT(limit + 1)};
    store_conn_t *c;
    store_rows_t *r;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st == CY_OK) {
        st = store_query(c,
                         "SELECT " RECORD_COLS " FROM audit_log WHERE seq < $1 "
                         "AND ($2 = 1 OR org_id = $3) AND (CAST($4 AS TEXT) IS NULL OR "
                         "object_type = $4) AND (CAST($5 AS TEXT) IS NULL OR object_id = $5) "
                         "ORDER BY seq DESC LIMIT $6",
                         p, 6, &r, err);
        int k = 0;
        while (st == CY_OK && (k = store_rows_next(r, err)) == 1) {
            if (out->n == (size_t)limit) {
                out->next = store_row_int(r, "seq") + 1; /* "older than" is exclusive */
                break;
            }
            record_from_row(r, &out->items[out->n++]);
        }
        if (st == CY_OK)
            store_rows_free(r);
        if (k < 0)
            st = err->status;
        store_release(app->store, c);
    }
    if (st != CY_OK)
        audit_list_free(out);
    return st;
}

void
audit_list_free(audit_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}
