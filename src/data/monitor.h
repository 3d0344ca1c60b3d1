/*
 * data/monitor.h — the data files of in-force monitoring (docs/monitoring.md):
 * DATA/vendors/catalogue.json, the vendor/product catalogue declared stacks
 * and signals are written in (codes shared with the simulation and the
 * exposure CSV), and DATA/monitor/rules.json, due days and score points by
 * severity. Read and validated once at start-up; read-only afterwards. May
 * use stdio and jansson; never store/, app/, http/ or cli/.
 */
#ifndef CY_DATA_MONITOR_H
#define CY_DATA_MONITOR_H

#include <stddef.h>

#include "core/error.h"

#define MON_MAX_VENDORS    256
#define MON_MAX_MATCH      8
#define MON_MAX_SEVERITIES 8
#define MON_MAX_CATEGORIES 8

typedef struct {
    char code[40];
    char category[16];
    char name_zh[96], name_en[128];
    char cpe[MON_MAX_MATCH][96]; /* "vendor:product" prefixes of CPE 2.3 */
    size_t n_cpe;
    char kev_vendor[MON_MAX_MATCH][64], kev_product[MON_MAX_MATCH][96];
    size_t n_kev;
} mon_vendor_t;

typedef struct {
    char code[16];
    char name_zh[32], name_en[32];
    int due_days, points;
} mon_severity_t;

typedef struct {
    char code[16];
    char name_zh[32], name_en[32];
} mon_category_t;

typedef struct monitor_data {
    char vendors_version[32], rules_version[32];
    mon_category_t categories[MON_MAX_CATEGORIES];
    size_t n_categories;
    mon_vendor_t vendors[MON_MAX_VENDORS];
    const char *codes[MON_MAX_VENDORS]; /* the vendors' codes, for mon_nearest */
    size_t n_vendors;
    mon_severity_t severities[MON_MAX_SEVERITIES];
    size_t n_severities;
    mon_category_t service_kinds[MON_MAX_CATEGORIES]; /* what a service organisation records */
    size_t n_service_kinds;
    int max_penalty, remind_days, max_batch;
    char kev_severity[16], stix_severity[16];
} monitor_data_t;

/* monitor_data_load reads both files; a refusal names the file, the line and the field. */
cy_status_t monitor_data_load(const char *data_dir, monitor_data_t **out, cy_error_t *err);
void monitor_data_free(monitor_data_t *md);

const mon_vendor_t *monitor_vendor_find(const monitor_data_t *md, const char *code);
const mon_severity_t *monitor_severity_find(const monitor_data_t *md, const char *code);

#endif
