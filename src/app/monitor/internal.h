/*
 * internal.h — what the files of app/monitor share: the repository (db.c:
 * the tables monitor_* read and written there only, columns by name) and
 * the score (score.c). Private to src/app/monitor/.
 */
#ifndef CY_APP_MONITOR_INTERNAL_H
#define CY_APP_MONITOR_INTERNAL_H

#include "app/monitor/monitor.h"
#include "data/monitor.h"

/* ---- db.c ---- */
cy_status_t mon_org_read(store_conn_t *c, int64_t id, char *name, size_t cap, int *enterprise,
                         cy_error_t *err);
cy_status_t mon_stack_read(store_conn_t *c, int64_t org_id, mon_enterprise_t *e, cy_error_t *err);
cy_status_t mon_stack_replace(store_conn_t *c, int64_t org_id, int64_t now,
                              const mon_asset_t *stack, size_t n, cy_error_t *err);
/* the signal of (source, source_id), *found 0 when none */
cy_status_t mon_signal_find(store_conn_t *c, const char *source, const char *source_id,
                            mon_signal_t *out, int *found, cy_error_t *err);
cy_status_t mon_signal_insert(store_conn_t *c, int64_t now, int64_t by_org, mon_signal_t *s,
                              cy_error_t *err);
cy_status_t mon_signal_set_matched(store_conn_t *c, int64_t id, int64_t matched, cy_error_t *err);
/*
 * The enterprises declaring any of vendors[0..n_vendors), each once, into
 * orgs (cap): those vendor v brought first are orgs[from[v]] to
 * orgs[from[v + 1] - 1] (from has n_vendors + 1 places).
 */
cy_status_t mon_vendors_orgs(store_conn_t *c, char (*vendors)[40], size_t n_vendors, int64_t *orgs,
                             size_t cap, size_t *from, cy_error_t *err);
/* the catalogue codes the signals of identifier cve affect */
cy_status_t mon_cve_vendors(store_conn_t *c, const char *cve, char (*vendors)[40], size_t cap,
                            size_t *n, cy_error_t *err);
cy_status_t mon_task_insert(store_conn_t *c, mon_task_t *t, cy_error_t *err);
cy_status_t mon_task_insurer_add(store_conn_t *c, int64_t task_id, int64_t insurer, int64_t policy,
                                 int64_t limit, cy_error_t *err);
cy_status_t mon_task_insurers(store_conn_t *c, int64_t task_id, int64_t *ids, size_t cap, size_t *n,
                              cy_error_t *err);
cy_status_t mon_task_close_row(store_conn_t *c, const mon_task_t *t, cy_error_t *err);
/* one page of the tasks actor sees (id > 0: only that one) */
cy_status_t mon_task_page(store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
                          const mon_task_filter_t *f, mon_task_fn fn, void *arg, int64_t *next,
                          cy_error_t *err);
/* the points of the enterprise's open tasks */
cy_status_t mon_open_points(const monitor_data_t *md, store_conn_t *c, int64_t org_id,
                            int64_t *points, int64_t *open, cy_error_t *err);
cy_status_t mon_score_insert(store_conn_t *c, int64_t org_id, const mon_score_t *s,
                             cy_error_t *err);
cy_status_t mon_score_page(store_conn_t *c, int64_t org_id, const app_page_t *pg, mon_score_fn fn,
                           void *arg, int64_t *next, cy_error_t *err);

/* ---- score.c ---- */
/* the score at now (cause recorded with it when stored) */
cy_status_t mon_score_now(app_t *app, store_conn_t *c, int64_t org_id, int64_t now,
                          mon_score_t *out, cy_error_t *err);
/* the score at now stored in the history with its cause */
cy_status_t mon_score_record(app_t *app, store_conn_t *c, int64_t org_id, int64_t now,
                             const char *cause, cy_error_t *err);
/* whether actor may see enterprise org_id's monitoring at now */
cy_status_t mon_visible(store_conn_t *c, const actor_t *a, int64_t org_id, int64_t now, int *ok,
                        cy_error_t *err);

#endif
