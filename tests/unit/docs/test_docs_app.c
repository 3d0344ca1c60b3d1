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
#include <cmocka.h>

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <jansson.h>

#include "app/app.h"
#include "app/docs/docs.h"
#include "app/identity/demo.h"
#include "app/identity/org.h"
#include "app/identity/user.h"
#include "app/jobs.h"
#include "app/pilot/pilot.h"
#include "core/bjtime.h"

#ifndef CY_SOURCE_DIR
#error "CY_SOURCE_DIR must name the source tree"
#endif

#define FAKE_SOFFICE CY_SOURCE_DIR "/tests/doc/fake-soffice.sh"

typedef struct {
    char dir[64];
    app_t *app;
} fixture_t;

/* data/ linked entry by entry, but rounds/ holding only the 2031 fixture. */
static void
data_dir_2031(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/cy-docs-XXXXXX");
    assert_non_null(mkdtemp(dir));
    DIR *d = opendir(CY_SOURCE_DIR "/data");
    assert_non_null(d);
    char from[512], to[512];
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] != '.' && strcmp(e->d_name, "rounds") != 0) {
            snprintf(from, sizeof from, CY_SOURCE_DIR "/data/%s", e->d_name);
            snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
            assert_int_equal(symlink(from, to), 0);
        }
    }
    closedir(d);
    snprintf(to, sizeof to, "%s/rounds", dir);
    assert_int_equal(mkdir(to, 0755), 0);
    snprintf(to, sizeof to, "%s/rounds/2031.json", dir);
    assert_int_equal(symlink(CY_SOURCE_DIR "/tests/data/rounds/2031.json", to), 0);
}

static int
setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    data_dir_2031(fx->dir, sizeof fx->dir);
    char db[128];
    snprintf(db, sizeof db, "sqlite:%s/t.db", fx->dir);
    app_config_t cfg = {.db_url = db,
                        .data_dir = fx->dir,
                        .pool_size = 1,
                        .migrate = 1,
                        .soffice = FAKE_SOFFICE,
                        .tmp_dir = fx->dir};
    cy_error_t err;
    demo_result_t res;
    actor_t op;
    actor_cli(&op, "test");
    if (app_open(&cfg, &fx->app, &err) != CY_OK ||
        app_demo_load(fx->app, &op, CY_SOURCE_DIR "/data/demo/demo.json", NULL, &res, &err) !=
            CY_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *fx = *state;
    app_close(fx->app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

/* The caller a demo login would be. */
static actor_t
who(app_t *app, const char *username)
{
    actor_t cli, a = {0};
    actor_cli(&cli, "test");
    cy_error_t err;
    user_t u;
    org_t o;
    assert_int_equal(app_user_find(app, username, &a.user_id, &err), CY_OK);
    assert_int_equal(app_user_get(app, &cli, a.user_id, &u, &err), CY_OK);
    assert_int_equal(app_org_get(app, &cli, u.org_id, &o, &err), CY_OK);
    a.org_id = u.org_id;
    a.org_type = o.type;
    a.role = u.role;
    snprintf(a.username, sizeof a.username, "%s", username);
    snprintf(a.region, sizeof a.region, "%s", o.region_code);
    return a;
}

static int64_t
at(const char *s)
{
    int64_t t;
    assert_int_equal(bjtime_parse(s, &t, NULL), CY_OK);
    return t;
}

/* n 字 of one repeated phrase. */
static json_t *
zh(size_t n)
{
    static const char *const CH[] = {"核", "保", "承", "理", "赔", "防", "灾", "减", "损", "险"};
    char buf[3 * 200 + 1] = "";
    for (size_t i = 0; i < n && i < 200; i++)
        strcat(buf, CH[i % 10]);
    return json_string(buf);
}

static int64_t
id_of(json_t *o)
{
    int64_t id = json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    return id;
}

/* A 2031 scheme of 120 字 named name by secfirm, the insurer its joint unit, both confirmed. */
static int64_t
scheme(app_t *app, const char *name)
{
    actor_t sec = who(app, "secfirm"), ins = who(app, "insurer");
    json_t *form = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:[{s:s, s:s, s:s}], s:{s:o, s:o, s:o, "
        "s:[{s:o, s:o}], s:o}, s:{s:[s], s:[s]}}",
        "name", name, "location", "广东省", "leader_name", "李明", "leader_title", "经理",
        "direction", "product_service", "product", "edr", "unit_intro", zh(20), "overview", zh(30),
        "joint_units", "name", "南方示范财产保险股份有限公司（演示）", "nature", "state_controlled",
        "uscc", "91440300862QA4XF61", "body", "background", zh(30), "service", zh(30), "team",
        zh(20), "cases", "title", zh(5), "text", zh(20), "promotion", zh(15), "materials", "unit",
        "高新技术企业证书", "scheme", "网络安全保险条款");
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(app_scheme_create(app, &sec, at("2031-01-05"), "2031", form, &out, &err),
                     CY_OK);
    json_decref(form);
    int64_t id = id_of(out);
    assert_int_equal(app_scheme_confirm(app, &sec, at("2031-01-05"), id, "赵总", &out, &err),
                     CY_OK);
    json_decref(out);
    assert_int_equal(app_scheme_confirm(app, &ins, at("2031-01-05"), id, "王总", &out, &err),
                     CY_OK);
    json_decref(out);
    return id;
}

/* A 2031 plan of annex 2 (by hz-city) or 4 (by ent-hz), submitted at 2031-02-01. */
static int64_t
plan(app_t *app, int annex, const char *name)
{
    json_t *att =
        json_pack("[{s:s, s:o, s:o, s:o, s:I, s:I}]", "name", "附：杭州服务方案", "institutions",
                  zh(20), "process", zh(20), "security", zh(10), "unit_premium_fen",
                  (json_int_t)1234567, "sum_insured_fen", (json_int_t)500000000);
    json_t *form =
        annex == 2
            ? json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:o, s:o, s:o}, s:[{s:s, s:s}], "
                        "s:[{s:s, s:s}], s:o}",
                        "name", name, "leader", "name", "张处长", "title", "处长", "contact",
                        "name", "陈科长", "phone", "0571-1", "sections", "approach", zh(20),
                        "arrangement", zh(20), "organisation", zh(20), "institutions", "name",
                        "西湖示范网络安全服务中心", "role", "风险评估", "targets", "name",
                        "钱塘示范制造有限公司", "industry", "工业互联网", "schemes", att)
            : json_pack("{s:s, s:s, s:s, s:o, s:[{s:s, s:s, s:s}], s:{s:o, s:o, s:o}, s:o}", "name",
                        name, "direction", "product_service", "product", "edr", "unit_intro",
                        zh(10), "joint_units", "name", "南方示范财产保险股份有限公司（演示）",
                        "nature", "state_controlled", "uscc", "91440300862QA4XF61", "sections",
                        "it_status", zh(20), "security_status", zh(20), "insurance_needs", zh(20),
                        "schemes", att);
    actor_t a = who(app, annex == 2 ? "hz-city" : "ent-hz");
    pilot_draft_t in = {"2031", annex, 0, form};
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(app_plan_create(app, &a, at("2031-02-01"), &in, &out, &err), CY_OK);
    json_decref(form);
    int64_t id = id_of(out);
    if (annex == 4) {
        actor_t ins = who(app, "insurer");
        assert_int_equal(app_plan_confirm(app, &a, at("2031-02-01"), id, "吴总", &out, &err),
                         CY_OK);
        json_decref(out);
        assert_int_equal(app_plan_confirm(app, &ins, at("2031-02-01"), id, "王总", &out, &err),
                         CY_OK);
        json_decref(out);
    }
    cy_status_t st = app_plan_submit(app, &a, at("2031-02-01 10:00"), id, &out, &err);
    if (st != CY_OK)
        fail_msg("submit: %s [%s]", err.message, err.field);
    json_decref(out);
    return id;
}

/* One entry of a zip file as text (malloc'd). */
static char *
unzip(const docs_file_t *f, const char *entry)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(f->data, f->size, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    assert_non_null(z);
    zip_stat_t zs;
    assert_int_equal(zip_stat(z, entry, 0, &zs), 0);
    char *text = calloc(1, zs.size + 1);
    zip_file_t *zf = zip_fopen(z, entry, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, text, zs.size), (zip_int64_t)zs.size);
    zip_fclose(zf);
    zip_close(z);
    zip_error_fini(&ze);
    return text;
}

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

static void
test_scheme_docx_as_its_lead_and_404_outside_its_sight(void **state)
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
    char *xml = unzip(&f, "word/document.xml");
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

static void
test_plans_and_their_package_as_docx_and_xlsx(void **state)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t hzc = who(app, "hz-city"), ent = who(app, "ent-hz"), sec = who(app, "secfirm");
    int64_t p4 = plan(app, 4, "杭州电商企业试点工作方案"), p2 = plan(app, 2, "杭州市试点工作方案");
    docs_file_t f;
    cy_error_t err;

    /* Annex 4: the author organisation fills 基本信息; it has no tables */
    assert_int_equal(render(app, &ent, DOCS_PLAN, p4, DOCS_DOCX, &f, &err), CY_OK);
    char *xml = unzip(&f, "word/document.xml");
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
    xml = unzip(&f, "xl/sharedStrings.xml");
    assert_non_null(strstr(xml, "西湖示范网络安全服务中心"));
    assert_non_null(strstr(xml, "钱塘示范制造有限公司"));
    free(xml);
    app_docs_file_free(&f);

    /* the city's package: the cover list, then each plan's own form; their tables flattened */
    int64_t ids[] = {p2, p4};
    json_t *out = NULL;
    assert_int_equal(app_package_create(app, &hzc, at("2031-02-02"), "2031", ids, 2, &out, &err),
                     CY_OK);
    int64_t k = id_of(out);
    assert_int_equal(render(app, &hzc, DOCS_PACKAGE, k, DOCS_DOCX, &f, &err), CY_OK);
    xml = unzip(&f, "word/document.xml");
    const char *first = strstr(xml, "杭州市试点工作方案"),
               *second = strstr(xml, "杭州电商企业试点工作方案");
    assert_non_null(first);
    assert_non_null(second);
    assert_non_null(strstr(xml, "钱塘示范制造有限公司")); /* the Annex 2's 表2, in the package */
    assert_non_null(strstr(xml, "913301067688W4TD2Y"));   /* the Annex 4's 基本信息 */
    free(xml);
    app_docs_file_free(&f);
    assert_int_equal(render(app, &hzc, DOCS_PACKAGE, k, DOCS_XLSX, &f, &err), CY_OK);
    xml = unzip(&f, "xl/sharedStrings.xml");
    assert_non_null(strstr(xml, "附：杭州服务方案"));
    assert_non_null(strstr(xml, "杭州电商企业试点工作方案")); /* each row names its plan */
    free(xml);
    app_docs_file_free(&f);
    /* a service organisation of Guangzhou sees neither */
    assert_int_equal(render(app, &sec, DOCS_PACKAGE, k, DOCS_DOCX, &f, &err), CY_ENOTFOUND);
    assert_int_equal(render(app, &sec, DOCS_PLAN, p2, DOCS_XLSX, &f, &err), CY_ENOTFOUND);
}

static void
test_overdue_workbook_is_the_authorities_and_needs_a_round(void **state)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t hzc = who(app, "hz-city"), ent = who(app, "ent-hz");
    docs_file_t f;
    cy_error_t err;
    assert_int_equal(render(app, &hzc, DOCS_OVERDUE, 0, DOCS_XLSX, &f, &err), CY_OK);
    assert_string_equal(f.filename, "overdue-2031.xlsx");
    char *xml = unzip(&f, "xl/worksheets/sheet1.xml");
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
    xml = unzip(&f, "word/document.xml");
    assert_non_null(strstr(xml, "2031年网络安全保险服务试点（测试用）"));
    free(xml);
    app_docs_file_free(&f);
}

/* In process: the fake LibreOffice's "PDF" is the DOCX; a missing one is 503 on format. */
static void
test_pdf_in_process_and_without_libreoffice(void **state)
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
    assert_int_equal(app_job_finish(app, job.id, result, st == CY_OK ? NULL : &err, now, &ferr),
                     CY_OK);
    free(result);
    app_job_free(&job);
    return st;
}

/* A server: queued, the same job while pending, cached once done; a failure answers 503. */
static void
test_pdf_through_a_job_and_the_cache(void **state)
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
    assert_non_null(strstr(err.message, "libreoffice-writer-nogui"));
    assert_int_equal(app_docs_get(app, &sec, t0 + 5 + DOCS_PDF_RETRY_S, &r, &f, &err), CY_OK);
    assert_null(f.data);
    assert_true(f.job_id > job);
    app->cfg.soffice = FAKE_SOFFICE;
    assert_int_equal(run_job(app, t0 + 70, f.job_id), CY_OK);
    assert_int_equal(app_docs_get(app, &sec, t0 + 71, &r, &f, &err), CY_OK);
    assert_non_null(f.data);
    app_docs_file_free(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scheme_docx_as_its_lead_and_404_outside_its_sight,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_plans_and_their_package_as_docx_and_xlsx, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_overdue_workbook_is_the_authorities_and_needs_a_round,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_in_process_and_without_libreoffice, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pdf_through_a_job_and_the_cache, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
