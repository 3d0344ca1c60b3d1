#!/usr/bin/env python3
"""sim_baseline_profile.py SIM_C — instrument the baseline's src/sim/sim.c (the
engine before the sweep of issue 14: commit 551550c, run_year in one file) with
a time-stamp counter per phase of run_year, so that bench/sim.sh can print the
cycles per loss of the baseline next to those of `cyberins simulate --profile`
in the same run. Rewrites SIM_C in place; build that tree into its own build
folder and pass its cyberins as BASELINE_PROF to bench/sim.sh.

The instrumented binary writes, when SIM_PROF=FILE is set, one record per year:
eight uint32 — the cycles of attritional generation, systemic generation,
laying out items (policy look-up included), draws, settlement of single losses
(kernel, engine and per-loss sums), settlement of policies with several, the
per-policy and per-occurrence sums — and the year's loss events.
"""
import sys

path = sys.argv[1]
s = open(path).read()


def rep(a, b):
    global s
    if a not in s:
        sys.exit("sim_baseline_profile: %s is not the baseline's sim.c (missing: %r)" % (path, a[:60]))
    s = s.replace(a, b, 1)


rep('#include <omp.h>\n', '#include <omp.h>\n#include <x86intrin.h>\n')
rep('    acc_t acc;\n    cy_error_t err;\n} worker_t;',
    '    acc_t acc;\n    cy_error_t err;\n    uint64_t prof[8];\n} worker_t;\n'
    'static uint32_t *g_prof; /* benchmark instrumentation only */\n')
rep('''    uint32_t y = (uint32_t)year;
    memset(row, 0, sizeof *row);''', '''    uint32_t y = (uint32_t)year;
    memset(W->prof, 0, sizeof W->prof);
    uint64_t T0 = __rdtsc(), T1;
    memset(row, 0, sizeof *row);''')
rep('''    row->attritional = n_att;
''', '''    row->attritional = n_att;
    T1 = __rdtsc(); W->prof[0] += T1 - T0; T0 = T1;
''')
rep('''    row->occurrences = n_occ;
''', '''    row->occurrences = n_occ;
    T1 = __rdtsc(); W->prof[1] += T1 - T0; T0 = T1;
''')
rep('''        expand_items(P, W, from, to);
''', '''        expand_items(P, W, from, to);
        T1 = __rdtsc(); W->prof[2] += T1 - T0; T0 = T1;
''')
rep('''            sim_draw_batch(P->k0, P->k1, y, &items, W->n_it, P->tails);
    }''', '''            sim_draw_batch(P->k0, P->k1, y, &items, W->n_it, P->tails);
        T1 = __rdtsc(); W->prof[3] += T1 - T0; T0 = T1;
    }''')
rep('''    cy_status_t rc = settle_singles(P, W, row);
    if (rc != CY_OK)
        return rc;
''', '''    cy_status_t rc = settle_singles(P, W, row);
    if (rc != CY_OK)
        return rc;
    T1 = __rdtsc(); W->prof[4] += T1 - T0; T0 = T1;
''')
rep('''    for (size_t d = 0; d < W->n_touched; d++) {
        if (d + SIM_PREFETCH_FAR''', '''    T1 = __rdtsc(); W->prof[5] += T1 - T0; T0 = T1;
    for (size_t d = 0; d < W->n_touched; d++) {
        if (d + SIM_PREFETCH_FAR''')
rep('''    W->acc.hits += row->hits;
    return CY_OK;''', '''    W->acc.hits += row->hits;
    T1 = __rdtsc(); W->prof[6] += T1 - T0;
    if (g_prof) {
        uint32_t *g = g_prof + 8 * (size_t)year;
        for (int k = 0; k < 7; k++)
            g[k] = (uint32_t)W->prof[k];
        g[7] = (uint32_t)W->n_ev;
    }
    return CY_OK;''')
rep('''    int failed = 0;
    int64_t done = 0, total = end - begin;''', '''    if (getenv("SIM_PROF"))
        g_prof = calloc((size_t)end * 8, 4);
    int failed = 0;
    int64_t done = 0, total = end - begin;''')
rep('''    for (int t = 0; t < T; t++)
        worker_free(&W[t]);
    free(W);
    prep_free(&P);
    if (failed) {''', '''    if (g_prof) {
        FILE *f = fopen(getenv("SIM_PROF"), "wb");
        if (f != NULL) {
            fwrite(g_prof + 8 * (size_t)begin, 32, (size_t)(end - begin), f);
            fclose(f);
        }
        free(g_prof);
        g_prof = NULL;
    }
    for (int t = 0; t < T; t++)
        worker_free(&W[t]);
    free(W);
    prep_free(&P);
    if (failed) {''')
open(path, 'w').write(s)
print("sim_baseline_profile: instrumented", path)
