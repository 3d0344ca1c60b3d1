/*
 * db.c — the tables of in-force monitoring (monitor_asset, monitor_signal,
 * monitor_signal_vendor, monitor_task, monitor_task_insurer, monitor_score),
 * read and written here only, columns by name; organisations' names and
 * types are read, never written. Depends on core/, store/ and app/engage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/engage/engage.h"
#include "app/monitor/internal.h"
#include "core/bjtime.h"

static void
copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static cy_status_t
done(store_rows_t *r, int k, cy_error_t *err)
{
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

cy_status_t
mon_org_read(store_conn_t *c, int64_t id, char *name, size_t cap, int *enterprise, cy_error_t *err)
{
    *enterprise = 0;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st =
        store_query(c, "SELECT name, type FROM organisation WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        copy(name, cap, store_row_text(r, "name"));
        *enterprise = strcmp(store_row_text(r, "type"), "enterprise") == 0;
    }
    return done(r, k, err);
}

cy_status_t
mon_stack_read(store_conn_t *c, int64_t org_id, mon_enterprise_t *e, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org_id)};
    store_rows_t *r;
    cy_status_t st = store_query(
        c, "SELECT vendor, version FROM monitor_asset WHERE org_id = $1 ORDER BY vendor", p, 1, &r,
        err);
    if (st != CY_OK)
        return st;
    int k;
    e->n_stack = 0;
    while ((k = store_rows_next(r, err)) == 1 && e->n_stack < MON_MAX_STACK) {
        mon_asset_t *a = &e->stack[e->n_stack++];
        store_row_copy(r, "vendor", a->vendor, sizeof a->vendor);
        store_row_copy(r, "version", a->version, sizeof a->version);
    }
    return done(r, k, err);
}

cy_status_t
mon_stack_replace(store_conn_t *c, int64_t org_id, int64_t now, const mon_asset_t *stack, size_t n,
                  cy_error_t *err)
{
    char at[32];
    utc_format_iso(now, at);
    store_param_t p[] = {STORE_P_INT(org_id)};
    cy_status_t st = store_exec(c, "DELETE FROM monitor_asset WHERE org_id = $1", p, 1, NULL, err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        store_param_t q[] = {STORE_P_INT(org_id), STORE_P_TEXT(stack[i].vendor),
                             STORE_P_TEXT(stack[i].version), STORE_P_TEXT(at)};
        st = store_exec(c,
                        "INSERT INTO monitor_asset (org_id, vendor, version, created_at) VALUES "
                        "($1, $2, $3, $4)",
                        q, 4, NULL, err);
    }
    return st;
}

static void
signal_from_row(store_rows_t *r, mon_signal_t *s)
{
    memset(s, 0, sizeof *s);
    s->id = store_row_int(r, "id");
    store_row_copy(r, "source", s->source, sizeof s->source);
    store_row_copy(r, "source_id", s->source_id, sizeof s->source_id);
    store_row_copy(r, "kind", s->kind, sizeof s->kind);
    store_row_copy(r, "cve", s->cve, sizeof s->cve);
    store_row_copy(r, "severity", s->severity, sizeof s->severity);
    store_row_copy(r, "title", s->title, sizeof s->title);
    store_row_copy(r, "received_at", s->received_at, sizeof s->received_at);
    s->matched = store_row_int(r, "matched");
}

cy_status_t
mon_signal_find(store_conn_t *c, const char *source, const char *source_id, mon_signal_t *out,
                int *found, cy_error_t *err)
{
    *found = 0;
    store_param_t p[] = {STORE_P_TEXT(source), STORE_P_TEXT(source_id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, source, source_id, kind, cve, severity, title, "
                                 "received_at, matched FROM monitor_signal WHERE source = $1 AND "
                                 "source_id = $2",
                                 p, 2, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1) {
        *found = 1;
        signal_from_row(r, out);
    }
    st = done(r, k, err);
    if (st != CY_OK || !*found)
        return st;
    store_param_t q[] = {STORE_P_INT(out->id)};
    return store_query_texts(
        c, "SELECT vendor FROM monitor_signal_vendor WHERE signal_id = $1 ORDER BY vendor", q, 1,
        "vendor", out->vendors[0], sizeof out->vendors[0], MON_MAX_MATCH, &out->n_vendors, err);
}

cy_status_t
mon_signal_insert(store_conn_t *c, int64_t now, int64_t by_org, mon_signal_t *s, cy_error_t *err)
{
    utc_format_iso(now, s->received_at);
    store_param_t p[] = {
        STORE_P_TEXT(s->source),      STORE_P_TEXT(s->source_id),
        STORE_P_TEXT(s->kind),        STORE_P_TEXT(s->cve),
        STORE_P_TEXT(s->severity),    STORE_P_TEXT(s->title),
        STORE_P_TEXT(s->received_at), by_org > 0 ? STORE_P_INT(by_org) : STORE_P_NULL};
    cy_status_t st = store_insert_id(c,
                                     "INSERT INTO monitor_signal (source, source_id, kind, cve, "
                                     "severity, title, received_at, received_by) VALUES ($1, $2, "
                                     "$3, $4, $5, $6, $7, $8) RETURNING id",
                                     p, 8, &s->id, err);
    for (size_t i = 0; st == CY_OK && i < s->n_vendors; i++) {
        store_param_t q[] = {STORE_P_INT(s->id), STORE_P_TEXT(s->vendors[i])};
        st = store_exec(c, "INSERT INTO monitor_signal_vendor (signal_id, vendor) VALUES ($1, $2)",
                        q, 2, NULL, err);
    }
    return st;
}

cy_status_t
mon_signal_set_matched(store_conn_t *c, int64_t id, int64_t matched, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(matched), STORE_P_INT(id)};
    return store_exec(c, "UPDATE monitor_signal SET matched = $1 WHERE id = $2", p, 2, NULL, err);
}

/* The integer column col of sql's rows into ids (at most cap), *n how many. */
static cy_status_t
ids_of(store_conn_t *c, const char *sql, store_param_t *p, const char *col, int64_t *ids,
       size_t cap, size_t *n, cy_error_t *err)
{
    *n = 0;
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1 && *n < cap)
        ids[(*n)++] = store_row_int(r, col);
    return done(r, k, err);
}

cy_status_t
mon_asset_orgs(store_conn_t *c, const char *vendor, int64_t *orgs, size_t cap, size_t *n,
               cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(vendor)};
    return ids_of(c, "SELECT org_id FROM monitor_asset WHERE vendor = $1 ORDER BY org_id", p,
                  "org_id", orgs, cap, n, err);
}

cy_status_t
mon_cve_vendors(store_conn_t *c, const char *cve, char (*vendors)[40], size_t cap, size_t *n,
                cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(cve)};
    return store_query_texts(c,
                             "SELECT DISTINCT v.vendor FROM monitor_signal s JOIN "
                             "monitor_signal_vendor v ON v.signal_id = s.id WHERE s.cve = $1 "
                             "ORDER BY v.vendor",
                             p, 1, "vendor", vendors[0], sizeof vendors[0], cap, n, err);
}

cy_status_t
mon_task_insert(store_conn_t *c, mon_task_t *t, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(t->org_id),          STORE_P_INT(t->signal_id),
                         STORE_P_TEXT(t->vendor),         STORE_P_TEXT(t->severity),
                         STORE_P_INT(t->assignee_org_id), STORE_P_TEXT(t->opened_at),
                         STORE_P_TEXT(t->due_at)};
    return store_insert_id(c,
                           "INSERT INTO monitor_task (org_id, signal_id, vendor, severity, "
                           "assignee_org_id, status, opened_at, due_at) VALUES ($1, $2, $3, $4, "
                           "$5, 'open', $6, $7) RETURNING id",
                           p, 7, &t->id, err);
}

cy_status_t
mon_task_insurer_add(store_conn_t *c, int64_t task_id, int64_t insurer, int64_t policy,
                     int64_t limit, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(task_id), STORE_P_INT(insurer), STORE_P_INT(policy),
                         STORE_P_INT(limit)};
    return store_exec(c,
                      "INSERT INTO monitor_task_insurer (task_id, insurer_org_id, policy_id, "
                      "aggregate_limit) VALUES ($1, $2, $3, $4)",
                      p, 4, NULL, err);
}

cy_status_t
mon_task_insurers(store_conn_t *c, int64_t task_id, int64_t *ids, size_t cap, size_t *n,
                  cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(task_id)};
    return ids_of(c,
                  "SELECT DISTINCT insurer_org_id FROM monitor_task_insurer WHERE task_id = $1 "
                  "ORDER BY insurer_org_id",
                  p, "insurer_org_id", ids, cap, n, err);
}

cy_status_t
mon_task_close_row(store_conn_t *c, const mon_task_t *t, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(t->closed_at),
                         t->closed_by > 0 ? STORE_P_INT(t->closed_by) : STORE_P_NULL,
                         STORE_P_TEXT(t->evidence_note),
                         t->evidence_file_id > 0 ? STORE_P_INT(t->evidence_file_id) : STORE_P_NULL,
                         STORE_P_INT(t->id)};
    return store_exec(c,
                      "UPDATE monitor_task SET status = 'closed', closed_at = $1, closed_by = $2, "
                      "evidence_note = $3, evidence_file_id = $4 WHERE id = $5 AND status = "
                      "'open'",
                      p, 5, NULL, err);
}

static void
task_from_row(store_rows_t *r, int64_t now, mon_task_t *t)
{
    memset(t, 0, sizeof *t);
    t->id = store_row_int(r, "id");
    t->org_id = store_row_int(r, "org_id");
    t->signal_id = store_row_int(r, "signal_id");
    t->assignee_org_id = store_row_int(r, "assignee_org_id");
    store_row_copy(r, "org_name", t->org_name, sizeof t->org_name);
    store_row_copy(r, "assignee_name", t->assignee_name, sizeof t->assignee_name);
    store_row_copy(r, "vendor", t->vendor, sizeof t->vendor);
    store_row_copy(r, "severity", t->severity, sizeof t->severity);
    store_row_copy(r, "status", t->status, sizeof t->status);
    store_row_copy(r, "cve", t->cve, sizeof t->cve);
    store_row_copy(r, "title", t->title, sizeof t->title);
    store_row_copy(r, "opened_at", t->opened_at, sizeof t->opened_at);
    store_row_copy(r, "due_at", t->due_at, sizeof t->due_at);
    store_row_copy(r, "closed_at", t->closed_at, sizeof t->closed_at);
    store_row_copy(r, "evidence_note", t->evidence_note, sizeof t->evidence_note);
    t->evidence_file_id = store_row_int(r, "evidence_file_id");
    t->closed_by = store_row_int(r, "closed_by");
    char at[32];
    utc_format_iso(now, at);
    t->overdue = strcmp(t->status, "open") == 0 && strcmp(t->due_at, at) < 0;
}

cy_status_t
mon_task_page(store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
              const mon_task_filter_t *f, mon_task_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    char at[32], sub[400], sql[2000];
    utc_format_iso(now, at);
    engage_sql_enterprises(sub, sizeof sub, 2, 8, 9);
    snprintf(sql, sizeof sql,
             "SELECT t.id, t.org_id, t.signal_id, t.assignee_org_id, o.name AS org_name, "
             "asg.name AS assignee_name, t.vendor, t.severity, t.status, s.cve, s.title, "
             "t.opened_at, t.due_at, t.closed_at, t.evidence_note, t.evidence_file_id, "
             "t.closed_by FROM monitor_task t JOIN monitor_signal s ON s.id = t.signal_id JOIN "
             "organisation o ON o.id = t.org_id JOIN organisation asg ON asg.id = "
             "t.assignee_org_id WHERE ($1 = 1 OR t.org_id = $2 OR t.assignee_org_id = $2 OR "
             "EXISTS (SELECT 1 FROM monitor_task_insurer i WHERE i.task_id = t.id AND "
             "i.insurer_org_id = $2) OR t.org_id IN (%s)) AND ($3 = '' OR t.status = $3) AND ($4 "
             "= 0 OR t.org_id = $4) AND ($5 = 0 OR t.id = $5) AND ($6 = 0 OR t.id < $6) ORDER BY "
             "t.id DESC LIMIT $7",
             sub);
    store_param_t p[] = {STORE_P_INT(a->cli || authz_sees_all(a->org_type)),
                         STORE_P_INT(a->org_id),
                         STORE_P_TEXT(f->status ? f->status : ""),
                         STORE_P_INT(f->org_id),
                         STORE_P_INT(id),
                         STORE_P_INT(f->page.cursor),
                         STORE_P_INT(f->page.limit + 1),
                         STORE_P_TEXT("monitoring"),
                         STORE_P_TEXT(at)};
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, p, 9, &r, err);
    if (st != CY_OK)
        return st;
    mon_task_t *t = malloc(sizeof *t);
    int k, count = 0;
    int64_t last = 0;
    *next = 0;
    while (t != NULL && (k = store_rows_next(r, err)) == 1) {
        if (++count > f->page.limit) {
            *next = last;
            break;
        }
        task_from_row(r, now, t);
        last = t->id;
        fn(t, arg);
    }
    free(t);
    if (t == NULL) {
        store_rows_free(r);
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL, "内存不足 / out of memory");
    }
    return done(r, k < 0 ? k : 0, err);
}

cy_status_t
mon_open_points(const monitor_data_t *md, store_conn_t *c, int64_t org_id, int64_t *points,
                int64_t *open, cy_error_t *err)
{
    *points = *open = 0;
    store_param_t p[] = {STORE_P_INT(org_id)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT severity, COUNT(*) AS n FROM monitor_task WHERE org_id = "
                                 "$1 AND status = 'open' GROUP BY severity ORDER BY severity",
                                 p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        const mon_severity_t *s = monitor_severity_find(md, store_row_text(r, "severity"));
        int64_t n = store_row_int(r, "n");
        *open += n;
        *points += s ? n * s->points : 0;
    }
    return done(r, k, err);
}

cy_status_t
mon_score_insert(store_conn_t *c, int64_t org_id, const mon_score_t *s, cy_error_t *err)
{
    char g[2] = {s->grade, '\0'};
    store_param_t p[] = {STORE_P_INT(org_id),
                         STORE_P_TEXT(s->at),
                         s->assessment_id > 0 ? STORE_P_INT(s->assessment_id) : STORE_P_NULL,
                         STORE_P_INT(s->base_hundredths),
                         STORE_P_INT(s->penalty),
                         STORE_P_INT(s->score_hundredths),
                         STORE_P_TEXT(g),
                         STORE_P_INT(s->open_tasks),
                         STORE_P_TEXT(s->cause)};
    return store_exec(c,
                      "INSERT INTO monitor_score (org_id, at, assessment_id, base_hundredths, "
                      "penalty, score_hundredths, grade, open_tasks, cause) VALUES ($1, $2, $3, "
                      "$4, $5, $6, $7, $8, $9)",
                      p, 9, NULL, err);
}

cy_status_t
mon_score_page(store_conn_t *c, int64_t org_id, const app_page_t *pg, mon_score_fn fn, void *arg,
               int64_t *next, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(org_id), STORE_P_INT(pg->cursor), STORE_P_INT(pg->limit + 1)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT id, at, assessment_id, base_hundredths, penalty, "
                                 "score_hundredths, grade, open_tasks, cause FROM monitor_score "
                                 "WHERE org_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC "
                                 "LIMIT $3",
                                 p, 3, &r, err);
    if (st != CY_OK)
        return st;
    int k, count = 0;
    int64_t last = 0;
    *next = 0;
    while ((k = store_rows_next(r, err)) == 1) {
        if (++count > pg->limit) {
            *next = last;
            break;
        }
        mon_score_t s = {0};
        last = store_row_int(r, "id");
        store_row_copy(r, "at", s.at, sizeof s.at);
        s.assessment_id = store_row_int(r, "assessment_id");
        s.base_hundredths = store_row_int(r, "base_hundredths");
        s.penalty = store_row_int(r, "penalty");
        s.score_hundredths = store_row_int(r, "score_hundredths");
        const char *g = store_row_text(r, "grade");
        s.grade = g ? g[0] : 'E';
        s.open_tasks = store_row_int(r, "open_tasks");
        store_row_copy(r, "cause", s.cause, sizeof s.cause);
        fn(&s, arg);
    }
    return done(r, k < 0 ? k : 0, err);
}
