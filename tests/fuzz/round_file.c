/*
 * round_file.c — fuzzes the pilot round reader (data/pilot.c over
 * data/jsonfile.c and core/round.c): pilot_round_load of
 * data/rounds/2024.json's format. Beyond the sanitizers: a refusal carries
 * the loader's code and names the file, and an accepted round passes
 * round_validate.
 */
#include <string.h>

#include "data/pilot.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static round_t r;
    cy_error_t err;
    if (pilot_round_load(fuzz_file(data, size), "rounds/fuzz.json", &r, &err) != CY_OK) {
        fuzz_refused(&err);
        if (strcmp(err.code, "round_invalid") != 0 ||
            strstr(err.message, "rounds/fuzz.json") == NULL)
            fuzz_die("pilot_round_load", err.message);
        return 0;
    }
    if (round_validate(&r, &err) != CY_OK)
        fuzz_die("pilot_round_load", "accepted what round_validate refuses");
    return 0;
}
