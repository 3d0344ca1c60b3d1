/*
 * refdata.h — loading and validating the reference data files at start-up.
 *
 * Reads data_dir/regions.csv, industries.csv, coverages.json and pilot.json
 * into one ref_data_t (core/ref.h) and checks every row. A program that
 * starts with a broken file stops with a message naming the file, the line
 * (CSV, or a JSON syntax error) or the array index and key (JSON), and the
 * reason. May use stdio and jansson; never store/, http/ or cli/.
 */
#ifndef CY_APP_REFDATA_H
#define CY_APP_REFDATA_H

#include "core/error.h"
#include "core/ref.h"

/*
 * refdata_load reads the four files under data_dir and, if every row is
 * valid, sets *out to a new ref_data_t the caller frees with refdata_free.
 * On failure *out is NULL and err holds: status CY_EINVAL (CY_ENOMEM if
 * memory ran out), code "refdata_invalid", field the file name (e.g.
 * "regions.csv"), message "regions.csv 第 N 行：… / regions.csv line N: …".
 * A missing or unreadable file is CY_EINVAL too: the data directory is
 * input to the program.
 */
cy_status_t refdata_load(const char *data_dir, ref_data_t **out, cy_error_t *err);

/* refdata_free releases what refdata_load returned; NULL is allowed. */
void refdata_free(ref_data_t *d);

#endif
