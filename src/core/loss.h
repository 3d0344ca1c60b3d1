/*
 * loss.h — 定损: the line items of a loss adjustment added up into the loss
 * the terms engine settles (core/terms.h), and the cost of a responder's
 * time. Durations are whole minutes, so that they are exact in JSON and in
 * the database; the engine takes hours (minutes / 60).
 *
 * Business interruption is one outage per loss: hourly gross profit × outage
 * hours, plus the extra expense of any number of lines; the waiting period
 * is the terms engine's to apply (terms_apply), so a settlement and the
 * portfolio simulation compute it in one place. The line's own amount shown
 * to a person (loss_item_amount) is the same product, rounded the same way.
 *
 * Pure: core/ and libc only; no I/O, no allocation.
 */
#ifndef CY_CORE_LOSS_H
#define CY_CORE_LOSS_H

#include <stddef.h>
#include <stdint.h>

#include "core/cov.h"
#include "core/error.h"
#include "core/terms.h"

/* Most minutes of an outage or a task: the terms engine's limit of hours. */
#define LOSS_MINUTES_MAX ((int64_t)(TERMS_HOURS_MAX * 60))

/* Highest hourly rate of a responder: ¥10,000,000 an hour (fen). */
#define LOSS_RATE_MAX ((int64_t)1000000000)

/* One line item as adjusted. */
typedef struct {
    int cov;                     /* COV_* */
    int64_t amount;              /* fen ≥ 0: the cost (bi: the extra expense) */
    int64_t outage_minutes;      /* bi only: the outage in minutes (0: none) */
    int64_t hourly_gross_profit; /* bi only, with an outage: fen per hour > 0 */
} loss_item_t;

/* The items added up. */
typedef struct {
    terms_loss_t loss;       /* for terms_apply: the responding coverages only */
    int64_t claimed[COV_N];  /* per coverage, every item's amount (bi: all hours, no waiting) */
    int64_t declined[COV_N]; /* of that, on coverages liability declined */
    int64_t claimed_total;   /* Σ claimed */
    int64_t declined_total;  /* Σ declined */
    uint32_t claimed_mask;   /* coverages with an item */
} loss_sum_t;

/*
 * loss_item_check refuses an item (CY_EINVAL, code loss_item, field named
 * after field_base, e.g. "line_items[2].amount"): an unknown coverage, a
 * negative or too large amount, outage hours or an hourly gross profit on a
 * coverage other than bi, outage minutes outside [0, LOSS_MINUTES_MAX], an
 * outage without an hourly gross profit or the reverse.
 */
cy_status_t loss_item_check(const loss_item_t *it, const char *field_base, cy_error_t *err);

/*
 * loss_item_amount: the item's own amount, hourly gross profit × minutes / 60
 * (rounded once, as the engine rounds it) + amount.
 */
cy_status_t loss_item_amount(const loss_item_t *it, int64_t *out, cy_error_t *err);

/*
 * loss_sum adds up n items (each already checked) into *out: the items on
 * the coverages in responding go to the loss for the terms engine, the
 * others count as declined. Refusals (CY_EINVAL): a second outage
 * (loss_two_outages, field "line_items"), a total out of the engine's range
 * (loss_item).
 */
cy_status_t loss_sum(const loss_item_t *items, size_t n, uint32_t responding, loss_sum_t *out,
                     cy_error_t *err);

/*
 * loss_task_cost: a responder's cost, rate (fen per hour) × minutes / 60
 * rounded half up (exact integers), plus expenses (fen); CY_EINVAL
 * (task_cost) on a negative part or a result past TERMS_AMOUNT_MAX.
 */
cy_status_t loss_task_cost(int64_t rate, int64_t minutes, int64_t expenses, int64_t *out,
                           cy_error_t *err);

#endif
