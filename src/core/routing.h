/*
 * routing.h — who receives a pilot plan next (DOMAIN.md §4, notice §四(二),
 * 粤工信工业互联网函〔2024〕4号 §二): a unit's plan goes to the city authority
 * of its region; a city forwards its package to the province, and the
 * province to the ministry. A 计划单列市 (ref plan_city) and a 直辖市 acting
 * as its own city forward straight to the ministry; a unit under no
 * prefecture (省直辖县级单位) goes to its province. A 基础电信企业's plan is
 * also copied to the 通信管理局 of its province.
 *
 * Pure: core/ref.h lookups only — no storage, no organisations: app/ turns a
 * stop (level + region code) into the authority registered there.
 */
#ifndef CY_CORE_ROUTING_H
#define CY_CORE_ROUTING_H

#include <stddef.h>

#include "core/error.h"
#include "core/ref.h"
#include "core/round.h"

typedef enum {
    ROUTE_APPLICANT, /* an enterprise, service institution or insurer */
    ROUTE_CITY,      /* a city authority (a 直辖市 acting as its own city too) */
    ROUTE_PROVINCE,  /* a provincial authority */
    ROUTE_MINISTRY,  /* 工业和信息化部: the end of the route */
} route_level_t;

typedef struct {
    route_level_t level;
    char region[7]; /* the stop's region code; "" for the ministry */
} route_stop_t;

/* "applicant", "city", "province", "ministry". */
const char *routing_level_name(route_level_t l);

/*
 * routing_next: the stop that receives from a sender at level from in
 * region (a six-digit code). Refusals (CY_EINVAL, field "region_code"):
 * route_region_unknown when the region is not in GB/T 2260, route_end when
 * the sender is the ministry.
 */
cy_status_t routing_next(const ref_data_t *ref, route_level_t from, const char *region,
                         route_stop_t *next, cy_error_t *err);

/*
 * routing_path writes the whole route from a sender to the ministry into
 * out (at most 3 stops) and returns how many; 0 when the region is unknown.
 */
size_t routing_path(const ref_data_t *ref, route_level_t from, const char *region,
                    route_stop_t out[3]);

/*
 * routing_copy_to_comm_admin: 1 when a plan of a 基础电信企业 (telecom != 0)
 * in region must also go to the 通信管理局 of province (PP0000, written to
 * province); 0 otherwise.
 */
int routing_copy_to_comm_admin(const ref_data_t *ref, int telecom, const char *region,
                               char province[7]);

/* The deadline judged when a stop of this level receives a plan or package. */
round_deadline_t routing_deadline(route_level_t receiving);

#endif
