/*
 * test_pilot_remind.c — the pilot's deadline reminders (app/pilot/remind.c)
 * under the 2024 round of data/: a scheme drafted queues one job per day of
 * reminders_days before the ministry's 2024-01-28 (the start of that day,
 * Beijing time), a Guangzhou authority's Annex 2 one per day before
 * Guangdong's 2024-02-26, only the days still ahead; a deadline the round
 * leaves open queues none. Run at its time, a job tells exactly the
 * organisation that owes (every user of it, nobody else), once; not when
 * nothing is owed any more or the deadline has passed. On SQLite, and on
 * PostgreSQL under tests/unit/with-pg.sh.
 */
#include "../platform/fixture.h"

#include <inttypes.h>

#include "app/notify/notify.h"
#include "app/pilot/pilot.h"

CY_GROUP_RUN("pilot reminders", run_both);

/* Beijing time "YYYY-MM-DD HH:MM:SS" as UTC seconds. */
static int64_t
bj(const char *s)
{
    int64_t t;
    assert_int_equal(bjtime_parse(s, &t, NULL), CY_OK);
    return t;
}

static int64_t
reminder_jobs(app_t *app, int64_t org, const char *run_after)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM job WHERE kind = 'pilot.remind' AND org_id = $1%s%s%s",
             run_after ? " AND run_after = '" : "", run_after ? run_after : "",
             run_after ? "'" : "");
    return query_int(app, sql, org);
}

typedef struct {
    int n;
    notification_t last;
} seen_t;

static void
seen_one(const notification_t *n, void *arg)
{
    seen_t *s = arg;
    s->n++;
    s->last = *n;
}

/* The pilot.deadline notifications user sees. */
static seen_t
deadlines_seen(app_t *app, const char *user)
{
    actor_t a = who(app, user);
    seen_t s = {0};
    notify_filter_t f = {.kind = "pilot.deadline", .page = {.limit = 100}};
    int64_t next = 0;
    cy_error_t err;
    assert_int_equal(notify_list(app, &a, &f, seen_one, &s, &next, &err), CY_OK);
    return s;
}

/* Run a reminder job as a worker would at now; answers its result. */
static char *
run_job(app_t *app, int64_t now, int64_t org, const char *deadline, int days)
{
    char params[200];
    snprintf(params, sizeof params,
             "{\"round_id\":\"2024\",\"deadline\":\"%s\",\"org_id\":%" PRId64 ",\"days\":%d}",
             deadline, org, days);
    job_t job = {.id = 1, .now = now, .params = params};
    snprintf(job.kind, sizeof job.kind, "%s", PILOT_REMIND_JOB);
    char *result = NULL;
    cy_error_t err;
    if (app_pilot_remind_job(app, &job, &result, NULL, NULL, &err) != CY_OK)
        fail_msg("remind job: %s", err.message);
    return result;
}

static void
assert_job(app_t *app, int64_t now, int64_t org, const char *deadline, int days, const char *want)
{
    char *r = run_job(app, now, org, deadline, days);
    assert_string_equal(r, want);
    free(r);
}

static int64_t
draft(app_t *app, const char *user, int annex, int64_t now)
{
    actor_t a = who(app, user);
    json_t *out = NULL, *form = json_object();
    cy_error_t err;
    pilot_draft_t in = {.round_id = "2024", .annex = annex, .form = form};
    cy_status_t st = annex == 1 ? app_scheme_create(app, &a, now, "2024", form, &out, &err)
                                : app_plan_create(app, &a, now, &in, &out, &err);
    if (st != CY_OK)
        fail_msg("draft: %s", err.message);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(form);
    return id;
}

/* org's reminder jobs: three, one at each of these times (UTC) */
static void
assert_three_jobs(app_t *app, int64_t org, const char *d7, const char *d3, const char *d1)
{
    assert_int_equal(reminder_jobs(app, org, NULL), 3);
    assert_int_equal(reminder_jobs(app, org, d7), 1);
    assert_int_equal(reminder_jobs(app, org, d3), 1);
    assert_int_equal(reminder_jobs(app, org, d1), 1);
}

CY_TEST(test_a_scheme_drafted_queues_a_job_per_reminder_day_before_the_ministry_deadline)
{
    app_t *app = ((fixture_t *)*state)->app;
    int64_t insurer = who(app, "insurer").org_id;
    draft(app, "insurer", 1, bj("2024-01-15 10:00:00"));
    /* 7, 3 and 1 days before 2024-01-28, at 00:00 Beijing time */
    assert_three_jobs(app, insurer, "2024-01-20T16:00:00Z", "2024-01-24T16:00:00Z",
                      "2024-01-26T16:00:00Z");
    /* an enterprise's Annex 4 plan: Guangzhou's plan_at_city is open in 2024 — no job */
    int64_t ent = who(app, "ent-gz").org_id;
    draft(app, "ent-gz", 4, bj("2024-02-01 10:00:00"));
    assert_int_equal(reminder_jobs(app, ent, NULL), 0);
}

CY_TEST(test_a_reminder_tells_the_organisation_that_owes_once)
{
    app_t *app = ((fixture_t *)*state)->app;
    int64_t insurer = who(app, "insurer").org_id;
    draft(app, "insurer", 1, bj("2024-01-15 10:00:00")); /* the group's schemes are its drafts */
    assert_job(app, bj("2024-01-25 00:00:05"), insurer, "scheme_at_ministry", 3,
               "{\"reminded\":true,\"reason\":\"sent\"}");
    seen_t s = deadlines_seen(app, "insurer");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.last.text_zh, "2024 年度试点：服务方案报送工业和信息化部 截止于 "
                                        "2024-01-28 23:59:59（北京时间），还有 3 天");
    assert_string_equal(s.last.text_en,
                        "round 2024: service schemes at the ministry is due 2024-01-28 "
                        "23:59:59 (Beijing time), 3 days left");
    assert_string_equal(s.last.link, "/");
    assert_string_equal(s.last.created_at, "2024-01-24T16:00:05Z");
    /* every user of the insurer, nobody else */
    assert_int_equal(deadlines_seen(app, "insurer-uw").n, 1);
    assert_int_equal(deadlines_seen(app, "secfirm").n, 0);
    assert_int_equal(deadlines_seen(app, "miit").n, 0);
    /* the same job again (a worker died after running it): not told twice */
    assert_job(app, bj("2024-01-25 08:00:00"), insurer, "scheme_at_ministry", 3,
               "{\"reminded\":false,\"reason\":\"already_reminded\"}");
    assert_int_equal(deadlines_seen(app, "insurer").n, 1);
    /* submitted: nothing owed, no reminder the day before */
    exec_sql(app, "UPDATE pilot_scheme SET status = 'submitted' WHERE lead_org_id = $1", insurer);
    assert_job(app, bj("2024-01-27 00:00:01"), insurer, "scheme_at_ministry", 1,
               "{\"reminded\":false,\"reason\":\"nothing_owed\"}");
    /* a job that runs only after the deadline reminds of nothing */
    exec_sql(app, "UPDATE pilot_scheme SET status = 'draft' WHERE lead_org_id = $1", insurer);
    assert_job(app, bj("2024-01-29 00:00:00"), insurer, "scheme_at_ministry", 1,
               "{\"reminded\":false,\"reason\":\"deadline_passed\"}");
    assert_int_equal(deadlines_seen(app, "insurer").n, 1);
    /* another organisation owes nothing under it */
    assert_job(app, bj("2024-01-27 00:00:01"), who(app, "secfirm").org_id, "scheme_at_ministry", 1,
               "{\"reminded\":false,\"reason\":\"nothing_owed\"}");
}

CY_TEST(test_a_city_owes_its_package_by_its_province_date_and_only_days_ahead_are_queued)
{
    app_t *app = ((fixture_t *)*state)->app;
    int64_t city = who(app, "gz-city").org_id;
    /* Guangdong's package_at_province is 2024-02-26 */
    draft(app, "gz-city", 2, bj("2024-02-10 09:00:00"));
    assert_three_jobs(app, city, "2024-02-18T16:00:00Z", "2024-02-22T16:00:00Z",
                      "2024-02-24T16:00:00Z");
    /* a second draft on 02-24: the 7- and 3-day days have begun, only the 1-day job is added */
    draft(app, "gz-city", 2, bj("2024-02-24 12:00:00"));
    assert_int_equal(reminder_jobs(app, city, NULL), 4);
    assert_int_equal(reminder_jobs(app, city, "2024-02-24T16:00:00Z"), 2);
    assert_job(app, bj("2024-02-23 00:00:00"), city, "package_at_province", 3,
               "{\"reminded\":true,\"reason\":\"sent\"}");
    seen_t s = deadlines_seen(app, "gz-city-viewer");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.last.text_en, "round 2024: city packages at the province is due "
                                        "2024-02-26 23:59:59 (Beijing time), 3 days left");
    assert_int_equal(deadlines_seen(app, "sz-city").n, 0);
    assert_int_equal(deadlines_seen(app, "gd-prov").n, 0);
}
