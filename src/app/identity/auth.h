/*
 * auth.h — authentication: argon2id passwords, sessions (cookie tokens with
 * idle and absolute expiry, a CSRF token each), API tokens (Bearer), and
 * login throttling. Every piece of state lives in the store, so any server
 * of a cluster can answer any request.
 */
#ifndef CY_APP_AUTH_H
#define CY_APP_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

#define AUTH_TOKEN_MAX 96

/* A fresh session: the token goes to the client's cookie and nowhere else. */
typedef struct {
    char token[AUTH_TOKEN_MAX];
    char csrf[48];
    int max_age; /* seconds, for the cookie */
    actor_t actor;
} auth_session_t;

/*
 * app_login checks the password and opens a session. A wrong password and an
 * unknown user get the same answer (CY_EUNAUTH "login_failed") after the same
 * work (an argon2id verification either way). Too many failures for the
 * account or from the address answer CY_ELIMIT and *retry_after (seconds).
 * old_token (may be NULL): a session the client already had, ended here so a
 * planted session cannot survive a login (no fixation).
 */
cy_status_t app_login(app_t *app, const char *username, const char *password, const char *ip,
                      const char *old_token, auth_session_t *out, int *retry_after,
                      cy_error_t *err);

/* app_logout ends the session of actor (a no-op for API tokens). */
cy_status_t app_logout(app_t *app, const actor_t *actor, cy_error_t *err);

/*
 * app_auth_session resolves a session token; app_auth_bearer an API token.
 * Both answer CY_EUNAUTH when the token is unknown, expired, revoked or its
 * user disabled.
 */
cy_status_t app_auth_session(app_t *app, const char *token, const char *ip, actor_t *out,
                             cy_error_t *err);
cy_status_t app_auth_bearer(app_t *app, const char *token, const char *ip, actor_t *out,
                            cy_error_t *err);

/* app_password_hash: argon2id (libsodium, INTERACTIVE limits) in crypto_pwhash_str form. */
cy_status_t app_password_hash(const char *password, char out[128], cy_error_t *err);
/* app_password_verify: 1 when password matches the stored hash. */
int app_password_verify(const char *hash, const char *password);
/* app_password_rules: 10 to 256 bytes, not the username. */
cy_status_t app_password_rules(const char *password, const char *username, cy_error_t *err);

/* API tokens of the actor. */
typedef struct {
    int64_t id;
    const char *name, *prefix, *created_at, *last_used_at, *revoked_at;
} token_row_t;
typedef void (*token_row_fn)(const token_row_t *row, void *arg);

cy_status_t app_token_create(app_t *app, const actor_t *actor, const char *name, int64_t *id,
                             char token[AUTH_TOKEN_MAX], cy_error_t *err);
cy_status_t app_token_list(app_t *app, const actor_t *actor, token_row_fn fn, void *arg,
                           cy_error_t *err);
cy_status_t app_token_revoke(app_t *app, const actor_t *actor, int64_t id, cy_error_t *err);

#endif
