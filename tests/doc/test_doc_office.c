/*
 * test_doc_office.c — the documents through real LibreOffice (ctest
 * doc/office): every form filled from tests/data/doc/ is written as DOCX and
 * converted to PDF by doc_pdf_convert in one soffice call; each PDF must be
 * A4 (pdfinfo), carry the filled values in Chinese (pdftotext) and use the
 * Noto CJK faces data/forms/fonts.conf maps the official font names to
 * (pdffonts). Every workbook is written as XLSX and read back by LibreOffice
 * Calc as CSV with the expected rows. Needs soffice, pdfinfo, pdftotext and
 * pdffonts (scripts/install-deps.sh installs them); prints how long each
 * conversion took. Depends on cmocka, doc/, jansson, libxml2, libzip.
 */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doctest.h"

CY_GROUP("doc/office", dt_setup, dt_teardown);

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The output of a command (the caller frees); the command must succeed. */
static char *
run(const char *fmt, const char *arg)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, fmt, arg);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = dt_read_all(p);
    if (pclose(p) != 0)
        fail_msg("%s failed", cmd);
    return out;
}

static int
pdf_pages(const char *pdf)
{
    char *info = run("pdfinfo '%s'", pdf);
    int pages = 0;
    const char *p = strstr(info, "Pages:");
    assert_non_null(p);
    assert_int_equal(sscanf(p + 6, "%d", &pages), 1);
    free(info);
    return pages;
}

/* Keys whose values a form prints otherwise (dates, codes by name) or not at all. */
static const char *const NOT_VERBATIM[] = {
    "direction",    "industry",    "product",      "nature",      "kind",
    "annex",        "level",       "founded_on",   "region_code", "created_at",
    "confirmed_at", "received_at", "submitted_at", "due_at",      "published_at",
    "lead_uscc",    "date",        "status",       "round_id",    NULL};

CY_TEST(test_every_form_converts_to_an_a4_pdf_with_its_values)
{
    (void)state;
    char paths[DT_N_FORMS + 1][128], pdfs[DT_N_FORMS + 1][160];
    const char *inputs[DT_N_FORMS + 1];
    json_t *data[DT_N_FORMS];
    for (size_t i = 0; i < DT_N_FORMS; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s.docx", TMP, DT_FORMS_ALL[i].form);
        snprintf(pdfs[i], sizeof pdfs[i], "%s/pdf/%s.pdf", TMP, DT_FORMS_ALL[i].form);
        data[i] = dt_fixture(DT_FORMS_ALL[i].fixture);
        dt_render(LIB, DT_FORMS_ALL[i].form, data[i], REFS, paths[i]);
        inputs[i] = paths[i];
    }
    /* and an Annex 2 whose 表2 runs over several pages */
    json_t *long_plan = dt_fixture("plan2"), *targets = json_array();
    for (int i = 1; i <= 90; i++)
        json_array_append_new(targets, json_pack("{s:s, s:s, s:s, s:s}", "name", "示范企业有限公司",
                                                 "industry", "工业互联网", "contact", "王工",
                                                 "phone_email", "13800000000"));
    json_object_set_new(json_object_get(long_plan, "form"), "targets", targets);
    snprintf(paths[DT_N_FORMS], sizeof paths[0], "%s/long.docx", TMP);
    snprintf(pdfs[DT_N_FORMS], sizeof pdfs[0], "%s/pdf/long.pdf", TMP);
    dt_render(LIB, "annex2", long_plan, REFS, paths[DT_N_FORMS]);
    inputs[DT_N_FORMS] = paths[DT_N_FORMS];
    json_decref(long_plan);
    char out[128];
    snprintf(out, sizeof out, "%s/pdf", TMP);
    mkdir(out, 0700);
    doc_convert_opts_t o = {"soffice", doc_lib_fonts_conf(LIB), TMP, NULL, 240000};
    cy_error_t err;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (doc_pdf_convert(&o, inputs, DT_N_FORMS + 1, out, &err) != CY_OK)
        fail_msg("doc_pdf_convert: %s", err.message);
    printf("# %zu DOCX -> PDF in one soffice call: %.1f s\n", DT_N_FORMS + 1, seconds_since(&t0));
    for (size_t i = 0; i < DT_N_FORMS; i++) {
        char *info = run("pdfinfo '%s'", pdfs[i]);
        const char *size = strstr(info, "Page size:");
        /* pdfinfo names A4 when the page is 595.276 × 841.89 pt within a point */
        if (size == NULL || strncmp(size + strcspn(size, "("), "(A4)", 4) != 0)
            fail_msg("%s is not A4:\n%s", pdfs[i], info);
        free(info);
        printf("# %s.pdf: %d pages\n", DT_FORMS_ALL[i].form, pdf_pages(pdfs[i]));
        char *fonts = run("pdffonts '%s'", pdfs[i]);
        if (strstr(fonts, "NotoSerifCJK") == NULL)
            fail_msg("%s: 仿宋_GB2312 was not rendered with Noto Serif CJK:\n%s", pdfs[i], fonts);
        if (strstr(fonts, "NotoSansCJK") == NULL)
            fail_msg("%s: 黑体 was not rendered with Noto Sans CJK:\n%s", pdfs[i], fonts);
        free(fonts);
        char *text = run("pdftotext -enc UTF-8 '%s' -", pdfs[i]);
        char *flat = dt_squeeze(text);
        dt_assert_leaves(data[i], flat, NOT_VERBATIM, 1);
        free(flat);
        free(text);
        json_decref(data[i]);
    }
    /* values the forms format, as they read in the PDF */
    char *a1 = run("pdftotext -enc UTF-8 '%s' -", pdfs[0]);
    char *flat = dt_squeeze(a1);
    const char *want[] = {
        "申报日期：2024年1月20日",
        "2012年5月18日",
        "☑民营企业",
        "工业互联网",
        "联合申报单位公章：南方示范财产保险股份有限公司（演示）",
        "2.我单位在申报过程中所涉及的内容和程序皆符合国家有关法律法规及相关产业政策要求。"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        dt_assert_has(flat, want[i]);
    free(flat);
    free(a1);
    /* 表2's header row is repeated on each page the table runs over */
    char *lt = run("pdftotext -enc UTF-8 '%s' -", pdfs[DT_N_FORMS]);
    int heads = dt_count(lt, "所在行业领域");
    printf("# the 90 rows of 表2 carry its header %d times\n", heads);
    assert_true(heads >= 3);
    assert_int_equal(dt_count(lt, "示范企业有限公司"), 90);
    free(lt);
    assert_true(pdf_pages(pdfs[0]) >= 7); /* cover, 填报说明, tables, body, 3 declarations */
}

/* The CSV LibreOffice Calc reads out of the sheet of stem (the caller frees). */
static char *
sheet_csv(const char *dir, const char *stem, const char *sheet)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s-%s.csv", dir, stem, sheet);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("LibreOffice wrote no %s", path);
    char *text = dt_read_all(f);
    fclose(f);
    return text;
}

static void
assert_csv(const char *dir, const char *stem, const char *sheet, const char *want)
{
    char *got = sheet_csv(dir, stem, sheet);
    if (strcmp(got, want) != 0)
        fail_msg("%s-%s.csv:\n%s\nwant:\n%s", stem, sheet, got, want);
    free(got);
}

CY_TEST(test_every_workbook_reads_back_in_calc)
{
    (void)state;
    const struct {
        const char *book, *fixture;
    } books[] = {{"annex2_tables", "plan2"},
                 {"annex3_tables", "plan3"},
                 {"package_tables", "package_tables"},
                 {"catalogue", "catalogue"},
                 {"overdue", "overdue"}};
    const size_t n = sizeof books / sizeof books[0];
    char paths[5][128];
    const char *inputs[5];
    for (size_t i = 0; i < n; i++) {
        json_t *data = dt_fixture(books[i].fixture);
        cy_error_t err;
        snprintf(paths[i], sizeof paths[i], "%s/%s.xlsx", TMP, books[i].book);
        if (doc_xlsx_render(LIB, books[i].book, data, REFS, paths[i], &err) != CY_OK)
            fail_msg("%s: %s", books[i].book, err.message);
        inputs[i] = paths[i];
        json_decref(data);
    }
    char out[128];
    snprintf(out, sizeof out, "%s/csv", TMP);
    mkdir(out, 0700);
    /* UTF-8, every sheet (-1), cells as shown (so money reads 12,000.00) */
    const char *csv =
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";
    doc_convert_opts_t o = {"soffice", NULL, TMP, NULL, 240000};
    cy_error_t err;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (doc_convert(&o, csv, inputs, n, out, &err) != CY_OK)
        fail_msg("doc_convert: %s", err.message);
    printf("# %zu XLSX -> CSV in one soffice call: %.1f s\n", n, seconds_since(&t0));
    assert_csv(out, "annex2_tables", "表1 服务机构",
               "序号,机构名称,机构类型,联系人及联系方式,责任分工（是否牵头及分工）\n"
               "1,羊城示范网络安全技术有限公司,网络安全企业,赵经理 020-88888888,"
               "牵头，负责风险评估与应急处置\n"
               "2,南方示范财产保险股份有限公司（演示）,保险公司,钱经理 020-87777777,承保与理赔\n");
    assert_csv(out, "annex2_tables", "表3 服务方案",
               "序号,方案名称,方案类型,行业领域,联系人,联系方式（手机与邮箱）\n"
               "1,智能制造企业网络安全保险服务方案,企业类,工业互联网,李明,13900000000\n"
               "2,终端检测响应产品责任保险方案,产品服务类,网络安全产品,孙丽,"
               "13700000000 sun@example.cn\n");
    assert_csv(out, "annex2_tables", "附 服务方案保费及保额",
               "序号,服务方案名称,单价保费（元）,保额（元）,说明\n"
               "1,智能制造企业网络安全保险服务方案,\"12,000.00\",\"5,000,000.00\","
               "单价保费一万二千元，保额五百万元\n");
    assert_csv(out, "annex3_tables", "表1 服务对象",
               "序号,企业名称,所在行业领域,联系人,联系方式（手机与邮箱）\n"
               "1,佛山示范陶瓷有限公司,工业互联网,黄工,13600000000\n"
               "2,东莞示范电子有限公司,电子信息制造,林工,lin@example.cn\n");
    assert_csv(out, "annex3_tables", "附 服务方案保费及保额",
               "序号,服务方案名称,单价保费（元）,保额（元）,说明\n"
               "1,终端检测响应产品责任保险方案,\"8,800.50\",\"3,000,000.00\",\n");
    assert_csv(
        out, "package_tables", "表2 服务对象",
        "序号,企业名称,所在行业领域,联系人,联系方式（手机与邮箱）,所属试点工作方案,申报单位\n"
        "1,广州示范智能制造有限公司,工业互联网,王工,13800000000 it@example.cn,"
        "广州市网络安全保险服务试点工作方案,广州市工业和信息化局\n"
        "2,佛山示范陶瓷有限公司,工业互联网,黄工,13600000000,"
        "工业互联网网络安全保险服务试点工作方案,南方示范网络安全技术有限公司\n");
    assert_csv(out, "package_tables", "表3 服务方案",
               "序号,方案名称,方案类型,行业领域,联系人,联系方式（手机与邮箱）,所属试点工作方案,"
               "申报单位\n");
    assert_csv(out, "catalogue", "典型服务方案目录",
               "序号,编号,方案名称,牵头单位,牵头单位统一社会信用代码,联合申报单位,申报方向,"
               "行业领域/产品类型,列入目录时间\n"
               "1,2024-QY-001,工业互联网企业网络安全保险综合服务方案,南方示范网络安全技术有限公司,"
               "914401013475208XXA,南方示范财产保险股份有限公司（演示）、羊城示范司法鉴定所,企业类,"
               "工业互联网,2024-02-10\n"
               "2,2024-CP-001,终端检测响应产品责任保险方案,北方示范保险经纪有限公司,"
               "91110000600037341L,,产品服务类,终端检测响应,2024-02-10\n");
    assert_csv(out, "overdue", "逾期未报",
               "序号,应报材料,应报单位,试点编号,报告期,截止时间（北京时间）,报送至,"
               "纸质材料送达时间（北京时间）\n"
               "1,试点进展报告,广州示范智能制造有限公司,2024-GD-007,2024Q3,2024-10-10 23:59,,\n"
               "2,地市年度总结,深圳市工业和信息化局,,,2024-11-01 23:59,,\n"
               "3,材料包纸质材料,广州市工业和信息化局（演示）,,,2024-02-26 23:59,"
               "广东省工业和信息化厅（演示）,2024-02-28 09:30\n");
}
