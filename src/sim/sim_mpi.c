/*
 * sim_mpi.c — the MPI split of the years (see sim_mpi.h). The library
 * builds compile this file without CY_MPI, to nothing; cyberins-mpi compiles
 * it with CY_MPI and links OpenMPI. Depends on sim/ and MPI only.
 */
#include "sim/sim_mpi.h"

#ifdef CY_MPI

#include <stdlib.h>
#include <string.h>

#include <mpi.h>

cy_status_t
sim_mpi_run(const sim_config_t *cfg, sim_result_t **out, int *rank_out, cy_error_t *err)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *rank_out = rank;
    *out = NULL;
    if (cfg->years < size)
        return cy_error_set(err, CY_EINVAL, "sim_range", "years",
                            "年数（%lld）少于进程数（%d） / fewer years (%lld) than processes (%d)",
                            (long long)cfg->years, size, (long long)cfg->years, size);
    sim_config_t c = *cfg;
    c.year_begin = cfg->years * rank / size;
    c.year_end = cfg->years * (rank + 1) / size;
    if (rank != 0)
        c.progress = NULL;
    sim_result_t *r = NULL;
    cy_status_t st = sim_run(&c, &r, err);

    /* agree on failure before any rank waits for another's data */
    int mine = st, worst = 0;
    MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (worst != CY_OK) {
        sim_result_free(r);
        if (st == CY_OK)
            return cy_error_set(err, (cy_status_t)worst, "sim_mpi", NULL,
                                "另一个进程模拟失败 / another rank failed");
        return st;
    }
    if (rank != 0) {
        void *buf = NULL;
        size_t len = 0;
        st = sim_result_pack(r, &buf, &len, err);
        uint64_t n = st == CY_OK ? (uint64_t)len : 0;
        MPI_Send(&n, 1, MPI_UINT64_T, 0, 1, MPI_COMM_WORLD);
        /* in pieces: an MPI count is an int */
        for (size_t at = 0; at < n;) {
            size_t piece = n - at < (1u << 30) ? n - at : (1u << 30);
            MPI_Send((char *)buf + at, (int)piece, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
            at += piece;
        }
        free(buf);
        sim_result_free(r);
        return st;
    }
    for (int src = 1; src < size && st == CY_OK; src++) {
        uint64_t n = 0;
        MPI_Recv(&n, 1, MPI_UINT64_T, src, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        char *buf = malloc(n ? n : 1);
        if (buf == NULL) {
            st = cy_error_no_memory(err);
            break;
        }
        for (size_t at = 0; at < n;) {
            size_t piece = n - at < (1u << 30) ? n - at : (1u << 30);
            MPI_Recv(buf + at, (int)piece, MPI_BYTE, src, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            at += piece;
        }
        st = n == 0 ? cy_error_set(err, CY_EIO, "sim_mpi", NULL,
                                   "进程 %d 未能发送结果 / rank %d sent no result", src, src)
                    : sim_result_unpack_merge(r, buf, n, err);
        free(buf);
    }
    if (st != CY_OK) {
        sim_result_free(r);
        return st;
    }
    *out = r;
    return CY_OK;
}

#else

/* Without MPI this file adds nothing; the typedef keeps the translation unit non-empty. */
typedef int sim_mpi_unused_t;

#endif
