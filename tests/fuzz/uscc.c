/*
 * uscc.c — fuzzes the 统一社会信用代码 check (core/uscc.c) as
 * POST /api/v1/checks/uscc runs it (app_check_uscc): the input is the code.
 * Beyond the sanitizers it checks what the header promises: an accepted code
 * is 18 characters whose last is the computed check character, and a refusal
 * carries one of the three documented codes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/uscc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    uscc_info_t info;
    int legal = -1;
    cy_error_t err, legal_err;
    cy_status_t st = app_check_uscc(s, &info, &legal, &legal_err, &err);
    if (st == CY_OK) {
        if (strlen(info.code) != 18 || uscc_check_char(info.code) != info.code[17])
            fuzz_die("uscc", "accepted a code whose check character is not the computed one");
        if (legal != 0 && legal != 1)
            fuzz_die("uscc", "legal person is neither yes nor no");
        if (uscc_category_name(info.dept, info.category) == NULL)
            fuzz_die("uscc", "no category name");
    } else {
        fuzz_refused(&err);
        if (strcmp(err.code, "uscc_length") != 0 && strcmp(err.code, "uscc_charset") != 0 &&
            strcmp(err.code, "uscc_check_digit") != 0)
            fuzz_die("uscc", err.code);
    }
    free(s);
    return 0;
}
