/*
 * exposure.c — reads an exposure CSV (OED v4 column names where OED has one,
 * cyberins extensions otherwise; docs/simulation.md lists the columns) into
 * a sim_portfolio_t, refusing the first bad cell with its line and column.
 *
 * Columns are found by name in the header row, in any order; columns this
 * reader does not know are ignored (an OED account file carries a hundred),
 * except the OED sublimits whose coverage groups several of ours, which are
 * refused rather than silently dropped. May use stdio; depends on core/
 * (csv, money, terms, ref) and sim/portfolio.h; never store/, http/ or cli/.
 */
#include "data/exposure.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "data/text.h"
#include "core/money.h"

#define EXPOSURE_MAX_FILE ((size_t)1 << 30)
#define EXPOSURE_MAX_COLS 512

typedef struct {
    const char *file; /* name in messages */
    size_t line;
    cy_error_t *err;
} where_t;

static cy_status_t fail(const where_t *w, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE 第 N 行 COL：中文 / FILE line N, COL: English" */
static cy_status_t
fail(const where_t *w, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cy_status_t st = data_refusev(w->err, "exposure_invalid", col != NULL ? col : w->file, w->file,
                                  w->line, col, fmt, ap);
    va_end(ap);
    return st;
}

/* The columns read; each keeps its position in the header (−1 absent). */
enum {
    COL_POLNUMBER,
    COL_INSURED,
    COL_SCHEME,
    COL_INDUSTRY,
    COL_AREA,
    COL_COUNTRY,
    COL_REVENUE,
    COL_REVENUE_CUR,
    COL_MARGIN,
    COL_LIMIT,
    COL_DED,
    COL_LIMIT_CUR,
    COL_DED_CUR,
    COL_WAIT_DAYS,
    COL_WAIT_HOURS,
    COL_COVERAGES,
    COL_POLCOVERAGE,
    COL_LIMIT_NPBI,
    COL_COINS,
    COL_CLOUD,
    COL_OS,
    COL_VPN,
    COL_EMAIL,
    COL_GRADE,
    COL_FIXED_N
};

static const char *const fixed_cols[COL_FIXED_N] = {
    "PolNumber",   "InsuredName",   "IndustryScheme1",       "IndustryCode1",     "AreaCode",
    "CountryCode", "AnnualRevenue", "AnnualRevenueCurrency", "GrossProfitMargin", "PolLimit",
    "PolDed",      "LimitCurrency", "DedCurrency",           "BIWaitingPeriod",   "BIWaitingHours",
    "Coverages",   "PolCoverage",   "PolLimitNPBI",          "Coinsurance",       "CloudVendor",
    "OSVendor",    "VPNVendor",     "EmailVendor",           "SecurityGrade",
};

/* OED sublimits and sub-deductibles over groups of our coverages: refused when filled. */
static const char *const group_cols[] = {
    "PolLimitDIAS", "PolDedDIAS", "PolLimitINRE", "PolDedINRE",  "PolLimitLIA", "PolDedLIA",
    "PolLimitENO",  "PolDedENO",  "PolDedNPBI",   "PolLimitCBI", "PolDedCBI",   NULL,
};

typedef struct {
    int fixed[COL_FIXED_N];
    int sublimit[COV_N]; /* SubLimit_<code> */
    int share[COV_N];    /* Share_<code> */
    int group[16];       /* group_cols */
    size_t n_cols;
    char sub_name[COV_N][32], share_name[COV_N][32]; /* their names, for a refusal */
} columns_t;

static const char *
cell(const csv_row_t *row, int col)
{
    return col >= 0 && (size_t)col < row->n_fields ? row->fields[col].ptr : "";
}

static cy_status_t
read_header(const where_t *w, const csv_row_t *row, columns_t *c)
{
    memset(c, 0xff, sizeof *c); /* every position −1 */
    c->n_cols = row->n_fields;
    for (int cv = 0; cv < COV_N; cv++) {
        snprintf(c->sub_name[cv], sizeof c->sub_name[cv], "SubLimit_%s", cov_code(cv));
        snprintf(c->share_name[cv], sizeof c->share_name[cv], "Share_%s", cov_code(cv));
    }
    for (size_t i = 0; i < row->n_fields; i++) {
        const char *name = row->fields[i].ptr;
        int *slot = NULL;
        for (int k = 0; k < COL_FIXED_N && slot == NULL; k++)
            if (strcmp(name, fixed_cols[k]) == 0)
                slot = &c->fixed[k];
        for (int k = 0; group_cols[k] != NULL && slot == NULL; k++)
            if (strcmp(name, group_cols[k]) == 0)
                slot = &c->group[k];
        if (slot == NULL && strncmp(name, "SubLimit_", 9) == 0) {
            int cv = cov_find(name + 9);
            if (cv < 0)
                return fail(w, name,
                            "SubLimit_ 之后应为险种代码 / SubLimit_ must be followed by "
                            "a coverage code");
            slot = &c->sublimit[cv];
        }
        if (slot == NULL && strncmp(name, "Share_", 6) == 0) {
            int cv = cov_find(name + 6);
            if (cv < 0)
                return fail(w, name,
                            "Share_ 之后应为险种代码 / Share_ must be followed by a coverage code");
            slot = &c->share[cv];
        }
        if (slot == NULL)
            continue; /* an OED column this model does not use */
        if (*slot >= 0)
            return fail(w, name, "列名重复 / the column appears twice");
        *slot = (int)i;
    }
    static const int required[] = {COL_POLNUMBER, COL_INDUSTRY, COL_AREA, COL_REVENUE, COL_LIMIT};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (c->fixed[required[k]] < 0)
            return fail(w, fixed_cols[required[k]], "缺少必需的列 / required column is missing");
    if (c->fixed[COL_COVERAGES] < 0 && c->fixed[COL_POLCOVERAGE] < 0)
        return fail(w, "Coverages",
                    "缺少承保险种列（Coverages，或 OED 的 PolCoverage） / no column of insured "
                    "coverages (Coverages, or OED PolCoverage)");
    return CY_OK;
}

/* An amount in yuan ("1234.56", "1,234.56"); empty gives def (or a refusal if def < 0). */
static cy_status_t
amount(const where_t *w, const char *col, const char *s, int64_t def, int64_t *out)
{
    if (s[0] == '\0') {
        if (def < 0)
            return fail(w, col, "不能为空 / must not be empty");
        *out = def;
        return CY_OK;
    }
    if (money_parse(s, col, out, NULL) != CY_OK)
        return fail(w, col,
                    "不是有效的金额（元，至多两位小数，如 1234.56 或 1,234.56），实为 \"%.40s\" / "
                    "not an amount in yuan (at most two decimals, e.g. 1234.56 or 1,234.56), "
                    "got \"%.40s\"",
                    s, s);
    if (*out < 0)
        return fail(w, col, "不能为负数 / must not be negative");
    return CY_OK;
}

/* A decimal number in [lo, hi]; empty gives def (NAN: required). */
static cy_status_t
number(const where_t *w, const char *col, const char *s, double lo, double hi, double def,
       double *out)
{
    if (s[0] == '\0') {
        if (isnan(def))
            return fail(w, col, "不能为空 / must not be empty");
        *out = def;
        return CY_OK;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno != 0 || !isfinite(v))
        return fail(w, col, "不是数字：\"%s\" / not a number: \"%s\"", s, s);
    if (v < lo || v > hi)
        return fail(w, col, "应在 %g 到 %g 之间，实为 %s / must be from %g to %g, got %s", lo, hi,
                    s, lo, hi, s);
    *out = v;
    return CY_OK;
}

/* Copies a text cell of at most cap − 1 bytes without control characters. */
static cy_status_t
text(const where_t *w, const char *col, const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        return fail(w, col, "长度 %zu 字节，超过上限 %zu / is %zu bytes, longer than %zu", n,
                    cap - 1, n, cap - 1);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return fail(w, col, "含有控制字符 / contains a control character");
    memcpy(out, s, n + 1);
    return CY_OK;
}

/* OED coverage codes to ours (DOMAIN.md §6; data/coverages.json oed_code). */
static uint32_t
oed_mask(const char *code)
{
    if (strcmp(code, "NPBI") == 0 || strcmp(code, "BI") == 0)
        return 1u << COV_BI;
    if (strcmp(code, "DIAS") == 0)
        return 1u << COV_PHYS | 1u << COV_DATA | 1u << COV_HW;
    if (strcmp(code, "INRE") == 0)
        return 1u << COV_IR | 1u << COV_PR | 1u << COV_LEGAL;
    if (strcmp(code, "LIA") == 0)
        return 1u << COV_BREACH | 1u << COV_NETSEC | 1u << COV_MEDIA | 1u << COV_VENDOR;
    if (strcmp(code, "ENO") == 0)
        return 1u << COV_PRODUCT | 1u << COV_EO;
    if (strcmp(code, "CYB") == 0)
        return COV_ALL_MASK;
    return 0;
}

/* A list "bi;data;ir" (ours) or "NPBI;DIAS" (OED), separated by ';' or '|'. */
static cy_status_t
coverage_list(const where_t *w, const char *col, const char *s, int oed, uint32_t *mask)
{
    *mask = 0;
    char buf[512];
    if (strlen(s) >= sizeof buf)
        return fail(w, col, "过长 / too long");
    strcpy(buf, s);
    for (char *save = NULL, *tok = strtok_r(buf, ";|", &save); tok != NULL;
         tok = strtok_r(NULL, ";|", &save)) {
        while (*tok == ' ')
            tok++;
        size_t n = strlen(tok);
        while (n > 0 && tok[n - 1] == ' ')
            tok[--n] = '\0';
        if (n == 0)
            continue;
        uint32_t m = 0;
        if (oed) {
            m = oed_mask(tok);
            if (m == 0)
                return fail(
                    w, col,
                    "OED 险种 %s 在通知所列 13 个险种中没有对应（CBI、EXT、FIN、REG 不在其中） / "
                    "OED coverage %s has no counterpart among the notice's 13 coverages "
                    "(CBI, EXT, FIN and REG have none)",
                    tok, tok);
        } else {
            int c = cov_find(tok);
            if (c < 0)
                return fail(
                    w, col,
                    "未知的险种代码 \"%s\"（应为 phys、bi、data、hw、ir、pr、legal、breach、"
                    "netsec、media、vendor、product、eo） / unknown coverage code \"%s\" "
                    "(phys, bi, data, hw, ir, pr, legal, breach, netsec, media, vendor, "
                    "product, eo)",
                    tok, tok);
            m = 1u << c;
        }
        *mask |= m;
    }
    if (*mask == 0)
        return fail(w, col, "至少承保一个险种 / at least one coverage must be insured");
    return CY_OK;
}

static int
is_cny(const char *s)
{
    return s[0] == '\0' || strcmp(s, "CNY") == 0;
}

/* PolNumber, InsuredName, the industry (GB/T 4754), the region and the country. */
static cy_status_t
read_who(const where_t *w, const csv_row_t *row, const int *f, const ref_data_t *ref,
         sim_policy_t *p)
{
    cy_status_t st = text(w, "PolNumber", cell(row, f[COL_POLNUMBER]), p->id, sizeof p->id);
    if (st == CY_OK && p->id[0] == '\0')
        st = fail(w, "PolNumber", "不能为空 / must not be empty");
    if (st == CY_OK)
        st = text(w, "InsuredName", cell(row, f[COL_INSURED]), p->name, sizeof p->name);
    if (st != CY_OK)
        return st;

    const char *scheme = cell(row, f[COL_SCHEME]);
    if (scheme[0] != '\0' && strcmp(scheme, "GBT4754") != 0 && strcmp(scheme, "GB/T 4754") != 0 &&
        strcmp(scheme, "GB/T 4754-2017") != 0)
        return fail(
            w, "IndustryScheme1",
            "行业分类应为 GB/T 4754（写作 GBT4754），实为 \"%s\" / the industry scheme must "
            "be GB/T 4754 (written GBT4754), got \"%s\"",
            scheme, scheme);
    const char *ind = cell(row, f[COL_INDUSTRY]);
    if (ind[0] >= 'A' && ind[0] <= 'T' && ind[1] == '\0') {
        p->section = ind[0];
    } else {
        const ref_industry_t *ri = ref ? ref_industry_find(ref, ind) : NULL;
        if (ri == NULL)
            return fail(w, "IndustryCode1",
                        "应为 GB/T 4754 门类字母 A–T 或两位大类代码，实为 \"%s\" / must be a "
                        "GB/T 4754 section letter A–T or a two-digit 大类 code, got \"%s\"",
                        ind, ind);
        p->section = ri->section;
    }

    const char *area = cell(row, f[COL_AREA]);
    if (!ref_region_code_ok(area) || (ref != NULL && ref_region_province_of(ref, area) == NULL))
        return fail(w, "AreaCode",
                    "应为 6 位 GB/T 2260 行政区划代码，实为 \"%s\" / must be a 6-digit GB/T 2260 "
                    "region code, got \"%s\"",
                    area, area);
    memcpy(p->region, area, 7);
    const char *country = cell(row, f[COL_COUNTRY]);
    if (country[0] != '\0' && strcmp(country, "CN") != 0)
        return fail(w, "CountryCode", "目前只支持 CN / only CN is supported");
    return CY_OK;
}

/*
 * The currencies (CNY only), the revenue and margin, the limit (*limit, and
 * t initialised with it), the retention and the BI waiting period.
 */
static cy_status_t
read_money(const where_t *w, const csv_row_t *row, const int *f, sim_policy_t *p, int64_t *limit)
{
    const char *cur[3] = {cell(row, f[COL_REVENUE_CUR]), cell(row, f[COL_LIMIT_CUR]),
                          cell(row, f[COL_DED_CUR])};
    const char *cur_col[3] = {"AnnualRevenueCurrency", "LimitCurrency", "DedCurrency"};
    for (int k = 0; k < 3; k++)
        if (!is_cny(cur[k]))
            return fail(w, cur_col[k],
                        "金额须以人民币（CNY）表示，实为 %s / amounts must be in CNY, got %s",
                        cur[k], cur[k]);

    cy_status_t st = amount(w, "AnnualRevenue", cell(row, f[COL_REVENUE]), -1, &p->revenue);
    if (st == CY_OK && p->revenue <= 0)
        st = fail(w, "AnnualRevenue", "应大于 0 / must be above 0");
    if (st == CY_OK)
        st = number(w, "GrossProfitMargin", cell(row, f[COL_MARGIN]), 0.0, 1.0, -1.0,
                    &p->gross_margin);
    if (st == CY_OK)
        st = amount(w, "PolLimit", cell(row, f[COL_LIMIT]), -1, limit);
    if (st != CY_OK)
        return st;
    terms_t *t = &p->terms;
    terms_init(t, *limit);
    st = amount(w, "PolDed", cell(row, f[COL_DED]), 0, &t->retention);
    double days = NAN, hours = NAN;
    const char *wd = cell(row, f[COL_WAIT_DAYS]), *wh = cell(row, f[COL_WAIT_HOURS]);
    if (st == CY_OK && wd[0] != '\0')
        st = number(w, "BIWaitingPeriod", wd, 0.0, 365.0, 0.0, &days);
    if (st == CY_OK && wh[0] != '\0')
        st = number(w, "BIWaitingHours", wh, 0.0, 8760.0, 0.0, &hours);
    if (st != CY_OK)
        return st;
    if (!isnan(days) && !isnan(hours) && fabs(days * 24.0 - hours) > 1e-6)
        return fail(w, "BIWaitingHours",
                    "与 BIWaitingPeriod（天）不一致 / disagrees with BIWaitingPeriod (days)");
    t->bi_waiting_hours = !isnan(hours) ? hours : !isnan(days) ? days * 24.0 : 0.0;
    return CY_OK;
}

/* The insured coverages, their sublimits and shares (coinsurance the default share). */
static cy_status_t
read_cover(const where_t *w, const csv_row_t *row, const columns_t *c, int64_t limit, terms_t *t)
{
    const int *f = c->fixed;
    cy_status_t st;
    if (f[COL_COVERAGES] >= 0 && cell(row, f[COL_COVERAGES])[0] != '\0')
        st = coverage_list(w, "Coverages", cell(row, f[COL_COVERAGES]), 0, &t->covered);
    else
        st = coverage_list(w, f[COL_COVERAGES] >= 0 ? "Coverages" : "PolCoverage",
                           cell(row, f[COL_POLCOVERAGE]), 1, &t->covered);
    if (st != CY_OK)
        return st;

    for (int k = 0; group_cols[k] != NULL; k++)
        if (cell(row, c->group[k])[0] != '\0')
            return fail(w, group_cols[k],
                        "OED 的这一分项限额/免赔额跨越通知的多个险种，无法逐险种使用；请改用 "
                        "SubLimit_<险种代码> / this OED sublimit or sub-deductible spans several "
                        "of the notice's coverages; use SubLimit_<coverage code> instead");
    double coins;
    st = number(w, "Coinsurance", cell(row, f[COL_COINS]), 1e-6, 1.0, 1.0, &coins);
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        int64_t def = limit; /* OED PolLimitNPBI is our bi sublimit: NPBI maps to bi alone */
        if (cv == COV_BI && f[COL_LIMIT_NPBI] >= 0)
            st = amount(w, "PolLimitNPBI", cell(row, f[COL_LIMIT_NPBI]), limit, &def);
        if (st == CY_OK)
            st = amount(w, c->sub_name[cv], cell(row, c->sublimit[cv]), def, &t->sublimit[cv]);
        if (st == CY_OK)
            st = number(w, c->share_name[cv], cell(row, c->share[cv]), 1e-6, 1.0, coins,
                        &t->share[cv]);
    }
    return st;
}

/* The vendors depended on (CloudVendor, OSVendor, VPNVendor, EmailVendor) and the grade. */
static cy_status_t
read_profile(const where_t *w, const csv_row_t *row, const int *f, sim_policy_t *p)
{
    static const int dep_col[SIM_DEP_N] = {COL_CLOUD, COL_OS, COL_VPN, COL_EMAIL};
    cy_status_t st = CY_OK;
    for (int d = 0; d < SIM_DEP_N && st == CY_OK; d++)
        st = text(w, fixed_cols[dep_col[d]], cell(row, f[dep_col[d]]), p->dep[d], sizeof p->dep[d]);
    if (st != CY_OK)
        return st;
    const char *grade = cell(row, f[COL_GRADE]);
    if (grade[0] == '\0')
        p->grade = 'C';
    else if (grade[0] >= 'A' && grade[0] <= 'E' && grade[1] == '\0')
        p->grade = grade[0];
    else
        return fail(w, "SecurityGrade", "应为 A–E，实为 \"%s\" / must be A–E, got \"%s\"", grade,
                    grade);
    return CY_OK;
}

/* terms_validate, the refusal naming the column that holds the value, not the engine's field. */
static cy_status_t
check_terms(const where_t *w, const terms_t *t)
{
    cy_error_t why;
    if (terms_validate(t, &why) == CY_OK)
        return CY_OK;
    char col[64];
    if (strncmp(why.field, "sublimit.", 9) == 0)
        snprintf(col, sizeof col, "SubLimit_%.16s", why.field + 9);
    else if (strncmp(why.field, "share.", 6) == 0)
        snprintf(col, sizeof col, "Share_%.16s", why.field + 6);
    else
        snprintf(col, sizeof col, "%.40s",
                 strcmp(why.field, "aggregate_limit") == 0 ? "PolLimit"
                 : strcmp(why.field, "retention") == 0     ? "PolDed"
                                                           : why.field);
    char *sep = strstr(why.message, " / ");
    return fail(w, col, "%.*s / %s", sep ? (int)(sep - why.message) : 0, why.message,
                sep ? sep + 3 : why.message);
}

static cy_status_t
read_policy(const where_t *w, const csv_row_t *row, const columns_t *c, const ref_data_t *ref,
            sim_policy_t *p)
{
    memset(p, 0, sizeof *p);
    int64_t limit = 0;
    cy_status_t st = read_who(w, row, c->fixed, ref, p);
    if (st == CY_OK)
        st = read_money(w, row, c->fixed, p, &limit);
    if (st == CY_OK)
        st = read_cover(w, row, c, limit, &p->terms);
    if (st == CY_OK)
        st = read_profile(w, row, c->fixed, p);
    if (st == CY_OK)
        st = check_terms(w, &p->terms);
    return st;
}

static cy_status_t
read_all(const char *path, const where_t *w, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        const char *why = strerror(errno);
        return cy_error_set(w->err, CY_EINVAL, "exposure_invalid", w->file,
                            "无法打开 %s（%s） / cannot open %s (%s)", path, why, path, why);
    }
    char *b;
    size_t n;
    data_read_t rd = data_slurp(f, EXPOSURE_MAX_FILE, &b, &n);
    fclose(f);
    if (rd == DATA_READ_TOO_LARGE)
        return cy_error_set(w->err, CY_ETOOLARGE, "exposure_too_large", w->file,
                            "%s 超过 1 GiB / %s is larger than 1 GiB", w->file, w->file);
    if (rd == DATA_READ_NO_MEMORY)
        return cy_error_set(w->err, CY_ENOMEM, "no_memory", w->file, "内存不足 / out of memory");
    if (rd == DATA_READ_IO)
        return cy_error_set(w->err, CY_EIO, "exposure_io", w->file,
                            "读取 %s 出错 / error reading %s", w->file, w->file);
    *buf = b;
    *len = n;
    return CY_OK;
}

/* Policy numbers must be unique: sorted (number, line) pairs show a duplicate and where. */
typedef struct {
    const char *id;
    size_t line;
} id_line_t;

static int
cmp_id_line(const void *a, const void *b)
{
    const id_line_t *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->line < y->line ? -1 : x->line > y->line);
}

/* Room for one more policy (and its line) in out. */
static cy_status_t
grow(const where_t *w, sim_portfolio_t *out, size_t **lines, size_t *cap)
{
    if (out->n < *cap)
        return CY_OK;
    size_t nc = *cap ? *cap * 2 : 1024;
    sim_policy_t *np = realloc(out->policies, nc * sizeof *np);
    size_t *nl = realloc(*lines, nc * sizeof *nl);
    if (np != NULL)
        out->policies = np;
    if (nl != NULL)
        *lines = nl;
    if (np == NULL || nl == NULL)
        return cy_error_set(w->err, CY_ENOMEM, "no_memory", w->file, "内存不足 / out of memory");
    *cap = nc;
    return CY_OK;
}

/* The header, then one policy per record; lines[i] is the line of policy i. */
static cy_status_t
read_rows(where_t *w, const char *buf, size_t len, const ref_data_t *ref, sim_portfolio_t *out,
          size_t **lines)
{
    cy_error_t *err = w->err;
    csv_reader_t r;
    csv_reader_init(&r, buf, len, CSV_SKIP_COMMENTS | CSV_SKIP_BLANK);
    char *scratch = malloc(1 << 16);
    csv_field_t *fields = malloc(EXPOSURE_MAX_COLS * sizeof *fields);
    columns_t cols;
    size_t cap = 0;
    int header = 0;
    cy_status_t st = CY_OK;
    if (scratch == NULL || fields == NULL)
        st = cy_error_set(err, CY_ENOMEM, "no_memory", w->file, "内存不足 / out of memory");
    while (st == CY_OK) {
        csv_row_t row = {scratch, 1 << 16, fields, EXPOSURE_MAX_COLS, 0, 0};
        cy_error_t cerr;
        if (csv_next(&r, &row, &cerr) != CY_OK) {
            st = data_refuse_csv(err, "exposure_invalid", w->file, &cerr);
            break;
        }
        if (row.n_fields == 0)
            break;
        w->line = row.line;
        if (!header) {
            st = read_header(w, &row, &cols);
            header = 1;
            continue;
        }
        if (row.n_fields != cols.n_cols) {
            st = fail(w, NULL, "应有 %zu 个字段，实有 %zu 个 / expected %zu fields, found %zu",
                      cols.n_cols, row.n_fields, cols.n_cols, row.n_fields);
            break;
        }
        if ((st = grow(w, out, lines, &cap)) != CY_OK)
            break;
        st = read_policy(w, &row, &cols, ref, &out->policies[out->n]);
        if (st == CY_OK)
            (*lines)[out->n++] = row.line;
    }
    free(scratch);
    free(fields);
    if (st == CY_OK && !header)
        st = cy_error_set(err, CY_EINVAL, "exposure_invalid", w->file,
                          "%s 没有列名行 / %s has no header row", w->file, w->file);
    if (st == CY_OK && out->n == 0)
        st = cy_error_set(err, CY_EINVAL, "exposure_invalid", w->file,
                          "%s 没有保单 / %s holds no policy", w->file, w->file);
    return st;
}

/* Policy numbers are unique: sorted (number, line) pairs show a duplicate and where. */
static cy_status_t
check_unique(where_t *w, const sim_portfolio_t *pf, const size_t *lines)
{
    id_line_t *ids = malloc(pf->n * sizeof *ids);
    if (ids == NULL)
        return cy_error_set(w->err, CY_ENOMEM, "no_memory", w->file, "内存不足 / out of memory");
    for (size_t i = 0; i < pf->n; i++)
        ids[i] = (id_line_t){pf->policies[i].id, lines[i]};
    qsort(ids, pf->n, sizeof *ids, cmp_id_line);
    cy_status_t st = CY_OK;
    for (size_t i = 1; i < pf->n && st == CY_OK; i++)
        if (strcmp(ids[i].id, ids[i - 1].id) == 0) {
            w->line = ids[i].line;
            st = fail(w, "PolNumber",
                      "保单号 %s 重复，第 %zu 行已有 / duplicate policy number %s, already on "
                      "line %zu",
                      ids[i].id, ids[i - 1].line, ids[i].id, ids[i - 1].line);
        }
    free(ids);
    return st;
}

cy_status_t
exposure_load(const char *path, const ref_data_t *ref, sim_portfolio_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    const char *base = strrchr(path, '/');
    where_t w = {base ? base + 1 : path, 0, err};
    char *buf = NULL;
    size_t len = 0;
    cy_status_t st = read_all(path, &w, &buf, &len);
    if (st != CY_OK)
        return st;
    snprintf(out->source, sizeof out->source, "%s", path);
    size_t *lines = NULL;
    st = read_rows(&w, buf, len, ref, out, &lines);
    if (st == CY_OK)
        st = check_unique(&w, out, lines);
    free(lines);
    free(buf);
    if (st != CY_OK)
        sim_portfolio_free(out);
    return st;
}
