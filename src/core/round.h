/*
 * round.h — a pilot round (DOMAIN.md §4) as a plain struct, and the rules of
 * a round: deadlines judged on receipt time at the receiving level (以送达时间为准，
 * 逾期将不予受理) with per-province overrides and extensions, and the limits of
 * the notice (joint units, schemes per lead, insurers, 字数, cases).
 *
 * Every date and number comes from a round file under data/rounds/ that
 * app/pilot_data.c reads into a round_t; nothing here knows any year. Pure:
 * libc and core/ only — never jansson, storage, the clock or HTTP.
 */
#ifndef CY_CORE_ROUND_H
#define CY_CORE_ROUND_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The deadlines of a round, each judged at one receiving level. */
typedef enum {
    ROUND_DL_SCHEME_AT_MINISTRY,       /* Annex 1 schemes at the ministry */
    ROUND_DL_PLAN_AT_CITY,             /* a unit's plan at its city authority */
    ROUND_DL_PACKAGE_AT_PROVINCE,      /* a city's package at the province */
    ROUND_DL_PLAN_AT_MINISTRY,         /* plans and packages at the ministry */
    ROUND_DL_CITY_SUMMARY_AT_PROVINCE, /* a city's annual summary at the province */
    ROUND_DL_SUMMARY_AT_MINISTRY,      /* annual summaries at the ministry */
    ROUND_DL_COUNT
} round_deadline_t;

/* A date of the round file: set = 0 means "no such deadline" (null). */
typedef struct {
    int set;
    int y, m, d;
    int64_t at; /* 23:59:59 Beijing time of y-m-d, as UTC seconds */
} round_date_t;

typedef struct {
    int joint_units_max;       /* 联合单位不超过 N 家 */
    int schemes_per_lead_max;  /* 每个申报主体牵头的方案不超过 N 个 */
    int licensed_insurers_min; /* 至少 N 家取得保险业务许可 */
    int unit_intro_zishu_max;  /* 申报单位简介不超过 N 字 */
    int overview_zishu_max;    /* 方案概述不超过 N 字 */
    int scheme_body_zishu_min; /* 服务方案不少于 N 字 */
    int plan_body_zishu_min;   /* 试点方案（附件2/3，附件4 二–四）不少于 N 字 */
    int attached_scheme_zishu_min; /* 每个所附服务方案不少于 N 字 */
    int cases_min, cases_max;      /* 已有基础 N–M 个真实案例 */
} round_limits_t;

/* One progress-report period (e.g. a quarter) and the day its report is due. */
typedef struct {
    char period[16];
    round_date_t from, to, due; /* from.at/to.at: end of those days */
} round_period_t;

#define ROUND_MAX_PERIODS   16
#define ROUND_MAX_PROVINCES 34

/* The deadlines one province sets for receipts by its own authorities. */
typedef struct {
    char code[7];
    char source[512];
    round_date_t deadlines[ROUND_DL_COUNT]; /* set = 0: the national date applies */
} round_province_t;

/*
 * What a round asks of a filing beyond its electronic copy (the round file's
 * optional "filing"; absent: nothing). The paper copies (纸质版一式 N 份)
 * arrive after the electronic submission; their arrival is judged against
 * a hop's deadline only where paper_judged names it (以送达时间为准).
 * seal_scans and material_copies name the annexes whose submission needs,
 * uploaded first, a scan of every unit's signed and sealed pages, and a
 * copy of every listed 证明材料.
 */
typedef struct {
    int paper_copies;         /* 0: no paper asked for */
    unsigned paper_judged;    /* bit 1 << round_deadline_t */
    unsigned seal_scans;      /* bit 1 << annex (1–4) */
    unsigned material_copies; /* bit 1 << annex (1–4) */
} round_filing_t;

typedef struct {
    char id[16];
    char name_zh[128], name_en[128];
    char notice[128];
    char source[1024];
    char version[64];
    round_date_t deadlines[ROUND_DL_COUNT];
    round_limits_t limits;
    round_period_t periods[ROUND_MAX_PERIODS];
    size_t n_periods;
    round_province_t provinces[ROUND_MAX_PROVINCES];
    size_t n_provinces;
    round_filing_t filing;
} round_t;

/* "scheme_at_ministry", … (the keys of the round file and the API). */
const char *round_deadline_key(round_deadline_t k);
/* "服务方案报送工业和信息化部" / "schemes at the ministry". */
const char *round_deadline_name_zh(round_deadline_t k);
const char *round_deadline_name_en(round_deadline_t k);
/* round_deadline_parse: 0 and *out on a known key, -1 otherwise. */
int round_deadline_parse(const char *key, round_deadline_t *out);
/* 1 when the deadline is judged by a city or provincial authority (a province may override it). */
int round_deadline_is_local(round_deadline_t k);

/*
 * round_date_set fills d from y-m-d (a valid date is the caller's
 * responsibility: bjtime_parse checks it) with at = 23:59:59 Beijing time.
 */
void round_date_set(round_date_t *d, int y, int m, int d_);

/*
 * round_deadline_at: the deadline k for a receipt by an authority of
 * province (PP0000, or NULL/"" for the national date). Returns 1 and *at, or
 * 0 when the round sets no such deadline. A province override wins over the
 * national date for local deadlines only.
 */
int round_deadline_at(const round_t *r, round_deadline_t k, const char *province, int64_t *at);

/*
 * round_check_receipt judges a receipt at receipt_utc against deadline k as
 * it applies in province; extension_until (0: none) is the end of an
 * extension the receiving authority granted the sender, which moves the
 * deadline later (never earlier). receiver_zh/receiver_en name the receiving
 * authority in the message. Refusal: CY_EINVAL, code "deadline_passed",
 * field "received_at", naming the deadline, any extension and the receipt
 * time in Beijing time. No deadline (null) never refuses.
 */
cy_status_t round_check_receipt(const round_t *r, round_deadline_t k, const char *province,
                                int64_t receipt_utc, int64_t extension_until,
                                const char *receiver_zh, cy_error_t *err);

/* ---- limits: each refusal is CY_EINVAL naming field and rule ----------- */

/* joint_units_too_many: "联合申报单位不超过10家（当前11家）". */
cy_status_t round_check_joint_units(const round_t *r, size_t n, const char *field, cy_error_t *err);
/* schemes_per_lead: already is the number the lead has submitted this round. */
cy_status_t round_check_lead_schemes(const round_t *r, size_t already, cy_error_t *err);
/* insurer_required: n licensed insurers among the lead and joint units. */
cy_status_t round_check_insurers(const round_t *r, size_t n, cy_error_t *err);
/* cases_count: 已有基础 real cases. */
cy_status_t round_check_cases(const round_t *r, size_t n, const char *field, cy_error_t *err);

/*
 * 字数 limits: count against max (zishu_too_many) or min (zishu_too_few);
 * label_zh/label_en name the part of the form ("方案概述" / "overview").
 * A limit of 0 or less is not checked.
 */
cy_status_t round_check_zishu_max(int max, size_t count, const char *field, const char *label_zh,
                                  const char *label_en, cy_error_t *err);
cy_status_t round_check_zishu_min(int min, size_t count, const char *field, const char *label_zh,
                                  const char *label_en, cy_error_t *err);

/* round_period_find: the period called name, or NULL. */
const round_period_t *round_period_find(const round_t *r, const char *name);

/*
 * round_validate checks the invariants a loaded round must keep and names the
 * offending key in err->field ("deadlines.plan_at_ministry",
 * "progress_reports[1].due", "limits.cases_min"): an id; the plan deadlines
 * not before the scheme deadline; a province's package deadline not after the
 * ministry's plan deadline (a city could not forward in time); limits
 * positive (licensed_insurers_min may be 0) and cases_min ≤ cases_max;
 * periods with from ≤ to < due, in order, names unique. code
 * "round_invalid".
 */
cy_status_t round_validate(const round_t *r, cy_error_t *err);

#endif
