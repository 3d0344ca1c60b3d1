/*
 * pilot_authz.c — the pilot programme's role × action table. Viewers never
 * write; only an organisation's admin speaks for it in a declaration (the
 * notice asks for the 法定代表人's signature and the unit's seal). Pure.
 */
#include "core/pilot_authz.h"

static const char *const NAMES[PACT_COUNT] = {
    "scheme.write", "unit.confirm",      "scheme.recommend", "review.assign",
    "review.score", "catalogue.publish", "plan2.write",      "plan3.write",
    "plan4.write",  "plan.route",        "extension.grant",  "pilot.select",
    "pilot.exit",   "report.write",      "summary.write",    "telecom.flag",
};

enum { A = 1, M = 2, AM = A | M };

static const unsigned char TABLE[PACT_COUNT][ORG_TYPE_COUNT] = {
    /*                          min sup prov city ca  ins svc ent exp */
    [PACT_SCHEME_WRITE] = {0, 0, 0, 0, 0, AM, AM, 0, 0},
    [PACT_UNIT_CONFIRM] = {0, 0, 0, 0, 0, A, A, A, A},
    [PACT_SCHEME_RECOMMEND] = {0, 0, AM, AM, AM, 0, 0, 0, 0},
    [PACT_REVIEW_ASSIGN] = {AM, AM, 0, 0, 0, 0, 0, 0, 0},
    [PACT_REVIEW_SCORE] = {0, 0, 0, 0, 0, 0, 0, 0, AM},
    [PACT_CATALOGUE_PUBLISH] = {AM, 0, 0, 0, 0, 0, 0, 0, 0},
    [PACT_PLAN2_WRITE] = {0, 0, AM, AM, 0, 0, 0, 0, 0},
    [PACT_PLAN3_WRITE] = {0, 0, 0, 0, 0, AM, AM, 0, 0},
    [PACT_PLAN4_WRITE] = {0, 0, 0, 0, 0, 0, 0, AM, 0},
    [PACT_PLAN_ROUTE] = {AM, 0, AM, AM, 0, 0, 0, 0, 0},
    [PACT_EXTENSION] = {AM, 0, AM, AM, 0, 0, 0, 0, 0},
    [PACT_PILOT_SELECT] = {AM, 0, 0, 0, 0, 0, 0, 0, 0},
    [PACT_PILOT_EXIT] = {AM, 0, AM, 0, 0, 0, 0, 0, 0},
    [PACT_REPORT_WRITE] = {0, 0, AM, AM, 0, AM, AM, AM, 0},
    [PACT_SUMMARY_WRITE] = {0, 0, AM, AM, 0, AM, AM, AM, 0},
    [PACT_TELECOM_FLAG] = {AM, AM, 0, 0, AM, 0, 0, 0, 0},
};

const char *
pilot_action_name(pilot_action_t a)
{
    return (unsigned)a < PACT_COUNT ? NAMES[a] : "?";
}

int
pilot_allowed(org_type_t t, user_role_t r, pilot_action_t a)
{
    if ((unsigned)t >= ORG_TYPE_COUNT || (unsigned)r >= ROLE_COUNT || (unsigned)a >= PACT_COUNT)
        return 0;
    return (TABLE[a][t] & (1u << r)) != 0;
}
