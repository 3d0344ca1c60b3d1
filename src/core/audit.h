/*
 * audit.h — the canonical form of an audit-log entry, the bytes its hash is
 * computed over. Each entry's hash is SHA-256(canonical(entry, prev_hash)),
 * so changing any field of any entry, removing one or reordering them breaks
 * the chain from there on. Pure: libc only (the hashing is done by app/).
 */
#ifndef CY_CORE_AUDIT_H
#define CY_CORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t seq;             /* 1, 2, 3, … without gaps */
    const char *at;          /* UTC ISO-8601 "2026-11-28T12:00:00Z" */
    int64_t user_id;         /* 0 when the actor is the command line */
    int64_t org_id;          /* 0 when none */
    const char *actor;       /* username, or "cli:OSUSER" */
    const char *action;      /* "org.create", "session.login", … */
    const char *object_type; /* "organisation", "user", … */
    const char *object_id;   /* the object's id as text */
    const char *summary;     /* one line a person reads */
} audit_entry_t;

/* The hash of the entry before the first: 64 zeros. */
#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * audit_canonical writes "cyberins-audit-v1\n" followed by each field as
 * "<decimal byte length>:<bytes>\n" in a fixed order (prev_hash, seq, at,
 * user_id, org_id, actor, action, object_type, object_id, summary); a NULL
 * string is written as length 0. Length prefixes make the encoding
 * unambiguous whatever the fields contain. Returns the length written, or
 * the length needed (like snprintf) when cap is too small.
 */
size_t audit_canonical(const audit_entry_t *e, const char *prev_hash, char *buf, size_t cap);

#endif
