/*
 * sim_mpi.h — the simulation split across MPI ranks (built only with
 * -DCY_MPI=ON, into the cyberins-mpi program). Rank r of R computes years
 * [Y·r/R, Y·(r+1)/R) with its own OpenMP threads; the ranks send their
 * packed results to rank 0 in rank order, which merges them with integer
 * sums: the year loss table and every figure are byte-identical to one
 * process. Depends on sim/ and MPI.
 */
#ifndef CY_SIM_SIM_MPI_H
#define CY_SIM_SIM_MPI_H

#include "sim/sim.h"

/*
 * sim_mpi_run runs cfg (years over all ranks; cfg->year_begin/end ignored)
 * on MPI_COMM_WORLD, which the caller has initialised. On rank 0 *out is
 * the merged result of all years; on the other ranks *out is NULL. Every
 * rank returns the same status: a failure on any rank fails all.
 */
cy_status_t sim_mpi_run(const sim_config_t *cfg, sim_result_t **out, int *rank, cy_error_t *err);

#endif
