/*
 * auth.c — passwords, sessions, API tokens and login throttling. Tokens are
 * 256-bit random values; the store keeps only their SHA-256, so a copy of
 * the database opens no session. Depends on core/ and store/.
 */
#include "app/identity/auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/util.h"
#include "core/bjtime.h"

/* ---------- passwords ---------- */

cy_status_t
app_password_rules(const char *password, const char *username, cy_error_t *err)
{
    size_t n = password ? strlen(password) : 0, chars = 0;
    /* characters, not bytes: "密码" is two of them */
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)password[i] & 0xC0) != 0x80;
    if (chars < 10)
        return cy_error_set(err, CY_EINVAL, "password_too_short", "password",
                            "密码至少 10 个字符（当前 %zu 个） / password needs at least 10 "
                            "characters (has %zu)",
                            chars, chars);
    if (n > 256)
        return cy_error_set(err, CY_EINVAL, "password_too_long", "password",
                            "密码不超过 256 字节 / password must be at most 256 bytes");
    if (username != NULL && strcmp(password, username) == 0)
        return cy_error_set(err, CY_EINVAL, "password_is_username", "password",
                            "密码不能与用户名相同 / password must differ from the username");
    return CY_OK;
}

cy_status_t
app_password_hash(const char *password, char out[128], cy_error_t *err)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                            "内存不足，无法计算口令哈希 / out of memory hashing the password");
    return CY_OK;
}

int
app_password_verify(const char *hash, const char *password)
{
    return hash != NULL && password != NULL &&
           crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A hash of a random password, verified against when the user is unknown. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_init(void)
{
    char pw[48];
    app_random_token(24, pw, sizeof pw);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

/* ---------- throttling ---------- */

/*
 * Failed attempts in the window: for the account since its last success,
 * and from the address. Returns CY_ELIMIT with *retry_after when either is at
 * its limit.
 */
static cy_status_t
throttle_check(app_t *app, store_conn_t *c, const char *username, const char *ip, int *retry_after,
               cy_error_t *err)
{
    int64_t now = app_now();
    char since[32];
    utc_format_iso(now - app->cfg.login_window_s, since);
    struct {
        const char *sql;
        const char *key;
        int max;
        const char *zh, *en;
    } checks[] = {
        {"SELECT COUNT(*), MIN(at) FROM login_attempt WHERE username = $1 AND ok = 0 AND at > $2 "
         "AND at > COALESCE((SELECT MAX(at) FROM login_attempt WHERE username = $1 AND ok = 1), "
         "'')",
         username, app->cfg.login_max_user, "该账号", "this account"},
        {"SELECT COUNT(*), MIN(at) FROM login_attempt WHERE ip = $1 AND ok = 0 AND at > $2", ip,
         app->cfg.login_max_ip, "该地址", "this address"},
    };
    for (size_t i = 0; i < 2; i++) {
        store_param_t p[] = {STORE_P_TEXT(checks[i].key), STORE_P_TEXT(since)};
        store_rows_t *r;
        cy_status_t st = store_query(c, checks[i].sql, p, 2, &r, err);
        if (st != CY_OK)
            return st;
        int64_t n = 0, oldest = now;
        if (store_rows_next(r, err) == 1) {
            n = store_rows_int(r, 0);
            int64_t t = app_iso_to_time(store_rows_text(r, 1));
            if (t > 0)
                oldest = t;
        }
        store_rows_free(r);
        if (n >= checks[i].max) {
            int64_t wait = oldest + app->cfg.login_window_s - now;
            *retry_after = wait < 1 ? 1 : (int)wait;
            return cy_error_set(err, CY_ELIMIT, "login_throttled", "username",
                                "%s登录失败次数过多，请 %d 秒后再试 / too many failed logins for "
                                "%s; try again in %d seconds",
                                checks[i].zh, *retry_after, checks[i].en, *retry_after);
        }
    }
    return CY_OK;
}

static cy_status_t
record_attempt(store_conn_t *c, const char *username, const char *ip, int ok, cy_error_t *err)
{
    char at[32];
    app_now_iso(at);
    store_param_t p[] = {STORE_P_TEXT(username), STORE_P_TEXT(ip), STORE_P_TEXT(at),
                         STORE_P_INT(ok)};
    return store_exec(c, "INSERT INTO login_attempt (username, ip, at, ok) VALUES ($1, $2, $3, $4)",
                      p, 4, NULL, err);
}

/* ---------- actors ---------- */

/* Columns every actor query selects, in this order, after its own. */
#define ACTOR_COLS "u.id, u.org_id, u.username, u.role, u.disabled, o.type, o.region_code"

static int
actor_from_row(store_rows_t *r, int col, actor_t *a)
{
    memset(a, 0, sizeof *a);
    a->user_id = store_rows_int(r, col);
    a->org_id = store_rows_int(r, col + 1);
    snprintf(a->username, sizeof a->username, "%s", store_rows_text(r, col + 2));
    if (authz_role_parse(store_rows_text(r, col + 3), &a->role) != 0 ||
        authz_org_type_parse(store_rows_text(r, col + 5), &a->org_type) != 0)
        return -1;
    snprintf(a->region, sizeof a->region, "%s", store_rows_text(r, col + 6));
    return store_rows_int(r, col + 4) ? 1 : 0; /* disabled */
}

void
actor_cli(actor_t *a, const char *os_user)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "cli:%s", os_user && *os_user ? os_user : "operator");
    a->org_type = ORG_SUPPORT_CENTER;
    a->role = ROLE_ADMIN;
    a->cli = 1;
}

static cy_status_t
unauth(cy_error_t *err)
{
    return cy_error_set(err, CY_EUNAUTH, "unauthenticated", NULL,
                        "未登录或会话已过期 / not logged in or the session has expired");
}

/* ---------- login, sessions ---------- */

typedef struct {
    app_t *app;
    const char *username, *password, *ip, *old_token;
    auth_session_t *out;
    int *retry_after;
    int failed; /* the attempt was recorded as failed: commit that, answer 401 */
} login_t;

static cy_status_t
login_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    login_t *l = arg;
    app_t *app = l->app;
    cy_status_t st = throttle_check(app, c, l->username, l->ip, l->retry_after, err);
    if (st != CY_OK)
        return st;

    store_param_t p[] = {STORE_P_TEXT(l->username)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT u.password_hash, " ACTOR_COLS " FROM app_user u "
                     "JOIN organisation o ON o.id = u.org_id WHERE u.username = $1",
                     p, 1, &r, err);
    if (st != CY_OK)
        return st;
    char hash[crypto_pwhash_STRBYTES] = "";
    actor_t a;
    int found = store_rows_next(r, err) == 1, disabled = 1;
    if (found) {
        snprintf(hash, sizeof hash, "%s", store_rows_text(r, 0));
        disabled = actor_from_row(r, 1, &a);
    }
    store_rows_free(r);
    pthread_once(&dummy_once, dummy_init);
    /* the same argon2id work whether or not the user exists */
    int ok = app_password_verify(found ? hash : dummy_hash, l->password);
    ok = ok && found && disabled == 0;
    st = record_attempt(c, l->username, l->ip, ok, err);
    if (st != CY_OK)
        return st;
    if (!ok) {
        l->failed = 1;
        return CY_OK; /* keep the failed attempt: it counts for throttling */
    }

    if (l->old_token != NULL && l->old_token[0] != '\0') {
        char old[65];
        app_sha256_hex(l->old_token, strlen(l->old_token), old);
        store_param_t o[] = {STORE_P_TEXT(old)};
        st = store_exec(c, "DELETE FROM session WHERE token_hash = $1", o, 1, NULL, err);
        if (st != CY_OK)
            return st;
    }
    auth_session_t *s = l->out;
    app_random_token(32, s->token, sizeof s->token);
    app_random_token(24, s->csrf, sizeof s->csrf);
    s->max_age = app->cfg.session_max_s;
    char th[65], now[32], exp[32];
    app_sha256_hex(s->token, strlen(s->token), th);
    int64_t t = app_now();
    utc_format_iso(t, now);
    utc_format_iso(t + app->cfg.session_max_s, exp);
    store_param_t q[] = {STORE_P_TEXT(th),  STORE_P_INT(a.user_id), STORE_P_TEXT(s->csrf),
                         STORE_P_TEXT(now), STORE_P_TEXT(exp),      STORE_P_TEXT(l->ip)};
    st = store_exec(c,
                    "INSERT INTO session (token_hash, user_id, csrf_token, created_at, "
                    "last_seen_at, expires_at, ip) VALUES ($1, $2, $3, $4, $4, $5, $6)",
                    q, 6, NULL, err);
    if (st != CY_OK)
        return st;
    snprintf(a.csrf, sizeof a.csrf, "%s", s->csrf);
    snprintf(a.session, sizeof a.session, "%s", th);
    snprintf(a.ip, sizeof a.ip, "%s", l->ip);
    s->actor = a;
    return app_audit_append(c, &a, app_now(), "session.login", "user", NULL, err,
                            "登录 / login from %s", l->ip);
}

cy_status_t
app_login(app_t *app, const char *username, const char *password, const char *ip,
          const char *old_token, auth_session_t *out, int *retry_after, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    *retry_after = 0;
    login_t l = {app,
                 username ? username : "",
                 password ? password : "",
                 ip ? ip : "",
                 old_token,
                 out,
                 retry_after,
                 0};
    cy_status_t st = store_tx(app->store, login_tx, &l, err);
    if (st == CY_OK && l.failed)
        return cy_error_set(err, CY_EUNAUTH, "login_failed", "password",
                            "用户名或密码错误 / wrong username or password");
    return st;
}

typedef struct {
    const actor_t *actor;
} logout_t;

static cy_status_t
logout_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    const actor_t *a = ((logout_t *)arg)->actor;
    store_param_t p[] = {STORE_P_TEXT(a->session)};
    cy_status_t st = store_exec(c, "DELETE FROM session WHERE token_hash = $1", p, 1, NULL, err);
    if (st != CY_OK)
        return st;
    return app_audit_append(c, a, app_now(), "session.logout", "user", NULL, err,
                            "退出登录 / logout");
}

cy_status_t
app_logout(app_t *app, const actor_t *actor, cy_error_t *err)
{
    if (actor->session[0] == '\0')
        return CY_OK;
    logout_t l = {actor};
    return store_tx(app->store, logout_tx, &l, err);
}

cy_status_t
app_auth_session(app_t *app, const char *token, const char *ip, actor_t *out, cy_error_t *err)
{
    if (token == NULL || token[0] == '\0' || strlen(token) >= AUTH_TOKEN_MAX)
        return unauth(err);
    char th[65];
    app_sha256_hex(token, strlen(token), th);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(th)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT s.csrf_token, s.last_seen_at, s.expires_at, " ACTOR_COLS
                     " FROM session s JOIN app_user u ON u.id = s.user_id "
                     "JOIN organisation o ON o.id = u.org_id WHERE s.token_hash = $1",
                     p, 1, &r, err);
    if (st != CY_OK) {
        store_release(app->store, c);
        return st;
    }
    int found = store_rows_next(r, err) == 1, disabled = 1;
    int64_t now = app_now(), seen = 0, expires = 0;
    if (found) {
        snprintf(out->csrf, sizeof out->csrf, "%s", store_rows_text(r, 0));
        seen = app_iso_to_time(store_rows_text(r, 1));
        expires = app_iso_to_time(store_rows_text(r, 2));
        char csrf[48];
        snprintf(csrf, sizeof csrf, "%s", out->csrf);
        disabled = actor_from_row(r, 3, out);
        snprintf(out->csrf, sizeof out->csrf, "%s", csrf);
    }
    store_rows_free(r);
    if (!found) {
        store_release(app->store, c);
        return unauth(err);
    }
    if (disabled != 0 || now > expires || now - seen > app->cfg.session_idle_s) {
        cy_error_t ignored;
        store_exec(c, "DELETE FROM session WHERE token_hash = $1", p, 1, NULL, &ignored);
        store_release(app->store, c);
        return unauth(err);
    }
    /* mark the session used, at most once a minute: most requests stay read-only */
    if (now - seen >= 60) {
        char iso[32];
        utc_format_iso(now, iso);
        store_param_t q[] = {STORE_P_TEXT(iso), STORE_P_TEXT(th)};
        cy_error_t ignored;
        store_exec(c, "UPDATE session SET last_seen_at = $1 WHERE token_hash = $2", q, 2, NULL,
                   &ignored);
    }
    store_release(app->store, c);
    snprintf(out->session, sizeof out->session, "%s", th);
    snprintf(out->ip, sizeof out->ip, "%s", ip ? ip : "");
    return CY_OK;
}

/* ---------- API tokens ---------- */

#define TOKEN_PREFIX "cyb_"

cy_status_t
app_auth_bearer(app_t *app, const char *token, const char *ip, actor_t *out, cy_error_t *err)
{
    if (token == NULL || strncmp(token, TOKEN_PREFIX, 4) != 0 || strlen(token) >= AUTH_TOKEN_MAX)
        return unauth(err);
    char th[65];
    app_sha256_hex(token, strlen(token), th);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(th)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT t.id, t.last_used_at, " ACTOR_COLS
                     " FROM api_token t JOIN app_user u ON u.id = t.user_id "
                     "JOIN organisation o ON o.id = u.org_id "
                     "WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                     p, 1, &r, err);
    if (st != CY_OK) {
        store_release(app->store, c);
        return st;
    }
    int found = store_rows_next(r, err) == 1, disabled = 1;
    int64_t id = 0, used = 0;
    if (found) {
        id = store_rows_int(r, 0);
        used = store_rows_isnull(r, 1) ? 0 : app_iso_to_time(store_rows_text(r, 1));
        disabled = actor_from_row(r, 2, out);
    }
    store_rows_free(r);
    if (!found || disabled != 0) {
        store_release(app->store, c);
        return unauth(err);
    }
    int64_t now = app_now();
    if (now - used >= 60) {
        char iso[32];
        utc_format_iso(now, iso);
        store_param_t q[] = {STORE_P_TEXT(iso), STORE_P_INT(id)};
        cy_error_t ignored;
        store_exec(c, "UPDATE api_token SET last_used_at = $1 WHERE id = $2", q, 2, NULL, &ignored);
    }
    store_release(app->store, c);
    snprintf(out->ip, sizeof out->ip, "%s", ip ? ip : "");
    return CY_OK;
}

typedef struct {
    const actor_t *actor;
    const char *name;
    int64_t *id;
    char *token;
} token_new_t;

static cy_status_t
token_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    token_new_t *t = arg;
    char random[64], th[65], now[32], prefix[16];
    app_random_token(32, random, sizeof random);
    snprintf(t->token, AUTH_TOKEN_MAX, TOKEN_PREFIX "%s", random);
    snprintf(prefix, sizeof prefix, "%.12s", t->token);
    app_sha256_hex(t->token, strlen(t->token), th);
    app_now_iso(now);
    store_param_t p[] = {STORE_P_INT(t->actor->user_id), STORE_P_TEXT(t->name),
                         STORE_P_TEXT(prefix), STORE_P_TEXT(th), STORE_P_TEXT(now)};
    cy_status_t st = store_exec(c,
                                "INSERT INTO api_token (user_id, name, prefix, token_hash, "
                                "created_at) VALUES ($1, $2, $3, $4, $5)",
                                p, 5, NULL, err);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_TEXT(th)};
    st = store_query_int(c, "SELECT id FROM api_token WHERE token_hash = $1", q, 1, t->id, NULL,
                         err);
    if (st != CY_OK)
        return st;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)*t->id);
    return app_audit_append(c, t->actor, app_now(), "token.create", "api_token", id, err,
                            "创建 API 令牌 %s（%s…） / created API token %s (%s…)", t->name, prefix,
                            t->name, prefix);
}

cy_status_t
app_token_create(app_t *app, const actor_t *actor, const char *name, int64_t *id,
                 char token[AUTH_TOKEN_MAX], cy_error_t *err)
{
    if (actor->cli || !authz_allowed(actor->org_type, actor->role, ACT_TOKEN_MANAGE))
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "无权创建 API 令牌 / not allowed to create API tokens");
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return cy_error_set(err, CY_EINVAL, "name_length", "name",
                            "令牌名称应为 1–64 字节 / token name must be 1–64 bytes");
    token_new_t t = {actor, name, id, token};
    return store_tx(app->store, token_create_tx, &t, err);
}

cy_status_t
app_token_list(app_t *app, const actor_t *actor, token_row_fn fn, void *arg, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(actor->user_id)};
    store_rows_t *r;
    st = store_query(c,
                     "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_token "
                     "WHERE user_id = $1 ORDER BY id",
                     p, 1, &r, err);
    if (st == CY_OK) {
        while (store_rows_next(r, err) == 1) {
            token_row_t row = {store_rows_int(r, 0),  store_rows_text(r, 1), store_rows_text(r, 2),
                               store_rows_text(r, 3), store_rows_text(r, 4), store_rows_text(r, 5)};
            fn(&row, arg);
        }
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

typedef struct {
    const actor_t *actor;
    int64_t id;
} token_revoke_t;

static cy_status_t
token_revoke_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    token_revoke_t *t = arg;
    char now[32], id[24];
    app_now_iso(now);
    store_param_t p[] = {STORE_P_TEXT(now), STORE_P_INT(t->id), STORE_P_INT(t->actor->user_id)};
    int64_t changed = 0;
    cy_status_t st = store_exec(c,
                                "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND "
                                "user_id = $3 AND revoked_at IS NULL",
                                p, 3, &changed, err);
    if (st != CY_OK)
        return st;
    if (changed == 0) /* not the caller's, or already revoked: nothing to say either way */
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                            "没有这个 API 令牌 / no such API token");
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    return app_audit_append(c, t->actor, app_now(), "token.revoke", "api_token", id, err,
                            "吊销 API 令牌 / revoked API token");
}

cy_status_t
app_token_revoke(app_t *app, const actor_t *actor, int64_t id, cy_error_t *err)
{
    token_revoke_t t = {actor, id};
    return store_tx(app->store, token_revoke_tx, &t, err);
}
