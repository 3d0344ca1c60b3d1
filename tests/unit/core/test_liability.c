/*
 * test_liability.c — 定责 (core/liability.c): the trigger (occurrence, claims
 * made with a retro date), the notice period as a warning, coverages insured
 * and perils, each exclusion holding and not holding (the known exploited
 * vulnerability one on both sides of its grace period), the outcomes, the
 * words and clauses, and the refusals. Depends on cmocka and core/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cytest.h"

#include "core/bjtime.h"
#include "core/liability.h"

#define DAY 86400

static int64_t
bj(const char *s)
{
    int64_t t = 0;
    cy_error_t err;
    assert_int_equal(bjtime_parse(s, &t, &err), CY_OK);
    return t;
}

static const uint32_t BI = 1u << COV_BI, DATA = 1u << COV_DATA, IR = 1u << COV_IR,
                      MEDIA = 1u << COV_MEDIA, BREACH = 1u << COV_BREACH;

static liab_policy_t
policy(void)
{
    return (liab_policy_t){
        LIAB_OCCURRENCE, bj("2025-03-01"), bj("2026-03-01"), 0, BI | DATA | IR | BREACH, 72};
}

static const liab_exclusion_t EX[] = {
    {"war_state_action", LIAB_EXCL_WAR, "第十一条第（一）项", "战争、国家行为",
     "war and state action", COV_ALL_MASK, 0},
    {"infrastructure", LIAB_EXCL_INFRASTRUCTURE, "第十一条第（二）项", "外部基础设施故障",
     "failure of infrastructure", BI, 0},
    {"intentional_act", LIAB_EXCL_INTENTIONAL, "第十一条第（三）项", "被保险人故意行为",
     "intentional act of the insured", COV_ALL_MASK, 0},
    {"unpatched_kev", LIAB_EXCL_UNPATCHED_KEV, "第十一条第（四）项", "已知被利用漏洞逾期未修复",
     "known exploited vulnerability left unremediated", COV_ALL_MASK, 30},
};
#define N_EX (sizeof EX / sizeof EX[0])

static liab_facts_t
facts(void)
{
    return (liab_facts_t){.occurred = bj("2025-06-09 23:40"),
                          .discovered = bj("2025-06-10 02:30"),
                          .reported = bj("2025-06-10 09:00"),
                          .type_zh = "勒索软件",
                          .type_en = "ransomware",
                          .claimed = BI | DATA | IR,
                          .peril = BI | DATA | IR | BREACH};
}

static const liab_check_t *
check(const liab_decision_t *d, const char *code)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->checks[i].code, code) == 0)
            return &d->checks[i];
    fail_msg("no check %s", code);
    return NULL;
}

static void
decide(const liab_policy_t *p, const liab_facts_t *f, liab_decision_t *d)
{
    cy_error_t err;
    assert_int_equal(liability_decide(p, EX, N_EX, f, d, &err), CY_OK);
}

CY_TEST(test_liability_covered_lists_every_check_in_order)
{
    (void)state;
    liab_policy_t p = policy();
    liab_facts_t f = facts();
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_COVERED);
    assert_int_equal(d.responding, BI | DATA | IR);
    const char *codes[] = {"trigger",
                           "notice",
                           "peril.bi",
                           "peril.data",
                           "peril.ir",
                           "exclusion.war_state_action",
                           "exclusion.infrastructure",
                           "exclusion.intentional_act",
                           "exclusion.unpatched_kev"};
    assert_int_equal(d.n, 9);
    for (size_t i = 0; i < d.n; i++) {
        assert_string_equal(d.checks[i].code, codes[i]);
        assert_int_equal(d.checks[i].mark, LIAB_PASS);
    }
    assert_string_equal(check(&d, "exclusion.war_state_action")->clause, "第十一条第（一）项");
    assert_string_equal(check(&d, "exclusion.war_state_action")->text,
                        "未发现“战争、国家行为”的情形（第十一条第（一）项） / nothing found of "
                        "“war and state action” (第十一条第（一）项)");
    assert_string_equal(
        check(&d, "peril.bi")->text,
        "保单承保营业中断损失，勒索软件事件属其承保风险 / the policy insures "
        "Business interruption loss and a ransomware incident is one of its perils");
    assert_string_equal(
        check(&d, "exclusion.unpatched_kev")->text,
        "未发现被利用的已知漏洞，不适用已知被利用漏洞逾期未修复 / no exploited known "
        "vulnerability was found: known exploited vulnerability left unremediated "
        "does not apply");
    assert_string_equal(liab_outcome_code(d.outcome), "covered");
}

CY_TEST(test_liability_trigger_occurrence_before_and_after_the_period)
{
    (void)state;
    liab_policy_t p = policy();
    assert_int_equal(liability_period(&p, bj("2025-02-28 23:59:59"), bj("2025-06-01")),
                     LIAB_BEFORE_PERIOD);
    assert_int_equal(liability_period(&p, bj("2025-03-01"), bj("2025-03-01")), LIAB_IN_PERIOD);
    assert_int_equal(liability_period(&p, bj("2026-02-28 23:59:59"), bj("2026-04-01")),
                     LIAB_IN_PERIOD);
    assert_int_equal(liability_period(&p, bj("2026-03-01"), bj("2026-03-02")), LIAB_AFTER_PERIOD);
    liab_facts_t f = facts();
    f.occurred = bj("2025-02-20 10:00");
    f.discovered = bj("2025-03-05 10:00");
    f.reported = bj("2025-03-05 12:00");
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_DECLINED);
    assert_int_equal(d.responding, 0);
    assert_int_equal(check(&d, "trigger")->mark, LIAB_FAIL);
    assert_string_equal(
        check(&d, "trigger")->text,
        "损失发生于 2025-02-20 10:00:00，在保险期间（自 2025-03-01 00:00:00 起）之前 / "
        "the loss occurred at 2025-02-20 10:00:00, before the period (from "
        "2025-03-01 00:00:00)");
}

CY_TEST(test_liability_claims_made_reports_in_period_and_retro_date)
{
    (void)state;
    liab_policy_t p = policy();
    p.trigger = LIAB_CLAIMS_MADE;
    p.retro = bj("2024-01-01");
    /* a loss of 2024 reported in the period: claims made answers, occurrence would not */
    assert_int_equal(liability_period(&p, bj("2024-10-01"), bj("2025-04-01")), LIAB_IN_PERIOD);
    assert_int_equal(liability_period(&p, bj("2023-12-31"), bj("2025-04-01")), LIAB_BEFORE_PERIOD);
    assert_int_equal(liability_period(&p, bj("2025-06-01"), bj("2026-03-02")), LIAB_AFTER_PERIOD);
    liab_check_t lines[2];
    size_t n = 0;
    liability_trigger(&p, bj("2023-12-31"), bj("2025-04-01"), lines, &n);
    assert_int_equal(n, 2);
    assert_int_equal(lines[0].mark, LIAB_PASS);
    assert_string_equal(lines[1].code, "retro_date");
    assert_int_equal(lines[1].mark, LIAB_FAIL);
    assert_string_equal(lines[1].text, "损失发生于 2023-12-31 00:00:00，早于追溯日 2024-01-01 "
                                       "00:00:00 / the loss occurred at 2023-12-31 00:00:00, "
                                       "before the retroactive date 2024-01-01 00:00:00");
    liab_facts_t f = facts();
    f.occurred = bj("2024-10-01");
    f.discovered = bj("2025-04-01");
    f.reported = bj("2025-04-01 01:00");
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_COVERED);
    assert_string_equal(d.checks[0].text,
                        "索赔提出于 2025-04-01 01:00:00，在保险期间（2025-03-01 00:00:00 至 "
                        "2026-03-01 00:00:00）内 / the claim was made at 2025-04-01 01:00:00, "
                        "within the period (2025-03-01 00:00:00 to 2026-03-01 00:00:00)");
}

CY_TEST(test_liability_late_notice_is_a_warning_not_a_decline)
{
    (void)state;
    liab_policy_t p = policy();
    liab_check_t c;
    liability_notice(&p, bj("2025-06-10 00:00"), bj("2025-06-13 00:00"), &c);
    assert_int_equal(c.mark, LIAB_PASS); /* exactly 72 hours is in time */
    liability_notice(&p, bj("2025-06-10 00:00"), bj("2025-06-13 00:30"), &c);
    assert_int_equal(c.mark, LIAB_WARN);
    assert_string_equal(c.clause, "保险法第二十一条");
    assert_non_null(strstr(c.text, "发现后 72.5 小时报案，超过 72 小时的报案期限"));
    liab_facts_t f = facts();
    f.reported = bj("2025-06-20 09:00");
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(check(&d, "notice")->mark, LIAB_WARN);
    assert_int_equal(d.outcome, LIAB_COVERED);
}

CY_TEST(test_liability_partly_covered_uninsured_and_no_peril)
{
    (void)state;
    liab_policy_t p = policy();
    liab_facts_t f = facts();
    f.claimed = BI | MEDIA | BREACH;
    f.peril = BI | DATA | IR; /* breach is insured but not a peril of this type */
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_PARTLY);
    assert_int_equal(d.responding, BI);
    assert_int_equal(check(&d, "insured.media")->mark, LIAB_FAIL);
    assert_string_equal(check(&d, "insured.media")->text,
                        "保单不承保媒体侵权责任 / the policy does not insure Media liability");
    assert_int_equal(check(&d, "peril.breach")->mark, LIAB_FAIL);
    assert_int_equal(check(&d, "peril.breach")->cov, COV_BREACH);
    assert_string_equal(liab_outcome_code(d.outcome), "partly_covered");
}

CY_TEST(test_liability_exclusions_take_out_their_coverages)
{
    (void)state;
    liab_policy_t p = policy();
    liab_facts_t f = facts();
    f.infrastructure = 1; /* this wording's infrastructure exclusion takes out bi only */
    static liab_decision_t d;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_PARTLY);
    assert_int_equal(d.responding, DATA | IR);
    assert_int_equal(check(&d, "exclusion.infrastructure")->mark, LIAB_FAIL);
    assert_string_equal(check(&d, "exclusion.infrastructure")->text,
                        "经查明属“外部基础设施故障”，适用第十一条第（二）项 / found to be "
                        "“failure of infrastructure”: 第十一条第（二）项 applies");
    f.infrastructure = 0;
    f.war = 1;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_DECLINED);
    f.war = 0;
    f.intentional = 1;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_DECLINED);
    assert_int_equal(check(&d, "exclusion.intentional_act")->mark, LIAB_FAIL);
}

CY_TEST(test_liability_known_exploited_vulnerability_grace_period)
{
    (void)state;
    liab_policy_t p = policy();
    liab_facts_t f = facts();
    const char *exploited[] = {"CVE-2021-40444"};
    liab_vuln_t known[] = {{"CVE-2021-40444", 1, bj("2025-05-10 12:00")},
                           {"CVE-2024-3400", 1, bj("2024-04-12")}};
    f.exploited = exploited;
    f.n_exploited = 1;
    f.known = known;
    f.n_known = 2;
    static liab_decision_t d;
    /* first seen 30 days before the loss at the latest: still inside the grace period */
    f.occurred = bj("2025-06-09 12:00");
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_COVERED);
    assert_string_equal(
        check(&d, "exclusion.unpatched_kev")->text,
        "被利用的 CVE-2021-40444 于 2025-05-10 首次发现，损失发生时仍在 30 天宽限期内"
        "（至 2025-06-09），不适用已知被利用漏洞逾期未修复 / the exploited "
        "CVE-2021-40444 was first seen 2025-05-10: the loss fell inside its 30-day "
        "grace period (to 2025-06-09), known exploited vulnerability left "
        "unremediated does not apply");
    /* a second later it holds */
    f.occurred = bj("2025-06-09 12:00:01");
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_DECLINED);
    assert_int_equal(check(&d, "exclusion.unpatched_kev")->mark, LIAB_FAIL);
    assert_string_equal(check(&d, "exclusion.unpatched_kev")->clause, "第十一条第（四）项");
    /* the same CVE not flagged KEV, or not exploited, does not */
    known[0].kev = 0;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_COVERED);
    assert_non_null(
        strstr(check(&d, "exclusion.unpatched_kev")->text, "不在承保时已知的被利用漏洞中"));
    known[0].kev = 1;
    f.n_exploited = 0;
    decide(&p, &f, &d);
    assert_int_equal(d.outcome, LIAB_COVERED);
}

CY_TEST(test_liability_refusals)
{
    (void)state;
    liab_policy_t p = policy();
    liab_facts_t f = facts();
    static liab_decision_t d;
    cy_error_t err;
    f.claimed = 0;
    assert_int_equal(liability_decide(&p, EX, N_EX, &f, &d, &err), CY_EINVAL);
    assert_string_equal(err.code, "nothing_claimed");
    f = facts();
    f.discovered = f.reported + 1;
    assert_int_equal(liability_decide(&p, EX, N_EX, &f, &d, &err), CY_EINVAL);
    assert_string_equal(err.code, "times_order");
    f = facts();
    assert_int_equal(liability_decide(&p, EX, LIAB_MAX_EXCLUSIONS + 1, &f, &d, &err), CY_EINVAL);
    assert_string_equal(err.code, "exclusions_too_many");
}
