/*
 * read.c — one record of the pilot by id, as the caller sees it (404
 * outside its sight): a read on a connection of the pool, no transaction.
 * Each record's view is its own file's; this is where a request for one
 * comes in. Depends on core/, store/ and jansson; never http/ or cli/.
 */
#include "app/pilot/internal.h"

cy_status_t
app_pilot_read(app_t *app, const actor_t *a, pilot_record_t what, int64_t id, json_t **out,
               cy_error_t *err)
{
    *out = NULL;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    pilot_doc_t d = {0};
    switch (what) {
    case PILOT_SCHEME:
    case PILOT_PLAN:
        st = pilot_doc_load(app, c, a, what == PILOT_SCHEME ? &pilot_scheme_kind : &pilot_plan_kind,
                            id, &d, err);
        if (st == CY_OK)
            st = pilot_doc_json(app, c, a, &d, out, err);
        pilot_doc_free(&d);
        break;
    case PILOT_REVIEW:
        st = pilot_review_json(app, c, a, id, out, err);
        break;
    case PILOT_PACKAGE:
        st = pilot_package_json(app, c, a, id, out, err);
        break;
    case PILOT_PILOT:
        st = pilot_timeline_json(c, a, id, out, err);
        break;
    case PILOT_REPORT:
        st = pilot_report_json(c, a, id, out, err);
        break;
    case PILOT_SUMMARY:
        st = pilot_summary_json(c, a, id, out, err);
        break;
    }
    store_release(app->store, c);
    return st;
}
