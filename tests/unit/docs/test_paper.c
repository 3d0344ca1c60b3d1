/*
 * test_paper.c — the paper copies of a filing (app/pilot/paper.c) under the
 * 2031 fixture, whose filing judges the paper of a package at the province
 * (Zhejiang's own date there: 2031-03-05): the province records a late
 * arrival (judged, late, against the hop's deadline), once; the hop history
 * shows it beside the electronic receipt; the overdue list of the province,
 * of the city that sent it and of the ministry shows the late paper and the
 * paper still missing, and the overdue workbook carries both; who may
 * record and the bad inputs are refused naming the field.
 *
 * Test code: cmocka, jansson, libzip and the library.
 */
#include "app/docs/docs.h"
#include "fixture.h"

/* hz-city's own Annex 2 in a package forwarded to the province at `when`; the package's id. */
static int64_t
package_at_province(app_t *app, const char *name, const char *when)
{
    actor_t hzc = who(app, "hz-city");
    int64_t ids[] = {plan(app, 2, name)};
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(app_package_create(app, &hzc, at("2031-03-02"), "2031", ids, 1, &out, &err),
                     CY_OK);
    int64_t k = id_of(out);
    assert_int_equal(app_package_forward(app, &hzc, at(when), k, &out, &err), CY_OK);
    json_decref(out);
    return k;
}

static cy_status_t
paper(app_t *app, const actor_t *a, int64_t now, int package, int64_t id, const char *when,
      int64_t copies, json_t **out, cy_error_t *err)
{
    pilot_paper_in_t in = {package, id, when, copies, "邮政EMS送达"};
    return app_paper_record(app, a, now, &in, out, err);
}

/* The items of kind in the overdue list of a at now, as an array (caller frees). */
static json_t *
overdue_of(app_t *app, const actor_t *a, int64_t now, const char *kind)
{
    json_t *items = NULL, *mine = json_array();
    cy_error_t err;
    assert_int_equal(app_overdue_list(app, a, now, "2031", &items, &err), CY_OK);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "kind")), kind) == 0)
            json_array_append(mine, it);
    }
    json_decref(items);
    return mine;
}

CY_TEST_FIXTURE(test_late_paper_is_judged_recorded_once_and_shown_beside_the_hop, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t zj = who(app, "zj-prov"), hzc = who(app, "hz-city"), miit = who(app, "miit");
    int64_t k = package_at_province(app, "杭州市试点工作方案", "2031-03-04 16:00");
    json_t *out = NULL;
    cy_error_t err;
    int64_t now = at("2031-03-08 10:00");
    /* two days after Zhejiang's date: judged and late, against the hop's own deadline */
    assert_int_equal(paper(app, &zj, now, 1, k, "2031-03-07 09:30", 3, &out, &err), CY_OK);
    assert_string_equal(json_string_value(json_object_get(out, "received_at")),
                        "2031-03-07T01:30:00Z");
    assert_int_equal(json_integer_value(json_object_get(out, "copies")), 3);
    assert_int_equal(json_integer_value(json_object_get(out, "copies_expected")), 3);
    assert_string_equal(json_string_value(json_object_get(out, "deadline_key")),
                        "package_at_province");
    assert_string_equal(json_string_value(json_object_get(out, "deadline_at")),
                        "2031-03-05T15:59:59Z");
    assert_true(json_is_true(json_object_get(out, "judged")));
    assert_true(json_is_true(json_object_get(out, "late")));
    assert_string_equal(json_string_value(json_object_get(out, "comment")), "邮政EMS送达");
    json_decref(out);
    /* once per hop */
    assert_int_equal(paper(app, &zj, now, 1, k, "2031-03-07 09:30", 3, &out, &err), CY_ECONFLICT);
    assert_string_equal(err.code, "paper_recorded");

    /* the hop history: the electronic receipt and the paper side by side */
    assert_int_equal(app_pilot_read(app, &hzc, PILOT_PACKAGE, k, &out, &err), CY_OK);
    json_t *hop = json_array_get(json_object_get(out, "hops"), 0);
    assert_string_equal(json_string_value(json_object_get(hop, "received_at")),
                        "2031-03-04T08:00:00Z");
    json_t *p = json_object_get(hop, "paper");
    assert_string_equal(json_string_value(json_object_get(p, "received_at")),
                        "2031-03-07T01:30:00Z");
    assert_true(json_is_true(json_object_get(p, "late")));
    json_decref(out);

    /* the overdue list of the province, of the city that sent it, of the ministry */
    const actor_t *viewers[] = {&zj, &hzc, &miit};
    for (size_t i = 0; i < 3; i++) {
        json_t *late = overdue_of(app, viewers[i], at("2031-03-10"), "package_paper");
        assert_int_equal(json_array_size(late), 1);
        json_t *it = json_array_get(late, 0);
        assert_int_equal(json_integer_value(json_object_get(it, "package_id")), k);
        assert_string_equal(json_string_value(json_object_get(it, "org_name")),
                            "杭州市经济和信息化局（演示）");
        assert_string_equal(json_string_value(json_object_get(it, "to_name")),
                            "浙江省经济和信息化厅（演示）");
        assert_string_equal(json_string_value(json_object_get(it, "due_at")),
                            "2031-03-05T15:59:59Z");
        assert_string_equal(json_string_value(json_object_get(it, "paper_received_at")),
                            "2031-03-07T01:30:00Z");
        assert_true(json_is_true(json_object_get(it, "late")));
        json_decref(late);
    }
    /* a Guangdong city neither sent nor received it */
    actor_t gz = who(app, "gz-city");
    json_t *none = overdue_of(app, &gz, at("2031-03-10"), "package_paper");
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);
}

CY_TEST_FIXTURE(test_missing_paper_is_overdue_after_the_deadline_and_on_time_paper_never, setup,
                teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t zj = who(app, "zj-prov");
    int64_t missing = package_at_province(app, "杭州市方案（纸质未到）", "2031-03-04 10:00");
    int64_t on_time = package_at_province(app, "杭州市方案（纸质按时）", "2031-03-04 11:00");
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(
        paper(app, &zj, at("2031-03-06 08:00"), 1, on_time, "2031-03-05 23:59:59", 3, &out, &err),
        CY_OK);
    assert_true(json_is_true(json_object_get(out, "judged")));
    assert_false(json_is_true(json_object_get(out, "late")));
    json_decref(out);
    /* before the deadline nothing is owed; after it, only the missing paper */
    json_t *items = overdue_of(app, &zj, at("2031-03-05 23:59:59"), "package_paper");
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
    items = overdue_of(app, &zj, at("2031-03-06 00:00:00"), "package_paper");
    assert_int_equal(json_array_size(items), 1);
    json_t *it = json_array_get(items, 0);
    assert_int_equal(json_integer_value(json_object_get(it, "package_id")), missing);
    assert_true(json_is_null(json_object_get(it, "paper_received_at")));
    json_decref(items);

    /* the overdue workbook carries it: the sender and the receiver by name */
    docs_request_t r = {DOCS_OVERDUE, 0, "2031", DOCS_XLSX};
    docs_file_t f;
    assert_int_equal(app_docs_render(app, &zj, at("2031-03-06"), &r, &f, &err), CY_OK);
    char *xml = unzip(f.data, f.size, "xl/sharedStrings.xml");
    assert_non_null(strstr(xml, "材料包纸质材料"));
    assert_non_null(strstr(xml, "浙江省经济和信息化厅（演示）"));
    free(xml);
    app_docs_file_free(&f);
}

CY_TEST_FIXTURE(test_who_may_record_and_bad_inputs_name_their_field, setup, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t zj = who(app, "zj-prov"), hzc = who(app, "hz-city"), ent = who(app, "ent-hz");
    int64_t k = package_at_province(app, "杭州市试点工作方案", "2031-03-04 16:00");
    int64_t now = at("2031-03-08 10:00");
    json_t *out = NULL;
    cy_error_t err;
    /* an enterprise receives no paper; the city sent it, so none came to it */
    assert_int_equal(paper(app, &ent, now, 1, k, "2031-03-07", 3, &out, &err), CY_EFORBIDDEN);
    assert_int_equal(paper(app, &hzc, now, 1, k, "2031-03-07", 3, &out, &err), CY_ENOTFOUND);
    assert_int_equal(paper(app, &zj, now, 1, k + 100, "2031-03-07", 3, &out, &err), CY_ENOTFOUND);
    assert_string_equal(err.field, "id");
    struct {
        const char *when;
        int64_t copies;
        const char *code, *field;
    } bad[] = {
        {"2031-03-09 10:00", 3, "received_in_future", "received_at"},
        {"三月七日", 3, "invalid_time", "received_at"},
        {NULL, 3, "invalid_time", "received_at"},
        {"2031-03-07", 0, "copies_range", "copies"},
        {"2031-03-07", 100, "copies_range", "copies"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(paper(app, &zj, now, 1, k, bad[i].when, bad[i].copies, &out, &err),
                         CY_EINVAL);
        assert_string_equal(err.code, bad[i].code);
        assert_string_equal(err.field, bad[i].field);
        assert_null(out);
    }
    /* the refusals left nothing: the record is still to be made */
    assert_int_equal(paper(app, &zj, now, 1, k, "2031-03-07", 1, &out, &err), CY_OK);
    json_decref(out);

    /* a plan's paper at its city: the round does not judge plan_at_city, so never late */
    int64_t p4 = plan(app, 4, "杭州企业方案");
    assert_int_equal(paper(app, &hzc, now, 0, p4, "2031-03-08 09:00", 2, &out, &err), CY_OK);
    assert_false(json_is_true(json_object_get(out, "judged")));
    assert_false(json_is_true(json_object_get(out, "late")));
    assert_int_equal(json_integer_value(json_object_get(out, "copies")), 2);
    json_decref(out);
}

/* A broken filing stops start-up naming the file and the field. */
CY_TEST(test_a_broken_filing_stops_start_up_naming_its_field)
{
    (void)state;
    struct {
        const char *key;
        json_t *value;
        const char *path;
    } bad[] = {{"paper_judged", json_pack("[s]", "package_at_city_hall"), "filing.paper_judged"},
               {"seal_scans", json_pack("[i]", 5), "filing.seal_scans"},
               {"material_copies", json_string("1"), "filing.material_copies"},
               {"paper_copies", json_integer(-1), "filing.paper_copies"},
               {"paper_by_courier", json_true(), "filing.paper_by_courier"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *filing = filing_2031();
        json_object_set_new(filing, bad[i].key, bad[i].value);
        char dir[64], db[128], cmd[128];
        data_dir_2031(dir, sizeof dir, filing);
        snprintf(db, sizeof db, "sqlite:%s/t.db", dir);
        app_config_t cfg = {.db_url = db, .data_dir = dir, .pool_size = 1};
        app_t *app = NULL;
        cy_error_t err;
        assert_int_equal(app_open(&cfg, &app, &err), CY_EINVAL);
        assert_null(app);
        if (strstr(err.message, "2031.json") == NULL || strstr(err.message, bad[i].path) == NULL)
            fail_msg("%s: %s", bad[i].path, err.message);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
}
