/*
 * fixture.h — what the tests of app/docs/ and of the pilot's paper share:
 * an app on SQLite over a data folder whose only round is the made-up 2031
 * one (tests/data/rounds/2031.json) with a "filing" that judges the paper
 * of packages at the province, the demo organisations, the caller a demo
 * login would be, and plans made through the pilot's use cases. Included by
 * one test file each (static functions).
 */
#ifndef CY_TEST_DOCS_FIXTURE_H
#define CY_TEST_DOCS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "app/app.h"
#include "app/identity/identity.h"
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

static inline int64_t
at(const char *s)
{
    int64_t t;
    assert_int_equal(bjtime_parse(s, &t, NULL), CY_OK);
    return t;
}

/* The filing of the fixture's round: three copies, the paper of packages judged at the province. */
static inline json_t *
filing_2031(void)
{
    return json_pack("{s:s, s:i, s:[s], s:[], s:[]}", "source", "test fixture", "paper_copies", 3,
                     "paper_judged", "package_at_province", "seal_scans", "material_copies");
}

/* data/ linked entry by entry, but rounds/ holding only the 2031 fixture with filing (stolen). */
static inline void
data_dir_2031(char *dir, size_t cap, json_t *filing)
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
    json_t *round = json_load_file(CY_SOURCE_DIR "/tests/data/rounds/2031.json", 0, NULL);
    assert_non_null(round);
    json_object_set_new(round, "filing", filing);
    snprintf(to, sizeof to, "%s/rounds/2031.json", dir);
    assert_int_equal(json_dump_file(round, to, JSON_INDENT(2)), 0);
    json_decref(round);
}

/* The fixture over a 2031 round whose "filing" is filing (stolen). */
static inline int
setup_filing(void **state, json_t *filing)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    data_dir_2031(fx->dir, sizeof fx->dir, filing);
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
        app_demo_load(fx->app, &op, at("2031-01-01"), CY_SOURCE_DIR "/data/demo/demo.json", NULL,
                      &res, &err) != CY_OK) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    *state = fx;
    return 0;
}

static inline int
setup(void **state)
{
    return setup_filing(state, filing_2031());
}

static inline int
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
static inline actor_t
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

/* n 字 of one repeated phrase. */
static inline json_t *
zh(size_t n)
{
    static const char *const CH[] = {"核", "保", "承", "理", "赔", "防", "灾", "减", "损", "险"};
    char buf[3 * 200 + 1] = "";
    for (size_t i = 0; i < n && i < 200; i++)
        strcat(buf, CH[i % 10]);
    return json_string(buf);
}

static inline int64_t
id_of(json_t *o)
{
    int64_t id = json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    return id;
}

/* A 2031 scheme of 120 字 named name by secfirm, the insurer its joint unit, both confirmed. */
static inline int64_t
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

/* A 2031 plan of annex 2 (by hz-city) or 4 (by ent-hz), its units confirmed, not submitted. */
static inline int64_t
plan_draft(app_t *app, int annex, const char *name)
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
                        "钱塘示范制造有限公司", "industry", "industrial_internet", "schemes", att)
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
    if (app_plan_create(app, &a, at("2031-02-01"), &in, &out, &err) != CY_OK)
        fail_msg("create: %s [%s]", err.message, err.field);
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
    return id;
}

/* The same, submitted at 2031-02-01 10:00. */
static inline int64_t
plan(app_t *app, int annex, const char *name)
{
    int64_t id = plan_draft(app, annex, name);
    actor_t a = who(app, annex == 2 ? "hz-city" : "ent-hz");
    json_t *out = NULL;
    cy_error_t err;
    cy_status_t st = app_plan_submit(app, &a, at("2031-02-01 10:00"), id, &out, &err);
    if (st != CY_OK)
        fail_msg("submit: %s [%s]", err.message, err.field);
    json_decref(out);
    return id;
}

/* One entry of a zip file as text (malloc'd). */
static inline char *
unzip(const void *data, size_t size, const char *entry)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, size, 0, &ze);
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

#endif
