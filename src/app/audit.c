/*
 * audit.c — appending to, listing and verifying the hash-chained audit log.
 * Appending first bumps the single audit_head row, which serialises
 * concurrent appenders on PostgreSQL (row lock) as on SQLite (write lock),
 * so the chain never forks. Depends on core/ and store/.
 */
#include "app/audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

cy_status_t
app_audit_append(store_conn_t *c, const actor_t *actor, int64_t now, const char *action,
                 const char *object_type, const char *object_id, cy_error_t *err, const char *fmt,
                 ...)
{
    char summary[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(summary, sizeof summary, fmt, ap);
    va_end(ap);
    utf8_trim_partial(summary); /* a cut summary still holds whole characters */

    cy_status_t st =
        store_exec(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1", NULL, 0, NULL, err);
    if (st != CY_OK)
        return st;
    store_rows_t *r;
    st = store_query(c, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &r, err);
    if (st != CY_OK)
        return st;
    if (store_rows_next(r, err) != 1) {
        store_rows_free(r);
        return cy_error_set(err, CY_EIO, "audit_head", NULL, "审计链头缺失 / audit head missing");
    }
    int64_t seq = store_rows_int(r, 0);
    char prev[65];
    snprintf(prev, sizeof prev, "%s", store_rows_text(r, 1));
    store_rows_free(r);

    char at[32], hash[65];
    utc_format_iso(now, at);
    audit_entry_t e = {
        .seq = seq,
        .at = at,
        .user_id = actor->user_id,
        .org_id = actor->org_id,
        .actor = actor->username,
        .action = action,
        .object_type = object_type,
        .object_id = object_id ? object_id : "",
        .summary = summary,
    };
    entry_hash(&e, prev, hash);
    store_param_t p[] = {
        STORE_P_INT(seq),          STORE_P_TEXT(at),          STORE_P_INT(e.user_id),
        STORE_P_INT(e.org_id),     STORE_P_TEXT(e.actor),     STORE_P_TEXT(action),
        STORE_P_TEXT(object_type), STORE_P_TEXT(e.object_id), STORE_P_TEXT(summary),
        STORE_P_TEXT(prev),        STORE_P_TEXT(hash)};
    st = store_exec(c,
                    "INSERT INTO audit_log (seq, at, user_id, org_id, actor, action, object_type, "
                    "object_id, summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                    "$9, $10, $11)",
                    p, 11, NULL, err);
    if (st != CY_OK)
        return st;
    store_param_t h[] = {STORE_P_TEXT(hash)};
    return store_exec(c, "UPDATE audit_head SET hash = $1 WHERE id = 1", h, 1, NULL, err);
}

static void
broken(audit_verify_t *out, int64_t seq, const char *fmt_zh_en, int64_t a)
{
    out->ok = 0;
    out->broken_seq = seq;
    snprintf(out->reason, sizeof out->reason, fmt_zh_en, a, a);
}

cy_status_t
app_audit_verify(app_t *app, const actor_t *actor, audit_verify_t *out, cy_error_t *err)
{
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_AUDIT_VERIFY))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权校验审计链 / not allowed to verify the audit chain");
    memset(out, 0, sizeof *out);
    out->ok = 1;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    char prev[65] = AUDIT_GENESIS;
    int64_t expect = 1;
    /* page by seq so PostgreSQL never holds the whole log in memory */
    for (int more = 1; more && out->ok && st == CY_OK;) {
        store_param_t p[] = {STORE_P_INT(expect)};
        store_rows_t *r;
        st = store_query(c,
                         "SELECT seq, at, user_id, org_id, actor, action, object_type, object_id, "
                         "summary, prev_hash, hash FROM audit_log WHERE seq >= $1 ORDER BY seq "
                         "LIMIT 5000",
                         p, 1, &r, err);
        if (st != CY_OK)
            break;
        int n = 0, k;
        while (out->ok && (k = store_rows_next(r, err)) == 1) {
            n++;
            int64_t seq = store_rows_int(r, 0);
            if (seq != expect) {
                broken(out, expect,
                       "审计记录 %" PRId64 " 缺失 / audit entry %" PRId64 " is missing", expect);
                break;
            }
            audit_entry_t e = {
                .seq = seq,
                .at = store_rows_text(r, 1),
                .user_id = store_rows_int(r, 2),
                .org_id = store_rows_int(r, 3),
                .actor = store_rows_text(r, 4),
                .action = store_rows_text(r, 5),
                .object_type = store_rows_text(r, 6),
                .object_id = store_rows_text(r, 7),
                .summary = store_rows_text(r, 8),
            };
            const char *stored_prev = store_rows_text(r, 9);
            const char *stored_hash = store_rows_text(r, 10);
            char h[65];
            entry_hash(&e, prev, h);
            if (strcmp(stored_prev, prev) != 0) {
                broken(out, seq,
                       "审计记录 %" PRId64 " 的前一哈希与链不符 / audit entry %" PRId64
                       " does not link to the entry before it",
                       seq);
            } else if (strcmp(h, stored_hash) != 0) {
                broken(out, seq,
                       "审计记录 %" PRId64 " 的内容已被改动（哈希不符） / audit entry %" PRId64
                       " was altered (hash mismatch)",
                       seq);
            } else {
                snprintf(prev, sizeof prev, "%s", stored_hash);
                out->entries++;
                expect++;
            }
        }
        store_rows_free(r);
        more = n == 5000;
    }
    if (st == CY_OK && out->ok) {
        /* the head must name the last entry: catches entries cut off the end */
        store_rows_t *r;
        st = store_query(c, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &r, err);
        if (st == CY_OK) {
            if (store_rows_next(r, err) == 1 &&
                (store_rows_int(r, 0) != expect - 1 || strcmp(store_rows_text(r, 1), prev) != 0))
                broken(out, expect,
                       "审计链尾部被截断：记录 %" PRId64 " 起缺失 / the audit chain was cut: "
                       "entries from %" PRId64 " are missing",
                       expect);
            store_rows_free(r);
        }
    }
    store_release(app->store, c);
    return st;
}

cy_status_t
app_audit_list(app_t *app, const actor_t *actor, int64_t cursor, int limit, const char *object_type,
               const char *object_id, audit_row_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!actor->cli && !authz_allowed(actor->org_type, actor->role, ACT_AUDIT_READ))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权查看审计日志 / not allowed to read the audit log");
    int all = actor->cli || authz_sees_all(actor->org_type);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(cursor > 0 ? cursor : INT64_MAX),
                         STORE_P_INT(all),
                         STORE_P_INT(actor->org_id),
                         STORE_P_TEXT(object_type),
                         STORE_P_TEXT(object_id),
                         STORE_P_INT(limit + 1)};
    store_rows_t *r;
    st = store_query(
        c,
        "SELECT seq, at, user_id, org_id, actor, action, object_type, object_id, "
        "summary, prev_hash, hash FROM audit_log WHERE seq < $1 "
        "AND ($2 = 1 OR org_id = $3) AND (CAST($4 AS TEXT) IS NULL OR object_type = $4) "
        "AND (CAST($5 AS TEXT) IS NULL OR object_id = $5) ORDER BY seq DESC LIMIT $6",
        p, 6, &r, err);
    if (st == CY_OK) {
        int n = 0, k;
        while ((k = store_rows_next(r, err)) == 1) {
            int64_t seq = store_rows_int(r, 0);
            if (n == limit) {
                *next = seq + 1; /* "older than" is exclusive */
                break;
            }
            audit_row_t row = {
                .seq = seq,
                .at = store_rows_text(r, 1),
                .user_id = store_rows_int(r, 2),
                .org_id = store_rows_int(r, 3),
                .actor = store_rows_text(r, 4),
                .action = store_rows_text(r, 5),
                .object_type = store_rows_text(r, 6),
                .object_id = store_rows_text(r, 7),
                .summary = store_rows_text(r, 8),
                .prev_hash = store_rows_text(r, 9),
                .hash = store_rows_text(r, 10),
            };
            fn(&row, arg);
            n++;
        }
        if (k < 0)
            st = err->status;
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}
