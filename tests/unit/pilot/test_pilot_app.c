/*
 * test_pilot_app.c — the pilot programme's use cases (app/pilot/) on SQLite
 * under tests/data/rounds/2031.json, a made-up round whose every date and
 * limit differs from 2024's: with only that file in the data folder, the
 * rules follow it (2 joint units, 1 scheme per lead, 120 字, a deadline at the
 * city, Zhejiang's own package date), so no 2024 number sits in C. Also: a
 * broken round or criteria file stops start-up naming file, line and field;
 * the test clock is honoured only when enabled; the pilot's demo file marks
 * the telecom operator; lists page by id and refuse a malformed filter.
 *
 * Test code: cmocka, jansson and the library; builds its data folders under
 * /tmp (links to the source tree's data/).
 */
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
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "app/app.h"
#include "app/identity/identity.h"
#include "app/pilot/pilot.h"
#include "core/bjtime.h"

#ifndef CY_SOURCE_DIR
#error "CY_SOURCE_DIR must name the source tree"
#endif

/* A data folder: every entry of data/ linked, rounds/ holding only round_file. */
static void
make_data_dir(char *dir, size_t cap, const char *round_file, const char *round_text,
              const char *criteria_text)
{
    snprintf(dir, cap, "/tmp/cy-pilot-XXXXXX");
    assert_non_null(mkdtemp(dir));
    DIR *d = opendir(CY_SOURCE_DIR "/data");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "rounds") == 0 ||
            (criteria_text != NULL && strcmp(e->d_name, "review") == 0))
            continue;
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/data/%s", CY_SOURCE_DIR, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
        assert_int_equal(symlink(from, to), 0);
    }
    closedir(d);
    char path[512];
    snprintf(path, sizeof path, "%s/rounds", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/rounds/%s", dir, round_file);
    if (round_text == NULL) {
        char from[512];
        snprintf(from, sizeof from, "%s/tests/data/rounds/%s", CY_SOURCE_DIR, round_file);
        assert_int_equal(symlink(from, path), 0);
    } else {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(round_text, f);
        fclose(f);
    }
    if (criteria_text != NULL) {
        snprintf(path, sizeof path, "%s/review", dir);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/review/criteria.json", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(criteria_text, f);
        fclose(f);
    }
}

static void
remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

typedef struct {
    char dir[64];
    app_t *app;
} fixture_t;

/* The application on a data folder whose rounds/ holds round_file alone (made by prepare). */
static int
open_with(void **state, const char *round_file, const char *criteria_text,
          void (*prepare)(const char *dir))
{
    fixture_t *fx = calloc(1, sizeof *fx);
    make_data_dir(fx->dir, sizeof fx->dir, round_file, NULL, criteria_text);
    if (prepare != NULL)
        prepare(fx->dir);
    char db[128];
    snprintf(db, sizeof db, "sqlite:%s/t.db", fx->dir);
    app_config_t cfg = {.db_url = db, .data_dir = fx->dir, .pool_size = 1, .migrate = 1};
    cy_error_t err;
    if (app_open(&cfg, &fx->app, &err) != CY_OK) {
        fprintf(stderr, "app_open: %s\n", err.message);
        return -1;
    }
    char demo[256];
    snprintf(demo, sizeof demo, "%s/data/demo/demo.json", CY_SOURCE_DIR);
    demo_result_t res;
    actor_t op;
    actor_cli(&op, "test");
    if (app_demo_load(fx->app, &op, 1704067200 /* 2024-01-01 UTC */, demo, NULL, &res, &err) !=
        CY_OK) {
        fprintf(stderr, "demo: %s\n", err.message);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
setup(void **state)
{
    return open_with(state, "2031.json", NULL, NULL);
}

static int
teardown(void **state)
{
    fixture_t *fx = *state;
    app_close(fx->app);
    remove_dir(fx->dir);
    free(fx);
    return 0;
}

/* The caller a demo login would be. */
static actor_t
who(app_t *app, const char *username)
{
    actor_t cli, a;
    actor_cli(&cli, "test");
    memset(&a, 0, sizeof a);
    cy_error_t err;
    int64_t uid;
    assert_int_equal(app_user_find(app, username, &uid, &err), CY_OK);
    user_t u;
    assert_int_equal(app_user_get(app, &cli, uid, &u, &err), CY_OK);
    org_t o;
    assert_int_equal(app_org_get(app, &cli, u.org_id, &o, &err), CY_OK);
    a.user_id = uid;
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

/* n 字 of Chinese text. */
static json_t *
zh(size_t n)
{
    static const char *const CH[] = {"核", "保", "承", "理", "赔", "防", "灾", "减", "损", "险"};
    char *buf = malloc(n * 3 + 1);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(buf, CH[i % 10]);
    json_t *s = json_string(buf);
    free(buf);
    return s;
}

#define INSURER_UNIT                                                                               \
    json_pack("{s:s, s:s, s:s}", "name", "南方示范财产保险股份有限公司（演示）", "nature",         \
              "state_controlled", "uscc", "91440300862QA4XF61")

/* A 2031 scheme's form: a body of exactly body 字 (1 case), joint units given. */
static json_t *
scheme_body(size_t body, json_t *joint)
{
    size_t rest = body - (30 + 30 + 20 + 5 + 20);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:[{s:o, s:o}], "
        "s:o}, s:{s:[s], s:[s]}}",
        "name", "测试方案", "location", "广东省", "leader_name", "李明", "leader_title", "经理",
        "direction", "product_service", "product", "edr", "unit_intro", zh(20), "overview", zh(30),
        "joint_units", joint, "body", "background", zh(30), "service", zh(30), "team", zh(20),
        "cases", "title", zh(5), "text", zh(20), "promotion", zh(rest), "materials", "unit",
        "资质证明", "scheme", "保险条款");
}

/* A 2031 scheme drafted by lead at t from form (consumed); its id. */
static int64_t
draft_scheme(app_t *app, const actor_t *lead, int64_t t, json_t *form)
{
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(app_scheme_create(app, lead, t, "2031", form, &out, &err), CY_OK);
    json_decref(form);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return id;
}

/* The admins of the lead and of the insurer confirm scheme id at t. */
static void
confirm_scheme(app_t *app, const actor_t *lead, const actor_t *ins, int64_t t, int64_t id)
{
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(app_scheme_confirm(app, lead, t, id, "赵总", &out, &err), CY_OK);
    json_decref(out);
    assert_int_equal(app_scheme_confirm(app, ins, t, id, "王总", &out, &err), CY_OK);
    json_decref(out);
}

CY_TEST_FIXTURE(test_only_the_2031_round_is_loaded, setup, teardown)
{
    fixture_t *fx = *state;
    json_t *items = NULL;
    cy_error_t err;
    assert_int_equal(app_round_list(fx->app, &items, &err), CY_OK);
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")), "2031");
    json_decref(items);
    json_t *r = NULL;
    assert_int_equal(app_round_get(fx->app, "2024", &r, &err), CY_ENOTFOUND);
    assert_null(r);
    assert_int_equal(app_round_get(fx->app, "2031", &r, &err), CY_OK);
    json_t *lim = json_object_get(r, "limits");
    assert_int_equal(json_integer_value(json_object_get(lim, "joint_units_max")), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(r, "deadlines"), "plan_at_city")),
        "2031-03-01");
    json_decref(r);
}

CY_TEST_FIXTURE(test_2031_limits_and_deadline_apply_to_schemes, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t sec = who(app, "secfirm"), ins = who(app, "insurer");
    cy_error_t err;
    json_t *out = NULL;

    /* three joint units: over 2031's limit of two */
    json_t *three = json_pack("[o, {s:s, s:s, s:s}, {s:s, s:s, s:s}]", INSURER_UNIT, "name", "甲",
                              "nature", "private", "uscc", "914403001922038216", "name", "乙",
                              "nature", "private", "uscc", "91330100716105852F");
    json_t *b = scheme_body(120, three);
    assert_int_equal(app_scheme_create(app, &sec, at("2031-01-05"), "2031", b, &out, &err),
                     CY_EINVAL);
    json_decref(b);
    assert_string_equal(err.code, "joint_units_too_many");
    assert_string_equal(err.message,
                        "联合申报单位不超过2家（当前3家） / at most 2 joint units (3 given)");

    /* 119 字 refused, 120 accepted: 2031's minimum */
    int64_t id =
        draft_scheme(app, &sec, at("2031-01-05"), scheme_body(119, json_pack("[o]", INSURER_UNIT)));
    confirm_scheme(app, &sec, &ins, at("2031-01-05"), id);
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-01-06"), id, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "zishu_too_few");
    assert_string_equal(err.message,
                        "服务方案不少于120字（当前119字） / the scheme body (服务方案): "
                        "at least 120 字 (119 given)");
    json_t *patch = json_pack("{s:{s:o, s:o, s:o, s:[{s:o, s:o}], s:o}}", "body", "background",
                              zh(30), "service", zh(30), "team", zh(20), "cases", "title", zh(5),
                              "text", zh(20), "promotion", zh(15));
    assert_int_equal(app_scheme_update(app, &sec, at("2031-01-06"), id, patch, &out, &err), CY_OK);
    json_decref(patch);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "zishu"), "body")),
                     120);
    json_decref(out);
    confirm_scheme(app, &sec, &ins, at("2031-01-06"), id);
    /* the last second of 2031-02-10 is on time */
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-02-10 23:59:59"), id, &out, &err),
                     CY_OK);
    assert_string_equal(json_string_value(json_object_get(out, "deadline_at")),
                        "2031-02-10T15:59:59Z");
    json_decref(out);

    /* 2031 allows one scheme per lead; a second is refused, a late one names 2031's date */
    int64_t id2 =
        draft_scheme(app, &sec, at("2031-01-07"), scheme_body(120, json_pack("[o]", INSURER_UNIT)));
    confirm_scheme(app, &sec, &ins, at("2031-01-07"), id2);
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-01-08"), id2, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "schemes_per_lead");
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-02-11 00:00:00"), id2, &out, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "deadline_passed");
    assert_non_null(strstr(err.message, "截止时间为 2031-02-10 23:59:59"));
    assert_non_null(strstr(err.message, "2031-02-11 00:00:00"));
}

/* A 2031 Annex 2 or 4 plan's form: sections of 20 字 each, one attached scheme of 50 字. */
static json_t *
plan_body(int annex, json_t *joint)
{
    json_t *att = json_pack("[{s:s, s:o, s:o, s:o, s:I, s:I}]", "name", "附方案", "institutions",
                            zh(20), "process", zh(20), "security", zh(10), "unit_premium_fen",
                            (json_int_t)100000, "sum_insured_fen", (json_int_t)10000000);
    if (annex == 2)
        return json_pack(
            "{s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:o, s:o, s:o}, s:[{s:s}], s:[{s:s}], s:o}",
            "name", "杭州市方案", "leader", "name", "张处长", "title", "处长", "contact", "name",
            "陈科长", "phone", "0571-1", "sections", "approach", zh(20), "arrangement", zh(20),
            "organisation", zh(20), "institutions", "name", "服务机构", "targets", "name",
            "服务对象", "schemes", att);
    if (joint == NULL)
        joint = json_array();
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:o, s:o, s:o}, s:o}", "name", "企业方案",
                     "direction", "product_service", "product", "edr", "unit_intro", zh(10),
                     "joint_units", joint, "sections", "it_status", zh(20), "security_status",
                     zh(20), "insurance_needs", zh(20), "schemes", att);
}

/* A new 2031 plan of the annex with that form. */
static pilot_draft_t
plan_of(int annex, json_t *form)
{
    pilot_draft_t in = {"2031", annex, 0, form};
    return in;
}

CY_TEST_FIXTURE(test_2031_city_deadline_and_zhejiang_override, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t ent = who(app, "ent-hz"), ins = who(app, "insurer"), hz = who(app, "hz-city");
    cy_error_t err;
    json_t *out = NULL;

    json_t *b = plan_body(4, json_pack("[o]", INSURER_UNIT));
    pilot_draft_t in = plan_of(4, b);
    assert_int_equal(app_plan_create(app, &ent, at("2031-02-01"), &in, &out, &err), CY_OK);
    json_decref(b);
    int64_t p4 = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &ent, at("2031-02-01"), p4, "吴总", &out, &err), CY_OK);
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &ins, at("2031-02-01"), p4, "王总", &out, &err), CY_OK);
    json_decref(out);
    /* 2031 has a deadline at the city (2024 has none) */
    assert_int_equal(app_plan_submit(app, &ent, at("2031-03-02 08:00"), p4, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "deadline_passed");
    assert_non_null(strstr(err.message, "试点工作方案报送地市工业和信息化主管部门的截止时间为 "
                                        "2031-03-01 23:59:59"));
    assert_int_equal(app_plan_submit(app, &ent, at("2031-03-01 18:00"), p4, &out, &err), CY_OK);
    json_decref(out);

    b = plan_body(2, NULL);
    in = plan_of(2, b);
    assert_int_equal(app_plan_create(app, &hz, at("2031-03-02"), &in, &out, &err), CY_OK);
    json_decref(b);
    int64_t p2 = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    assert_int_equal(app_plan_submit(app, &hz, at("2031-03-02"), p2, &out, &err), CY_OK);
    json_decref(out);
    int64_t ids[] = {p2, p4};
    assert_int_equal(app_package_create(app, &hz, at("2031-03-03"), "2031", ids, 2, &out, &err),
                     CY_OK);
    int64_t k = json_integer_value(json_object_get(out, "id"));
    /* Zhejiang's own date, 2031-03-05, not the national 2031-03-20 */
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(out, "next"), "deadline_at")),
        "2031-03-05T15:59:59Z");
    json_decref(out);
    assert_int_equal(app_package_forward(app, &hz, at("2031-03-06 09:00"), k, &out, &err),
                     CY_EINVAL);
    assert_string_equal(err.code, "deadline_passed");
    assert_int_equal(app_package_forward(app, &hz, at("2031-03-05 23:59:59"), k, &out, &err),
                     CY_OK);
    json_decref(out);
}

/* A list pages by id; a malformed filter is a bad request (400) naming it. */
CY_TEST_FIXTURE(test_lists_page_by_id_and_refuse_malformed_filters, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t sec = who(app, "secfirm"), hz = who(app, "hz-city");
    cy_error_t err;
    json_t *items = NULL;
    int64_t next = -1, ids[2];
    for (int i = 0; i < 2; i++)
        ids[i] = draft_scheme(app, &sec, at("2031-01-05"),
                              scheme_body(120, json_pack("[o]", INSURER_UNIT)));
    pilot_filter_t f = {.round_id = "2031", .status = "draft", .page = {0, 1}};
    assert_int_equal(app_scheme_list(app, &sec, &f, &items, &next, &err), CY_OK);
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), ids[0]);
    assert_int_equal(next, ids[1] - 1);
    json_decref(items);
    f.page.cursor = next;
    assert_int_equal(app_scheme_list(app, &sec, &f, &items, &next, &err), CY_OK);
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), ids[1]);
    assert_int_equal(next, 0);
    json_decref(items);

    /* "sent" is a package's status, not a plan's */
    f = (pilot_filter_t){.status = "sent"};
    assert_int_equal(app_plan_list(app, &hz, &f, &items, &next, &err), CY_EBADREQ);
    json_decref(items);
    assert_string_equal(err.code, "status_invalid");
    assert_string_equal(err.field, "status");
    assert_string_equal(err.message, "status 应为 draft、returned、submitted 或 selected / status "
                                     "must be draft, returned, submitted or selected");
    assert_int_equal(app_package_list(app, &hz, &f, &items, &next, &err), CY_OK);
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
    /* only 2031 is loaded */
    f = (pilot_filter_t){.round_id = "2024"};
    assert_int_equal(app_scheme_list(app, &sec, &f, &items, &next, &err), CY_EBADREQ);
    json_decref(items);
    assert_string_equal(err.code, "round_unknown");
    assert_string_equal(err.field, "round_id");
    assert_int_equal(app_catalogue_get(app, &sec, "2024", &items, &err), CY_EBADREQ);
    json_decref(items);
    assert_string_equal(err.code, "round_unknown");
    f = (pilot_filter_t){.box = "sideways"};
    assert_int_equal(app_package_list(app, &hz, &f, &items, &next, &err), CY_EBADREQ);
    json_decref(items);
    assert_string_equal(err.code, "box_unknown");
    assert_string_equal(err.message, "box 应为 inbox 或 outbox / box must be inbox or outbox");
    assert_int_equal(app_overdue_list(app, &hz, at("2031-12-01"), NULL, &items, &err), CY_EBADREQ);
    assert_null(items);
    assert_string_equal(err.code, "missing_field");
    assert_string_equal(err.field, "round_id");
}

CY_TEST_FIXTURE(test_demo_file_marks_the_telecom_operator, setup, teardown)
{
    fixture_t *fx = *state;
    cy_error_t err;
    char path[256];
    snprintf(path, sizeof path, "%s/data/demo/pilot.json", CY_SOURCE_DIR);
    actor_t cli;
    actor_cli(&cli, "test");
    assert_int_equal(app_pilot_demo_load(fx->app, &cli, at("2031-01-02"), path, &err), CY_OK);
    assert_int_equal(app_pilot_demo_load(fx->app, &cli, at("2031-01-02"), path, &err),
                     CY_OK); /* idempotent */
    int64_t id;
    assert_int_equal(app_org_find_uscc(fx->app, "91440104342P7CCX0Y", &id, &err), CY_OK);
    json_t *out = NULL;
    /* the route of the telecom operator's plan now ends with the 通信管理局 */
    actor_t tel = who(fx->app, "ent-telecom");
    json_t *b = plan_body(4, NULL);
    pilot_draft_t in = plan_of(4, b);
    assert_int_equal(app_plan_create(fx->app, &tel, at("2031-02-01"), &in, &out, &err), CY_OK);
    json_decref(b);
    json_t *route = json_object_get(out, "route");
    json_t *last = json_array_get(route, json_array_size(route) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "level")), "comm_admin");
    json_decref(out);
    snprintf(path, sizeof path, "%s/none.json", fx->dir);
    assert_int_equal(app_pilot_demo_load(fx->app, &cli, at("2031-01-02"), path, &err), CY_EINVAL);
    assert_string_equal(err.code, "demo_invalid");
}

/* Opening with a round file broken in one place names its file, line and field. */
static void
assert_refused(const char *round_text, const char *criteria_text, const char *want_field,
               const char *want_in_message)
{
    char dir[64];
    make_data_dir(dir, sizeof dir, "2099.json", round_text, criteria_text);
    char db[128];
    snprintf(db, sizeof db, "sqlite:%s/t.db", dir);
    app_config_t cfg = {.db_url = db, .data_dir = dir, .pool_size = 1, .migrate = 0};
    app_t *app = NULL;
    cy_error_t err;
    assert_int_not_equal(app_open(&cfg, &app, &err), CY_OK);
    assert_null(app);
    assert_string_equal(err.field, want_field);
    if (strstr(err.message, want_in_message) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, want_in_message);
    remove_dir(dir);
}

static char *
round_with(const char *from, const char *to)
{
    char path[256];
    snprintf(path, sizeof path, "%s/tests/data/rounds/2031.json", CY_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[8192], out[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strstr(buf, from);
    assert_non_null(p);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(p - buf), buf, to, p + strlen(from));
    return out;
}

CY_TEST(test_broken_round_files_stop_start_up_naming_file_line_field)
{
    (void)state;
    assert_refused(
        round_with("\"cases_min\": 1", "\"cases_min\": 3"), NULL, "limits.cases_min",
        "rounds/2099.json 第 25 行 limits.cases_min：案例数下限大于上限 / rounds/2099.json line "
        "25, limits.cases_min: cases_min is larger than cases_max");
    assert_refused(
        round_with("\"plan_at_city\": \"2031-03-01\"", "\"plan_at_city\": \"2031-02-30\""), NULL,
        "deadlines.plan_at_city", "rounds/2099.json 第 10 行");
    assert_refused(round_with("\"package_at_province\": \"2031-03-05\"",
                              "\"package_at_province\": \"2031-05-05\""),
                   NULL, "provinces.330000.deadlines.package_at_province", "rounds/2099.json 第 ");
    assert_refused(round_with("\"limits\"", "\"limitz\""), NULL, "limitz", "unknown key");
    assert_refused("{\"id\": ", NULL, "rounds/2099.json", "JSON");
    assert_refused(round_with("\"cases_min\": 1", "\"cases_min\": 1"),
                   "{\"source\": \"s\", \"version\": \"1\", \"min_reviews\": 1, \"criteria\": "
                   "[{\"code\": \"a\", \"name_zh\": \"甲\", \"name_en\": \"A\", \"max_score\": "
                   "10, \"weight\": 90}]}",
                   "criteria", "review/criteria.json 第 1 行 criteria：权重之和应为100（当前90）");
}

/* ---- the 2025 fixture: the kinds of rule issue 12 opened the round file to ---- */

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The 2025 fixture's own criteria file, beside the default one. */
static void
criteria_2025(const char *dir)
{
    char to[256];
    snprintf(to, sizeof to, "%s/review/criteria-2025.json", dir);
    assert_int_equal(symlink(CY_SOURCE_DIR "/tests/data/review/criteria-2025.json", to), 0);
}

/* tests/data/rounds/2025.json alone, and the pilot's demo file (the telecom operator). */
static int
setup_2025(void **state)
{
    if (open_with(state, "2025.json", slurp(CY_SOURCE_DIR "/data/review/criteria.json"),
                  criteria_2025) != 0)
        return -1;
    fixture_t *fx = *state;
    actor_t op;
    cy_error_t err;
    actor_cli(&op, "test");
    return app_pilot_demo_load(fx->app, &op, at("2025-01-02"),
                               CY_SOURCE_DIR "/data/demo/pilot.json", &err) == CY_OK
               ? 0
               : -1;
}

/* A 2025 Annex 4 plan: sections of 15 字 each (45, Annex 4's own minimum), the given units. */
static json_t *
plan_2025(json_t *joint, int with_phone)
{
    json_t *att = json_pack("[{s:s, s:o, s:o, s:o, s:I, s:I}]", "name", "附方案", "institutions",
                            zh(20), "process", zh(20), "security", zh(10), "unit_premium_fen",
                            (json_int_t)100000, "sum_insured_fen", (json_int_t)10000000);
    json_t *f = json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:{s:o, s:o, s:o}, s:o}", "name", "电信企业方案", "direction",
        "product_service", "product", "edr", "unit_intro", zh(10), "joint_units", joint, "sections",
        "it_status", zh(15), "security_status", zh(15), "insurance_needs", zh(15), "schemes", att);
    if (with_phone)
        json_object_set_new(f, "lead_info", json_pack("{s:s}", "phone", "020-82791163"));
    return f;
}

CY_TEST_FIXTURE(test_2025_per_annex_limits_copy_deadline_and_criteria_are_data, setup_2025,
                teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t tel = who(app, "ent-telecom"), ins = who(app, "insurer");
    cy_error_t err;
    json_t *out = NULL, *r = NULL;

    assert_int_equal(app_round_get(app, "2025", &r, &err), CY_OK);
    json_t *ax = json_object_get(r, "annexes");
    assert_true(json_is_null(json_object_get(json_object_get(r, "limits"), "joint_units_max")));
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_object_get(ax, "1"), "limits"), "joint_units_max")),
                     8);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(json_object_get(ax, "4"), "limits"),
                                           "plan_body_zishu_min")),
        45);
    json_t *crit = json_object_get(json_object_get(r, "review_criteria"), "criteria");
    assert_int_equal(json_array_size(crit), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(crit, 0), "code")),
                        "service_2025");
    json_decref(r);

    /* Annex 4's own limit of one joint unit: two are refused, one passes */
    json_t *two = json_pack("[o, {s:s, s:s, s:s}]", INSURER_UNIT, "name", "甲", "nature", "private",
                            "uscc", "914403001922038216");
    json_t *b = plan_2025(two, 0);
    pilot_draft_t in = {"2025", 4, 0, b};
    assert_int_equal(app_plan_create(app, &tel, at("2025-02-01"), &in, &out, &err), CY_EINVAL);
    json_decref(b);
    assert_string_equal(err.code, "joint_units_too_many");
    assert_string_equal(err.message,
                        "联合申报单位不超过1家（当前2家） / at most 1 joint units (2 given)");
    b = plan_2025(json_pack("[o]", INSURER_UNIT), 0);
    in.form = b;
    assert_int_equal(app_plan_create(app, &tel, at("2025-02-01"), &in, &out, &err), CY_OK);
    json_decref(b);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "zishu"), "sections")),
                     45);
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &tel, at("2025-02-01"), id, "周总", &out, &err), CY_OK);
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &ins, at("2025-02-01"), id, "王总", &out, &err), CY_OK);
    json_decref(out);
    /* the round requires the lead's phone of Annex 4 */
    assert_int_equal(app_plan_submit(app, &tel, at("2025-02-10"), id, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "missing_field");
    assert_string_equal(err.field, "lead_info.phone");
    json_t *patch = json_pack("{s:{s:s}}", "lead_info", "phone", "020-82791163");
    assert_int_equal(app_plan_update(app, &tel, at("2025-02-10"), id, patch, &out, &err), CY_OK);
    json_decref(patch);
    assert_int_equal(json_integer_value(json_object_get(out, "confirmations_cleared")), 2);
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &tel, at("2025-02-11"), id, "周总", &out, &err), CY_OK);
    json_decref(out);
    assert_int_equal(app_plan_confirm(app, &ins, at("2025-02-11"), id, "王总", &out, &err), CY_OK);
    json_decref(out);
    /* 2025 refuses a late copy to the 通信管理局 (2024 only flags it) */
    assert_int_equal(app_plan_submit(app, &tel, at("2025-03-02 09:00"), id, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "deadline_passed");
    assert_non_null(strstr(err.message,
                           "基础电信企业方案同时报送省通信管理局的截止时间为 2025-03-01 "
                           "23:59:59"));
    assert_int_equal(app_plan_submit(app, &tel, at("2025-03-01 18:00"), id, &out, &err), CY_OK);
    json_t *hops = json_object_get(out, "hops");
    json_t *copy = json_array_get(hops, 1);
    assert_string_equal(json_string_value(json_object_get(copy, "kind")), "copy");
    assert_string_equal(json_string_value(json_object_get(copy, "deadline_at")),
                        "2025-03-01T15:59:59Z");
    assert_false(json_is_true(json_object_get(copy, "late")));
    json_decref(out);

    /* the round's own part of the annual summary: required, counted, stored */
    actor_t hz = who(app, "hz-city");
    json_t *sum =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "round_id", "2025", "level", "city", "progress",
                  "开展情况", "innovation", "产品创新", "services", "服务实施");
    assert_int_equal(app_summary_create(app, &hz, at("2025-10-20"), sum, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "missing_field");
    assert_string_equal(err.field, "sections.data_security");
    assert_string_equal(err.message,
                        "请填写数据安全保险探索情况 / Data security insurance explored is "
                        "required");
    json_object_set_new(sum, "sections", json_pack("{s:o}", "data_security", zh(9)));
    assert_int_equal(app_summary_create(app, &hz, at("2025-10-20"), sum, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "zishu_too_few");
    json_object_set_new(sum, "sections",
                        json_pack("{s:o, s:s}", "data_security", zh(10), "x", "y"));
    assert_int_equal(app_summary_create(app, &hz, at("2025-10-20"), sum, &out, &err), CY_EBADREQ);
    assert_string_equal(err.code, "unknown_field");
    json_object_del(json_object_get(sum, "sections"), "x");
    assert_int_equal(app_summary_create(app, &hz, at("2025-10-20"), sum, &out, &err), CY_OK);
    json_decref(sum);
    assert_int_equal(
        json_string_length(json_object_get(json_object_get(out, "sections"), "data_security")), 30);
    json_decref(out);
}
