/*
 * auth.c — passwords, login throttling, sessions, and who is calling (a
 * session cookie or an API token). Tokens are 256-bit random values; the
 * store keeps only their SHA-256, so a copy of the database opens no
 * session. Depends on core/ and store/.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/cache.h"
#include "app/identity/internal.h"
#include "app/util.h"

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

static cy_status_t
throttled(const failures_t *f, int64_t now, int window, const char *zh, const char *en,
          int *retry_after, cy_error_t *err)
{
    int64_t wait = f->oldest + window - now;
    *retry_after = wait < 1 ? 1 : (int)wait;
    return cy_error_set(err, CY_ELIMIT, "login_throttled", "username",
                        "%s登录失败次数过多，请 %d 秒后再试 / too many failed logins for %s; try "
                        "again in %d seconds",
                        zh, *retry_after, en, *retry_after);
}

/*
 * Failed attempts in the window: for the account since its last success,
 * and from the address. CY_ELIMIT with *retry_after when either is at its
 * limit.
 */
static cy_status_t
throttle_check(const app_t *app, store_conn_t *c, int64_t now, const char *username, const char *ip,
               int *retry_after, cy_error_t *err)
{
    int64_t since = now - app->cfg.login_window_s;
    failures_t f;
    cy_status_t st = attempt_repo_account_failures(c, username, since, now, &f, err);
    if (st == CY_OK && f.n >= app->cfg.login_max_user)
        return throttled(&f, now, app->cfg.login_window_s, "该账号", "this account", retry_after,
                         err);
    if (st == CY_OK)
        st = attempt_repo_ip_failures(c, ip, since, now, &f, err);
    if (st == CY_OK && f.n >= app->cfg.login_max_ip)
        return throttled(&f, now, app->cfg.login_window_s, "该地址", "this address", retry_after,
                         err);
    return st;
}

/* ---------- login, sessions ---------- */

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

/* Ends the client's old session (no fixation) and opens a new one for a; audited. */
static cy_status_t
open_session(const app_t *app, store_conn_t *c, int64_t now, const auth_login_t *in, actor_t *a,
             auth_session_t *s, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    if (in->old_token != NULL && in->old_token[0] != '\0') {
        char old[65];
        app_sha256_hex(in->old_token, strlen(in->old_token), old);
        st = session_repo_delete(c, old, err);
    }
    app_random_token(32, s->token, sizeof s->token);
    app_random_token(24, s->csrf, sizeof s->csrf);
    s->max_age = app->cfg.session_max_s;
    char th[65];
    app_sha256_hex(s->token, strlen(s->token), th);
    session_new_t row = {th, s->csrf, in->ip, a->user_id, now, now + app->cfg.session_max_s};
    if (st == CY_OK)
        st = session_repo_insert(c, &row, err);
    snprintf(a->csrf, sizeof a->csrf, "%s", s->csrf);
    snprintf(a->session, sizeof a->session, "%s", th);
    snprintf(a->ip, sizeof a->ip, "%s", in->ip);
    s->actor = *a;
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "session.login", "user", NULL, err, "登录 / login from %s",
                              in->ip);
    return st;
}

/*
 * Counts the failures and records this attempt as one, atomically (one
 * short transaction, serialised per account and address), before any
 * password is checked: parallel guesses never get more than the limit
 * evaluated. *attempt is the recorded attempt; *u the user, if it exists.
 */
static cy_status_t
reserve_attempt(app_t *app, int64_t now, const auth_login_t *l, int *retry_after, int64_t *attempt,
                login_user_t *u, int *found, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int pg = store_backend(app->store) == STORE_POSTGRESQL;
    st = attempt_repo_lock(c, pg, l->username, l->ip, err);
    if (st == CY_OK)
        st = throttle_check(app, c, now, l->username, l->ip, retry_after, err);
    if (st == CY_OK)
        st = actor_repo_by_username(c, l->username, u, found, err);
    if (st == CY_OK)
        st = attempt_repo_insert(c, l->username, l->ip, now, 0, attempt, err);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_login(app_t *app, int64_t now, const auth_login_t *in, auth_session_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    auth_login_t l = {in->username ? in->username : "", in->password ? in->password : "",
                      in->ip ? in->ip : "", in->old_token};
    login_user_t u;
    int found = 0;
    int64_t attempt = 0;
    cy_status_t st = reserve_attempt(app, now, &l, &out->retry_after, &attempt, &u, &found, err);
    if (st != CY_OK)
        return st;
    /* the same argon2id work whether or not the user exists, outside any transaction */
    pthread_once(&dummy_once, dummy_init);
    int ok = app_password_verify(found ? u.hash : dummy_hash, l.password) && found && !u.disabled;
    if (!ok) /* the attempt stays recorded as failed: it counts for throttling */
        return cy_error_set(err, CY_EUNAUTH, "login_failed", "password",
                            "用户名或密码错误 / wrong username or password");
    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    st = attempt_repo_succeeded(c, attempt, err);
    if (st == CY_OK)
        st = open_session(app, c, now, &l, &u.actor, out, err);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_logout(app_t *app, const actor_t *actor, int64_t now, cy_error_t *err)
{
    if (actor->session[0] == '\0')
        return CY_OK;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = session_repo_delete(c, actor->session, err);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "session.logout", "user", NULL, err,
                              "退出登录 / logout");
    return store_tx_close(app->store, c, st, err);
}

/*
 * What a server keeps in memory of a session or an API token, under "s:" or
 * "t:" and its SHA-256 (app/cache.h), so that a request is answered without
 * reading the database; any change to the session, the token, the user or
 * its organisation drops it on every server (repo.c's cached_write).
 */
typedef struct {
    actor_t actor; /* with the session's csrf; no ip */
    int64_t token_id;
    int64_t used;    /* the last use recorded: a session's last_seen, a token's last_used */
    int64_t expires; /* a session's absolute end */
} auth_copy_t;

static void
auth_key(char prefix, const char *token, char key[68])
{
    key[0] = prefix;
    key[1] = ':';
    app_sha256_hex(token, strlen(token), key + 2);
}

static cy_status_t
authenticated(const actor_t *a, const char *ip, actor_t *out)
{
    *out = *a;
    snprintf(out->ip, sizeof out->ip, "%s", ip ? ip : "");
    return CY_OK;
}

/*
 * A session, from the database: ended (deleted) when disabled, expired or
 * idle, else its use at now recorded (one small write a second at most).
 * *used is then the last use recorded.
 */
static cy_status_t
session_read(app_t *app, int64_t now, const char *th, session_user_t *s, int *found, int64_t *used,
             cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = actor_repo_by_session(c, th, s, found, err);
    cy_error_t ignored;
    *used = s->last_seen;
    if (st == CY_OK && *found &&
        (s->disabled || now > s->expires || now - s->last_seen > app->cfg.session_idle_s)) {
        session_repo_delete(c, th, &ignored);
        *found = 0;
    } else if (st == CY_OK && *found && now > s->last_seen &&
               session_repo_touch(c, th, now, &ignored) == CY_OK) {
        /* the use to the second, so that the session ends exactly idle seconds after it */
        *used = now;
    }
    store_release(app->store, c);
    return st;
}

cy_status_t
app_auth_session(app_t *app, int64_t now, const char *token, const char *ip, actor_t *out,
                 cy_error_t *err)
{
    if (token == NULL || token[0] == '\0' || strlen(token) >= AUTH_TOKEN_MAX)
        return unauth(err);
    char key[68];
    auth_key('s', token, key);
    auth_copy_t a;
    /* this second's use is recorded, and the copy is current: nothing to read or write */
    if (app_cache_get(app->auth_cache, key, &a, sizeof a) && now <= a.used && now <= a.expires)
        return authenticated(&a.actor, ip, out);
    uint64_t gen;
    int keep = app_cache_gen(app->auth_cache, &gen);
    session_user_t s;
    int found = 0;
    int64_t used = 0;
    cy_status_t st = session_read(app, now, key + 2, &s, &found, &used, err);
    if (st != CY_OK)
        return st;
    if (!found)
        return unauth(err);
    memcpy(s.actor.session, key + 2, sizeof s.actor.session); /* 64 hex digits and the NUL */
    if (keep) {
        a = (auth_copy_t){.actor = s.actor, .used = used, .expires = s.expires};
        app_cache_put(app->auth_cache, key, &a, sizeof a, gen);
    }
    return authenticated(&s.actor, ip, out);
}

cy_status_t
app_auth_bearer(app_t *app, int64_t now, const char *token, const char *ip, actor_t *out,
                cy_error_t *err)
{
    if (token == NULL || strncmp(token, AUTH_TOKEN_PREFIX, 4) != 0 ||
        strlen(token) >= AUTH_TOKEN_MAX)
        return unauth(err);
    char key[68];
    auth_key('t', token, key);
    auth_copy_t a;
    /* the last use is recorded to the minute: within it, a current copy answers */
    if (app_cache_get(app->auth_cache, key, &a, sizeof a) && now - a.used < 60)
        return authenticated(&a.actor, ip, out);
    uint64_t gen;
    int keep = app_cache_gen(app->auth_cache, &gen);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    token_user_t t;
    int found = 0;
    st = actor_repo_by_token(c, key + 2, &t, &found, err);
    cy_error_t ignored; /* last use, to the minute: most requests stay read-only */
    int64_t used = found ? t.last_used : 0;
    if (st == CY_OK && found && !t.disabled && now - t.last_used >= 60 &&
        token_repo_touch(c, t.token_id, now, &ignored) == CY_OK)
        used = now;
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    if (!found || t.disabled)
        return unauth(err);
    if (keep) {
        a = (auth_copy_t){.actor = t.actor, .token_id = t.token_id, .used = used};
        app_cache_put(app->auth_cache, key, &a, sizeof a, gen);
    }
    return authenticated(&t.actor, ip, out);
}
