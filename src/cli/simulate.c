/*
 * simulate.c — cyberins simulate: reads the rating model, the systemic
 * event catalogue and a portfolio, runs the Monte Carlo (sim/), writes the
 * result files and prints a summary a risk manager can read. With -DCY_MPI
 * (the cyberins-mpi program) the years are split across MPI ranks and rank
 * 0 writes and prints. Prints for a person and returns an exit status: 0,
 * 1 failure, 2 usage.
 */
#include "cli/simulate.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <omp.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "data/catalogue.h"
#include "data/exposure.h"
#include "app/sim/portfolio.h"
#include "data/rating.h"
#include "data/refdata.h"
#include "cli/cli.h"
#include "core/money.h"
#include "sim/output.h"
#include "sim/sim.h"
#ifdef CY_MPI
#include <mpi.h>

#include "sim/sim_mpi.h"
#endif

static const char SIMULATE_HELP[] =
    "usage: cyberins simulate --years N --seed S [--threads T]\n"
    "                         (--portfolio CSV | --db URL) --out DIR\n"
    "                         [--catalogue PATH|none] [--model FILE] [--data DIR]\n"
    "                         [--max-mem SIZE] [--top N] [--kernel batch|scalar]\n"
    "                         [--profile] [--quiet]\n"
    "Portfolio accumulation Monte Carlo: attritional incidents per insured from the\n"
    "rating model plus systemic events from the catalogue, settled by the terms engine.\n"
    "Results are identical for any --threads (and any number of MPI ranks).\n"
    "  --years N         simulated years (> 0)\n"
    "  --seed S          random seed (0 .. 2^64-1)\n"
    "  --threads T       OpenMP threads (default: the CPUs available)\n"
    "  --portfolio CSV   exposure file, OED v4 column names (docs/simulation.md)\n"
    "  --db URL          the policies in force in the store (instead of --portfolio)\n"
    "  --out DIR         folder for summary.json, ylt.csv, ep.csv, breakdown.csv,\n"
    "                    events.csv, policies.csv (created if missing)\n"
    "  --catalogue PATH  systemic events: a .json file or a folder of them\n"
    "                    (default DATA/catalogue; 'none': attritional losses only)\n"
    "  --model FILE      rating model (default DATA/rating/model.json)\n"
    "  --data DIR        reference data (env CYBERINS_DATA, default the source data/)\n"
    "  --max-mem SIZE    refuse a run estimated above SIZE bytes (K, M, G suffixes;\n"
    "                    default 4G)\n"
    "  --top N           events listed in the summary (default 10)\n"
    "  --kernel K        batch (default, vectorised) or scalar (the benchmark baseline)\n"
    "  --profile         print the cycles per loss event of each phase of a year to\n"
    "                    stderr (for bench/sim.sh)\n"
    "  --quiet           no progress bar and no summary on stdout\n";

typedef struct {
    struct timespec start;
    double last;
    int shown;
    int tty;
    int quiet;
} progress_t;

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* A progress bar on stderr once a run has taken two seconds; a terminal only. */
static void
progress_cb(void *ctx, int64_t done, int64_t total)
{
    progress_t *p = ctx;
    if (p->quiet || !p->tty)
        return;
    double el = seconds_since(&p->start);
    if (el < 2.0 || (el - p->last < 0.2 && done < total))
        return;
    p->last = el;
    p->shown = 1;
    int width = 30, fill = (int)((double)width * (double)done / (double)total);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    double eta = done > 0 ? el * (double)(total - done) / (double)done : 0.0;
    fprintf(stderr, "\r模拟 simulating [%s] %3d%% %" PRId64 "/%" PRId64 " years, %.0f s left  ",
            bar, (int)(100.0 * (double)done / (double)total), done, total, eta);
    fflush(stderr);
}

/* "4G", "512M", "65536": bytes, or 0 when malformed. */
static uint64_t
parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || s[0] == '-')
        return 0;
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1ull << 10;
    else if (*end == 'M' || *end == 'm')
        mul = 1ull << 20;
    else if (*end == 'G' || *end == 'g')
        mul = 1ull << 30;
    else if (*end != '\0')
        return 0;
    if (mul > 1 && end[1] != '\0' && !(end[1] == 'i' && end[2] == 'B' && end[3] == '\0') &&
        !(end[1] == 'B' && end[2] == '\0'))
        return 0;
    return v > UINT64_MAX / mul ? 0 : (uint64_t)v * mul;
}

static const char *
yuan(char *buf, int64_t fen)
{
    money_format(fen, buf, MONEY_FORMAT_MAX);
    return buf;
}

static int64_t
round_fen(double fen)
{
    return fen >= 0.0 ? (int64_t)(fen + 0.5) : -(int64_t)(-fen + 0.5);
}

/* The events contributing most to the insured AAL, ties in catalogue order. */
static void
print_top_events(const sim_output_t *o)
{
    const sim_result_t *r = o->result;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    size_t top = o->top_events < r->n_events ? o->top_events : r->n_events;
    if (top > 0) {
        int64_t total = r->attritional.insured + r->systemic.insured;
        size_t *idx = malloc(r->n_events * sizeof *idx);
        if (idx != NULL) {
            for (size_t e = 0; e < r->n_events; e++)
                idx[e] = e;
            /* selection of the largest contributions, ties by catalogue order */
            for (size_t k = 0; k < top; k++) {
                size_t best = k;
                for (size_t j = k + 1; j < r->n_events; j++)
                    if (r->by_event[idx[j]].insured > r->by_event[idx[best]].insured)
                        best = j;
                size_t t = idx[k];
                idx[k] = idx[best];
                idx[best] = t;
            }
            printf("\n主要事件 top events by insured AAL\n");
            for (size_t k = 0; k < top; k++) {
                const sim_event_t *ev = &o->catalogue->events[idx[k]];
                const sim_event_sum_t *s = &r->by_event[idx[k]];
                printf("  %2zu %-24s %-19s %s a year (%.1f%%), %" PRId64
                       " occurrences, worst %s  %s\n",
                       k + 1, ev->id, sim_event_type_code(ev->type),
                       yuan(a, sim_fen_mean(s->insured, r->years)),
                       total > 0 ? 100.0 * (double)s->insured / (double)total : 0.0, s->occurrences,
                       yuan(b, s->max_occ_insured), ev->name);
            }
            free(idx);
        }
    }
}

static void
print_summary(const sim_output_t *o, const char *out_dir, int threads, double secs)
{
    const sim_result_t *r = o->result;
    const sim_metrics_t *m = o->metrics;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];
    int64_t limits = 0, pure = 0;
    for (size_t p = 0; p < r->n_policies; p++) {
        limits += o->portfolio->policies[p].terms.aggregate_limit;
        pure += r->policy_pure[p];
    }
    printf("cyberins simulate: %zu policies × %" PRId64 " years, seed %" PRIu64
           ", %d thread(s): %.2f s\n\n",
           r->n_policies, r->years, r->seed, threads, secs);
    printf("组合 portfolio         %s: %zu policies, aggregate limits %s\n", o->portfolio->source,
           r->n_policies, yuan(a, limits));
    printf("事件目录 catalogue     %zu systemic events%s%s\n", r->n_events,
           o->catalogue && o->catalogue->source[0] ? " from " : "",
           o->catalogue ? o->catalogue->source : "");
    printf("事件 events            %" PRId64 " attritional incidents; %" PRId64
           " systemic occurrences hitting %" PRId64 " insureds\n\n",
           r->attritional_incidents, r->occurrences, r->hits);

    int64_t gu = sim_fen_mean(r->attritional.ground_up + r->systemic.ground_up, r->years);
    int64_t ins = sim_fen_mean(r->attritional.insured + r->systemic.insured, r->years);
    printf("年均损失 AAL           insured %s ± %s (standard error), ground-up %s\n", yuan(a, ins),
           yuan(b, round_fen(m->se_insured)), yuan(c, gu));
    printf("  其中 of which        attritional %s, systemic %s\n",
           yuan(a, sim_fen_mean(r->attritional.insured, r->years)),
           yuan(b, sim_fen_mean(r->systemic.insured, r->years)));
    printf("  定价纯保费 pricing    pure premium %s (attritional model; the systemic part is "
           "the catastrophe load)\n\n",
           yuan(a, pure));

    printf("重现期 return period   OEP insured           AEP insured           AEP ground-up\n");
    for (int i = 0; i < SIM_N_RP; i++) {
        if (!m->rp_valid[i]) {
            printf("  1-in-%-5d           (needs ≥ %d years)\n", sim_return_periods[i],
                   sim_return_periods[i]);
            continue;
        }
        printf("  1-in-%-5d           %-21s %-21s %s\n", sim_return_periods[i],
               yuan(a, m->oep_insured[i]), yuan(b, m->aep_insured[i]),
               yuan(c, m->aep_ground_up[i]));
    }
    if (m->rp_valid[3])
        printf("\n1-in-200 (AEP, insured, 99.5%%): %s", yuan(a, m->aep_insured[3]));
    printf("\nTVaR insured: 99%% %s, 99.5%% %s\n", yuan(a, round_fen(m->tvar99_insured)),
           yuan(b, round_fen(m->tvar995_insured)));

    print_top_events(o);
    printf("\n文件 files: %s/{", out_dir);
    for (int i = 0; sim_output_files[i] != NULL; i++)
        printf("%s%s", i ? "," : "", sim_output_files[i]);
    printf("}\n");
}

static int
usage(const char *msg)
{
    if (msg != NULL)
        fprintf(stderr, "cyberins simulate: %s\n", msg);
    fputs(SIMULATE_HELP, stderr);
    return EXIT_USAGE;
}

/* What the command line asks for. */
typedef struct {
    const char *data, *portfolio, *db, *out_dir, *catalogue, *model;
    int64_t years;
    uint64_t seed, max_mem;
    int have_years, have_seed, threads, quiet, profile;
    size_t top;
    sim_kernel_t kernel;
} sim_args_t;

static const struct option sim_opts[] = {{"years", required_argument, 0, 'y'},
                                         {"seed", required_argument, 0, 's'},
                                         {"threads", required_argument, 0, 't'},
                                         {"portfolio", required_argument, 0, 'p'},
                                         {"db", required_argument, 0, 'd'},
                                         {"out", required_argument, 0, 'o'},
                                         {"catalogue", required_argument, 0, 'c'},
                                         {"model", required_argument, 0, 'm'},
                                         {"data", required_argument, 0, 'D'},
                                         {"max-mem", required_argument, 0, 'M'},
                                         {"top", required_argument, 0, 'T'},
                                         {"kernel", required_argument, 0, 'k'},
                                         {"profile", no_argument, 0, 'P'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};

/* parse_number reads the options that take a number; returns −1 to go on, else the exit status. */
static int
parse_number(sim_args_t *a, int ch, const char *arg)
{
    char *end;
    errno = 0;
    switch (ch) {
    case 'y':
        a->years = strtoll(arg, &end, 10);
        if (*end != '\0' || errno != 0 || end == arg || a->years <= 0) {
            fprintf(stderr,
                    "cyberins simulate: 模拟年数应为正整数，实为 \"%s\" / --years must be a "
                    "positive integer, got \"%s\"\n",
                    arg, arg);
            return EXIT_USAGE;
        }
        a->have_years = 1;
        return -1;
    case 's':
        a->seed = strtoull(arg, &end, 10);
        if (*end != '\0' || errno != 0 || end == arg || arg[0] == '-')
            return usage("--seed must be an integer from 0 to 18446744073709551615");
        a->have_seed = 1;
        return -1;
    case 't':
        a->threads = (int)strtol(arg, &end, 10);
        if (*end != '\0' || a->threads < 1 || a->threads > 1024)
            return usage("--threads must be 1..1024");
        return -1;
    case 'M':
        a->max_mem = parse_size(arg);
        return a->max_mem == 0 ? usage("--max-mem must be a size such as 512M or 4G") : -1;
    default: /* 'T' */
        a->top = (size_t)strtoul(arg, &end, 10);
        return *end != '\0' || arg[0] == '-' ? usage("--top must be a number") : -1;
    }
}

/* parse_option reads one option; returns −1 to go on, else the exit status. */
static int
parse_option(sim_args_t *a, int ch, const char *arg)
{
    switch (ch) {
    case 'y':
    case 's':
    case 't':
    case 'M':
    case 'T':
        return parse_number(a, ch, arg);
    case 'p':
        a->portfolio = arg;
        return -1;
    case 'd':
        a->db = arg;
        return -1;
    case 'o':
        a->out_dir = arg;
        return -1;
    case 'c':
        a->catalogue = arg;
        return -1;
    case 'm':
        a->model = arg;
        return -1;
    case 'D':
        a->data = arg;
        return -1;
    case 'k':
        if (strcmp(arg, "batch") != 0 && strcmp(arg, "scalar") != 0)
            return usage("--kernel must be batch or scalar");
        a->kernel = strcmp(arg, "batch") == 0 ? SIM_KERNEL_BATCH : SIM_KERNEL_SCALAR;
        return -1;
    case 'P':
        a->profile = 1;
        return -1;
    case 'q':
        a->quiet = 1;
        return -1;
    case 'h':
        fputs(SIMULATE_HELP, stdout);
        return 0;
    default:
        return usage(NULL);
    }
}

/* parse_args fills a from argv; returns −1 to go on, else the exit status. */
static int
parse_args(int argc, char **argv, sim_args_t *a)
{
    *a = (sim_args_t){.data = cli_env_or("CYBERINS_DATA", CY_SOURCE_DIR "/data"),
                      .max_mem = 4ull << 30,
                      .threads = omp_get_num_procs(),
                      .top = 10,
                      .kernel = SIM_KERNEL_BATCH};
    int ch, rc;
    while ((ch = getopt_long(argc, argv, "", sim_opts, NULL)) != -1)
        if ((rc = parse_option(a, ch, optarg)) >= 0)
            return rc;
    if (optind != argc)
        return usage("unexpected argument");
    if (!a->have_years)
        return usage("--years is required");
    if (!a->have_seed)
        return usage("--seed is required");
    if (a->portfolio != NULL && a->db != NULL)
        return usage("give --portfolio or --db, not both");
    if (a->portfolio == NULL && a->db == NULL)
        return usage("--portfolio CSV or --db URL is required");
    if (a->out_dir == NULL)
        return usage("--out DIR is required");
    return -1;
}

/* What a run reads: reference data, the rating model, the catalogue, the portfolio. */
typedef struct {
    ref_data_t *ref;
    rating_data_t rd;
    sim_catalogue_t cat;
    sim_portfolio_t pf;
    int use_catalogue;
} inputs_t;

/* load_portfolio reads the exposure file, or the policies in force in the store. */
static cy_status_t
load_portfolio(const sim_args_t *a, inputs_t *in, cy_error_t *err)
{
    if (a->db == NULL)
        return exposure_load(a->portfolio, in->ref, &in->pf, err);
    /* the book the platform underwrote: every policy in force now */
    cli_common_t cc = {.db = a->db, .data = a->data, .pool = 1};
    app_t *app;
    if (cli_open_app(&cc, 0, &app) != 0)
        return CY_EIO; /* cli_open_app has said why */
    actor_t cli;
    cli_actor(&cli);
    cy_status_t st = app_portfolio_in_force(app, &cli, cli_now(), &in->pf, err);
    app_close(app);
    return st;
}

/* load_inputs reads everything a run needs; 0, or 1 once it has said why not. */
static int
load_inputs(const sim_args_t *a, inputs_t *in)
{
    char model_path[4096], cat_path[4096];
    snprintf(model_path, sizeof model_path, "%s", a->model ? a->model : "");
    if (a->model == NULL)
        snprintf(model_path, sizeof model_path, "%s/rating/model.json", a->data);
    snprintf(cat_path, sizeof cat_path, "%s", a->catalogue ? a->catalogue : "");
    if (a->catalogue == NULL)
        snprintf(cat_path, sizeof cat_path, "%s/catalogue", a->data);
    in->use_catalogue = strcmp(cat_path, "none") != 0;
    cy_error_t err;
    cy_error_clear(&err);
    const char *mname = strrchr(model_path, '/');
    cy_status_t st = refdata_load(a->data, &in->ref, &err);
    if (st == CY_OK)
        st = rating_data_load(model_path, mname ? mname + 1 : model_path, &in->rd, &err);
    if (st == CY_OK && in->use_catalogue)
        st = catalogue_load(cat_path, &in->rd.model, &in->cat, &err);
    if (st == CY_OK)
        st = load_portfolio(a, in, &err);
    if (st == CY_OK)
        return 0;
    if (err.status != CY_OK)
        cli_fail(&err);
    return 1;
}

/* The time-stamp counter where there is one: cycles for the profile; else nanoseconds. */
static uint64_t
profile_clock(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
#endif
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorted in place); 0 when n is 0. */
static double
median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/*
 * print_profile writes to stderr the cycles per loss event of each phase:
 * over the years this process computed, the median of the phase's cycles
 * per loss of the year (a median, so that a year the machine took away
 * from the process does not count); the total is the sum of those medians,
 * with the median of the years' totals beside it (which a year long enough
 * to be interrupted, as with a million policies, inflates).
 */
static void
print_profile(const sim_profile_t *p, size_t n_years)
{
    double *v = malloc((n_years + 1) * sizeof *v);
    if (v == NULL)
        return;
    size_t n = 0;
    double total = 0.0, losses = 0.0, items = 0.0;
    for (size_t y = 0; y < n_years; y++)
        if (p->losses[y] != UINT32_MAX && p->losses[y] > 0) {
            v[n++] = (double)p->losses[y];
            losses += (double)p->losses[y];
            items += (double)p->items[y];
        }
    fprintf(stderr,
            "profile: %zu years, %.0f loss events, %.0f coverage draws (%.2f a loss), median %.0f "
            "loss events a year; cycles per loss event (time-stamp counter), median over the "
            "years:\n",
            n, losses, items, losses > 0 ? items / losses : 0.0, median(v, n));
    for (int ph = 0; ph <= SIM_PHASES; ph++) {
        n = 0;
        for (size_t y = 0; y < n_years; y++) {
            if (p->losses[y] == UINT32_MAX || p->losses[y] == 0)
                continue;
            const uint64_t *c = p->cycles + y * SIM_PHASES;
            uint64_t cyc = 0;
            for (int k = 0; k < SIM_PHASES; k++)
                cyc += ph == SIM_PHASES || k == ph ? c[k] : 0;
            v[n++] = (double)cyc / (double)p->losses[y];
        }
        double med = median(v, n);
        total += ph < SIM_PHASES ? med : 0.0;
        if (ph < SIM_PHASES)
            fprintf(stderr, "  %-12s %8.1f\n", sim_phase_name(ph), med);
        else
            fprintf(stderr, "  %-12s %8.1f\n  (median of the years' totals %.1f)\n", "total", total,
                    med);
    }
    free(v);
}

/* run_and_report runs the simulation, writes the files and prints the summary; 0 or 1. */
static int
run_and_report(const sim_args_t *a, inputs_t *in)
{
    progress_t prog = {.tty = isatty(STDERR_FILENO), .quiet = a->quiet};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    sim_profile_t prof = {profile_clock, NULL, NULL, NULL};
    size_t ny = (size_t)a->years;
    if (a->profile) {
        prof.cycles = calloc(ny * SIM_PHASES + 1, sizeof *prof.cycles);
        prof.losses = malloc((ny + 1) * sizeof *prof.losses);
        prof.items = calloc(ny + 1, sizeof *prof.items);
        if (prof.cycles == NULL || prof.losses == NULL || prof.items == NULL) {
            free(prof.cycles);
            free(prof.losses);
            free(prof.items);
            fprintf(stderr, "cyberins simulate: 内存不足 / out of memory for --profile\n");
            return 1;
        }
        memset(prof.losses, 0xff, (ny + 1) * sizeof *prof.losses); /* UINT32_MAX: not run here */
    }
    sim_config_t cfg = {.portfolio = &in->pf,
                        .model = &in->rd.model,
                        .catalogue = in->use_catalogue ? &in->cat : NULL,
                        .years = a->years,
                        .seed = a->seed,
                        .threads = a->threads,
                        .max_mem = a->max_mem,
                        .kernel = a->kernel,
                        .progress = progress_cb,
                        .progress_ctx = &prog,
                        .profile = a->profile ? &prof : NULL};
    sim_result_t *res = NULL;
    cy_error_t err;
    int rank = 0, rc = 1;
#ifdef CY_MPI
    cy_status_t st = sim_mpi_run(&cfg, &res, &rank, &err);
#else
    cy_status_t st = sim_run(&cfg, &res, &err);
#endif
    if (prog.shown)
        fputc('\n', stderr);
    double secs = seconds_since(&prog.start);
    if (st != CY_OK) {
        if (rank == 0)
            cli_fail(&err);
    } else if (rank != 0) {
        rc = 0;
    } else {
        sim_metrics_t m;
        sim_output_t o = {res,           &m,      &in->pf, in->use_catalogue ? &in->cat : NULL,
                          &in->rd.model, in->ref, a->top};
        if (sim_metrics(res, &m, &err) != CY_OK || sim_write(a->out_dir, &o, &err) != CY_OK) {
            cli_fail(&err);
        } else {
            if (!a->quiet)
                print_summary(&o, a->out_dir, a->threads, secs);
            rc = 0;
        }
    }
    if (a->profile && st == CY_OK && rank == 0)
        print_profile(&prof, ny);
    free(prof.cycles);
    free(prof.losses);
    free(prof.items);
    sim_result_free(res);
    return rc;
}

/* The body of the command, between MPI_Init and MPI_Finalize when built with MPI. */
static int
simulate(int argc, char **argv)
{
    sim_args_t a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    inputs_t in = {0};
    rc = load_inputs(&a, &in);
    if (rc == 0)
        rc = run_and_report(&a, &in);
    sim_portfolio_free(&in.pf);
    sim_catalogue_free(&in.cat);
    refdata_free(in.ref);
    return rc;
}

int
cli_cmd_simulate(int argc, char **argv)
{
#ifdef CY_MPI
    MPI_Init(&argc, &argv);
    int rc = simulate(argc, argv);
    MPI_Finalize();
    return rc;
#else
    return simulate(argc, argv);
#endif
}
