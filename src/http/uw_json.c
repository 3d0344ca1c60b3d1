/*
 * uw_json.c — underwriting's JSON (uw_json.h): request bodies into the
 * inputs of app/uw/uw.h, records into the API's answers. Nothing here
 * judges a value: a field of the wrong type inside a nested object or a
 * list goes on as a uw_value_t and the use case refuses it with its field.
 * Stored documents (a breakdown, conditions, answers, a scoring result) go
 * out as stored through http_doc. Never includes sqlite3 or libpq.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"
#include "app/jsonw.h"
#include "http/uw_json.h"

/* ---------- requests ---------- */

static uw_value_t
value_of(json_t *v)
{
    uw_value_t u = {0};
    if (v == NULL)
        u.kind = UW_ABSENT;
    else if (json_is_null(v))
        u.kind = UW_NULL;
    else if (json_is_string(v))
        u.kind = UW_STRING, u.s = json_string_value(v);
    else if (json_is_integer(v))
        u.kind = UW_INTEGER, u.i = json_integer_value(v), u.x = (double)u.i;
    else if (json_is_real(v))
        u.kind = UW_REAL, u.x = json_real_value(v);
    else if (json_is_boolean(v))
        u.kind = UW_BOOL, u.i = json_is_true(v);
    else
        u.kind = UW_OTHER;
    return u;
}

static const char *
str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static uw_opt_int_t
opt_int(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return (uw_opt_int_t){json_is_integer(v), json_integer_value(v)};
}

/* The elements of a list as values, at most cap of them; answers the list's length. */
static size_t
values_of(json_t *arr, uw_value_t *out, size_t cap)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (i < cap)
            out[i] = value_of(v);
    }
    return json_array_size(arr);
}

/* A list of values allocated in l (NULL when the list is empty or memory ran out). */
static uw_value_t *
value_list(json_t *arr, uwj_lists_t *l, size_t *n, int *ok)
{
    *n = json_array_size(arr);
    if (*n == 0)
        return NULL;
    l->values = calloc(*n, sizeof *l->values);
    if (l->values == NULL) {
        *ok = 0;
        return NULL;
    }
    values_of(arr, l->values, *n);
    return l->values;
}

/* The first key of o that is not among known (NULL-ended), or NULL. */
static const char *
unknown_key(json_t *o, const char *const *known)
{
    const char *key;
    json_t *val;
    json_object_foreach(o, key, val)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (known[i] == NULL)
            return key;
    }
    return NULL;
}

void
uwj_lists_free(uwj_lists_t *l)
{
    free(l->values);
    free(l->answers);
    free(l->findings);
    memset(l, 0, sizeof *l);
}

static void
cover_in(json_t *o, uw_cover_in_t *c)
{
    static const char *const keys[] = {"code", "sublimit", "share_bp", NULL};
    c->not_object = !json_is_object(o);
    c->code = value_of(json_object_get(o, "code"));
    c->sublimit = value_of(json_object_get(o, "sublimit"));
    c->share_bp = value_of(json_object_get(o, "share_bp"));
    c->unknown = c->not_object ? NULL : unknown_key(o, keys);
}

void
uwj_product_in(json_t *b, uw_product_in_t *in)
{
    memset(in, 0, sizeof *in);
    in->name = str(b, "name");
    in->class_ = str(b, "class");
    in->description = str(b, "description");
    in->has_product_type = json_object_get(b, "product_type") != NULL;
    in->product_type = str(b, "product_type");
    json_t *ti = json_object_get(b, "target_industries");
    in->has_target_industries = ti != NULL;
    in->n_target_industries = values_of(ti, in->target_industries, UW_MAX_TARGETS);
    in->bi_waiting_hours = opt_int(b, "bi_waiting_hours");
    json_t *ro = json_object_get(b, "retention_options"), *lo = json_object_get(b, "limit_options");
    in->has_retentions = ro != NULL;
    in->n_retentions = values_of(ro, in->retentions, UW_MAX_OPTIONS);
    in->has_limits = lo != NULL;
    in->n_limits = values_of(lo, in->limits, UW_MAX_OPTIONS);
    in->has_minimum_premium = json_object_get(b, "minimum_premium") != NULL;
    in->minimum_premium = value_of(json_object_get(b, "minimum_premium"));
    json_t *cv = json_object_get(b, "coverages");
    in->has_coverages = cv != NULL;
    in->n_coverages = json_array_size(cv);
    for (size_t i = 0; i < in->n_coverages && i < COV_N; i++)
        cover_in(json_array_get(cv, i), &in->coverages[i]);
    in->trigger = str(b, "liability_trigger");
    in->has_retro_date = json_object_get(b, "retro_date") != NULL;
    in->retro_date = str(b, "retro_date");
}

void
uwj_filing_in(json_t *b, uw_filing_in_t *in)
{
    in->filing_no = str(b, "filing_no");
    in->filing_date = str(b, "filing_date");
}

static void
mlps_in(json_t *o, uw_mlps_in_t *m)
{
    static const char *const keys[] = {"level", "conclusion", "score", "date", NULL};
    m->unknown = unknown_key(o, keys);
    m->level = value_of(json_object_get(o, "level"));
    m->conclusion = value_of(json_object_get(o, "conclusion"));
    m->score = value_of(json_object_get(o, "score"));
    m->date = value_of(json_object_get(o, "date"));
}

/* Declared dependencies {cloud, os, vpn, email} as sent (an assessment's, an endorsement's). */
static void
dependencies_in(json_t *o, const char **unknown, uw_value_t dep[4])
{
    static const char *const keys[] = {"cloud", "os", "vpn", "email", NULL};
    *unknown = unknown_key(o, keys);
    for (int d = 0; d < 4; d++)
        dep[d] = value_of(json_object_get(o, keys[d]));
}

/* The answers in the order sent. */
static int
answers_in(json_t *o, uw_assessment_in_t *in, uwj_lists_t *l)
{
    in->n_answers = json_object_size(o);
    if (in->n_answers == 0)
        return 1;
    l->answers = calloc(in->n_answers, sizeof *l->answers);
    if (l->answers == NULL)
        return 0;
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        l->answers[i].question = key;
        l->answers[i++].value = value_of(v);
    }
    in->answers = l->answers;
    return 1;
}

int
uwj_assessment_in(json_t *b, uw_assessment_in_t *in, uwj_lists_t *l)
{
    memset(in, 0, sizeof *in);
    int ok = 1;
    in->org_id = opt_int(b, "org_id");
    in->from_assessment_id = opt_int(b, "from_assessment_id");
    in->has_target_industry = json_object_get(b, "target_industry") != NULL;
    in->target_industry = str(b, "target_industry");
    json_t *fl = json_object_get(b, "flags"), *ans = json_object_get(b, "answers");
    json_t *ml = json_object_get(b, "mlps"), *deps = json_object_get(b, "dependencies");
    in->has_flags = fl != NULL;
    in->flags = value_list(fl, l, &in->n_flags, &ok);
    in->has_answers = ans != NULL;
    if (ans != NULL)
        ok = ok && answers_in(ans, in, l);
    in->has_mlps = ml != NULL;
    if (ml != NULL)
        mlps_in(ml, &in->mlps);
    in->has_dependencies = deps != NULL;
    if (deps != NULL)
        dependencies_in(deps, &in->dep_unknown, in->dep);
    return ok;
}

/* One finding as sent: its keys in order, up to the first one a finding does not have. */
static void
finding_in(json_t *o, uw_finding_in_t *f)
{
    f->not_object = !json_is_object(o);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        uw_finding_cell_t *c = &f->cells[f->n++];
        c->key = key;
        c->col = -1;
        for (int k = 0; k < UW_FINDING_COLS; k++)
            if (!strcmp(uw_finding_cols[k], key))
                c->col = k;
        c->value = value_of(v);
        if (c->col < 0 || f->n == UW_FINDING_COLS + 1)
            break;
    }
}

int
uwj_findings_in(json_t *b, uw_findings_in_t *in, uwj_lists_t *l)
{
    memset(in, 0, sizeof *in);
    json_t *fj = json_object_get(b, "findings");
    in->csv = str(b, "csv");
    in->replace = json_is_true(json_object_get(b, "replace"));
    in->has_findings = fj != NULL;
    in->n_findings = json_array_size(fj);
    if (in->n_findings == 0)
        return 1;
    l->findings = calloc(in->n_findings, sizeof *l->findings);
    if (l->findings == NULL)
        return 0;
    for (size_t i = 0; i < in->n_findings; i++)
        finding_in(json_array_get(fj, i), &l->findings[i]);
    in->findings = l->findings;
    return 1;
}

int
uwj_quote_in(json_t *b, uw_quote_in_t *in, int *indicative, uwj_lists_t *l)
{
    memset(in, 0, sizeof *in);
    int ok = 1;
    *indicative = json_is_true(json_object_get(b, "indicative"));
    in->product_id = json_integer_value(json_object_get(b, "product_id"));
    in->revenue = json_integer_value(json_object_get(b, "revenue"));
    in->aggregate_limit = json_integer_value(json_object_get(b, "aggregate_limit"));
    in->retention = json_integer_value(json_object_get(b, "retention"));
    in->org_id = opt_int(b, "org_id");
    in->assessment_id = opt_int(b, "assessment_id");
    in->gross_margin_bp = opt_int(b, "gross_margin_bp");
    in->industry = str(b, "industry");
    in->grade = str(b, "grade");
    in->start_date = str(b, "start_date");
    json_t *cv = json_object_get(b, "coverages");
    in->has_coverages = cv != NULL;
    in->coverages = value_list(cv, l, &in->n_coverages, &ok);
    return ok;
}

void
uwj_referral_in(json_t *b, uw_referral_in_t *in)
{
    in->decision = str(b, "decision");
    in->note = str(b, "note");
}

static void
endorse_cover_in(json_t *o, uw_endorse_cover_in_t *c)
{
    static const char *const keys[] = {"code", "sublimit", NULL};
    c->not_object = !json_is_object(o);
    c->code = value_of(json_object_get(o, "code"));
    c->sublimit = value_of(json_object_get(o, "sublimit"));
    c->unknown = c->not_object ? NULL : unknown_key(o, keys);
}

void
uwj_endorse_in(json_t *b, uw_endorse_in_t *in)
{
    memset(in, 0, sizeof *in);
    in->effective_date = str(b, "effective_date");
    in->aggregate_limit = opt_int(b, "aggregate_limit");
    in->retention = opt_int(b, "retention");
    in->revenue = opt_int(b, "revenue");
    in->gross_margin_bp = opt_int(b, "gross_margin_bp");
    in->industry = str(b, "industry");
    in->region_code = str(b, "region_code");
    json_t *cv = json_object_get(b, "coverages"), *deps = json_object_get(b, "dependencies");
    in->has_coverages = cv != NULL;
    in->n_coverages = json_array_size(cv);
    for (size_t i = 0; i < in->n_coverages && i < COV_N; i++)
        endorse_cover_in(json_array_get(cv, i), &in->coverages[i]);
    in->has_dependencies = deps != NULL;
    if (deps != NULL)
        dependencies_in(deps, &in->dep_unknown, in->dep);
    in->note = str(b, "note");
    in->preview = json_is_true(json_object_get(b, "preview"));
}

void
uwj_cancel_in(json_t *b, uw_cancel_in_t *in)
{
    in->effective_date = str(b, "effective_date");
    in->reason = str(b, "reason");
    in->note = str(b, "note");
    in->preview = json_is_true(json_object_get(b, "preview"));
}

void
uwj_renew_in(json_t *b, uw_renew_in_t *in)
{
    in->assessment_id = json_integer_value(json_object_get(b, "assessment_id")); /* 0: none */
    in->revenue = opt_int(b, "revenue");
    in->gross_margin_bp = opt_int(b, "gross_margin_bp");
    in->aggregate_limit = opt_int(b, "aggregate_limit");
    in->retention = opt_int(b, "retention");
}

/* ---------- small renderers ---------- */

/* A rate: null when not finite. */
static json_t *
ratio(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *
text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

static json_t *
amounts(const int64_t *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *
dependencies(const char dep[4][64])
{
    return json_pack("{s:s, s:s, s:s, s:s}", "cloud", dep[0], "os", dep[1], "vpn", dep[2], "email",
                     dep[3]);
}

/* A bit of a set and its name in the API. */
typedef struct {
    unsigned bit;
    const char *name;
} bit_name_t;

/* The names of the bits of m, in the table's order. */
static json_t *
names_of(unsigned m, const bit_name_t *t, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        if (m & t[i].bit)
            json_array_append_new(a, json_string(t[i].name));
    return a;
}

/* What the caller may do (uw.h UW_ACT_*), as the API says it. */
static json_t *
actions_json(unsigned m)
{
    static const bit_name_t A[] = {{UW_ACT_ENDORSE, "endorse"}, {UW_ACT_CANCEL, "cancel"},
                                   {UW_ACT_RENEW, "renew"},     {UW_ACT_BIND, "bind"},
                                   {UW_ACT_DECIDE, "decide"},   {UW_ACT_EDIT, "edit"},
                                   {UW_ACT_FILE, "file"},       {UW_ACT_VERSION, "version"}};
    return names_of(m, A, sizeof A / sizeof A[0]);
}

/* ---------- products ---------- */

json_t *
uwj_product(const uw_product_t *p)
{
    json_t *cov = json_array(), *ti = json_array();
    for (int c = 0; c < COV_N; c++) {
        if (!(p->covered & (1u << c)))
            continue;
        json_array_append_new(
            cov, json_pack("{s:s, s:s, s:s, s:o, s:i}", "code", cov_code(c), "name_zh",
                           cov_name_zh(c), "name_en", cov_name_en(c), "sublimit",
                           p->sublimit[c] > 0 ? json_integer(p->sublimit[c]) : json_null(),
                           "share_bp", p->share_bp[c]));
    }
    for (size_t i = 0; i < p->n_target_industries; i++)
        json_array_append_new(ti, json_string(p->target_industries[i]));
    return json_pack(
        "{s:I, s:I, s:i, s:I, s:s, s:s, s:s, s:o, s:o, s:s, s:i, s:o, s:o, s:o, s:o, s:s, s:s, "
        "s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:o}",
        "id", (json_int_t)p->id, "family_id", (json_int_t)p->family_id, "version", p->version,
        "insurer_org_id", (json_int_t)p->insurer_org_id, "insurer_name", p->insurer_name, "name",
        p->name, "class", p->class_, "target_industries", ti, "product_type",
        text_or_null(p->product_type), "description", p->description, "bi_waiting_hours",
        p->bi_waiting_hours, "retention_options", amounts(p->retentions, p->n_retentions),
        "limit_options", amounts(p->limits, p->n_limits), "minimum_premium",
        p->minimum_premium >= 0 ? json_integer(p->minimum_premium) : json_null(), "coverages", cov,
        "rating_model", p->rating_model, "rules_version", p->rules_version, "status", p->status,
        "filing_no", text_or_null(p->filing_no), "filing_date", text_or_null(p->filing_date),
        "created_at", p->created_at, "updated_at", p->updated_at, "liability_trigger", p->trigger,
        "retro_date", text_or_null(p->retro_date), "actions", actions_json(p->actions));
}

json_t *
uwj_products(const uw_product_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, uwj_product(&l->items[i]));
    return a;
}

json_t *
uwj_rate_table(const uw_rate_table_t *t)
{
    json_t *bands = json_array(), *rows = json_array();
    for (size_t b = 0; b < t->n_bands; b++) {
        const uw_band_view_t *bd = &t->bands[b];
        json_array_append_new(
            bands, json_pack("{s:s, s:s, s:s, s:o, s:I}", "code", bd->code, "name_zh", bd->name_zh,
                             "name_en", bd->name_en, "max_revenue",
                             bd->max_revenue ? json_integer(bd->max_revenue) : json_null(),
                             "rated_revenue", (json_int_t)bd->rated_revenue));
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        const uw_rate_row_t *r = &t->rows[i];
        json_t *ids = json_array();
        for (size_t k = 0; k < r->n_rules; k++)
            json_array_append_new(ids, json_string(r->rules[k]));
        json_array_append_new(
            rows,
            json_pack("{s:I, s:s#, s:s, s:I, s:I, s:I, s:o, s:s, s:o}", "limit",
                      (json_int_t)r->limit, "grade", &r->grade, 1, "band", r->band, "rated_revenue",
                      (json_int_t)r->rated_revenue, "premium", (json_int_t)r->premium,
                      "pure_premium", (json_int_t)r->pure_premium, "rate_on_line",
                      ratio(r->rate_on_line), "decision", r->decision, "rules", ids));
    }
    json_t *marks = json_array();
    for (size_t i = 0; i < t->n_rules; i++)
        json_array_append_new(marks,
                              json_pack("{s:s, s:s, s:s, s:s}", "id", t->rules[i].id, "decision",
                                        t->rules[i].decision, "reason_zh", t->rules[i].reason_zh,
                                        "reason_en", t->rules[i].reason_en));
    char sec[2] = {t->section, '\0'};
    return json_pack(
        "{s:I, s:s, s:i, s:s, s:s, s:I, s:o, s:o, s:o, s:s, s:s, s:s, s:o, s:o}", "product_id",
        (json_int_t)t->product_id, "product_name", t->product_name, "version", t->version,
        "industry", t->industry, "industry_section", sec, "retention", (json_int_t)t->retention,
        "limits", amounts(t->limits, t->n_limits), "bands", bands, "grades",
        json_pack("[s,s,s,s,s]", "A", "B", "C", "D", "E"), "rating_model", t->rating_model,
        "rules_version", t->rules_version, "currency", "CNY (fen)", "rules", marks, "rows", rows);
}

char *
uwj_rate_table_csv(const uw_rate_table_t *t, size_t *len)
{
    size_t cap = 256 + t->n_rows * (160 + UW_RATE_RULES * 64), n = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    n += (size_t)snprintf(buf + n, cap - n,
                          "limit_fen,grade,revenue_band,rated_revenue_fen,premium_fen,"
                          "pure_premium_fen,rate_on_line,decision,rules\n");
    for (size_t i = 0; i < t->n_rows && n < cap; i++) {
        const uw_rate_row_t *r = &t->rows[i];
        n += (size_t)snprintf(buf + n, cap - n, "%lld,%c,%s,%lld,%lld,%lld,%.6f,%s,",
                              (long long)r->limit, r->grade, r->band, (long long)r->rated_revenue,
                              (long long)r->premium, (long long)r->pure_premium,
                              isfinite(r->rate_on_line) ? r->rate_on_line : 0.0, r->decision);
        for (size_t k = 0; k < r->n_rules && n < cap; k++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", k ? ";" : "", r->rules[k]);
        if (n < cap)
            n += (size_t)snprintf(buf + n, cap - n, "\n");
    }
    *len = n < cap ? n : cap - 1;
    return buf;
}

/* ---------- the questionnaire ---------- */

static json_t *
question_json(const qn_t *qn, const qn_question_t *q)
{
    static const char *const TYPES[] = {"ynp", "choice", "number"};
    json_t *j =
        json_pack("{s:s, s:s, s:o, s:s, s:o, s:b, s:b, s:s, s:s, s:s, s:s, s:s}", "id", q->id,
                  "section", qn->sections[q->section].code, "module",
                  q->module >= 0 ? json_string(qn->modules[q->module].code) : json_null(), "type",
                  TYPES[q->type], "weight", ratio(q->weight), "na_allowed", q->na_allowed,
                  "critical", q->critical, "text_zh", q->text_zh, "text_en", q->text_en,
                  "driver_zh", q->driver_zh, "driver_en", q->driver_en, "source", q->source);
    if (q->type == QN_CHOICE) {
        json_t *opts = json_array();
        for (size_t k = 0; k < q->n_options; k++)
            json_array_append_new(
                opts, json_pack("{s:s, s:s, s:s, s:o}", "code", q->options[k].code, "name_zh",
                                q->options[k].name_zh, "name_en", q->options[k].name_en, "score",
                                ratio(q->options[k].score)));
        json_object_set_new(j, "options", opts);
    }
    if (q->type == QN_NUMBER)
        json_object_set_new(
            j, "number",
            json_pack("{s:o, s:o, s:o, s:o, s:s, s:s}", "min", ratio(q->num_min), "max",
                      ratio(q->num_max), "score_at_min", ratio(q->score_at_min), "score_at_max",
                      ratio(q->score_at_max), "unit_zh", q->unit_zh, "unit_en", q->unit_en));
    return j;
}

static json_t *
module_json(const qn_t *qn, const qn_module_t *m)
{
    json_t *ti = json_array(), *fl = json_array();
    for (size_t k = 0; k < m->n_target_industries; k++)
        json_array_append_new(ti, json_string(m->target_industries[k]));
    for (size_t k = 0; k < qn->n_flags; k++)
        if (m->flags & (1u << k))
            json_array_append_new(fl, json_string(qn->flags[k]));
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", m->code, "name_zh", m->name_zh,
                     "name_en", m->name_en, "source", m->source, "target_industries", ti, "flags",
                     fl);
}

json_t *
uwj_questionnaire(const qn_t *qn)
{
    json_t *flags = json_array(), *sections = json_array(), *modules = json_array(),
           *questions = json_array(), *conclusions = json_array(), *grades = json_object();
    for (size_t i = 0; i < qn->n_flags; i++)
        json_array_append_new(flags,
                              json_pack("{s:s, s:s, s:s}", "code", qn->flags[i], "name_zh",
                                        qn->flag_name_zh[i], "name_en", qn->flag_name_en[i]));
    for (size_t i = 0; i < qn->n_sections; i++) {
        const qn_section_t *s = &qn->sections[i];
        json_array_append_new(sections,
                              json_pack("{s:s, s:s, s:s, s:s}", "code", s->code, "name_zh",
                                        s->name_zh, "name_en", s->name_en, "source", s->source));
    }
    for (size_t i = 0; i < qn->n_modules; i++)
        json_array_append_new(modules, module_json(qn, &qn->modules[i]));
    for (size_t i = 0; i < qn->n_questions; i++)
        json_array_append_new(questions, question_json(qn, &qn->questions[i]));
    for (size_t i = 0; i < qn->n_conclusions; i++)
        json_array_append_new(conclusions,
                              json_pack("{s:s, s:s, s:s, s:f}", "code", qn->conclusions[i].code,
                                        "name_zh", qn->conclusions[i].name_zh, "name_en",
                                        qn->conclusions[i].name_en, "points",
                                        qn->conclusions[i].points));
    for (int g = 0; g < QN_GRADES; g++) {
        char k[2] = {(char)('A' + g), '\0'};
        json_object_set_new(grades, k, ratio(qn->grade_min[g]));
    }
    return json_pack("{s:s, s:s, s:{s:f, s:o}, s:o, s:o, s:o, s:o, s:o}", "version", qn->version,
                     "source", qn->source, "scoring", "partial_credit", qn->partial_credit,
                     "grade_min", grades, "profile_flags", flags, "sections", sections, "modules",
                     modules, "questions", questions, "mlps_conclusions", conclusions);
}

/* ---------- assessments ---------- */

static json_t *
finding_json(const uw_finding_t *f)
{
    return json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:b, s:b, s:s}", "id", (json_int_t)f->id,
                     "asset", f->asset, "port", f->port >= 0 ? json_integer(f->port) : json_null(),
                     "service", f->service, "cve", f->cve, "cvss",
                     f->cvss_tenths >= 0 ? json_real((double)f->cvss_tenths / 10.0) : json_null(),
                     "epss", f->epss_e5 >= 0 ? json_real((double)f->epss_e5 / 1e5) : json_null(),
                     "kev", f->kev, "internet_facing", f->internet_facing, "first_seen",
                     f->first_seen);
}

static json_t *
codes(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *
score_or_null(const uw_assessment_t *a)
{
    return a->scored ? json_real(a->score) : json_null();
}

static json_t *
grade_or_null(char g)
{
    char s[2] = {g, '\0'};
    return g ? json_string(s) : json_null();
}

json_t *
uwj_assessment(const uw_assessment_t *a, http_docs_t *d)
{
    json_t *mlps =
        json_pack("{s:i, s:o, s:o, s:o}", "level", a->mlps_level, "conclusion",
                  text_or_null(a->mlps_conclusion), "score",
                  a->mlps_score_tenths >= 0 ? json_real(a->mlps_score_tenths / 10.0) : json_null(),
                  "date", text_or_null(a->mlps_date));
    json_t *j = json_pack(
        "{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:{s:I, s:I}, s:o, s:o, s:o, s:o, "
        "s:o, s:s, s:s, s:o}",
        "id", (json_int_t)a->id, "org_id", (json_int_t)a->org_id, "org_name", a->org_name,
        "author_org_id", (json_int_t)a->author_org_id, "status", a->status, "questionnaire_version",
        a->questionnaire_version, "target_industry", a->target_industry, "flags",
        codes(a->flags, a->n_flags), "modules", codes(a->modules, a->n_modules), "answers",
        http_doc(d, a->answers ? a->answers : "{}"), "progress", "applicable",
        (json_int_t)a->applicable, "answered", (json_int_t)a->answered, "mlps", mlps,
        "dependencies", dependencies(a->dep), "score", score_or_null(a), "grade",
        grade_or_null(a->grade), "result", http_doc(d, a->result), "created_at", a->created_at,
        "updated_at", a->updated_at, "submitted_at", text_or_null(a->submitted_at));
    if (a->with_findings) {
        json_t *f = json_array();
        for (size_t i = 0; i < a->n_findings; i++)
            json_array_append_new(f, finding_json(&a->findings[i]));
        json_object_set_new(j, "findings", f);
    }
    return j;
}

json_t *
uwj_assessments(const uw_assessment_list_t *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) {
        const uw_assessment_t *a = &l->items[i];
        json_array_append_new(
            arr,
            json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:o}", "id",
                      (json_int_t)a->id, "org_id", (json_int_t)a->org_id, "org_name", a->org_name,
                      "author_org_id", (json_int_t)a->author_org_id, "status", a->status,
                      "questionnaire_version", a->questionnaire_version, "score", score_or_null(a),
                      "grade", grade_or_null(a->grade), "created_at", a->created_at, "updated_at",
                      a->updated_at, "submitted_at", text_or_null(a->submitted_at)));
    }
    return arr;
}

/* ---------- quotes ---------- */

json_t *
uwj_quote(const uw_quote_t *q, http_docs_t *d)
{
    char sec[2] = {q->section, '\0'}, grade[2] = {q->grade, '\0'};
    json_t *referral = json_null();
    if (q->referral_at[0])
        referral = json_pack("{s:s, s:I, s:s}", "note", q->referral_note, "by_user_id",
                             (json_int_t)q->referral_by, "at", q->referral_at);
    json_t *j = json_pack(
        "{s:I, s:b, s:s, s:s, s:{s:I, s:s, s:i, s:I, s:s}, s:{s:I, s:s}, s:I, s:o, s:o, s:s, "
        "s:I, s:o, s:s, s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:s, s:s, s:b, s:b, s:o, s:o, s:o, "
        "s:s, s:s}",
        "id", (json_int_t)q->id, "indicative", 0, "status", q->status, "decision", q->decision,
        "product", "id", (json_int_t)q->product_id, "name", q->product_name, "version",
        q->product_version, "insurer_org_id", (json_int_t)q->insurer_org_id, "insurer_name",
        q->insurer_name, "insured", "org_id", (json_int_t)q->insured_org_id, "name",
        q->insured_name, "requested_by_org_id", (json_int_t)q->requested_by_org_id, "assessment_id",
        id_or_null(q->assessment_id), "renewal_of", id_or_null(q->renewal_of), "industry_section",
        sec, "revenue", (json_int_t)q->revenue, "gross_margin_bp",
        q->margin_bp >= 0 ? json_integer(q->margin_bp) : json_null(), "grade", grade,
        "aggregate_limit", (json_int_t)q->limit, "retention", (json_int_t)q->retention,
        "bi_waiting_hours", q->bi_waiting_hours, "claim_free_years", q->claim_free_years,
        "pure_premium", (json_int_t)q->pure, "gross_premium", (json_int_t)q->gross, "premium",
        (json_int_t)q->premium, "start_date", q->start_date, "valid_until", q->valid_until,
        "expired", q->expired, "bindable", q->bindable, "referral", referral, "policy_id",
        id_or_null(q->policy_id), "policy_no", text_or_null(q->policy_no), "created_at",
        q->created_at, "updated_at", q->updated_at);
    json_object_set_new(j, "liability_trigger", json_string(q->trigger));
    json_object_set_new(j, "retro_date", text_or_null(q->retro_date));
    json_object_set_new(j, "actions", actions_json(q->actions));
    /* the list shows the summary; a quote itself the whole breakdown */
    if (d != NULL)
        json_object_set_new(j, "breakdown", http_doc(d, q->breakdown ? q->breakdown : "{}"));
    return j;
}

json_t *
uwj_quotes(const uw_quote_list_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, uwj_quote(&l->items[i], NULL));
    return a;
}

/*
 * An indicative price as the answer's text, the breakdown spliced in as it
 * was written (app/jsonw.h): the bytes json_pack and json_dumps would give,
 * without building the tree, on the busiest route there is.
 */
char *
uwj_indicative_text(const uw_indicative_t *q)
{
    char sec[2] = {q->section, '\0'}, grade[2] = {q->grade, '\0'};
    jsonw_t w;
    jsonw_init(&w, 15);
    jsonw_open(&w, '{');
    jsonw_key(&w, "id");
    jsonw_null(&w);
    jsonw_kbool(&w, "indicative", 1);
    jsonw_kstr(&w, "decision", q->decision);
    jsonw_key(&w, "product");
    jsonw_open(&w, '{');
    jsonw_kint(&w, "id", q->product_id);
    jsonw_kstr(&w, "name", q->product_name);
    jsonw_kint(&w, "version", q->product_version);
    jsonw_close(&w, '}');
    jsonw_kstr(&w, "industry_section", sec);
    jsonw_kint(&w, "revenue", q->revenue);
    jsonw_kstr(&w, "grade", grade);
    jsonw_kint(&w, "aggregate_limit", q->limit);
    jsonw_kint(&w, "retention", q->retention);
    jsonw_kint(&w, "pure_premium", q->pure);
    jsonw_kint(&w, "gross_premium", q->gross);
    jsonw_kint(&w, "premium", q->premium);
    jsonw_key(&w, "breakdown");
    jsonw_raw(&w, q->breakdown);
    jsonw_close(&w, '}');
    return jsonw_finish(&w);
}

/* ---------- policies ---------- */

static json_t *
coverages_json(const uw_terms_t *t)
{
    json_t *cov = json_array();
    for (int c = 0; c < COV_N; c++)
        if (t->covered & (1u << c))
            json_array_append_new(
                cov,
                json_pack("{s:s, s:s, s:s, s:I, s:i, s:o}", "code", cov_code(c), "name_zh",
                          cov_name_zh(c), "name_en", cov_name_en(c), "sublimit",
                          (json_int_t)t->sublimit[c], "share_bp", t->share_bp[c], "waiting_hours",
                          c == COV_BI ? json_integer(t->bi_waiting_hours) : json_null()));
    return cov;
}

/* The terms of a schedule, as "terms" has always shown them. */
static json_t *
terms_json(const uw_terms_t *t)
{
    return json_pack("{s:I, s:I, s:i, s:o}", "aggregate_limit", (json_int_t)t->limit, "retention",
                     (json_int_t)t->retention, "bi_waiting_hours", t->bi_waiting_hours, "coverages",
                     coverages_json(t));
}

static json_t *
margin_json(int bp)
{
    return bp >= 0 ? json_integer(bp) : json_null();
}

/* The insured's facts of a schedule. */
static json_t *
insured_json(const uw_terms_t *t)
{
    char sec[2] = {t->section, '\0'};
    return json_pack("{s:s, s:s, s:I, s:o, s:o}", "industry_section", sec, "region_code", t->region,
                     "revenue", (json_int_t)t->revenue, "gross_margin_bp",
                     margin_json(t->margin_bp), "dependencies", dependencies(t->dep));
}

/* A whole schedule: terms, insured, annual premium. */
static json_t *
schedule_json(const uw_terms_t *t)
{
    json_t *j = terms_json(t);
    json_object_set_new(j, "insured", insured_json(t));
    json_object_set_new(j, "annual_premium", json_integer(t->annual));
    return j;
}

/* What a change changed (uw.h UW_CHANGED_*), as the API says it. */
static json_t *
changes_json(uint32_t m)
{
    static const bit_name_t C[] = {{UW_CHANGED_LIMIT, "aggregate_limit"},
                                   {UW_CHANGED_RETENTION, "retention"},
                                   {UW_CHANGED_COVERAGES, "coverages"},
                                   {UW_CHANGED_SUBLIMITS, "sublimits"},
                                   {UW_CHANGED_INSURED, "insured"}};
    return names_of(m, C, sizeof C / sizeof C[0]);
}

static const uw_cancel_reason_t *
reason_of(const char *code)
{
    for (size_t i = 0; i < uw_n_cancel_reasons; i++)
        if (!strcmp(uw_cancel_reasons[i].code, code))
            return &uw_cancel_reasons[i];
    return NULL;
}

static json_t *
endorsement_json(const uw_endorsement_t *e, http_docs_t *d)
{
    char day[16];
    bjtime_format_date(e->effective, day);
    json_t *j = json_pack(
        "{s:o, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:s, s:o, s:o}",
        "id", id_or_null(e->id), "kind", e->kind, "effective_at", e->effective_at, "effective_date",
        day, "scheduled", e->scheduled, "old_limit", (json_int_t)e->before.limit, "new_limit",
        (json_int_t)e->after.limit, "old_annual_premium", (json_int_t)e->old_annual_premium,
        "new_annual_premium", (json_int_t)e->new_annual_premium, "days_remaining",
        (json_int_t)e->days_remaining, "days_total", (json_int_t)e->days_total, "premium_delta",
        (json_int_t)e->premium_delta, "note", e->note, "created_by_user_id",
        (json_int_t)e->created_by_user_id, "created_at", e->created_at, "changes",
        changes_json(e->changed), "before", schedule_json(&e->before));
    const uw_cancel_reason_t *why = e->reason[0] ? reason_of(e->reason) : NULL;
    if (strcmp(e->kind, "change") == 0) {
        json_object_set_new(j, "after", schedule_json(&e->after));
        json_object_set_new(j, "breakdown", e->breakdown ? http_doc(d, e->breakdown) : json_null());
    } else {
        json_object_set_new(j, "reason", text_or_null(e->reason));
        json_object_set_new(j, "reason_zh", why ? json_string(why->name_zh) : json_null());
        json_object_set_new(j, "reason_en", why ? json_string(why->name_en) : json_null());
    }
    return j;
}

json_t *
uwj_cancel_reasons(void)
{
    json_t *a = json_array();
    for (size_t i = 0; i < uw_n_cancel_reasons; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", uw_cancel_reasons[i].code,
                                           "name_zh", uw_cancel_reasons[i].name_zh, "name_en",
                                           uw_cancel_reasons[i].name_en));
    return a;
}

/* The endorsements of y: all of them, and those still to take effect. */
static void
endorsements_json(const uw_policy_t *y, http_docs_t *d, json_t *j)
{
    json_t *all = json_array(), *scheduled = json_array();
    /* each rendered apart: a stored document's placeholder may appear once in an answer */
    for (size_t i = 0; i < y->n_endorsements; i++) {
        json_array_append_new(all, endorsement_json(&y->endorsements[i], d));
        if (y->endorsements[i].scheduled)
            json_array_append_new(scheduled, endorsement_json(&y->endorsements[i], d));
    }
    json_object_set_new(j, "endorsements", all);
    json_object_set_new(j, "scheduled", scheduled);
}

json_t *
uwj_policy(const uw_policy_t *y, http_docs_t *d)
{
    const uw_terms_t *t = &y->terms;
    char sbj[32], ebj[32], asof[32], sec[2] = {t->section, '\0'}, grade[2] = {y->grade, '\0'};
    bjtime_format(y->start, sbj);
    bjtime_format(y->end, ebj);
    utc_format_iso(y->as_of, asof);
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:b, s:s, s:I, s:{s:I, s:s, s:i}, s:{s:I, s:s}, s:{s:I, s:s}, "
        "s:{s:s, s:s, s:s, s:s, s:I}, s:s, s:o, s:o, s:{s:s, s:s, s:I, s:o, s:s}, s:o, s:I, s:I, "
        "s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:s, s:s, s:o, s:o}",
        "id", (json_int_t)y->id, "policy_no", y->policy_no, "status", y->status, "in_force",
        y->in_force, "as_of", asof, "quote_id", (json_int_t)y->quote_id, "product", "id",
        (json_int_t)y->product_id, "name", y->product_name, "version", y->product_version,
        "insurer", "org_id", (json_int_t)y->insurer_org_id, "name", y->insurer_name, "insured",
        "org_id", (json_int_t)y->insured_org_id, "name", y->insured_name, "period", "start",
        y->period_start, "end", y->period_end, "start_beijing", sbj, "end_beijing", ebj, "days",
        (json_int_t)y->days, "trigger", y->trigger, "retro_date", text_or_null(y->retro_date),
        "terms", terms_json(t), "rating", "industry_section", sec, "region_code", t->region,
        "revenue", (json_int_t)t->revenue, "gross_margin_bp", margin_json(t->margin_bp), "grade",
        grade, "dependencies", dependencies(t->dep), "annual_premium", (json_int_t)t->annual,
        "written_premium", (json_int_t)y->written, "conditions",
        http_doc(d, y->conditions ? y->conditions : "[]"), "renewal_of", id_or_null(y->renewal_of),
        "renewed_by", id_or_null(y->renewed_by), "claims_count", y->claims_count, "cancelled_at",
        text_or_null(y->cancelled_at), "cancel_effective", text_or_null(y->cancel_effective),
        "return_premium", y->return_premium >= 0 ? json_integer(y->return_premium) : json_null(),
        "created_at", y->created_at, "updated_at", y->updated_at, "actions",
        actions_json(y->actions), "as_bound", schedule_json(&y->bound));
    json_object_set_new(j, "pilot_id", id_or_null(y->pilot_id));
    json_object_set_new(j, "scheme_id", id_or_null(y->scheme_id));
    if (y->with_endorsements)
        endorsements_json(y, d, j);
    if (y->actions & UW_ACT_CANCEL)
        json_object_set_new(j, "cancel_reasons", uwj_cancel_reasons());
    return j;
}

json_t *
uwj_policies(const uw_policy_list_t *l, http_docs_t *d)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, uwj_policy(&l->items[i], d));
    return a;
}

json_t *
uwj_renewal_options(const uw_renewal_options_t *o)
{
    json_t *as = json_array();
    for (size_t i = 0; i < o->n_assessments; i++) {
        const uw_assessment_t *a = &o->assessments[i];
        json_array_append_new(as,
                              json_pack("{s:I, s:s, s:o, s:o, s:s}", "id", (json_int_t)a->id,
                                        "org_name", a->org_name, "score", score_or_null(a), "grade",
                                        grade_or_null(a->grade), "submitted_at", a->submitted_at));
    }
    return json_pack("{s:b, s:o, s:o, s:s, s:o, s:o, s:o}", "possible", o->possible, "reason_zh",
                     text_or_null(o->reason_zh), "reason_en", text_or_null(o->reason_en),
                     "start_date", o->start_date, "product_id", id_or_null(o->product_id),
                     "last_assessment_id", id_or_null(o->last_assessment_id), "assessments", as);
}
