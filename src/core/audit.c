/*
 * audit.c — the canonical bytes of an audit entry. Pure: libc only.
 */
#include "core/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t cap, len;
} out_t;

static void
put(out_t *o, const char *s, size_t n)
{
    if (o->len < o->cap) {
        size_t k = o->cap - o->len < n ? o->cap - o->len : n;
        memcpy(o->buf + o->len, s, k);
    }
    o->len += n;
}

static void
field(out_t *o, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char head[24];
    int h = snprintf(head, sizeof head, "%zu:", n);
    put(o, head, (size_t)h);
    put(o, s ? s : "", n);
    put(o, "\n", 1);
}

static void
field_int(out_t *o, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, v);
    field(o, num);
}

size_t
audit_canonical(const audit_entry_t *e, const char *prev_hash, char *buf, size_t cap)
{
    out_t o = {buf, cap, 0};
    static const char magic[] = "cyberins-audit-v1\n";
    put(&o, magic, sizeof magic - 1);
    field(&o, prev_hash);
    field_int(&o, e->seq);
    field(&o, e->at);
    field_int(&o, e->user_id);
    field_int(&o, e->org_id);
    field(&o, e->actor);
    field(&o, e->action);
    field(&o, e->object_type);
    field(&o, e->object_id);
    field(&o, e->summary);
    return o.len;
}
