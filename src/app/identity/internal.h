/*
 * internal.h — private to src/app/identity/: the capability's repository.
 * Each table of migration 002 that identity owns (organisation, app_user,
 * session, api_token, login_attempt) is read and written in repo.c, by
 * column name, and nowhere else; the use cases in org.c, user.c, auth.c and
 * token.c call these functions inside their own transactions.
 */
#ifndef CY_APP_IDENTITY_INTERNAL_H
#define CY_APP_IDENTITY_INTERNAL_H

#include "app/identity/identity.h"
#include "store/store.h"

/* ---------- organisation ---------- */

/* Which organisations a list may show: the caller's scope and its filter. */
typedef struct {
    int all;            /* the caller sees every organisation */
    int64_t own_id;     /* else its own ... */
    const char *prefix; /* ... and those whose region starts with this ("": none) */
    const char *type;   /* filter: NULL any */
    const char *region; /* filter: a code prefix, NULL any */
} org_query_t;

cy_status_t org_repo_get(const ref_data_t *ref, store_conn_t *c, int64_t id, org_t *o, int *found,
                         cy_error_t *err);
cy_status_t org_repo_list(const ref_data_t *ref, store_conn_t *c, const org_query_t *q,
                          const app_page_t *page, org_list_t *out, cy_error_t *err);
/* org_repo_insert stores o and sets o->id; a USCC already registered is CY_ECONFLICT "uscc_taken".
 */
cy_status_t org_repo_insert(store_conn_t *c, org_t *o, cy_error_t *err);
cy_status_t org_repo_update(store_conn_t *c, const org_t *o, cy_error_t *err);
cy_status_t org_repo_find_uscc(store_conn_t *c, const char *uscc, int64_t *id, int *found,
                               cy_error_t *err);
/* The region's name: the exact unit's, else its city's, else its province's. */
void org_region_name(const ref_data_t *ref, org_t *o);

/* ---------- app_user ---------- */

cy_status_t user_repo_get(store_conn_t *c, int64_t id, user_t *u, int *found, cy_error_t *err);
cy_status_t user_repo_list(store_conn_t *c, int64_t org_id, user_list_t *out, cy_error_t *err);
/* user_repo_insert stores u (its id and created_at come back in u); a taken name is CY_ECONFLICT.
 */
cy_status_t user_repo_insert(store_conn_t *c, user_t *u, const char *hash, int64_t now,
                             cy_error_t *err);
cy_status_t user_repo_update(store_conn_t *c, const user_t *u, int64_t now, cy_error_t *err);
cy_status_t user_repo_find(store_conn_t *c, const char *username, int64_t *id, int *found,
                           cy_error_t *err);
/* The stored argon2id hash of user id ("" when there is none). */
cy_status_t user_repo_hash(store_conn_t *c, int64_t id, char hash[128], cy_error_t *err);
cy_status_t user_repo_set_password(store_conn_t *c, int64_t id, const char *hash, int64_t now,
                                   cy_error_t *err);
/* How many enabled admins the organisation of u has besides u. */
cy_status_t user_repo_other_admins(store_conn_t *c, const user_t *u, int64_t *n, cy_error_t *err);

/* ---------- the caller: app_user joined with its organisation ---------- */

/* A user able to log in: its actor, whether disabled, its password hash. */
typedef struct {
    actor_t actor;
    int disabled;
    char hash[128];
} login_user_t;

cy_status_t actor_repo_by_username(store_conn_t *c, const char *username, login_user_t *out,
                                   int *found, cy_error_t *err);

/* A session: who, when last used, when it ends absolutely, whether its user is disabled. */
typedef struct {
    actor_t actor; /* with csrf */
    int disabled;
    int64_t last_seen, expires;
} session_user_t;

cy_status_t actor_repo_by_session(store_conn_t *c, const char *token_hash, session_user_t *out,
                                  int *found, cy_error_t *err);

/* An API token that is not revoked: who, the token's id, when last used (0: never). */
typedef struct {
    actor_t actor;
    int disabled;
    int64_t token_id, last_used;
} token_user_t;

cy_status_t actor_repo_by_token(store_conn_t *c, const char *token_hash, token_user_t *out,
                                int *found, cy_error_t *err);

/* ---------- session ---------- */

typedef struct {
    const char *token_hash, *csrf, *ip;
    int64_t user_id, created, expires;
} session_new_t;

cy_status_t session_repo_insert(store_conn_t *c, const session_new_t *s, cy_error_t *err);
cy_status_t session_repo_delete(store_conn_t *c, const char *token_hash, cy_error_t *err);
/* session_repo_touch records a use at now (never moving last_seen_at back). */
cy_status_t session_repo_touch(store_conn_t *c, const char *token_hash, int64_t now,
                               cy_error_t *err);
/* Ends every session of user_id except keep_hash (NULL: every one). */
cy_status_t session_repo_end_user(store_conn_t *c, int64_t user_id, const char *keep_hash,
                                  cy_error_t *err);

/* ---------- api_token ---------- */

cy_status_t token_repo_insert(store_conn_t *c, int64_t user_id, const char *name,
                              const char *prefix, const char *token_hash, int64_t now, int64_t *id,
                              cy_error_t *err);
cy_status_t token_repo_list(store_conn_t *c, int64_t user_id, api_token_list_t *out,
                            cy_error_t *err);
/* Revokes token id of user_id if it is live; *changed says whether it was. */
cy_status_t token_repo_revoke(store_conn_t *c, int64_t id, int64_t user_id, int64_t now,
                              int64_t *changed, cy_error_t *err);
cy_status_t token_repo_revoke_user(store_conn_t *c, int64_t user_id, int64_t now, cy_error_t *err);
cy_status_t token_repo_touch(store_conn_t *c, int64_t id, int64_t now, cy_error_t *err);

/* ---------- login_attempt ---------- */

/* Failed attempts after since: *n of them, the oldest at *oldest (now when none). */
typedef struct {
    int64_t n, oldest;
} failures_t;

/* For the account: failures after since and after its last success. */
cy_status_t attempt_repo_account_failures(store_conn_t *c, const char *username, int64_t since,
                                          int64_t now, failures_t *out, cy_error_t *err);
cy_status_t attempt_repo_ip_failures(store_conn_t *c, const char *ip, int64_t since, int64_t now,
                                     failures_t *out, cy_error_t *err);
/*
 * attempt_repo_lock serialises, until the transaction of c ends, the
 * logins at username and from ip, so that counting their failures and
 * recording one more is atomic. On SQLite the write transaction (BEGIN
 * IMMEDIATE) already serialises every writer; on PostgreSQL (postgresql 1)
 * it takes two transaction-scoped advisory locks, the account's first, then
 * the address's: one order, so no deadlock.
 */
cy_status_t attempt_repo_lock(store_conn_t *c, int postgresql, const char *username, const char *ip,
                              cy_error_t *err);
/* Records an attempt (ok 1: it succeeded); *id (may be NULL) is its id. */
cy_status_t attempt_repo_insert(store_conn_t *c, const char *username, const char *ip, int64_t now,
                                int ok, int64_t *id, cy_error_t *err);
/* Marks attempt id as the success it turned out to be. */
cy_status_t attempt_repo_succeeded(store_conn_t *c, int64_t id, cy_error_t *err);

#endif
