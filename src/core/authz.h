/*
 * authz.h — who may do what: organisation types (DOMAIN.md §1), user roles
 * inside an organisation, the actions of the platform, the one role × action
 * table, and the visibility scope of an organisation. Pure: libc only. app/
 * asks these questions; http/ never does.
 */
#ifndef CY_CORE_AUTHZ_H
#define CY_CORE_AUTHZ_H

#include <stddef.h>

typedef enum {
    ORG_MINISTRY,
    ORG_SUPPORT_CENTER,
    ORG_PROVINCE,
    ORG_CITY,
    ORG_COMM_ADMIN,
    ORG_INSURER,
    ORG_SERVICE_ORG,
    ORG_ENTERPRISE,
    ORG_EXPERT,
    ORG_TYPE_COUNT
} org_type_t;

typedef enum { ROLE_ADMIN, ROLE_MEMBER, ROLE_VIEWER, ROLE_COUNT } user_role_t;

typedef enum {
    ACT_ORG_CREATE,    /* register an organisation on the platform */
    ACT_ORG_READ,      /* read an organisation visible to the caller */
    ACT_ORG_UPDATE,    /* change an organisation's profile */
    ACT_ORG_DIRECTORY, /* list the organisations of one's scope */
    ACT_USER_READ,     /* list and read users of an organisation */
    ACT_USER_MANAGE,   /* add users, change roles, disable, reset passwords */
    ACT_TOKEN_MANAGE,  /* one's own API tokens */
    ACT_AUDIT_READ,    /* the audit log of one's scope */
    ACT_AUDIT_VERIFY,  /* walk the whole chain */
    ACT_SIM_RUN,       /* start a portfolio simulation */
    ACT_SIM_READ,      /* read simulations of one's scope */
    ACT_COUNT
} authz_action_t;

/* Names as they appear in the API and the database ("city", "admin", "org.read"). */
const char *authz_org_type_name(org_type_t t);
const char *authz_org_type_name_zh(org_type_t t);
const char *authz_role_name(user_role_t r);
const char *authz_action_name(authz_action_t a);
/* Parse a name; return 0 and set *out, or -1 when unknown. */
int authz_org_type_parse(const char *s, org_type_t *out);
int authz_role_parse(const char *s, user_role_t *out);

/* 1 if an organisation of type t may hold a user of role r doing action a. */
int authz_allowed(org_type_t t, user_role_t r, authz_action_t a);

/* 1 if type t sees every record (ministry, support center). */
int authz_sees_all(org_type_t t);

/*
 * authz_region_prefix writes the region-code prefix that bounds what a
 * regional authority sees: a province (and its communications
 * administration) its first two digits, a city its first four ("4401"); a
 * province-level city acting as a city (直辖市, 110000) its first two. For
 * other types it writes "" and returns 0 (their scope is their own
 * organisation, or everything).
 */
int authz_region_prefix(org_type_t t, const char *region_code, char out[7]);

/* 1 if an org of type t may be a regional authority (province, city, comm_admin). */
int authz_is_regional(org_type_t t);

#endif
