/*
 * authz.c — the role × action table and visibility scopes. Pure: libc only.
 *
 * Visibility (DOMAIN.md §1): ministry and support center see everything; a
 * province, its communications administration and a city see the records of
 * their region (region-code prefix) but not other organisations' personal
 * contact data; every other organisation sees its own records. Which records
 * fall in a scope is decided in app/ with authz_region_prefix; whether a
 * role may act at all is this table.
 */
#include "core/authz.h"

#include <string.h>

static const char *const ORG_NAMES[ORG_TYPE_COUNT] = {
    "ministry", "support_center", "province",   "city",   "comm_admin",
    "insurer",  "service_org",    "enterprise", "expert",
};

static const char *const ORG_NAMES_ZH[ORG_TYPE_COUNT] = {
    "工业和信息化部",           "试点支撑平台", "省级工业和信息化主管部门",
    "地市工业和信息化主管部门", "通信管理局",   "保险机构",
    "网络安全保险服务机构",     "行业企业",     "评审专家",
};

static const char *const ROLE_NAMES[ROLE_COUNT] = {"admin", "member", "viewer"};

static const char *const ACTION_NAMES[ACT_COUNT] = {
    "org.create",   "org.read",   "org.update",   "org.directory", "user.read", "user.manage",
    "token.manage", "audit.read", "audit.verify", "sim.run",       "sim.read",
};

/*
 * Bits of who may: A admin, M member, V viewer. Rows are actions, columns
 * organisation types in the order of org_type_t. A viewer only reads; an
 * admin manages its organisation's users and profile.
 */
enum { A = 1, M = 2, V = 4, AMV = A | M | V, AM = A | M };

static const unsigned char TABLE[ACT_COUNT][ORG_TYPE_COUNT] = {
    /*                 min  sup  prov city ca   ins  svc  ent  exp */
    [ACT_ORG_CREATE] = {AM, AM, 0, 0, 0, 0, 0, 0, 0},
    [ACT_ORG_READ] = {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV},
    [ACT_ORG_UPDATE] = {A, A, A, A, A, A, A, A, A},
    [ACT_ORG_DIRECTORY] = {AMV, AMV, AMV, AMV, AMV, 0, 0, 0, 0},
    [ACT_USER_READ] = {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV},
    [ACT_USER_MANAGE] = {A, A, A, A, A, A, A, A, A},
    [ACT_TOKEN_MANAGE] = {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV},
    [ACT_AUDIT_READ] = {AMV, AMV, A, A, A, A, A, A, A},
    [ACT_AUDIT_VERIFY] = {A, A, 0, 0, 0, 0, 0, 0, 0},
    /* accumulation is the insurer's question, and the regulators' */
    [ACT_SIM_RUN] = {AM, AM, 0, 0, 0, AM, 0, 0, 0},
    [ACT_SIM_READ] = {AMV, AMV, 0, 0, 0, AMV, 0, 0, 0},
};

const char *
authz_org_type_name(org_type_t t)
{
    return (unsigned)t < ORG_TYPE_COUNT ? ORG_NAMES[t] : "?";
}

const char *
authz_org_type_name_zh(org_type_t t)
{
    return (unsigned)t < ORG_TYPE_COUNT ? ORG_NAMES_ZH[t] : "?";
}

const char *
authz_role_name(user_role_t r)
{
    return (unsigned)r < ROLE_COUNT ? ROLE_NAMES[r] : "?";
}

const char *
authz_action_name(authz_action_t a)
{
    return (unsigned)a < ACT_COUNT ? ACTION_NAMES[a] : "?";
}

int
authz_org_type_parse(const char *s, org_type_t *out)
{
    for (int i = 0; s != NULL && i < ORG_TYPE_COUNT; i++) {
        if (strcmp(s, ORG_NAMES[i]) == 0) {
            *out = (org_type_t)i;
            return 0;
        }
    }
    return -1;
}

int
authz_role_parse(const char *s, user_role_t *out)
{
    for (int i = 0; s != NULL && i < ROLE_COUNT; i++) {
        if (strcmp(s, ROLE_NAMES[i]) == 0) {
            *out = (user_role_t)i;
            return 0;
        }
    }
    return -1;
}

int
authz_allowed(org_type_t t, user_role_t r, authz_action_t a)
{
    if ((unsigned)t >= ORG_TYPE_COUNT || (unsigned)r >= ROLE_COUNT || (unsigned)a >= ACT_COUNT)
        return 0;
    return (TABLE[a][t] & (1u << r)) != 0;
}

int
authz_sees_all(org_type_t t)
{
    return t == ORG_MINISTRY || t == ORG_SUPPORT_CENTER;
}

int
authz_is_regional(org_type_t t)
{
    return t == ORG_PROVINCE || t == ORG_CITY || t == ORG_COMM_ADMIN;
}

int
authz_region_prefix(org_type_t t, const char *region_code, char out[7])
{
    out[0] = '\0';
    if (!authz_is_regional(t) || region_code == NULL || strlen(region_code) != 6)
        return 0;
    /* a province-level unit (PP0000) covers PP; a prefecture (PPCC00) covers PPCC */
    size_t n = (t == ORG_CITY && strcmp(region_code + 2, "0000") != 0) ? 4 : 2;
    memcpy(out, region_code, n);
    out[n] = '\0';
    return 1;
}
