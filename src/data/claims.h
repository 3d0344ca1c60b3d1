/*
 * claims.h — the claims data files, read and validated once when the
 * application opens and read-only afterwards:
 *
 *   data/claims/rules.json       incident types and their perils, the notice
 *                                period, services, the non-panel rate
 *   data/claims/exclusions.json  the wording's exclusions, each with its
 *                                clause and source
 *
 * A broken file stops the start with the file, line and field. May use
 * stdio and jansson (data/jsonfile.h); never store/, http/ or cli/.
 */
#ifndef CY_DATA_CLAIMS_H
#define CY_DATA_CLAIMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/liability.h"

#define CLAIMS_MAX_TYPES    16
#define CLAIMS_MAX_SERVICES 8
#define CLAIMS_MAX_MEDIA    24 /* media types an evidence item may have */

typedef struct {
    char code[32], name_zh[64], name_en[64];
    uint32_t perils; /* coverages (1u << COV_*) an incident of this type may call on */
} claims_incident_type_t;

typedef struct {
    char code[32], name_zh[64], name_en[64];
} claims_service_t;

typedef struct {
    char code[40];
    char clause[128];
    char name_zh[128], name_en[160];
    char wording_zh[1024], wording_en[1024];
    char source[512];
} claims_exclusion_text_t;

typedef struct claims_data {
    char rules_source[1024], rules_version[32];
    int notice_hours;
    int64_t non_panel_rate; /* fen per hour */
    claims_incident_type_t types[CLAIMS_MAX_TYPES];
    size_t n_types;
    claims_service_t services[CLAIMS_MAX_SERVICES];
    size_t n_services;
    char media[CLAIMS_MAX_MEDIA][128];
    const char *evidence_types[CLAIMS_MAX_MEDIA + 1]; /* into media, NULL-ended (blob_rules_t) */
    size_t n_media;
    char excl_source[1024], excl_version[32], wording[256];
    claims_exclusion_text_t texts[LIAB_MAX_EXCLUSIONS];
    liab_exclusion_t exclusions[LIAB_MAX_EXCLUSIONS]; /* for core/liability, pointing into texts */
    size_t n_exclusions;
} claims_data_t;

/* claims_data_load reads both files under data_dir into a new *out (claims_data_free). */
cy_status_t claims_data_load(const char *data_dir, claims_data_t **out, cy_error_t *err);
void claims_data_free(claims_data_t *d);

/* The incident type or service with this code, or NULL. */
const claims_incident_type_t *claims_type_find(const claims_data_t *d, const char *code);
const claims_service_t *claims_service_find(const claims_data_t *d, const char *code);

#endif
