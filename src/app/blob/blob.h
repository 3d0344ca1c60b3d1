/*
 * blob.h — files kept in the store (one implementation for every capability:
 * claims evidence, pilot attachments and seal scans, an organisation's own
 * files), so that any server of a cluster serves any of them.
 *
 * A blob is written once, from an upload the HTTP server streamed to an
 * unlinked temporary file while hashing it (never held in memory), in
 * chunks of BLOB_CHUNK_SIZE bytes inside the caller's transaction: the
 * record that holds the blob (an evidence item, an attachment) and the blob
 * commit together or not at all. It is read back as a stream, one chunk in
 * memory at a time, and verified by hashing its chunks again.
 *
 * Two parts:
 *   - the storage API for capabilities (blob_check, blob_put, blob_get,
 *     blob_open/blob_read/blob_close, blob_verify): no permission or
 *     visibility check of its own — the capability that holds a blob decides
 *     who may see it, then calls these;
 *   - the use cases of an organisation's files (/api/v1/files):
 *     blob_file_upload, _list, _get, _open, _verify.
 *
 * Depends on core/, store/ and libsodium; never on http/ or cli/.
 */
#ifndef CY_APP_BLOB_H
#define CY_APP_BLOB_H

#include <stdint.h>
#include <sys/types.h>

#include "app/actor.h"
#include "app/app.h"

#define BLOB_CHUNK_SIZE (1 << 20) /* bytes per stored chunk (the last may be shorter) */

/*
 * What the server received: the body of an upload route, in a file the
 * caller owns (and closes), with what the client said about it.
 */
typedef struct blob_upload {
    int fd;                      /* readable from offset 0 for size bytes */
    uint64_t size;               /* bytes received */
    char sha256[65];             /* of those bytes, hex, computed while receiving */
    const char *declared_sha256; /* the client's X-Content-SHA256 header, or NULL */
    const char *media_type;      /* the client's Content-Type header, or NULL */
    const char *filename;        /* the name the client gives the file, or NULL */
} blob_upload_t;

/* What a capability accepts. */
typedef struct {
    const char *purpose; /* what holds the blob: "file", "evidence", … (≤ 31 bytes) */
    const char *const *media_types; /* allowed media types, lower case, ended by NULL */
    uint64_t max_size;              /* bytes; 0: only the server's --max-upload */
} blob_rules_t;

/* A stored blob's metadata. */
typedef struct {
    int64_t id, org_id;
    int64_t user_id; /* 0 when stored by the command line */
    char purpose[32];
    char sha256[65];
    int64_t size;
    int64_t chunk_size;
    char media_type[128];
    char filename[256];
    char created_at[32];
} blob_t;

/*
 * blob_check refuses an upload that breaks rules, naming the field: an
 * absent or unlisted media type (Content-Type: the refusal names the type
 * and the allowed ones), a missing or unsafe file name (filename: 1–255
 * bytes of UTF-8, no control characters, no / or \), an empty body, one over
 * rules->max_size (CY_ETOOLARGE), a declared SHA-256 that is not 64 hex
 * digits or differs from the content's (X-Content-SHA256). Reads nothing.
 */
cy_status_t blob_check(const blob_upload_t *up, const blob_rules_t *rules, cy_error_t *err);

/*
 * blob_put checks the upload (blob_check) and stores it inside the caller's
 * open transaction c, owned by actor's organisation and user, created at
 * now; *out receives the stored metadata. The content is read from up->fd
 * and hashed again as it is stored: a difference from up->sha256 is CY_EIO
 * (the file changed underneath), and the caller's transaction rolls back.
 */
cy_status_t blob_put(store_conn_t *c, const actor_t *actor, int64_t now, const blob_upload_t *up,
                     const blob_rules_t *rules, blob_t *out, cy_error_t *err);

/*
 * blob_hash_fd computes the SHA-256 (hex) and size of what fd holds from
 * offset 0, for a caller that has a file but no upload (the command line).
 */
cy_status_t blob_hash_fd(int fd, char sha256[65], uint64_t *size, cy_error_t *err);

/* blob_get reads blob id's metadata inside c; *found says whether it exists. */
cy_status_t blob_get(store_conn_t *c, int64_t id, blob_t *out, int *found, cy_error_t *err);

/*
 * Reading a blob's content as a stream. blob_open answers a reader of blob
 * id (CY_ENOTFOUND when there is none); blob_read copies up to max bytes
 * from offset pos into buf and answers how many (0 at the end, -1 with err
 * on failure, e.g. a damaged chunk). Only the chunk being read is in memory;
 * each chunk is fetched on a connection taken from the pool and given back
 * before blob_read returns, so a reader may live across HTTP callbacks.
 * blob_close frees the reader (NULL is fine).
 */
typedef struct blob_reader blob_reader_t;
cy_status_t blob_open(app_t *app, int64_t id, blob_reader_t **out, cy_error_t *err);
const blob_t *blob_reader_meta(const blob_reader_t *r);
ssize_t blob_read(blob_reader_t *r, uint64_t pos, void *buf, size_t max, cy_error_t *err);
void blob_close(blob_reader_t *r);

/* What blob_verify found. */
typedef struct {
    int ok;                /* the chunks hash to the stored SHA-256 and add up to the size */
    char stored[65];       /* the SHA-256 recorded when the blob was written */
    char computed[65];     /* the SHA-256 of the chunks as they are now */
    int64_t size;          /* the recorded size */
    int64_t computed_size; /* the bytes the chunks hold now */
    char reason[256];      /* "" when ok, else why, in Chinese and English */
} blob_verify_t;

/*
 * blob_verify recomputes blob id's SHA-256 from its stored chunks (one in
 * memory at a time) and compares it and the size with what was recorded
 * (tamper evidence for `cyberins evidence verify`). A mismatch is CY_OK with
 * out->ok 0 and the reason; CY_ENOTFOUND when there is no such blob.
 */
cy_status_t blob_verify(app_t *app, int64_t id, blob_verify_t *out, cy_error_t *err);

/* ---- an organisation's files: /api/v1/files --------------------------------- */

/*
 * blob_file_upload stores an upload as a file of the actor's organisation
 * (ACT_FILE_UPLOAD; media types of data/platform.json file_media_types),
 * with its audit entry, at now.
 */
cy_status_t blob_file_upload(app_t *app, const actor_t *actor, int64_t now, const blob_upload_t *up,
                             blob_t *out, cy_error_t *err);

/* blob_file_get: one file of the actor's organisation (ACT_FILE_READ); 404 otherwise. */
cy_status_t blob_file_get(app_t *app, const actor_t *actor, int64_t id, blob_t *out,
                          cy_error_t *err);

/* blob_file_list: the organisation's files, newest first, one page; *next as app_page_t says. */
typedef void (*blob_fn)(const blob_t *b, void *arg);
cy_status_t blob_file_list(app_t *app, const actor_t *actor, const app_page_t *page, blob_fn fn,
                           void *arg, int64_t *next, cy_error_t *err);

/* blob_file_open: a reader of one of the organisation's files (blob_open after blob_file_get). */
cy_status_t blob_file_open(app_t *app, const actor_t *actor, int64_t id, blob_reader_t **out,
                           cy_error_t *err);

/* blob_file_verify: blob_verify of one of the organisation's files. */
cy_status_t blob_file_verify(app_t *app, const actor_t *actor, int64_t id, blob_verify_t *out,
                             cy_error_t *err);

#endif
