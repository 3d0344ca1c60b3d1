/*
 * liability.h — 定责: whether a policy answers for a claim, coverage by
 * coverage, and why, every reason in words a person reads ("中文 /
 * English") and every exclusion with the clause it rests on.
 *
 * The checks, in the order a decision lists them (docs/claims.md):
 *   1. the trigger   occurrence: the loss happened inside the period;
 *                    claims made: the claim was reported inside the period
 *                    and the loss happened on or after the retroactive date
 *   2. the notice    reported within the policy's notice period after the
 *                    discovery (a late notice is a warning for the adjuster,
 *                    not a refusal: 保险法第二十一条 lets the insurer refuse
 *                    only what the delay made impossible to establish)
 *   3. per coverage  insured by the policy, and a peril of the incident's type
 *   4. exclusions    each exclusion of the wording (data/claims/exclusions.json)
 *                    tested on the facts the adjuster found; one that holds
 *                    takes its coverages out
 * The outcome: covered (every coverage claimed responds), partly covered,
 * or declined (none does).
 *
 * Pure: core/ and libc only; no I/O, no allocation, no clock.
 */
#ifndef CY_CORE_LIABILITY_H
#define CY_CORE_LIABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/cov.h"
#include "core/error.h"

#define LIAB_MAX_EXCLUSIONS 16
#define LIAB_MAX_CHECKS     (3 + 2 * COV_N + LIAB_MAX_EXCLUSIONS)

typedef enum { LIAB_OCCURRENCE, LIAB_CLAIMS_MADE } liab_trigger_t;

/* What liability needs of a policy: its trigger, its period, what it insures. */
typedef struct {
    liab_trigger_t trigger;
    int64_t start,
        end;          /* the period [start, end), UTC seconds; end is a cancellation's if earlier */
    int64_t retro;    /* claims made: losses from this time on (UTC seconds) */
    uint32_t insured; /* the coverages insured at the time of the loss */
    int notice_hours; /* the notice period after discovery, hours (> 0) */
} liab_policy_t;

/* The kinds of exclusion the engine knows how to test; the wording says which apply and how. */
typedef enum {
    LIAB_EXCL_WAR,            /* war, state or state-sponsored action */
    LIAB_EXCL_INFRASTRUCTURE, /* failure of infrastructure outside the insured's control */
    LIAB_EXCL_INTENTIONAL,    /* an intentional act of the insured */
    LIAB_EXCL_UNPATCHED_KEV,  /* a known exploited vulnerability left open past its grace period */
    LIAB_EXCL_KINDS
} liab_excl_kind_t;

/* One exclusion of the wording, as data/claims/exclusions.json states it. */
typedef struct {
    const char *code; /* "war_state_action" */
    liab_excl_kind_t kind;
    const char *clause; /* the wording's clause, e.g. "第十一条第（一）项" */
    const char *name_zh, *name_en;
    uint32_t applies; /* the coverages it takes out when it holds */
    int grace_days;   /* LIAB_EXCL_UNPATCHED_KEV: days a KEV finding may stay open */
} liab_exclusion_t;

/* A vulnerability the insurer knew of (an assessment's finding). */
typedef struct {
    const char *cve;
    int kev;            /* in the known exploited vulnerabilities catalogue */
    int64_t first_seen; /* UTC seconds */
} liab_vuln_t;

/* The facts of the claim as adjusted. */
typedef struct {
    int64_t occurred;              /* when the loss happened (the discovery when not known) */
    int64_t discovered;            /* when the insured discovered it */
    int64_t reported;              /* when it was reported to the insurer */
    const char *type_zh, *type_en; /* the incident's type in words */
    uint32_t claimed;              /* the coverages with a loss claimed (not 0) */
    uint32_t peril;                /* the coverages the incident's type is a peril of */
    int war, infrastructure, intentional; /* 1: the adjuster found it so */
    const char *const *exploited;         /* CVEs the incident exploited */
    size_t n_exploited;
    const liab_vuln_t *known; /* the insured's known vulnerabilities */
    size_t n_known;
} liab_facts_t;

typedef enum { LIAB_PASS, LIAB_FAIL, LIAB_WARN } liab_mark_t;

/* One line of the checklist. */
typedef struct {
    char
        code[48]; /* "trigger", "retro_date", "notice", "insured.bi", "peril.bi", "exclusion.war" */
    liab_mark_t mark; /* a FAIL takes the claim (cov −1) or the coverage out; WARN does not */
    int cov;          /* the coverage (COV_*) the line is about, −1 for the whole claim */
    char clause[128]; /* an exclusion's clause, "" otherwise */
    char text[768];   /* "中文 / English" */
} liab_check_t;

typedef enum { LIAB_COVERED, LIAB_PARTLY, LIAB_DECLINED } liab_outcome_t;

typedef struct {
    liab_check_t checks[LIAB_MAX_CHECKS];
    size_t n;
    uint32_t responding; /* the claimed coverages the policy pays */
    liab_outcome_t outcome;
} liab_decision_t;

/* "covered", "partly_covered", "declined" */
const char *liab_outcome_code(liab_outcome_t o);
/* "pass", "fail", "warn" */
const char *liab_mark_code(liab_mark_t m);

/* Where a loss falls against a policy's period (the first check, also used to find the policy). */
typedef enum {
    LIAB_IN_PERIOD,
    LIAB_BEFORE_PERIOD, /* the loss (claims made: or the report) before the period or retro date */
    LIAB_AFTER_PERIOD,  /* on or after the period's end */
} liab_period_t;

/* liability_period: where a loss at occurred, reported at reported, falls for policy p. */
liab_period_t liability_period(const liab_policy_t *p, int64_t occurred, int64_t reported);

/*
 * liability_trigger fills checks (room for 2) with the trigger's lines: one
 * for occurrence (the loss inside the period), two for claims made (the
 * report inside the period, the loss not before the retro date); *n says
 * how many.
 */
void liability_trigger(const liab_policy_t *p, int64_t occurred, int64_t reported,
                       liab_check_t checks[2], size_t *n);

/*
 * liability_notice fills *out with the notice check: reported no later than
 * p->notice_hours after discovered is a PASS, later a WARN, each saying the
 * hours it took.
 */
void liability_notice(const liab_policy_t *p, int64_t discovered, int64_t reported,
                      liab_check_t *out);

/*
 * liability_decide runs every check of the decision on p, the exclusions
 * (n_ex ≤ LIAB_MAX_EXCLUSIONS) and the facts, and fills *out. Refusals
 * (CY_EINVAL): nothing claimed (code nothing_claimed, field "claimed"),
 * times out of order (times_order: the loss after its discovery, the
 * discovery after the report), too many exclusions (exclusions_too_many).
 */
cy_status_t liability_decide(const liab_policy_t *p, const liab_exclusion_t *ex, size_t n_ex,
                             const liab_facts_t *f, liab_decision_t *out, cy_error_t *err);

#endif
