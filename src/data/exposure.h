/*
 * exposure.h — reading a what-if portfolio from an exposure CSV with OED v4
 * column names (docs/simulation.md lists the columns and the extensions).
 * May use stdio; never store/, http/ or cli/.
 */
#ifndef CY_APP_EXPOSURE_H
#define CY_APP_EXPOSURE_H

#include "core/error.h"
#include "core/ref.h"
#include "sim/portfolio.h"

/*
 * exposure_load reads the CSV at path into *out (freed with
 * sim_portfolio_free). ref, if not NULL, lets IndustryCode1 be a 大类 and
 * checks AreaCode's province. Every policy's terms are validated. Refusal:
 * CY_EINVAL, code exposure_invalid, "FILE 第 N 行 COLUMN：… / FILE line N,
 * COLUMN: …", field the column.
 */
cy_status_t exposure_load(const char *path, const ref_data_t *ref, sim_portfolio_t *out,
                          cy_error_t *err);

#endif
