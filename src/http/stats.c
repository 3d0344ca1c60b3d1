/*
 * stats.c — handlers of the pilot's statistics (app/stats/stats.h):
 * GET /api/v1/stats answers one breakdown as JSON, or as an XLSX workbook
 * with ?format=xlsx. Parse the query, call app/, render. A withheld bucket
 * answers its key and words with "suppressed": true and no figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/stats/stats.h"
#include "http/http.h"
#include "http/handlers.h"

static json_t *
figures_json(const stats_bucket_t *b)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "key", b->key, "name_zh", b->name_zh, "name_en",
                          b->name_en, "suppressed", b->suppressed);
    if (b->suppressed)
        return o;
    const stats_figures_t *f = &b->f;
    json_t *v = json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I}}", "insured_enterprises",
        (json_int_t)f->insured_enterprises, "policies_written", (json_int_t)f->policies_written,
        "policies_in_force", (json_int_t)f->policies_in_force, "insured_in_force",
        (json_int_t)f->insured_in_force, "written_premium", (json_int_t)f->written_premium,
        "aggregate_limit", (json_int_t)f->aggregate_limit, "assessments",
        (json_int_t)f->assessments, "grades", "A", (json_int_t)f->grades[0], "B",
        (json_int_t)f->grades[1], "C", (json_int_t)f->grades[2], "D", (json_int_t)f->grades[3], "E",
        (json_int_t)f->grades[4]);
    json_object_update(o, v);
    json_decref(v);
    return o;
}

static json_t *
result_json(const stats_result_t *r)
{
    json_t *items = json_array(), *na = json_array();
    for (size_t i = 0; i < r->n_items; i++)
        json_array_append_new(items, figures_json(&r->items[i]));
    for (const char *const *p = stats_not_available; *p != NULL; p++)
        json_array_append_new(na, json_string(*p));
    return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o}", "by",
                     stats_dim_name(r->by), "from", r->from, "to", r->to, "at", r->at, "scope",
                     "kind", r->scope, "region_prefix", r->scope_region, "suppress_below",
                     r->suppression ? json_integer(STATS_MIN_ENTERPRISES) : json_null(), "total",
                     figures_json(&r->total), "items", items, "not_available", na);
}

/* ?by= &from= &to= &region= &pilot_id= &scheme_id= &insurer_id= into the question. */
static int
query_in(http_req_t *req, http_resp_t *resp, stats_query_in_t *in)
{
    const char *by = http_query(req, "by");
    cy_error_t err;
    if (by != NULL && stats_dim_parse(by, &in->by, &err) != CY_OK) {
        http_reply_error(resp, &err);
        return 0;
    }
    in->from = http_query(req, "from");
    in->to = http_query(req, "to");
    in->region = http_query(req, "region");
    return http_query_int(req, resp, "pilot_id", 1, INT64_MAX, 0, &in->pilot_id) &&
           http_query_int(req, resp, "scheme_id", 1, INT64_MAX, 0, &in->scheme_id) &&
           http_query_int(req, resp, "insurer_id", 1, INT64_MAX, 0, &in->insurer_id);
}

void
h_stats(http_req_t *req, http_resp_t *resp)
{
    actor_t a;
    stats_query_in_t in = {.by = STATS_BY_NONE};
    if (!http_auth(req, resp, &a) || !query_in(req, resp, &in))
        return;
    const char *format = http_query(req, "format");
    cy_error_t err;
    cy_status_t st = CY_OK;
    if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0)
        st = cy_error_set(&err, CY_EBADREQ, "query_invalid", "format",
                          "format 应为 json 或 xlsx / format must be json or xlsx");
    stats_result_t r = {.items = NULL};
    if (st == CY_OK)
        st = app_stats_query(req->app, &a, req->now, &in, &r, &err);
    if (st == CY_OK && format != NULL && strcmp(format, "xlsx") == 0) {
        char *body = NULL;
        size_t len = 0;
        st = app_stats_xlsx(&r, &body, &len, &err);
        if (st == CY_OK) {
            char disposition[96];
            snprintf(disposition, sizeof disposition,
                     "attachment; filename=\"cyberins-stats-%s.xlsx\"", stats_dim_name(r.by));
            http_resp_header(resp, "Content-Disposition", disposition);
            http_reply_text(resp, 200,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            body, len);
            resp->owned = 1; /* the answer frees the workbook */
        } else {
            free(body);
        }
        stats_result_free(&r);
        if (st == CY_OK)
            return;
    }
    http_answer(resp, st, &err, 200, st == CY_OK ? result_json(&r) : NULL);
    stats_result_free(&r);
}
