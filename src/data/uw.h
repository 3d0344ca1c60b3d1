/*
 * uw_data.h — the underwriting data files, read and validated once when the
 * application opens (app_open) and read-only afterwards, so any number of
 * threads may share them:
 *
 *   data/rating/model.json                 the rating model (app/rating_data.c, issue 6)
 *   data/questionnaire/questionnaire.json  the risk-assessment questionnaire
 *   data/underwriting/rules.json           the underwriting rules
 *   data/underwriting/parameters.json      quote validity, claim-free credit, revenue bands, …
 *
 * A broken file stops the start with the file, line and field
 * ("rules.json 第 12 行 rules[3].when.kind：… / rules.json line 12, …").
 * May use stdio and jansson (app/jsonfile.h); never store/, http/ or cli/.
 */
#ifndef CY_APP_UW_DATA_H
#define CY_APP_UW_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "data/rating.h"
#include "core/error.h"
#include "core/pricing.h"
#include "core/questionnaire.h"
#include "core/uwrules.h"

#define UW_MAX_BANDS   12
#define UW_MAX_CREDITS 8

/* A revenue band of the 单价保费及保额 table. */
typedef struct {
    char code[24];
    char name_zh[64];
    char name_en[64];
    int64_t max;   /* fen, the band's upper bound (exclusive); 0: open-ended */
    int64_t rated; /* fen, the revenue the band is priced at */
} uw_band_t;

typedef struct {
    char version[64];
    char source[1024];
    int quote_validity_days;
    int start_within_days; /* a quote's start date at most this many days ahead */
    char unassessed_grade;
    pricing_credit_step_t credits[UW_MAX_CREDITS];
    size_t n_credits;
    char policy_prefix[9];
    uw_band_t bands[UW_MAX_BANDS];
    size_t n_bands;
} uw_params_t;

typedef struct uw_data {
    rating_data_t rating;
    qn_t qn;
    uwr_set_t rules;
    uw_params_t params;
} uw_data_t;

/*
 * uw_data_load reads the four files under data_dir into a new *out
 * (uw_data_free releases it). Refusal: CY_EINVAL naming file, line and field.
 */
cy_status_t uw_data_load(const char *data_dir, uw_data_t **out, cy_error_t *err);
void uw_data_free(uw_data_t *d);

/* The loaders one by one (for the tests), into caller-owned structs. */
cy_status_t uw_questionnaire_load(const char *path, const char *name, qn_t *out, cy_error_t *err);
cy_status_t uw_rules_load(const char *path, const char *name, const qn_t *qn, uwr_set_t *out,
                          cy_error_t *err);
cy_status_t uw_params_load(const char *path, const char *name, uw_params_t *out, cy_error_t *err);

#endif
