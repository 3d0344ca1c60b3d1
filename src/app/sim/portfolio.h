/*
 * portfolio.h — the policies in force in the store as a simulation
 * portfolio (sim/portfolio.h), so the accumulation model runs on the book
 * the platform itself underwrote (columns in docs/underwriting.md).
 */
#ifndef CY_APP_PORTFOLIO_H
#define CY_APP_PORTFOLIO_H

#include "app/actor.h"
#include "app/app.h"
#include "sim/portfolio.h"

/*
 * app_portfolio_in_force loads every policy with status active whose period
 * holds at now (UTC seconds): an insurer's own book, or everything for the ministry, the
 * support center and the command line. An empty book is CY_EINVAL
 * ("portfolio_empty"): there is nothing to simulate.
 */
cy_status_t app_portfolio_in_force(app_t *app, const actor_t *actor, int64_t now,
                                   sim_portfolio_t *out, cy_error_t *err);

#endif
