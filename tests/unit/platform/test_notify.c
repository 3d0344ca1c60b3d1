/*
 * test_notify.c — in-app notifications (app/notify/notify.h): raised inside
 * the caller's transaction (and gone with it), refused when a capability
 * gets one wrong, seen by exactly the recipients (organisation, role, user),
 * read by each user on its own, paged newest first, filtered by unread and
 * kind. On SQLite, and on PostgreSQL under tests/unit/with-pg.sh.
 */
#include "fixture.h"

#include "app/notify/notify.h"

CY_GROUP_RUN("notify", run_both);

#define T0 1800000000 /* 2027-01-15T08:00:00Z */

static int64_t
raise_one(app_t *app, const notify_in_t *in, cy_status_t want, const char *field)
{
    store_conn_t *c;
    cy_error_t err;
    int64_t id = 0;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    cy_status_t st = notify_raise(app, c, T0, in, &id, &err);
    store_tx_close(app->store, c, st, &err);
    if (st != want)
        fail_msg("raise: %d (%s), want %d", st, err.message, want);
    if (field != NULL) {
        assert_string_equal(err.field, field);
        assert_non_null(strstr(err.message, " / "));
    }
    return id;
}

static notify_in_t
note(int64_t org, const char *object_id)
{
    return (notify_in_t){.org_id = org,
                         .kind = "engagement.granted",
                         .object_type = "engagement",
                         .object_id = object_id,
                         .text_zh = "某企业委托本机构办理：理赔",
                         .text_en = "an enterprise engaged your organisation for: claims",
                         .link = "/engagements.html?id=1"};
}

CY_TEST(test_notify_raise_refuses_what_a_capability_gets_wrong)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t gz = who(app, "gz-city"), sz = who(app, "sz-city");
    int64_t before = query_int(app, "SELECT COUNT(*) FROM notification WHERE 1 = $1", 1);
    notify_in_t n = note(gz.org_id, "1");
    n.kind = "claim.nonsense";
    raise_one(app, &n, CY_EINVAL, "kind");
    n = note(gz.org_id, "1");
    n.role = "boss";
    raise_one(app, &n, CY_EINVAL, "role");
    n.role = "admin";
    n.user_id = gz.user_id;
    raise_one(app, &n, CY_EINVAL, "role");
    n = note(gz.org_id, "1");
    n.user_id = sz.user_id; /* a user of another organisation */
    raise_one(app, &n, CY_EINVAL, "user_id");
    n = note(0, "1");
    raise_one(app, &n, CY_EINVAL, "org_id");
    n = note(gz.org_id, "");
    raise_one(app, &n, CY_EINVAL, "object_type");
    n = note(gz.org_id, "1");
    n.text_en = "";
    raise_one(app, &n, CY_EINVAL, "text_zh");
    const char *links[] = {"http://evil.example/x", "//evil.example/x", "/a b", "policy.html"};
    for (size_t i = 0; i < 4; i++) {
        n = note(gz.org_id, "1");
        n.link = links[i];
        raise_one(app, &n, CY_EINVAL, "link");
    }
    assert_int_equal(query_int(app, "SELECT COUNT(*) FROM notification WHERE 1 = $1", 1), before);
}

typedef struct {
    int64_t ids[16];
    char read_at[16][32];
    int n;
} seen_t;

static void
collect(const notification_t *n, void *arg)
{
    seen_t *s = arg;
    snprintf(s->read_at[s->n], sizeof s->read_at[0], "%s", n->read_at);
    s->ids[s->n++] = n->id;
}

static seen_t
list(app_t *app, const char *username, int unread, const char *kind, int limit, int64_t *next)
{
    actor_t a = who(app, username);
    seen_t s = {0};
    notify_filter_t f = {.unread = unread, .kind = kind, .page = {0, limit}};
    int64_t nx = -1;
    cy_error_t err;
    assert_int_equal(notify_list(app, &a, &f, collect, &s, &nx, &err), CY_OK);
    if (next != NULL)
        *next = nx;
    return s;
}

CY_TEST(test_notify_each_recipient_sees_its_own_and_no_one_else_does)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t member = who(app, "gz-city-member"), sz = who(app, "sz-city");
    notify_in_t n = note(member.org_id, "org-wide");
    int64_t all = raise_one(app, &n, CY_OK, NULL);
    n = note(member.org_id, "viewers");
    n.role = "viewer";
    int64_t viewers = raise_one(app, &n, CY_OK, NULL);
    n = note(member.org_id, "member");
    n.user_id = member.user_id;
    int64_t mine = raise_one(app, &n, CY_OK, NULL);
    seen_t s = list(app, "gz-city", 0, NULL, 50, NULL);
    assert_int_equal(s.n, 1);
    assert_true(s.ids[0] == all);
    s = list(app, "gz-city-member", 0, NULL, 50, NULL);
    assert_int_equal(s.n, 2);
    assert_true(s.ids[0] == mine && s.ids[1] == all); /* newest first */
    s = list(app, "gz-city-viewer", 0, NULL, 50, NULL);
    assert_int_equal(s.n, 2);
    assert_true(s.ids[0] == viewers && s.ids[1] == all);
    s = list(app, "sz-city", 0, NULL, 50, NULL);
    assert_int_equal(s.n, 0);
    /* outside: 404, the same as absent */
    notification_t out;
    cy_error_t err;
    assert_int_equal(notify_read(app, &sz, T0, all, &out, &err), CY_ENOTFOUND);
    assert_string_equal(err.field, "id");
    actor_t admin = who(app, "gz-city");
    assert_int_equal(notify_read(app, &admin, T0, mine, &out, &err), CY_ENOTFOUND);
    assert_int_equal(notify_read(app, &admin, T0, 99999999, &out, &err), CY_ENOTFOUND);
    /* and what the reader gets is what was raised */
    assert_int_equal(notify_read(app, &member, T0 + 60, mine, &out, &err), CY_OK);
    assert_string_equal(out.kind, "engagement.granted");
    assert_string_equal(out.object_id, "member");
    assert_string_equal(out.text_zh, "某企业委托本机构办理：理赔");
    assert_string_equal(out.link, "/engagements.html?id=1");
    assert_string_equal(out.created_at, "2027-01-15T08:00:00Z");
    assert_string_equal(out.read_at, "2027-01-15T08:01:00Z");
    assert_true(out.user_id == member.user_id);
}

CY_TEST(test_notify_each_user_reads_on_its_own)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t member = who(app, "gz-city-member"), viewer = who(app, "gz-city-viewer");
    /* start from nothing unread for either */
    int64_t count = -1;
    cy_error_t err;
    assert_int_equal(notify_read_all(app, &member, T0, &count, &err), CY_OK);
    assert_int_equal(notify_read_all(app, &viewer, T0, &count, &err), CY_OK);
    notify_in_t n = note(member.org_id, "shared");
    int64_t shared = raise_one(app, &n, CY_OK, NULL);
    n.role = "viewer";
    n.object_id = "viewers-only";
    raise_one(app, &n, CY_OK, NULL);
    notification_t out;
    assert_int_equal(notify_read(app, &member, T0 + 10, shared, &out, &err), CY_OK);
    assert_string_equal(out.read_at, "2027-01-15T08:00:10Z");
    assert_int_equal(notify_read(app, &member, T0 + 99, shared, &out, &err), CY_OK);
    assert_string_equal(out.read_at, "2027-01-15T08:00:10Z"); /* the first time stands */
    seen_t s = list(app, "gz-city-member", 1, NULL, 50, NULL);
    assert_int_equal(s.n, 0);
    s = list(app, "gz-city-viewer", 1, NULL, 50, NULL); /* the colleague's read is not hers */
    assert_int_equal(s.n, 2);
    assert_string_equal(s.read_at[1], "");
    assert_int_equal(notify_read_all(app, &viewer, T0 + 20, &count, &err), CY_OK);
    assert_int_equal(count, 2);
    assert_int_equal(notify_read_all(app, &viewer, T0 + 30, &count, &err), CY_OK);
    assert_int_equal(count, 0);
    s = list(app, "gz-city-viewer", 0, NULL, 1, NULL);
    assert_string_equal(s.read_at[0], "2027-01-15T08:00:20Z");
}

CY_TEST(test_notify_pages_newest_first_and_filters_by_kind)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t hz = who(app, "hz-city");
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        notify_in_t n = note(hz.org_id, "p");
        n.kind = i == 2 ? "engagement.ended" : "engagement.granted";
        ids[i] = raise_one(app, &n, CY_OK, NULL);
    }
    int64_t next = 0;
    seen_t s = list(app, "hz-city", 0, NULL, 2, &next);
    assert_int_equal(s.n, 2);
    assert_true(s.ids[0] == ids[4] && s.ids[1] == ids[3]);
    assert_true(next == ids[3]);
    notify_filter_t f = {.page = {next, 2}};
    seen_t more = {0};
    cy_error_t err;
    assert_int_equal(notify_list(app, &hz, &f, collect, &more, &next, &err), CY_OK);
    assert_true(more.n == 2 && more.ids[0] == ids[2] && more.ids[1] == ids[1]);
    f.page.cursor = next;
    assert_int_equal(notify_list(app, &hz, &f, collect, &more, &next, &err), CY_OK);
    assert_true(more.n == 3 && more.ids[2] == ids[0]);
    assert_true(next == 0);
    s = list(app, "hz-city", 0, "engagement.ended", 50, NULL);
    assert_int_equal(s.n, 1);
    assert_true(s.ids[0] == ids[2]);
}

CY_TEST(test_notify_raised_in_a_rolled_back_transaction_is_gone)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t zj = who(app, "zj-prov");
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    notify_in_t n = note(zj.org_id, "doomed");
    int64_t id = 0;
    assert_int_equal(notify_raise(app, c, T0, &n, &id, &err), CY_OK);
    assert_true(id > 0);
    cy_status_t st = cy_error_set(&err, CY_EINVAL, "later_rule", "x", "后来的规则 / a later rule");
    assert_int_equal(store_tx_close(app->store, c, st, &err), CY_EINVAL);
    assert_int_equal(query_int(app, "SELECT COUNT(*) FROM notification WHERE id = $1", id), 0);
    assert_int_equal(list(app, "zj-prov", 0, NULL, 50, NULL).n, 0);
}
