/*
 * data/platform.h — DATA/platform.json, the lists the platform's shared
 * pieces check against: the media types an organisation's files may have,
 * the scopes an enterprise may engage a service organisation for, and every
 * kind of notification a capability may raise (which webhooks subscribe to).
 * Read and validated once at start-up; read-only afterwards, so any number of
 * threads may share it. May use stdio and jansson; never store/, app/, http/
 * or cli/.
 */
#ifndef CY_DATA_PLATFORM_H
#define CY_DATA_PLATFORM_H

#include <stddef.h>

#include "core/error.h"

#define PLATFORM_MAX_MEDIA  32
#define PLATFORM_MAX_SCOPES 16
#define PLATFORM_MAX_KINDS  128

/* A code and its names ("claims", "理赔", "claims"). */
typedef struct {
    char code[48];
    char name_zh[96];
    char name_en[128];
} platform_named_t;

typedef struct platform_data {
    char version[64];
    char media_types[PLATFORM_MAX_MEDIA][128]; /* lower case, without parameters */
    size_t n_media_types;
    platform_named_t scopes[PLATFORM_MAX_SCOPES];
    size_t n_scopes;
    platform_named_t kinds[PLATFORM_MAX_KINDS];
    size_t n_kinds;
} platform_data_t;

/*
 * platform_data_load reads DATA_DIR/platform.json into a new *out; a refusal
 * names the file, the line and the field. Codes are unique in each list.
 */
cy_status_t platform_data_load(const char *data_dir, platform_data_t **out, cy_error_t *err);
void platform_data_free(platform_data_t *pd);

/* The entry of list (n entries) whose code is code, or NULL. */
const platform_named_t *platform_named_find(const platform_named_t *list, size_t n,
                                            const char *code);

#endif
