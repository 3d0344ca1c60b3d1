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

#define EXIT_USAGE 2

static const char SIMULATE_HELP[] =
    "usage: cyberins simulate --years N --seed S [--threads T]\n"
    "                         (--portfolio CSV | --db URL) --out DIR\n"
    "                         [--catalogue PATH|none] [--model FILE] [--data DIR]\n"
    "                         [--max-mem SIZE] [--top N] [--kernel batch|scalar] [--quiet]\n"
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

/* The body of the command, between MPI_Init and MPI_Finalize when built with MPI. */
static int
simulate(int argc, char **argv)
{
    const char *data = cli_env_or("CYBERINS_DATA", CY_SOURCE_DIR "/data");
    const char *portfolio = NULL, *db = NULL, *out_dir = NULL, *catalogue = NULL, *model = NULL;
    int64_t years = 0;
    uint64_t seed = 0, max_mem = 4ull << 30;
    int have_years = 0, have_seed = 0, threads = omp_get_num_procs(), quiet = 0;
    size_t top = 10;
    sim_kernel_t kernel = SIM_KERNEL_BATCH;
    static const struct option opts[] = {{"years", required_argument, 0, 'y'},
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
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'y':
            errno = 0;
            years = strtoll(optarg, &end, 10);
            if (*end != '\0' || errno != 0 || end == optarg || years <= 0) {
                fprintf(stderr,
                        "cyberins simulate: 模拟年数应为正整数，实为 \"%s\" / --years must be a "
                        "positive integer, got \"%s\"\n",
                        optarg, optarg);
                return EXIT_USAGE;
            }
            have_years = 1;
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (*end != '\0' || errno != 0 || end == optarg || optarg[0] == '-')
                return usage("--seed must be an integer from 0 to 18446744073709551615");
            have_seed = 1;
            break;
        case 't':
            threads = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || threads < 1 || threads > 1024)
                return usage("--threads must be 1..1024");
            break;
        case 'p':
            portfolio = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'c':
            catalogue = optarg;
            break;
        case 'm':
            model = optarg;
            break;
        case 'D':
            data = optarg;
            break;
        case 'M':
            max_mem = parse_size(optarg);
            if (max_mem == 0)
                return usage("--max-mem must be a size such as 512M or 4G");
            break;
        case 'T':
            top = (size_t)strtoul(optarg, &end, 10);
            if (*end != '\0' || optarg[0] == '-')
                return usage("--top must be a number");
            break;
        case 'k':
            if (strcmp(optarg, "batch") == 0)
                kernel = SIM_KERNEL_BATCH;
            else if (strcmp(optarg, "scalar") == 0)
                kernel = SIM_KERNEL_SCALAR;
            else
                return usage("--kernel must be batch or scalar");
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(SIMULATE_HELP, stdout);
            return 0;
        default:
            return usage(NULL);
        }
    }
    if (optind != argc)
        return usage("unexpected argument");
    if (!have_years)
        return usage("--years is required");
    if (!have_seed)
        return usage("--seed is required");
    if (portfolio != NULL && db != NULL)
        return usage("give --portfolio or --db, not both");
    if (portfolio == NULL && db == NULL)
        return usage("--portfolio CSV or --db URL is required");
    if (out_dir == NULL)
        return usage("--out DIR is required");

    char model_path[4096], cat_path[4096];
    snprintf(model_path, sizeof model_path, "%s", model ? model : "");
    if (model == NULL)
        snprintf(model_path, sizeof model_path, "%s/rating/model.json", data);
    snprintf(cat_path, sizeof cat_path, "%s", catalogue ? catalogue : "");
    if (catalogue == NULL)
        snprintf(cat_path, sizeof cat_path, "%s/catalogue", data);
    int use_catalogue = strcmp(cat_path, "none") != 0;

    cy_error_t err;
    ref_data_t *ref = NULL;
    rating_data_t rd;
    sim_catalogue_t cat = {0};
    sim_portfolio_t pf = {0};
    sim_result_t *res = NULL;
    int rc = 1, rank = 0;
    if (refdata_load(data, &ref, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }
    const char *mname = strrchr(model_path, '/');
    if (rating_data_load(model_path, mname ? mname + 1 : model_path, &rd, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }
    if (use_catalogue && catalogue_load(cat_path, &rd.model, &cat, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }
    if (db != NULL) {
        /* the book the platform underwrote: every policy in force now */
        cli_common_t cc = {.db = db, .data = data, .pool = 1};
        app_t *app;
        if (cli_open_app(&cc, 0, &app) != 0)
            goto done;
        actor_t cli;
        cli_actor(&cli);
        cy_status_t pst = app_portfolio_in_force(app, &cli, cli_now(), &pf, &err);
        app_close(app);
        if (pst != CY_OK) {
            cli_fail(&err);
            goto done;
        }
    } else if (exposure_load(portfolio, ref, &pf, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }

    progress_t prog = {.tty = isatty(STDERR_FILENO), .quiet = quiet};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    sim_config_t cfg = {.portfolio = &pf,
                        .model = &rd.model,
                        .catalogue = use_catalogue ? &cat : NULL,
                        .years = years,
                        .seed = seed,
                        .threads = threads,
                        .max_mem = max_mem,
                        .kernel = kernel,
                        .progress = progress_cb,
                        .progress_ctx = &prog};
#ifdef CY_MPI
    cy_status_t st = sim_mpi_run(&cfg, &res, &rank, &err);
#else
    cy_status_t st = sim_run(&cfg, &res, &err);
#endif
    if (prog.shown)
        fputc('\n', stderr);
    if (st != CY_OK) {
        if (rank == 0)
            cli_fail(&err);
        goto done;
    }
    if (rank != 0) {
        rc = 0;
        goto done;
    }
    double secs = seconds_since(&prog.start);
    sim_metrics_t m;
    if (sim_metrics(res, &m, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }
    sim_output_t o = {res, &m, &pf, use_catalogue ? &cat : NULL, &rd.model, ref, top};
    if (sim_write(out_dir, &o, &err) != CY_OK) {
        cli_fail(&err);
        goto done;
    }
    if (!quiet)
        print_summary(&o, out_dir, threads, secs);
    rc = 0;
done:
    sim_result_free(res);
    sim_portfolio_free(&pf);
    sim_catalogue_free(&cat);
    refdata_free(ref);
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
