/*
 * pilot_authz.h — who may do what in the pilot programme (DOMAIN.md §1): the
 * actions of schemes, reviews, the catalogue, plans and their routing,
 * extensions, pilots, reports and summaries, in one organisation type × user
 * role table shaped like core/authz.c's. Which record an actor may touch
 * (its own scheme, a plan it holds) is app/'s question; this table only says
 * whether the role may act at all. Pure: libc and core/authz.h only.
 */
#ifndef CY_CORE_PILOT_AUTHZ_H
#define CY_CORE_PILOT_AUTHZ_H

#include "core/authz.h"

typedef enum {
    PACT_SCHEME_WRITE, /* draft, edit and submit an Annex 1 scheme as its lead */
    PACT_UNIT_CONFIRM, /* confirm 真实性承诺 and 申报主体责任声明 for one's own unit */
    PACT_SCHEME_RECOMMEND, /* attach a 推荐意见 to a scheme of one's region */
    PACT_REVIEW_ASSIGN,    /* assign review experts */
    PACT_REVIEW_SCORE,     /* score a scheme one is assigned to */
    PACT_CATALOGUE_PUBLISH,
    PACT_PLAN2_WRITE,   /* Annex 2: a city or provincial authority's plan */
    PACT_PLAN3_WRITE,   /* Annex 3: a catalogued service institution's plan */
    PACT_PLAN4_WRITE,   /* Annex 4: an industry enterprise's plan */
    PACT_PLAN_ROUTE,    /* assemble, forward and return packages and plans one holds */
    PACT_EXTENSION,     /* grant an extension of a deadline one receives under */
    PACT_PILOT_SELECT,  /* select pilots from the plans received */
    PACT_PILOT_EXIT,    /* 试点退出 */
    PACT_REPORT_WRITE,  /* progress reports of one's own pilot */
    PACT_SUMMARY_WRITE, /* annual summaries */
    PACT_TELECOM_FLAG,  /* mark an organisation as a 基础电信企业 */
    PACT_COUNT
} pilot_action_t;

/* "scheme.write", … */
const char *pilot_action_name(pilot_action_t a);

/* 1 if a user of role r in an organisation of type t may do a. */
int pilot_allowed(org_type_t t, user_role_t r, pilot_action_t a);

#endif
