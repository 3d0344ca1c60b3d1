/*
 * rounds.c — the pilot's data as the use cases see it: opening the rounds
 * and review criteria (data/pilot.h) into the app, finding a round, and the
 * public answers about rounds. Depends on core/, data/ and jansson.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/pilot/internal.h"

cy_status_t
app_pilot_open(app_t *app, cy_error_t *err)
{
    cy_status_t st = pilot_data_load(app->cfg.data_dir, &app->pilot, err);
    for (size_t i = 0; st == CY_OK && i < app->pilot->n_rounds; i++)
        st = pilot_annex_required_valid(&app->pilot->rounds[i], err);
    if (st != CY_OK) {
        pilot_data_free(app->pilot);
        app->pilot = NULL;
    }
    return st;
}

void
app_pilot_close(app_t *app)
{
    if (app == NULL)
        return;
    pilot_data_free(app->pilot);
    app->pilot = NULL;
}

const round_t *
pilot_round_find(const app_t *app, const char *id)
{
    if (app->pilot == NULL || id == NULL)
        return NULL;
    for (size_t i = 0; i < app->pilot->n_rounds; i++)
        if (strcmp(app->pilot->rounds[i].id, id) == 0)
            return &app->pilot->rounds[i];
    return NULL;
}

cy_status_t
pilot_round_need(const app_t *app, const char *id, const char *field, cy_status_t refusal,
                 const round_t **out, cy_error_t *err)
{
    *out = pilot_round_find(app, id);
    if (*out != NULL)
        return CY_OK;
    if (id == NULL || id[0] == '\0')
        return cy_error_set(err, refusal, "missing_field", field,
                            "请选择试点轮次 / the pilot round is required");
    return cy_error_set(err, refusal, "round_unknown", field,
                        "未知的试点轮次 %.32s / unknown pilot round %.32s", id, id);
}

const review_criteria_t *
pilot_criteria(const app_t *app, const round_t *r)
{
    const pilot_data_t *pd = app->pilot;
    if (r != NULL && r >= pd->rounds && r < pd->rounds + pd->n_rounds)
        return &pd->round_criteria[r - pd->rounds];
    return &pd->criteria;
}

/* ---- rounds as answers -------------------------------------------------- */

static json_t *
date_json(const round_date_t *d)
{
    if (!d->set)
        return json_null();
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->y, d->m, d->d);
    return json_string(buf);
}

static json_t *
deadlines_json(const round_date_t *dl, int only_set)
{
    json_t *o = json_object();
    for (int k = 0; k < ROUND_DL_COUNT; k++)
        if (!only_set || dl[k].set)
            json_object_set_new(o, round_deadline_key((round_deadline_t)k), date_json(&dl[k]));
    return o;
}

/* Limits by key, null where unset; "in_principle" lists the 原则上 ones. */
static json_t *
limits_json(const round_limits_t *l, unsigned given)
{
    json_t *o = json_object(), *ip = json_array();
    for (int k = 0; k < ROUND_LIM_COUNT; k++) {
        int v = round_limit_get(l, (round_limit_t)k);
        if ((given >> k) & 1)
            json_object_set_new(o, round_limit_key((round_limit_t)k),
                                v == ROUND_UNSET ? json_null() : json_integer(v));
        if (l->in_principle & (1u << k))
            json_array_append_new(ip, json_string(round_limit_key((round_limit_t)k)));
    }
    json_object_set_new(o, "in_principle", ip);
    return o;
}

/* What each annex has in force: limits, required fields, the declarations' text. */
static json_t *
annexes_json(const round_t *r)
{
    json_t *o = json_object();
    for (int a = 1; a <= 4; a++) {
        const round_annex_t *x = &r->annex[a];
        json_t *req = json_array();
        for (size_t i = 0; i < x->n_required; i++)
            json_array_append_new(req, json_string(x->required[i]));
        char key[2] = {(char)('0' + a), '\0'};
        json_object_set_new(o, key,
                            json_pack("{s:o, s:o, s:s, s:s}", "limits",
                                      limits_json(round_limits(r, a), ~0u), "required", req,
                                      "commitment", x->commitment, "declaration", x->declaration));
    }
    return o;
}

static json_t *
round_json(const round_t *r, int full)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", r->id, "name_zh", r->name_zh, "name_en",
                  r->name_en, "notice", r->notice, "deadlines", deadlines_json(r->deadlines, 0));
    if (!full)
        return o;
    json_t *limits = limits_json(&r->limits, ~0u);
    json_object_del(limits, "in_principle");
    json_object_set_new(o, "limits", limits);
    json_object_set_new(o, "annexes", annexes_json(r));
    json_t *late = json_object(), *rem = json_array();
    for (int k = 0; k < ROUND_DL_COUNT; k++)
        json_object_set_new(late, round_deadline_key((round_deadline_t)k),
                            json_string(r->late[k] == ROUND_LATE_FLAG ? "flag" : "refuse"));
    json_object_set_new(o, "late_policy", late);
    for (size_t i = 0; i < r->n_reminders; i++)
        json_array_append_new(rem, json_integer(r->reminders[i]));
    json_object_set_new(o, "reminders_days", rem);
    json_t *secs = json_array();
    for (size_t i = 0; i < r->n_summary_sections; i++) {
        const round_section_t *x = &r->summary_sections[i];
        json_array_append_new(secs, json_pack("{s:s, s:s, s:s, s:i}", "key", x->key, "name_zh",
                                              x->name_zh, "name_en", x->name_en, "zishu_min",
                                              x->zishu_min));
    }
    json_object_set_new(o, "summary_sections", secs);
    json_t *periods = json_array();
    for (size_t i = 0; i < r->n_periods; i++) {
        const round_period_t *p = &r->periods[i];
        json_array_append_new(periods, json_pack("{s:s, s:o, s:o, s:o}", "period", p->period,
                                                 "from", date_json(&p->from), "to",
                                                 date_json(&p->to), "due", date_json(&p->due)));
    }
    json_object_set_new(o, "progress_reports", periods);
    json_t *provs = json_object();
    for (size_t i = 0; i < r->n_provinces; i++)
        json_object_set_new(
            provs, r->provinces[i].code,
            json_pack("{s:s, s:o, s:s}", "source", r->provinces[i].source, "deadlines",
                      deadlines_json(r->provinces[i].deadlines, 1), "summary_route",
                      r->provinces[i].summary_route == ROUND_SUMMARY_VIA_CITY ? "via_city"
                                                                              : "direct"));
    json_object_set_new(o, "provinces", provs);
    json_object_set_new(o, "filing", pilot_filing_json(r));
    json_object_set_new(o, "source", json_string(r->source));
    json_object_set_new(o, "version", json_string(r->version));
    return o;
}

cy_status_t
app_round_list(app_t *app, json_t **items, cy_error_t *err)
{
    (void)err;
    *items = json_array();
    for (size_t i = 0; app->pilot != NULL && i < app->pilot->n_rounds; i++)
        json_array_append_new(*items, round_json(&app->pilot->rounds[i], 0));
    return CY_OK;
}

cy_status_t
app_round_get(app_t *app, const char *id, json_t **out, cy_error_t *err)
{
    *out = NULL;
    const round_t *r = pilot_round_find(app, id);
    if (r == NULL)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                            "试点轮次 %.32s 不存在 / pilot round %.32s not found", id, id);
    *out = round_json(r, 1);
    json_object_set_new(*out, "review_criteria", pilot_criteria_json(pilot_criteria(app, r)));
    return CY_OK;
}

json_t *
pilot_criteria_json(const review_criteria_t *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++)
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:s, s:i, s:i}", "code", c->items[i].code, "name_zh",
                             c->items[i].name_zh, "name_en", c->items[i].name_en, "max_score",
                             c->items[i].max_score, "weight", c->items[i].weight));
    return json_pack("{s:o, s:i, s:s, s:s}", "criteria", items, "min_reviews", c->min_reviews,
                     "source", c->source, "version", c->version);
}
