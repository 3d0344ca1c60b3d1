/*
 * questionnaire_file.c — fuzzes the risk-assessment questionnaire reader
 * (data/uw.c over data/jsonfile.c and core/questionnaire.c):
 * uw_questionnaire_load of data/questionnaire/questionnaire.json's format.
 * Beyond the sanitizers: a refusal carries the loader's error code, and an
 * accepted questionnaire passes qn_validate.
 */
#include <string.h>

#include "data/uw.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qn_t qn;
    cy_error_t err;
    if (uw_questionnaire_load(fuzz_file(data, size), "questionnaire.json", &qn, &err) != CY_OK) {
        fuzz_refused(&err);
        if (strcmp(err.code, "questionnaire_invalid") != 0)
            fuzz_die("uw_questionnaire_load", err.message);
        return 0;
    }
    if (qn_validate(&qn, &err) != CY_OK)
        fuzz_die("uw_questionnaire_load", "accepted what qn_validate refuses");
    return 0;
}
