/*
 * output.c — writes a simulation's result files (see output.h). Amounts go
 * out as yuan with two decimals printed from integer fen; averages over the
 * years round half up to the fen once. Uses stdio for these files only;
 * depends on sim/ and core/.
 */
#include "sim/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const sim_output_files[] = {"summary.json", "ylt.csv",      "ep.csv", "breakdown.csv",
                                        "events.csv",   "policies.csv", NULL};

int64_t
sim_fen_mean(int64_t sum, int64_t n)
{
    __int128 s = sum, d = n;
    __int128 q = s >= 0 ? (2 * s + d) / (2 * d) : -((-2 * s + d) / (2 * d));
    return (int64_t)q;
}

/* Writes the decimal digits of v at b; returns how many (the year loss table has 100,000s of
 * lines: printf's parsing of a format per amount was most of writing it). */
static size_t
fmt_u64(char *b, uint64_t v)
{
    char t[24];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        b[i] = t[n - 1 - i];
    return n;
}

/* fen as yuan, "-1234.56", at b; returns the length (at most 24). */
static size_t
fmt_yuan(char *b, int64_t fen)
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    size_t n = 0;
    if (fen < 0)
        b[n++] = '-';
    n += fmt_u64(b + n, mag / 100);
    b[n++] = '.';
    b[n++] = (char)('0' + mag % 100 / 10);
    b[n++] = (char)('0' + mag % 10);
    return n;
}

/* Writes fen as yuan: "-1234.56". */
static void
put_yuan(FILE *f, int64_t fen)
{
    char b[32];
    fwrite(b, 1, fmt_yuan(b, fen), f);
}

/* A JSON string literal (UTF-8 passes through; quotes, backslashes and controls escaped). */
static void
put_jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void
put_csv(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static cy_status_t
io_fail(cy_error_t *err, const char *path)
{
    const char *why = strerror(errno);
    return cy_error_set(err, CY_EIO, "sim_output", path, "无法写入 %s（%s） / cannot write %s (%s)",
                        path, why, path, why);
}

static FILE *
open_out(const char *dir, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    return fopen(path, "w");
}

static cy_status_t
close_out(FILE *f, const char *path, cy_error_t *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return io_fail(err, path);
    return CY_OK;
}

static const char *
section_name(const ref_data_t *ref, char sec)
{
    char code[2] = {sec, '\0'};
    const ref_industry_t *i = ref ? ref_industry_find(ref, code) : NULL;
    return i ? i->name : "";
}

static const char *
region_name(const ref_data_t *ref, const char *code)
{
    const ref_region_t *r = ref ? ref_region_find(ref, code) : NULL;
    return r ? r->name : "";
}

/* ---- the rows of breakdown.csv and summary.json ------------------------- */

typedef struct {
    const char *dimension;
    char key[SIM_NAME_CAP + 8];
    char name[200];
    sim_sum_t sum;
} row_t;

/* All breakdown rows, in a fixed order: dimension, then the key's order. */
static row_t *
breakdown_rows(const sim_output_t *o, size_t *n_out)
{
    const sim_result_t *r = o->result;
    size_t cap = COV_N + RATING_N_SECTIONS + r->n_regions + RATING_MAX_TYPES + 3;
    for (int d = 0; d < SIM_DEP_N; d++)
        cap += r->n_deps[d];
    row_t *rows = calloc(cap, sizeof *rows);
    if (rows == NULL)
        return NULL;
    size_t n = 0;
    for (int c = 0; c < COV_N; c++) {
        row_t *w = &rows[n++];
        w->dimension = "coverage";
        snprintf(w->key, sizeof w->key, "%s", cov_code(c));
        snprintf(w->name, sizeof w->name, "%s / %s (OED %s)", cov_name_zh(c), cov_name_en(c),
                 cov_oed_code(c));
        w->sum = r->by_cov[c];
    }
    for (int s = 0; s < RATING_N_SECTIONS; s++) {
        row_t *w = &rows[n++];
        w->dimension = "industry";
        snprintf(w->key, sizeof w->key, "%c", 'A' + s);
        snprintf(w->name, sizeof w->name, "%s", section_name(o->ref, (char)('A' + s)));
        w->sum = r->by_section[s];
    }
    for (size_t i = 0; i < r->n_regions; i++) {
        row_t *w = &rows[n++];
        w->dimension = "region";
        snprintf(w->key, sizeof w->key, "%s", r->regions[i]);
        snprintf(w->name, sizeof w->name, "%s", region_name(o->ref, r->regions[i]));
        w->sum = r->by_region[i];
    }
    for (int d = 0; d < SIM_DEP_N; d++)
        for (size_t i = 0; i < r->n_deps[d]; i++) {
            row_t *w = &rows[n++];
            w->dimension = sim_dep_code(d);
            snprintf(w->key, sizeof w->key, "%s", r->deps[d][i]);
            w->sum = r->by_dep[d][i];
        }
    for (size_t t = 0; t < r->n_types; t++) {
        row_t *w = &rows[n++];
        w->dimension = "incident_type";
        snprintf(w->key, sizeof w->key, "%s", o->model->types[t].code);
        snprintf(w->name, sizeof w->name, "%s / %s", o->model->types[t].name_zh,
                 o->model->types[t].name_en);
        w->sum = r->by_type[t];
    }
    row_t *w = &rows[n++];
    w->dimension = "incident_type";
    snprintf(w->key, sizeof w->key, "cloud_outage");
    snprintf(w->name, sizeof w->name, "云服务中断 / Cloud outage");
    w->sum = r->by_type[SIM_TYPE_OUTAGE];
    w = &rows[n++];
    w->dimension = "source";
    snprintf(w->key, sizeof w->key, "attritional");
    snprintf(w->name, sizeof w->name, "独立事件 / Attritional incidents");
    w->sum = r->attritional;
    w = &rows[n++];
    w->dimension = "source";
    snprintf(w->key, sizeof w->key, "systemic");
    snprintf(w->name, sizeof w->name, "系统性事件 / Systemic events (catalogue)");
    w->sum = r->systemic;
    *n_out = n;
    return rows;
}

/* Catalogue events by insured contribution, largest first; the index breaks ties. */
typedef struct {
    size_t e;
    int64_t insured;
} ev_rank_t;

static int
cmp_ev_rank(const void *a, const void *b)
{
    const ev_rank_t *x = a, *y = b;
    if (x->insured != y->insured)
        return x->insured > y->insured ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e;
}

static ev_rank_t *
rank_events(const sim_result_t *r)
{
    ev_rank_t *k = malloc((r->n_events + 1) * sizeof *k);
    if (k == NULL)
        return NULL;
    for (size_t e = 0; e < r->n_events; e++)
        k[e] = (ev_rank_t){e, r->by_event[e].insured};
    qsort(k, r->n_events, sizeof *k, cmp_ev_rank);
    return k;
}

/* ---- the files ---------------------------------------------------------- */

static cy_status_t
write_ylt(const char *dir, const sim_output_t *o, cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "ylt.csv", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_result_t *r = o->result;
    fputs("year,ground_up,insured,max_occurrence_ground_up,max_occurrence_insured,"
          "systemic_insured,attritional_incidents,systemic_occurrences,systemic_hits\n",
          f);
    for (int64_t i = 0; i < r->years; i++) {
        const sim_year_t *y = &r->ylt[i];
        char b[256];
        size_t n = fmt_u64(b, (uint64_t)(i + 1));
        const int64_t amounts[5] = {y->ground_up, y->insured, y->max_occ_ground_up,
                                    y->max_occ_insured, y->systemic_insured};
        for (int k = 0; k < 5; k++) {
            b[n++] = ',';
            n += fmt_yuan(b + n, amounts[k]);
        }
        const uint32_t counts[3] = {y->attritional, y->occurrences, y->hits};
        for (int k = 0; k < 3; k++) {
            b[n++] = ',';
            n += fmt_u64(b + n, counts[k]);
        }
        b[n++] = '\n';
        fwrite(b, 1, n, f);
    }
    return close_out(f, path, err);
}

static cy_status_t
write_ep(const char *dir, const sim_output_t *o, cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "ep.csv", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_metrics_t *m = o->metrics;
    fputs("return_period,oep_ground_up,oep_insured,aep_ground_up,aep_insured\n", f);
    for (int i = 0; i < SIM_N_RP; i++) {
        fprintf(f, "%d", sim_return_periods[i]);
        if (!m->rp_valid[i]) {
            fputs(",,,,\n", f); /* fewer years than the return period: no estimate */
            continue;
        }
        int64_t v[4] = {m->oep_ground_up[i], m->oep_insured[i], m->aep_ground_up[i],
                        m->aep_insured[i]};
        for (int k = 0; k < 4; k++) {
            fputc(',', f);
            put_yuan(f, v[k]);
        }
        fputc('\n', f);
    }
    return close_out(f, path, err);
}

static cy_status_t
write_breakdown(const char *dir, const sim_output_t *o, const row_t *rows, size_t n,
                cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "breakdown.csv", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_result_t *r = o->result;
    fputs("dimension,key,name,ground_up_aal,insured_aal,insured_share\n", f);
    int64_t total = r->attritional.insured + r->systemic.insured;
    for (size_t i = 0; i < n; i++) {
        put_csv(f, rows[i].dimension);
        fputc(',', f);
        put_csv(f, rows[i].key);
        fputc(',', f);
        put_csv(f, rows[i].name);
        fputc(',', f);
        put_yuan(f, sim_fen_mean(rows[i].sum.ground_up, r->years));
        fputc(',', f);
        put_yuan(f, sim_fen_mean(rows[i].sum.insured, r->years));
        fprintf(f, ",%.6f\n", total > 0 ? (double)rows[i].sum.insured / (double)total : 0.0);
    }
    return close_out(f, path, err);
}

static cy_status_t
write_events(const char *dir, const sim_output_t *o, const ev_rank_t *rank, cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "events.csv", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_result_t *r = o->result;
    fputs("rank,id,type,name,annual_rate,occurrences,hits,insured_aal,ground_up_aal,"
          "max_occurrence_insured,mean_occurrence_insured\n",
          f);
    for (size_t k = 0; k < r->n_events; k++) {
        size_t e = rank[k].e;
        const sim_event_t *ev = &o->catalogue->events[e];
        const sim_event_sum_t *s = &r->by_event[e];
        fprintf(f, "%zu,", k + 1);
        put_csv(f, ev->id);
        fprintf(f, ",%s,", sim_event_type_code(ev->type));
        put_csv(f, ev->name);
        fprintf(f, ",%.9g,%lld,%lld,", ev->annual_rate, (long long)s->occurrences,
                (long long)s->hits);
        put_yuan(f, sim_fen_mean(s->insured, r->years));
        fputc(',', f);
        put_yuan(f, sim_fen_mean(s->ground_up, r->years));
        fputc(',', f);
        put_yuan(f, s->max_occ_insured);
        fputc(',', f);
        put_yuan(f, s->occurrences > 0 ? sim_fen_mean(s->insured, s->occurrences) : 0);
        fputc('\n', f);
    }
    return close_out(f, path, err);
}

/* Mean and standard error of a policy's annual insured loss, in fen. */
static void
policy_stats(const sim_result_t *r, size_t p, double *mean, double *se)
{
    long double n = (long double)r->years, s = (long double)r->policy_insured[p];
    long double q = (long double)r->policy_insured_sq[p];
    long double mu = s / n;
    long double var = r->years > 1 ? (q - n * mu * mu) / (n - 1.0L) : 0.0L;
    if (var < 0.0L)
        var = 0.0L;
    *mean = (double)mu;
    *se = (double)sqrtl(var / n);
}

static cy_status_t
write_policies(const char *dir, const sim_output_t *o, cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "policies.csv", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_result_t *r = o->result;
    fputs("policy,section,region,aggregate_limit,pure_premium,insured_aal,insured_aal_se\n", f);
    for (size_t p = 0; p < r->n_policies; p++) {
        const sim_policy_t *pol = &o->portfolio->policies[p];
        double mean, se;
        policy_stats(r, p, &mean, &se);
        put_csv(f, pol->id);
        char b[160];
        size_t n = 0;
        b[n++] = ',';
        b[n++] = pol->section;
        b[n++] = ',';
        size_t rl = strnlen(pol->region, sizeof pol->region);
        memcpy(b + n, pol->region, rl);
        n += rl;
        const int64_t amounts[4] = {
            pol->terms.aggregate_limit, r->policy_pure[p],
            sim_fen_mean(r->policy_insured[p], r->years),
            (int64_t)floor(se + 0.5)}; /* the standard error, rounded once */
        for (int k = 0; k < 4; k++) {
            b[n++] = ',';
            n += fmt_yuan(b + n, amounts[k]);
        }
        b[n++] = '\n';
        fwrite(b, 1, n, f);
    }
    return close_out(f, path, err);
}

static void
json_amount(FILE *f, const char *key, int64_t fen, int comma)
{
    fprintf(f, "\"%s\": ", key);
    put_yuan(f, fen);
    if (comma)
        fputs(", ", f);
}

/* summary.json's "breakdown": the rows grouped by dimension. */
static void
json_breakdown(FILE *f, const sim_result_t *r, const row_t *rows, size_t n_rows)
{
    fputs("  \"breakdown\": {", f);
    const char *prev = NULL;
    for (size_t i = 0; i < n_rows; i++) {
        if (prev == NULL || strcmp(prev, rows[i].dimension) != 0) {
            fprintf(f, "%s\n    ", prev ? "]," : "");
            put_jstr(f, rows[i].dimension);
            fputs(": [", f);
        } else {
            fputs(",", f);
        }
        prev = rows[i].dimension;
        fputs("\n      {\"key\": ", f);
        put_jstr(f, rows[i].key);
        fputs(", \"name\": ", f);
        put_jstr(f, rows[i].name);
        fputs(", ", f);
        json_amount(f, "ground_up_aal", sim_fen_mean(rows[i].sum.ground_up, r->years), 1);
        json_amount(f, "insured_aal", sim_fen_mean(rows[i].sum.insured, r->years), 0);
        fputs("}", f);
    }
    fputs(prev ? "]\n  },\n" : "\n  },\n", f);
}

/* summary.json's "top_events": the events contributing most, and the file's end. */
static void
json_top_events(FILE *f, const sim_output_t *o, const ev_rank_t *rank, int64_t ins_sum)
{
    const sim_result_t *r = o->result;
    fputs("  \"top_events\": [", f);
    size_t top = o->top_events < r->n_events ? o->top_events : r->n_events;
    for (size_t k = 0; k < top; k++) {
        size_t e = rank[k].e;
        const sim_event_t *ev = &o->catalogue->events[e];
        const sim_event_sum_t *s = &r->by_event[e];
        fprintf(f, "%s\n    {\"rank\": %zu, \"id\": ", k ? "," : "", k + 1);
        put_jstr(f, ev->id);
        fprintf(f, ", \"type\": \"%s\", \"name\": ", sim_event_type_code(ev->type));
        put_jstr(f, ev->name);
        fprintf(f, ", \"annual_rate\": %.9g, \"occurrences\": %lld, \"hits\": %lld, ",
                ev->annual_rate, (long long)s->occurrences, (long long)s->hits);
        json_amount(f, "insured_aal", sim_fen_mean(s->insured, r->years), 1);
        fprintf(f, "\"insured_share_of_aal\": %.6f, ",
                ins_sum > 0 ? (double)s->insured / (double)ins_sum : 0.0);
        json_amount(f, "max_occurrence_insured", s->max_occ_insured, 0);
        fputs("}", f);
    }
    fputs(top ? "\n  ]\n}\n" : "]\n}\n", f);
}

static cy_status_t
write_summary(const char *dir, const sim_output_t *o, const row_t *rows, size_t n_rows,
              const ev_rank_t *rank, cy_error_t *err)
{
    char path[4096];
    FILE *f = open_out(dir, "summary.json", path, sizeof path);
    if (f == NULL)
        return io_fail(err, path);
    const sim_result_t *r = o->result;
    const sim_metrics_t *m = o->metrics;
    int64_t limits = 0, pure = 0;
    for (size_t p = 0; p < r->n_policies; p++) {
        limits += o->portfolio->policies[p].terms.aggregate_limit;
        pure += r->policy_pure[p];
    }
    fputs("{\n  \"format\": \"cyberins-simulation/1\",\n  \"currency\": \"CNY\",\n", f);
    fprintf(f, "  \"seed\": %llu,\n  \"years\": %lld,\n", (unsigned long long)r->seed,
            (long long)r->years);
    fputs("  \"portfolio\": {\"source\": ", f);
    put_jstr(f, o->portfolio->source);
    fprintf(f, ", \"policies\": %zu, ", r->n_policies);
    json_amount(f, "total_aggregate_limit", limits, 1);
    json_amount(f, "pure_premium_attritional", pure, 0);
    fputs("},\n  \"catalogue\": {\"source\": ", f);
    put_jstr(f, o->catalogue ? o->catalogue->source : "");
    fprintf(f, ", \"events\": %zu},\n", r->n_events);
    fprintf(f,
            "  \"counts\": {\"attritional_incidents\": %lld, \"systemic_occurrences\": %lld, "
            "\"systemic_hits\": %lld},\n",
            (long long)r->attritional_incidents, (long long)r->occurrences, (long long)r->hits);
    int64_t gu_sum = r->attritional.ground_up + r->systemic.ground_up;
    int64_t ins_sum = r->attritional.insured + r->systemic.insured;
    fputs("  \"aal\": {", f);
    json_amount(f, "ground_up", sim_fen_mean(gu_sum, r->years), 1);
    json_amount(f, "ground_up_se", (int64_t)floor(m->se_ground_up + 0.5), 1);
    json_amount(f, "insured", sim_fen_mean(ins_sum, r->years), 1);
    json_amount(f, "insured_se", (int64_t)floor(m->se_insured + 0.5), 1);
    json_amount(f, "insured_attritional", sim_fen_mean(r->attritional.insured, r->years), 1);
    json_amount(f, "insured_systemic", sim_fen_mean(r->systemic.insured, r->years), 0);
    fputs("},\n  \"ep\": [\n", f);
    for (int i = 0; i < SIM_N_RP; i++) {
        fprintf(f, "    {\"return_period\": %d, ", sim_return_periods[i]);
        if (m->rp_valid[i]) {
            json_amount(f, "oep_ground_up", m->oep_ground_up[i], 1);
            json_amount(f, "oep_insured", m->oep_insured[i], 1);
            json_amount(f, "aep_ground_up", m->aep_ground_up[i], 1);
            json_amount(f, "aep_insured", m->aep_insured[i], 0);
        } else {
            fputs("\"oep_ground_up\": null, \"oep_insured\": null, \"aep_ground_up\": null, "
                  "\"aep_insured\": null",
                  f);
        }
        fprintf(f, "}%s\n", i + 1 < SIM_N_RP ? "," : "");
    }
    fputs("  ],\n  \"tvar\": {", f);
    json_amount(f, "insured_99", (int64_t)floor(m->tvar99_insured + 0.5), 1);
    json_amount(f, "insured_99_5", (int64_t)floor(m->tvar995_insured + 0.5), 1);
    json_amount(f, "ground_up_99", (int64_t)floor(m->tvar99_ground_up + 0.5), 1);
    json_amount(f, "ground_up_99_5", (int64_t)floor(m->tvar995_ground_up + 0.5), 0);
    fputs("},\n", f);
    json_breakdown(f, r, rows, n_rows);
    json_top_events(f, o, rank, ins_sum);
    return close_out(f, path, err);
}

cy_status_t
sim_write(const char *dir, const sim_output_t *o, cy_error_t *err)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return io_fail(err, dir);
    size_t n_rows = 0;
    row_t *rows = breakdown_rows(o, &n_rows);
    ev_rank_t *rank = rank_events(o->result);
    if (rows == NULL || rank == NULL) {
        free(rows);
        free(rank);
        return cy_error_no_memory(err);
    }
    cy_status_t st = write_summary(dir, o, rows, n_rows, rank, err);
    if (st == CY_OK)
        st = write_ylt(dir, o, err);
    if (st == CY_OK)
        st = write_ep(dir, o, err);
    if (st == CY_OK)
        st = write_breakdown(dir, o, rows, n_rows, err);
    if (st == CY_OK)
        st = write_events(dir, o, rank, err);
    if (st == CY_OK)
        st = write_policies(dir, o, err);
    free(rows);
    free(rank);
    return st;
}
