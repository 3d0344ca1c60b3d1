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
    /* optional in a round file (absent: null, not judged) */
    ROUND_DL_RECOMMENDATION_AT_MINISTRY, /* a local authority's 推荐意见 at the ministry */
    ROUND_DL_COPY_AT_COMM_ADMIN,    /* a 基础电信企业's plan copied to the 通信管理局 */
    ROUND_DL_PILOT_SUMMARY_AT_CITY, /* a pilot's summary at its city (summary_route via_city) */
    ROUND_DL_SUMMARY_COPY_AT_COMM_ADMIN, /* a 基础电信企业's summary copied to the 通信管理局 */
    ROUND_DL_COUNT
} round_deadline_t;

/* What a receipt after its deadline meets: refused (逾期不予受理) or accepted and marked late. */
typedef enum { ROUND_LATE_REFUSE, ROUND_LATE_FLAG } round_late_t;

/* A date of the round file: set = 0 means "no such deadline" (null). */
typedef struct {
    int set;
    int y, m, d;
    int64_t at; /* 23:59:59 Beijing time of y-m-d, as UTC seconds */
} round_date_t;

/* A limit that is null in the round file (or absent from an annex's own limits): not checked. */
#define ROUND_UNSET (-1)

/* The limits of a round, by key (the round file's and the API's names). */
typedef enum {
    ROUND_LIM_JOINT_UNITS_MAX,
    ROUND_LIM_SCHEMES_PER_LEAD_MAX,
    ROUND_LIM_LICENSED_INSURERS_MIN,
    ROUND_LIM_UNIT_INTRO_ZISHU_MAX,
    ROUND_LIM_OVERVIEW_ZISHU_MAX,
    ROUND_LIM_SCHEME_BODY_ZISHU_MIN,
    ROUND_LIM_PLAN_BODY_ZISHU_MIN,
    ROUND_LIM_ATTACHED_SCHEME_ZISHU_MIN,
    ROUND_LIM_CASES_MIN,
    ROUND_LIM_CASES_MAX,
    ROUND_LIM_COUNT
} round_limit_t;

/* Each limit is a number, or ROUND_UNSET (null: not checked). */
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
    unsigned in_principle; /* bit 1 << round_limit_t: 原则上 — a waiver may exceed it */
} round_limits_t;

#define ROUND_MAX_REQUIRED 32
#define ROUND_TEXT_MAX     4096

/*
 * What a round says of one annex (1 the scheme, 2–4 the plans): its limits
 * (the round-wide ones, each of which the annex may set to its own number
 * or to null), the form fields it requires before submission (paths of the
 * annex's form, "lead_info.fax", "contact.department", "scheme_table"), and
 * the text of the 真实性承诺 and 申报主体责任声明 each unit confirms word
 * for word.
 */
typedef struct {
    round_limits_t own;    /* as the file gives them, where own_given has the limit's bit */
    unsigned own_given;    /* bit 1 << round_limit_t: the annex sets that limit itself */
    round_limits_t limits; /* in force: round_resolve() fills it */
    char required[ROUND_MAX_REQUIRED][64];
    size_t n_required;
    char commitment[ROUND_TEXT_MAX];  /* 真实性承诺 */
    char declaration[ROUND_TEXT_MAX]; /* 申报主体责任声明, its five statements and closing */
} round_annex_t;

/* Where a province's pilots send their annual summaries. */
typedef enum {
    ROUND_SUMMARY_DIRECT, /* to the ministry (the national notice) */
    ROUND_SUMMARY_VIA_CITY /* to the city, which forwards them to the province (粤工信…〔2024〕4号
                              §三) */
} round_summary_route_t;

#define ROUND_MAX_REMINDERS 8
#define ROUND_MAX_SECTIONS  8

/* A section of the annual summary a round asks for beyond the notice's three. */
typedef struct {
    char key[32];
    char name_zh[128], name_en[160];
    int zishu_min; /* 0: any length, but not blank */
} round_section_t;

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
    round_summary_route_t summary_route;
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
    round_late_t late[ROUND_DL_COUNT];  /* round_late_default() unless the file says */
    round_annex_t annex[5];             /* [1]..[4]; [0] unused */
    int resolved;                       /* round_resolve() ran: annex[].limits are in force */
    int reminders[ROUND_MAX_REMINDERS]; /* days before a deadline to remind, largest first */
    size_t n_reminders;
    char review_criteria[64]; /* data/review/NAME.json; "" the default criteria.json */
    round_section_t summary_sections[ROUND_MAX_SECTIONS]; /* beyond 开展情况, 产品创新, 服务实施 */
    size_t n_summary_sections;
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
/* 1 when a round file may leave the key out (null). */
int round_deadline_is_optional(round_deadline_t k);
/* What a late receipt meets unless the round file says: summaries and copies are flagged. */
round_late_t round_late_default(round_deadline_t k);

/* "joint_units_max", … and back (0 and *out, or -1). */
const char *round_limit_key(round_limit_t k);
int round_limit_parse(const char *key, round_limit_t *out);
/* 1 when a limit may be 原则上 (waivable): the counts a waiver can let past. */
int round_limit_waivable(round_limit_t k);
/* The value of limit k in l (ROUND_UNSET: not checked). */
int round_limit_get(const round_limits_t *l, round_limit_t k);
void round_limit_set(round_limits_t *l, round_limit_t k, int v);

/*
 * round_resolve fills each annex's limits in force: the round-wide limits,
 * then what the annex sets itself (a number or null). Idempotent.
 */
void round_resolve(round_t *r);
/* The limits in force for an annex (1–4); the round-wide ones before round_resolve. */
const round_limits_t *round_limits(const round_t *r, int annex);
/* Where the pilots of province PP0000 send their summaries. */
round_summary_route_t round_summary_route(const round_t *r, const char *province);

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

/*
 * A limit ROUND_UNSET is never checked. A limit the round marks 原则上
 * (in_principle) that is exceeded is refused with code "waiver_required"
 * saying that the ministry may allow it, unless waived is 1.
 */

/* joint_units_too_many: "联合申报单位不超过10家（当前11家）". */
cy_status_t round_check_joint_units(const round_limits_t *l, size_t n, const char *field,
                                    int waived, cy_error_t *err);
/* schemes_per_lead: already is the number the lead has submitted this round. */
cy_status_t round_check_lead_schemes(const round_limits_t *l, size_t already, int waived,
                                     cy_error_t *err);
/* insurer_required: n licensed insurers among the lead and joint units. */
cy_status_t round_check_insurers(const round_limits_t *l, size_t n, cy_error_t *err);
/* cases_count: 已有基础 real cases. */
cy_status_t round_check_cases(const round_limits_t *l, size_t n, const char *field, int waived,
                              cy_error_t *err);
/* 1 when the count exceeds the limit (set) but the limit is 原则上: a warning until waived. */
int round_limit_exceeded_in_principle(const round_limits_t *l, round_limit_t k, long long n);

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
 * "round_invalid". Limits of ROUND_UNSET pass; an annex's own limits are
 * checked like the round-wide ones ("annexes.3.limits.cases_max").
 */
cy_status_t round_validate(const round_t *r, cy_error_t *err);

#endif
