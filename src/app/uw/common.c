/*
 * uw_common.c — what the underwriting use cases share (uw_internal.h):
 * visibility, loading products and assessments, the one pricing path
 * uw_price with its breakdown document, and JSON readers that refuse with
 * the field's name. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"
#include "core/money.h"
#include "core/utf8.h"

/* ---------- scope ---------- */

int
uw_sees_all(const actor_t *a)
{
    return a->cli || authz_sees_all(a->org_type);
}

int
uw_may(const actor_t *a, authz_action_t act)
{
    return a->cli || authz_allowed(a->org_type, a->role, act);
}

/* ---------- small helpers ---------- */

const char *
uw_short(const char *s, char buf[96])
{
    size_t n = s ? strlen(s) : 0;
    if (n <= 80) {
        uw_copy(buf, 96, s);
        return buf;
    }
    /* back up over continuation bytes to a character boundary */
    size_t k = 80;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, s, k);
    memcpy(buf + k, "\xE2\x80\xA6", 4); /* … and the NUL */
    return buf;
}

void
uw_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

json_t *
uw_ratio_json(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

cy_status_t
uw_insert_id(store_conn_t *c, const char *sql, const store_param_t *p, int n, int64_t *id,
             cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, n, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1)
        *id = store_rows_int(r, 0);
    else if (k == 0)
        st = cy_error_set(err, CY_EIO, "insert_no_id", NULL,
                          "插入后未返回编号 / the insert returned no id");
    else
        st = err->status;
    /* read to the end so SQLite finishes the statement */
    while (k == 1)
        k = store_rows_next(r, err);
    store_rows_free(r);
    return st;
}

cy_status_t
uw_jtext(json_t *o, const char *key, size_t max, int required, const char **out, cy_error_t *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return cy_error_set(err, CY_EINVAL, "missing_field", key,
                                "缺少字段 %s / %s is required", key, key);
        return CY_OK;
    }
    if (!json_is_string(v))
        return cy_error_set(err, CY_EINVAL, "wrong_type", key,
                            "字段 %s 应为字符串 / %s must be a string", key, key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max)
        return cy_error_set(
            err, CY_EINVAL, "too_long", key,
            "%s 过长（%zu 字节，上限 %zu） / %s is too long (%zu bytes, at most %zu)", key, n, max,
            key, n, max);
    if (strlen(s) != n || !utf8_valid(s, n, NULL))
        return cy_error_set(err, CY_EINVAL, "utf8_invalid", key,
                            "%s 不是有效的 UTF-8 / %s is not valid UTF-8", key, key);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
            return cy_error_set(err, CY_EINVAL, "control_char", key,
                                "%s 含有控制字符 / %s contains a control character", key, key);
    if (required && n == 0)
        return cy_error_set(err, CY_EINVAL, "missing_field", key,
                            "%s 不能为空 / %s must not be empty", key, key);
    *out = s;
    return CY_OK;
}

cy_status_t
uw_jint(json_t *o, const char *key, int64_t lo, int64_t hi, int required, int *present,
        int64_t *out, cy_error_t *err)
{
    json_t *v = json_object_get(o, key);
    if (present)
        *present = 0;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return cy_error_set(err, CY_EINVAL, "missing_field", key,
                                "缺少字段 %s / %s is required", key, key);
        return CY_OK;
    }
    if (!json_is_integer(v))
        return cy_error_set(err, CY_EINVAL, "wrong_type", key,
                            "字段 %s 应为整数 / %s must be an integer", key, key);
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return cy_error_set(err, CY_EINVAL, "out_of_range", key,
                            "%s 应在 %" PRId64 " 到 %" PRId64 " 之间 / %s must be from %" PRId64
                            " to %" PRId64,
                            key, lo, hi, key, lo, hi);
    if (present)
        *present = 1;
    *out = (int64_t)x;
    return CY_OK;
}

cy_status_t
uw_date_parse(const char *s, const char *field, int *y, int *m, int *d, cy_error_t *err)
{
    int64_t t;
    if (s == NULL || strlen(s) != 10 || bjtime_parse(s, &t, NULL) != CY_OK ||
        sscanf(s, "%4d-%2d-%2d", y, m, d) != 3)
        return cy_error_set(err, CY_EINVAL, "date_invalid", field,
                            "%s 应为 YYYY-MM-DD 的有效日期 / %s must be a valid date YYYY-MM-DD",
                            field, field);
    return CY_OK;
}

void
uw_today(int64_t now, int *y, int *m, int *d)
{
    char buf[16];
    bjtime_format_date(now, buf);
    if (sscanf(buf, "%4d-%2d-%2d", y, m, d) != 3)
        *y = 1970, *m = 1, *d = 1;
}

int64_t
uw_midnight(int y, int m, int d)
{
    return bjtime_end_of_day(y, m, d) - 86399;
}

static size_t
parse_options(const char *s, int64_t *out, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (p != NULL && *p && n < max) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        out[n++] = v;
        p = *end == ',' ? end + 1 : NULL;
    }
    return n;
}

/* ---------- products ---------- */

#define PRODUCT_COLS                                                                               \
    "p.id, p.family_id, p.version, p.insurer_org_id, o.name, p.name, p.class, "                    \
    "p.target_industries, p.product_type, p.description, p.bi_waiting_hours, "                     \
    "p.retention_options, p.limit_options, p.minimum_premium, p.rating_model, p.rules_version, "   \
    "p.status, p.filing_no, p.filing_date, p.created_at, p.updated_at"

cy_status_t
uw_product_load(app_t *app, store_conn_t *c, int64_t id, uw_product_rec_t *p, int *found,
                cy_error_t *err)
{
    (void)app;
    memset(p, 0, sizeof *p);
    *found = 0;
    store_param_t q[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT " PRODUCT_COLS " FROM uw_product p JOIN organisation o ON "
                                 "o.id = p.insurer_org_id WHERE p.id = $1",
                                 q, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *found = 1;
        p->id = store_rows_int(r, 0);
        p->family_id = store_rows_int(r, 1);
        p->version = (int)store_rows_int(r, 2);
        p->insurer_org_id = store_rows_int(r, 3);
        store_rows_copy(r, 4, p->insurer_name, sizeof p->insurer_name);
        store_rows_copy(r, 5, p->name, sizeof p->name);
        store_rows_copy(r, 6, p->class_, sizeof p->class_);
        store_rows_copy(r, 7, p->target_industries, sizeof p->target_industries);
        store_rows_copy(r, 8, p->product_type, sizeof p->product_type);
        store_rows_copy(r, 9, p->description, sizeof p->description);
        p->bi_waiting_hours = (int)store_rows_int(r, 10);
        p->n_retentions = parse_options(store_rows_text(r, 11), p->retentions, UW_MAX_OPTIONS);
        p->n_limits = parse_options(store_rows_text(r, 12), p->limits, UW_MAX_OPTIONS);
        p->minimum_premium = store_rows_isnull(r, 13) ? -1 : store_rows_int(r, 13);
        store_rows_copy(r, 14, p->rating_model, sizeof p->rating_model);
        store_rows_copy(r, 15, p->rules_version, sizeof p->rules_version);
        store_rows_copy(r, 16, p->status, sizeof p->status);
        store_rows_copy(r, 17, p->filing_no, sizeof p->filing_no);
        store_rows_copy(r, 18, p->filing_date, sizeof p->filing_date);
        store_rows_copy(r, 19, p->created_at, sizeof p->created_at);
        store_rows_copy(r, 20, p->updated_at, sizeof p->updated_at);
    } else if (k < 0) {
        st = err->status;
    }
    store_rows_free(r);
    if (st != CY_OK || !*found)
        return st;
    st = store_query(c,
                     "SELECT coverage, sublimit, share_bp FROM uw_product_coverage WHERE "
                     "product_id = $1",
                     q, 1, &r, err);
    if (st != CY_OK)
        return st;
    while ((k = store_rows_next(r, err)) == 1) {
        int cv = cov_find(store_rows_text(r, 0));
        if (cv < 0)
            continue;
        p->covered |= 1u << cv;
        p->sublimit[cv] = store_rows_isnull(r, 1) ? 0 : store_rows_int(r, 1);
        p->share_bp[cv] = (int)store_rows_int(r, 2);
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

int
uw_product_visible(const actor_t *a, const uw_product_rec_t *p)
{
    /* a draft is the insurer's working copy; a filed version is public to every caller */
    return uw_sees_all(a) || p->insurer_org_id == a->org_id || strcmp(p->status, "draft") != 0;
}

static json_t *
amounts_json(const int64_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *
csv_list_json(const char *s)
{
    json_t *a = json_array();
    char buf[400];
    uw_copy(buf, sizeof buf, s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(a, json_string(t));
    return a;
}

static json_t *
str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

json_t *
uw_product_json(const uw_product_rec_t *p)
{
    json_t *cov = json_array();
    for (int c = 0; c < COV_N; c++) {
        if (!(p->covered & (1u << c)))
            continue;
        json_array_append_new(
            cov, json_pack("{s:s, s:s, s:s, s:o, s:i}", "code", cov_code(c), "name_zh",
                           cov_name_zh(c), "name_en", cov_name_en(c), "sublimit",
                           p->sublimit[c] > 0 ? json_integer(p->sublimit[c]) : json_null(),
                           "share_bp", p->share_bp[c]));
    }
    json_t *j = json_pack(
        "{s:I, s:I, s:i, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:o, s:o, s:o, s:o, s:s, s:s, "
        "s:s, s:o, s:o, s:s, s:s}",
        "id", (json_int_t)p->id, "family_id", (json_int_t)p->family_id, "version", p->version,
        "insurer_org_id", (json_int_t)p->insurer_org_id, "insurer_name", p->insurer_name, "name",
        p->name, "class", p->class_, "target_industries", csv_list_json(p->target_industries),
        "product_type", str_or_null(p->product_type), "description", p->description,
        "bi_waiting_hours", p->bi_waiting_hours, "retention_options",
        amounts_json(p->retentions, p->n_retentions), "limit_options",
        amounts_json(p->limits, p->n_limits), "minimum_premium",
        p->minimum_premium >= 0 ? json_integer(p->minimum_premium) : json_null(), "coverages", cov,
        "rating_model", p->rating_model, "rules_version", p->rules_version, "status", p->status,
        "filing_no", str_or_null(p->filing_no), "filing_date", str_or_null(p->filing_date),
        "created_at", p->created_at, "updated_at", p->updated_at);
    return j;
}

/* ---------- assessments ---------- */

#define ASSESS_COLS                                                                                \
    "a.id, a.org_id, a.author_org_id, a.author_user_id, o.name, a.status, "                        \
    "a.questionnaire_version, a.target_industry, a.flags, a.answers, a.mlps_level, "               \
    "a.mlps_conclusion, a.mlps_score_tenths, a.mlps_date, a.dep_cloud, a.dep_os, a.dep_vpn, "      \
    "a.dep_email, a.score_hundredths, a.grade, a.result, a.created_at, a.updated_at, "             \
    "a.submitted_at"

void
uw_assess_free(uw_assess_rec_t *r)
{
    if (r == NULL)
        return;
    json_decref(r->answers_json);
    json_decref(r->result);
    free(r->findings);
    r->answers_json = r->result = NULL;
    r->findings = NULL;
    r->n_findings = 0;
}

/* Parse the stored answers against the questionnaire; ids it no longer has are ignored. */
static void
answers_parse(const qn_t *qn, json_t *answers, qn_answer_t *out)
{
    memset(out, 0, sizeof(qn_answer_t) * QN_MAX_QUESTIONS);
    const char *key;
    json_t *v;
    json_object_foreach(answers, key, v)
    {
        int i = qn_question_find(qn, key);
        if (i < 0)
            continue;
        cy_error_t ignored;
        if (qn_answer_parse(qn, (size_t)i, json_string_value(v), json_is_number(v),
                            json_number_value(v), &out[i], &ignored) != CY_OK)
            memset(&out[i], 0, sizeof out[i]);
    }
}

static void
flags_parse(const qn_t *qn, const char *flags, qn_profile_t *p)
{
    char buf[256];
    uw_copy(buf, sizeof buf, flags);
    p->flags = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int f = qn_flag_find(qn, t);
        if (f >= 0)
            p->flags |= 1u << f;
    }
}

cy_status_t
uw_assess_load(app_t *app, store_conn_t *c, int64_t id, uw_assess_rec_t *a, int *found,
               cy_error_t *err)
{
    const qn_t *qn = &app->uw->qn;
    memset(a, 0, sizeof *a);
    *found = 0;
    store_param_t q[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT " ASSESS_COLS " FROM uw_assessment a JOIN organisation o "
                                 "ON o.id = a.org_id WHERE a.id = $1",
                                 q, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *found = 1;
        a->id = store_rows_int(r, 0);
        a->org_id = store_rows_int(r, 1);
        a->author_org_id = store_rows_int(r, 2);
        a->author_user_id = store_rows_int(r, 3);
        store_rows_copy(r, 4, a->org_name, sizeof a->org_name);
        store_rows_copy(r, 5, a->status, sizeof a->status);
        store_rows_copy(r, 6, a->questionnaire_version, sizeof a->questionnaire_version);
        store_rows_copy(r, 7, a->profile.target_industry, sizeof a->profile.target_industry);
        store_rows_copy(r, 8, a->flags, sizeof a->flags);
        flags_parse(qn, a->flags, &a->profile);
        const char *ans = store_rows_text(r, 9);
        a->answers_json = json_loads(ans ? ans : "{}", 0, NULL);
        if (!json_is_object(a->answers_json)) {
            json_decref(a->answers_json);
            a->answers_json = json_object();
        }
        answers_parse(qn, a->answers_json, a->answers);
        a->mlps_level = (int)store_rows_int(r, 10);
        store_rows_copy(r, 11, a->mlps_conclusion, sizeof a->mlps_conclusion);
        a->mlps_score_tenths = store_rows_isnull(r, 12) ? -1 : (int)store_rows_int(r, 12);
        store_rows_copy(r, 13, a->mlps_date, sizeof a->mlps_date);
        for (int d = 0; d < 4; d++)
            store_rows_copy(r, 14 + d, a->dep[d], sizeof a->dep[d]);
        a->scored = !store_rows_isnull(r, 18);
        a->score = (double)store_rows_int(r, 18) / 100.0;
        const char *g = store_rows_text(r, 19);
        a->grade = g && g[0] ? g[0] : 0;
        const char *res = store_rows_text(r, 20);
        a->result = res ? json_loads(res, 0, NULL) : NULL;
        store_rows_copy(r, 21, a->created_at, sizeof a->created_at);
        store_rows_copy(r, 22, a->updated_at, sizeof a->updated_at);
        store_rows_copy(r, 23, a->submitted_at_iso, sizeof a->submitted_at_iso);
        a->submitted_at = a->submitted_at_iso[0] ? app_iso_to_time(a->submitted_at_iso) : 0;
    } else if (k < 0) {
        st = err->status;
    }
    store_rows_free(r);
    if (st != CY_OK || !*found)
        return st;
    st =
        store_query(c,
                    "SELECT kev, internet_facing, cvss_tenths, epss_e5, first_seen FROM uw_finding "
                    "WHERE assessment_id = $1 ORDER BY id",
                    q, 1, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    while ((k = store_rows_next(r, err)) == 1) {
        if (a->n_findings == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            qn_finding_t *nf = realloc(a->findings, ncap * sizeof *nf);
            if (nf == NULL) {
                st = cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
                break;
            }
            a->findings = nf;
            cap = ncap;
        }
        qn_finding_t *f = &a->findings[a->n_findings++];
        f->kev = (int)store_rows_int(r, 0);
        f->internet_facing = (int)store_rows_int(r, 1);
        f->cvss = store_rows_isnull(r, 2) ? -1.0 : (double)store_rows_int(r, 2) / 10.0;
        f->epss = store_rows_isnull(r, 3) ? -1.0 : (double)store_rows_int(r, 3) / 100000.0;
        f->first_seen = app_iso_to_time(store_rows_text(r, 4));
    }
    if (k < 0 && st == CY_OK)
        st = err->status;
    store_rows_free(r);
    if (st != CY_OK)
        uw_assess_free(a);
    return st;
}

cy_status_t
uw_assess_visible(store_conn_t *c, const actor_t *a, const uw_assess_rec_t *r, int *visible,
                  cy_error_t *err)
{
    *visible = uw_sees_all(a) || r->org_id == a->org_id || r->author_org_id == a->org_id;
    if (*visible || a->org_type != ORG_INSURER)
        return CY_OK;
    /* an insurer sees the assessments behind the quotes on its products */
    store_param_t p[] = {STORE_P_INT(r->id), STORE_P_INT(a->org_id)};
    int64_t n = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) FROM uw_quote q JOIN uw_product p ON p.id = "
                                     "q.product_id WHERE q.assessment_id = $1 AND "
                                     "p.insurer_org_id = $2",
                                     p, 2, &n, NULL, err);
    *visible = st == CY_OK && n > 0;
    return st;
}

/* ---------- pricing ---------- */

cy_status_t
uw_industry_section(app_t *app, const char *industry, const char *field, char *section,
                    cy_error_t *err)
{
    const ref_industry_t *ind = industry ? ref_industry_find(app->ref, industry) : NULL;
    if (ind == NULL || ind->section < 'A' || ind->section > 'T')
        return cy_error_set(err, CY_EINVAL, "industry_unknown", field,
                            "未知的国民经济行业 %s（应为 GB/T 4754-2017 门类 A–T 或大类代码） / "
                            "unknown industry %s (a GB/T 4754-2017 section A–T or a division code)",
                            industry ? industry : "", industry ? industry : "");
    *section = ind->section;
    return CY_OK;
}

static int
in_options(const int64_t *v, size_t n, int64_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

static void
options_text(const int64_t *v, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + MONEY_FORMAT_MAX + 2 < cap; i++) {
        char m[MONEY_FORMAT_MAX];
        money_format(v[i], m, sizeof m);
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? "、" : "", m);
    }
}

/*
 * terms_validate, remembering on this thread the last terms it accepted: it
 * is a pure function of the terms (byte for byte), and a bulk quote asks
 * again about the same few combinations of limit and retention on every row
 * (the last 16 accepted are kept).
 * Anything not byte-identical to the remembered terms is validated afresh,
 * and a rejection is never remembered.
 */
static cy_status_t
terms_validated(const terms_t *t, cy_error_t *err)
{
    enum { N_OK = 16 };
    static _Thread_local terms_t ok_terms[N_OK];
    static _Thread_local unsigned n_ok, next_ok;
    for (unsigned i = 0; i < n_ok; i++)
        if (memcmp(&ok_terms[i], t, sizeof *t) == 0)
            return CY_OK;
    cy_status_t st = terms_validate(t, err);
    if (st == CY_OK) {
        memcpy(&ok_terms[next_ok], t, sizeof *t);
        next_ok = (next_ok + 1) % N_OK;
        if (n_ok < N_OK)
            n_ok++;
    }
    return st;
}

cy_status_t
uw_price(const uw_data_t *d, const uw_product_rec_t *p, const uw_price_req_t *r,
         uw_price_res_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], opts[512];
    if (r->revenue <= 0)
        return cy_error_set(err, CY_EINVAL, "revenue_invalid", "revenue",
                            "年营业收入应大于 0 / annual revenue must be above 0");
    if (r->section < 'A' || r->section > 'T')
        return cy_error_set(err, CY_EINVAL, "industry_unknown", "industry",
                            "行业门类应为 A–T / the industry section must be A–T");
    if (r->grade < 'A' || r->grade > 'E')
        return cy_error_set(err, CY_EINVAL, "grade_invalid", "grade",
                            "风险等级应为 A–E / the risk grade must be A–E");
    if (!(r->gross_margin < 0.0 || r->gross_margin <= 1.0))
        return cy_error_set(
            err, CY_EINVAL, "gross_margin_invalid", "gross_margin_bp",
            "毛利率应在 0 到 100%% 之间 / the gross margin must be from 0 to 100%%");
    if (r->limit <= r->retention) {
        money_format(r->limit, a, sizeof a);
        money_format(r->retention, b, sizeof b);
        return cy_error_set(
            err, CY_EINVAL, "limit_below_retention", "aggregate_limit",
            "累计赔偿限额（%s）应高于免赔额（%s） / the aggregate limit (%s) must be "
            "above the retention (%s)",
            a, b, a, b);
    }
    if (!in_options(p->limits, p->n_limits, r->limit)) {
        options_text(p->limits, p->n_limits, opts, sizeof opts);
        return cy_error_set(err, CY_EINVAL, "limit_not_offered", "aggregate_limit",
                            "产品“%s”的累计赔偿限额只能选 %s / product \"%s\" offers the aggregate "
                            "limits %s only",
                            p->name, opts, p->name, opts);
    }
    if (!in_options(p->retentions, p->n_retentions, r->retention)) {
        options_text(p->retentions, p->n_retentions, opts, sizeof opts);
        return cy_error_set(err, CY_EINVAL, "retention_not_offered", "retention",
                            "产品“%s”的免赔额只能选 %s / product \"%s\" offers the retentions %s "
                            "only",
                            p->name, opts, p->name, opts);
    }
    if ((r->covered & ~p->covered) != 0)
        return cy_error_set(
            err, CY_EINVAL, "coverage_not_offered", "coverages",
            "所选险种不在产品“%s”的保障范围内 / a chosen coverage is not offered by "
            "product \"%s\"",
            p->name, p->name);
    terms_t *t = &out->terms;
    terms_init(t, r->limit);
    t->retention = r->retention;
    t->bi_waiting_hours = p->bi_waiting_hours;
    t->covered = r->covered ? r->covered : p->covered;
    for (int c = 0; c < COV_N; c++) {
        if (!(t->covered & (1u << c)))
            continue;
        /* a sublimit above the chosen limit is the limit: the aggregate caps it anyway */
        t->sublimit[c] =
            p->sublimit[c] > 0 && p->sublimit[c] < r->limit ? p->sublimit[c] : r->limit;
        t->share[c] = (double)p->share_bp[c] / 10000.0;
    }
    cy_status_t st = terms_validated(t, err);
    if (st != CY_OK)
        return st;
    double credit =
        pricing_claim_free_credit(d->params.credits, d->params.n_credits, r->claim_free_years);
    rating_insured_t ins = {.section = r->section,
                            .revenue = r->revenue,
                            .grade = r->grade,
                            .gross_margin = r->gross_margin};
    st = pricing_quote(&d->rating.model, &ins, t, credit, p->minimum_premium, &out->price, err);
    if (st != CY_OK)
        return st;
    const uw_assess_rec_t *as = r->assessment;
    uwr_facts_t f = {
        .qn = &d->qn,
        .profile = as ? &as->profile : NULL,
        .answers = as ? as->answers : NULL,
        .has_assessment = as != NULL,
        .assessed_at = as ? as->submitted_at : 0,
        .score = as ? as->score : 0.0,
        .grade = r->grade,
        .mlps_conclusion = as ? as->mlps_conclusion : NULL,
        .findings = as ? as->findings : NULL,
        .n_findings = as ? as->n_findings : 0,
        .revenue = r->revenue,
        .limit = r->limit,
        .section = r->section,
        .now = r->now,
    };
    uwr_evaluate(&d->rules, &f, &out->outcome);
    return CY_OK;
}

json_t *
uw_breakdown_json(const uw_data_t *d, const uw_product_rec_t *p, const uw_price_req_t *r,
                  const uw_price_res_t *res)
{
    const pricing_result_t *pr = &res->price;
    const rating_model_t *m = &d->rating.model;
    json_t *cov = json_array();
    for (int c = 0; c < COV_N; c++) {
        if (!(res->terms.covered & (1u << c)))
            continue;
        json_array_append_new(
            cov, json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:I, s:o}", "code", cov_code(c),
                           "name_zh", cov_name_zh(c), "name_en", cov_name_en(c), "sublimit",
                           (json_int_t)res->terms.sublimit[c], "share",
                           uw_ratio_json(res->terms.share[c]), "expected_losses",
                           uw_ratio_json(pr->rating.lambda_cov[c]), "pure_premium",
                           (json_int_t)pr->pure_cov[c], "pure_premium_exact",
                           uw_ratio_json(pr->rating.pure_cov[c])));
    }
    json_t *rules = json_array();
    for (size_t i = 0; i < res->outcome.n_hits; i++) {
        const uwr_rule_t *u = &d->rules.rules[res->outcome.hits[i]];
        json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "id", u->id, "decision",
                              uwr_decision_name(u->decision), "reason_zh", u->reason_zh,
                              "reason_en", u->reason_en);
        if (u->decision == UWR_CONDITION) {
            json_object_set_new(j, "condition_zh", json_string(u->condition_zh));
            json_object_set_new(j, "condition_en", json_string(u->condition_en));
            json_object_set_new(j, "due_days", json_integer(u->due_days));
        }
        json_array_append_new(rules, j);
    }
    double margin = r->gross_margin < 0.0 ? m->default_gross_margin : r->gross_margin;
    json_t *factors = json_pack(
        "{s:s#, s:o, s:I, s:I, s:o, s:o, s:s#, s:o, s:o, s:o, s:I}", "industry_section",
        &r->section, 1, "base_frequency", uw_ratio_json(pr->rating.freq.base), "revenue",
        (json_int_t)r->revenue, "size_reference_revenue", (json_int_t)m->size_reference_revenue,
        "size_exponent", uw_ratio_json(m->size_exponent), "size_factor",
        uw_ratio_json(pr->rating.freq.size), "grade", &r->grade, 1, "security_factor",
        uw_ratio_json(pr->rating.freq.security), "lambda", uw_ratio_json(pr->rating.freq.lambda),
        "gross_margin", uw_ratio_json(margin), "hourly_gross_profit",
        (json_int_t)pr->rating.hourly_gross_profit);
    return json_pack(
        "{s:{s:s, s:s, s:I, s:i}, s:o, s:{s:I, s:I, s:i}, s:o, s:I, s:{s:o, s:o, s:o}, s:I, s:i, "
        "s:o, s:I, s:I, s:b, s:I, s:o, s:b, s:s, s:o}",
        "model", "rating_model", d->rating.version, "rules", d->rules.version, "product_id",
        (json_int_t)p->id, "product_version", p->version, "factors", factors, "terms",
        "aggregate_limit", (json_int_t)res->terms.aggregate_limit, "retention",
        (json_int_t)res->terms.retention, "bi_waiting_hours", (int)res->terms.bi_waiting_hours,
        "coverages", cov, "pure_premium", (json_int_t)pr->pure, "loading", "expense",
        uw_ratio_json(m->expense_loading), "profit", uw_ratio_json(m->profit_loading), "factor",
        uw_ratio_json(pr->loading), "gross_premium", (json_int_t)pr->gross, "claim_free_years",
        r->claim_free_years, "claim_free_credit", uw_ratio_json(pr->credit), "credit_amount",
        (json_int_t)pr->credit_amount, "minimum_premium", (json_int_t)pr->minimum,
        "minimum_applied", pr->minimum_applied, "premium", (json_int_t)pr->premium, "rate_on_line",
        uw_ratio_json(pr->rate_on_line), "retention_shared", pr->rating.retention_shared,
        "decision", uwr_decision_name(res->outcome.decision), "rules", rules);
}
