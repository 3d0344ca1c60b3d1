/*
 * test_docs_app.c — the pilot's documents as use cases (app/docs/): a
 * scheme, an Annex 2 and an Annex 4 plan and the package that carries them,
 * made through the pilot's use cases under the made-up 2031 round
 * (tests/data/rounds/2031.json), rendered as DOCX and XLSX and read back
 * with libzip: the filled values are there, the same record gives the same
 * bytes, a record outside the caller's sight is 404, a format the record
 * lacks is 400 on "format". PDFs: converted in process (the command line's
 * way) and through the job and the cache (a server's), with the stand-in
 * tests/doc/fake-soffice.sh (it copies the DOCX) and with a LibreOffice
 * that is not there (503, then a new try after DOCS_PDF_RETRY_S).
 *
 * Test code: cmocka, jansson, libzip, libsodium and the library.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <sodium.h>

#include "app/docs/docs.h"
#include "app/jobs.h"
#include "fixture.h"

/* Render what/id/round as format as caller a at now; the status, err and f the caller's. */
static cy_status_t
render(app_t *app, const actor_t *a, docs_kind_t what, int64_t id, docs_format_t format,
       docs_file_t *f, cy_error_t *err)
{
    docs_request_t r = {what, id, "2031", format};
    return app_docs_render(app, a, at("2031-06-01"), &r, f, err);
}

/* The SHA-256 of f's bytes computed here, to compare with what the module says. */
static void
sha256_of(const docs_file_t *f, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, f->data, f->size);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

CY_TEST_FIXTURE(test_scheme_docx_as_its_lead_and_404_outside_its_sight, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    int64_t id = scheme(app, "工控安全综合保险服务方案");
    actor_t sec = who(app, "secfirm"), hz = who(app, "ent-hz");
    docs_file_t f, g;
    cy_error_t err;
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_DOCX, &f, &err), CY_OK);
    char name[64], hex[65];
    snprintf(name, sizeof name, "scheme-%lld.docx", (long long)id);
    assert_string_equal(f.filename, name);
    assert_string_equal(f.media_type,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    sha256_of(&f, hex);
    assert_string_equal(f.sha256, hex);
    char *xml = unzip(f.data, f.size, "word/document.xml");
    const char *filled[] = {"工控安全综合保险服务方案",
                            "羊城示范网络安全技术有限公司（演示）",
                            "91440106895ANBKF5M",
                            "广东省广州市",
                            "南方示范财产保险股份有限公司（演示）",
                            "赵总",
                            "王总",
                            "高新技术企业证书",
                            "网络安全保险条款"};
    for (size_t i = 0; i < sizeof filled / sizeof filled[0]; i++)
        if (strstr(xml, filled[i]) == NULL)
            fail_msg("%s is not in the scheme's DOCX", filled[i]);
    free(xml);
    /* the same record gives the same bytes (the PDF cache depends on it) */
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_DOCX, &g, &err), CY_OK);
    assert_int_equal(g.size, f.size);
    assert_memory_equal(g.data, f.data, f.size);
    app_docs_file_free(&f);
    app_docs_file_free(&g);

    /* an enterprise of Hangzhou does not see a Guangzhou draft: 404 as on its page */
    assert_int_equal(render(app, &hz, DOCS_SCHEME, id, DOCS_DOCX, &f, &err), CY_ENOTFOUND);
    assert_string_equal(err.field, "id");
    assert_null(f.data);
    /* a scheme has no workbook */
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_XLSX, &f, &err), CY_EBADREQ);
    assert_string_equal(err.code, "format_unavailable");
    assert_string_equal(err.field, "format");
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id + 1000, DOCS_DOCX, &f, &err), CY_ENOTFOUND);
}

CY_TEST_FIXTURE(test_plans_and_their_package_as_docx_and_xlsx, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t hzc = who(app, "hz-city"), ent = who(app, "ent-hz"), sec = who(app, "secfirm");
    int64_t p4 = plan(app, 4, "杭州电商企业试点工作方案"), p2 = plan(app, 2, "杭州市试点工作方案");
    docs_file_t f;
    cy_error_t err;

    /* Annex 4: the author organisation fills 基本信息; it has no tables */
    assert_int_equal(render(app, &ent, DOCS_PLAN, p4, DOCS_DOCX, &f, &err), CY_OK);
    char *xml = unzip(f.data, f.size, "word/document.xml");
    assert_non_null(strstr(xml, "杭州电商企业试点工作方案"));
    assert_non_null(strstr(xml, "杭州示范电子商务有限公司（演示）"));
    assert_non_null(strstr(xml, "913301067688W4TD2Y"));
    assert_non_null(strstr(xml, "浙江省杭州市"));
    assert_non_null(strstr(
        xml, "pilot@enthz.example.cn")); /* its own e-mail: the author sees its own contacts */
    assert_non_null(strstr(xml, "12,345.67")); /* 单价保费 in 元 */
    free(xml);
    app_docs_file_free(&f);
    assert_int_equal(render(app, &ent, DOCS_PLAN, p4, DOCS_XLSX, &f, &err), CY_EBADREQ);
    assert_string_equal(err.field, "format");

    /* Annex 2: 表1–表3 as a workbook */
    assert_int_equal(render(app, &hzc, DOCS_PLAN, p2, DOCS_XLSX, &f, &err), CY_OK);
    assert_string_equal(f.media_type,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    xml = unzip(f.data, f.size, "xl/sharedStrings.xml");
    assert_non_null(strstr(xml, "西湖示范网络安全服务中心"));
    assert_non_null(strstr(xml, "钱塘示范制造有限公司"));
    assert_non_null(strstr(xml, "工业互联网")); /* 表2's industry by its name, not its code */
    assert_null(strstr(xml, "industrial_internet"));
    free(xml);
    app_docs_file_free(&f);

    /* the city's package: the cover list, then each plan's own form; their tables flattened */
    int64_t ids[] = {p2, p4};
    json_t *out = NULL;
    assert_int_equal(app_package_create(app, &hzc, at("2031-02-02"), "2031", ids, 2, &out, &err),
                     CY_OK);
    int64_t k = id_of(out);
    assert_int_equal(render(app, &hzc, DOCS_PACKAGE, k, DOCS_DOCX, &f, &err), CY_OK);
    xml = unzip(f.data, f.size, "word/document.xml");
    const char *first = strstr(xml, "杭州市试点工作方案"),
               *second = strstr(xml, "杭州电商企业试点工作方案");
    assert_non_null(first);
    assert_non_null(second);
    assert_non_null(strstr(xml, "钱塘示范制造有限公司")); /* the Annex 2's 表2, in the package */
    assert_non_null(strstr(xml, "工业互联网"));
    assert_null(strstr(xml, "industrial_internet"));
    assert_non_null(strstr(xml, "913301067688W4TD2Y")); /* the Annex 4's 基本信息 */
    free(xml);
    app_docs_file_free(&f);
    assert_int_equal(render(app, &hzc, DOCS_PACKAGE, k, DOCS_XLSX, &f, &err), CY_OK);
    xml = unzip(f.data, f.size, "xl/sharedStrings.xml");
    assert_non_null(strstr(xml, "附：杭州服务方案"));
    assert_non_null(strstr(xml, "杭州电商企业试点工作方案")); /* each row names its plan */
    free(xml);
    app_docs_file_free(&f);
    /* a service organisation of Guangzhou sees neither */
    assert_int_equal(render(app, &sec, DOCS_PACKAGE, k, DOCS_DOCX, &f, &err), CY_ENOTFOUND);
    assert_int_equal(render(app, &sec, DOCS_PLAN, p2, DOCS_XLSX, &f, &err), CY_ENOTFOUND);
}

CY_TEST_FIXTURE(test_overdue_workbook_is_the_authorities_and_needs_a_round, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t hzc = who(app, "hz-city"), ent = who(app, "ent-hz");
    docs_file_t f;
    cy_error_t err;
    assert_int_equal(render(app, &hzc, DOCS_OVERDUE, 0, DOCS_XLSX, &f, &err), CY_OK);
    assert_string_equal(f.filename, "overdue-2031.xlsx");
    char *xml = unzip(f.data, f.size, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(xml, "<pane")); /* the header row is frozen */
    free(xml);
    app_docs_file_free(&f);
    assert_int_equal(render(app, &ent, DOCS_OVERDUE, 0, DOCS_XLSX, &f, &err), CY_EFORBIDDEN);
    assert_int_equal(render(app, &hzc, DOCS_OVERDUE, 0, DOCS_DOCX, &f, &err), CY_EBADREQ);
    assert_string_equal(err.field, "format");
    docs_request_t r = {DOCS_OVERDUE, 0, "2030", DOCS_XLSX};
    assert_int_equal(app_docs_render(app, &hzc, at("2031-06-01"), &r, &f, &err), CY_ENOTFOUND);
    assert_string_equal(err.field, "round_id");
    /* the catalogue of the round: empty before anything is published, yet a document */
    r = (docs_request_t){DOCS_CATALOGUE, 0, "2031", DOCS_DOCX};
    assert_int_equal(app_docs_render(app, &ent, at("2031-06-01"), &r, &f, &err), CY_OK);
    xml = unzip(f.data, f.size, "word/document.xml");
    assert_non_null(strstr(xml, "2031年网络安全保险服务试点（测试用）"));
    free(xml);
    app_docs_file_free(&f);
}

/* In process: the fake LibreOffice's "PDF" is the DOCX; a missing one is 503 on format. */
CY_TEST_FIXTURE(test_pdf_in_process_and_without_libreoffice, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    int64_t id = scheme(app, "进程内转换方案");
    actor_t sec = who(app, "secfirm");
    docs_file_t docx, pdf;
    cy_error_t err;
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_DOCX, &docx, &err), CY_OK);
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_PDF, &pdf, &err), CY_OK);
    assert_string_equal(pdf.media_type, "application/pdf");
    assert_string_equal(pdf.sha256, docx.sha256);
    app_docs_file_free(&pdf);
    app->cfg.soffice = "/nonexistent/soffice";
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_PDF, &pdf, &err), CY_EUNAVAIL);
    assert_string_equal(err.code, "office_missing");
    assert_string_equal(err.field, "format");
    assert_null(pdf.data);
    /* DOCX and XLSX need no LibreOffice */
    app_docs_file_free(&docx);
    assert_int_equal(render(app, &sec, DOCS_SCHEME, id, DOCS_DOCX, &docx, &err), CY_OK);
    app_docs_file_free(&docx);
    app->cfg.soffice = FAKE_SOFFICE;
}

static void
no_progress(void *ctx, int permille)
{
    (void)ctx;
    (void)permille;
}

/* Claim the one queued job at now and run it as a worker would; its status. */
static cy_status_t
run_job(app_t *app, int64_t now, int64_t expect_id)
{
    job_t job;
    int found = 0;
    cy_error_t err, ferr;
    assert_int_equal(app_job_claim(app, "test", now, 300, &job, &found, &err), CY_OK);
    assert_true(found);
    assert_int_equal(job.id, expect_id);
    assert_string_equal(job.kind, "document.pdf");
    char *result = NULL;
    cy_status_t st = app_docs_pdf_job(app, &job, &result, no_progress, NULL, &err);
    assert_int_equal(
        app_job_finish(app, job.id, "test", result, st == CY_OK ? NULL : &err, now, NULL, &ferr),
        CY_OK);
    free(result);
    app_job_free(&job);
    return st;
}

/* A server: queued, the same job while pending, cached once done; a failure answers 503. */
CY_TEST_FIXTURE(test_pdf_through_a_job_and_the_cache, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    int64_t id = scheme(app, "后台转换方案");
    actor_t sec = who(app, "secfirm"), ins = who(app, "insurer");
    docs_request_t r = {DOCS_SCHEME, id, NULL, DOCS_PDF};
    int64_t t0 = at("2031-06-01 10:00");
    docs_file_t f, docx;
    cy_error_t err;
    assert_int_equal(app_docs_get(app, &sec, t0, &r, &f, &err), CY_OK);
    assert_null(f.data);
    assert_string_equal(f.job_status, "queued");
    char name[64];
    snprintf(name, sizeof name, "scheme-%lld.pdf", (long long)id);
    assert_string_equal(f.filename, name);
    int64_t job = f.job_id;
    assert_true(job > 0);
    /* asked again, by another unit of the scheme: the same job, not a second one */
    assert_int_equal(app_docs_get(app, &ins, t0 + 1, &r, &f, &err), CY_OK);
    assert_int_equal(f.job_id, job);
    assert_int_equal(run_job(app, t0 + 2, job), CY_OK);
    assert_int_equal(app_docs_get(app, &sec, t0 + 3, &r, &f, &err), CY_OK);
    assert_non_null(f.data);
    r.format = DOCS_DOCX;
    assert_int_equal(app_docs_get(app, &sec, t0 + 3, &r, &docx, &err), CY_OK);
    assert_int_equal(f.size, docx.size); /* the fake's PDF is the DOCX itself */
    assert_memory_equal(f.data, docx.data, f.size);
    app_docs_file_free(&f);
    app_docs_file_free(&docx);

    /* LibreOffice gone: the job fails, the PDF is 503 for DOCS_PDF_RETRY_S, then tried again */
    int64_t id2 = scheme(app, "无法转换方案");
    r = (docs_request_t){DOCS_SCHEME, id2, NULL, DOCS_PDF};
    app->cfg.soffice = "/nonexistent/soffice";
    assert_int_equal(app_docs_get(app, &sec, t0, &r, &f, &err), CY_OK);
    job = f.job_id;
    assert_int_equal(run_job(app, t0 + 5, job), CY_EUNAVAIL);
    assert_int_equal(app_docs_get(app, &sec, t0 + 5 + DOCS_PDF_RETRY_S - 1, &r, &f, &err),
                     CY_EUNAVAIL);
    assert_string_equal(err.code, "pdf_unavailable");
    assert_string_equal(err.field, "format");
    /* one " / " between the Chinese and the English, the reason's halves each in its own */
    assert_non_null(strstr(err.message,
                           "请安装 libreoffice-writer-nogui（scripts/install-deps.sh） "
                           "/ the PDF cannot be made now"));
    assert_non_null(strstr(err.message, "s: LibreOffice (/nonexistent/soffice) not found"));
    assert_int_equal(app_docs_get(app, &sec, t0 + 5 + DOCS_PDF_RETRY_S, &r, &f, &err), CY_OK);
    assert_null(f.data);
    assert_true(f.job_id > job);
    app->cfg.soffice = FAKE_SOFFICE;
    assert_int_equal(run_job(app, t0 + 70, f.job_id), CY_OK);
    assert_int_equal(app_docs_get(app, &sec, t0 + 71, &r, &f, &err), CY_OK);
    assert_non_null(f.data);
    app_docs_file_free(&f);
}
