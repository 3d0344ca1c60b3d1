/*
 * test_engage.c — engagements (app/engage/engage.h): granted by an
 * enterprise's admin to a service organisation (by id or USCC) for scopes,
 * every refusal naming its field, in force exactly from grant to expiry or
 * end (engage_active at the edges), engage_require's refusal in words, the
 * subquery capabilities list with, who sees which, and the service
 * organisation notified of both grant and end. On SQLite, and on PostgreSQL
 * under tests/unit/with-pg.sh.
 */
#include "fixture.h"

#include "app/engage/engage.h"
#include "app/notify/notify.h"

CY_GROUP_RUN("engage", run_both);

#define T0  1800000000 /* 2027-01-15T08:00:00Z */
#define DAY 86400

static const char *const CLAIMS_ASSESS[] = {"claims", "assessment"};

static cy_status_t
grant(app_t *app, const char *username, int64_t now, const engage_in_t *in, engagement_t *out,
      cy_error_t *err)
{
    actor_t a = who(app, username);
    return engage_grant(app, &a, now, in, out, err);
}

/* A second service organisation, made by the command line. */
static int64_t
second_service_org(app_t *app)
{
    actor_t op;
    actor_cli(&op, "test");
    org_input_t in = {.name = "第二示范网络安全服务有限公司（测试）",
                      .type = "service_org",
                      .uscc = "91440106PLAT5CK27B",
                      .region_code = "440106",
                      .nature = "private"};
    org_t o;
    cy_error_t err;
    cy_status_t st = app_org_create(app, &op, 1704067200, &in, &o, &err);
    if (st == CY_ECONFLICT) { /* PostgreSQL keeps its data between the test's groups */
        int64_t id;
        assert_int_equal(app_org_find_uscc(app, in.uscc, &id, &err), CY_OK);
        return id;
    }
    if (st != CY_OK)
        fail_msg("org: %s", err.message);
    return o.id;
}

CY_TEST(test_engage_grant_by_uscc_names_parties_and_tells_the_service_org)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t svc = who(app, "secfirm"), ent = who(app, "ent-gz");
    engage_in_t in = {.service_org_uscc = "91440106895ANBKF5M",
                      .scopes = CLAIMS_ASSESS,
                      .n_scopes = 2,
                      .valid_until = "2027-12-31",
                      .note = "理赔与评估"};
    engagement_t e;
    cy_error_t err;
    assert_int_equal(grant(app, "ent-gz", T0, &in, &e, &err), CY_OK);
    assert_true(e.enterprise_id == ent.org_id && e.service_org_id == svc.org_id);
    assert_string_equal(e.enterprise_name, "广州示范智能制造有限公司（演示）");
    assert_string_equal(e.service_org_name, "羊城示范网络安全技术有限公司（演示）");
    assert_string_equal(e.service_org_uscc, "91440106895ANBKF5M");
    assert_int_equal(e.n_scopes, 2);
    assert_string_equal(e.scopes[0], "assessment");
    assert_string_equal(e.scopes[1], "claims");
    assert_string_equal(e.valid_from, "2027-01-15T08:00:00Z");
    /* through 31 December, Beijing time: until midnight that night, 16:00 UTC */
    assert_string_equal(e.valid_until, "2027-12-31T16:00:00Z");
    assert_string_equal(e.ended_at, "");
    assert_true(e.active);
    assert_true(e.granted_by == ent.user_id);
    assert_string_equal(e.note, "理赔与评估");
    /* the service organisation was told, in its own list */
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)e.id);
    assert_int_equal(query_int(app,
                               "SELECT COUNT(*) FROM notification WHERE org_id = $1 AND kind = "
                               "'engagement.granted' AND object_type = 'engagement' AND "
                               "text_zh LIKE '%风险评估、理赔'",
                               svc.org_id),
                     1);
    assert_int_equal(query_int(app,
                               "SELECT COUNT(*) FROM audit_log WHERE action = 'engagement.grant' "
                               "AND org_id = $1",
                               ent.org_id),
                     1);
    /* the same service organisation again while in force: end it first */
    in.service_org_uscc = NULL;
    in.service_org_id = svc.org_id;
    assert_int_equal(grant(app, "ent-gz", T0 + 5, &in, &e, &err), CY_ECONFLICT);
    assert_string_equal(err.code, "engagement_exists");
}

static void
expect(app_t *app, const char *username, const engage_in_t *in, cy_status_t st, const char *field)
{
    engagement_t e;
    cy_error_t err;
    cy_status_t got = grant(app, username, T0, in, &e, &err);
    if (got != st)
        fail_msg("%s: %d (%s), want %d", username, got, err.message, st);
    if (field != NULL)
        assert_string_equal(err.field, field);
}

CY_TEST(test_engage_grant_refusals_name_their_field)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t insurer = who(app, "insurer");
    int64_t svc = second_service_org(app);
    engage_in_t ok = {.service_org_id = svc, .scopes = CLAIMS_ASSESS, .n_scopes = 2};
    engage_in_t in = ok;
    in.service_org_id = 0;
    expect(app, "ent-hz", &in, CY_EINVAL, "service_org_id");
    in.service_org_uscc = "91440106PLAT5CK27B";
    in.service_org_id = svc; /* both */
    expect(app, "ent-hz", &in, CY_EINVAL, "service_org_id");
    in = ok;
    in.service_org_id = insurer.org_id; /* not a service organisation: reads as none */
    expect(app, "ent-hz", &in, CY_EINVAL, "service_org_id");
    in = ok;
    in.service_org_id = 0;
    in.service_org_uscc = "91440300862QA4XF61"; /* the insurer's USCC */
    expect(app, "ent-hz", &in, CY_EINVAL, "service_org_uscc");
    in = ok;
    in.n_scopes = 0;
    expect(app, "ent-hz", &in, CY_EINVAL, "scopes");
    const char *unknown[] = {"claims", "underwriting"};
    in.scopes = unknown;
    in.n_scopes = 2;
    expect(app, "ent-hz", &in, CY_EINVAL, "scopes");
    const char *twice[] = {"claims", "claims"};
    in.scopes = twice;
    expect(app, "ent-hz", &in, CY_EINVAL, "scopes");
    in = ok;
    in.valid_until = "2027-02-30";
    expect(app, "ent-hz", &in, CY_EINVAL, "valid_until");
    in.valid_until = "2027-01-14"; /* over before now */
    expect(app, "ent-hz", &in, CY_EINVAL, "valid_until");
    in = ok;
    char note[600];
    memset(note, 'x', 501);
    note[501] = '\0';
    in.note = note;
    expect(app, "ent-hz", &in, CY_EINVAL, "note");
    /* only an enterprise's admin grants */
    expect(app, "secfirm", &ok, CY_EFORBIDDEN, NULL);
    expect(app, "insurer", &ok, CY_EFORBIDDEN, NULL);
    expect(app, "miit", &ok, CY_EFORBIDDEN, NULL);
    assert_int_equal(
        query_int(app, "SELECT COUNT(*) FROM engagement WHERE service_org_id = $1", svc), 0);
}

static int
active_at(app_t *app, int64_t svc, int64_t ent, const char *scope, int64_t now)
{
    store_conn_t *c;
    cy_error_t err;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    int engaged = -1;
    assert_int_equal(engage_active(c, svc, ent, scope, now, &engaged, &err), CY_OK);
    store_release(app->store, c);
    return engaged;
}

CY_TEST(test_engage_in_force_from_grant_to_expiry_or_end)
{
    app_t *app = ((fixture_t *)*state)->app;
    int64_t svc = second_service_org(app);
    actor_t ent = who(app, "ent-sz"), other = who(app, "ent-telecom");
    const char *claims[] = {"claims"};
    engage_in_t in = {.service_org_id = svc,
                      .scopes = claims,
                      .n_scopes = 1,
                      .valid_until = "2027-01-25T16:00:00Z"}; /* T0 + 10 days 8 h */
    engagement_t e;
    cy_error_t err;
    assert_int_equal(grant(app, "ent-sz", T0, &in, &e, &err), CY_OK);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", T0 - 1), 0);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", T0), 1);
    assert_int_equal(active_at(app, svc, ent.org_id, "assessment", T0), 0);
    assert_int_equal(active_at(app, svc, other.org_id, "claims", T0), 0);
    int64_t until = T0 + 10 * DAY + 8 * 3600;
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", until - 1), 1);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", until), 0);
    /* ended early: in force up to the second before */
    assert_int_equal(engage_end(app, &ent, T0 + 3 * DAY, e.id, &e, &err), CY_OK);
    assert_string_equal(e.ended_at, "2027-01-18T08:00:00Z");
    assert_false(e.active);
    assert_true(e.ended_by == ent.user_id);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", T0 + 3 * DAY - 1), 1);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", T0 + 3 * DAY), 0);
    assert_int_equal(engage_end(app, &ent, T0 + 4 * DAY, e.id, &e, &err), CY_ECONFLICT);
    assert_string_equal(err.code, "engagement_ended");
    assert_int_equal(query_int(app,
                               "SELECT COUNT(*) FROM notification WHERE org_id = $1 AND kind = "
                               "'engagement.ended'",
                               svc),
                     1);
    /* ended: the enterprise may engage it again */
    in.valid_until = NULL;
    assert_int_equal(grant(app, "ent-sz", T0 + 5 * DAY, &in, &e, &err), CY_OK);
    assert_int_equal(active_at(app, svc, ent.org_id, "claims", T0 + 400 * DAY), 1);
}

CY_TEST(test_engage_require_and_the_subquery_for_lists)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t svc = who(app, "secfirm"), ent = who(app, "ent-gz-health");
    engage_in_t in = {.service_org_id = svc.org_id, .scopes = CLAIMS_ASSESS, .n_scopes = 2};
    engagement_t e;
    cy_error_t err;
    assert_int_equal(grant(app, "ent-gz-health", T0, &in, &e, &err), CY_OK);
    store_conn_t *c;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    assert_int_equal(engage_require(app, c, &svc, ent.org_id, "claims", T0, &err), CY_OK);
    assert_int_equal(engage_require(app, c, &svc, ent.org_id, "monitoring", T0, &err),
                     CY_EFORBIDDEN);
    assert_string_equal(err.code, "engagement_required");
    assert_string_equal(err.field, "org_id");
    assert_non_null(strstr(err.message, "保中监测"));
    assert_non_null(strstr(err.message, "for in-force monitoring"));
    assert_int_equal(engage_require(app, c, &svc, ent.org_id, "nonsense", T0, &err), CY_EINVAL);
    /* a list: the enterprises that engaged secfirm for claims now */
    char sub[400], sql[600];
    engage_sql_enterprises(sub, sizeof sub, 1, 2, 3);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM organisation WHERE id = $4 AND id IN (%s)",
             sub);
    store_param_t p[] = {STORE_P_INT(svc.org_id), STORE_P_TEXT("claims"),
                         STORE_P_TEXT("2027-01-15T08:00:00Z"), STORE_P_INT(ent.org_id)};
    int64_t n = -1;
    assert_int_equal(store_query_int(c, sql, p, 4, &n, NULL, &err), CY_OK);
    assert_int_equal(n, 1);
    p[2] = STORE_P_TEXT("2027-01-15T07:59:59Z"); /* before the grant */
    assert_int_equal(store_query_int(c, sql, p, 4, &n, NULL, &err), CY_OK);
    assert_int_equal(n, 0);
    store_release(app->store, c);
}

typedef struct {
    int64_t ids[64];
    int n;
} list_t;

static void
collect(const engagement_t *e, void *arg)
{
    list_t *l = arg;
    l->ids[l->n++] = e->id;
}

static int
sees(app_t *app, const char *username, int64_t id)
{
    actor_t a = who(app, username);
    engagement_t e;
    cy_error_t err;
    cy_status_t st = engage_get(app, &a, T0, id, &e, &err);
    list_t l = {0};
    engage_filter_t f = {.page = {0, 64}};
    int64_t next;
    int listed = 0;
    if (engage_list(app, &a, T0, &f, collect, &l, &next, &err) == CY_OK)
        for (int i = 0; i < l.n; i++)
            listed |= l.ids[i] == id;
    assert_int_equal(st == CY_OK, listed); /* the list and the record agree */
    return st == CY_OK ? 1 : st == CY_ENOTFOUND ? 0 : -1;
}

CY_TEST(test_engage_seen_by_its_parties_and_the_national_operators)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t svc = who(app, "secfirm");
    const char *monitoring[] = {"monitoring"};
    engage_in_t in = {.service_org_id = svc.org_id, .scopes = monitoring, .n_scopes = 1};
    engagement_t e;
    cy_error_t err;
    assert_int_equal(grant(app, "ent-telecom", T0, &in, &e, &err), CY_OK);
    assert_int_equal(sees(app, "ent-telecom", e.id), 1);
    assert_int_equal(sees(app, "secfirm", e.id), 1);
    assert_int_equal(sees(app, "miit", e.id), 1);
    assert_int_equal(sees(app, "nisc", e.id), 1);
    assert_int_equal(sees(app, "ent-hz", e.id), 0);
    assert_int_equal(sees(app, "gz-city", e.id), -1); /* 403: not its business at all */
    actor_t hz = who(app, "ent-hz");
    int64_t id = e.id;
    engagement_t out;
    assert_int_equal(engage_end(app, &hz, T0, id, &out, &err), CY_ENOTFOUND);
    assert_int_equal(engage_end(app, &svc, T0, id, &out, &err), CY_EFORBIDDEN);
    /* ?active: an ended one drops out */
    actor_t ent = who(app, "ent-telecom");
    assert_int_equal(engage_end(app, &ent, T0 + 1, id, &out, &err), CY_OK);
    list_t l = {0};
    engage_filter_t f = {.active = 1, .page = {0, 64}};
    int64_t next;
    assert_int_equal(engage_list(app, &ent, T0 + 2, &f, collect, &l, &next, &err), CY_OK);
    for (int i = 0; i < l.n; i++)
        assert_true(l.ids[i] != id);
    f.active = 0;
    l.n = 0;
    assert_int_equal(engage_list(app, &ent, T0 + 2, &f, collect, &l, &next, &err), CY_OK);
    assert_true(l.n >= 1 && l.ids[0] == id);
}
