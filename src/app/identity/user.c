/*
 * user.c — user use cases: create, update (role, contact, disabling),
 * password, get, list. Rows go through repo.c; each write is one
 * transaction with its audit entry. Depends on core/ and store/.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/identity/internal.h"
#include "core/contact.h"
#include "core/utf8.h"

/* Users are visible to their own organisation and to the operators, never to regions. */
static int
user_visible(const actor_t *a, int64_t org_id)
{
    return a->cli || authz_sees_all(a->org_type) || a->org_id == org_id;
}

/* Admins manage their own organisation's users; the operators any (visibility checked first). */
static cy_status_t
may_manage(const actor_t *a, int64_t org_id, cy_error_t *err)
{
    if (a->cli)
        return CY_OK;
    if (!authz_allowed(a->org_type, a->role, ACT_USER_MANAGE))
        return app_forbidden(err, ACT_USER_MANAGE);
    if (!authz_sees_all(a->org_type) && a->org_id != org_id)
        return cy_error_set(
            err, CY_EFORBIDDEN, "forbidden", NULL,
            "无权管理该机构的用户 / not allowed to manage this organisation's users");
    return CY_OK;
}

static cy_status_t
user_not_found(int64_t id, cy_error_t *err)
{
    return app_not_found(err, "用户", "user", id);
}

static cy_status_t
org_not_found(int64_t id, cy_error_t *err)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                        "机构 %" PRId64 " 不存在 / organisation %" PRId64 " not found", id, id);
}

/* ---------- validation ---------- */

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

static cy_status_t
check_role(const char *s, user_role_t *role, cy_error_t *err)
{
    if (s == NULL || authz_role_parse(s, role) != 0)
        return cy_error_set(err, CY_EINVAL, "role_unknown", "role",
                            "角色应为 admin、member 或 viewer / role must be admin, member or "
                            "viewer");
    return CY_OK;
}

/* The contact fields present (NULL: absent) are well-formed and fit u. */
static cy_status_t
check_contacts(const char *display_name, const char *email, const char *phone, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    user_t u;
    if (display_name != NULL)
        st = check_text(display_name, sizeof u.display_name, "display_name", 1, err);
    if (st == CY_OK && email != NULL &&
        (st = check_text(email, sizeof u.email, "email", 0, err)) == CY_OK)
        st = contact_email_check(email, "email", err);
    if (st == CY_OK && phone != NULL &&
        (st = check_text(phone, sizeof u.phone, "phone", 0, err)) == CY_OK)
        st = contact_phone_check(phone, "phone", err);
    return st;
}

/* An organisation must keep one enabled admin: refuse to remove its last one. */
static cy_status_t
keep_last_admin(store_conn_t *c, const user_t *u, cy_error_t *err)
{
    int64_t others = 0;
    cy_status_t st = user_repo_other_admins(c, u, &others, err);
    if (st == CY_OK && others == 0)
        return cy_error_set(err, CY_ECONFLICT, "last_admin", "role",
                            "这是该机构最后一位管理员，不能停用或降级 / this is the "
                            "organisation's last admin: it cannot be disabled or demoted");
    return st;
}

static void
id_text(int64_t id, char buf[24])
{
    snprintf(buf, 24, "%" PRId64, id);
}

/* ---------- create ---------- */

/* The organisation a new user joins: visible to the actor, managed by it, existing. */
static cy_status_t
check_target_org(app_t *app, store_conn_t *c, const actor_t *a, int64_t org_id, cy_error_t *err)
{
    /* an organisation outside the caller's sight is "not found", not "forbidden" */
    if (!user_visible(a, org_id))
        return org_not_found(org_id, err);
    cy_status_t st = may_manage(a, org_id, err);
    if (st != CY_OK)
        return st;
    org_t o;
    int found = 0;
    st = org_repo_get(app->ref, c, org_id, &o, &found, err);
    if (st == CY_OK && !found)
        return org_not_found(org_id, err);
    return st;
}

cy_status_t
app_user_create(app_t *app, const actor_t *actor, int64_t now, const user_input_t *in, user_t *out,
                cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    cy_status_t st = check_username(in->username, err);
    if (st == CY_OK && in->display_name == NULL)
        st = cy_error_set(err, CY_EINVAL, "missing_field", "display_name",
                          "缺少姓名 / display_name is required");
    if (st == CY_OK)
        st = check_contacts(in->display_name, in->email ? in->email : "",
                            in->phone ? in->phone : "", err);
    if (st == CY_OK)
        st = check_role(in->role, &out->role, err);
    if (st == CY_OK)
        st = app_password_rules(in->password, in->username, err);
    /* hash outside the transaction: argon2id takes a while and holds no lock */
    char hash[128];
    if (st == CY_OK)
        st = app_password_hash(in->password, hash, err);
    if (st != CY_OK)
        return st;
    out->org_id = in->org_id ? in->org_id : actor->org_id;
    snprintf(out->username, sizeof out->username, "%s", in->username);
    snprintf(out->display_name, sizeof out->display_name, "%s", in->display_name);
    snprintf(out->email, sizeof out->email, "%s", in->email ? in->email : "");
    snprintf(out->phone, sizeof out->phone, "%s", in->phone ? in->phone : "");

    store_conn_t *c;
    if ((st = store_tx_open(app->store, &c, err)) != CY_OK)
        return st;
    st = check_target_org(app, c, actor, out->org_id, err);
    if (st == CY_OK)
        st = user_repo_insert(c, out, hash, now, err);
    char id[24];
    id_text(out->id, id);
    const char *role = authz_role_name(out->role);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "user.create", "user", id, err,
                              "新增用户 %s（%s，机构 %" PRId64 "） / added user %s (%s, "
                              "organisation %" PRId64 ")",
                              out->username, role, out->org_id, out->username, role, out->org_id);
    return store_tx_close(app->store, c, st, err);
}

/* ---------- update ---------- */

/* Apply the patch onto u; *disabling says whether it disables an enabled user. */
static cy_status_t
apply_patch(store_conn_t *c, user_t *u, const user_patch_t *in, int *disabling, cy_error_t *err)
{
    user_role_t role = u->role;
    cy_status_t st = in->role != NULL ? check_role(in->role, &role, err) : CY_OK;
    *disabling = in->has_disabled && in->disabled && !u->disabled;
    if (st == CY_OK && !u->disabled &&
        (*disabling || (u->role == ROLE_ADMIN && role != ROLE_ADMIN)))
        st = keep_last_admin(c, u, err);
    if (st == CY_OK)
        st = check_contacts(in->display_name, in->email, in->phone, err);
    if (st != CY_OK)
        return st;
    if (in->display_name)
        snprintf(u->display_name, sizeof u->display_name, "%s", in->display_name);
    if (in->email)
        snprintf(u->email, sizeof u->email, "%s", in->email);
    if (in->phone)
        snprintf(u->phone, sizeof u->phone, "%s", in->phone);
    u->role = role;
    if (in->has_disabled)
        u->disabled = in->disabled ? 1 : 0;
    return CY_OK;
}

/* The audit entry of an update: a disabling, or the role and enabling. */
static cy_status_t
audit_update(store_conn_t *c, const actor_t *a, int64_t now, const user_t *before, const user_t *u,
             cy_error_t *err)
{
    char id[24];
    id_text(u->id, id);
    if (u->disabled && !before->disabled)
        return app_audit_append(c, a, now, "user.disable", "user", id, err,
                                "停用用户 %s，结束其会话并吊销其令牌 / disabled user %s, ended its "
                                "sessions and revoked its tokens",
                                u->username, u->username);
    const char *from = authz_role_name(before->role), *to = authz_role_name(u->role);
    int enabled = before->disabled && !u->disabled;
    return app_audit_append(c, a, now, "user.update", "user", id, err,
                            "修改用户 %s（角色 %s→%s，%s） / updated user %s (role %s→%s, %s)",
                            u->username, from, to, enabled ? "启用" : "-", u->username, from, to,
                            enabled ? "enabled" : "-");
}

cy_status_t
app_user_update(app_t *app, const actor_t *actor, int64_t now, int64_t id, const user_patch_t *in,
                user_t *out, cy_error_t *err)
{
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0, disabling = 0;
    user_t before;
    st = user_repo_get(c, id, out, &found, err);
    if (st == CY_OK && (!found || !user_visible(actor, out->org_id)))
        st = user_not_found(id, err);
    if (st == CY_OK)
        st = may_manage(actor, out->org_id, err);
    if (st == CY_OK) {
        before = *out;
        st = apply_patch(c, out, in, &disabling, err);
    }
    if (st == CY_OK)
        st = user_repo_update(c, out, now, err);
    if (st == CY_OK && disabling && (st = session_repo_end_user(c, id, NULL, err)) == CY_OK)
        st = token_repo_revoke_user(c, id, now, err);
    if (st == CY_OK)
        st = audit_update(c, actor, now, &before, out, err);
    return store_tx_close(app->store, c, st, err);
}

/* ---------- password ---------- */

/* One's own password needs the current one. */
static cy_status_t
check_current(store_conn_t *c, int64_t id, const char *current, cy_error_t *err)
{
    char hash[128];
    cy_status_t st = user_repo_hash(c, id, hash, err);
    if (st == CY_OK && (current == NULL || !app_password_verify(hash, current)))
        return cy_error_set(err, CY_EINVAL, "current_password_wrong", "current_password",
                            "当前密码不正确 / the current password is wrong");
    return st;
}

static cy_status_t
audit_password(store_conn_t *c, const actor_t *a, int64_t now, const user_t *u, int self,
               cy_error_t *err)
{
    char id[24];
    id_text(u->id, id);
    if (self)
        return app_audit_append(c, a, now, "user.password", "user", id, err,
                                "修改用户 %s 的密码 / changed the password of %s", u->username,
                                u->username);
    return app_audit_append(c, a, now, "user.password_reset", "user", id, err,
                            "重置用户 %s 的密码，结束其会话并吊销其 API 令牌 / reset the password "
                            "of %s, ended its sessions and revoked its API tokens",
                            u->username, u->username);
}

cy_status_t
app_user_password(app_t *app, const actor_t *actor, int64_t now, int64_t id, const char *password,
                  const char *current, cy_error_t *err)
{
    if (password == NULL)
        password = "";
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    user_t u;
    int found = 0;
    st = user_repo_get(c, id, &u, &found, err);
    if (st == CY_OK && (!found || !user_visible(actor, u.org_id)))
        st = user_not_found(id, err);
    int self = !actor->cli && actor->user_id == id;
    if (st == CY_OK && !self)
        st = may_manage(actor, u.org_id, err);
    if (st == CY_OK)
        st = app_password_rules(password, u.username, err);
    if (st == CY_OK && self)
        st = check_current(c, id, current, err);
    char hash[128];
    if (st == CY_OK)
        st = app_password_hash(password, hash, err);
    if (st == CY_OK)
        st = user_repo_set_password(c, id, hash, now, err);
    if (st == CY_OK)
        st = session_repo_end_user(c, id, self ? actor->session : NULL, err);
    /* a reset is for a password someone else may know: its tokens go with it */
    if (st == CY_OK && !self)
        st = token_repo_revoke_user(c, id, now, err);
    if (st == CY_OK)
        st = audit_password(c, actor, now, &u, self, err);
    return store_tx_close(app->store, c, st, err);
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
    st = user_repo_get(c, id, out, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && (!found || !user_visible(actor, out->org_id)))
        return user_not_found(id, err);
    return st;
}

cy_status_t
app_user_list(app_t *app, const actor_t *actor, int64_t org_id, user_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (org_id == 0)
        org_id = actor->org_id;
    if (!user_visible(actor, org_id))
        return org_not_found(org_id, err);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = user_repo_list(c, org_id, out, err);
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
    int found = 0;
    st = user_repo_find(c, username, id, &found, err);
    store_release(app->store, c);
    if (st == CY_OK && !found)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "username",
                            "用户 %s 不存在 / no user %s", username, username);
    return st;
}
