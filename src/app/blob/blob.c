/*
 * blob.c — the storage of blobs (app/blob/blob.h): checking an upload,
 * writing it in chunks inside the caller's transaction, reading it back as a
 * stream, verifying it. The tables blob and blob_chunk are read and written
 * here only. Depends on core/, store/ and libsodium; never on http/ or cli/.
 */
#include "app/blob/blob.h"
#include "app/blob/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bjtime.h"
#include "core/utf8.h"

#define BLOB_COLS                                                                                  \
    "id, org_id, user_id, purpose, sha256, size, chunk_size, media_type, filename, created_at"

/* ---- checking an upload ---------------------------------------------------- */

/* The media type of a Content-Type value: type/subtype, lower case, without parameters. */
static void
media_type_of(const char *content_type, char *out, size_t cap)
{
    size_t n = 0;
    const char *p = content_type;
    while (*p == ' ' || *p == '\t')
        p++;
    for (; *p && *p != ';' && *p != ' ' && *p != '\t' && n + 1 < cap; p++)
        out[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    out[n] = '\0';
}

static cy_status_t
check_media_type(const blob_upload_t *up, const blob_rules_t *rules, cy_error_t *err)
{
    if (up->media_type == NULL || up->media_type[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "media_type_missing", "Content-Type",
                            "缺少文件的媒体类型（Content-Type） / the file's media type "
                            "(Content-Type) is missing");
    char mt[128];
    media_type_of(up->media_type, mt, sizeof mt);
    char allowed[400] = "";
    size_t used = 0;
    for (const char *const *m = rules->media_types; m != NULL && *m != NULL; m++) {
        if (strcmp(*m, mt) == 0)
            return CY_OK;
        int k = snprintf(allowed + used, sizeof allowed - used, "%s%s", used ? ", " : "", *m);
        if (k > 0 && (size_t)k < sizeof allowed - used)
            used += (size_t)k;
    }
    return cy_error_set(err, CY_EINVAL, "media_type_refused", "Content-Type",
                        "不接受媒体类型 %s / media type %s is not accepted here; accepted: %s",
                        mt[0] ? mt : "?", mt[0] ? mt : "?", allowed);
}

static cy_status_t
check_filename(const char *name, cy_error_t *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return cy_error_set(err, CY_EINVAL, "filename_missing", "filename",
                            "请给出文件名 / the file name is required");
    if (n > 255)
        return cy_error_set(err, CY_EINVAL, "filename_too_long", "filename",
                            "文件名超过 255 字节 / the file name is longer than 255 bytes");
    if (!utf8_valid(name, n, NULL))
        return cy_error_set(err, CY_EINVAL, "filename_invalid", "filename",
                            "文件名不是有效的 UTF-8 / the file name is not valid UTF-8");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return cy_error_set(err, CY_EINVAL, "filename_invalid", "filename",
                                "文件名不能含控制字符、/ 或 \\ / the file name must not contain "
                                "control characters, / or \\");
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return cy_error_set(err, CY_EINVAL, "filename_invalid", "filename",
                            "文件名不能是 . 或 .. / the file name must not be . or ..");
    return CY_OK;
}

static cy_status_t
check_declared(const blob_upload_t *up, cy_error_t *err)
{
    const char *d = up->declared_sha256;
    if (d == NULL)
        return CY_OK;
    if (strlen(d) != 64 || strspn(d, "0123456789abcdefABCDEF") != 64)
        return cy_error_set(err, CY_EINVAL, "sha256_malformed", "X-Content-SHA256",
                            "X-Content-SHA256 应为 64 位十六进制数 / X-Content-SHA256 must be 64 "
                            "hexadecimal digits");
    if (strcasecmp(d, up->sha256) != 0)
        return cy_error_set(err, CY_EINVAL, "sha256_mismatch", "X-Content-SHA256",
                            "收到内容的 SHA-256 为 %s，与 X-Content-SHA256 声明的不符 / the "
                            "content received hashes to %s, not to the X-Content-SHA256 declared",
                            up->sha256, up->sha256);
    return CY_OK;
}

cy_status_t
blob_check(const blob_upload_t *up, const blob_rules_t *rules, cy_error_t *err)
{
    cy_status_t st = check_media_type(up, rules, err);
    if (st == CY_OK)
        st = check_filename(up->filename, err);
    if (st == CY_OK && up->size == 0)
        st = cy_error_set(err, CY_EINVAL, "file_empty", "body", "文件为空 / the file is empty");
    if (st == CY_OK && rules->max_size > 0 && up->size > rules->max_size)
        st = cy_error_set(err, CY_ETOOLARGE, "file_too_large", "body",
                          "文件超过 %" PRIu64 " 字节上限 / the file exceeds the limit of %" PRIu64
                          " bytes",
                          rules->max_size, rules->max_size);
    if (st == CY_OK)
        st = check_declared(up, err);
    return st;
}

/* ---- writing ---------------------------------------------------------------- */

/* Read exactly n bytes at off from fd. */
static cy_status_t
read_at(int fd, void *buf, size_t n, uint64_t off, cy_error_t *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return cy_error_set(err, CY_EIO, "upload_read", NULL,
                                "无法读取上传的文件 / cannot read the uploaded file: %s",
                                k < 0 ? strerror(errno) : "short file");
        got += (size_t)k;
    }
    return CY_OK;
}

static void
hex_of(crypto_hash_sha256_state *h, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

cy_status_t
blob_hash_fd(int fd, char sha256[65], uint64_t *size, cy_error_t *err)
{
    unsigned char *buf = malloc(BLOB_CHUNK_SIZE);
    if (buf == NULL)
        return cy_error_no_memory(err);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    uint64_t total = 0;
    cy_status_t st = CY_OK;
    for (;;) {
        ssize_t k = pread(fd, buf, BLOB_CHUNK_SIZE, (off_t)total);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            st = cy_error_set(err, CY_EIO, "file_read", NULL,
                              "无法读取文件 / cannot read the file: %s", strerror(errno));
            break;
        }
        if (k == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)k);
        total += (uint64_t)k;
    }
    free(buf);
    hex_of(&h, sha256);
    *size = total;
    return st;
}

static cy_status_t
insert_blob(store_conn_t *c, const actor_t *actor, int64_t now, const blob_upload_t *up,
            const blob_rules_t *rules, blob_t *b, cy_error_t *err)
{
    memset(b, 0, sizeof *b);
    b->org_id = actor->org_id;
    b->user_id = actor->user_id;
    snprintf(b->purpose, sizeof b->purpose, "%s", rules->purpose);
    snprintf(b->sha256, sizeof b->sha256, "%s", up->sha256);
    b->size = (int64_t)up->size;
    b->chunk_size = BLOB_CHUNK_SIZE;
    media_type_of(up->media_type, b->media_type, sizeof b->media_type);
    snprintf(b->filename, sizeof b->filename, "%s", up->filename);
    utc_format_iso(now, b->created_at);
    store_param_t p[] = {
        STORE_P_INT(b->org_id),      b->user_id > 0 ? STORE_P_INT(b->user_id) : STORE_P_NULL,
        STORE_P_TEXT(b->purpose),    STORE_P_TEXT(b->sha256),
        STORE_P_INT(b->size),        STORE_P_INT(b->chunk_size),
        STORE_P_TEXT(b->media_type), STORE_P_TEXT(b->filename),
        STORE_P_TEXT(b->created_at)};
    return store_query_int(c,
                           "INSERT INTO blob (org_id, user_id, purpose, sha256, size, chunk_size, "
                           "media_type, filename, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                           "$8, $9) RETURNING id",
                           p, 9, &b->id, NULL, err);
}

/* Copy the file into chunks of blob b, hashing what is stored. */
static cy_status_t
insert_chunks(store_conn_t *c, const blob_upload_t *up, const blob_t *b, char sha256[65],
              cy_error_t *err)
{
    unsigned char *buf = malloc(BLOB_CHUNK_SIZE);
    if (buf == NULL)
        return cy_error_no_memory(err);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    cy_status_t st = CY_OK;
    uint64_t off = 0;
    for (int64_t seq = 0; st == CY_OK && off < up->size; seq++) {
        size_t n = up->size - off < BLOB_CHUNK_SIZE ? (size_t)(up->size - off) : BLOB_CHUNK_SIZE;
        st = read_at(up->fd, buf, n, off, err);
        if (st != CY_OK)
            break;
        crypto_hash_sha256_update(&h, buf, n);
        store_param_t p[] = {STORE_P_INT(b->id), STORE_P_INT(seq), STORE_P_BLOB(buf, n)};
        st = store_exec(c, "INSERT INTO blob_chunk (blob_id, seq, data) VALUES ($1, $2, $3)", p, 3,
                        NULL, err);
        off += n;
    }
    free(buf);
    hex_of(&h, sha256);
    return st;
}

cy_status_t
blob_put(store_conn_t *c, const actor_t *actor, int64_t now, const blob_upload_t *up,
         const blob_rules_t *rules, blob_t *out, cy_error_t *err)
{
    cy_status_t st = blob_check(up, rules, err);
    if (st == CY_OK)
        st = insert_blob(c, actor, now, up, rules, out, err);
    char stored[65];
    if (st == CY_OK)
        st = insert_chunks(c, up, out, stored, err);
    if (st == CY_OK && strcmp(stored, up->sha256) != 0)
        st = cy_error_set(err, CY_EIO, "upload_changed", NULL,
                          "上传的文件在保存时发生变化 / the uploaded file changed while it was "
                          "stored (%s, received as %s)",
                          stored, up->sha256);
    return st;
}

/* ---- reading ---------------------------------------------------------------- */

static void
blob_from_row(store_rows_t *r, blob_t *b)
{
    memset(b, 0, sizeof *b);
    b->id = store_row_int(r, "id");
    b->org_id = store_row_int(r, "org_id");
    b->user_id = store_row_int(r, "user_id");
    store_row_copy(r, "purpose", b->purpose, sizeof b->purpose);
    store_row_copy(r, "sha256", b->sha256, sizeof b->sha256);
    b->size = store_row_int(r, "size");
    b->chunk_size = store_row_int(r, "chunk_size");
    store_row_copy(r, "media_type", b->media_type, sizeof b->media_type);
    store_row_copy(r, "filename", b->filename, sizeof b->filename);
    store_row_copy(r, "created_at", b->created_at, sizeof b->created_at);
}

cy_status_t
blob_get(store_conn_t *c, int64_t id, blob_t *out, int *found, cy_error_t *err)
{
    *found = 0;
    store_param_t p[] = {STORE_P_INT(id)};
    store_rows_t *r;
    cy_status_t st = store_query(c, "SELECT " BLOB_COLS " FROM blob WHERE id = $1", p, 1, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    if (k == 1)
        blob_from_row(r, out);
    store_rows_free(r);
    if (k < 0)
        return err->status;
    *found = k;
    return CY_OK;
}

cy_status_t
blob_list_page(store_conn_t *c, int64_t org_id, const char *purpose, const app_page_t *page,
               blob_fn fn, void *arg, int64_t *next, cy_error_t *err)
{
    *next = 0;
    store_param_t p[] = {STORE_P_INT(org_id), STORE_P_TEXT(purpose), STORE_P_INT(page->cursor),
                         STORE_P_INT(page->limit + 1)};
    store_rows_t *r;
    cy_status_t st = store_query(c,
                                 "SELECT " BLOB_COLS " FROM blob WHERE org_id = $1 AND purpose = "
                                 "$2 AND ($3 = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
                                 p, 4, &r, err);
    if (st != CY_OK)
        return st;
    int k, n = 0;
    blob_t b;
    while ((k = store_rows_next(r, err)) == 1) {
        if (n++ == page->limit) { /* a row beyond the page: there is a next one */
            *next = b.id;
            break;
        }
        blob_from_row(r, &b);
        fn(&b, arg);
    }
    store_rows_free(r);
    return k < 0 ? err->status : CY_OK;
}

struct blob_reader {
    app_t *app;
    blob_t meta;
    unsigned char *chunk; /* the chunk last fetched */
    int64_t seq;          /* its number, -1 when none */
    size_t len;           /* its length */
};

cy_status_t
blob_open(app_t *app, int64_t id, blob_reader_t **out, cy_error_t *err)
{
    *out = NULL;
    blob_reader_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    r->app = app;
    r->seq = -1;
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    int found = 0;
    if (st == CY_OK) {
        st = blob_get(c, id, &r->meta, &found, err);
        store_release(app->store, c);
    }
    if (st == CY_OK && !found)
        st = app_not_found(err, "文件", "file", id);
    if (st != CY_OK) {
        free(r);
        return st;
    }
    *out = r;
    return CY_OK;
}

const blob_t *
blob_reader_meta(const blob_reader_t *r)
{
    return &r->meta;
}

/* Fetch chunk seq of blob b into *buf (malloc'd on first use); its length must be want. */
static cy_status_t
fetch_chunk(store_conn_t *c, const blob_t *b, int64_t seq, size_t want, unsigned char **buf,
            cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(b->id), STORE_P_INT(seq)};
    store_rows_t *r;
    cy_status_t st = store_query(c, "SELECT data FROM blob_chunk WHERE blob_id = $1 AND seq = $2",
                                 p, 2, &r, err);
    if (st != CY_OK)
        return st;
    int k = store_rows_next(r, err);
    size_t len = 0;
    const void *data = k == 1 ? store_row_blob(r, "data", &len) : NULL;
    if (k == 1 && data != NULL && len == want) {
        if (*buf == NULL && (*buf = malloc(b->chunk_size)) == NULL)
            st = cy_error_no_memory(err);
        else
            memcpy(*buf, data, len);
    } else if (k >= 0) {
        st = cy_error_set(err, CY_EIO, "blob_damaged", NULL,
                          "文件 %" PRId64 " 的第 %" PRId64 " 块缺失或长度不符 / chunk %" PRId64
                          " of file %" PRId64 " is missing or has the wrong length",
                          b->id, seq, seq, b->id);
    } else {
        st = err->status;
    }
    store_rows_free(r);
    return st;
}

/* The length chunk seq of b must have. */
static size_t
chunk_len(const blob_t *b, int64_t seq)
{
    int64_t rest = b->size - seq * b->chunk_size;
    return (size_t)(rest < b->chunk_size ? rest : b->chunk_size);
}

ssize_t
blob_read(blob_reader_t *r, uint64_t pos, void *buf, size_t max, cy_error_t *err)
{
    if (pos >= (uint64_t)r->meta.size || max == 0)
        return 0;
    int64_t seq = (int64_t)(pos / (uint64_t)r->meta.chunk_size);
    if (seq != r->seq) {
        store_conn_t *c;
        cy_status_t st = store_acquire(r->app->store, &c, err);
        if (st == CY_OK) {
            r->seq = -1;
            st = fetch_chunk(c, &r->meta, seq, chunk_len(&r->meta, seq), &r->chunk, err);
            store_release(r->app->store, c);
        }
        if (st != CY_OK)
            return -1;
        r->seq = seq;
        r->len = chunk_len(&r->meta, seq);
    }
    size_t off = (size_t)(pos - (uint64_t)seq * (uint64_t)r->meta.chunk_size);
    size_t n = r->len - off < max ? r->len - off : max;
    memcpy(buf, r->chunk + off, n);
    return (ssize_t)n;
}

void
blob_close(blob_reader_t *r)
{
    if (r == NULL)
        return;
    free(r->chunk);
    free(r);
}

/* ---- verifying -------------------------------------------------------------- */

/*
 * Hash blob id's chunks 0, 1, 2, … as they are now, in order, until one is
 * missing: *in_sequence of them, *bytes in all; *chunks is how many the blob
 * has (more than *in_sequence when one is missing or misnumbered).
 */
static cy_status_t
hash_chunks(store_conn_t *c, int64_t id, char out[65], int64_t *bytes, int64_t *in_sequence,
            int64_t *chunks, cy_error_t *err)
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    *bytes = *in_sequence = *chunks = 0;
    store_param_t p[] = {STORE_P_INT(id), STORE_P_INT(0)};
    cy_status_t st = CY_OK;
    for (int k = 1; st == CY_OK && k == 1;) {
        p[1] = STORE_P_INT(*in_sequence);
        store_rows_t *r;
        st = store_query(c, "SELECT data FROM blob_chunk WHERE blob_id = $1 AND seq = $2", p, 2, &r,
                         err);
        if (st != CY_OK)
            break;
        k = store_rows_next(r, err);
        size_t len = 0;
        const void *data = k == 1 ? store_row_blob(r, "data", &len) : NULL;
        if (data != NULL) {
            crypto_hash_sha256_update(&h, data, len);
            *bytes += (int64_t)len;
            (*in_sequence)++;
        }
        store_rows_free(r);
        if (k < 0)
            st = err->status;
    }
    hex_of(&h, out);
    if (st == CY_OK)
        st = store_query_int(c, "SELECT COUNT(*) FROM blob_chunk WHERE blob_id = $1", p, 1, chunks,
                             NULL, err);
    return st;
}

cy_status_t
blob_verify(app_t *app, int64_t id, blob_verify_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    blob_t b;
    int found = 0;
    int64_t chunks = 0, in_sequence = 0;
    st = blob_get(c, id, &b, &found, err);
    if (st == CY_OK && !found)
        st = app_not_found(err, "文件", "file", id);
    if (st == CY_OK)
        st = hash_chunks(c, id, out->computed, &out->computed_size, &in_sequence, &chunks, err);
    store_release(app->store, c);
    if (st != CY_OK)
        return st;
    snprintf(out->stored, sizeof out->stored, "%s", b.sha256);
    out->size = b.size;
    if (chunks != in_sequence)
        snprintf(out->reason, sizeof out->reason,
                 "分块编号不连续（%" PRId64 " 块，连续 %" PRId64 " 块） / the chunks are not "
                 "numbered 0..n-1 (%" PRId64 " chunks, %" PRId64 " in sequence)",
                 chunks, in_sequence, chunks, in_sequence);
    else if (out->computed_size != out->size)
        snprintf(out->reason, sizeof out->reason,
                 "内容为 %" PRId64 " 字节，记录为 %" PRId64 " 字节 / the content is %" PRId64
                 " bytes, recorded as %" PRId64,
                 out->computed_size, out->size, out->computed_size, out->size);
    else if (strcmp(out->computed, out->stored) != 0)
        snprintf(out->reason, sizeof out->reason,
                 "内容的 SHA-256 与记录不符 / the content's SHA-256 differs from the one recorded");
    out->ok = out->reason[0] == '\0';
    return CY_OK;
}
