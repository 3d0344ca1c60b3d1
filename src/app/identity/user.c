/*
 * user.c — user use cases. Each write is one transaction with its audit
 * entry. Depends on core/ and store/.
 */
#include "app/identity/user.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity/auth.h"
#include "app/util.h"
#include "core/contact.h"
#include "core/utf8.h"

#define USER_COLS "id, org_id, username, display_name, role, email, phone, disabled, created_at"

static void
user_from_row(store_rows_t *r, user_t *u)
{
    memset(u, 0, sizeof *u);
    u->id = store_rows_int(r, 0);
    u->org_id = store_rows_int(r, 1);
    snprintf(u->username, sizeof u->username, "%s", store_rows_text(r, 2));
    snprintf(u->display_name, sizeof u->display_name, "%s", store_rows_text(r, 3));
    authz_role_parse(store_rows_text(r, 4), &u->role);
    snprintf(u->email, sizeof u->email, "%s", store_rows_text(r, 5));
    snprintf(u->phone, sizeof u->phone, "%s", store_rows_text(r, 6));
    u->disabled = (int)store_rows_int(r, 7);
    snprintf(u->created_at, sizeof u->created_at, "%s", store_rows_text(r, 8));
}

static cy_status_t
load_user(store_conn_t *c, int64_t id, user_t *u, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c, "SELECT " USER_COLS " FROM app_user WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    *found = store_rows_next(r, err) == 1;
    if (*found)
        user_from_row(r, u);
    store_rows_free(r);
    return CY_OK;
}

/* Users are visible to their own organisation and to the operators, never to regions. */
static int
user_visible(const actor_t *a, int64_t org_id)
{
    return a->cli || authz_sees_all(a->org_type) || a->org_id == org_id;
}

static int
may_manage(const actor_t *a, int64_t org_id)
{
    return a->cli || (authz_allowed(a->org_type, a->role, ACT_USER_MANAGE) &&
                      (authz_sees_all(a->org_type) || a->org_id == org_id));
}

static cy_status_t
user_not_found(int64_t id, cy_error_t *err)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                        "用户 %" PRId64 " 不存在 / user %" PRId64 " not found", id, id);
}

static cy_status_t
forbidden(cy_error_t *err)
{
    return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                        "无权管理该机构的用户 / not allowed to manage this organisation's users");
}

static cy_status_t
check_username(const char *s, cy_error_t *err)
{
    size_t n = s ? strlen(s) : 0;
    int ok = n >= 3 && n <= 32;
    for (size_t i = 0; ok && i < n; i++)
        ok = islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '.' ||
             s[i] == '_' || s[i] == '-';
    if (!ok)
        return cy_error_set(err, CY_EINVAL, "username_invalid", "username",
                            "用户名为 3–32 位小写字母、数字或 . _ - / username must be 3–32 "
                            "lower-case letters, digits or . _ -");
    return CY_OK;
}

static cy_status_t
check_text(const char *s, size_t cap, const char *field, int required, cy_error_t *err)
{
    size_t n = strlen(s);
    if (required && n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", field, "%s 不能为空 / %s is required",
                            field, field);
    if (n >= cap)
        return cy_error_set(err, CY_EINVAL, "too_long", field,
                            "%s 过长（上限 %zu 字节） / %s is too long (at most %zu bytes)", field,
                            cap - 1, field, cap - 1);
    if (!utf8_valid(s, n, NULL))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", field,
                            "%s 不是有效的 UTF-8 / %s is not valid UTF-8", field, field);
    return CY_OK;
}

/* An organisation must keep one enabled admin: refuse to remove its last one. */
static cy_status_t
keep_last_admin(store_conn_t *c, const user_t *u, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(u->org_id), STORE_P_INT(u->id)};
    int64_t others = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) FROM app_user WHERE org_id = $1 AND id <> $2 "
                                     "AND role = 'admin' AND disabled = 0",
                                     p, 2, &others, NULL, err);
    if (st == CY_OK && others == 0)
        return cy_error_set(err, CY_ECONFLICT, "last_admin", "role",
                            "这是该机构最后一位管理员，不能停用或降级 / this is the "
                            "organisation's last admin: it cannot be disabled or demoted");
    return st;
}

static cy_status_t
end_sessions(store_conn_t *c, int64_t user_id, const char *keep, int revoke_tokens, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(user_id), STORE_P_TEXT(keep ? keep : "")};
    cy_status_t st = store_exec(c, "DELETE FROM session WHERE user_id = $1 AND token_hash <> $2", p,
                                2, NULL, err);
    if (st != CY_OK || !revoke_tokens)
        return st;
    char now[32];
    app_now_iso(now);
    store_param_t q[] = {STORE_P_TEXT(now), STORE_P_INT(user_id)};
    return store_exec(c,
                      "UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS "
                      "NULL",
                      q, 2, NULL, err);
}

/* ---------- create ---------- */

typedef struct {
    const actor_t *actor;
    const user_input_t *in;
    user_role_t role;
    const char *hash;
    user_t *out;
} user_create_t;

static cy_status_t
user_create_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    user_create_t *w = arg;
    int64_t org_id = w->in->org_id ? w->in->org_id : w->actor->org_id;
    /* an organisation outside the caller's sight is "not found", not "forbidden" */
    if (!user_visible(w->actor, org_id))
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                            "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", org_id,
                            org_id);
    if (!may_manage(w->actor, org_id))
        return forbidden(err);
    store_param_t o[] = {STORE_P_INT(org_id)};
    int64_t exists = 0;
    int found = 0;
    cy_status_t st =
        store_query_int(c, "SELECT id FROM organisation WHERE id = $1", o, 1, &exists, &found, err);
    if (st != CY_OK)
        return st;
    if (!found)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                            "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", org_id,
                            org_id);
    char now[32];
    app_now_iso(now);
    const user_input_t *in = w->in;
    store_param_t p[] = {STORE_P_INT(org_id),
                         STORE_P_TEXT(in->username),
                         STORE_P_TEXT(in->display_name),
                         STORE_P_TEXT(authz_role_name(w->role)),
                         STORE_P_TEXT(in->email ? in->email : ""),
                         STORE_P_TEXT(in->phone ? in->phone : ""),
                         STORE_P_TEXT(w->hash),
                         STORE_P_TEXT(now)};
    st = store_exec(c,
                    "INSERT INTO app_user (org_id, username, display_name, role, email, phone, "
                    "password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                    "$8, $8)",
                    p, 8, NULL, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "username_taken", "username",
                            "用户名 %s 已被使用 / username %s is taken", in->username,
                            in->username);
    if (st != CY_OK)
        return st;
    store_param_t q[] = {STORE_P_TEXT(in->username)};
    int64_t id;
    st = store_query_int(c, "SELECT id FROM app_user WHERE username = $1", q, 1, &id, NULL, err);
    if (st != CY_OK)
        return st;
    st = load_user(c, id, w->out, &found, err);
    if (st != CY_OK)
        return st;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    return app_audit_append(c, w->actor, app_now(), "user.create", "user", ids, err,
                            "新增用户 %s（%s，机构 %" PRId64 "） / added user %s (%s, organisation "
                            "%" PRId64 ")",
                            in->username, authz_role_name(w->role), org_id, in->username,
                            authz_role_name(w->role), org_id);
}

cy_status_t
app_user_create(app_t *app, const actor_t *actor, const user_input_t *in, user_t *out,
                cy_error_t *err)
{
    user_create_t w = {actor, in, ROLE_MEMBER, NULL, out};
    cy_status_t st;
    if ((st = check_username(in->username, err)) != CY_OK)
        return st;
    if (in->display_name == NULL)
        return cy_error_set(err, CY_EINVAL, "missing_field", "display_name",
                            "缺少姓名 / display_name is required");
    if ((st = check_text(in->display_name, sizeof out->display_name, "display_name", 1, err)) ||
        (st = check_text(in->email ? in->email : "", sizeof out->email, "email", 0, err)) ||
        (st = check_text(in->phone ? in->phone : "", sizeof out->phone, "phone", 0, err)) ||
        (st = contact_email_check(in->email, "email", err)) ||
        (st = contact_phone_check(in->phone, "phone", err)))
        return st;
    if (in->role == NULL || authz_role_parse(in->role, &w.role) != 0)
        return cy_error_set(err, CY_EINVAL, "role_unknown", "role",
                            "角色应为 admin、member 或 viewer / role must be admin, member or "
                            "viewer");
    if ((st = app_password_rules(in->password, in->username, err)) != CY_OK)
        return st;
    /* hash outside the transaction: argon2id takes a while and holds no lock */
    char hash[128];
    if ((st = app_password_hash(in->password, hash, err)) != CY_OK)
        return st;
    w.hash = hash;
    return store_tx(app->store, user_create_tx, &w, err);
}

/* ---------- update ---------- */

typedef struct {
    const actor_t *actor;
    int64_t id;
    const user_patch_t *in;
    user_t *out;
} user_update_t;

static cy_status_t
user_update_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    user_update_t *w = arg;
    user_t *u = w->out;
    int found = 0;
    cy_status_t st = load_user(c, w->id, u, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !user_visible(w->actor, u->org_id))
        return user_not_found(w->id, err);
    if (!may_manage(w->actor, u->org_id))
        return forbidden(err);
    const user_patch_t *in = w->in;
    user_role_t role = u->role;
    if (in->role != NULL && authz_role_parse(in->role, &role) != 0)
        return cy_error_set(err, CY_EINVAL, "role_unknown", "role",
                            "角色应为 admin、member 或 viewer / role must be admin, member or "
                            "viewer");
    int disabling = in->has_disabled && in->disabled && !u->disabled;
    if ((disabling || (u->role == ROLE_ADMIN && role != ROLE_ADMIN)) && !u->disabled &&
        (st = keep_last_admin(c, u, err)) != CY_OK)
        return st;
    if (in->display_name &&
        (st = check_text(in->display_name, sizeof u->display_name, "display_name", 1, err)))
        return st;
    if (in->email && ((st = check_text(in->email, sizeof u->email, "email", 0, err)) ||
                      (st = contact_email_check(in->email, "email", err))))
        return st;
    if (in->phone && ((st = check_text(in->phone, sizeof u->phone, "phone", 0, err)) ||
                      (st = contact_phone_check(in->phone, "phone", err))))
        return st;
    if (in->display_name)
        snprintf(u->display_name, sizeof u->display_name, "%s", in->display_name);
    if (in->email)
        snprintf(u->email, sizeof u->email, "%s", in->email);
    if (in->phone)
        snprintf(u->phone, sizeof u->phone, "%s", in->phone);
    user_role_t old_role = u->role;
    int was_disabled = u->disabled;
    u->role = role;
    if (in->has_disabled)
        u->disabled = in->disabled ? 1 : 0;
    char now[32];
    app_now_iso(now);
    store_param_t p[] = {STORE_P_TEXT(u->display_name),
                         STORE_P_TEXT(authz_role_name(u->role)),
                         STORE_P_TEXT(u->email),
                         STORE_P_TEXT(u->phone),
                         STORE_P_INT(u->disabled),
                         STORE_P_TEXT(now),
                         STORE_P_INT(u->id)};
    st = store_exec(c,
                    "UPDATE app_user SET display_name = $1, role = $2, email = $3, phone = $4, "
                    "disabled = $5, updated_at = $6 WHERE id = $7",
                    p, 7, NULL, err);
    if (st != CY_OK)
        return st;
    if (disabling && (st = end_sessions(c, u->id, NULL, 1, err)) != CY_OK)
        return st;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, u->id);
    if (disabling)
        return app_audit_append(c, w->actor, app_now(), "user.disable", "user", ids, err,
                                "停用用户 %s，结束其会话并吊销其令牌 / disabled user %s, ended its "
                                "sessions and revoked its tokens",
                                u->username, u->username);
    return app_audit_append(c, w->actor, app_now(), "user.update", "user", ids, err,
                            "修改用户 %s（角色 %s→%s，%s） / updated user %s (role %s→%s, %s)",
                            u->username, authz_role_name(old_role), authz_role_name(u->role),
                            was_disabled && !u->disabled ? "启用" : "-", u->username,
                            authz_role_name(old_role), authz_role_name(u->role),
                            was_disabled && !u->disabled ? "enabled" : "-");
}

cy_status_t
app_user_update(app_t *app, const actor_t *actor, int64_t id, const user_patch_t *in, user_t *out,
                cy_error_t *err)
{
    user_update_t w = {actor, id, in, out};
    return store_tx(app->store, user_update_tx, &w, err);
}

/* ---------- password ---------- */

typedef struct {
    const actor_t *actor;
    int64_t id;
    const char *password, *current;
    int self;
} user_pw_t;

static cy_status_t
user_pw_tx(store_conn_t *c, void *arg, cy_error_t *err)
{
    user_pw_t *w = arg;
    user_t u;
    int found = 0;
    cy_status_t st = load_user(c, w->id, &u, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || !user_visible(w->actor, u.org_id))
        return user_not_found(w->id, err);
    w->self = !w->actor->cli && w->actor->user_id == u.id;
    if (!w->self && !may_manage(w->actor, u.org_id))
        return forbidden(err);
    if ((st = app_password_rules(w->password, u.username, err)) != CY_OK)
        return st;
    if (w->self) {
        store_param_t p[] = {STORE_P_INT(u.id)};
        store_rows_t *r;
        if ((st = store_query(c, "SELECT password_hash FROM app_user WHERE id = $1", p, 1, &r,
                              err)) != CY_OK)
            return st;
        int ok = store_rows_next(r, err) == 1 && w->current != NULL &&
                 app_password_verify(store_rows_text(r, 0), w->current);
        store_rows_free(r);
        if (!ok)
            return cy_error_set(err, CY_EINVAL, "current_password_wrong", "current_password",
                                "当前密码不正确 / the current password is wrong");
    }
    char hash[128], now[32];
    if ((st = app_password_hash(w->password, hash, err)) != CY_OK)
        return st;
    app_now_iso(now);
    store_param_t q[] = {STORE_P_TEXT(hash), STORE_P_TEXT(now), STORE_P_INT(u.id)};
    if ((st = store_exec(c, "UPDATE app_user SET password_hash = $1, updated_at = $2 WHERE id = $3",
                         q, 3, NULL, err)) != CY_OK)
        return st;
    if ((st = end_sessions(c, u.id, w->self ? w->actor->session : NULL, 0, err)) != CY_OK)
        return st;
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, u.id);
    return app_audit_append(c, w->actor, app_now(),
                            w->self ? "user.password" : "user.password_reset", "user", ids, err,
                            "%s用户 %s 的密码 / %s the password of %s", w->self ? "修改" : "重置",
                            u.username, w->self ? "changed" : "reset", u.username);
}

cy_status_t
app_user_password(app_t *app, const actor_t *actor, int64_t id, const char *password,
                  const char *current, cy_error_t *err)
{
    user_pw_t w = {actor, id, password ? password : "", current, 0};
    return store_tx(app->store, user_pw_tx, &w, err);
}

/* ---------- read ---------- */

cy_status_t
app_user_get(app_t *app, const actor_t *actor, int64_t id, user_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = load_user(c, id, out, &found, err);
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    if (!found || !user_visible(actor, out->org_id))
        return user_not_found(id, err);
    return CY_OK;
}

cy_status_t
app_user_list(app_t *app, const actor_t *actor, int64_t org_id, user_fn fn, void *arg,
              cy_error_t *err)
{
    if (org_id == 0)
        org_id = actor->org_id;
    if (!user_visible(actor, org_id))
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                            "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", org_id,
                            org_id);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_INT(org_id)};
    store_rows_t *r;
    st = store_query(c, "SELECT " USER_COLS " FROM app_user WHERE org_id = $1 ORDER BY id", p, 1,
                     &r, err);
    if (st == CY_OK) {
        user_t u;
        while (store_rows_next(r, err) == 1) {
            user_from_row(r, &u);
            fn(&u, arg);
        }
        store_rows_free(r);
    }
    store_release(app->store, c);
    return st;
}

cy_status_t
app_user_find(app_t *app, const char *username, int64_t *id, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    store_param_t p[] = {STORE_P_TEXT(username)};
    int found = 0;
    st = store_query_int(c, "SELECT id FROM app_user WHERE username = $1", p, 1, id, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "username",
                            "用户 %s 不存在 / no user %s", username, username);
    return st;
}
