/*
 * token.c — API tokens: "cyb_" + 256 random bits, shown once, stored as
 * SHA-256, sent as "Authorization: Bearer", revocable. Depends on core/ and
 * store/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity/internal.h"
#include "app/util.h"

cy_status_t
app_token_create(app_t *app, const actor_t *actor, int64_t now, const char *name,
                 api_token_new_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (actor->cli || !authz_allowed(actor->org_type, actor->role, ACT_TOKEN_MANAGE))
        return app_forbidden(err, ACT_TOKEN_MANAGE);
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return cy_error_set(err, CY_EINVAL, "name_length", "name",
                            "令牌名称应为 1–64 字节 / token name must be 1–64 bytes");
    char random[64], th[65];
    app_random_token(32, random, sizeof random);
    snprintf(out->token, sizeof out->token, AUTH_TOKEN_PREFIX "%s", random);
    snprintf(out->prefix, sizeof out->prefix, "%.12s", out->token);
    app_sha256_hex(out->token, strlen(out->token), th);

    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = token_repo_insert(c, actor->user_id, name, out->prefix, th, now, &out->id, err);
    char id[24];
    snprintf(id, sizeof id, "%" PRId64, out->id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "token.create", "api_token", id, err,
                              "创建 API 令牌 %s（%s…） / created API token %s (%s…)", name,
                              out->prefix, name, out->prefix);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_token_list(app_t *app, const actor_t *actor, api_token_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = token_repo_list(c, actor->user_id, out, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
app_token_revoke(app_t *app, const actor_t *actor, int64_t now, int64_t id, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int64_t changed = 0;
    st = token_repo_revoke(c, id, actor->user_id, now, &changed, err);
    if (st == CY_OK && changed == 0) /* not the caller's, or already revoked: nothing to say */
        st = cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                          "没有这个 API 令牌 / no such API token");
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "token.revoke", "api_token", ids, err,
                              "吊销 API 令牌 / revoked API token");
    return store_tx_close(app->store, c, st, err);
}
