/*
 * rating_data.h — loading the rating model's parameters from
 * data/rating/model.json (docs/rating.md describes the file and its sources).
 * May use stdio and jansson; never store/, http/ or cli/.
 */
#ifndef CY_APP_RATING_DATA_H
#define CY_APP_RATING_DATA_H

#include "core/error.h"
#include "core/rating.h"

typedef struct {
    rating_model_t model; /* validated */
    double usd_cny;       /* the conversion rate the file's calibration used */
    char version[64];
    char source[1024];
} rating_data_t;

/*
 * rating_data_load reads path (messages call it name, e.g. "rating/model.json")
 * into *out. Refusal: CY_EINVAL, code rating_model_invalid, the message naming
 * the file, line and field ("model.json 第 12 行 frequency.size.exponent：… /
 * model.json line 12, frequency.size.exponent: …"), field the JSON path.
 */
cy_status_t rating_data_load(const char *path, const char *name, rating_data_t *out,
                             cy_error_t *err);

#endif
