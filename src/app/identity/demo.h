/*
 * demo.h — loading the demo organisations and users of data/demo/demo.json
 * through the ordinary use cases (so they are validated and audited like any
 * other). Idempotent: what already exists is left alone.
 */
#ifndef CY_APP_DEMO_H
#define CY_APP_DEMO_H

#include <stdio.h>

#include "app/actor.h"
#include "app/app.h"

typedef struct {
    int orgs_added, users_added;
    char password[64]; /* the demo password, for printing the logins */
} demo_result_t;

/*
 * app_demo_load loads path. logins (may be NULL) receives one line per demo
 * user: "username  organisation (type)". op is the command line acting
 * (actor_cli), in whose name the demo data is created and audited.
 */
cy_status_t app_demo_load(app_t *app, const actor_t *op, const char *path, FILE *logins,
                          demo_result_t *out, cy_error_t *err);

#endif
