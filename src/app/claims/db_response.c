/*
 * db_response.c — the tables claim_panel, claim_assignment and claim_task,
 * read and written here only, their columns by name; and the type and name
 * of an organisation a panel or an assignment names. Depends on store/;
 * never http/ or cli/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/claims/internal.h"

/* ---------- the panel ---------- */

#define PANEL_SELECT                                                                               \
    "SELECT p.id, p.insurer_org_id, p.service_org_id, p.services, p.hourly_rate, p.active, "       \
    "p.note, p.created_at, p.updated_at, io.name AS insurer_name, so.name AS service_org_name "    \
    "FROM claim_panel p JOIN organisation io ON io.id = p.insurer_org_id JOIN organisation so "    \
    "ON so.id = p.service_org_id "

static const store_col_t PANEL_COLS[] = {STORE_COL(claims_panel_t, id),
                                         STORE_COL(claims_panel_t, insurer_org_id),
                                         STORE_COL(claims_panel_t, service_org_id),
                                         STORE_COL(claims_panel_t, insurer_name),
                                         STORE_COL(claims_panel_t, service_org_name),
                                         STORE_COL(claims_panel_t, hourly_rate),
                                         STORE_COL(claims_panel_t, active),
                                         STORE_COL(claims_panel_t, note),
                                         STORE_COL(claims_panel_t, created_at),
                                         STORE_COL(claims_panel_t, updated_at)};

static void
panel_row(const store_rows_t *r, void *item)
{
    claims_panel_t *p = item;
    char list[CLAIMS_PANEL_SERVICES * 33];
    store_row_copy(r, "services", list, sizeof list);
    for (char *save = NULL, *tok = strtok_r(list, ",", &save);
         tok != NULL && p->n_services < CLAIMS_PANEL_SERVICES; tok = strtok_r(NULL, ",", &save))
        claims_copy(p->services[p->n_services++], sizeof p->services[0], tok);
}

cy_status_t
claims_panel_read(store_conn_t *c, int64_t id, claims_panel_t *p, int *found, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(id)};
    return claims_row_one(c, PANEL_SELECT "WHERE p.id = $1", q, 1, sizeof *p,
                          CLAIMS_MAP(PANEL_COLS, panel_row), p, found, err);
}

cy_status_t
claims_panel_member(store_conn_t *c, int64_t insurer, int64_t org, const char *service,
                    claims_panel_t *p, int *found, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(insurer), STORE_P_INT(org)};
    cy_status_t st =
        claims_row_one(c,
                       PANEL_SELECT "WHERE p.insurer_org_id = $1 AND p.service_org_id = $2 "
                                    "AND p.active = 1",
                       q, 2, sizeof *p, CLAIMS_MAP(PANEL_COLS, panel_row), p, found, err);
    int offers = 0;
    for (size_t i = 0; *found && i < p->n_services; i++)
        offers |= strcmp(p->services[i], service) == 0;
    *found = *found && offers;
    return st;
}

static void
services_text(const claims_panel_t *p, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_services; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, "%s%s", i ? "," : "", p->services[i]);
    }
}

cy_status_t
claims_panel_insert(store_conn_t *c, claims_panel_t *p, cy_error_t *err)
{
    char services[CLAIMS_PANEL_SERVICES * 33];
    services_text(p, services, sizeof services);
    store_param_t q[] = {STORE_P_INT(p->insurer_org_id), STORE_P_INT(p->service_org_id),
                         STORE_P_TEXT(services),         STORE_P_INT(p->hourly_rate),
                         STORE_P_INT(p->active),         STORE_P_TEXT(p->note),
                         STORE_P_TEXT(p->created_at)};
    return store_insert_id(c,
                           "INSERT INTO claim_panel (insurer_org_id, service_org_id, services, "
                           "hourly_rate, active, note, created_at, updated_at) VALUES ($1, $2, "
                           "$3, $4, $5, $6, $7, $7) RETURNING id",
                           q, 7, &p->id, err);
}

cy_status_t
claims_panel_update_row(store_conn_t *c, const claims_panel_t *p, cy_error_t *err)
{
    char services[CLAIMS_PANEL_SERVICES * 33];
    services_text(p, services, sizeof services);
    store_param_t q[] = {STORE_P_TEXT(services),      STORE_P_INT(p->hourly_rate),
                         STORE_P_INT(p->active),      STORE_P_TEXT(p->note),
                         STORE_P_TEXT(p->updated_at), STORE_P_INT(p->id)};
    return store_exec(c,
                      "UPDATE claim_panel SET services = $1, hourly_rate = $2, active = $3, "
                      "note = $4, updated_at = $5 WHERE id = $6",
                      q, 6, NULL, err);
}

cy_status_t
claims_panel_list_read(store_conn_t *c, int all, int64_t org, const app_page_t *pg,
                       claims_panel_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_param_t q[] = {STORE_P_INT(all), STORE_P_INT(org),
                         STORE_P_INT(pg->cursor > 0 ? pg->cursor : INT64_MAX),
                         STORE_P_INT(pg->limit + 1)};
    int more = 0;
    cy_status_t st = claims_rows(c,
                                 PANEL_SELECT "WHERE ($1 = 1 OR p.insurer_org_id = $2 OR "
                                              "p.service_org_id = $2) AND p.id < $3 ORDER BY "
                                              "p.id DESC LIMIT $4",
                                 q, 4, sizeof *out->items, CLAIMS_MAP(PANEL_COLS, panel_row),
                                 pg->limit, (void **)&out->items, &out->n, &more, err);
    out->next = more ? out->items[out->n - 1].id : 0;
    return st;
}

typedef struct {
    char type[24], name[256];
} org_facts_t;

static void
org_row(const store_rows_t *r, void *item)
{
    org_facts_t *o = item;
    store_row_copy(r, "type", o->type, sizeof o->type);
    store_row_copy(r, "name", o->name, sizeof o->name);
}

cy_status_t
claims_org_read(store_conn_t *c, int64_t id, char type[24], char name[256], int *found,
                cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(id)};
    org_facts_t o = {{0}, {0}};
    cy_status_t st = claims_row_one(c, "SELECT type, name FROM organisation WHERE id = $1", q, 1,
                                    sizeof o, CLAIMS_FIX(org_row), &o, found, err);
    memcpy(type, o.type, sizeof o.type);
    memcpy(name, o.name, sizeof o.name);
    return st;
}

/* ---------- assignments ---------- */

cy_status_t
claims_assignment_insert(store_conn_t *c, int64_t claim_id, claims_assignment_t *s, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(claim_id),       STORE_P_INT(s->service_org_id),
                         STORE_P_TEXT(s->service),    STORE_P_INT(s->panel),
                         STORE_P_INT(s->hourly_rate), STORE_P_TEXT(s->note),
                         STORE_P_INT(s->assigned_by), STORE_P_TEXT(s->assigned_at)};
    return store_insert_id(c,
                           "INSERT INTO claim_assignment (claim_id, service_org_id, service, "
                           "panel, hourly_rate, note, assigned_by, assigned_at) VALUES ($1, $2, "
                           "$3, $4, $5, $6, $7, $8) RETURNING id",
                           q, 8, &s->id, err);
}

static const store_col_t ASSIGNMENT_COLS[] = {STORE_COL(claims_assignment_t, id),
                                              STORE_COL(claims_assignment_t, service_org_id),
                                              STORE_COL(claims_assignment_t, service_org_name),
                                              STORE_COL(claims_assignment_t, service),
                                              STORE_COL(claims_assignment_t, panel),
                                              STORE_COL(claims_assignment_t, hourly_rate),
                                              STORE_COL(claims_assignment_t, note),
                                              STORE_COL(claims_assignment_t, assigned_by),
                                              STORE_COL(claims_assignment_t, assigned_at)};

cy_status_t
claims_assignments_read(store_conn_t *c, claims_claim_t *cl, int64_t org, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(cl->id), STORE_P_INT(org)};
    return claims_rows(c,
                       "SELECT s.id, s.service_org_id, s.service, s.panel, s.hourly_rate, "
                       "s.note, s.assigned_by, s.assigned_at, o.name AS service_org_name FROM "
                       "claim_assignment s JOIN organisation o ON o.id = s.service_org_id WHERE "
                       "s.claim_id = $1 AND ($2 = 0 OR s.service_org_id = $2) ORDER BY s.id",
                       q, 2, sizeof *cl->assignments, CLAIMS_MAP(ASSIGNMENT_COLS, NULL), 0,
                       (void **)&cl->assignments, &cl->n_assignments, NULL, err);
}

cy_status_t
claims_assigned(store_conn_t *c, int64_t claim_id, int64_t org, int *yes, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(claim_id), STORE_P_INT(org)};
    int64_t n = 0;
    cy_status_t st = store_query_int(c,
                                     "SELECT COUNT(*) FROM claim_assignment WHERE claim_id = $1 "
                                     "AND service_org_id = $2",
                                     q, 2, &n, NULL, err);
    *yes = n > 0;
    return st;
}

/* ---------- tasks ---------- */

#define TASK_SELECT                                                                                \
    "SELECT t.id, t.claim_id, t.assignment_id, t.title, t.detail, t.status, t.minutes, "           \
    "t.expenses, t.cost, t.created_by, t.created_at, t.updated_at, t.done_at, c.claim_no, "        \
    "s.service, s.service_org_id, s.hourly_rate FROM claim_task t JOIN claim c ON c.id = "         \
    "t.claim_id JOIN claim_assignment s ON s.id = t.assignment_id "

static const store_col_t TASK_COLS[] = {STORE_COL(claims_task_t, id),
                                        STORE_COL(claims_task_t, claim_id),
                                        STORE_COL(claims_task_t, assignment_id),
                                        STORE_COL(claims_task_t, service_org_id),
                                        STORE_COL(claims_task_t, created_by),
                                        STORE_COL(claims_task_t, claim_no),
                                        STORE_COL(claims_task_t, service),
                                        STORE_COL(claims_task_t, title),
                                        STORE_COL(claims_task_t, detail),
                                        STORE_COL(claims_task_t, status),
                                        STORE_COL(claims_task_t, minutes),
                                        STORE_COL(claims_task_t, expenses),
                                        STORE_COL(claims_task_t, cost),
                                        STORE_COL(claims_task_t, hourly_rate),
                                        STORE_COL(claims_task_t, created_at),
                                        STORE_COL(claims_task_t, updated_at),
                                        STORE_COL(claims_task_t, done_at)};

cy_status_t
claims_task_insert(store_conn_t *c, claims_task_t *t, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(t->claim_id),
                         STORE_P_INT(t->assignment_id),
                         STORE_P_TEXT(t->title),
                         STORE_P_TEXT(t->detail),
                         STORE_P_TEXT(t->status),
                         STORE_P_INT(t->minutes),
                         STORE_P_INT(t->expenses),
                         STORE_P_INT(t->cost),
                         STORE_P_INT(t->created_by),
                         STORE_P_TEXT(t->created_at),
                         t->done_at[0] ? STORE_P_TEXT(t->done_at) : STORE_P_NULL};
    return store_insert_id(c,
                           "INSERT INTO claim_task (claim_id, assignment_id, title, detail, "
                           "status, minutes, expenses, cost, created_by, created_at, "
                           "updated_at, done_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                           "$10, $10, $11) RETURNING id",
                           q, 11, &t->id, err);
}

cy_status_t
claims_task_update_row(store_conn_t *c, const claims_task_t *t, cy_error_t *err)
{
    store_param_t q[] = {
        STORE_P_TEXT(t->title),      STORE_P_TEXT(t->detail),
        STORE_P_TEXT(t->status),     STORE_P_INT(t->minutes),
        STORE_P_INT(t->expenses),    STORE_P_INT(t->cost),
        STORE_P_TEXT(t->updated_at), t->done_at[0] ? STORE_P_TEXT(t->done_at) : STORE_P_NULL,
        STORE_P_INT(t->id)};
    return store_exec(c,
                      "UPDATE claim_task SET title = $1, detail = $2, status = $3, minutes = "
                      "$4, expenses = $5, cost = $6, updated_at = $7, done_at = $8 WHERE id = $9",
                      q, 9, NULL, err);
}

cy_status_t
claims_task_read(store_conn_t *c, int64_t id, claims_task_t *t, int *found, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(id)};
    return claims_row_one(c, TASK_SELECT "WHERE t.id = $1", q, 1, sizeof *t,
                          CLAIMS_MAP(TASK_COLS, NULL), t, found, err);
}

cy_status_t
claims_tasks_read(store_conn_t *c, claims_claim_t *cl, int64_t org, cy_error_t *err)
{
    store_param_t q[] = {STORE_P_INT(cl->id), STORE_P_INT(org)};
    cy_status_t st = claims_rows(c,
                                 TASK_SELECT "WHERE t.claim_id = $1 AND ($2 = 0 OR "
                                             "s.service_org_id = $2) ORDER BY t.id",
                                 q, 2, sizeof *cl->tasks, CLAIMS_MAP(TASK_COLS, NULL), 0,
                                 (void **)&cl->tasks, &cl->n_tasks, NULL, err);
    cl->response_cost = 0;
    for (size_t i = 0; i < cl->n_tasks; i++)
        cl->response_cost += cl->tasks[i].cost;
    return st;
}

cy_status_t
claims_task_list_read(store_conn_t *c, const actor_t *a, const char *status, const app_page_t *pg,
                      claims_task_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int more = 0;
    cy_status_t st = claims_page(
        c,
        TASK_SELECT "WHERE ($1 = 1 OR s.service_org_id = $2 OR c.insurer_org_id = $2 OR "
                    "c.insured_org_id = $2) AND (CAST($3 AS TEXT) IS NULL OR t.status = $3) AND "
                    "t.id < $4 ORDER BY t.id DESC LIMIT $5",
        a, status, pg, sizeof *out->items, CLAIMS_MAP(TASK_COLS, NULL), (void **)&out->items,
        &out->n, &more, err);
    out->next = more ? out->items[out->n - 1].id : 0;
    return st;
}
