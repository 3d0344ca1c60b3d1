/*
 * identity.h — identity and access, the one public header of
 * src/app/identity/: organisations (DOMAIN.md §1), their users, passwords,
 * sessions, API tokens, login throttling, and the demo data.
 *
 * Every use case takes the caller (actor), the time it acts at (now, UTC
 * seconds, from http/ or cli/) and a typed input, and answers a status and a
 * typed result. Each write is one transaction with its audit entry. Every
 * piece of state lives in the store, so any server of a cluster can answer
 * any request.
 *
 * Depends on core/ and store/ (through app/); never on http/ or cli/.
 */
#ifndef CY_APP_IDENTITY_H
#define CY_APP_IDENTITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/actor.h"
#include "app/app.h"

/* ---------- organisations ---------- */

typedef struct {
    int64_t id;
    char name[256];
    org_type_t type;
    char uscc[19];
    char uscc_warning[400]; /* "" when the embedded organisation code checks */
    char region_code[7], region_name[96], province_code[7], city_code[7];
    char industry_section[2], industry_division[3];
    char nature[24];
    char nature_other[128];
    char founded_on[11];
    int64_t registered_capital_fen; /* -1 when not given */
    char address[256], contact[64], phone[40], fax[40], email[128];
    char licence_no[64];
    char created_at[32], updated_at[32];
    int contacts_hidden; /* the caller may not see contact, phone, fax, email */
} org_t;

/*
 * The fields a client sends; NULL means absent (for an update: unchanged).
 * An empty string clears an optional field.
 */
typedef struct {
    const char *name, *type, *uscc, *region_code, *industry_section, *industry_division;
    const char *nature, *nature_other, *founded_on, *address, *contact, *phone, *fax, *email;
    const char *licence_no;
    int has_capital;
    int64_t registered_capital_fen; /* -1 clears it */
} org_input_t;

cy_status_t app_org_create(app_t *app, const actor_t *actor, int64_t now, const org_input_t *in,
                           org_t *out, cy_error_t *err);
cy_status_t app_org_update(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                           const org_input_t *in, org_t *out, cy_error_t *err);
/* CY_ENOTFOUND when absent or outside the caller's visibility. */
cy_status_t app_org_get(app_t *app, const actor_t *actor, int64_t id, org_t *out, cy_error_t *err);

typedef struct {
    const char *type;   /* NULL: any */
    const char *region; /* a code prefix, 2–6 digits; NULL: any */
} org_filter_t;

/* A page of organisations: items (n of them, owned; org_list_free) and the next cursor or 0. */
typedef struct {
    org_t *items;
    size_t n;
    int64_t next;
} org_list_t;

/*
 * app_org_list: the organisations of the caller's scope matching f, by id.
 * A malformed filter is CY_EBADREQ naming the parameter.
 */
cy_status_t app_org_list(app_t *app, const actor_t *actor, const org_filter_t *f,
                         const app_page_t *page, org_list_t *out, cy_error_t *err);
void org_list_free(org_list_t *l);

/* app_org_find_uscc: the id of the organisation with this USCC, for the command line. */
cy_status_t app_org_find_uscc(app_t *app, const char *uscc, int64_t *id, cy_error_t *err);

/* ---------- users ---------- */

typedef struct {
    int64_t id, org_id;
    char username[64], display_name[128], email[128], phone[40];
    user_role_t role;
    int disabled;
    char created_at[32];
} user_t;

typedef struct {
    int64_t org_id; /* 0: the actor's own organisation */
    const char *username, *display_name, *role, *password, *email, *phone;
} user_input_t;

typedef struct {
    const char *display_name, *role, *email, *phone; /* NULL: unchanged */
    int has_disabled, disabled;
} user_patch_t;

/* Users of one organisation, by id (owned; user_list_free). */
typedef struct {
    user_t *items;
    size_t n;
} user_list_t;

/*
 * Organisation admins manage their own users; the ministry and the support
 * center manage any. Disabling a user ends its sessions and revokes its API
 * tokens in the same transaction; an organisation keeps its last admin.
 */
cy_status_t app_user_create(app_t *app, const actor_t *actor, int64_t now, const user_input_t *in,
                            user_t *out, cy_error_t *err);
cy_status_t app_user_update(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                            const user_patch_t *in, user_t *out, cy_error_t *err);
/*
 * app_user_password sets a new password. For one's own password current
 * must be right; the session that changes it stays, the others end, the
 * API tokens stay (they are the user's own, listed and revoked by it). An
 * admin (or the command line) resetting another user's needs none; every
 * session of the user ends and every API token is revoked, in the same
 * transaction.
 */
cy_status_t app_user_password(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                              const char *password, const char *current, cy_error_t *err);
cy_status_t app_user_get(app_t *app, const actor_t *actor, int64_t id, user_t *out,
                         cy_error_t *err);
/* Users of org_id (0: the actor's own organisation). */
cy_status_t app_user_list(app_t *app, const actor_t *actor, int64_t org_id, user_list_t *out,
                          cy_error_t *err);
void user_list_free(user_list_t *l);

/* app_user_find: the id of username, for the command line. */
cy_status_t app_user_find(app_t *app, const char *username, int64_t *id, cy_error_t *err);

/* ---------- passwords ---------- */

/* app_password_hash: argon2id (libsodium, INTERACTIVE limits) in crypto_pwhash_str form. */
cy_status_t app_password_hash(const char *password, char out[128], cy_error_t *err);
/* app_password_verify: 1 when password matches the stored hash. */
int app_password_verify(const char *hash, const char *password);
/* app_password_rules: 10 to 256 bytes, not the username. */
cy_status_t app_password_rules(const char *password, const char *username, cy_error_t *err);

/* ---------- sessions ---------- */

#define AUTH_TOKEN_MAX    96
#define AUTH_TOKEN_PREFIX "cyb_" /* every API token starts so */

typedef struct {
    const char *username, *password;
    const char *ip;        /* the client's address, for throttling and the log */
    const char *old_token; /* a session the client already had (may be NULL) */
} auth_login_t;

/* A fresh session: the token goes to the client's cookie and nowhere else. */
typedef struct {
    char token[AUTH_TOKEN_MAX];
    char csrf[48];
    int max_age;     /* seconds, for the cookie */
    int retry_after; /* seconds, when the login was throttled (CY_ELIMIT) */
    actor_t actor;
} auth_session_t;

/*
 * app_login checks the password and opens a session. A wrong password and an
 * unknown user get the same answer (CY_EUNAUTH "login_failed") after the same
 * work (an argon2id verification either way). Too many failures for the
 * account or from the address answer CY_ELIMIT and out->retry_after. The
 * attempt is counted before the password is checked, so parallel guesses
 * never get more than the limit evaluated. in->old_token is ended here, so a
 * planted session cannot survive a login (no fixation).
 */
cy_status_t app_login(app_t *app, int64_t now, const auth_login_t *in, auth_session_t *out,
                      cy_error_t *err);

/* app_logout ends the session of actor (a no-op for API tokens). */
cy_status_t app_logout(app_t *app, const actor_t *actor, int64_t now, cy_error_t *err);

/*
 * app_auth_session resolves a session token used at now; app_auth_bearer an
 * API token. Both answer CY_EUNAUTH when the token is unknown, expired,
 * revoked or its user disabled.
 */
cy_status_t app_auth_session(app_t *app, int64_t now, const char *token, const char *ip,
                             actor_t *out, cy_error_t *err);
cy_status_t app_auth_bearer(app_t *app, int64_t now, const char *token, const char *ip,
                            actor_t *out, cy_error_t *err);

/* ---------- API tokens ---------- */

typedef struct {
    int64_t id;
    char name[72], prefix[16], created_at[32], last_used_at[32], revoked_at[32]; /* "": never */
} api_token_t;

/* The actor's API tokens, by id (owned; api_token_list_free). */
typedef struct {
    api_token_t *items;
    size_t n;
} api_token_list_t;

/* A new token: shown once (token), stored as its SHA-256. */
typedef struct {
    int64_t id;
    char prefix[16];
    char token[AUTH_TOKEN_MAX];
} api_token_new_t;

cy_status_t app_token_create(app_t *app, const actor_t *actor, int64_t now, const char *name,
                             api_token_new_t *out, cy_error_t *err);
cy_status_t app_token_list(app_t *app, const actor_t *actor, api_token_list_t *out,
                           cy_error_t *err);
void api_token_list_free(api_token_list_t *l);
cy_status_t app_token_revoke(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                             cy_error_t *err);

/* ---------- demo data ---------- */

typedef struct {
    int orgs_added, users_added;
    char password[64]; /* the demo password, for printing the logins */
} demo_result_t;

/*
 * app_demo_load loads the demo organisations and users of path
 * (data/demo/demo.json) through the ordinary use cases, so they are
 * validated and audited like any other; what already exists is left alone.
 * logins (may be NULL) receives one line per demo user: "username
 * organisation (type)". op is the command line acting (actor_cli).
 */
cy_status_t app_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path,
                          FILE *logins, demo_result_t *out, cy_error_t *err);

#endif
