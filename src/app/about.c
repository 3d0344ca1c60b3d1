/*
 * about.c — what the application says about itself to every capability:
 * its version and its reference data (app.h). Kept out of app.c, which
 * opens the capabilities, so that a capability asking these does not call
 * back into the file that opened it.
 */
#include "app/app.h"

const char *
app_version(void)
{
    return CY_VERSION;
}

const ref_data_t *
app_ref(const app_t *app)
{
    return app->ref;
}
