/*
 * audit.h — the hash-chained audit log. Every write of a use case appends
 * one entry inside the use case's own transaction, so an entry exists
 * exactly when the change it describes does.
 */
#ifndef CY_APP_AUDIT_H
#define CY_APP_AUDIT_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

/*
 * app_audit_append appends an entry for actor, made at now (UTC seconds),
 * inside the open transaction of c. object_id may be NULL. The summary is formatted from fmt.
 */
cy_status_t app_audit_append(store_conn_t *c, const actor_t *actor, int64_t now, const char *action,
                             const char *object_type, const char *object_id, cy_error_t *err,
                             const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The result of walking the chain. */
typedef struct {
    int ok;
    int64_t entries;    /* entries checked */
    int64_t broken_seq; /* the first entry that does not verify (0 if ok) */
    char reason[256];   /* why, in Chinese and English */
} audit_verify_t;

/* app_audit_verify walks the whole chain (needs ACT_AUDIT_VERIFY). */
cy_status_t app_audit_verify(app_t *app, const actor_t *actor, audit_verify_t *out,
                             cy_error_t *err);

/*
 * app_audit_list: entries newest first, at most limit, older than cursor
 * (0: from the newest); scope: everything for ministry and support center,
 * else the caller's organisation's entries. *next is the cursor of the next
 * page or 0. Each entry is passed to fn.
 */
typedef struct {
    int64_t seq;
    const char *at, *actor, *action, *object_type, *object_id, *summary, *prev_hash, *hash;
    int64_t user_id, org_id;
} audit_row_t;

typedef void (*audit_row_fn)(const audit_row_t *row, void *arg);

cy_status_t app_audit_list(app_t *app, const actor_t *actor, int64_t cursor, int limit,
                           const char *object_type, const char *object_id, audit_row_fn fn,
                           void *arg, int64_t *next, cy_error_t *err);

#endif
