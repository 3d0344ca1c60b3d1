/*
 * actor.h — who is asking: the caller's identity as app/ sees it, resolved
 * from a session cookie or an API token by app/auth.c (or made up by cli/
 * for the command line, which acts as the platform operator).
 */
#ifndef CY_APP_ACTOR_H
#define CY_APP_ACTOR_H

#include <stdint.h>

#include "core/authz.h"

typedef struct {
    int64_t user_id; /* 0 for the command line */
    int64_t org_id;  /* 0 for the command line */
    org_type_t org_type;
    user_role_t role;
    char username[64];
    char region[7];   /* the organisation's region code */
    char csrf[48];    /* the session's CSRF token; "" for API tokens */
    char session[65]; /* SHA-256 of the session token, hex; "" otherwise */
    char ip[64];      /* client address, for throttling and the log */
    int cli;          /* 1: the command line, with the operator's powers */
} actor_t;

/*
 * actor_cli fills an actor for the command line, named "cli:OS_USER"
 * ("cli:operator" when os_user is NULL or empty); cli/ passes the user it
 * runs as.
 */
void actor_cli(actor_t *a, const char *os_user);

#endif
