/*
 * org.h — organisations (DOMAIN.md §1): every field of the forms' 基本信息,
 * validated (USCC with its embedded organisation code, PRC legal person,
 * region, industry, nature), scoped for reading (region prefix for
 * authorities, own organisation for the rest) and audited on every write.
 */
#ifndef CY_APP_ORG_H
#define CY_APP_ORG_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

typedef struct {
    int64_t id;
    char name[256];
    org_type_t type;
    char uscc[19];
    char uscc_warning[400]; /* "" when the embedded organisation code checks */
    char region_code[7], region_name[96], province_code[7], city_code[7];
    char industry_section[2], industry_division[3];
    char nature[24];
    char nature_other[128];
    char founded_on[11];
    int64_t registered_capital_fen; /* -1 when not given */
    char address[256], contact[64], phone[40], fax[40], email[128];
    char licence_no[64];
    char created_at[32], updated_at[32];
    int contacts_hidden; /* the caller may not see contact, phone, fax, email */
} org_t;

/*
 * The fields a client sends; NULL means absent (for an update: unchanged).
 * An empty string clears an optional field.
 */
typedef struct {
    const char *name, *type, *uscc, *region_code, *industry_section, *industry_division;
    const char *nature, *nature_other, *founded_on, *address, *contact, *phone, *fax, *email;
    const char *licence_no;
    int has_capital;
    int64_t registered_capital_fen; /* -1 clears it */
} org_input_t;

cy_status_t app_org_create(app_t *app, const actor_t *actor, const org_input_t *in, org_t *out,
                           cy_error_t *err);
cy_status_t app_org_update(app_t *app, const actor_t *actor, int64_t id, const org_input_t *in,
                           org_t *out, cy_error_t *err);
/* CY_ENOTFOUND when absent or outside the caller's visibility. */
cy_status_t app_org_get(app_t *app, const actor_t *actor, int64_t id, org_t *out, cy_error_t *err);

typedef struct {
    const char *type;   /* NULL: any */
    const char *region; /* a code prefix, 2–6 digits; NULL: any */
    int64_t cursor;     /* ids after this one */
    int limit;          /* 1–200 */
} org_filter_t;

typedef void (*org_fn)(const org_t *org, void *arg);

cy_status_t app_org_list(app_t *app, const actor_t *actor, const org_filter_t *f, org_fn fn,
                         void *arg, int64_t *next, cy_error_t *err);

/* app_org_find_uscc: the id of the organisation with this USCC, for the command line. */
cy_status_t app_org_find_uscc(app_t *app, const char *uscc, int64_t *id, cy_error_t *err);

#endif
