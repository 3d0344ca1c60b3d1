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

static const struct {
    const char *key, *zh, *en;
    int local;
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
                                           "city annual summaries at the province", 1},
    [ROUND_DL_SUMMARY_AT_MINISTRY] = {"summary_at_ministry", "年度总结报送工业和信息化部",
                                      "annual summaries at the ministry", 0},
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

cy_status_t
round_check_joint_units(const round_t *r, size_t n, const char *field, cy_error_t *err)
{
    int max = r->limits.joint_units_max;
    if ((long long)n <= max)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "joint_units_too_many", field,
                        "联合申报单位不超过%d家（当前%zu家） / at most %d joint units (%zu given)",
                        max, n, max, n);
}

cy_status_t
round_check_lead_schemes(const round_t *r, size_t already, cy_error_t *err)
{
    int max = r->limits.schemes_per_lead_max;
    if ((long long)already < max)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "schemes_per_lead", "lead",
                        "每个申报主体牵头的服务方案不超过%d个（本轮已提交%zu个） / a lead may "
                        "submit at most %d schemes per round (%zu already submitted)",
                        max, already, max, already);
}

cy_status_t
round_check_insurers(const round_t *r, size_t n, cy_error_t *err)
{
    int min = r->limits.licensed_insurers_min;
    if ((long long)n >= min)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "insurer_required", "joint_units",
                        "牵头或联合申报单位中应有至少%d家取得保险业务许可资格（当前%zu家） / at "
                        "least %d of the lead and joint units must hold an insurance licence "
                        "(%zu do)",
                        min, n, min, n);
}

cy_status_t
round_check_cases(const round_t *r, size_t n, const char *field, cy_error_t *err)
{
    int lo = r->limits.cases_min, hi = r->limits.cases_max;
    if ((long long)n >= lo && (long long)n <= hi)
        return CY_OK;
    return cy_error_set(err, CY_EINVAL, "cases_count", field,
                        "已有基础应列举%d–%d个真实案例（当前%zu个） / list %d to %d real cases "
                        "(%zu given)",
                        lo, hi, n, lo, hi, n);
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

/* The ministry's three deadlines are set, plans not due before schemes. */
static cy_status_t
validate_deadlines(const round_date_t *d, cy_error_t *err)
{
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
    return CY_OK;
}

/* A province adjusts only local deadlines, and takes packages before plans are due. */
static cy_status_t
validate_provinces(const round_t *r, cy_error_t *err)
{
    char field[96];
    const round_date_t *d = r->deadlines;
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
    return CY_OK;
}

/* Every limit is positive (or, where the notice allows it, zero); cases_min ≤ cases_max. */
static cy_status_t
validate_limits(const round_limits_t *l, cy_error_t *err)
{
    const struct {
        const char *key;
        int v, zero_ok;
    } lim[] = {
        {"joint_units_max", l->joint_units_max, 1},
        {"schemes_per_lead_max", l->schemes_per_lead_max, 0},
        {"licensed_insurers_min", l->licensed_insurers_min, 1},
        {"unit_intro_zishu_max", l->unit_intro_zishu_max, 0},
        {"overview_zishu_max", l->overview_zishu_max, 0},
        {"scheme_body_zishu_min", l->scheme_body_zishu_min, 0},
        {"plan_body_zishu_min", l->plan_body_zishu_min, 0},
        {"attached_scheme_zishu_min", l->attached_scheme_zishu_min, 0},
        {"cases_min", l->cases_min, 1},
        {"cases_max", l->cases_max, 0},
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        if (lim[i].v < 0 || (lim[i].v == 0 && !lim[i].zero_ok)) {
            char field[96];
            snprintf(field, sizeof field, "limits.%s", lim[i].key);
            return invalid(err, field, lim[i].zero_ok ? "不能为负数" : "应为正整数",
                           lim[i].zero_ok ? "must not be negative" : "must be a positive integer");
        }
    }
    if (l->cases_min > l->cases_max)
        return invalid(err, "limits.cases_min", "案例数下限大于上限",
                       "cases_min is larger than cases_max");
    return CY_OK;
}

/* Progress-report periods: named uniquely, in order, not overlapping, due after they end. */
static cy_status_t
validate_periods(const round_t *r, cy_error_t *err)
{
    char field[96];
    for (size_t i = 0; i < r->n_periods; i++) {
        const round_period_t *p = &r->periods[i];
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

cy_status_t
round_validate(const round_t *r, cy_error_t *err)
{
    if (r->id[0] == '\0')
        return invalid(err, "id", "轮次编号不能为空", "the round needs an id");
    cy_status_t st = validate_deadlines(r->deadlines, err);
    if (st == CY_OK)
        st = validate_provinces(r, err);
    if (st == CY_OK)
        st = validate_limits(&r->limits, err);
    if (st == CY_OK)
        st = validate_periods(r, err);
    return st;
}
