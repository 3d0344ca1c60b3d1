/*
 * catalogue.h — loading the systemic event catalogue (the JSON files of
 * data/catalogue/; docs/simulation.md describes the format) into a sim_catalogue_t.
 * May use stdio, dirent and jansson; never store/, http/ or cli/.
 */
#ifndef CY_APP_CATALOGUE_H
#define CY_APP_CATALOGUE_H

#include "core/error.h"
#include "core/rating.h"
#include "sim/portfolio.h"

/*
 * catalogue_load reads path — one JSON file, or a directory whose *.json
 * files are read in name order — into *out (the caller frees it with
 * sim_catalogue_free). model resolves incident types by code. Refusal:
 * CY_EINVAL, code catalogue_invalid, the message naming the file, line and
 * field ("china.json 第 40 行 events[3].annual_rate：… / china.json line 40,
 * events[3].annual_rate: …"), field the JSON path. Event ids are unique
 * across the files.
 */
cy_status_t catalogue_load(const char *path, const rating_model_t *model, sim_catalogue_t *out,
                           cy_error_t *err);

#endif
