/*
 * export.c — a statistics table as an XLSX workbook (doc/ doc_xlsx_write,
 * libxlsxwriter): one row per bucket and the total, money in 元, a
 * withheld bucket's cells left empty and marked; a second sheet says what
 * was asked, of which scope, and what is not counted yet. The workbook is
 * written to a temporary file of its own, read back and removed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/stats/stats.h"
#include "doc/doc.h"

static json_t *
bucket_row(const stats_bucket_t *b)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "key", b->key, "name_zh", b->name_zh, "name_en",
                          b->name_en, "mark", b->suppressed ? "不足3家企业，不予公开" : "");
    if (o == NULL || b->suppressed)
        return o;
    const stats_figures_t *f = &b->f;
    json_t *v = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "insured",
        (json_int_t)f->insured_enterprises, "written", (json_int_t)f->policies_written, "in_force",
        (json_int_t)f->policies_in_force, "premium", (json_int_t)f->written_premium, "limit",
        (json_int_t)f->aggregate_limit, "assessments", (json_int_t)f->assessments, "a",
        (json_int_t)f->grades[0], "b", (json_int_t)f->grades[1], "c", (json_int_t)f->grades[2], "d",
        (json_int_t)f->grades[3], "e", (json_int_t)f->grades[4], "insured_if",
        (json_int_t)f->insured_in_force);
    json_object_update(o, v);
    json_decref(v);
    return o;
}

static json_t *
about_rows(const stats_result_t *r)
{
    json_t *a = json_array();
    const char *const *na = stats_not_available;
    char missing[512] = "";
    for (size_t n = 0; *na != NULL; na++)
        n += (size_t)snprintf(missing + n, n < sizeof missing ? sizeof missing - n : 0, "%s%s",
                              n ? ", " : "", *na);
    json_array_append_new(a, json_pack("{s:s, s:s}", "k", "分组 by", "v", stats_dim_name(r->by)));
    json_array_append_new(a, json_pack("{s:s, s:s}", "k", "起始日期 from", "v", r->from));
    json_array_append_new(a, json_pack("{s:s, s:s}", "k", "截止日期 to", "v", r->to));
    json_array_append_new(a, json_pack("{s:s, s:s}", "k", "统计范围 scope", "v", r->scope));
    json_array_append_new(
        a, json_pack("{s:s, s:s}", "k", "地区前缀 region prefix", "v", r->scope_region));
    json_array_append_new(a, json_pack("{s:s, s:s}", "k", "小样本抑制 suppression", "v",
                                       r->suppression ? "不足3家企业的分组不予公开 / buckets of "
                                                        "fewer than 3 enterprises withheld"
                                                      : "无 / none"));
    json_array_append_new(a,
                          json_pack("{s:s, s:s}", "k", "暂未统计 not counted yet", "v", missing));
    return a;
}

/* The workbook's bytes into *body (malloc'd, the caller frees) and *len. */
static cy_status_t
read_back(const char *path, char **body, size_t *len, cy_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cy_error_set(err, CY_EIO, "io_error", NULL,
                            "无法读取表格文件 / the workbook could not be read");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    *body = n > 0 ? malloc((size_t)n) : NULL;
    cy_status_t st = CY_OK;
    if (*body == NULL || fread(*body, 1, (size_t)n, f) != (size_t)n)
        st = cy_error_set(err, CY_EIO, "io_error", NULL,
                          "无法读取表格文件 / the workbook could not be read");
    *len = st == CY_OK ? (size_t)n : 0;
    fclose(f);
    return st;
}

cy_status_t
app_stats_xlsx(const stats_result_t *r, char **body, size_t *len, cy_error_t *err)
{
    static const doc_col_t cols[] = {
        {"代码 key", 12, DOC_COL_TEXT, "{key}"},
        {"名称", 28, DOC_COL_TEXT, "{name_zh}"},
        {"name", 28, DOC_COL_TEXT, "{name_en}"},
        {"投保企业数 insured", 12, DOC_COL_INT, "insured"},
        {"新承保保单数 written", 12, DOC_COL_INT, "written"},
        {"有效保单数 in force", 12, DOC_COL_INT, "in_force"},
        {"有效保单企业数", 12, DOC_COL_INT, "insured_if"},
        {"保费（元） premium", 16, DOC_COL_MONEY, "premium"},
        {"保额（元） limits", 18, DOC_COL_MONEY, "limit"},
        {"风险评估数 assessments", 12, DOC_COL_INT, "assessments"},
        {"A", 6, DOC_COL_INT, "a"},
        {"B", 6, DOC_COL_INT, "b"},
        {"C", 6, DOC_COL_INT, "c"},
        {"D", 6, DOC_COL_INT, "d"},
        {"E", 6, DOC_COL_INT, "e"},
        {"说明 note", 24, DOC_COL_TEXT, "{mark}"},
    };
    static const doc_col_t about[] = {{"项目 item", 24, DOC_COL_TEXT, "{k}"},
                                      {"内容 value", 60, DOC_COL_TEXT, "{v}"}};
    json_t *rows = json_array(), *info = about_rows(r);
    for (size_t i = 0; i < r->n_items; i++)
        json_array_append_new(rows, bucket_row(&r->items[i]));
    json_array_append_new(rows, bucket_row(&r->total));
    doc_sheet_t sheets[] = {{"统计 statistics", cols, sizeof cols / sizeof cols[0], rows, NULL},
                            {"说明 about", about, 2, info, NULL}};
    char path[] = "/tmp/cyberins-stats-XXXXXX";
    int fd = mkstemp(path);
    cy_status_t st = fd < 0 ? cy_error_set(err, CY_EIO, "io_error", NULL,
                                           "无法生成表格文件 / the workbook could not be written")
                            : CY_OK;
    if (fd >= 0)
        close(fd);
    if (st == CY_OK)
        st = doc_xlsx_write(sheets, 2, NULL, path, err);
    if (st == CY_OK)
        st = read_back(path, body, len, err);
    if (fd >= 0)
        unlink(path);
    json_decref(rows);
    json_decref(info);
    return st;
}
