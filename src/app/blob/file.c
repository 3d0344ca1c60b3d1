/*
 * file.c — an organisation's own files (/api/v1/files): blobs held for
 * purpose "file", seen by their organisation only (the command line sees
 * all). Each use case: permission, then visibility (404 outside), then the
 * store. Depends on core/, store/ and app/blob; never on http/ or cli/.
 */
#include "app/blob/blob.h"
#include "app/blob/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "data/platform.h"

#define FILE_PURPOSE "file"

static int
may(const actor_t *a, authz_action_t act)
{
    return a->cli || authz_allowed(a->org_type, a->role, act);
}

/* The file id as the actor may see it: 404 when absent, another purpose or another org's. */
static cy_status_t
load_visible(store_conn_t *c, const actor_t *a, int64_t id, blob_t *out, cy_error_t *err)
{
    int found = 0;
    cy_status_t st = blob_get(c, id, out, &found, err);
    if (st != CY_OK)
        return st;
    if (!found || strcmp(out->purpose, FILE_PURPOSE) != 0 || (!a->cli && out->org_id != a->org_id))
        return app_not_found(err, "文件", "file", id);
    return CY_OK;
}

cy_status_t
blob_file_upload(app_t *app, const actor_t *actor, int64_t now, const blob_upload_t *up,
                 blob_t *out, cy_error_t *err)
{
    if (!may(actor, ACT_FILE_UPLOAD) || actor->org_id <= 0)
        return app_forbidden(err, ACT_FILE_UPLOAD);
    const platform_data_t *pd = app->platform;
    const char *types[PLATFORM_MAX_MEDIA + 1];
    for (size_t i = 0; i < pd->n_media_types; i++)
        types[i] = pd->media_types[i];
    types[pd->n_media_types] = NULL;
    blob_rules_t rules = {.purpose = FILE_PURPOSE, .media_types = types};
    cy_status_t st = blob_check(up, &rules, err);
    if (st != CY_OK)
        return st; /* refused before a transaction is opened */
    store_conn_t *c;
    st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = blob_put(c, actor, now, up, &rules, out, err);
    char id[24] = "";
    if (st == CY_OK)
        snprintf(id, sizeof id, "%" PRId64, out->id);
    if (st == CY_OK)
        st = app_audit_append(c, actor, now, "file.upload", "file", id, err,
                              "上传文件“%s”（%" PRId64 " 字节，SHA-256 %s） / uploaded the file "
                              "\"%s\" (%" PRId64 " bytes, SHA-256 %s)",
                              out->filename, out->size, out->sha256, out->filename, out->size,
                              out->sha256);
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
blob_file_get(app_t *app, const actor_t *actor, int64_t id, blob_t *out, cy_error_t *err)
{
    if (!may(actor, ACT_FILE_READ))
        return app_forbidden(err, ACT_FILE_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = load_visible(c, actor, id, out, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
blob_file_list(app_t *app, const actor_t *actor, const app_page_t *page, blob_fn fn, void *arg,
               int64_t *next, cy_error_t *err)
{
    *next = 0;
    if (!may(actor, ACT_FILE_READ))
        return app_forbidden(err, ACT_FILE_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = blob_list_page(c, actor->org_id, FILE_PURPOSE, page, fn, arg, next, err);
    store_release(app->store, c);
    return st;
}

cy_status_t
blob_file_open(app_t *app, const actor_t *actor, int64_t id, blob_reader_t **out, cy_error_t *err)
{
    *out = NULL;
    blob_t b;
    cy_status_t st = blob_file_get(app, actor, id, &b, err);
    return st == CY_OK ? blob_open(app, id, out, err) : st;
}

cy_status_t
blob_file_verify(app_t *app, const actor_t *actor, int64_t id, blob_verify_t *out, cy_error_t *err)
{
    blob_t b;
    cy_status_t st = blob_file_get(app, actor, id, &b, err);
    return st == CY_OK ? blob_verify(app, id, out, err) : st;
}
