/*
 * exposure_csv.c — fuzzes the exposure CSV reader (data/exposure.c, over
 * core/csv.c, core/money.c and core/terms.c) as a simulation job reads an
 * uploaded portfolio: exposure_load with the real reference data. Beyond the
 * sanitizers: an accepted file holds at least one policy, each with valid
 * terms and a unique policy number.
 */
#include <stdlib.h>
#include <string.h>

#include "core/terms.h"
#include "data/exposure.h"
#include "data/refdata.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cmp_id(const void *a, const void *b)
{
    return strcmp(((const sim_policy_t *)a)->id, ((const sim_policy_t *)b)->id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ref_data_t *ref;
    cy_error_t err;
    if (ref == NULL && refdata_load(FUZZ_DATA, &ref, &err) != CY_OK)
        fuzz_die("refdata_load", err.message);
    sim_portfolio_t pf;
    if (exposure_load(fuzz_file(data, size), ref, &pf, &err) != CY_OK) {
        fuzz_refused(&err);
        if (pf.policies != NULL || pf.n != 0)
            fuzz_die("exposure_load", "a refusal that keeps policies");
        return 0;
    }
    if (pf.n == 0)
        fuzz_die("exposure_load", "accepted a file without policies");
    for (size_t i = 0; i < pf.n; i++)
        if (terms_validate(&pf.policies[i].terms, &err) != CY_OK)
            fuzz_die("exposure_load", "accepted invalid terms");
    qsort(pf.policies, pf.n, sizeof *pf.policies, cmp_id);
    for (size_t i = 1; i < pf.n; i++)
        if (strcmp(pf.policies[i].id, pf.policies[i - 1].id) == 0)
            fuzz_die("exposure_load", "accepted a duplicate policy number");
    sim_portfolio_free(&pf);
    return 0;
}
