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
        store_query_row(c, "SELECT name, type FROM organisation WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    copy(name, cap, store_row_text(r, "name"));
    *enterprise = strcmp(store_row_text(r, "type"), "enterprise") == 0;
    store_rows_free(r);
    return CY_OK;
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

static const store_col_t SIGNAL_COLS[] = {
    STORE_COL(mon_signal_t, id),        STORE_COL(mon_signal_t, source),
    STORE_COL(mon_signal_t, source_id), STORE_COL(mon_signal_t, kind),
    STORE_COL(mon_signal_t, cve),       STORE_COL(mon_signal_t, severity),
    STORE_COL(mon_signal_t, title),     STORE_COL(mon_signal_t, received_at),
    STORE_COL(mon_signal_t, matched)};

static void
signal_from_row(store_rows_t *r, mon_signal_t *s)
{
    memset(s, 0, sizeof *s);
    store_row_read(r, SIGNAL_COLS, STORE_COLS_N(SIGNAL_COLS), s);
}

cy_status_t
mon_signal_find(store_conn_t *c, const char *source, const char *source_id, mon_signal_t *out,
                int *found, cy_error_t *err)
{
    *found = 0;
    store_param_t p[] = {STORE_P_TEXT(source), STORE_P_TEXT(source_id)};
    store_rows_t *r;
    cy_status_t st = store_query_row(c,
                                     "SELECT id, source, source_id, kind, cve, severity, title, "
                                     "received_at, matched FROM monitor_signal WHERE source = $1 "
                                     "AND source_id = $2",
                                     p, 2, &r, err);
    if (st != CY_OK || r == NULL)
        return st;
    *found = 1;
    signal_from_row(r, out);
    store_rows_free(r);
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

/* the enterprises declaring vendor (by the index), into orgs (cap), *n how many */
static cy_status_t
asset_orgs(store_conn_t *c, const char *vendor, int64_t *orgs, size_t cap, size_t *n,
           cy_error_t *err)
{
    store_param_t p[] = {STORE_P_TEXT(vendor)};
    return ids_of(c, "SELECT org_id FROM monitor_asset WHERE vendor = $1 ORDER BY org_id", p,
                  "org_id", orgs, cap, n, err);
}

cy_status_t
mon_vendors_orgs(store_conn_t *c, char (*vendors)[40], size_t n_vendors, int64_t *orgs, size_t cap,
                 size_t *from, cy_error_t *err)
{
    size_t total = 0;
    cy_status_t st = CY_OK;
    for (size_t v = 0; v < n_vendors; v++) {
        from[v] = total;
        size_t n = 0, start = total;
        if (st == CY_OK)
            st = asset_orgs(c, vendors[v], orgs + start, cap - start, &n, err);
        /* a vendor names an enterprise once (UNIQUE (org_id, vendor)): look among the others' */
        for (size_t i = start; st == CY_OK && i < start + n; i++) {
            int seen = 0;
            for (size_t k = 0; k < start && !seen; k++)
                seen = orgs[k] == orgs[i];
            if (!seen)
                orgs[total++] = orgs[i];
        }
    }
    from[n_vendors] = total;
    return st;
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

static const store_col_t TASK_COLS[] = {STORE_COL(mon_task_t, id),
                                        STORE_COL(mon_task_t, org_id),
                                        STORE_COL(mon_task_t, signal_id),
                                        STORE_COL(mon_task_t, assignee_org_id),
                                        STORE_COL(mon_task_t, org_name),
                                        STORE_COL(mon_task_t, assignee_name),
                                        STORE_COL(mon_task_t, vendor),
                                        STORE_COL(mon_task_t, severity),
                                        STORE_COL(mon_task_t, status),
                                        STORE_COL(mon_task_t, cve),
                                        STORE_COL(mon_task_t, title),
                                        STORE_COL(mon_task_t, opened_at),
                                        STORE_COL(mon_task_t, due_at),
                                        STORE_COL(mon_task_t, closed_at),
                                        STORE_COL(mon_task_t, evidence_note),
                                        STORE_COL(mon_task_t, evidence_file_id),
                                        STORE_COL(mon_task_t, closed_by)};

static void
task_from_row(store_rows_t *r, int64_t now, mon_task_t *t)
{
    memset(t, 0, sizeof *t);
    store_row_read(r, TASK_COLS, STORE_COLS_N(TASK_COLS), t);
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
        return cy_error_no_memory(err);
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
