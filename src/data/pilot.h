/*
 * data/pilot.h — loading the pilot's data files: the rounds of DATA/rounds/
 * (core/round.h) and the review criteria of DATA/review/criteria.json
 * (core/review.h), validated; a refusal names the file, the line and the
 * field. Read-only after loading, so any number of threads may share them.
 * May use stdio and jansson; never store/, app/, http/ or cli/.
 */
#ifndef CY_DATA_PILOT_H
#define CY_DATA_PILOT_H

#include <stddef.h>

#include "core/error.h"
#include "core/review.h"
#include "core/round.h"

typedef struct pilot_data {
    round_t *rounds; /* sorted by id */
    size_t n_rounds;
    review_criteria_t criteria;        /* DATA/review/criteria.json, the default */
    review_criteria_t *round_criteria; /* [i]: what round i is scored on (its review_criteria) */
} pilot_data_t;

/*
 * pilot_data_load reads every DATA_DIR/rounds/NAME.json, DATA_DIR/review/criteria.json
 * and the criteria file each round names ("review_criteria": NAME →
 * DATA/review/NAME.json) into *out.
 */
cy_status_t pilot_data_load(const char *data_dir, pilot_data_t **out, cy_error_t *err);
void pilot_data_free(pilot_data_t *pd);

/*
 * pilot_round_load reads one round file at path (messages call it name, e.g.
 * "rounds/2024.json") into *out, validated (round_validate). Refusal:
 * CY_EINVAL, code round_invalid, naming the file, line and field.
 */
cy_status_t pilot_round_load(const char *path, const char *name, round_t *out, cy_error_t *err);

#endif
