/*
 * scan_findings.c — fuzzes the external-scan findings import (the CSV and
 * JSON readers of src/app/uw/) through the body's mapping (http/uw_json.c)
 * and its use case, app_uw_assessment_findings, on an application over SQLite (fuzz_app).
 * An input that starts with '{' is the request body itself ({"findings":
 * [...]} or {"csv": "..."}, parsed as the server parses bodies); any other
 * input is the CSV text, sent as {"csv": input}. The assessment id does not
 * exist, so a body that parses is answered not_found and nothing is written.
 * Beyond the sanitizers: every answer is a refusal of the client's input
 * (never a server error).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/uw/uw.h"
#include "http/uw_json.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *
body_of(const uint8_t *data, size_t size)
{
    if (size > 0 && data[0] == '{')
        return json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    char *csv = fuzz_text(data, size);
    json_t *s = json_string(csv); /* NULL when not UTF-8: the server refuses such a body */
    free(csv);
    return s ? json_pack("{s:o}", "csv", s) : NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_app(NULL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    app_t *app = fuzz_app(NULL);
    json_t *body = body_of(data, size);
    if (!json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    actor_t op;
    actor_cli(&op, "fuzz");
    /* the body mapped to the use case's input as http/uw.c maps it */
    uw_findings_in_t in;
    uwj_lists_t lists = {0};
    if (!uwj_findings_in(body, &in, &lists))
        fuzz_die("uwj_findings_in", "out of memory");
    uw_assessment_t out = {0};
    cy_error_t err;
    cy_status_t st = app_uw_assessment_findings(app, &op, fuzz_now(), 999999999, &in, &out, &err);
    uwj_lists_free(&lists);
    json_decref(body);
    if (st == CY_OK)
        uw_assessment_free(&out);
    fuzz_refused(&err);
    if (st == CY_OK)
        fuzz_die("app_uw_assessment_findings", "findings imported into a missing assessment");
    if (st != CY_EINVAL && st != CY_EBADREQ && st != CY_ENOTFOUND)
        fuzz_die("app_uw_assessment_findings", err.message);
    return 0;
}
