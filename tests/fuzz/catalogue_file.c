/*
 * catalogue_file.c — fuzzes the systemic event catalogue reader
 * (data/catalogue.c over data/jsonfile.c): catalogue_load of one file, with
 * the real rating model resolving incident types. Beyond the sanitizers: an
 * accepted file's events have unique ids and rates in range.
 */
#include <string.h>

#include "data/catalogue.h"
#include "data/rating.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rating_data_t rd;
    static int ready;
    cy_error_t err;
    if (!ready) {
        if (rating_data_load(FUZZ_DATA "/rating/model.json", "model.json", &rd, &err) != CY_OK)
            fuzz_die("rating_data_load", err.message);
        ready = 1;
    }
    sim_catalogue_t cat;
    if (catalogue_load(fuzz_file(data, size), &rd.model, &cat, &err) != CY_OK) {
        fuzz_refused(&err);
        return 0;
    }
    for (size_t i = 0; i < cat.n; i++) {
        const sim_event_t *e = &cat.events[i];
        if (!(e->annual_rate > 0.0 && e->annual_rate <= 100.0) ||
            !(e->hit_probability > 0.0 && e->hit_probability <= 1.0))
            fuzz_die("catalogue_load", "accepted a rate out of range");
        for (size_t k = 0; k < i; k++)
            if (strcmp(cat.events[k].id, e->id) == 0)
                fuzz_die("catalogue_load", "accepted a duplicate event id");
    }
    sim_catalogue_free(&cat);
    return 0;
}
