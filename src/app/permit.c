/*
 * permit.c — what every capability answers about permission (app.h): the
 * actions a caller may take, read from the one table of core/authz.c, and
 * the two refusals every use case shares, 403 naming the action and 404
 * naming the record (a record outside the caller's sight is not found).
 */
#include <inttypes.h>

#include "app/app.h"
#include "core/authz.h"

size_t
app_permissions(const actor_t *a, const char **names, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < ACT_COUNT && n < cap; i++)
        if (authz_allowed(a->org_type, a->role, (authz_action_t)i))
            names[n++] = authz_action_name((authz_action_t)i);
    return n;
}

cy_status_t
app_forbidden(cy_error_t *err, authz_action_t act)
{
    return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                        "您的角色无权%s / your role may not %s", authz_action_label_zh(act),
                        authz_action_label_en(act));
}

cy_status_t
app_not_found(cy_error_t *err, const char *what_zh, const char *what_en, int64_t id)
{
    return cy_error_set(err, CY_ENOTFOUND, "not_found", "id",
                        "%s %" PRId64 " 不存在 / %s %" PRId64 " not found", what_zh, id, what_en,
                        id);
}
