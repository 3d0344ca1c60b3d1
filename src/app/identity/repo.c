/*
 * repo.c — identity's repository: rows of organisation, app_user, session,
 * api_token and login_attempt to and from structs, each column by its name,
 * each table in this one file. Times are stored as ISO-8601 UTC text and
 * travel as UTC seconds. Depends on core/ and store/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/identity/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

/*
 * Every row of a result is read by one mapper per table (or join), which
 * fills a struct of its own type from the row's named columns.
 */
typedef void (*row_map_fn)(const ref_data_t *ref, const store_rows_t *r, void *item);

/* Runs sql and maps its first row into item; *found says whether there was one. */
static cy_status_t
query_one(store_conn_t *c, const char *sql, const store_param_t *p, int n, row_map_fn map,
          const ref_data_t *ref, void *item, int *found, cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    *found = k == 1;
    if (*found)
        map(ref, r, item);
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

/* Runs sql and maps every row into a malloc'd array of *count items of size bytes. */
static cy_status_t
query_all(store_conn_t *c, const char *sql, const store_param_t *p, int n, row_map_fn map,
          const ref_data_t *ref, size_t size, void **items, size_t *count, cy_error_t *err)
{
    *items = NULL;
    *count = 0;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            void *grown = realloc(*items, cap * size);
            if (grown == NULL) {
                k = -1;
                cy_error_no_memory(err);
                break;
            }
            *items = grown;
        }
        map(ref, r, (char *)*items + (*count)++ * size);
    }
    store_rows_free(r);
    if (k < 0) {
        free(*items);
        *items = NULL;
        *count = 0;
        return err->status;
    }
    return CY_OK;
}

/* The ISO text of t, for a parameter. */
typedef struct {
    char s[32];
} iso_t;

static iso_t
iso(int64_t t)
{
    iso_t x;
    utc_format_iso(t, x.s);
    return x;
}

/*
 * A write to rows that servers keep copies of (who a session or an API
 * token is: the user, its organisation, the session, the token): it bumps
 * the cache epoch first, so that every copy is dropped when it commits
 * (store.h). Every such write goes through here.
 */
static cy_status_t
cached_write(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *changes,
             cy_error_t *err)
{
    cy_status_t st = store_epoch_bump(c, err);
    return st == CY_OK ? store_exec(c, sql, p, n, changes, err) : st;
}

/* ---------- organisation ---------- */

#define ORG_COLS                                                                                   \
    "id, name, type, uscc, uscc_warning, region_code, province_code, city_code, "                  \
    "industry_section, industry_division, nature, nature_other, founded_on, "                      \
    "registered_capital_fen, address, contact, phone, fax, email, licence_no, created_at, "        \
    "updated_at"

void
org_region_name(const ref_data_t *ref, org_t *o)
{
    const ref_region_t *reg = ref_region_find(ref, o->region_code);
    if (reg == NULL)
        reg = ref_region_city_of(ref, o->region_code);
    if (reg == NULL)
        reg = ref_region_province_of(ref, o->region_code);
    snprintf(o->region_name, sizeof o->region_name, "%s", reg ? reg->name : "");
}

static const store_col_t ORG_MAP[] = {STORE_COL(org_t, id),
                                      STORE_COL(org_t, name),
                                      STORE_COL(org_t, uscc),
                                      STORE_COL(org_t, uscc_warning),
                                      STORE_COL(org_t, region_code),
                                      STORE_COL(org_t, province_code),
                                      STORE_COL(org_t, city_code),
                                      STORE_COL(org_t, industry_section),
                                      STORE_COL(org_t, industry_division),
                                      STORE_COL(org_t, nature),
                                      STORE_COL(org_t, nature_other),
                                      STORE_COL(org_t, founded_on),
                                      STORE_COL(org_t, address),
                                      STORE_COL(org_t, contact),
                                      STORE_COL(org_t, phone),
                                      STORE_COL(org_t, fax),
                                      STORE_COL(org_t, email),
                                      STORE_COL(org_t, licence_no),
                                      STORE_COL(org_t, created_at),
                                      STORE_COL(org_t, updated_at)};

static void
org_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    org_t *o = item;
    memset(o, 0, sizeof *o);
    store_row_read(r, ORG_MAP, STORE_COLS_N(ORG_MAP), o);
    authz_org_type_parse(store_row_text(r, "type"), &o->type);
    o->registered_capital_fen = store_row_isnull(r, "registered_capital_fen")
                                    ? -1
                                    : store_row_int(r, "registered_capital_fen");
    org_region_name(ref, o);
}

cy_status_t
org_repo_get(const ref_data_t *ref, store_conn_t *c, int64_t id, org_t *o, int *found,
             cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return query_one(c, "SELECT " ORG_COLS " FROM organisation WHERE id = $1", p, 1, org_from_row,
                     ref, o, found, err);
}

cy_status_t
org_repo_list(const ref_data_t *ref, store_conn_t *c, const org_query_t *q, const app_page_t *page,
              org_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    char region_like[8], scope_like[8];
    snprintf(region_like, sizeof region_like, "%s%%", q->region ? q->region : "");
    snprintf(scope_like, sizeof scope_like, "%s%%", q->prefix);
    store_param_t p[] = {STORE_P_INT(page->cursor), STORE_P_INT(q->all),
                         STORE_P_INT(q->own_id),    STORE_P_INT(q->prefix[0] != '\0'),
                         STORE_P_TEXT(scope_like),  STORE_P_TEXT(q->type),
                         STORE_P_TEXT(region_like), STORE_P_INT(page->limit + 1)};
    void *items;
    cy_status_t st = query_all(c,
                               "SELECT " ORG_COLS " FROM organisation WHERE id > $1 "
                               "AND ($2 = 1 OR id = $3 OR ($4 = 1 AND region_code LIKE $5)) "
                               "AND (CAST($6 AS TEXT) IS NULL OR type = $6) "
                               "AND region_code LIKE $7 ORDER BY id LIMIT $8",
                               p, 8, org_from_row, ref, sizeof(org_t), &items, &out->n, err);
    out->items = items;
    if (st == CY_OK && out->n > (size_t)page->limit) {
        out->n = (size_t)page->limit;
        out->next = out->items[out->n].id - 1; /* the next page starts at the row after */
    }
    return st;
}

void
org_list_free(org_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* The columns every write sets, $1 … $20, then the id as $21. */
#define ORG_PARAMS 21
#define OPT(s)     ((s)[0] ? STORE_P_TEXT(s) : STORE_P_NULL)

static void
org_params(const org_t *o, store_param_t p[ORG_PARAMS])
{
    store_param_t v[ORG_PARAMS] = {
        STORE_P_TEXT(o->name),
        STORE_P_TEXT(authz_org_type_name(o->type)),
        STORE_P_TEXT(o->uscc),
        OPT(o->uscc_warning),
        STORE_P_TEXT(o->region_code),
        STORE_P_TEXT(o->province_code),
        OPT(o->city_code),
        OPT(o->industry_section),
        OPT(o->industry_division),
        STORE_P_TEXT(o->nature),
        OPT(o->nature_other),
        OPT(o->founded_on),
        o->registered_capital_fen >= 0 ? STORE_P_INT(o->registered_capital_fen) : STORE_P_NULL,
        STORE_P_TEXT(o->address),
        STORE_P_TEXT(o->contact),
        STORE_P_TEXT(o->phone),
        STORE_P_TEXT(o->fax),
        STORE_P_TEXT(o->email),
        OPT(o->licence_no),
        STORE_P_TEXT(o->updated_at),
        STORE_P_INT(o->id),
    };
    memcpy(p, v, sizeof v);
}

static cy_status_t
uscc_taken(cy_status_t st, const org_t *o, cy_error_t *err)
{
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "uscc_taken", "uscc",
                            "统一社会信用代码 %s 已注册 / USCC %s is already registered", o->uscc,
                            o->uscc);
    return st;
}

cy_status_t
org_repo_insert(store_conn_t *c, org_t *o, cy_error_t *err)
{
    store_param_t p[ORG_PARAMS];
    org_params(o, p);
    p[ORG_PARAMS - 1] = STORE_P_TEXT(o->created_at); /* $21: no id yet */
    cy_status_t st = store_query_int(
        c,
        "INSERT INTO organisation (name, type, uscc, uscc_warning, region_code, province_code, "
        "city_code, industry_section, industry_division, nature, nature_other, founded_on, "
        "registered_capital_fen, address, contact, phone, fax, email, licence_no, updated_at, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18, $19, $20, $21) RETURNING id",
        p, ORG_PARAMS, &o->id, NULL, err);
    return uscc_taken(st, o, err);
}

cy_status_t
org_repo_update(store_conn_t *c, const org_t *o, cy_error_t *err)
{
    store_param_t p[ORG_PARAMS];
    org_params(o, p);
    cy_status_t st = cached_write(
        c,
        "UPDATE organisation SET name = $1, type = $2, uscc = $3, uscc_warning = $4, "
        "region_code = $5, province_code = $6, city_code = $7, industry_section = $8, "
        "industry_division = $9, nature = $10, nature_other = $11, founded_on = $12, "
        "registered_capital_fen = $13, address = $14, contact = $15, phone = $16, fax = $17, "
        "email = $18, licence_no = $19, updated_at = $20 WHERE id = $21",
        p, ORG_PARAMS, NULL, err);
    return uscc_taken(st, o, err);
}

cy_status_t
org_repo_find_uscc(store_conn_t *c, const char *uscc, int64_t *id, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(uscc)};
    return store_query_int(c, "SELECT id FROM organisation WHERE uscc = $1", p, 1, id, found, err);
}

/* ---------- app_user ---------- */

#define USER_COLS "id, org_id, username, display_name, role, email, phone, disabled, created_at"

static void
user_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    user_t *u = item;
    memset(u, 0, sizeof *u);
    u->id = store_row_int(r, "id");
    u->org_id = store_row_int(r, "org_id");
    store_row_copy(r, "username", u->username, sizeof u->username);
    store_row_copy(r, "display_name", u->display_name, sizeof u->display_name);
    authz_role_parse(store_row_text(r, "role"), &u->role);
    store_row_copy(r, "email", u->email, sizeof u->email);
    store_row_copy(r, "phone", u->phone, sizeof u->phone);
    u->disabled = store_row_int(r, "disabled") != 0;
    store_row_copy(r, "created_at", u->created_at, sizeof u->created_at);
}

cy_status_t
user_repo_get(store_conn_t *c, int64_t id, user_t *u, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return query_one(c, "SELECT " USER_COLS " FROM app_user WHERE id = $1", p, 1, user_from_row,
                     NULL, u, found, err);
}

cy_status_t
user_repo_list(store_conn_t *c, int64_t org_id, user_list_t *out, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org_id)};
    void *items;
    cy_status_t st =
        query_all(c, "SELECT " USER_COLS " FROM app_user WHERE org_id = $1 ORDER BY id", p, 1,
                  user_from_row, NULL, sizeof(user_t), &items, &out->n, err);
    out->items = items;
    return st;
}

void
user_list_free(user_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

cy_status_t
user_repo_insert(store_conn_t *c, user_t *u, const char *hash, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_INT(u->org_id),
                         STORE_P_TEXT(u->username),
                         STORE_P_TEXT(u->display_name),
                         STORE_P_TEXT(authz_role_name(u->role)),
                         STORE_P_TEXT(u->email),
                         STORE_P_TEXT(u->phone),
                         STORE_P_TEXT(hash),
                         STORE_P_TEXT(at.s)};
    int found = 0;
    cy_status_t st = query_one(c,
                               "INSERT INTO app_user (org_id, username, display_name, role, "
                               "email, phone, password_hash, created_at, updated_at) VALUES "
                               "($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING " USER_COLS,
                               p, 8, user_from_row, NULL, u, &found, err);
    if (st == CY_ECONFLICT)
        return cy_error_set(err, CY_ECONFLICT, "username_taken", "username",
                            "用户名 %s 已被使用 / username %s is taken", u->username, u->username);
    return st;
}

cy_status_t
user_repo_update(store_conn_t *c, const user_t *u, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(u->display_name),
                         STORE_P_TEXT(authz_role_name(u->role)),
                         STORE_P_TEXT(u->email),
                         STORE_P_TEXT(u->phone),
                         STORE_P_INT(u->disabled),
                         STORE_P_TEXT(at.s),
                         STORE_P_INT(u->id)};
    return cached_write(c,
                        "UPDATE app_user SET display_name = $1, role = $2, email = $3, phone = $4, "
                        "disabled = $5, updated_at = $6 WHERE id = $7",
                        p, 7, NULL, err);
}

cy_status_t
user_repo_find(store_conn_t *c, const char *username, int64_t *id, int *found, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(username)};
    return store_query_int(c, "SELECT id FROM app_user WHERE username = $1", p, 1, id, found, err);
}

static void
hash_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    store_row_copy(r, "password_hash", item, 128);
}

cy_status_t
user_repo_hash(store_conn_t *c, int64_t id, char hash[128], cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    int found = 0;
    hash[0] = '\0';
    return query_one(c, "SELECT password_hash FROM app_user WHERE id = $1", p, 1, hash_from_row,
                     NULL, hash, &found, err);
}

cy_status_t
user_repo_set_password(store_conn_t *c, int64_t id, const char *hash, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(hash), STORE_P_TEXT(at.s), STORE_P_INT(id)};
    return cached_write(c, "UPDATE app_user SET password_hash = $1, updated_at = $2 WHERE id = $3",
                        p, 3, NULL, err);
}

cy_status_t
user_repo_other_admins(store_conn_t *c, const user_t *u, int64_t *n, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(u->org_id), STORE_P_INT(u->id)};
    return store_query_int(c,
                           "SELECT COUNT(*) FROM app_user WHERE org_id = $1 AND id <> $2 "
                           "AND role = 'admin' AND disabled = 0",
                           p, 2, n, NULL, err);
}

/* ---------- the caller ---------- */

/* The columns of the user and its organisation every actor query selects. */
#define ACTOR_COLS                                                                                 \
    "u.id AS user_id, u.org_id AS org_id, u.username AS username, u.role AS role, "                \
    "u.disabled AS disabled, o.type AS org_type, o.region_code AS region_code"

/* Fills a from the row; answers whether the user is disabled (or its row unreadable). */
static int
actor_from_row(const store_rows_t *r, actor_t *a)
{
    memset(a, 0, sizeof *a);
    a->user_id = store_row_int(r, "user_id");
    a->org_id = store_row_int(r, "org_id");
    store_row_copy(r, "username", a->username, sizeof a->username);
    store_row_copy(r, "region_code", a->region, sizeof a->region);
    if (authz_role_parse(store_row_text(r, "role"), &a->role) != 0 ||
        authz_org_type_parse(store_row_text(r, "org_type"), &a->org_type) != 0)
        return 1;
    return store_row_int(r, "disabled") != 0;
}

static void
login_user_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    login_user_t *u = item;
    u->disabled = actor_from_row(r, &u->actor);
    store_row_copy(r, "password_hash", u->hash, sizeof u->hash);
}

cy_status_t
actor_repo_by_username(store_conn_t *c, const char *username, login_user_t *out, int *found,
                       cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(username)};
    return query_one(c,
                     "SELECT u.password_hash AS password_hash, " ACTOR_COLS
                     " FROM app_user u JOIN organisation o ON o.id = u.org_id "
                     "WHERE u.username = $1",
                     p, 1, login_user_from_row, NULL, out, found, err);
}

static void
session_user_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    session_user_t *s = item;
    s->disabled = actor_from_row(r, &s->actor);
    store_row_copy(r, "csrf_token", s->actor.csrf, sizeof s->actor.csrf);
    s->last_seen = app_iso_to_time(store_row_text(r, "last_seen_at"));
    s->expires = app_iso_to_time(store_row_text(r, "expires_at"));
}

cy_status_t
actor_repo_by_session(store_conn_t *c, const char *token_hash, session_user_t *out, int *found,
                      cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(token_hash)};
    return query_one(c,
                     "SELECT s.csrf_token AS csrf_token, s.last_seen_at AS last_seen_at, "
                     "s.expires_at AS expires_at, " ACTOR_COLS
                     " FROM session s JOIN app_user u ON u.id = s.user_id "
                     "JOIN organisation o ON o.id = u.org_id WHERE s.token_hash = $1",
                     p, 1, session_user_from_row, NULL, out, found, err);
}

static void
token_user_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    token_user_t *t = item;
    t->disabled = actor_from_row(r, &t->actor);
    t->token_id = store_row_int(r, "token_id");
    t->last_used = store_row_isnull(r, "last_used_at")
                       ? 0
                       : app_iso_to_time(store_row_text(r, "last_used_at"));
}

cy_status_t
actor_repo_by_token(store_conn_t *c, const char *token_hash, token_user_t *out, int *found,
                    cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(token_hash)};
    return query_one(c,
                     "SELECT t.id AS token_id, t.last_used_at AS last_used_at, " ACTOR_COLS
                     " FROM api_token t JOIN app_user u ON u.id = t.user_id "
                     "JOIN organisation o ON o.id = u.org_id "
                     "WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                     p, 1, token_user_from_row, NULL, out, found, err);
}

/* ---------- session ---------- */

cy_status_t
session_repo_insert(store_conn_t *c, const session_new_t *s, cy_error_t *err)
{
    iso_t created = iso(s->created), expires = iso(s->expires);
    store_param_t p[] = {STORE_P_TEXT(s->token_hash), STORE_P_INT(s->user_id),
                         STORE_P_TEXT(s->csrf),       STORE_P_TEXT(created.s),
                         STORE_P_TEXT(expires.s),     STORE_P_TEXT(s->ip)};
    return store_exec(c,
                      "INSERT INTO session (token_hash, user_id, csrf_token, created_at, "
                      "last_seen_at, expires_at, ip) VALUES ($1, $2, $3, $4, $4, $5, $6)",
                      p, 6, NULL, err);
}

cy_status_t
session_repo_delete(store_conn_t *c, const char *token_hash, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(token_hash)};
    return cached_write(c, "DELETE FROM session WHERE token_hash = $1", p, 1, NULL, err);
}

cy_status_t
session_repo_touch(store_conn_t *c, const char *token_hash, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(at.s), STORE_P_TEXT(token_hash)};
    return store_exec(c,
                      "UPDATE session SET last_seen_at = $1 WHERE token_hash = $2 "
                      "AND last_seen_at < $1",
                      p, 2, NULL, err);
}

cy_status_t
session_repo_end_user(store_conn_t *c, int64_t user_id, const char *keep_hash, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(user_id), STORE_P_TEXT(keep_hash ? keep_hash : "")};
    return cached_write(c, "DELETE FROM session WHERE user_id = $1 AND token_hash <> $2", p, 2,
                        NULL, err);
}

/* ---------- api_token ---------- */

cy_status_t
token_repo_insert(store_conn_t *c, int64_t user_id, const char *name, const char *prefix,
                  const char *token_hash, int64_t now, int64_t *id, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_INT(user_id), STORE_P_TEXT(name), STORE_P_TEXT(prefix),
                         STORE_P_TEXT(token_hash), STORE_P_TEXT(at.s)};
    return store_query_int(c,
                           "INSERT INTO api_token (user_id, name, prefix, token_hash, created_at) "
                           "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                           p, 5, id, NULL, err);
}

static void
token_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    api_token_t *t = item;
    t->id = store_row_int(r, "id");
    store_row_copy(r, "name", t->name, sizeof t->name);
    store_row_copy(r, "prefix", t->prefix, sizeof t->prefix);
    store_row_copy(r, "created_at", t->created_at, sizeof t->created_at);
    store_row_copy(r, "last_used_at", t->last_used_at, sizeof t->last_used_at);
    store_row_copy(r, "revoked_at", t->revoked_at, sizeof t->revoked_at);
}

cy_status_t
token_repo_list(store_conn_t *c, int64_t user_id, api_token_list_t *out, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(user_id)};
    void *items;
    cy_status_t st =
        query_all(c,
                  "SELECT id, name, prefix, created_at, last_used_at, revoked_at "
                  "FROM api_token WHERE user_id = $1 ORDER BY id",
                  p, 1, token_from_row, NULL, sizeof(api_token_t), &items, &out->n, err);
    out->items = items;
    return st;
}

void
api_token_list_free(api_token_list_t *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

cy_status_t
token_repo_revoke(store_conn_t *c, int64_t id, int64_t user_id, int64_t now, int64_t *changed,
                  cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(at.s), STORE_P_INT(id), STORE_P_INT(user_id)};
    return cached_write(c,
                        "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND user_id = $3 "
                        "AND revoked_at IS NULL",
                        p, 3, changed, err);
}

cy_status_t
token_repo_revoke_user(store_conn_t *c, int64_t user_id, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(at.s), STORE_P_INT(user_id)};
    return cached_write(c,
                        "UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 "
                        "AND revoked_at IS NULL",
                        p, 2, NULL, err);
}

cy_status_t
token_repo_touch(store_conn_t *c, int64_t id, int64_t now, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(at.s), STORE_P_INT(id)};
    return store_exec(c, "UPDATE api_token SET last_used_at = $1 WHERE id = $2", p, 2, NULL, err);
}

/* ---------- login_attempt ---------- */

static void
failures_from_row(const ref_data_t *ref, const store_rows_t *r, void *item)
{
    (void)ref;
    failures_t *f = item;
    f->n = store_row_int(r, "n");
    int64_t t = app_iso_to_time(store_row_text(r, "oldest"));
    if (t > 0)
        f->oldest = t;
}

static cy_status_t
failures(store_conn_t *c, const char *sql, const char *key, int64_t since, int64_t now,
         failures_t *out, cy_error_t *err)
{
    iso_t from = iso(since);
    store_param_t p[] = {STORE_P_TEXT(key), STORE_P_TEXT(from.s)};
    int found = 0;
    *out = (failures_t){0, now};
    return query_one(c, sql, p, 2, failures_from_row, NULL, out, &found, err);
}

cy_status_t
attempt_repo_account_failures(store_conn_t *c, const char *username, int64_t since, int64_t now,
                              failures_t *out, cy_error_t *err)
{
    return failures(c,
                    "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempt WHERE username = "
                    "$1 AND ok = 0 AND at > $2 AND at > COALESCE((SELECT MAX(at) FROM "
                    "login_attempt WHERE username = $1 AND ok = 1), '')",
                    username, since, now, out, err);
}

cy_status_t
attempt_repo_ip_failures(store_conn_t *c, const char *ip, int64_t since, int64_t now,
                         failures_t *out, cy_error_t *err)
{
    return failures(c,
                    "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempt WHERE ip = $1 "
                    "AND ok = 0 AND at > $2",
                    ip, since, now, out, err);
}

cy_status_t
attempt_repo_insert(store_conn_t *c, const char *username, const char *ip, int64_t now, int ok,
                    int64_t *id, cy_error_t *err)
{
    iso_t at = iso(now);
    store_param_t p[] = {STORE_P_TEXT(username), STORE_P_TEXT(ip), STORE_P_TEXT(at.s),
                         STORE_P_INT(ok)};
    int64_t ignored;
    return store_query_int(c,
                           "INSERT INTO login_attempt (username, ip, at, ok) VALUES ($1, $2, $3, "
                           "$4) RETURNING id",
                           p, 4, id ? id : &ignored, NULL, err);
}

cy_status_t
attempt_repo_succeeded(store_conn_t *c, int64_t id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(id)};
    return store_exec(c, "UPDATE login_attempt SET ok = 1 WHERE id = $1", p, 1, NULL, err);
}

/* A 64-bit FNV-1a of kind and key: the advisory lock's number. */
static int64_t
lock_key(const char *kind, const char *key)
{
    uint64_t h = 14695981039346656037ull;
    for (const char *s = kind; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (const char *s = key; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (int64_t)h;
}

cy_status_t
attempt_repo_lock(store_conn_t *c, int postgresql, const char *username, const char *ip,
                  cy_error_t *err)
{
    if (!postgresql)
        return CY_OK;
    store_param_t a[] = {STORE_P_INT(lock_key("login-account:", username))};
    store_param_t b[] = {STORE_P_INT(lock_key("login-ip:", ip))};
    cy_status_t st =
        store_exec(c, "SELECT pg_advisory_xact_lock(CAST($1 AS BIGINT))", a, 1, NULL, err);
    if (st == CY_OK)
        st = store_exec(c, "SELECT pg_advisory_xact_lock(CAST($1 AS BIGINT))", b, 1, NULL, err);
    return st;
}
