/*
 * audit.h — the hash-chained audit log. Every write of a use case appends
 * one entry inside the use case's own transaction, so an entry exists
 * exactly when the change it describes does. On PostgreSQL the entry is
 * chained (given its seq and hashes) a moment later by a sequencer, in
 * batches, so that writers never queue behind the chain's head; whoever
 * reads the chain (list, verify, head) has every committed entry chained
 * first, so no reader ever sees an entry unchained (audit.c).
 */
#ifndef CY_APP_AUDIT_H
#define CY_APP_AUDIT_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

/*
 * app_audit_append appends an entry for actor, made at now (UTC seconds),
 * inside the open transaction of c. object_id may be NULL. The summary is
 * formatted from fmt and cut to whole characters at 511 bytes; action,
 * object_type and object_id must fit audit_record_t (CY_EIO otherwise: a
 * caller's bug, refused so that every stored entry reads back whole).
 */
cy_status_t app_audit_append(store_conn_t *c, const actor_t *actor, int64_t now, const char *action,
                             const char *object_type, const char *object_id, cy_error_t *err,
                             const char *fmt, ...) __attribute__((format(printf, 8, 9)));

/* The result of walking the chain. */
typedef struct {
    int ok;
    int64_t entries;    /* entries checked */
    int64_t broken_seq; /* the first entry that does not verify (0 if ok, or none is to blame) */
    int64_t anchor_seq; /* the entry with the expected hash (0: none was expected) */
    char reason[256];   /* why, in Chinese and English */
} audit_verify_t;

/*
 * app_audit_verify walks the whole chain (needs ACT_AUDIT_VERIFY): every
 * entry's hash over the one before, and the head (audit_head) naming the
 * last entry; a missing head fails, since nothing else vouches for the end
 * of the chain. expect (NULL: none) is a hash kept outside the database
 * (app_audit_head, earlier): the chain must still hold an entry with it, so
 * a chain cut or rewritten together with its head fails too. A malformed
 * expect (not 64 lower-case hex digits) is CY_EBADREQ on field "expect".
 */
cy_status_t app_audit_verify(app_t *app, const actor_t *actor, const char *expect,
                             audit_verify_t *out, cy_error_t *err);

/*
 * app_audit_head: the chain's head, the last entry's seq and hash (needs
 * ACT_AUDIT_VERIFY), for an operator to keep outside the database.
 * CY_EIO "audit_head" when the head row is missing.
 */
cy_status_t app_audit_head(app_t *app, const actor_t *actor, int64_t *seq, char hash[65],
                           cy_error_t *err);

/* One entry of the log, as stored. */
typedef struct {
    int64_t seq, user_id, org_id;
    char at[32], actor[80], action[96], object_type[96], object_id[128], summary[512];
    char prev_hash[65], hash[65];
} audit_record_t;

/* Entries newest first (owned; audit_list_free), and the cursor of the next page or 0. */
typedef struct {
    audit_record_t *items;
    size_t n;
    int64_t next;
} audit_list_t;

/* Only the entries about this object type and id (NULL: any). */
typedef struct {
    const char *object_type, *object_id;
} audit_filter_t;

/*
 * app_audit_list: entries newest first, older than page->cursor (0: from
 * the newest); scope: everything for ministry and support center, else the
 * caller's organisation's entries.
 */
cy_status_t app_audit_list(app_t *app, const actor_t *actor, const audit_filter_t *f,
                           const app_page_t *page, audit_list_t *out, cy_error_t *err);
void audit_list_free(audit_list_t *l);

/*
 * The sequencer of a server on PostgreSQL (app_serve starts it, app_close
 * stops it): a thread that chains the pending entries every few
 * milliseconds, in batches, while no other sequencer is at it.
 */
typedef struct audit_sequencer audit_sequencer_t;
cy_status_t app_audit_sequencer_start(app_t *app, cy_error_t *err);
void app_audit_sequencer_stop(app_t *app);

#endif
