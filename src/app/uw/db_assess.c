/*
 * db_assess.c — the tables uw_assessment and uw_finding, read and written
 * here only, their columns by name. An assessment's answers are stored as
 * one JSON object {question id: code or number} (sorted keys) and its
 * scoring result as the JSON made at submission; both are handed out as
 * stored. Depends on store/ and jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/engage/engage.h"
#include "app/uw/internal.h"
#include "app/util.h"

#define ASSESS_SELECT                                                                              \
    "SELECT a.id, a.org_id, a.author_org_id, a.author_user_id, o.name AS org_name, a.status, "     \
    "a.questionnaire_version, a.target_industry, a.flags, a.answers, a.mlps_level, "               \
    "a.mlps_conclusion, a.mlps_score_tenths, a.mlps_date, a.dep_cloud, a.dep_os, a.dep_vpn, "      \
    "a.dep_email, a.score_hundredths, a.grade, a.result, a.created_at, a.updated_at, "             \
    "a.submitted_at FROM uw_assessment a JOIN organisation o ON o.id = a.org_id "

static const char *const DEP_COLS[4] = {"dep_cloud", "dep_os", "dep_vpn", "dep_email"};

void
uw_assess_free(uw_assess_t *a)
{
    if (a == NULL)
        return;
    json_decref(a->answers_doc);
    free(a->evidence);
    uw_assessment_free(&a->v);
    a->answers_doc = NULL;
    a->evidence = NULL;
}

static char *
dup_text(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Parse the stored answers against the questionnaire; ids it no longer has are ignored. */
static void
answers_parse(const qn_t *qn, json_t *answers, qn_answer_t *out)
{
    memset(out, 0, sizeof(qn_answer_t) * QN_MAX_QUESTIONS);
    const char *key;
    json_t *v;
    json_object_foreach(answers, key, v)
    {
        int i = qn_question_find(qn, key);
        if (i < 0)
            continue;
        cy_error_t ignored;
        if (qn_answer_parse(qn, (size_t)i, json_string_value(v), json_is_number(v),
                            json_number_value(v), &out[i], &ignored) != CY_OK)
            memset(&out[i], 0, sizeof out[i]);
    }
}

static void
flags_parse(const qn_t *qn, const char *flags, qn_profile_t *p)
{
    char buf[256];
    uw_copy(buf, sizeof buf, flags);
    p->flags = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int f = qn_flag_find(qn, t);
        if (f >= 0)
            p->flags |= 1u << f;
    }
}

void
uw_assess_view(const qn_t *qn, uw_assess_t *a)
{
    uw_assessment_t *v = &a->v;
    v->n_flags = v->n_modules = v->applicable = v->answered = 0;
    for (size_t i = 0; i < qn->n_flags; i++)
        if (a->profile.flags & (1u << i))
            v->flags[v->n_flags++] = qn->flags[i];
    for (size_t m = 0; m < qn->n_modules && v->n_modules < QN_MAX_MODULES; m++)
        if (qn_module_active(qn, m, &a->profile))
            v->modules[v->n_modules++] = qn->modules[m].code;
    for (size_t i = 0; i < qn->n_questions; i++) {
        if (!qn_applicable(qn, i, &a->profile))
            continue;
        v->applicable++;
        v->answered += a->answers[i].kind != QN_UNANSWERED;
    }
    uw_copy(v->target_industry, sizeof v->target_industry, a->profile.target_industry);
}

/* The columns of an assessment's row that a list's summary shows too. */
static void
summary_row(const store_rows_t *r, uw_assessment_t *v)
{
    v->id = store_row_int(r, "id");
    v->org_id = store_row_int(r, "org_id");
    v->author_org_id = store_row_int(r, "author_org_id");
    store_row_copy(r, "org_name", v->org_name, sizeof v->org_name);
    store_row_copy(r, "status", v->status, sizeof v->status);
    store_row_copy(r, "questionnaire_version", v->questionnaire_version,
                   sizeof v->questionnaire_version);
    v->scored = !store_row_isnull(r, "score_hundredths");
    v->score = (double)store_row_int(r, "score_hundredths") / 100.0;
    const char *g = store_row_text(r, "grade");
    v->grade = g && g[0] ? g[0] : 0;
    store_row_copy(r, "created_at", v->created_at, sizeof v->created_at);
    store_row_copy(r, "updated_at", v->updated_at, sizeof v->updated_at);
    store_row_copy(r, "submitted_at", v->submitted_at, sizeof v->submitted_at);
}

static void
assess_row(const qn_t *qn, const store_rows_t *r, uw_assess_t *a)
{
    uw_assessment_t *v = &a->v;
    summary_row(r, v);
    store_row_copy(r, "target_industry", a->profile.target_industry,
                   sizeof a->profile.target_industry);
    a->author_user_id = store_row_int(r, "author_user_id");
    store_row_copy(r, "flags", a->flags, sizeof a->flags);
    flags_parse(qn, a->flags, &a->profile);
    const char *ans = store_row_text(r, "answers");
    a->answers_doc = json_loads(ans ? ans : "{}", 0, NULL);
    int ok = json_is_object(a->answers_doc);
    if (!ok) {
        json_decref(a->answers_doc);
        a->answers_doc = json_object();
    }
    answers_parse(qn, a->answers_doc, a->answers);
    v->answers = dup_text(ok && ans ? ans : "{}");
    v->mlps_level = (int)store_row_int(r, "mlps_level");
    store_row_copy(r, "mlps_conclusion", v->mlps_conclusion, sizeof v->mlps_conclusion);
    v->mlps_score_tenths =
        store_row_isnull(r, "mlps_score_tenths") ? -1 : (int)store_row_int(r, "mlps_score_tenths");
    store_row_copy(r, "mlps_date", v->mlps_date, sizeof v->mlps_date);
    for (int d = 0; d < 4; d++)
        store_row_copy(r, DEP_COLS[d], v->dep[d], sizeof v->dep[d]);
    v->result = dup_text(store_row_text(r, "result"));
    a->submitted_at = v->submitted_at[0] ? app_iso_to_time(v->submitted_at) : 0;
    v->with_findings = 1;
}

/* The findings as the underwriting rules see them. */
static cy_status_t
evidence_of(uw_assess_t *a, cy_error_t *err)
{
    size_t n = a->v.n_findings;
    a->evidence = calloc(n ? n : 1, sizeof *a->evidence);
    if (a->evidence == NULL)
        return cy_error_no_memory(err);
    for (size_t i = 0; i < n; i++) {
        const uw_finding_t *f = &a->v.findings[i];
        a->evidence[i] = (qn_finding_t){
            .kev = f->kev,
            .internet_facing = f->internet_facing,
            .cvss = f->cvss_tenths < 0 ? -1.0 : (double)f->cvss_tenths / 10.0,
            .epss = f->epss_e5 < 0 ? -1.0 : (double)f->epss_e5 / 100000.0,
            .first_seen = app_iso_to_time(f->first_seen),
        };
    }
    return CY_OK;
}

cy_status_t
uw_assess_read(store_conn_t *c, const qn_t *qn, int64_t id, uw_assess_t *a, int *found,
               cy_error_t *err)
{
    memset(a, 0, sizeof *a);
    store_rows_t *r;
    cy_status_t st = uw_first_row(c, ASSESS_SELECT "WHERE a.id = $1", id, &r, found, err);
    if (st != CY_OK)
        return st;
    if (*found)
        assess_row(qn, r, a);
    store_rows_free(r);
    if (*found)
        st = uw_findings_read(c, id, &a->v.findings, &a->v.n_findings, err);
    if (st == CY_OK && *found)
        st = evidence_of(a, err);
    if (st == CY_OK && *found)
        uw_assess_view(qn, a);
    if (st != CY_OK)
        uw_assess_free(a);
    return st;
}

/* An assessment's draft fields bound as $1..$19 (see the INSERT and UPDATE below). */
static cy_status_t
assess_write(store_conn_t *c, const char *sql, uw_assess_t *a, int64_t *id, cy_error_t *err)
{
    uw_assessment_t *v = &a->v;
    char *answers = json_dumps(a->answers_doc, JSON_COMPACT | JSON_SORT_KEYS);
    if (answers == NULL)
        return cy_error_no_memory(err);
    store_param_t q[] = {
        STORE_P_INT(v->org_id),
        STORE_P_INT(v->author_org_id),
        STORE_P_INT(a->author_user_id),
        STORE_P_TEXT(v->status),
        STORE_P_TEXT(v->questionnaire_version),
        STORE_P_TEXT(a->profile.target_industry),
        STORE_P_TEXT(a->flags),
        STORE_P_TEXT(answers),
        STORE_P_INT(v->mlps_level),
        v->mlps_conclusion[0] ? STORE_P_TEXT(v->mlps_conclusion) : STORE_P_NULL,
        v->mlps_score_tenths >= 0 ? STORE_P_INT(v->mlps_score_tenths) : STORE_P_NULL,
        v->mlps_date[0] ? STORE_P_TEXT(v->mlps_date) : STORE_P_NULL,
        STORE_P_TEXT(v->dep[0]),
        STORE_P_TEXT(v->dep[1]),
        STORE_P_TEXT(v->dep[2]),
        STORE_P_TEXT(v->dep[3]),
        STORE_P_TEXT(v->created_at),
        STORE_P_TEXT(v->updated_at),
        STORE_P_INT(v->id),
    };
    cy_status_t st =
        id ? store_insert_id(c, sql, q, 18, id, err) : store_exec(c, sql, q, 19, NULL, err);
    if (st == CY_OK) {
        /* the view shows the answers as stored */
        free(v->answers);
        v->answers = answers;
    } else {
        free(answers);
    }
    return st;
}

cy_status_t
uw_assess_insert(store_conn_t *c, uw_assess_t *a, cy_error_t *err)
{
    return assess_write(c,
                        "INSERT INTO uw_assessment (org_id, author_org_id, author_user_id, status, "
                        "questionnaire_version, target_industry, flags, answers, mlps_level, "
                        "mlps_conclusion, mlps_score_tenths, mlps_date, dep_cloud, dep_os, "
                        "dep_vpn, dep_email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                        "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING "
                        "id",
                        a, &a->v.id, err);
}

cy_status_t
uw_assess_update(store_conn_t *c, uw_assess_t *a, cy_error_t *err)
{
    return assess_write(c,
                        "UPDATE uw_assessment SET questionnaire_version = $5, target_industry = "
                        "$6, flags = $7, answers = $8, mlps_level = $9, mlps_conclusion = $10, "
                        "mlps_score_tenths = $11, mlps_date = $12, dep_cloud = $13, dep_os = $14, "
                        "dep_vpn = $15, dep_email = $16, updated_at = $18 WHERE id = $19",
                        a, NULL, err);
}

cy_status_t
uw_assess_set_submitted(store_conn_t *c, const uw_assess_t *a, cy_error_t *err)
{
    const uw_assessment_t *v = &a->v;
    char g[2] = {v->grade, '\0'};
    store_param_t q[] = {STORE_P_INT((int64_t)floor(v->score * 100.0 + 0.5)), STORE_P_TEXT(g),
                         STORE_P_TEXT(v->result), STORE_P_TEXT(v->submitted_at),
                         STORE_P_INT(v->id)};
    return store_exec(c,
                      "UPDATE uw_assessment SET status = 'submitted', score_hundredths = $1, "
                      "grade = $2, result = $3, submitted_at = $4, updated_at = $4 WHERE id = $5",
                      q, 5, NULL, err);
}

/* ---------- findings ---------- */

cy_status_t
uw_findings_write(store_conn_t *c, int64_t id, const uw_finding_t *rows, size_t n, int replace,
                  const char *at, cy_error_t *err)
{
    store_param_t d[] = {STORE_P_INT(id)};
    cy_status_t st = CY_OK;
    if (replace)
        st = store_exec(c, "DELETE FROM uw_finding WHERE assessment_id = $1", d, 1, NULL, err);
    for (size_t i = 0; i < n && st == CY_OK; i++) {
        const uw_finding_t *f = &rows[i];
        store_param_t q[] = {
            STORE_P_INT(id),
            STORE_P_TEXT(f->asset),
            f->port >= 0 ? STORE_P_INT(f->port) : STORE_P_NULL,
            STORE_P_TEXT(f->service),
            STORE_P_TEXT(f->cve),
            f->cvss_tenths >= 0 ? STORE_P_INT(f->cvss_tenths) : STORE_P_NULL,
            f->epss_e5 >= 0 ? STORE_P_INT(f->epss_e5) : STORE_P_NULL,
            STORE_P_INT(f->kev),
            STORE_P_INT(f->internet_facing),
            STORE_P_TEXT(f->first_seen),
        };
        st = store_exec(c,
                        "INSERT INTO uw_finding (assessment_id, asset, port, service, cve, "
                        "cvss_tenths, epss_e5, kev, internet_facing, first_seen) VALUES ($1, $2, "
                        "$3, $4, $5, $6, $7, $8, $9, $10)",
                        q, 10, NULL, err);
    }
    store_param_t u[] = {STORE_P_TEXT(at), STORE_P_INT(id)};
    if (st == CY_OK)
        st = store_exec(c, "UPDATE uw_assessment SET updated_at = $1 WHERE id = $2", u, 2, NULL,
                        err);
    return st;
}

static void
finding_row(const store_rows_t *r, uw_finding_t *f)
{
    f->id = store_row_int(r, "id");
    store_row_copy(r, "asset", f->asset, sizeof f->asset);
    f->port = store_row_isnull(r, "port") ? -1 : (int)store_row_int(r, "port");
    store_row_copy(r, "service", f->service, sizeof f->service);
    store_row_copy(r, "cve", f->cve, sizeof f->cve);
    f->cvss_tenths = store_row_isnull(r, "cvss_tenths") ? -1 : (int)store_row_int(r, "cvss_tenths");
    f->epss_e5 = store_row_isnull(r, "epss_e5") ? -1 : (int)store_row_int(r, "epss_e5");
    f->kev = (int)store_row_int(r, "kev");
    f->internet_facing = (int)store_row_int(r, "internet_facing");
    store_row_copy(r, "first_seen", f->first_seen, sizeof f->first_seen);
}

cy_status_t
uw_findings_read(store_conn_t *c, int64_t id, uw_finding_t **out, size_t *n, cy_error_t *err)
{
    *out = NULL;
    *n = 0;
    store_param_t q[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, asset, port, service, cve, cvss_tenths, epss_e5, kev, "
                                 "internet_facing, first_seen FROM uw_finding WHERE "
                                 "assessment_id = $1 ORDER BY id",
                                 q, 1, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            uw_finding_t *nf = realloc(*out, ncap * sizeof *nf);
            if (nf == NULL) {
                st = cy_error_no_memory(err);
                break;
            }
            *out = nf;
            cap = ncap;
        }
        finding_row(r, &(*out)[(*n)++]);
    }
    if (k < 0 && st == CY_OK)
        st = err->status;
    store_rows_free(r);
    return st;
}

/* ---------- lists and counts ---------- */

cy_status_t
uw_assess_list_read(store_conn_t *c, uw_scope_t s, int64_t org_id, const app_page_t *pg,
                    uw_assessment_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->items = calloc((size_t)pg->limit, sizeof *out->items);
    if (out->items == NULL)
        return cy_error_no_memory(err);
    store_param_t f[] = {STORE_P_INT(s.all), STORE_P_INT(s.org_id), STORE_P_INT(org_id)};
    /* a service organisation ($6 = 1): what it authored for the enterprises engaging it now */
    char engaged[400], sql[1400];
    engage_sql_enterprises(engaged, sizeof engaged, 2, 7, 8);
    snprintf(sql, sizeof sql,
             "SELECT a.id, a.org_id, o.name AS org_name, a.author_org_id, a.status, "
             "a.questionnaire_version, a.score_hundredths, a.grade, a.created_at, a.updated_at, "
             "a.submitted_at FROM uw_assessment a JOIN organisation o ON o.id = a.org_id WHERE ($1 "
             "= 1 OR ($6 = 0 AND (a.org_id = $2 OR a.author_org_id = $2)) OR ($6 = 1 AND "
             "a.author_org_id = $2 AND a.org_id IN (%s)) OR EXISTS (SELECT 1 FROM uw_quote q JOIN "
             "uw_product p ON p.id = q.product_id WHERE q.assessment_id = a.id AND "
             "p.insurer_org_id = $2)) AND ($3 = 0 OR a.org_id = $3) AND a.id < $4 ORDER BY a.id "
             "DESC LIMIT $5",
             engaged);
    uw_pager_t g;
    uw_pager_open_scoped(c, sql, f, &s, "assessment", pg, &g, err);
    while (uw_pager_row(&g))
        summary_row(g.rows, &out->items[out->n++]);
    out->next = g.more ? out->items[out->n - 1].id : 0;
    return uw_pager_close(&g);
}

cy_status_t
uw_assess_renewal_usable(store_conn_t *c, int64_t org, int64_t old_id, const char *old_at,
                         uw_assessment_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    enum { CAP = 20 };
    out->items = calloc(CAP, sizeof *out->items);
    if (out->items == NULL)
        return cy_error_no_memory(err);
    store_param_t p[] = {STORE_P_INT(org), STORE_P_INT(old_id),
                         old_at && old_at[0] ? STORE_P_TEXT(old_at) : STORE_P_NULL};
    store_rows_t *r;
    cy_status_t st = store_query(
        c,
        "SELECT a.id, a.org_id, o.name AS org_name, a.author_org_id, a.status, "
        "a.questionnaire_version, a.score_hundredths, a.grade, a.created_at, a.updated_at, "
        "a.submitted_at FROM uw_assessment a JOIN organisation o ON o.id = a.org_id WHERE "
        "a.org_id = $1 AND a.status = 'submitted' AND a.id <> $2 AND (CAST($3 AS TEXT) IS NULL OR "
        "a.submitted_at >= $3) ORDER BY a.id DESC LIMIT 20",
        p, 3, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while (out->n < CAP && (k = store_rows_next(r, err)) == 1)
        summary_row(r, &out->items[out->n++]);
    if (out->n < CAP && k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

cy_status_t
uw_assess_latest(store_conn_t *c, int64_t org, int64_t *id, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org)};
    int found = 0;
    *id = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT MAX(id) AS id FROM uw_assessment WHERE org_id = $1 "
                                     "AND status = 'submitted'",
                                     p, 1, id, &found, err);
    if (!found)
        *id = 0;
    return st;
}

cy_status_t
uw_assess_count_of(store_conn_t *c, int64_t org, int64_t *n, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org)};
    return store_query_int(c, "SELECT COUNT(*) AS n FROM uw_assessment WHERE org_id = $1", p, 1, n,
                           NULL, err);
}

cy_status_t
uw_assess_visible(store_conn_t *c, const actor_t *a, const uw_assess_t *r, int64_t now,
                  int *visible, cy_error_t *err)
{
    if (!a->cli && a->org_type == ORG_SERVICE_ORG) {
        /* its own work, while the enterprise engages it */
        *visible = 0;
        return r->v.author_org_id != a->org_id
                   ? CY_OK
                   : engage_active(c, a->org_id, r->v.org_id, "assessment", now, visible, err);
    }
    *visible = uw_sees_all(a) || r->v.org_id == a->org_id || r->v.author_org_id == a->org_id;
    if (*visible || a->org_type != ORG_INSURER)
        return CY_OK;
    /* an insurer sees the assessments behind the quotes on its products */
    store_param_t p[] = {STORE_P_INT(r->v.id), STORE_P_INT(a->org_id)};
    int64_t n = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) AS n FROM uw_quote q JOIN uw_product p ON "
                                     "p.id = q.product_id WHERE q.assessment_id = $1 AND "
                                     "p.insurer_org_id = $2",
                                     p, 2, &n, NULL, err);
    *visible = st == CY_OK && n > 0;
    return st;
}

/* ---- for in-force monitoring (app/monitor) ---- */

cy_status_t
app_uw_latest_assessment(store_conn_t *c, int64_t org_id, uw_latest_t *out, int *found,
                         cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    store_param_t p[] = {STORE_P_INT(org_id)};
    store_rows_t *r;
    cy_status_t st = store_query_row(c,
                                     "SELECT id, score_hundredths, grade FROM uw_assessment WHERE "
                                     "org_id = $1 AND status = 'submitted' AND score_hundredths IS "
                                     "NOT NULL ORDER BY submitted_at DESC, id DESC LIMIT 1",
                                     p, 1, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    *found = 1;
    out->id = store_row_int(r, "id");
    out->score_hundredths = store_row_int(r, "score_hundredths");
    const char *g = store_row_text(r, "grade");
    out->grade = g != NULL ? g[0] : 'E';
    store_rows_free(r);
    return CY_OK;
}

void
uw_assessment_free(uw_assessment_t *a)
{
    if (a == NULL)
        return;
    free(a->answers);
    free(a->result);
    free(a->findings);
    a->answers = a->result = NULL;
    a->findings = NULL;
    a->n_findings = 0;
}

void
uw_assessment_list_free(uw_assessment_list_t *l)
{
    free(l->items); /* summaries own nothing */
    l->items = NULL;
    l->n = 0;
}
