/*
 * round.c — the rules of a pilot round: deadlines on receipt time with
 * province overrides and extensions, and the notice's limits. Every number
 * comes from the round_t the caller loaded from data/rounds/; this file must
 * never hold a date or a limit of its own. Pure: libc and core/ only.
 */
#include "core/round.h"

#include <stdio.h>
#include <string.h>

#include "core/bjtime.h"

/* local: judged by a city or provincial authority; optional: a round file may leave it out;
 * flag: a late receipt is accepted and marked late unless the round says otherwise. */
static const struct {
    const char *key, *zh, *en;
    int local, optional, flag;
} DEADLINES[ROUND_DL_COUNT] = {
    [ROUND_DL_SCHEME_AT_MINISTRY] = {"scheme_at_ministry", "服务方案报送工业和信息化部",
                                     "service schemes at the ministry", 0},
    [ROUND_DL_PLAN_AT_CITY] = {"plan_at_city", "试点工作方案报送地市工业和信息化主管部门",
                               "pilot plans at the city authority", 1},
    [ROUND_DL_PACKAGE_AT_PROVINCE] = {"package_at_province", "地市申报材料报送省工业和信息化厅",
                                      "city packages at the province", 1},
    [ROUND_DL_PLAN_AT_MINISTRY] = {"plan_at_ministry", "试点工作方案报送工业和信息化部",
                                   "pilot plans at the ministry", 0},
    [ROUND_DL_CITY_SUMMARY_AT_PROVINCE] = {"city_summary_at_province",
                                           "地市年度总结报送省工业和信息化厅",
                                           "city annual summaries at the province", 1, 0, 1},
    [ROUND_DL_SUMMARY_AT_MINISTRY] = {"summary_at_ministry", "年度总结报送工业和信息化部",
                                      "annual summaries at the ministry", 0, 0, 1},
    [ROUND_DL_RECOMMENDATION_AT_MINISTRY] = {"recommendation_at_ministry",
                                             "推荐意见报送工业和信息化部",
                                             "recommendations at the ministry", 0, 1, 0},
    [ROUND_DL_COPY_AT_COMM_ADMIN] = {"copy_at_comm_admin", "基础电信企业方案同时报送省通信管理局",
                                     "telecom operators' plans copied to the communications "
                                     "administration",
                                     1, 1, 1},
    [ROUND_DL_PILOT_SUMMARY_AT_CITY] = {"pilot_summary_at_city", "试点年度总结报送地市主管部门",
                                        "pilots' annual summaries at the city authority", 1, 1, 1},
    [ROUND_DL_SUMMARY_COPY_AT_COMM_ADMIN] = {"summary_copy_at_comm_admin",
                                             "基础电信企业年度总结同时报送省通信管理局",
                                             "telecom operators' summaries copied to the "
                                             "communications administration",
                                             1, 1, 1},
};

static const struct {
    const char *key;
    int waivable;
} LIMITS[ROUND_LIM_COUNT] = {
    [ROUND_LIM_JOINT_UNITS_MAX] = {"joint_units_max", 1},
    [ROUND_LIM_SCHEMES_PER_LEAD_MAX] = {"schemes_per_lead_max", 1},
    [ROUND_LIM_LICENSED_INSURERS_MIN] = {"licensed_insurers_min", 0},
    [ROUND_LIM_UNIT_INTRO_ZISHU_MAX] = {"unit_intro_zishu_max", 0},
    [ROUND_LIM_OVERVIEW_ZISHU_MAX] = {"overview_zishu_max", 0},
    [ROUND_LIM_SCHEME_BODY_ZISHU_MIN] = {"scheme_body_zishu_min", 0},
    [ROUND_LIM_PLAN_BODY_ZISHU_MIN] = {"plan_body_zishu_min", 0},
    [ROUND_LIM_ATTACHED_SCHEME_ZISHU_MIN] = {"attached_scheme_zishu_min", 0},
    [ROUND_LIM_CASES_MIN] = {"cases_min", 0},
    [ROUND_LIM_CASES_MAX] = {"cases_max", 1},
};

const char *
round_deadline_key(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT ? DEADLINES[k].key : "?";
}

const char *
round_deadline_name_zh(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT ? DEADLINES[k].zh : "?";
}

const char *
round_deadline_name_en(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT ? DEADLINES[k].en : "?";
}

int
round_deadline_parse(const char *key, round_deadline_t *out)
{
    for (int i = 0; key != NULL && i < ROUND_DL_COUNT; i++) {
        if (strcmp(key, DEADLINES[i].key) == 0) {
            *out = (round_deadline_t)i;
            return 0;
        }
    }
    return -1;
}

int
round_deadline_is_local(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT && DEADLINES[k].local;
}

int
round_deadline_is_optional(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT && DEADLINES[k].optional;
}

round_late_t
round_late_default(round_deadline_t k)
{
    return (unsigned)k < ROUND_DL_COUNT && DEADLINES[k].flag ? ROUND_LATE_FLAG : ROUND_LATE_REFUSE;
}

const char *
round_limit_key(round_limit_t k)
{
    return (unsigned)k < ROUND_LIM_COUNT ? LIMITS[k].key : "?";
}

int
round_limit_parse(const char *key, round_limit_t *out)
{
    for (int i = 0; key != NULL && i < ROUND_LIM_COUNT; i++) {
        if (strcmp(key, LIMITS[i].key) == 0) {
            *out = (round_limit_t)i;
            return 0;
        }
    }
    return -1;
}

int
round_limit_waivable(round_limit_t k)
{
    return (unsigned)k < ROUND_LIM_COUNT && LIMITS[k].waivable;
}

/* The fields of round_limits_t in round_limit_t order. */
static int *
limit_slot(round_limits_t *l, round_limit_t k)
{
    int *slots[ROUND_LIM_COUNT] = {&l->joint_units_max,
                                   &l->schemes_per_lead_max,
                                   &l->licensed_insurers_min,
                                   &l->unit_intro_zishu_max,
                                   &l->overview_zishu_max,
                                   &l->scheme_body_zishu_min,
                                   &l->plan_body_zishu_min,
                                   &l->attached_scheme_zishu_min,
                                   &l->cases_min,
                                   &l->cases_max};
    return (unsigned)k < ROUND_LIM_COUNT ? slots[k] : NULL;
}

int
round_limit_get(const round_limits_t *l, round_limit_t k)
{
    int *p = limit_slot((round_limits_t *)l, k);
    return p ? *p : ROUND_UNSET;
}

void
round_limit_set(round_limits_t *l, round_limit_t k, int v)
{
    int *p = limit_slot(l, k);
    if (p)
        *p = v;
}

void
round_resolve(round_t *r)
{
    for (int a = 1; a <= 4; a++) {
        round_annex_t *x = &r->annex[a];
        x->limits = r->limits;
        for (int k = 0; k < ROUND_LIM_COUNT; k++)
            if (x->own_given & (1u << k))
                round_limit_set(&x->limits, (round_limit_t)k,
                                round_limit_get(&x->own, (round_limit_t)k));
        x->limits.in_principle = r->limits.in_principle | x->own.in_principle;
    }
    r->resolved = 1;
}

const round_limits_t *
round_limits(const round_t *r, int annex)
{
    if (!r->resolved || annex < 1 || annex > 4)
        return &r->limits;
    return &r->annex[annex].limits;
}

void
round_date_set(round_date_t *d, int y, int m, int d_)
{
    d->set = 1;
    d->y = y;
    d->m = m;
    d->d = d_;
    d->at = bjtime_end_of_day(y, m, d_);
}

static const round_province_t *
province_find(const round_t *r, const char *code)
{
    if (code == NULL || code[0] == '\0')
        return NULL;
    for (size_t i = 0; i < r->n_provinces; i++)
        if (strcmp(r->provinces[i].code, code) == 0)
            return &r->provinces[i];
    return NULL;
}

int
round_deadline_at(const round_t *r, round_deadline_t k, const char *province, int64_t *at)
{
    if ((unsigned)k >= ROUND_DL_COUNT)
        return 0;
    const round_date_t *d = &r->deadlines[k];
    const round_province_t *p = DEADLINES[k].local ? province_find(r, province) : NULL;
    if (p != NULL && p->deadlines[k].set)
        d = &p->deadlines[k];
    if (!d->set)
        return 0;
    *at = d->at;
    return 1;
}

round_summary_route_t
round_summary_route(const round_t *r, const char *province)
{
    const round_province_t *p = province_find(r, province);
    return p ? p->summary_route : ROUND_SUMMARY_DIRECT;
}

cy_status_t
round_check_receipt(const round_t *r, round_deadline_t k, const char *province, int64_t receipt_utc,
                    int64_t extension_until, const char *receiver_zh, cy_error_t *err)
{
    int64_t deadline;
    if (!round_deadline_at(r, k, province, &deadline))
        return CY_OK;
    int extended = extension_until > deadline;
    int64_t effective = extended ? extension_until : deadline;
    if (!bjtime_is_late(receipt_utc, effective))
        return CY_OK;
    char dl[32], got[32], ext[32];
    bjtime_format(deadline, dl);
    bjtime_format(receipt_utc, got);
    bjtime_format(effective, ext);
    const char *who = receiver_zh != NULL && receiver_zh[0] ? receiver_zh : "接收单位";
    if (extended)
        return cy_error_set(err, CY_EINVAL, "deadline_passed", "received_at",
                            "逾期不予受理：%s的截止时间为 %s（北京时间），%s同意延期至 %s，"
                            "送达%s的时间为 %s / refused as late: %s closed at %s Beijing time, "
                            "extended by the receiving authority to %s; received by %s at %s",
                            DEADLINES[k].zh, dl, who, ext, who, got, DEADLINES[k].en, dl, ext, who,
                            got);
    return cy_error_set(
        err, CY_EINVAL, "deadline_passed", "received_at",
        "逾期不予受理：%s的截止时间为 %s（北京时间，以送达时间为准），送达%s的时间为 "
        "%s / refused as late: %s closed at %s Beijing time (judged on receipt); "
        "received by %s at %s",
        DEADLINES[k].zh, dl, who, got, DEADLINES[k].en, dl, who, got);
}

int
round_limit_exceeded_in_principle(const round_limits_t *l, round_limit_t k, long long n)
{
    int max = round_limit_get(l, k);
    return max != ROUND_UNSET && n > max && (l->in_principle & (1u << k)) != 0;
}

/*
 * A count over a maximum: fine within it, unset or waived; 原则上 without a
 * waiver asks for one (waiver_required); otherwise refused with code.
 */
static cy_status_t
over_max(const round_limits_t *l, round_limit_t k, long long n, int waived, const char *code,
         const char *field, const char *zh, const char *en, cy_error_t *err)
{
    int max = round_limit_get(l, k);
    if (max == ROUND_UNSET || n <= max)
        return CY_OK;
    if (l->in_principle & (1u << k)) {
        if (waived)
            return CY_OK;
        return cy_error_set(err, CY_EINVAL, "waiver_required", field,
                            "%s原则上不超过%d（当前%lld），超出须经工业和信息化部同意并记录理由 / "
                            "%s: at most %d in principle (%lld); more needs the ministry's "
                            "waiver with its reason",
                            zh, max, n, en, max, n);
    }
    return cy_error_set(err, CY_EINVAL, code, field,
                        "%s不超过%d（当前%lld） / %s: at most %d (%lld)", zh, max, n, en, max, n);
}

cy_status_t
round_check_joint_units(const round_limits_t *l, size_t n, const char *field, int waived,
                        cy_error_t *err)
{
    int max = l->joint_units_max;
    if (l->in_principle & (1u << ROUND_LIM_JOINT_UNITS_MAX))
        return over_max(l, ROUND_LIM_JOINT_UNITS_MAX, (long long)n, waived, "joint_units_too_many",
                        field, "联合申报单位", "joint units", err);
    if (max == ROUND_UNSET || (long long)n <= max)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "joint_units_too_many", field,
                        "联合申报单位不超过%d家（当前%zu家） / at most %d joint units (%zu given)",
                        max, n, max, n);
}

cy_status_t
round_check_lead_schemes(const round_limits_t *l, size_t already, int waived, cy_error_t *err)
{
    int max = l->schemes_per_lead_max;
    if (max == ROUND_UNSET || (long long)already < max)
        return CY_OK;
    if (l->in_principle & (1u << ROUND_LIM_SCHEMES_PER_LEAD_MAX)) {
        if (waived)
            return CY_OK;
        return cy_error_set(
            err, CY_EINVAL, "waiver_required", "lead",
            "每个申报主体牵头的服务方案原则上不超过%d个（本轮已提交%zu个），超出须经"
            "工业和信息化部同意并记录理由 / a lead submits at most %d schemes per "
            "round in principle (%zu already submitted); another needs the "
            "ministry's waiver with its reason",
            max, already, max, already);
    }
    return cy_error_set(err, CY_EINVAL, "schemes_per_lead", "lead",
                        "每个申报主体牵头的服务方案不超过%d个（本轮已提交%zu个） / a lead may "
                        "submit at most %d schemes per round (%zu already submitted)",
                        max, already, max, already);
}

cy_status_t
round_check_insurers(const round_limits_t *l, size_t n, cy_error_t *err)
{
    int min = l->licensed_insurers_min;
    if (min == ROUND_UNSET || (long long)n >= min)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "insurer_required", "joint_units",
                        "牵头或联合申报单位中应有至少%d家取得保险业务许可资格（当前%zu家） / at "
                        "least %d of the lead and joint units must hold an insurance licence "
                        "(%zu do)",
                        min, n, min, n);
}

cy_status_t
round_check_cases(const round_limits_t *l, size_t n, const char *field, int waived, cy_error_t *err)
{
    int lo = l->cases_min, hi = l->cases_max;
    if (lo != ROUND_UNSET && (long long)n < lo && hi == ROUND_UNSET)
        return cy_error_set(err, CY_EINVAL, "cases_count", field,
                            "已有基础应列举至少%d个真实案例（当前%zu个） / list at least %d real "
                            "cases (%zu given)",
                            lo, n, lo, n);
    if ((lo == ROUND_UNSET || (long long)n >= lo) &&
        (l->in_principle & (1u << ROUND_LIM_CASES_MAX)))
        return over_max(l, ROUND_LIM_CASES_MAX, (long long)n, waived, "cases_count", field,
                        "已有基础的真实案例", "real cases", err);
    if ((lo == ROUND_UNSET || (long long)n >= lo) && (hi == ROUND_UNSET || (long long)n <= hi))
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "cases_count", field,
                        "已有基础应列举%d–%d个真实案例（当前%zu个） / list %d to %d real cases "
                        "(%zu given)",
                        lo == ROUND_UNSET ? 0 : lo, hi, n, lo == ROUND_UNSET ? 0 : lo, hi, n);
}

cy_status_t
round_check_zishu_max(int max, size_t count, const char *field, const char *label_zh,
                      const char *label_en, cy_error_t *err)
{
    if (max <= 0 || (long long)count <= max)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "zishu_too_many", field,
                        "%s不超过%d字（当前%zu字） / %s: at most %d 字 (%zu given)", label_zh, max,
                        count, label_en, max, count);
}

cy_status_t
round_check_zishu_min(int min, size_t count, const char *field, const char *label_zh,
                      const char *label_en, cy_error_t *err)
{
    if (min <= 0 || (long long)count >= min)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "zishu_too_few", field,
                        "%s不少于%d字（当前%zu字） / %s: at least %d 字 (%zu given)", label_zh, min,
                        count, label_en, min, count);
}

const round_period_t *
round_period_find(const round_t *r, const char *name)
{
    for (size_t i = 0; name != NULL && i < r->n_periods; i++)
        if (strcmp(r->periods[i].period, name) == 0)
            return &r->periods[i];
    return NULL;
}

static cy_status_t
invalid(cy_error_t *err, const char *field, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "round_invalid", field, "%s：%s / %s: %s", field, zh, field,
                        en);
}

/* Limits of base ("limits", "annexes.3.limits"): each given one (bit of given) unset or in range.
 */
static cy_status_t
limits_valid(const round_limits_t *l, unsigned given, const char *base, cy_error_t *err)
{
    /* the counts that may be 0: no joint unit, no insurer, no case */
    static const unsigned zero_ok = (1u << ROUND_LIM_JOINT_UNITS_MAX) |
                                    (1u << ROUND_LIM_LICENSED_INSURERS_MIN) |
                                    (1u << ROUND_LIM_CASES_MIN);
    char field[96];
    for (int k = 0; k < ROUND_LIM_COUNT; k++) {
        int v = round_limit_get(l, (round_limit_t)k), zok = (zero_ok >> k) & 1;
        snprintf(field, sizeof field, "%s.%s", base, LIMITS[k].key);
        if (((given >> k) & 1) && v != ROUND_UNSET && (v < 0 || (v == 0 && !zok)))
            return invalid(err, field, zok ? "不能为负数" : "应为正整数",
                           zok ? "must not be negative" : "must be a positive integer");
        if ((l->in_principle & (1u << k)) && !LIMITS[k].waivable) {
            snprintf(field, sizeof field, "%s.in_principle", base);
            return invalid(err, field, "只有联合单位数、牵头方案数和案例数上限可以是“原则上”的",
                           "only the joint units, schemes per lead and cases maxima may be "
                           "limits in principle");
        }
    }
    int lo = l->cases_min, hi = l->cases_max;
    snprintf(field, sizeof field, "%s.cases_min", base);
    if ((given & (1u << ROUND_LIM_CASES_MIN)) && (given & (1u << ROUND_LIM_CASES_MAX)) && lo >= 0 &&
        hi >= 0 && lo > hi)
        return invalid(err, field, "案例数下限大于上限", "cases_min is larger than cases_max");
    return CY_OK;
}

cy_status_t
round_validate(const round_t *r, cy_error_t *err)
{
    char field[96];
    if (r->id[0] == '\0')
        return invalid(err, "id", "轮次编号不能为空", "the round needs an id");
    const round_date_t *d = r->deadlines;
    if (!d[ROUND_DL_SCHEME_AT_MINISTRY].set)
        return invalid(err, "deadlines.scheme_at_ministry", "缺少服务方案截止日期",
                       "the scheme deadline is required");
    if (!d[ROUND_DL_PLAN_AT_MINISTRY].set)
        return invalid(err, "deadlines.plan_at_ministry", "缺少试点方案截止日期",
                       "the plan deadline is required");
    if (!d[ROUND_DL_SUMMARY_AT_MINISTRY].set)
        return invalid(err, "deadlines.summary_at_ministry", "缺少年度总结截止日期",
                       "the summary deadline is required");
    if (d[ROUND_DL_PLAN_AT_MINISTRY].at < d[ROUND_DL_SCHEME_AT_MINISTRY].at)
        return invalid(err, "deadlines.plan_at_ministry", "试点方案截止日期早于服务方案截止日期",
                       "plans cannot be due before schemes");
    for (size_t i = 0; i < r->n_provinces; i++) {
        const round_province_t *p = &r->provinces[i];
        const round_date_t *pk = &p->deadlines[ROUND_DL_PACKAGE_AT_PROVINCE];
        if (pk->set && pk->at > d[ROUND_DL_PLAN_AT_MINISTRY].at) {
            snprintf(field, sizeof field, "provinces.%s.deadlines.package_at_province", p->code);
            return invalid(err, field, "省级截止日期晚于报部截止日期，地市材料无法按时报部",
                           "a province cannot take packages after plans are due at the ministry");
        }
        for (int k = 0; k < ROUND_DL_COUNT; k++) {
            if (p->deadlines[k].set && !DEADLINES[k].local) {
                snprintf(field, sizeof field, "provinces.%s.deadlines.%s", p->code,
                         DEADLINES[k].key);
                return invalid(err, field, "部级截止日期不能按省调整",
                               "a ministry deadline cannot be overridden by a province");
            }
        }
    }
    cy_status_t st = limits_valid(&r->limits, ~0u, "limits", err);
    for (int a = 1; st == CY_OK && a <= 4; a++) {
        char base[48];
        snprintf(base, sizeof base, "annexes.%d.limits", a);
        st = limits_valid(&r->annex[a].own, r->annex[a].own_given, base, err);
    }
    if (st != CY_OK)
        return st;
    for (size_t i = 0; i < r->n_periods; i++) {
        const round_period_t *p = &r->periods[i];
        snprintf(field, sizeof field, "progress_reports[%zu]", i);
        if (p->period[0] == '\0') {
            snprintf(field, sizeof field, "progress_reports[%zu].period", i);
            return invalid(err, field, "缺少报告期名称", "the period needs a name");
        }
        if (p->from.at > p->to.at) {
            snprintf(field, sizeof field, "progress_reports[%zu].to", i);
            return invalid(err, field, "报告期结束早于开始", "the period ends before it begins");
        }
        if (p->due.at <= p->to.at) {
            snprintf(field, sizeof field, "progress_reports[%zu].due", i);
            return invalid(err, field, "报送日期应晚于报告期结束",
                           "a report is due after its period ends");
        }
        if (i > 0 && p->from.at <= r->periods[i - 1].to.at) {
            snprintf(field, sizeof field, "progress_reports[%zu].from", i);
            return invalid(err, field, "报告期应按时间顺序且不重叠",
                           "periods must be in order and must not overlap");
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r->periods[j].period, p->period) == 0) {
                snprintf(field, sizeof field, "progress_reports[%zu].period", i);
                return invalid(err, field, "报告期名称重复", "the period name is used twice");
            }
        }
    }
    return CY_OK;
}
