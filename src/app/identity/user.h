/*
 * user.h — users: one organisation each, a role inside it (admin, member,
 * viewer), an argon2id password. Organisation admins manage their own
 * users; the ministry and the support center manage any. Disabling a user
 * ends its sessions and revokes its API tokens in the same transaction.
 */
#ifndef CY_APP_USER_H
#define CY_APP_USER_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

typedef struct {
    int64_t id, org_id;
    char username[64], display_name[128], email[128], phone[40];
    user_role_t role;
    int disabled;
    char created_at[32];
} user_t;

typedef struct {
    int64_t org_id; /* 0: the actor's own organisation */
    const char *username, *display_name, *role, *password, *email, *phone;
} user_input_t;

typedef struct {
    const char *display_name, *role, *email, *phone; /* NULL: unchanged */
    int has_disabled, disabled;
} user_patch_t;

cy_status_t app_user_create(app_t *app, const actor_t *actor, const user_input_t *in, user_t *out,
                            cy_error_t *err);
cy_status_t app_user_update(app_t *app, const actor_t *actor, int64_t id, const user_patch_t *in,
                            user_t *out, cy_error_t *err);
/*
 * app_user_password sets a new password. For one's own password current
 * must be right; an admin resetting another user's needs none. Every other
 * session of the user ends.
 */
cy_status_t app_user_password(app_t *app, const actor_t *actor, int64_t id, const char *password,
                              const char *current, cy_error_t *err);
cy_status_t app_user_get(app_t *app, const actor_t *actor, int64_t id, user_t *out,
                         cy_error_t *err);

typedef void (*user_fn)(const user_t *u, void *arg);
/* Users of org_id (0: the actor's own organisation), by id. */
cy_status_t app_user_list(app_t *app, const actor_t *actor, int64_t org_id, user_fn fn, void *arg,
                          cy_error_t *err);

/* app_user_find: the id of username, for the command line. */
cy_status_t app_user_find(app_t *app, const char *username, int64_t *id, cy_error_t *err);

#endif
