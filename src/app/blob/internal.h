/*
 * internal.h — what the files of app/blob/ share and nobody else sees.
 */
#ifndef CY_APP_BLOB_INTERNAL_H
#define CY_APP_BLOB_INTERNAL_H

#include "app/blob/blob.h"

/*
 * blob_list_page: the blobs of org_id held for purpose, newest first: ids
 * below page->cursor (0: from the newest), at most page->limit; *next is the
 * cursor of the next page (the last id passed to fn) or 0 after the last.
 */
cy_status_t blob_list_page(store_conn_t *c, int64_t org_id, const char *purpose,
                           const app_page_t *page, blob_fn fn, void *arg, int64_t *next,
                           cy_error_t *err);

#endif
