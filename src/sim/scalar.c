/*
 * scalar.c — the baseline the benchmark compares the array kernel against:
 * the same draws as sim_draw_batch, one item at a time, with Random123's
 * philox4x32, core's normal_quantile and libm's exp, compiled with the
 * project's ordinary flags. Its amounts may differ from the batch kernel's in
 * the last bits (different quantile and exp), so a run is reproducible only
 * with the same kernel. Depends on libc, libm, Random123 and core/normal.
 */
#include "sim/kernel.h"

#include <math.h>

#include <Random123/philox.h>

#include "core/normal.h"

void
sim_draw_scalar(uint32_t k0, uint32_t k1, uint32_t c0, const sim_items_t *it, size_t n,
                const sim_tail_t *tails)
{
    philox4x32_key_t key = {{k0, k1}};
    for (size_t i = 0; i < n; i++) {
        philox4x32_ctr_t ctr = {{c0, it->c1[i], it->c2[i], it->c3[i]}};
        philox4x32_ctr_t w = philox4x32(ctr, key);
        double z = normal_quantile(sim_u01(w.v[1]));
        double x = exp(it->mu[i] + it->sigma[i] * z);
        if (!(sim_u01(w.v[0]) < it->p[i])) {
            if (it->dst == NULL)
                it->x[i] = 0.0;
            continue;
        }
        const sim_tail_t *tl = &tails[it->c3[i] & (SIM_TAILS - 1)];
        if (z > tl->zq) {
            double u = exp(it->mu[i] + it->sigma[i] * tl->zq);
            double beta = tl->beta_ratio * u, xi = tl->xi;
            double lv = log(sim_u01(w.v[2]));
            x = u + (xi > 1e-12 ? beta / xi * expm1(-xi * lv) : -beta * lv);
        }
        it->x[it->dst ? it->dst[i] : i] = x;
    }
}
