/*
 * liability.c — 定责 (see liability.h for the checks and their order).
 *
 * Pure: core/ and libc only. Lines are formatted with snprintf into the
 * caller's decision; times are shown in Beijing time.
 */
#include "core/liability.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/bjtime.h"

const char *
liab_outcome_code(liab_outcome_t o)
{
    switch (o) {
    case LIAB_COVERED:
        return "covered";
    case LIAB_PARTLY:
        return "partly_covered";
    case LIAB_DECLINED:
        return "declined";
    }
    return "?";
}

const char *
liab_mark_code(liab_mark_t m)
{
    return m == LIAB_PASS ? "pass" : m == LIAB_FAIL ? "fail" : "warn";
}

static void check_set(liab_check_t *l, const char *code, liab_mark_t mark, int cov,
                      const char *clause, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
check_set(liab_check_t *l, const char *code, liab_mark_t mark, int cov, const char *clause,
          const char *fmt, ...)
{
    memset(l, 0, sizeof *l);
    snprintf(l->code, sizeof l->code, "%s", code);
    l->mark = mark;
    l->cov = cov;
    snprintf(l->clause, sizeof l->clause, "%s", clause ? clause : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static liab_check_t *
next_check(liab_decision_t *d)
{
    return &d->checks[d->n++];
}

static void
retro_check(liab_check_t *l, int before, const char *o, const char *r)
{
    if (before)
        check_set(l, "retro_date", LIAB_FAIL, -1, NULL,
                  "损失发生于 %s，早于追溯日 %s / the loss occurred at %s, before the retroactive "
                  "date %s",
                  o, r, o, r);
    else
        check_set(l, "retro_date", LIAB_PASS, -1, NULL,
                  "损失发生于 %s，不早于追溯日 %s / the loss occurred at %s, not before the "
                  "retroactive date %s",
                  o, r, o, r);
}

liab_period_t
liability_period(const liab_policy_t *p, int64_t occurred, int64_t reported)
{
    /* occurrence: the loss decides; claims made: the report, and the loss against the retro date */
    int64_t t = p->trigger == LIAB_OCCURRENCE ? occurred : reported;
    if (t < p->start || (p->trigger == LIAB_CLAIMS_MADE && occurred < p->retro))
        return LIAB_BEFORE_PERIOD;
    return t < p->end ? LIAB_IN_PERIOD : LIAB_AFTER_PERIOD;
}

void
liability_trigger(const liab_policy_t *p, int64_t occurred, int64_t reported,
                  liab_check_t checks[2], size_t *n)
{
    size_t k = 0;
    char s[32], e[32], t[32];
    bjtime_format(p->start, s);
    bjtime_format(p->end, e);
    int made = p->trigger == LIAB_CLAIMS_MADE;
    int64_t at = made ? reported : occurred;
    bjtime_format(at, t);
    const char *what_zh = made ? "索赔提出" : "损失发生";
    const char *what_en = made ? "the claim was made" : "the loss occurred";
    if (at < p->start)
        check_set(&checks[k++], "trigger", LIAB_FAIL, -1, NULL,
                  "%s于 %s，在保险期间（自 %s 起）之前 / %s at %s, before the period (from %s)",
                  what_zh, t, s, what_en, t, s);
    else if (at >= p->end)
        check_set(&checks[k++], "trigger", LIAB_FAIL, -1, NULL,
                  "%s于 %s，在保险期间（至 %s 止）之后 / %s at %s, after the period (to %s)",
                  what_zh, t, e, what_en, t, e);
    else
        check_set(&checks[k++], "trigger", LIAB_PASS, -1, NULL,
                  "%s于 %s，在保险期间（%s 至 %s）内 / %s at %s, within the period (%s to %s)",
                  what_zh, t, s, e, what_en, t, s, e);
    if (made) {
        char r[32], o[32];
        bjtime_format(p->retro, r);
        bjtime_format(occurred, o);
        retro_check(&checks[k++], occurred < p->retro, o, r);
    }
    *n = k;
}

void
liability_notice(const liab_policy_t *p, int64_t discovered, int64_t reported, liab_check_t *out)
{
    int64_t secs = reported - discovered;
    long long tenths = (long long)((secs * 10 + 1800) / 3600);
    if (secs <= (int64_t)p->notice_hours * 3600)
        check_set(out, "notice", LIAB_PASS, -1, NULL,
                  "发现后 %lld.%lld 小时报案，在 %d 小时的报案期限内 / reported %lld.%lld hours "
                  "after discovery, within the %d-hour notice period",
                  tenths / 10, tenths % 10, p->notice_hours, tenths / 10, tenths % 10,
                  p->notice_hours);
    else
        check_set(out, "notice", LIAB_WARN, -1, "保险法第二十一条",
                  "发现后 %lld.%lld 小时报案，超过 %d 小时的报案期限：因迟延致使事故性质、原因、"
                  "损失程度难以确定的部分，保险人不承担赔偿责任 / reported %lld.%lld hours after "
                  "discovery, past the %d-hour notice period: what the delay made impossible to "
                  "establish is not paid (Insurance Law art. 21)",
                  tenths / 10, tenths % 10, p->notice_hours, tenths / 10, tenths % 10,
                  p->notice_hours);
}

/* One line per coverage claimed: insured, and a peril of the incident's type. */
static uint32_t
coverage_checks(const liab_policy_t *p, const liab_facts_t *f, liab_decision_t *d)
{
    uint32_t ok = 0;
    for (int c = 0; c < COV_N; c++) {
        if (!(f->claimed & (1u << c)))
            continue;
        char code[48];
        if (!(p->insured & (1u << c))) {
            snprintf(code, sizeof code, "insured.%s", cov_code(c));
            check_set(next_check(d), code, LIAB_FAIL, c, NULL,
                      "保单不承保%s / the policy does not insure %s", cov_name_zh(c),
                      cov_name_en(c));
            continue;
        }
        snprintf(code, sizeof code, "peril.%s", cov_code(c));
        if (!(f->peril & (1u << c))) {
            check_set(next_check(d), code, LIAB_FAIL, c, NULL,
                      "%s事件不属于%s的承保风险 / a %s incident is not a peril of %s", f->type_zh,
                      cov_name_zh(c), f->type_en, cov_name_en(c));
            continue;
        }
        check_set(next_check(d), code, LIAB_PASS, c, NULL,
                  "保单承保%s，%s事件属其承保风险 / the policy insures %s and a %s incident is one "
                  "of its perils",
                  cov_name_zh(c), f->type_zh, cov_name_en(c), f->type_en);
        ok |= 1u << c;
    }
    return ok;
}

/* The first exploited CVE among the known KEV findings, and whether its grace period had ended. */
static const liab_vuln_t *
exploited_kev(const liab_exclusion_t *x, const liab_facts_t *f, int *past_grace)
{
    const liab_vuln_t *hit = NULL;
    *past_grace = 0;
    for (size_t i = 0; i < f->n_exploited; i++) {
        for (size_t k = 0; k < f->n_known; k++) {
            const liab_vuln_t *v = &f->known[k];
            if (!v->kev || strcmp(v->cve, f->exploited[i]) != 0)
                continue;
            int past = f->occurred > v->first_seen + (int64_t)x->grace_days * 86400;
            if (hit == NULL || (past && !*past_grace)) {
                hit = v;
                *past_grace = past;
            }
        }
    }
    return hit;
}

/* The known exploited vulnerability exclusion on the facts; 1 when it holds. */
static int
kev_check(const liab_exclusion_t *x, const liab_facts_t *f, liab_check_t *l, const char *code)
{
    int past = 0;
    const liab_vuln_t *v = exploited_kev(x, f, &past);
    char seen[16], until[16];
    if (v != NULL) {
        bjtime_format_date(v->first_seen, seen);
        bjtime_format_date(v->first_seen + (int64_t)x->grace_days * 86400, until);
    }
    if (v != NULL && past)
        check_set(
            l, code, LIAB_FAIL, -1, x->clause,
            "被利用的 %s 是已知被利用漏洞（KEV），%s 首次发现，%d 天宽限期于 %s 届满仍未修复，"
            "适用%s（%s） / the exploited %s is a known exploited vulnerability first seen "
            "%s, left open past its %d-day grace period (ended %s): %s (%s) applies",
            v->cve, seen, x->grace_days, until, x->name_zh, x->clause, v->cve, seen, x->grace_days,
            until, x->name_en, x->clause);
    else if (v != NULL)
        check_set(l, code, LIAB_PASS, -1, x->clause,
                  "被利用的 %s 于 %s 首次发现，损失发生时仍在 %d 天宽限期内（至 %s），不适用%s / "
                  "the exploited %s was first seen %s: the loss fell inside its %d-day grace "
                  "period (to %s), %s does not apply",
                  v->cve, seen, x->grace_days, until, x->name_zh, v->cve, seen, x->grace_days,
                  until, x->name_en);
    else if (f->n_exploited > 0)
        check_set(l, code, LIAB_PASS, -1, x->clause,
                  "被利用的漏洞（%s%s）不在承保时已知的被利用漏洞中，不适用%s / the exploited "
                  "vulnerabilities (%s%s) were not among the known exploited ones found at "
                  "underwriting: %s does not apply",
                  f->exploited[0], f->n_exploited > 1 ? " 等" : "", x->name_zh, f->exploited[0],
                  f->n_exploited > 1 ? " and others" : "", x->name_en);
    else
        check_set(l, code, LIAB_PASS, -1, x->clause,
                  "未发现被利用的已知漏洞，不适用%s / no exploited known vulnerability was found: "
                  "%s does not apply",
                  x->name_zh, x->name_en);
    return v != NULL && past;
}

/* One line per exclusion of the wording; answers the coverages the ones that hold take out. */
static uint32_t
exclusion_checks(const liab_exclusion_t *ex, size_t n_ex, const liab_facts_t *f, liab_decision_t *d)
{
    uint32_t out = 0;
    for (size_t i = 0; i < n_ex; i++) {
        const liab_exclusion_t *x = &ex[i];
        char code[48];
        snprintf(code, sizeof code, "exclusion.%s", x->code);
        liab_check_t *l = next_check(d);
        int holds;
        if (x->kind == LIAB_EXCL_UNPATCHED_KEV) {
            holds = kev_check(x, f, l, code);
        } else {
            holds = x->kind == LIAB_EXCL_WAR              ? f->war
                    : x->kind == LIAB_EXCL_INFRASTRUCTURE ? f->infrastructure
                                                          : f->intentional;
            if (holds)
                check_set(l, code, LIAB_FAIL, -1, x->clause,
                          "经查明属“%s”，适用%s / found to be “%s”: %s applies", x->name_zh,
                          x->clause, x->name_en, x->clause);
            else
                check_set(l, code, LIAB_PASS, -1, x->clause,
                          "未发现“%s”的情形（%s） / nothing found of “%s” (%s)", x->name_zh,
                          x->clause, x->name_en, x->clause);
        }
        if (holds)
            out |= x->applies;
    }
    return out;
}

cy_status_t
liability_decide(const liab_policy_t *p, const liab_exclusion_t *ex, size_t n_ex,
                 const liab_facts_t *f, liab_decision_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if ((f->claimed & COV_ALL_MASK) == 0)
        return cy_error_set(err, CY_EINVAL, "nothing_claimed", "claimed",
                            "尚无索赔的险种，无法定责 / nothing is claimed yet: no liability to "
                            "decide");
    if (f->occurred > f->discovered || f->discovered > f->reported)
        return cy_error_set(err, CY_EINVAL, "times_order", "discovered_at",
                            "损失发生、发现、报案的时间应依次不早于前者 / the loss, its discovery "
                            "and its report must come in that order");
    if (n_ex > LIAB_MAX_EXCLUSIONS)
        return cy_error_set(err, CY_EINVAL, "exclusions_too_many", "exclusions",
                            "除外责任多于 %d 条 / more than %d exclusions", LIAB_MAX_EXCLUSIONS,
                            LIAB_MAX_EXCLUSIONS);
    size_t nt = 0;
    liability_trigger(p, f->occurred, f->reported, out->checks, &nt);
    out->n = nt;
    int in_period = liability_period(p, f->occurred, f->reported) == LIAB_IN_PERIOD;
    liability_notice(p, f->discovered, f->reported, next_check(out));
    uint32_t ok = coverage_checks(p, f, out);
    uint32_t excluded = exclusion_checks(ex, n_ex, f, out);
    out->responding = in_period ? ok & ~excluded & f->claimed : 0;
    out->outcome = out->responding == 0                             ? LIAB_DECLINED
                   : out->responding == (f->claimed & COV_ALL_MASK) ? LIAB_COVERED
                                                                    : LIAB_PARTLY;
    return CY_OK;
}
