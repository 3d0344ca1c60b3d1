/*
 * rating_file.c — fuzzes the rating model reader (data/rating.c over
 * data/jsonfile.c): rating_data_load of data/rating/model.json's format.
 * Beyond the sanitizers: a refusal names the file and carries the loader's
 * error code.
 */
#include <string.h>

#include "data/rating.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rating_data_t rd;
    cy_error_t err;
    if (rating_data_load(fuzz_file(data, size), "model.json", &rd, &err) == CY_OK)
        return 0;
    fuzz_refused(&err);
    if (strcmp(err.code, "rating_model_invalid") != 0 || strstr(err.message, "model.json") == NULL)
        fuzz_die("rating_data_load", err.message);
    return 0;
}
