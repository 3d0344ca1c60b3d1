/*
 * test_doc.c — src/doc/ without LibreOffice: every shipped form filled from
 * the fixtures of tests/data/doc/, unzipped with libzip and parsed with
 * libxml2 (every part well-formed, the styles and page of 填报说明 2, every
 * filled value present, the declarations word for word and one per unit,
 * repeated header rows, deterministic bytes); the placeholders' filters
 * against hand-computed values; the refusals of the model, of broken
 * templates and of bad sheets; workbooks read back from their XML; and the
 * conversion's refusals and timeout with a stand-in soffice
 * (tests/doc/fake-soffice.sh). The real conversion is tests/doc/test_doc_office.c.
 * Depends on cmocka, doc/ (its fill.h too), jansson, libxml2, libzip.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../doc/doctest.h"
#include "doc/fill.h"

CY_GROUP("doc", dt_setup, dt_teardown);

/* TMP/name */
static const char *
tmp_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", TMP, name);
    return path;
}

/* Renders form from its fixture to TMP/form.docx and returns the document's text (freed by
 * caller). */
static char *
render_text(const char *form, const char *fixture, char *path_out)
{
    json_t *data = dt_fixture(fixture);
    char path[256];
    snprintf(path, sizeof path, "%s/%s.docx", TMP, form);
    dt_render(LIB, form, data, REFS, path);
    json_decref(data);
    if (path_out != NULL)
        strcpy(path_out, path);
    return dt_docx_text(path);
}

/* ---- the library ------------------------------------------------------------ */

CY_TEST(test_doc_lib_has_every_form_and_workbook)
{
    (void)state;
    const char *forms[] = {"annex1",        "annex2",    "annex3", "annex4",
                           "package_cover", "catalogue", "report", "summary"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        assert_true(doc_lib_has_form(LIB, forms[i]));
    const char *books[] = {"annex2_tables", "annex3_tables", "package_tables", "catalogue",
                           "overdue"};
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++)
        assert_true(doc_lib_has_workbook(LIB, books[i]));
    assert_false(doc_lib_has_form(LIB, "annex5"));
    assert_string_equal(doc_lib_fonts_conf(LIB), DT_FORMS "/fonts.conf");
}

/* ---- DOCX: format ----------------------------------------------------------- */

/* 填报说明 2 and GB/T 9704: the styles and the page, checked in the XML itself. */
CY_TEST(test_docx_styles_and_page_follow_the_notice)
{
    (void)state;
    char path[256];
    free(render_text("annex1", "scheme", path));
    xmlDocPtr st = dt_part(path, "word/styles.xml");
    const char *def = "//w:docDefaults";
    char q[300];
    snprintf(q, sizeof q, "%s/w:rPrDefault/w:rPr/w:sz/@w:val", def);
    dt_assert_xpath(st, q, "28"); /* 四号 = 14 pt = 28 half-points */
    snprintf(q, sizeof q, "%s/w:rPrDefault/w:rPr/w:rFonts/@w:eastAsia", def);
    dt_assert_xpath(st, q, "仿宋_GB2312");
    snprintf(q, sizeof q, "%s/w:pPrDefault/w:pPr/w:spacing/@w:line", def);
    dt_assert_xpath(st, q, "360"); /* 1.5 lines = 360/240 */
    snprintf(q, sizeof q, "%s/w:pPrDefault/w:pPr/w:spacing/@w:lineRule", def);
    dt_assert_xpath(st, q, "auto");
    snprintf(q, sizeof q, "%s/w:pPrDefault/w:pPr/w:jc/@w:val", def);
    dt_assert_xpath(st, q, "both");
    dt_assert_xpath(st, "//w:style[@w:styleId='Normal']/w:rPr/w:sz/@w:val", "28");
    dt_assert_xpath(st, "//w:style[@w:styleId='Normal']/w:pPr/w:spacing/@w:line", "360");
    dt_assert_xpath(st, "//w:style[@w:styleId='Normal']/w:pPr/w:jc/@w:val", "both");
    dt_assert_xpath(st, "//w:style[@w:styleId='Body']/w:basedOn/@w:val", "Normal");
    /* level 1: 黑体 三号 (16 pt) */
    dt_assert_xpath(st, "//w:style[@w:styleId='Heading1']/w:rPr/w:rFonts/@w:eastAsia", "黑体");
    dt_assert_xpath(st, "//w:style[@w:styleId='Heading1']/w:rPr/w:sz/@w:val", "32");
    /* level 2: 楷体_GB2312 四号 bold */
    dt_assert_xpath(st, "//w:style[@w:styleId='Heading2']/w:rPr/w:rFonts/@w:eastAsia",
                    "楷体_GB2312");
    dt_assert_xpath(st, "//w:style[@w:styleId='Heading2']/w:rPr/w:sz/@w:val", "28");
    dt_assert_xpath(st, "count(//w:style[@w:styleId='Heading2']/w:rPr/w:b)", "1");
    xmlFreeDoc(st);

    xmlDocPtr doc = dt_part(path, "word/document.xml");
    /* A4 and the margins in twips: mm × 1440 / 25.4, rounded */
    const struct {
        const char *attr;
        double mm;
    } page[] = {{"w:pgSz/@w:w", 210},      {"w:pgSz/@w:h", 297},    {"w:pgMar/@w:top", 37},
                {"w:pgMar/@w:bottom", 35}, {"w:pgMar/@w:left", 28}, {"w:pgMar/@w:right", 26}};
    const char *want[] = {"11906", "16838", "2098", "1984", "1587", "1474"};
    for (size_t i = 0; i < 6; i++) {
        char num[16];
        snprintf(num, sizeof num, "%ld", lround(page[i].mm * 1440 / 25.4));
        assert_string_equal(num, want[i]);
        snprintf(q, sizeof q, "/w:document/w:body/w:sectPr/%s", page[i].attr);
        dt_assert_xpath(doc, q, want[i]);
    }
    /* page numbers: the footer holds a PAGE field; the cover page has none */
    dt_assert_xpath(doc, "count(//w:sectPr/w:titlePg)", "1");
    dt_assert_xpath(doc, "//w:sectPr/w:footerReference/@w:type", "default");
    /* every paragraph style used is one of styles.xml's */
    dt_assert_xpath(doc,
                    "count(//w:pStyle[not(@w:val='Body' or @w:val='Heading1' or "
                    "@w:val='Heading2' or @w:val='Heading3' or @w:val='Title' or "
                    "@w:val='Subtitle' or @w:val='AnnexLabel' or @w:val='CoverField' or "
                    "@w:val='CoverFooter' or @w:val='Centered' or @w:val='Signature' or "
                    "@w:val='Note' or @w:val='Caption' or @w:val='TableText' or "
                    "@w:val='TableLabel' or @w:val='TableHead')])",
                    "0");
    xmlFreeDoc(doc);
    xmlDocPtr ft = dt_part(path, "word/footer1.xml");
    dt_assert_xpath(ft, "normalize-space(//w:instrText)", "PAGE");
    xmlFreeDoc(ft);
}

/* Every part of every form is well-formed XML and every part is declared. */
CY_TEST(test_docx_every_part_of_every_form_is_xml)
{
    (void)state;
    for (size_t i = 0; i < DT_N_FORMS; i++) {
        char path[256];
        free(render_text(DT_FORMS_ALL[i].form, DT_FORMS_ALL[i].fixture, path));
        int e = 0;
        zip_t *z = zip_open(path, ZIP_RDONLY, &e);
        assert_non_null(z);
        zip_int64_t n = zip_get_num_entries(z, 0);
        assert_int_equal(n, 10);
        zip_close(z);
        xmlDocPtr ct = dt_part(path, "[Content_Types].xml");
        const char *entries[] = {
            "word/document.xml",  "word/styles.xml",  "word/settings.xml",
            "word/fontTable.xml", "word/footer1.xml", "docProps/core.xml",
            "docProps/app.xml",   "_rels/.rels",      "word/_rels/document.xml.rels"};
        for (size_t k = 0; k < sizeof entries / sizeof entries[0]; k++) {
            xmlFreeDoc(dt_part(path, entries[k]));
            if (strncmp(entries[k], "word/_", 6) != 0 && strncmp(entries[k], "_rels", 5) != 0) {
                char q[200];
                snprintf(q, sizeof q, "count(//*[@PartName='/%s'])", entries[k]);
                dt_assert_xpath(ct, q, "1");
            }
        }
        xmlFreeDoc(ct);
    }
}

CY_TEST(test_docx_same_record_gives_same_bytes)
{
    (void)state;
    char a[256], b[256];
    json_t *data = dt_fixture("scheme");
    snprintf(a, sizeof a, "%s/same-a.docx", TMP);
    snprintf(b, sizeof b, "%s/same-b.docx", TMP);
    dt_render(LIB, "annex1", data, REFS, a);
    struct timespec pause = {1, 100000000}; /* past a DOS-time second */
    nanosleep(&pause, NULL);
    dt_render(LIB, "annex1", data, REFS, b);
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int ca, cb;
    long n = 0;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        assert_int_equal(ca, cb);
        n++;
    } while (ca != EOF);
    fclose(fa);
    fclose(fb);
    assert_true(n > 1000);
    /* a changed value changes the bytes */
    json_object_set_new(json_object_get(data, "form"), "name", json_string("另一个方案"));
    dt_render(LIB, "annex1", data, REFS, b);
    char *ta = dt_docx_text(a), *tb = dt_docx_text(b);
    assert_string_not_equal(ta, tb);
    free(ta);
    free(tb);
    json_decref(data);
}

/* ---- DOCX: content ---------------------------------------------------------- */

static const char *const STATEMENTS[] = {
    "1. 我单位对申报材料的真实性负责。",
    "2. 我单位在申报过程中所涉及的内容和程序皆符合国家有关法律法规及相关产业政策要求。",
    "3. 我单位对所提交的内容负有保密责任，按照国家相关保密规定，所提交的方案内容未涉及国家秘密、"
    "个人信息和其他敏感信息。",
    "4. 我单位申报所填写的相关文字和图片已经审核，确认无误。",
    "5. 试点期内存在责任落实不到位、经营服务出现重大问题、造成重大网络安全事件、严重违法违规等行"
    "为，退出试点并妥善处理善后事宜。",
    "我单位对违反上述声明导致的后果承担全部法律责任。"};

static void
assert_declarations(const char *text, int units, const char *opening)
{
    assert_int_equal(dt_count(text, "\n申报主体责任声明\n"), units);
    assert_int_equal(dt_count(text, opening), units);
    for (size_t i = 0; i < sizeof STATEMENTS / sizeof STATEMENTS[0]; i++)
        assert_int_equal(dt_count(text, STATEMENTS[i]), units);
    assert_int_equal(
        dt_count(text, "我单位申报的所有材料，均真实、完整，如有不实，愿承担相应的责任。"), units);
}

CY_TEST(test_annex1_shows_every_filled_field)
{
    (void)state;
    json_t *data = dt_fixture("scheme");
    char *text = render_text("annex1", "scheme", NULL);
    dt_assert_leaves(json_object_get(data, "form"), text, DT_CODES, 0);
    dt_assert_leaves(json_object_get(data, "recommendations"), text,
                     (const char *const[]){"created_at", NULL}, 0);
    dt_assert_leaves(json_object_get(data, "lead"), text,
                     (const char *const[]){"region_code", "founded_on", "nature", NULL}, 0);
    /* the cover */
    dt_assert_has(text, "方案名称：工业互联网企业网络安全保险综合服务方案\n");
    dt_assert_has(text, "申报方向：企业类：工业互联网\n");
    dt_assert_has(text, "牵头申报单位：南方示范网络安全技术有限公司（加盖单位公章）\n");
    dt_assert_has(text, "申报日期：2024年1月20日\n");
    /* codes by their names, values formatted */
    dt_assert_has(text, "\n2012年5月18日\n"); /* founded_on */
    dt_assert_has(text, "\n1250\n");          /* 1 250 000 000 fen = 12 500 000 元 = 1250 万元 */
    dt_assert_has(text, "☐事业单位　☐国有企业　☑民营企业　☐合资企业");
    dt_assert_has(text, "☑企业类：工业互联网　☐产品服务类：　面向联网工业企业");
    dt_assert_has(text, "\n国有控股企业\n");
    dt_assert_has(text, "\n其他司法鉴定机构\n");
    dt_assert_has(text, "推荐单位：广州市工业和信息化局（推荐单位盖章）　2024年1月22日");
    /* one 真实性承诺 and one 申报主体责任声明 per unit, the declaration word for word */
    assert_declarations(
        text, 3,
        "根据《关于组织开展网络安全保险服务试点工作的通知》要求，我单位提交了网络安全"
        "保险服务试点的服务方案。");
    dt_assert_has(
        text,
        "法定代表人签章：周海\n牵头申报单位公章：南方示范网络安全技术有限公司\n2024年1月18日");
    /* 17:10 UTC on the 19th is 01:10 on the 20th in Beijing */
    dt_assert_has(text, "联合申报单位公章：南方示范财产保险股份有限公司（演示）\n2024年1月20日");
    dt_assert_has(text, "法定代表人：郑平\n单位（盖章）：羊城示范司法鉴定所\n年　月　日\n");
    dt_assert_has(text, "（1）高新技术企业证书\n（2）2023年度财务审计报告\n");
    dt_assert_has(text, "（3）某化工企业工控系统风险评估\n");
    dt_assert_has(text, "共3份");
    /* 填报说明, word for word */
    dt_assert_has(text, "5.多家单位联合申报的方案，每个申报单位均需提供单独的责任声明。");
    free(text);
    json_decref(data);
}

CY_TEST(test_annex2_tables_repeat_their_header_rows)
{
    (void)state;
    json_t *data = dt_fixture("plan2");
    char path[256];
    char *text = render_text("annex2", "plan2", path);
    dt_assert_leaves(json_object_get(data, "form"), text, DT_CODES, 0);
    dt_assert_has(text, "申报单位：广州市工业和信息化局（加盖单位公章）");
    dt_assert_has(text, "姓名：张处长\n职务：网络安全处处长\n");
    dt_assert_has(text, "\n企业类\n");
    dt_assert_has(text, "\n产品服务类\n");
    /* 1 200 000 fen = 12 000 元; 500 000 000 fen = 5 000 000 元 */
    dt_assert_has(text, "单价保费：12,000.00元；保额：5,000,000.00元。");
    assert_null(strstr(text, "申报主体责任声明")); /* an authority files no declaration */
    free(text);
    xmlDocPtr doc = dt_part(path, "word/document.xml");
    /* 表1–表3: one header row each, marked to repeat, their rows after it */
    dt_assert_xpath(doc, "count(//w:tr[w:trPr/w:tblHeader])", "3");
    dt_assert_xpath(doc, "count(//w:tbl[w:tr[1]/w:trPr/w:tblHeader])", "3");
    dt_assert_xpath(doc, "normalize-space(//w:tbl[2]/w:tr[1]/w:tc[5])",
                    "责任分工（是否牵头及分工）");
    dt_assert_xpath(doc, "count(//w:tbl[2]/w:tr)", "3"); /* header + 2 institutions */
    dt_assert_xpath(doc, "normalize-space(//w:tbl[2]/w:tr[3]/w:tc[1])", "2");
    /* the 联系人 cell spans five rows of the first table */
    dt_assert_xpath(doc, "count(//w:tbl[1]//w:vMerge[@w:val='restart'])", "1");
    dt_assert_xpath(doc, "count(//w:tbl[1]//w:vMerge[not(@w:val)])", "4");
    /* the grid fills the text width: 210 − 28 − 26 mm = 8845 twips */
    dt_assert_xpath(doc, "sum(//w:tbl[2]/w:tblGrid/w:gridCol/@w:w)", "8845");
    xmlFreeDoc(doc);
    json_decref(data);
}

CY_TEST(test_annex3_and_annex4_show_every_filled_field)
{
    (void)state;
    const char *opening = "根据《关于组织开展网络安全保险服务试点工作的通知》要求，我单位提交了网络"
                          "安全保险服务试点工作方案。";
    const char *forms[][2] = {{"annex3", "plan3"}, {"annex4", "plan4"}};
    for (int i = 0; i < 2; i++) {
        json_t *data = dt_fixture(forms[i][1]);
        char *text = render_text(forms[i][0], forms[i][1], NULL);
        dt_assert_leaves(json_object_get(data, "form"), text, DT_CODES, 0);
        dt_assert_leaves(json_object_get(data, "lead"), text,
                         (const char *const[]){"founded_on", "nature", NULL}, 0);
        assert_declarations(text, 2, opening);
        free(text);
        json_decref(data);
    }
    char *t3 = render_text("annex3", "plan3", NULL);
    dt_assert_has(t3, "申报方向：产品服务类：终端检测响应\n"); /* edr, an item of a class */
    dt_assert_has(t3, "表1 服务对象基本情况\n");
    dt_assert_has(t3, "单价保费：8,800.50元；保额：3,000,000.00元。");
    free(t3);
    char *t4 = render_text("annex4", "plan4", NULL);
    dt_assert_has(t4, "\n5000000\n"); /* 5 000 000 000 000 fen = 500 亿元 = 5 000 000 万元 */
    dt_assert_has(t4, "☑合资企业");
    dt_assert_has(t4, "四、网络安全保险需求及保障范围\n主要保障营业中断损失和数据资产重置费用。\n");
    assert_int_equal(dt_count(t4, "\n3. 我单位"), 2); /* numbered 1–5, not the notice's 3, 4, 3 */
    free(t4);
}

CY_TEST(test_package_cover_and_its_plans_in_one_document)
{
    (void)state;
    json_t *pkg = dt_fixture("package"), *p2 = dt_fixture("plan2"), *p4 = dt_fixture("plan4");
    doc_t *d = doc_new();
    cy_error_t err;
    assert_int_equal(doc_form_render(LIB, "package_cover", pkg, REFS, d, &err), CY_OK);
    assert_int_equal(doc_add_page_break(d, &err), CY_OK);
    assert_int_equal(doc_form_render(LIB, "annex2", p2, REFS, d, &err), CY_OK);
    assert_int_equal(doc_add_page_break(d, &err), CY_OK);
    assert_int_equal(doc_form_render(LIB, "annex4", p4, REFS, d, &err), CY_OK);
    assert_int_equal(doc_form_render(LIB, "annex9", p4, REFS, d, &err), CY_ENOTFOUND);
    assert_string_equal(err.code, "doc_form");
    assert_int_equal(doc_docx_write(LIB, d, tmp_path("package.docx"), &err), CY_OK);
    doc_free(d);
    char *text = dt_docx_text(tmp_path("package.docx"));
    dt_assert_has(text, "网络安全保险服务试点申报材料\n广州市工业和信息化局\n2024年2月25日\n");
    dt_assert_has(
        text, "1\n广州市网络安全保险服务试点工作方案\n附件2（地方主管部门）\n广州市工业和信息化局\n"
              "2024年2月20日 10:00\n");
    dt_assert_has(text, "附件4（行业企业）");
    dt_assert_has(
        text,
        "本批材料共含试点工作方案2份，由广州市工业和信息化局报送，现由广东省工业和信息化厅接收。");
    dt_assert_has(text, "转报\n广州市工业和信息化局\n广东省工业和信息化厅\n2024年2月25日 09:00\n");
    /* then the plans themselves */
    assert_int_equal(dt_count(text, "\n网络安全保险服务试点工作方案\n"), 2);
    dt_assert_leaves(json_object_get(p4, "form"), text, DT_CODES, 0);
    free(text);
    json_decref(pkg);
    json_decref(p2);
    json_decref(p4);
}

CY_TEST(test_catalogue_report_and_summary)
{
    (void)state;
    json_t *cat = dt_fixture("catalogue");
    char *text = render_text("catalogue", "catalogue", NULL);
    dt_assert_leaves(cat, text,
                     (const char *const[]){"direction", "industry", "product", "published_at",
                                           "lead_uscc", NULL},
                     0);
    dt_assert_has(text, "\n南方示范财产保险股份有限公司（演示）、羊城示范司法鉴定所\n");
    dt_assert_has(text, "\n企业类：工业互联网\n");
    dt_assert_has(text, "\n产品服务类：终端检测响应\n");
    dt_assert_has(text, "工业和信息化部　2024年2月10日\n");
    dt_assert_has(text,
                  "2. 终端检测响应产品责任保险方案（2024-CP-001）\n为终端检测响应产品增信。\n");
    free(text);
    json_decref(cat);

    json_t *rep = dt_fixture("report");
    text = render_text("report", "report", NULL);
    dt_assert_leaves(rep, text, (const char *const[]){"due_at", "received_at", NULL}, 0);
    dt_assert_has(text, "保费（元）\n180,000.00\n");
    dt_assert_has(text, "保额（元）\n75,000,000.00\n");
    dt_assert_has(text, "已赔付金额（元）\n350,000.50\n");
    dt_assert_has(text, "投保企业（家）\n12\n");
    dt_assert_has(text, "2024年10月9日 14:20（按期报送）");
    dt_assert_has(text, "2024年10月10日 23:59");
    free(text);
    json_decref(rep);

    json_t *sum = dt_fixture("summary");
    text = render_text("summary", "summary", NULL);
    dt_assert_leaves(sum, text, (const char *const[]){"level", "due_at", "received_at", NULL}, 0);
    dt_assert_has(text, "单位层级\n地市工业和信息化主管部门\n试点编号\n—\n");
    dt_assert_has(text, "2024年11月2日 09:00（逾期报送）");
    dt_assert_has(text, "一、年度试点开展情况\n全市共有三个试点，投保企业四十家。\n");
    dt_assert_has(text, "四、数据安全保险探索情况\n为两家企业试行数据泄露责任保险。");
    free(text);
    json_decref(sum);
}

/* A record with fields missing prints the form with blanks; nothing fails. */
CY_TEST(test_form_with_missing_fields_prints_blanks)
{
    (void)state;
    json_t *empty = json_object();
    for (size_t i = 0; i < DT_N_FORMS; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/empty-%s.docx", TMP, DT_FORMS_ALL[i].form);
        dt_render(LIB, DT_FORMS_ALL[i].form, empty, NULL, path);
        char *text = dt_docx_text(path);
        assert_null(strstr(text, "{"));
        free(text);
    }
    char *text = dt_docx_text(tmp_path("empty-annex1.docx"));
    dt_assert_has(text, "申报日期：\n");
    dt_assert_has(text, "真实性承诺\n我单位申报的所有材料"); /* the empty row of the units */
    dt_assert_has(text, "\n无\n");                           /* no joint units */
    free(text);
    json_decref(empty);
}

/* ---- placeholders ----------------------------------------------------------- */

/* tpl filled from data (JSON text) with the maps {"m": {"a": "甲", "*": "其他"}}. */
static void
assert_fill(const char *data, const char *tpl, const char *want)
{
    json_t *root = json_loads(data, 0, NULL),
           *maps = json_pack("{s:{s:s, s:s}}", "m", "a", "甲", "*", "其他");
    assert_non_null(root);
    char why[300];
    if (!fill_check(tpl, maps, why, sizeof why))
        fail_msg("%s: %s", tpl, why);
    fill_ctx_t c = {root, root, 0, maps, REFS};
    char *out;
    cy_error_t err;
    assert_int_equal(fill_text(&c, tpl, &out, &err), CY_OK);
    if (strcmp(out, want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", tpl, out, want);
    free(out);
    json_decref(root);
    json_decref(maps);
}

CY_TEST(test_fill_filters_match_hand_computed_values)
{
    (void)state;
    assert_fill("{\"f\": 123456}", "{f|yuan}元", "1,234.56元");
    assert_fill("{\"f\": -5}", "{f|yuan}", "-0.05");
    assert_fill("{\"f\": 0}", "{f|yuan}", "0.00");
    assert_fill("{\"f\": 9007199254740993}", "{f|yuan}", "90,071,992,547,409.93"); /* > 2^53 */
    assert_fill("{\"f\": 12500000}", "{f|wan}", "12.5");
    assert_fill("{\"f\": 1250000000}", "{f|wan}", "1250");
    assert_fill("{\"f\": 1}", "{f|wan}", "0.000001");
    assert_fill("{\"f\": \"x\"}", "{f|wan}", "x");
    assert_fill("{\"d\": \"2024-01-28\"}", "{d|date}", "2024年1月28日");
    assert_fill("{\"d\": \"2024-01-19T17:10:00Z\"}", "{d|date}", "2024年1月20日");
    assert_fill("{\"d\": \"2024-10-10T15:59:59Z\"}", "{d|datetime}", "2024年10月10日 23:59");
    assert_fill("{\"d\": \"2024-10-10\"}", "{d|datetime}", "2024年10月10日");
    assert_fill("{\"d\": \"soon\"}", "{d|date}", "soon");
    assert_fill("{\"v\": \"a\"}", "{v|map:m}", "甲");
    assert_fill("{\"v\": \"b\"}", "{v|map:m}", "其他");
    assert_fill("{\"v\": 0}", "{v|map:m}", "其他");
    assert_fill("{\"v\": \"edr\"}", "{v|label:product_classes}", "终端检测响应");
    assert_fill("{\"v\": \"it_product\"}", "{v|label:product_classes}", "信息技术产品");
    assert_fill("{\"v\": \"finance\"}", "{v|label:target_industries}", "金融");
    assert_fill("{\"v\": \"nope\"}", "{v|label:target_industries}", "nope");
    assert_fill("{\"v\": \"a\"}", "{v|check:a}{v|check:b}", "☑☐");
    assert_fill("{}", "{v|check:a}", "☐");
    assert_fill("{\"v\": \"\"}", "{v|or:—}", "—");
    assert_fill("{\"v\": null}", "{v|date|or:年　月　日}", "年　月　日");
    assert_fill("{\"a\": [\"甲\", 2, true]}", "{a|join:、}|{a|count}", "甲、2、是|3");
    assert_fill("{\"a\": {\"b\": [{\"c\": \"深\"}]}}", "{a.b.0.c}{/a.b.0.c}", "深深");
    assert_fill("{\"x\": 1}", "{{x}}={x}", "{x}=1");
    assert_fill("{\"x\": false}", "{missing}{x}", "否");
    assert_fill("{\"x\": 2.5}", "{x}", "2.5");
    assert_fill("{}", "{#}", "");
}

CY_TEST(test_fill_check_refuses_bad_templates)
{
    (void)state;
    json_t *maps = json_pack("{s:{}}", "m");
    const char *bad[] = {"{a|nope}", "{a|map:zz}", "{a|or:x|yuan}",    "{a",
                         "a}",       "{}",         "{a|map}",          "{a|yuan:2}",
                         "{a b}",    "{a..b}",     "{a|date|datetime}"};
    char why[300];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (fill_check(bad[i], maps, why, sizeof why))
            fail_msg("\"%s\" passed the check", bad[i]);
    assert_true(fill_check("{a|map:m|or:—}{/b.0}{.}{#}", maps, why, sizeof why));
    json_decref(maps);
}

/* ---- the model -------------------------------------------------------------- */

CY_TEST(test_model_cleans_text_and_refuses_bad_utf8)
{
    (void)state;
    doc_t *d = doc_new();
    cy_error_t err;
    assert_int_equal(doc_add_par(d, DOC_BODY,
                                 "a\xff"
                                 "b",
                                 &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "doc_text_utf8");
    assert_int_equal(d->n, 0);
    assert_int_equal(doc_add_par(d, DOC_BODY, "甲\x01乙\r\n\n<&>\"'\t丙\n", &err), CY_OK);
    assert_int_equal(d->n, 2); /* the empty line is dropped */
    doc_table_t *t;
    doc_row_t *r;
    unsigned w[] = {1, 3};
    assert_int_equal(doc_add_table(d, w, 2, &t, &err), CY_OK);
    assert_int_equal(doc_table_add_row(t, 1, &r, &err), CY_OK);
    assert_int_equal(doc_row_add_cell(r, DOC_TABLE_HEAD, "第一行\n第二行", 2, DOC_MERGE_NONE, &err),
                     CY_OK);
    assert_int_equal(doc_row_add_cell(r, DOC_TABLE_TEXT, "\xc0\xaf", 1, DOC_MERGE_NONE, &err),
                     CY_EINVAL); /* an overlong '/' */
    assert_int_equal(doc_docx_write(LIB, d, tmp_path("clean.docx"), &err), CY_OK);
    char *text = dt_docx_text(tmp_path("clean.docx"));
    assert_string_equal(text, "甲 乙\n<&>\"'\t丙\n第一行\n第二行\n\n");
    free(text);
    xmlDocPtr x = dt_part(tmp_path("clean.docx"), "word/document.xml");
    dt_assert_xpath(x, "count(//w:tab)", "1");
    dt_assert_xpath(x, "//w:tc/w:tcPr/w:gridSpan/@w:val", "2");
    dt_assert_xpath(x, "sum(//w:gridCol/@w:w)", "8845");
    dt_assert_xpath(x, "//w:gridCol[1]/@w:w", "2211"); /* 8845 × 1/4, rounded down */
    xmlFreeDoc(x);
    assert_int_equal(doc_add_table(d, w, 0, &t, &err), CY_EINVAL);
    w[0] = 0;
    assert_int_equal(doc_add_table(d, w, 2, &t, &err), CY_EINVAL);
    assert_string_equal(err.code, "doc_table");
    doc_free(d);
}

CY_TEST(test_docx_refuses_a_table_that_does_not_fill_its_grid)
{
    (void)state;
    unsigned w[] = {1, 1, 1};
    for (int k = 0; k < 2; k++) {
        doc_t *d = doc_new();
        cy_error_t err;
        doc_table_t *t;
        doc_row_t *r;
        assert_int_equal(doc_add_table(d, w, 3, &t, &err), CY_OK);
        assert_int_equal(doc_table_add_row(t, 0, &r, &err), CY_OK);
        assert_int_equal(
            doc_row_add_cell(r, DOC_TABLE_TEXT, "a", k == 0 ? 2 : 3, DOC_MERGE_NONE, &err), CY_OK);
        if (k == 1) { /* a header row after a body row */
            assert_int_equal(doc_table_add_row(t, 1, &r, &err), CY_OK);
            assert_int_equal(doc_row_add_cell(r, DOC_TABLE_HEAD, "h", 3, DOC_MERGE_NONE, &err),
                             CY_OK);
        }
        assert_int_equal(doc_docx_write(LIB, d, tmp_path("bad-table.docx"), &err), CY_EINVAL);
        assert_string_equal(err.code, "doc_table");
        assert_non_null(
            strstr(err.message, k == 0 ? "spans 2 columns of 3" : "header rows come first"));
        assert_int_equal(access(tmp_path("bad-table.docx"), F_OK), -1);
        doc_free(d);
    }
}

/* ---- broken templates ------------------------------------------------------- */

/* A copy of data/forms in TMP/forms with no form or workbook, for one broken file. */
static const char *
forms_copy(void)
{
    static char dir[100];
    snprintf(dir, sizeof dir, "%s/forms", TMP);
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s/xlsx' && cp -r '%s/docx' '%s/fonts.conf' '%s/'", dir, dir,
             DT_FORMS, DT_FORMS, dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loading dir is refused with st and a message holding each of the NULL-terminated needles. */
static void
expect_load_refused(const char *dir, cy_status_t st, ...)
{
    doc_lib_t *lib = NULL;
    cy_error_t err;
    assert_int_equal(doc_lib_load(dir, &lib, &err), st);
    assert_null(lib);
    va_list ap;
    va_start(ap, st);
    for (const char *n; (n = va_arg(ap, const char *)) != NULL;)
        if (strstr(err.message, n) == NULL)
            fail_msg("message \"%s\" lacks \"%s\"", err.message, n);
    va_end(ap);
}

#define FORM_HEAD "{\"source\": \"test\", \"version\": \"1\", "

CY_TEST(test_lib_refuses_broken_forms_naming_file_and_path)
{
    (void)state;
    const char *dir = forms_copy();
    doc_lib_t *lib;
    cy_error_t err;
    assert_int_equal(doc_lib_load(dir, &lib, &err), CY_OK); /* the copy itself is good */
    doc_lib_free(lib);
    const struct {
        const char *text, *needle1, *needle2;
    } cases[] = {
        {FORM_HEAD "\"blocks\": [{\"body\": \"{a|nope}\"}]}", "blocks[0].body", "nope"},
        {FORM_HEAD "\"blocks\": [{\"body\": \"{a|map:m}\"}]}", "blocks[0].body", "no map \"m\""},
        {FORM_HEAD "\"blocks\": [{\"bold\": \"x\"}]}", "blocks[0].bold", "unknown block"},
        {FORM_HEAD "\"blocks\": [{\"body\": \"x\", \"h1\": \"y\"}]}", "blocks[0]",
         "exactly one key"},
        {FORM_HEAD
         "\"blocks\": [{\"table\": {\"widths\": [1, 1], \"rows\": [{\"cells\": [\"a\"]}]}}]}",
         "blocks[0].table.rows[0].cells", "span 1 columns of 2"},
        {FORM_HEAD "\"blocks\": [{\"table\": {\"widths\": [1], \"rows\": [{\"cells\": [\"a\"]}, "
                   "{\"head\": true, \"cells\": [\"h\"]}]}}]}",
         "rows[1]", "header rows come first"},
        {FORM_HEAD "\"blocks\": [{\"table\": {\"widths\": [1], \"rows\": [{\"cells\": [{\"text\": "
                   "\"a\", \"merge\": \"each\"}]}]}}]}",
         "cells[0]", "merge"},
        {FORM_HEAD "\"blocks\": [{\"each\": \"#\", \"blocks\": [{\"body\": \"x\"}]}]}", "blocks[0]",
         "data path"},
        {FORM_HEAD "\"blocks\": []}", "blocks", "non-empty"},
        {"{\"version\": \"1\", \"blocks\": [{\"body\": \"x\"}]}", "bad.json source",
         "source and version"},
        {FORM_HEAD "\n\"blocks\": [}", "bad.json line 2", "bad JSON"},
        {FORM_HEAD "\"blocks\": [{\"body\": \"x\"}], \"extra\": 1}", "extra", "unknown key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(dir, "bad.json", cases[i].text);
        expect_load_refused(dir, CY_EINVAL, cases[i].needle1, cases[i].needle2, NULL);
    }
    char path[300];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    unlink(path);
    /* workbooks */
    write_file(dir, "xlsx/bad.json",
               FORM_HEAD "\"sheets\": [{\"name\": \"s\", \"rows\": \"items\", \"columns\": "
                         "[{\"header\": \"h\", \"money\": \"a\", \"text\": \"b\"}]}]}");
    expect_load_refused(dir, CY_EINVAL, "xlsx/bad.json sheets[0].columns[0]", "one of", NULL);
    write_file(dir, "xlsx/bad.json",
               FORM_HEAD "\"sheets\": [{\"name\": \"s\", \"rows\": \"items\", \"columns\": "
                         "[{\"header\": \"h\", \"text\": \"{x|map:none}\"}]}]}");
    expect_load_refused(dir, CY_EINVAL, "xlsx/bad.json sheets[0].columns[0]", "no map", NULL);
}

CY_TEST(test_lib_refuses_broken_docx_parts)
{
    (void)state;
    const char *dir = forms_copy();
    char path[300];
    /* a part that is not XML: the file and the line */
    write_file(dir, "docx/word/settings.xml",
               "<?xml version=\"1.0\"?>\n<w:settings>\n</w:setting>\n");
    expect_load_refused(dir, CY_EINVAL, "docx/word/settings.xml", "line 3", NULL);
    dir = forms_copy();
    /* a style package.json names that styles.xml lacks */
    snprintf(path, sizeof path,
             "sed -i 's/\"h1\": \"Heading1\"/\"h1\": \"Heading9\"/' '%s/docx/package.json'", dir);
    assert_int_equal(system(path), 0);
    expect_load_refused(dir, CY_EINVAL, "styles.h1", "Heading9", NULL);
    dir = forms_copy();
    snprintf(path, sizeof path,
             "sed -i 's/\"left_mm\": 28/\"left_mm\": 200/' '%s/docx/package.json'", dir);
    assert_int_equal(system(path), 0);
    expect_load_refused(dir, CY_EINVAL, "page", "no text area", NULL);
    dir = forms_copy();
    snprintf(path, sizeof path, "%s/docx/word/footer1.xml", dir);
    unlink(path);
    expect_load_refused(dir, CY_EIO, "footer1.xml", NULL);
    expect_load_refused("/nonexistent/forms", CY_EIO, "/nonexistent/forms", NULL);
    /* comments of the parts are not packaged */
    free(render_text("annex1", "scheme", NULL));
    char *styles = dt_unzip(tmp_path("annex1.docx"), "word/styles.xml", NULL);
    assert_non_null(styles);
    assert_null(strstr(styles, "<!--"));
    assert_non_null(strstr(styles, "standalone=\"yes\""));
    free(styles);
}

/* ---- XLSX ------------------------------------------------------------------- */

/* The formatCode of the number format of cell ref of sheet (a parsed worksheet). */
static char *
cell_format(const char *xlsx, xmlDocPtr sheet, const char *ref)
{
    char q[300];
    snprintf(q, sizeof q, "//x:c[@r='%s']/@s", ref);
    char *s = dt_xpath(sheet, q);
    xmlDocPtr styles = dt_part(xlsx, "xl/styles.xml");
    snprintf(q, sizeof q, "//x:cellXfs/x:xf[%d]/@numFmtId", atoi(s) + 1);
    char *id = dt_xpath(styles, q);
    snprintf(q, sizeof q, "//x:numFmts/x:numFmt[@numFmtId='%s']/@formatCode", id);
    char *code = dt_xpath(styles, q);
    xmlFreeDoc(styles);
    free(s);
    free(id);
    return code;
}

CY_TEST(test_xlsx_plan_tables_with_frozen_headers_and_money_in_yuan)
{
    (void)state;
    json_t *data = dt_fixture("plan2");
    const char *path = tmp_path("plan2.xlsx");
    cy_error_t err;
    assert_int_equal(doc_xlsx_render(LIB, "annex2_tables", data, REFS, path, &err), CY_OK);
    xmlDocPtr wb = dt_part(path, "xl/workbook.xml");
    dt_assert_xpath(wb, "count(//x:sheet)", "4");
    dt_assert_xpath(wb, "//x:sheet[1]/@name", "表1 服务机构");
    dt_assert_xpath(wb, "//x:sheet[2]/@name", "表2 服务对象");
    dt_assert_xpath(wb, "//x:sheet[3]/@name", "表3 服务方案");
    xmlFreeDoc(wb);
    xmlDocPtr s1 = dt_part(path, "xl/worksheets/sheet1.xml");
    dt_assert_xpath(s1, "//x:pane/@state", "frozen");
    dt_assert_xpath(s1, "//x:pane/@ySplit", "1");
    dt_assert_xpath(s1, "//x:autoFilter/@ref", "A1:E3");
    dt_assert_xpath(s1, "count(//x:row)", "3"); /* header + 2 institutions */
    dt_assert_xpath(s1, "//x:c[@r='A3']/x:v", "2");
    dt_assert_xpath(s1, "substring(//x:col[@min='2']/@width, 1, 3)", "36.");
    xmlFreeDoc(s1);
    char *strings = dt_unzip(path, "xl/sharedStrings.xml", NULL);
    const char *want[] = {"责任分工（是否牵头及分工）", "羊城示范网络安全技术有限公司",
                          "产品服务类", "联系方式（手机与邮箱）", "单价保费（元）"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        dt_assert_has(strings, want[i]);
    free(strings);
    /* 1 200 000 fen is 12 000 元, a number shown with two decimals */
    xmlDocPtr s4 = dt_part(path, "xl/worksheets/sheet4.xml");
    dt_assert_xpath(s4, "//x:c[@r='C2']/x:v", "12000");
    dt_assert_xpath(s4, "//x:c[@r='D2']/x:v", "5000000");
    char *fmt = cell_format(path, s4, "C2");
    assert_string_equal(fmt, "#,##0.00");
    free(fmt);
    xmlFreeDoc(s4);
    json_decref(data);
}

/* Days from 1899-12-30 (the spreadsheet epoch) to y-m-d, computed with the libc calendar. */
static double
serial_day(int y, int m, int d)
{
    struct tm a = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    struct tm e = {.tm_year = -1, .tm_mon = 11, .tm_mday = 30};
    return (double)(timegm(&a) - timegm(&e)) / 86400.0;
}

CY_TEST(test_xlsx_overdue_and_catalogue_dates_in_beijing_time)
{
    (void)state;
    json_t *od = dt_fixture("overdue"), *cat = dt_fixture("catalogue");
    cy_error_t err;
    assert_int_equal(doc_xlsx_render(LIB, "overdue", od, REFS, tmp_path("overdue.xlsx"), &err),
                     CY_OK);
    xmlDocPtr s = dt_part(tmp_path("overdue.xlsx"), "xl/worksheets/sheet1.xml");
    /* 2024-10-10T15:59:59Z is 23:59 on the 10th in Beijing */
    char *v = dt_xpath(s, "//x:c[@r='F2']/x:v");
    assert_true(fabs(atof(v) - (serial_day(2024, 10, 10) + (23 * 60 + 59) / 1440.0)) < 1e-6);
    free(v);
    char *fmt = cell_format(tmp_path("overdue.xlsx"), s, "F2");
    assert_string_equal(fmt, "yyyy-mm-dd hh:mm");
    free(fmt);
    dt_assert_xpath(s, "count(//x:c[@r='D3']/x:v)", "0"); /* no pilot code: an empty cell */
    /* the paper arrived 2024-02-28T01:30Z: 09:30 in Beijing */
    v = dt_xpath(s, "//x:c[@r='H4']/x:v");
    assert_true(fabs(atof(v) - (serial_day(2024, 2, 28) + (9 * 60 + 30) / 1440.0)) < 1e-6);
    free(v);
    xmlFreeDoc(s);
    char *strings = dt_unzip(tmp_path("overdue.xlsx"), "xl/sharedStrings.xml", NULL);
    dt_assert_has(strings, "试点进展报告");
    dt_assert_has(strings, "地市年度总结");
    dt_assert_has(strings, "材料包纸质材料");
    dt_assert_has(strings, "广东省工业和信息化厅（演示）");
    free(strings);
    assert_int_equal(doc_xlsx_render(LIB, "catalogue", cat, REFS, tmp_path("cat.xlsx"), &err),
                     CY_OK);
    s = dt_part(tmp_path("cat.xlsx"), "xl/worksheets/sheet1.xml");
    v = dt_xpath(s, "//x:c[@r='I2']/x:v"); /* 2024-02-10T02:00Z: the 10th in Beijing */
    assert_true(fabs(atof(v) - serial_day(2024, 2, 10)) < 1e-9);
    free(v);
    dt_assert_xpath(s, "//x:c[@r='A3']/x:v", "2");
    xmlFreeDoc(s);
    strings = dt_unzip(tmp_path("cat.xlsx"), "xl/sharedStrings.xml", NULL);
    dt_assert_has(strings, "南方示范财产保险股份有限公司（演示）、羊城示范司法鉴定所");
    dt_assert_has(strings, "终端检测响应");
    free(strings);
    assert_int_equal(doc_xlsx_render(LIB, "nope", cat, REFS, tmp_path("x.xlsx"), &err),
                     CY_ENOTFOUND);
    json_decref(od);
    json_decref(cat);
}

CY_TEST(test_xlsx_refuses_bad_sheets_and_leaves_no_file)
{
    (void)state;
    doc_col_t cols[] = {{"名称", 20, DOC_COL_TEXT, "{name}"},
                        {"金额（元）", 12, DOC_COL_MONEY, "fen"}};
    json_t *rows = json_pack("[{s:s, s:I}]", "name", "甲", "fen", (json_int_t)-250);
    const char *path = tmp_path("bad.xlsx");
    cy_error_t err;
    const char *bad_names[] = {
        "a/b", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", ""};
    for (size_t i = 0; i < 3; i++) {
        doc_sheet_t sh = {bad_names[i], cols, 2, rows, NULL};
        assert_int_equal(doc_xlsx_write(&sh, 1, NULL, path, &err), CY_EINVAL);
        assert_string_equal(err.code, "doc_sheet");
        assert_int_equal(access(path, F_OK), -1);
    }
    doc_sheet_t none = {"s", cols, 0, rows, NULL};
    assert_int_equal(doc_xlsx_write(&none, 1, NULL, path, &err), CY_EINVAL);
    assert_int_equal(doc_xlsx_write(&none, 0, NULL, path, &err), CY_EINVAL);
    json_t *bad = json_pack("[{s:o}]", "name", json_string_nocheck("a\xff"));
    doc_sheet_t sh = {"s", cols, 2, bad, NULL};
    assert_int_equal(doc_xlsx_write(&sh, 1, NULL, path, &err), CY_EINVAL);
    assert_string_equal(err.code, "doc_text_utf8");
    assert_int_equal(access(path, F_OK), -1);
    doc_sheet_t good = {"三十一个字符以内的名称", cols, 2, rows, NULL};
    assert_int_equal(doc_xlsx_write(&good, 1, NULL, path, &err), CY_OK);
    xmlDocPtr s = dt_part(path, "xl/worksheets/sheet1.xml");
    dt_assert_xpath(s, "//x:c[@r='B2']/x:v", "-2.5");
    xmlFreeDoc(s);
    json_decref(rows);
    json_decref(bad);
}

/* ---- conversion (with tests/doc/fake-soffice.sh) ------------------------------ */

#define FAKE CY_SOURCE_DIR "/tests/doc/fake-soffice.sh"

static const char *
out_dir(void)
{
    static char dir[200];
    snprintf(dir, sizeof dir, "%s/out", TMP);
    mkdir(dir, 0700);
    return dir;
}

/* TMP/name with some bytes, for an input. */
static const char *
input(const char *name)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 256, "%s/%s", TMP, name);
    write_file(TMP, name, "not really a document");
    return p;
}

CY_TEST(test_convert_missing_soffice_says_what_to_install)
{
    (void)state;
    const char *in[] = {input("a.docx")};
    const char *progs[] = {"/nonexistent/soffice", "cyberins-no-such-soffice"};
    for (int i = 0; i < 2; i++) {
        doc_convert_opts_t o = {progs[i], NULL, TMP, NULL, 5000};
        cy_error_t err;
        assert_int_equal(doc_pdf_convert(&o, in, 1, out_dir(), &err), CY_EIO);
        assert_string_equal(err.code, "office_missing");
        assert_non_null(strstr(err.message, "libreoffice-writer-nogui"));
    }
}

CY_TEST(test_convert_runs_soffice_in_a_profile_of_its_own)
{
    (void)state;
    const char *in[] = {input("a.docx"), input("b.docx")};
    doc_convert_opts_t o = {FAKE, DT_FORMS "/fonts.conf", TMP, NULL, 10000};
    cy_error_t err;
    char path[300];
    assert_int_equal(doc_pdf_convert(&o, in, 2, out_dir(), &err), CY_OK);
    snprintf(path, sizeof path, "%s/a.pdf", out_dir());
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/b.pdf", out_dir());
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/env.txt", out_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char env[4096] = "";
    env[fread(env, 1, sizeof env - 1, f)] = '\0';
    fclose(f);
    dt_assert_has(env, "FONTCONFIG_FILE=" DT_FORMS "/fonts.conf\n");
    dt_assert_has(env, "LANG=C.UTF-8\n");
    dt_assert_has(env, "SAL_USE_VCLPLUGIN=svp\n");
    char *home = strstr(env, "HOME=");
    assert_non_null(home);
    home += 5;
    home[strcspn(home, "\n")] = '\0';
    assert_int_equal(strncmp(home, TMP, strlen(TMP)), 0);
    assert_non_null(strstr(home, "/cyberins-lo-"));
    assert_int_equal(access(home, F_OK), -1); /* the profile is removed afterwards */
    /* another format: the extension is the format up to ':' */
    assert_int_equal(
        doc_convert(&o, "csv:Text - txt - csv (StarCalc):44,34,76", in, 1, out_dir(), &err), CY_OK);
    snprintf(path, sizeof path, "%s/a.csv", out_dir());
    assert_int_equal(access(path, F_OK), 0);
    /* a CSV of every sheet: STEM-SHEET.csv, written by this call, counts */
    const char *sheets =
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1";
    const char *wb[] = {input("wb.xlsx")};
    assert_int_equal(doc_convert(&o, sheets, wb, 1, out_dir(), &err), CY_OK);
    snprintf(path, sizeof path, "%s/wb-Sheet1.csv", out_dir());
    assert_int_equal(access(path, F_OK), 0);
    /* but not one left from before: nothing new was written */
    const char *silent[] = {input("silent.xlsx")};
    write_file(out_dir(), "silent-Sheet1.csv", "an old sheet");
    assert_int_equal(doc_convert(&o, sheets, silent, 1, out_dir(), &err), CY_EIO);
    assert_string_equal(err.code, "office_failed");
}

CY_TEST(test_convert_failures_leave_no_output)
{
    (void)state;
    doc_convert_opts_t o = {FAKE, NULL, TMP, NULL, 10000};
    cy_error_t err;
    char stale[300];
    const char *fail[] = {input("fail.docx")};
    assert_int_equal(doc_pdf_convert(&o, fail, 1, out_dir(), &err), CY_EIO);
    assert_string_equal(err.code, "office_failed");
    assert_non_null(strstr(err.message, "could not be loaded"));
    snprintf(stale, sizeof stale, "%s/silent.pdf", out_dir());
    write_file(out_dir(), "silent.pdf", "an old conversion");
    const char *silent[] = {input("silent.docx")};
    assert_int_equal(doc_pdf_convert(&o, silent, 1, out_dir(), &err), CY_EIO);
    assert_string_equal(err.code, "office_failed");
    assert_non_null(strstr(err.message, "did not write"));
    assert_int_equal(access(stale, F_OK), -1);
    /* inputs and paths refused before anything runs */
    mkdir(tmp_path("x"), 0700);
    const char *twins[] = {input("a.docx"), input("x/a.docx")};
    assert_int_equal(doc_pdf_convert(&o, twins, 2, out_dir(), &err), CY_EINVAL);
    assert_string_equal(err.code, "office_input");
    assert_int_equal(doc_pdf_convert(&o, twins, 0, out_dir(), &err), CY_EINVAL);
    const char *works[] = {"tmp", "/tmp/with space", "/tmp/quote'"};
    for (int i = 0; i < 3; i++) {
        doc_convert_opts_t w = {FAKE, NULL, works[i], NULL, 1000};
        assert_int_equal(doc_pdf_convert(&w, twins, 1, out_dir(), &err), CY_EINVAL);
        assert_string_equal(err.code, "office_input");
    }
}

/* 1 when process pid is gone or a zombie waiting for its parent (init) to reap it. */
static int
process_dead(pid_t pid)
{
    char path[64], stat[256] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 1;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *close = strrchr(stat, ')');
    return close != NULL && (close[2] == 'Z' || close[2] == 'X');
}

CY_TEST(test_convert_times_out_and_kills_the_whole_group)
{
    (void)state;
    doc_convert_opts_t o = {FAKE, NULL, TMP, NULL, 400};
    cy_error_t err;
    const char *hang[] = {input("hang.docx")};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(doc_pdf_convert(&o, hang, 1, out_dir(), &err), CY_EIO);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_string_equal(err.code, "office_timeout");
    assert_non_null(strstr(err.message, "400 ms"));
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(s >= 0.4 && s < 3.0);
    char path[300];
    snprintf(path, sizeof path, "%s/hang.pid", out_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int pid = 0;
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    struct timespec pause = {0, 100000000};
    for (int i = 0; i < 20 && !process_dead(pid);
         i++) /* SIGKILL is delivered at once; give it a moment */
        nanosleep(&pause, NULL);
    assert_true(process_dead(pid)); /* the grandchild of the group, not only soffice */
}
