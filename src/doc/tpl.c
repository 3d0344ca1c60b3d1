/*
 * tpl.c — what the loader (lib.c) and the files that interpret templates
 * (form.c, xlsx.c) share, below all three: a loaded template found by its
 * name, and the one way a template is refused. Depends on jansson and
 * core/error only.
 */
#include <string.h>

#include "doc/lib.h"

cy_status_t
doc_tpl_fail(cy_error_t *err, const char *file, const char *path, const char *why)
{
    return cy_error_set(err, CY_EINVAL, "doc_template", path, "%s %s：%s", file,
                        path[0] ? path : "/", why);
}

const json_t *
doc_named_find(const doc_named_t *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return v[i].tpl;
    return NULL;
}
