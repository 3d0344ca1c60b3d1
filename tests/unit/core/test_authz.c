/*
 * test_authz.c — the role × action table and region scopes of core/authz.
 * (Every endpoint is also checked against every role end to end in
 * tests/e2e/matrix.test.mjs; this pins the table's own corners.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"
#include <string.h>

#include "core/authz.h"

CY_TEST(test_authz_names_round_trip)
{
    (void)state;
    for (int t = 0; t < ORG_TYPE_COUNT; t++) {
        org_type_t back;
        assert_int_equal(authz_org_type_parse(authz_org_type_name((org_type_t)t), &back), 0);
        assert_int_equal(back, t);
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        user_role_t back;
        assert_int_equal(authz_role_parse(authz_role_name((user_role_t)r), &back), 0);
        assert_int_equal(back, r);
    }
    org_type_t t;
    assert_int_equal(authz_org_type_parse("bank", &t), -1);
    assert_int_equal(authz_org_type_parse(NULL, &t), -1);
    assert_string_equal(authz_org_type_name(ORG_TYPE_COUNT), "?");
    assert_string_equal(authz_action_name(ACT_AUDIT_VERIFY), "audit.verify");
    assert_string_equal(authz_org_type_name_zh(ORG_CITY), "地市工业和信息化主管部门");
}

/* One table for every capability: each action has a unique dotted name and words for people. */
CY_TEST(test_authz_every_action_is_named_and_worded)
{
    (void)state;
    for (int i = 0; i < ACT_COUNT; i++) {
        const char *n = authz_action_name((authz_action_t)i);
        assert_non_null(strchr(n, '.'));
        assert_true(strlen(authz_action_label_zh((authz_action_t)i)) > 0);
        assert_true(strlen(authz_action_label_en((authz_action_t)i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(n, authz_action_name((authz_action_t)j));
    }
    assert_string_equal(authz_action_name(ACT_PLAN2_WRITE), "plan2.write");
    assert_string_equal(authz_action_label_en(ACT_PLAN2_WRITE),
                        "write a local authority's pilot plan (Annex 2)");
    assert_string_equal(authz_action_name(ACT_QUOTE_BIND), "quote.bind");
    assert_string_equal(authz_action_label_zh(ACT_COUNT), "?");
}

CY_TEST(test_authz_viewer_never_writes)
{
    (void)state;
    const authz_action_t writes[] = {ACT_ORG_CREATE, ACT_ORG_UPDATE, ACT_USER_MANAGE,
                                     ACT_AUDIT_VERIFY, ACT_SIM_RUN};
    for (int t = 0; t < ORG_TYPE_COUNT; t++)
        for (size_t w = 0; w < sizeof writes / sizeof writes[0]; w++)
            assert_false(authz_allowed((org_type_t)t, ROLE_VIEWER, writes[w]));
}

CY_TEST(test_authz_only_operators_register_organisations)
{
    (void)state;
    for (int t = 0; t < ORG_TYPE_COUNT; t++) {
        int operator= t == ORG_MINISTRY || t == ORG_SUPPORT_CENTER;
        assert_int_equal(authz_allowed((org_type_t)t, ROLE_ADMIN, ACT_ORG_CREATE), operator);
        assert_int_equal(authz_sees_all((org_type_t)t), operator);
    }
    assert_true(authz_allowed(ORG_MINISTRY, ROLE_MEMBER, ACT_ORG_CREATE));
    assert_false(authz_allowed(ORG_MINISTRY, ROLE_MEMBER, ACT_AUDIT_VERIFY));
}

CY_TEST(test_authz_directory_is_for_authorities)
{
    (void)state;
    assert_true(authz_allowed(ORG_CITY, ROLE_VIEWER, ACT_ORG_DIRECTORY));
    assert_true(authz_allowed(ORG_COMM_ADMIN, ROLE_MEMBER, ACT_ORG_DIRECTORY));
    assert_false(authz_allowed(ORG_ENTERPRISE, ROLE_ADMIN, ACT_ORG_DIRECTORY));
    assert_false(authz_allowed(ORG_INSURER, ROLE_ADMIN, ACT_ORG_DIRECTORY));
    assert_false(authz_allowed(ORG_EXPERT, ROLE_ADMIN, ACT_ORG_DIRECTORY));
}

CY_TEST(test_authz_out_of_range_is_refused)
{
    (void)state;
    assert_false(authz_allowed(ORG_TYPE_COUNT, ROLE_ADMIN, ACT_ORG_READ));
    assert_false(authz_allowed(ORG_MINISTRY, ROLE_COUNT, ACT_ORG_READ));
    assert_false(authz_allowed(ORG_MINISTRY, ROLE_ADMIN, ACT_COUNT));
}

CY_TEST(test_authz_region_prefixes)
{
    (void)state;
    char p[7];
    assert_int_equal(authz_region_prefix(ORG_CITY, "440100", p), 1);
    assert_string_equal(p, "4401");
    assert_int_equal(authz_region_prefix(ORG_CITY, "440300", p), 1);
    assert_string_equal(p, "4403");
    /* a 直辖市 acting as a city sees its whole province-level unit */
    assert_int_equal(authz_region_prefix(ORG_CITY, "110000", p), 1);
    assert_string_equal(p, "11");
    assert_int_equal(authz_region_prefix(ORG_PROVINCE, "440000", p), 1);
    assert_string_equal(p, "44");
    assert_int_equal(authz_region_prefix(ORG_COMM_ADMIN, "440000", p), 1);
    assert_string_equal(p, "44");
    assert_int_equal(authz_region_prefix(ORG_ENTERPRISE, "440106", p), 0);
    assert_string_equal(p, "");
    assert_int_equal(authz_region_prefix(ORG_MINISTRY, "110000", p), 0);
    assert_int_equal(authz_region_prefix(ORG_CITY, "4401", p), 0);
    assert_int_equal(authz_region_prefix(ORG_CITY, NULL, p), 0);
}
