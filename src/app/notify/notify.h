/*
 * notify.h — in-app notifications. Any capability raises one INSIDE its own
 * transaction with notify_raise (the notification exists exactly when the
 * change it tells of does); its recipient is an organisation, optionally
 * narrowed to one of its users or to one role. Each user of the recipients
 * reads it and marks it read on its own. Raising one also queues its
 * deliveries to the organisation's webhooks subscribed to its kind
 * (app/webhook/webhook.h), in the same transaction.
 *
 * Depends on core/, store/, data/ and app/webhook; never on http/ or cli/.
 */
#ifndef CY_APP_NOTIFY_H
#define CY_APP_NOTIFY_H

#include <stdint.h>

#include "app/actor.h"
#include "app/app.h"

/* What a capability raises. Strings are copied. */
typedef struct {
    int64_t org_id;          /* the recipient organisation */
    int64_t user_id;         /* > 0: only this user of it (0: not narrowed) */
    const char *role;        /* "admin", "member" or "viewer": only users of this role; NULL */
    const char *kind;        /* a code of data/platform.json notification_kinds */
    const char *object_type; /* what it is about: "claim", "policy", … (1–31 bytes) */
    const char *object_id;   /* (1–63 bytes) */
    const char *text_zh;     /* what happened, in Chinese (1–1000 bytes) */
    const char *text_en;     /* and in English (1–1000 bytes) */
    const char *link;        /* a path of the web UI ("/policy.html?id=5"), or NULL */
} notify_in_t;

/* A notification as its reader sees it. */
typedef struct {
    int64_t id, org_id;
    int64_t user_id; /* 0: every user of the organisation (or of the role) */
    char role[8];    /* "" when not narrowed to a role */
    char kind[48];
    char object_type[32], object_id[64];
    char text_zh[1024], text_en[1024];
    char link[256];      /* "" when none */
    char created_at[32]; /* UTC ISO-8601 */
    char read_at[32];    /* when this reader marked it read, "" when unread */
} notification_t;

/*
 * notify_raise stores a notification, created at now, inside the caller's
 * open transaction c, and queues its webhook deliveries there too; *id (may
 * be NULL) receives its id. Refuses (CY_EINVAL naming the field) an unknown
 * kind, a user of another organisation, a user and a role together, empty
 * or overlong texts, a link that is not a path. A refusal is the calling
 * capability's bug, not its user's: tests catch it.
 */
cy_status_t notify_raise(app_t *app, store_conn_t *c, int64_t now, const notify_in_t *in,
                         int64_t *id, cy_error_t *err);

/* A page of the caller's notifications. */
typedef struct {
    int unread;       /* 1: only those the caller has not read */
    const char *kind; /* only this kind, or NULL */
    app_page_t page;  /* newest first: ids below page.cursor (0: from the newest) */
} notify_filter_t;

typedef void (*notify_fn)(const notification_t *n, void *arg);

/*
 * notify_list passes the caller's notifications (ACT_NOTIFICATION_READ: its
 * organisation's, for everyone there, its role or itself) to fn, newest
 * first; *next is the cursor of the next page or 0.
 */
cy_status_t notify_list(app_t *app, const actor_t *actor, const notify_filter_t *f, notify_fn fn,
                        void *arg, int64_t *next, cy_error_t *err);

/* notify_read marks one as read by the caller at now (once: a second read keeps the first time). */
cy_status_t notify_read(app_t *app, const actor_t *actor, int64_t now, int64_t id,
                        notification_t *out, cy_error_t *err);

/* notify_read_all marks all the caller's unread ones read at now; *count says how many. */
cy_status_t notify_read_all(app_t *app, const actor_t *actor, int64_t now, int64_t *count,
                            cy_error_t *err);

#endif
