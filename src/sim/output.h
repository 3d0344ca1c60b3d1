/*
 * output.h — the files a simulation writes: the year loss table, the EP
 * table, breakdowns, the catalogue events by contribution, per-policy
 * results (CSV) and a summary (JSON). Amounts are in yuan with two decimals,
 * written from integer fen, so the same result gives byte-identical files.
 * Nothing written depends on the thread or process count or on the clock.
 *
 * May use stdio (its own output files only); depends on sim/ and core/.
 */
#ifndef CY_SIM_OUTPUT_H
#define CY_SIM_OUTPUT_H

#include "core/error.h"
#include "core/ref.h"
#include "sim/sim.h"

/* What the writers read. ref (names of industries and regions) may be NULL. */
typedef struct {
    const sim_result_t *result; /* all years */
    const sim_metrics_t *metrics;
    const sim_portfolio_t *portfolio;
    const sim_catalogue_t *catalogue; /* may be NULL */
    const rating_model_t *model;
    const ref_data_t *ref;
    size_t top_events; /* how many events summary.json lists */
} sim_output_t;

/* The file names sim_write creates in its folder. */
extern const char *const sim_output_files[];

/*
 * sim_write creates dir if needed and writes summary.json, ylt.csv, ep.csv,
 * breakdown.csv, events.csv and policies.csv into it (replacing them).
 * CY_EIO (sim_output) naming the file on failure.
 */
cy_status_t sim_write(const char *dir, const sim_output_t *o, cy_error_t *err);

/* sim_fen_mean returns sum / n rounded half up to the fen (n > 0). */
int64_t sim_fen_mean(int64_t sum, int64_t n);

#endif
