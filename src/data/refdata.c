/*
 * refdata.c — reads data/{regions.csv, industries.csv, coverages.json,
 * pilot.json} into a ref_data_t and refuses the first invalid row.
 *
 * Every check names the file, where in it (CSV line; JSON syntax-error line,
 * or array index and key), and the reason in "中文 / English". The loaded
 * tables keep the invariants core/ref.h lists (regions and industries sorted
 * by code), which is what lets ref.c bisect. May use stdio and jansson;
 * never store/, http/, cli/ or anything that outlives start-up.
 */
#include "data/refdata.h"
#include "core/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/csv.h"
#include "data/text.h"

#define REFDATA_MAX_FILE ((size_t)16 << 20) /* a reference file over 16 MiB is a mistake */

/* Where a check is: the file, and a CSV line or a JSON path (e.g. "coverages[3]"). */
typedef struct {
    const char *file; /* base name, e.g. "regions.csv"; also err->field */
    size_t line;      /* CSV: 1-based line; 0 for JSON */
    char path[96];    /* JSON: element being checked; "" at the top level */
    cy_error_t *err;
} where_t;

/*
 * fail reports a refusal at w. fmt formats "中文 / English"; the location
 * (and key, if not NULL) is put in front of each half:
 *   "regions.csv 第 12 行 code：… / regions.csv line 12, code: …"
 *   "coverages.json coverages[3].class：… / coverages.json coverages[3].class: …"
 */
static cy_status_t fail(const where_t *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static cy_status_t
fail(const where_t *w, const char *key, const char *fmt, ...)
{
    char where[192];
    if (w->line == 0 && w->path[0] != '\0')
        snprintf(where, sizeof where, "%s%s%s", w->path, key ? "." : "", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    cy_status_t st = data_refusev(w->err, "refdata_invalid", w->file, w->file, w->line,
                                  w->line == 0 && w->path[0] != '\0' ? where : key, fmt, ap);
    va_end(ap);
    return st;
}

static cy_status_t
no_memory(const where_t *w)
{
    return cy_error_set(w->err, CY_ENOMEM, "no_memory", w->file,
                        "读取 %s 时内存不足 / out of memory reading %s", w->file, w->file);
}

/* Copy s into buf (cap >= 8) for a message, cut at a UTF-8 boundary with "…" if long. */
static const char *
clip(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n < cap) {
        memcpy(buf, s, n + 1);
        return buf;
    }
    size_t keep = cap - 4; /* room for "…" (3 bytes) and NUL */
    while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(buf, s, keep);
    memcpy(buf + keep, "…", 4);
    return buf;
}

/*
 * check_text: s (n bytes) is valid UTF-8, one line without control
 * characters, without leading or trailing spaces, non-empty if required, and
 * fits cap bytes with its NUL (cap 0: no limit).
 */
static cy_status_t
check_text(const where_t *w, const char *key, const char *s, size_t n, size_t cap, int required)
{
    if (n == 0) {
        if (required)
            return fail(w, key, "不能为空 / must not be empty");
        return CY_OK;
    }
    if (!utf8_valid(s, n, NULL))
        return fail(w, key, "不是有效的 UTF-8 / is not valid UTF-8");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return fail(w, key, "含有控制字符 (0x%02X) / contains a control character (0x%02X)", c,
                        c);
    }
    if (s[0] == ' ' || s[n - 1] == ' ')
        return fail(w, key, "首尾有空格 / has leading or trailing spaces");
    if (cap > 0 && n >= cap)
        return fail(w, key, "长度 %zu 字节，超过上限 %zu 字节 / is %zu bytes, longer than %zu", n,
                    cap - 1, n, cap - 1);
    return CY_OK;
}

/* Copy a checked value into a fixed field (check_text has ensured it fits). */
static void
put(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Read a whole file into a NUL-terminated malloc'ed buffer. */
static cy_status_t
read_file(const where_t *w, const char *path, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        const char *why = strerror(errno);
        return fail(w, NULL, "无法打开 %s（%s） / cannot open %s (%s)", path, why, path, why);
    }
    data_read_t rd = data_slurp(f, REFDATA_MAX_FILE, buf, len);
    fclose(f);
    if (rd == DATA_READ_TOO_LARGE)
        return fail(w, NULL, "文件超过 %zu 字节 / file is larger than %zu bytes", REFDATA_MAX_FILE,
                    REFDATA_MAX_FILE);
    if (rd == DATA_READ_NO_MEMORY)
        return no_memory(w);
    if (rd == DATA_READ_IO)
        return fail(w, NULL, "读取 %s 出错 / error reading %s", path, path);
    return CY_OK;
}

/* ---- CSV files ---------------------------------------------------------- */

/* A column of a reference CSV file. */
typedef struct {
    const char *name;
    size_t cap;   /* size of the struct member it goes to; 0 if the row checks its exact form */
    int required; /* must not be empty */
} column_t;

/*
 * read_csv_header takes "# source: …" and "# version: …" from the comment
 * lines at the top of a CSV file; both are required.
 */
static cy_status_t
read_csv_header(where_t *w, const char *buf, size_t len, ref_source_t *src)
{
    size_t p = 0;
    int have_source = 0, have_version = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        p = 3;
    for (w->line = 1; p < len && buf[p] == '#'; w->line++) {
        size_t e = p;
        while (e < len && buf[e] != '\n' && buf[e] != '\r')
            e++;
        size_t s = p + 1;
        while (s < e && buf[s] == ' ')
            s++;
        const char *keys[2] = {"source:", "version:"};
        for (int k = 0; k < 2; k++) {
            size_t kl = strlen(keys[k]);
            if (e - s < kl || memcmp(buf + s, keys[k], kl) != 0)
                continue;
            size_t v = s + kl, ve = e;
            while (v < ve && buf[v] == ' ')
                v++;
            while (ve > v && buf[ve - 1] == ' ')
                ve--;
            char *dst = k == 0 ? src->source : src->version;
            size_t cap = k == 0 ? sizeof src->source : sizeof src->version;
            cy_status_t st =
                check_text(w, k == 0 ? "# source" : "# version", buf + v, ve - v, cap, 1);
            if (st != CY_OK)
                return st;
            put(dst, cap, buf + v, ve - v);
            *(k == 0 ? &have_source : &have_version) = 1;
        }
        p = e;
        if (p < len)
            p += buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n' ? 2 : 1;
    }
    w->line = 1;
    if (!have_source)
        return fail(
            w, NULL,
            "文件头缺少 \"# source:\" 注释行 / the header lacks a \"# source:\" comment line");
    if (!have_version)
        return fail(
            w, NULL,
            "文件头缺少 \"# version:\" 注释行 / the header lacks a \"# version:\" comment line");
    return CY_OK;
}

typedef cy_status_t (*csv_row_fn)(where_t *w, const csv_field_t *f, void *arg);

/*
 * load_csv reads dir/file: its header comments into src, then a column-name
 * row that must equal cols, then one call of fn per record after checking
 * the field count and each field's text.
 */
static cy_status_t
load_csv(const char *dir, const char *file, const column_t *cols, size_t n_cols, ref_source_t *src,
         csv_row_fn fn, void *arg, cy_error_t *err)
{
    where_t w = {.file = file, .err = err};
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
        return fail(&w, NULL, "数据目录路径过长 / data directory path too long");
    char *buf;
    size_t len;
    cy_status_t st = read_file(&w, path, &buf, &len);
    if (st != CY_OK)
        return st;
    st = read_csv_header(&w, buf, len, src);

    csv_reader_t r;
    csv_reader_init(&r, buf, len, CSV_SKIP_COMMENTS | CSV_SKIP_BLANK);
    char scratch[2048];
    csv_field_t fields[16];
    csv_row_t row = {scratch, sizeof scratch, fields, sizeof fields / sizeof fields[0], 0, 0};
    int header_seen = 0;
    while (st == CY_OK) {
        cy_error_t cerr;
        if (csv_next(&r, &row, &cerr) != CY_OK) {
            st = data_refuse_csv(err, "refdata_invalid", file, &cerr);
            break;
        }
        if (row.n_fields == 0)
            break;
        w.line = row.line;
        if (row.n_fields != n_cols) {
            st = fail(&w, NULL, "应有 %zu 个字段，实有 %zu 个 / expected %zu fields, found %zu",
                      n_cols, row.n_fields, n_cols, row.n_fields);
            break;
        }
        if (!header_seen) {
            for (size_t i = 0; i < n_cols && st == CY_OK; i++)
                if (strcmp(fields[i].ptr, cols[i].name) != 0) {
                    char names[256] = "";
                    for (size_t k = 0; k < n_cols; k++) {
                        strncat(names, cols[k].name, sizeof names - strlen(names) - 2);
                        if (k + 1 < n_cols)
                            strcat(names, ",");
                    }
                    st = fail(&w, NULL, "列名行应为 %s / the column row must be %s", names, names);
                }
            header_seen = 1;
            continue;
        }
        for (size_t i = 0; i < n_cols && st == CY_OK; i++)
            st = check_text(&w, cols[i].name, fields[i].ptr, fields[i].len, cols[i].cap,
                            cols[i].required);
        if (st == CY_OK)
            st = fn(&w, fields, arg);
    }
    if (st == CY_OK && !header_seen) {
        w.line = r.line;
        st = fail(&w, NULL, "缺少列名行和数据 / no column row and no data");
    }
    free(buf);
    return st;
}

/* A row as read, with its line for messages after sorting. */
typedef struct {
    ref_region_t r;
    size_t line;
} region_row_t;

typedef struct {
    ref_industry_t r;
    size_t line;
} industry_row_t;

/*
 * A growable array of rows. A row begins with its record, and a record with
 * its code (a string); line_at is where in a row its line is kept.
 */
typedef struct {
    void *v;
    size_t n, cap, size, line_at;
} rows_t;

static void *
rows_push(rows_t *a)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        void *nv = realloc(a->v, cap * a->size);
        if (nv == NULL)
            return NULL;
        a->v = nv;
        a->cap = cap;
    }
    void *p = (char *)a->v + a->n * a->size;
    memset(p, 0, a->size);
    a->n++;
    return p;
}

static const char *
rows_code(const rows_t *a, size_t i)
{
    return (const char *)a->v + i * a->size;
}

static size_t
rows_line(const rows_t *a, size_t i)
{
    size_t line;
    memcpy(&line, (const char *)a->v + i * a->size + a->line_at, sizeof line);
    return line;
}

/*
 * rows_sorted refuses a file without rows, sorts the rows with cmp (by code,
 * then line) and refuses a code that stands twice, at its second line.
 */
static cy_status_t
rows_sorted(where_t *w, rows_t *a, int (*cmp)(const void *, const void *))
{
    if (a->n == 0)
        return fail(w, NULL, "没有数据行 / no rows");
    qsort(a->v, a->n, a->size, cmp);
    for (size_t i = 1; i < a->n; i++)
        if (strcmp(rows_code(a, i), rows_code(a, i - 1)) == 0) {
            w->line = rows_line(a, i);
            return fail(w, "code",
                        "代码 %s 重复，第 %zu 行已有 / duplicate code %s, already on line %zu",
                        rows_code(a, i), rows_line(a, i - 1), rows_code(a, i), rows_line(a, i - 1));
        }
    return CY_OK;
}

/* rows_take: the records (rec bytes each) in a new array of a->n, or NULL out of memory. */
static void *
rows_take(const rows_t *a, size_t rec)
{
    char *v = malloc(a->n * rec);
    for (size_t i = 0; v != NULL && i < a->n; i++)
        memcpy(v + i * rec, (const char *)a->v + i * a->size, rec);
    return v;
}

static int
all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[n] == '\0';
}

/* Parse a flag or level column: exactly one of the allowed single digits. */
static int
digit_in(const char *s, const char *allowed)
{
    return s[0] != '\0' && s[1] == '\0' && strchr(allowed, s[0]) != NULL;
}

/* ---- regions.csv -------------------------------------------------------- */

static const column_t region_cols[] = {
    {"code", 0, 1},      {"name", sizeof(((ref_region_t *)0)->name), 1},
    {"level", 0, 1},     {"parent", 0, 0},
    {"plan_city", 0, 1},
};

static cy_status_t
region_row(where_t *w, const csv_field_t *f, void *arg)
{
    rows_t *rows = arg;
    char v[48];
    const char *code = f[0].ptr, *level = f[2].ptr, *parent = f[3].ptr, *plan = f[4].ptr;

    if (!all_digits(code, 6))
        return fail(w, "code", "应为 6 位数字，实为 \"%s\" / must be 6 digits, got \"%s\"",
                    clip(v, sizeof v, code), v);
    if (!digit_in(level, "12"))
        return fail(w, "level",
                    "应为 1（省级）或 2（地级），实为 \"%s\" / must be 1 (province) or 2 "
                    "(prefecture), got \"%s\"",
                    clip(v, sizeof v, level), v);
    if (!digit_in(plan, "01"))
        return fail(w, "plan_city", "应为 0 或 1，实为 \"%s\" / must be 0 or 1, got \"%s\"",
                    clip(v, sizeof v, plan), v);
    if (level[0] == '1') {
        if (strcmp(code + 2, "0000") != 0)
            return fail(w, "code",
                        "省级单位代码 %s 应以 0000 结尾 / province-level code %s must end in 0000",
                        code, code);
        if (parent[0] != '\0')
            return fail(w, "parent", "省级单位不应有上级 / a province-level unit has no parent");
        if (plan[0] == '1')
            return fail(w, "plan_city",
                        "计划单列市必须是地级单位 / a plan city must be prefecture-level");
    } else {
        if (strcmp(code + 4, "00") != 0 || strcmp(code + 2, "0000") == 0)
            return fail(w, "code",
                        "地级单位代码 %s 应以 00 结尾且不以 0000 结尾 / prefecture-level code %s "
                        "must end in 00 but not in 0000",
                        code, code);
        if (!all_digits(parent, 6))
            return fail(w, "parent",
                        "应为上级省级单位的 6 位代码，实为 \"%s\" / must be the 6-digit code of "
                        "the province, got \"%s\"",
                        clip(v, sizeof v, parent), v);
        if (memcmp(code, parent, 2) != 0)
            return fail(w, "parent",
                        "%s 的前两位与上级 %s 不一致 / the first two digits of %s differ from "
                        "its parent %s",
                        code, parent, code, parent);
    }

    region_row_t *r = rows_push(rows);
    if (r == NULL)
        return no_memory(w);
    put(r->r.code, sizeof r->r.code, code, f[0].len);
    put(r->r.name, sizeof r->r.name, f[1].ptr, f[1].len);
    r->r.level = level[0] - '0';
    put(r->r.parent, sizeof r->r.parent, parent, f[3].len);
    r->r.plan_city = plan[0] == '1';
    r->line = w->line;
    return CY_OK;
}

static int
cmp_region_row(const void *a, const void *b)
{
    const region_row_t *x = a, *y = b;
    int c = strcmp(x->r.code, y->r.code);
    if (c != 0)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

static const region_row_t *
region_row_find(const rows_t *rows, const char *code)
{
    const region_row_t *v = rows->v;
    size_t lo = 0, hi = rows->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].r.code, code);
        if (c == 0)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static cy_status_t
load_regions(const char *dir, ref_data_t *d, cy_error_t *err)
{
    rows_t rows = {.size = sizeof(region_row_t), .line_at = offsetof(region_row_t, line)};
    where_t w = {.file = "regions.csv", .err = err};
    cy_status_t st = load_csv(dir, w.file, region_cols, 5, &d->regions_src, region_row, &rows, err);
    if (st == CY_OK)
        st = rows_sorted(&w, &rows, cmp_region_row);
    const region_row_t *v = rows.v;
    for (size_t i = 0; st == CY_OK && i < rows.n; i++) {
        if (v[i].r.level != 2)
            continue;
        const region_row_t *p = region_row_find(&rows, v[i].r.parent);
        w.line = v[i].line;
        if (p == NULL)
            st = fail(&w, "parent", "上级 %s 不存在 / parent %s does not exist", v[i].r.parent,
                      v[i].r.parent);
        else if (p->r.level != 1)
            st = fail(&w, "parent", "上级 %s 不是省级单位 / parent %s is not province-level",
                      v[i].r.parent, v[i].r.parent);
    }
    if (st == CY_OK && (d->regions = rows_take(&rows, sizeof v->r)) == NULL)
        st = no_memory(&w);
    if (st == CY_OK)
        d->n_regions = rows.n;
    free(rows.v);
    return st;
}

/* ---- industries.csv ----------------------------------------------------- */

static const column_t industry_cols[] = {
    {"code", 0, 1},
    {"level", 0, 1},
    {"section", 0, 1},
    {"name", sizeof(((ref_industry_t *)0)->name), 1},
};

static int
is_section(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'T' && s[1] == '\0';
}

static cy_status_t
industry_row(where_t *w, const csv_field_t *f, void *arg)
{
    rows_t *rows = arg;
    char v[48];
    const char *code = f[0].ptr, *level = f[1].ptr, *section = f[2].ptr;

    if (!digit_in(level, "12"))
        return fail(w, "level",
                    "应为 1（门类）或 2（大类），实为 \"%s\" / must be 1 (section) or 2 (大类), "
                    "got \"%s\"",
                    clip(v, sizeof v, level), v);
    if (!is_section(section))
        return fail(w, "section",
                    "应为 A–T 中的一个字母，实为 \"%s\" / must be one letter A–T, got \"%s\"",
                    clip(v, sizeof v, section), v);
    if (level[0] == '1') {
        if (!is_section(code))
            return fail(w, "code",
                        "门类代码应为 A–T 中的一个字母，实为 \"%s\" / a section code must be one "
                        "letter A–T, got \"%s\"",
                        clip(v, sizeof v, code), v);
        if (code[0] != section[0])
            return fail(w, "section", "门类 %s 的 section 应为 %s / section %s must name itself",
                        code, code, code);
    } else if (!all_digits(code, 2) || strcmp(code, "00") == 0) {
        return fail(w, "code",
                    "大类代码应为 01–99 的两位数字，实为 \"%s\" / a 大类 code must be two digits "
                    "01–99, got \"%s\"",
                    clip(v, sizeof v, code), v);
    }

    industry_row_t *r = rows_push(rows);
    if (r == NULL)
        return no_memory(w);
    put(r->r.code, sizeof r->r.code, code, f[0].len);
    r->r.level = level[0] - '0';
    r->r.section = section[0];
    put(r->r.name, sizeof r->r.name, f[3].ptr, f[3].len);
    r->line = w->line;
    return CY_OK;
}

static int
cmp_industry_row(const void *a, const void *b)
{
    const industry_row_t *x = a, *y = b;
    int c = strcmp(x->r.code, y->r.code);
    if (c != 0)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

static cy_status_t
load_industries(const char *dir, ref_data_t *d, cy_error_t *err)
{
    rows_t rows = {.size = sizeof(industry_row_t), .line_at = offsetof(industry_row_t, line)};
    where_t w = {.file = "industries.csv", .err = err};
    cy_status_t st =
        load_csv(dir, w.file, industry_cols, 4, &d->industries_src, industry_row, &rows, err);
    if (st == CY_OK)
        st = rows_sorted(&w, &rows, cmp_industry_row);
    const industry_row_t *v = rows.v;

    /*
     * Sorted by code, 大类 ("01".."97", digits) come first and the sections
     * ("A".."T", letters) after: the row checks made codes digits or letters by level.
     * Each 大类's section must exist, and 大类 numbers run section by
     * section (GB/T 4754 numbers them so), which catches a 大类 filed under
     * the wrong letter. Every section must have at least one 大类.
     */
    size_t first_section = 0;
    while (first_section < rows.n && v[first_section].r.level == 2)
        first_section++;
    char prev = 0;
    for (size_t i = 0; st == CY_OK && i < first_section; i++) {
        char s[2] = {v[i].r.section, '\0'};
        w.line = v[i].line;
        int found = 0;
        for (size_t k = first_section; k < rows.n; k++)
            found |= v[k].r.code[0] == s[0];
        if (!found)
            st = fail(&w, "section", "门类 %s 不存在 / section %s does not exist", s, s);
        else if (v[i].r.section < prev)
            st = fail(&w, "section",
                      "大类 %s 属于门类 %s，却排在门类 %c 的大类之后 / 大类 %s is in section %s "
                      "but follows a 大类 of section %c",
                      v[i].r.code, s, prev, v[i].r.code, s, prev);
        prev = v[i].r.section;
    }
    for (size_t k = first_section; st == CY_OK && k < rows.n; k++) {
        int found = 0;
        for (size_t i = 0; i < first_section; i++)
            found |= v[i].r.section == v[k].r.code[0];
        if (!found) {
            w.line = v[k].line;
            st = fail(&w, "code", "门类 %s 没有大类 / section %s has no 大类", v[k].r.code,
                      v[k].r.code);
        }
    }

    if (st == CY_OK && (d->industries = rows_take(&rows, sizeof v->r)) == NULL)
        st = no_memory(&w);
    if (st == CY_OK)
        d->n_industries = rows.n;
    free(rows.v);
    return st;
}

/* ---- JSON files --------------------------------------------------------- */

static cy_status_t
load_json(const char *dir, where_t *w, json_t **root)
{
    char path[4096];
    *root = NULL;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, w->file) >= sizeof path)
        return fail(w, NULL, "数据目录路径过长 / data directory path too long");
    json_error_t jerr;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL) {
        if (jerr.line < 1) /* jansson could not open or read the file */
            return fail(w, NULL, "无法读取（%s） / cannot read (%s)", jerr.text, jerr.text);
        w->line = (size_t)jerr.line;
        return fail(w, NULL, "JSON 语法错误，第 %d 列：%s / JSON syntax error at column %d: %s",
                    jerr.column, jerr.text, jerr.column, jerr.text);
    }
    if (!json_is_object(j)) {
        json_decref(j);
        return fail(w, NULL, "顶层应为 JSON 对象 / the top level must be a JSON object");
    }
    *root = j;
    return CY_OK;
}

/* Refuse keys of obj not in allowed (NULL-terminated): a misspelt key is an error. */
static cy_status_t
json_known_keys(const where_t *w, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        (void)val;
        int ok = 0;
        for (size_t i = 0; allowed[i] != NULL && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char v[48];
            return fail(w, clip(v, sizeof v, key), "未知的键 / unknown key");
        }
    }
    return CY_OK;
}

/* Copy the required string obj[key] into dst[cap] after the text checks. */
static cy_status_t
json_text(const where_t *w, json_t *obj, const char *key, char *dst, size_t cap)
{
    json_t *s = json_object_get(obj, key);
    if (s == NULL)
        return fail(w, key, "缺少此键 / is missing");
    if (!json_is_string(s))
        return fail(w, key, "应为字符串 / must be a string");
    const char *t = json_string_value(s);
    size_t n = json_string_length(s);
    if (strlen(t) != n)
        return fail(w, key, "含有 NUL 字符 / contains a NUL character");
    cy_status_t st = check_text(w, key, t, n, cap, 1);
    if (st != CY_OK)
        return st;
    put(dst, cap, t, n);
    return CY_OK;
}

/* The array obj[key], which must hold at least one element. */
static cy_status_t
json_array_of(const where_t *w, json_t *obj, const char *key, json_t **arr)
{
    *arr = json_object_get(obj, key);
    if (*arr == NULL)
        return fail(w, key, "缺少此键 / is missing");
    if (!json_is_array(*arr))
        return fail(w, key, "应为数组 / must be an array");
    if (json_array_size(*arr) == 0)
        return fail(w, key, "数组为空 / the array is empty");
    return CY_OK;
}

static cy_status_t
json_source(const where_t *w, json_t *root, ref_source_t *src)
{
    cy_status_t st = json_text(w, root, "source", src->source, sizeof src->source);
    if (st == CY_OK)
        st = json_text(w, root, "version", src->version, sizeof src->version);
    return st;
}

/* ---- coverages.json ----------------------------------------------------- */

/*
 * The notice's 13 coverages (工信厅网安函〔2023〕356号 §二, DOMAIN.md §6).
 * Code (the terms engine, rating, claims) refers to them by these codes, so
 * the file may change names, wording and OED mapping but not this set, nor
 * a coverage's class or whether it has a waiting period.
 */
static const struct {
    const char *code;
    int third_party;
    int waiting_period;
} coverage_canon[] = {
    {"phys", 0, 0},   {"bi", 0, 1},      {"data", 0, 0},   {"hw", 0, 0},     {"ir", 0, 0},
    {"pr", 0, 0},     {"legal", 0, 0},   {"breach", 1, 0}, {"netsec", 1, 0}, {"media", 1, 0},
    {"vendor", 1, 0}, {"product", 1, 0}, {"eo", 1, 0},
};
#define N_COVERAGES (sizeof coverage_canon / sizeof coverage_canon[0])

/* OED v4 cyber coverage codes (shared/data/oed-cyber/CoverageValues_cyber.csv), less CYB (all). */
static const char *const oed_cyber_codes[] = {"NPBI", "CBI", "DIAS", "EXT", "FIN",
                                              "INRE", "LIA", "REG",  "ENO", NULL};

/*
 * Read coverages[index] into c. seen[k] is 1 + the index at which canonical
 * coverage k was read, 0 if not yet; this call sets it for its own code.
 */
static cy_status_t
coverage_item(where_t *w, json_t *o, size_t index, ref_coverage_t *c, size_t *seen)
{
    static const char *const keys[] = {"code",           "class",          "name_zh",  "name_en",
                                       "description_zh", "waiting_period", "oed_code", NULL};
    if (!json_is_object(o))
        return fail(w, NULL, "应为 JSON 对象 / must be a JSON object");
    cy_status_t st = json_known_keys(w, o, keys);
    if (st == CY_OK)
        st = json_text(w, o, "code", c->code, sizeof c->code);
    if (st != CY_OK)
        return st;
    size_t k = 0;
    while (k < N_COVERAGES && strcmp(c->code, coverage_canon[k].code) != 0)
        k++;
    if (k == N_COVERAGES)
        return fail(w, "code",
                    "未知的险种代码 \"%s\"（应为通知所列 13 个之一） / unknown coverage code "
                    "\"%s\" (must be one of the notice's 13)",
                    c->code, c->code);
    if (seen[k] != 0)
        return fail(w, "code",
                    "险种代码 %s 重复，coverages[%zu] 已有 / duplicate coverage code %s, "
                    "already at coverages[%zu]",
                    c->code, seen[k] - 1, c->code, seen[k] - 1);
    seen[k] = index + 1;

    char cls[32];
    st = json_text(w, o, "class", cls, sizeof cls);
    if (st != CY_OK)
        return st;
    if (strcmp(cls, "first_party") == 0)
        c->third_party = 0;
    else if (strcmp(cls, "third_party") == 0)
        c->third_party = 1;
    else
        return fail(w, "class",
                    "未知的类别 \"%s\"（应为 first_party 或 third_party） / unknown class \"%s\" "
                    "(must be first_party or third_party)",
                    cls, cls);
    if (c->third_party != coverage_canon[k].third_party)
        return fail(w, "class", "%s 按通知属于%s / %s is %s under the notice", c->code,
                    coverage_canon[k].third_party ? "责任类 (third_party)" : "财产类 (first_party)",
                    c->code, coverage_canon[k].third_party ? "third_party" : "first_party");

    if ((st = json_text(w, o, "name_zh", c->name_zh, sizeof c->name_zh)) != CY_OK ||
        (st = json_text(w, o, "name_en", c->name_en, sizeof c->name_en)) != CY_OK ||
        (st = json_text(w, o, "description_zh", c->description_zh, sizeof c->description_zh)) !=
            CY_OK ||
        (st = json_text(w, o, "oed_code", c->oed_code, sizeof c->oed_code)) != CY_OK)
        return st;

    json_t *wp = json_object_get(o, "waiting_period");
    if (wp == NULL)
        return fail(w, "waiting_period", "缺少此键 / is missing");
    if (!json_is_boolean(wp))
        return fail(w, "waiting_period", "应为 true 或 false / must be true or false");
    c->waiting_period = json_is_true(wp);
    if (c->waiting_period != coverage_canon[k].waiting_period)
        return fail(w, "waiting_period",
                    "只有营业中断损失 (bi) 有等待期 / only business interruption (bi) has a "
                    "waiting period");

    int oed_ok = 0;
    for (size_t i = 0; oed_cyber_codes[i] != NULL; i++)
        oed_ok |= strcmp(c->oed_code, oed_cyber_codes[i]) == 0;
    if (!oed_ok)
        return fail(w, "oed_code",
                    "\"%s\" 不是 OED 网络险保障代码（NPBI CBI DIAS EXT FIN INRE LIA REG ENO） / "
                    "\"%s\" is not an OED cyber coverage code (NPBI CBI DIAS EXT FIN INRE LIA REG "
                    "ENO)",
                    c->oed_code, c->oed_code);
    return CY_OK;
}

static cy_status_t
load_coverages(const char *dir, ref_data_t *d, cy_error_t *err)
{
    static const char *const keys[] = {"source",           "version",   "note", "oed_source",
                                       "oed_mapping_note", "coverages", NULL};
    where_t w = {.file = "coverages.json", .err = err};
    json_t *root, *arr;
    cy_status_t st = load_json(dir, &w, &root);
    if (st != CY_OK)
        return st;
    if ((st = json_known_keys(&w, root, keys)) != CY_OK ||
        (st = json_source(&w, root, &d->coverages_src)) != CY_OK ||
        (st = json_array_of(&w, root, "coverages", &arr)) != CY_OK) {
        json_decref(root);
        return st;
    }
    size_t n = json_array_size(arr);
    d->coverages = calloc(n, sizeof *d->coverages);
    if (d->coverages == NULL) {
        json_decref(root);
        return no_memory(&w);
    }
    size_t seen[N_COVERAGES]; /* index + 1 in the array of each canonical code, 0 if absent */
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        snprintf(w.path, sizeof w.path, "coverages[%zu]", i);
        st = coverage_item(&w, json_array_get(arr, i), i, &d->coverages[i], seen);
        d->n_coverages = i + 1;
    }
    w.path[0] = '\0';
    for (size_t k = 0; st == CY_OK && k < N_COVERAGES; k++)
        if (seen[k] == 0)
            st = fail(&w, "coverages", "缺少险种 %s / coverage %s is missing",
                      coverage_canon[k].code, coverage_canon[k].code);
    json_decref(root);
    return st;
}

/* ---- pilot.json --------------------------------------------------------- */

/* A class code: lower-case ASCII letters, digits and '_', starting with a letter. */
static int
class_code_ok(const char *s)
{
    if (s[0] < 'a' || s[0] > 'z')
        return 0;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Read {code, name_zh, name_en} (plus extra allowed keys) into c. */
static cy_status_t
class_item(const where_t *w, json_t *o, const char *const *keys, ref_class_t *c)
{
    if (!json_is_object(o))
        return fail(w, NULL, "应为 JSON 对象 / must be a JSON object");
    cy_status_t st = json_known_keys(w, o, keys);
    if (st == CY_OK)
        st = json_text(w, o, "code", c->code, sizeof c->code);
    if (st == CY_OK && !class_code_ok(c->code))
        st = fail(w, "code",
                  "\"%s\" 应由小写字母、数字和下划线组成并以字母开头 / \"%s\" must be lower-case "
                  "letters, digits and '_', starting with a letter",
                  c->code, c->code);
    if (st == CY_OK)
        st = json_text(w, o, "name_zh", c->name_zh, sizeof c->name_zh);
    if (st == CY_OK)
        st = json_text(w, o, "name_en", c->name_en, sizeof c->name_en);
    return st;
}

/* Refuse a code already used in v[0..n). */
static cy_status_t
class_unique(const where_t *w, const ref_class_t *v, size_t n, const char *code, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0)
            return fail(w, "code", "%s代码 %s 重复 / duplicate %s code %s",
                        strcmp(what, "target industry") == 0    ? "目标行业"
                        : strcmp(what, "institution kind") == 0 ? "服务机构类型"
                                                                : "产品服务类别",
                        code, what, code);
    return CY_OK;
}

static cy_status_t
load_pilot(const char *dir, ref_data_t *d, cy_error_t *err)
{
    static const char *const keys[] = {
        "source",          "version",           "note", "target_industries",
        "product_classes", "institution_kinds", NULL};
    static const char *const item_keys[] = {"code", "name_zh", "name_en", NULL};
    static const char *const group_keys[] = {"code", "name_zh", "name_en", "items", NULL};
    where_t w = {.file = "pilot.json", .err = err};
    json_t *root, *inds, *groups, *kinds;
    cy_status_t st = load_json(dir, &w, &root);
    if (st != CY_OK)
        return st;
    if ((st = json_known_keys(&w, root, keys)) != CY_OK ||
        (st = json_source(&w, root, &d->pilot_src)) != CY_OK ||
        (st = json_array_of(&w, root, "target_industries", &inds)) != CY_OK ||
        (st = json_array_of(&w, root, "product_classes", &groups)) != CY_OK ||
        (st = json_array_of(&w, root, "institution_kinds", &kinds)) != CY_OK) {
        json_decref(root);
        return st;
    }

    size_t n = json_array_size(inds);
    d->target_industries = calloc(n, sizeof *d->target_industries);
    if (d->target_industries == NULL)
        st = no_memory(&w);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        snprintf(w.path, sizeof w.path, "target_industries[%zu]", i);
        ref_class_t *c = &d->target_industries[i];
        st = class_item(&w, json_array_get(inds, i), item_keys, c);
        if (st == CY_OK)
            st = class_unique(&w, d->target_industries, i, c->code, "target industry");
        d->n_target_industries = i + 1;
    }

    size_t ng = json_array_size(groups), n_items = 0;
    for (size_t g = 0; g < ng; g++) {
        json_t *items = json_object_get(json_array_get(groups, g), "items");
        n_items += json_is_array(items) ? json_array_size(items) : 0;
    }
    if (st == CY_OK) {
        d->product_groups = calloc(ng, sizeof *d->product_groups);
        d->product_classes = calloc(n_items ? n_items : 1, sizeof *d->product_classes);
        if (d->product_groups == NULL || d->product_classes == NULL)
            st = no_memory(&w);
    }
    for (size_t g = 0; st == CY_OK && g < ng; g++) {
        json_t *go = json_array_get(groups, g), *items = NULL;
        snprintf(w.path, sizeof w.path, "product_classes[%zu]", g);
        ref_class_t *grp = &d->product_groups[g];
        st = class_item(&w, go, group_keys, grp);
        if (st == CY_OK)
            st = class_unique(&w, d->product_groups, g, grp->code, "product group");
        d->n_product_groups = g + 1;
        if (st == CY_OK)
            st = json_array_of(&w, go, "items", &items);
        for (size_t i = 0; st == CY_OK && i < json_array_size(items); i++) {
            snprintf(w.path, sizeof w.path, "product_classes[%zu].items[%zu]", g, i);
            ref_class_t *c = &d->product_classes[d->n_product_classes];
            st = class_item(&w, json_array_get(items, i), item_keys, c);
            if (st == CY_OK)
                st = class_unique(&w, d->product_classes, d->n_product_classes, c->code,
                                  "product class");
            if (st == CY_OK)
                put(c->group, sizeof c->group, grp->code, strlen(grp->code));
            d->n_product_classes++;
        }
    }
    size_t nk = json_array_size(kinds);
    if (st == CY_OK &&
        (d->institution_kinds = calloc(nk ? nk : 1, sizeof *d->institution_kinds)) == NULL)
        st = no_memory(&w);
    for (size_t i = 0; st == CY_OK && i < nk; i++) {
        snprintf(w.path, sizeof w.path, "institution_kinds[%zu]", i);
        ref_class_t *c = &d->institution_kinds[i];
        st = class_item(&w, json_array_get(kinds, i), item_keys, c);
        if (st == CY_OK)
            st = class_unique(&w, d->institution_kinds, i, c->code, "institution kind");
        d->n_institution_kinds = i + 1;
    }
    json_decref(root);
    return st;
}

/* ---- public ------------------------------------------------------------- */

cy_status_t
refdata_load(const char *data_dir, ref_data_t **out, cy_error_t *err)
{
    *out = NULL;
    ref_data_t *d = calloc(1, sizeof *d);
    if (d == NULL)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                            "读取参考数据时内存不足 / out of memory loading reference data");
    cy_status_t st = load_regions(data_dir, d, err);
    if (st == CY_OK)
        st = load_industries(data_dir, d, err);
    if (st == CY_OK)
        st = load_coverages(data_dir, d, err);
    if (st == CY_OK)
        st = load_pilot(data_dir, d, err);
    if (st != CY_OK) {
        refdata_free(d);
        return st;
    }
    cy_error_clear(err);
    *out = d;
    return CY_OK;
}

void
refdata_free(ref_data_t *d)
{
    if (d == NULL)
        return;
    free(d->regions);
    free(d->industries);
    free(d->coverages);
    free(d->target_industries);
    free(d->product_classes);
    free(d->institution_kinds);
    free(d->product_groups);
    free(d);
}
