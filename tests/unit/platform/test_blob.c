/*
 * test_blob.c — files kept in the store (app/blob/blob.h): content written in
 * chunks inside the caller's transaction and read back byte for byte at any
 * offset, hashes checked against OpenSSL's (an independent SHA-256), every
 * refusal of an upload naming its field, a refused or failed write leaving
 * no row and no chunk, verification catching changed, missing and extra
 * chunks, and an organisation's files seen by that organisation only. On
 * SQLite, and on PostgreSQL (bytea) under tests/unit/with-pg.sh.
 */
#include "fixture.h"

#include <fcntl.h>
#include <openssl/evp.h>

#include "app/audit.h"
#include "app/blob/blob.h"

CY_GROUP_RUN("blob", run_both);

/* n pseudo-random bytes (xorshift32 from seed): every byte value, no pattern. */
static unsigned char *
noise(size_t n, uint32_t seed)
{
    unsigned char *b = malloc(n);
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (unsigned char)(x >> 7);
    }
    return b;
}

static void
openssl_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char d[32];
    unsigned int len = 0;
    EVP_Digest(data, n, d, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* An upload as the server would hand it over: data in an unlinked file, hashed. */
static blob_upload_t
upload_of(const void *data, size_t n, const char *media_type, const char *filename)
{
    char path[] = "/tmp/cy-blob-up-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    blob_upload_t up = {.fd = fd, .size = n, .media_type = media_type, .filename = filename};
    openssl_sha256_hex(data, n, up.sha256);
    return up;
}

static const char *const PDF_ONLY[] = {"application/pdf", "image/png", NULL};
static const blob_rules_t RULES = {.purpose = "test", .media_types = PDF_ONLY};

static int64_t
count(app_t *app, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE 1 = $1", table);
    return query_int(app, sql, 1);
}

/* Store data as a blob of ent-gz in a transaction of its own; answers its metadata. */
static blob_t
put(app_t *app, const void *data, size_t n, const char *filename)
{
    actor_t a = who(app, "ent-gz");
    blob_upload_t up = upload_of(data, n, "Application/PDF; charset=binary", filename);
    store_conn_t *c;
    cy_error_t err;
    blob_t b;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    cy_status_t st = blob_put(c, &a, 1800000000, &up, &RULES, &b, &err);
    assert_int_equal(store_tx_close(app->store, c, st, &err), CY_OK);
    close(up.fd);
    return b;
}

CY_TEST(test_blob_round_trips_three_chunks_read_at_odd_offsets)
{
    app_t *app = ((fixture_t *)*state)->app;
    size_t n = 2 * BLOB_CHUNK_SIZE + 12345;
    unsigned char *data = noise(n, 7);
    blob_t b = put(app, data, n, "理赔材料（一）.pdf");
    char want[65];
    openssl_sha256_hex(data, n, want);
    assert_string_equal(b.sha256, want);
    assert_int_equal(b.size, n);
    assert_string_equal(b.media_type, "application/pdf"); /* lower case, no parameters */
    assert_string_equal(b.filename, "理赔材料（一）.pdf");
    assert_string_equal(b.created_at, "2027-01-15T08:00:00Z");
    assert_int_equal(query_int(app, "SELECT COUNT(*) FROM blob_chunk WHERE blob_id = $1", b.id), 3);
    /* read it back in pieces of 100 000 bytes, which straddle the chunk borders */
    blob_reader_t *r;
    cy_error_t err;
    assert_int_equal(blob_open(app, b.id, &r, &err), CY_OK);
    assert_string_equal(blob_reader_meta(r)->sha256, want);
    unsigned char *back = malloc(n);
    size_t got = 0;
    ssize_t k;
    while ((k = blob_read(r, got, back + got, 100000, &err)) > 0)
        got += (size_t)k;
    assert_int_equal(k, 0);
    assert_int_equal(got, n);
    assert_memory_equal(back, data, n);
    /* and out of order: the last bytes, then the first */
    unsigned char tail[10];
    assert_int_equal(blob_read(r, n - 10, tail, sizeof tail + 50, &err), 10);
    assert_memory_equal(tail, data + n - 10, 10);
    assert_int_equal(blob_read(r, 0, tail, 1, &err), 1);
    assert_int_equal(tail[0], data[0]);
    assert_int_equal(blob_read(r, n, tail, 1, &err), 0);
    blob_close(r);
    blob_verify_t v;
    assert_int_equal(blob_verify(app, b.id, &v, &err), CY_OK);
    assert_true(v.ok);
    assert_string_equal(v.computed, want);
    assert_int_equal(v.computed_size, n);
    assert_string_equal(v.reason, "");
    free(back);
    free(data);
}

static void
expect_refusal(const blob_upload_t *up, const blob_rules_t *rules, cy_status_t st, const char *code,
               const char *field)
{
    cy_error_t err;
    assert_int_equal(blob_check(up, rules, &err), st);
    assert_string_equal(err.code, code);
    assert_string_equal(err.field, field);
    assert_non_null(strstr(err.message, " / "));
}

CY_TEST(test_blob_check_refuses_each_bad_upload_naming_the_field)
{
    (void)state;
    blob_upload_t up = upload_of("%PDF-1.7", 8, "application/pdf", "a.pdf");
    cy_error_t err;
    assert_int_equal(blob_check(&up, &RULES, &err), CY_OK);
    blob_upload_t b = up;
    b.media_type = NULL;
    expect_refusal(&b, &RULES, CY_EINVAL, "media_type_missing", "Content-Type");
    b.media_type = "image/gif";
    expect_refusal(&b, &RULES, CY_EINVAL, "media_type_refused", "Content-Type");
    assert_int_equal(blob_check(&b, &RULES, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "image/gif"));
    assert_non_null(strstr(err.message, "accepted: application/pdf, image/png"));
    b = up;
    const char *bad_names[] = {NULL, "", "a/b.pdf", "a\\b.pdf", "a\tb.pdf", "..", "\xff.pdf"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        b.filename = bad_names[i];
        assert_int_equal(blob_check(&b, &RULES, &err), CY_EINVAL);
        assert_string_equal(err.field, "filename");
    }
    char longname[300];
    memset(longname, 'x', 256);
    longname[256] = '\0';
    b.filename = longname;
    expect_refusal(&b, &RULES, CY_EINVAL, "filename_too_long", "filename");
    longname[255] = '\0'; /* 255 bytes is fine */
    assert_int_equal(blob_check(&b, &RULES, &err), CY_OK);
    b = up;
    b.size = 0;
    expect_refusal(&b, &RULES, CY_EINVAL, "file_empty", "body");
    blob_rules_t small = RULES;
    small.max_size = 7;
    expect_refusal(&up, &small, CY_ETOOLARGE, "file_too_large", "body");
    small.max_size = 8;
    assert_int_equal(blob_check(&up, &small, &err), CY_OK);
    b = up;
    b.declared_sha256 = "abc";
    expect_refusal(&b, &RULES, CY_EINVAL, "sha256_malformed", "X-Content-SHA256");
    char upper[65];
    for (int i = 0; i < 65; i++)
        upper[i] = (char)(up.sha256[i] >= 'a' ? up.sha256[i] - 32 : up.sha256[i]);
    b.declared_sha256 = upper; /* the same hash in capitals is the same hash */
    assert_int_equal(blob_check(&b, &RULES, &err), CY_OK);
    char other[65];
    memcpy(other, up.sha256, 65);
    other[0] = other[0] == '0' ? '1' : '0';
    b.declared_sha256 = other;
    expect_refusal(&b, &RULES, CY_EINVAL, "sha256_mismatch", "X-Content-SHA256");
    close(up.fd);
}

CY_TEST(test_blob_failed_write_leaves_no_row_and_no_chunk)
{
    app_t *app = ((fixture_t *)*state)->app;
    int64_t blobs = count(app, "blob"), chunks = count(app, "blob_chunk");
    actor_t a = who(app, "ent-gz");
    size_t n = BLOB_CHUNK_SIZE + 10;
    unsigned char *data = noise(n, 9);
    blob_upload_t up = upload_of(data, n, "application/pdf", "x.pdf");
    /* the file changes after the server hashed it: caught when stored, all rolled back */
    up.sha256[5] = up.sha256[5] == 'a' ? 'b' : 'a';
    store_conn_t *c;
    cy_error_t err;
    blob_t b;
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    cy_status_t st = blob_put(c, &a, 1800000000, &up, &RULES, &b, &err);
    assert_int_equal(st, CY_EIO);
    assert_string_equal(err.code, "upload_changed");
    assert_int_equal(store_tx_close(app->store, c, st, &err), CY_EIO);
    /* the caller's own later step fails: the blob goes with it */
    openssl_sha256_hex(data, n, up.sha256);
    assert_int_equal(store_tx_open(app->store, &c, &err), CY_OK);
    st = blob_put(c, &a, 1800000000, &up, &RULES, &b, &err);
    assert_int_equal(st, CY_OK);
    st = cy_error_set(&err, CY_EINVAL, "evidence_rule", "x", "规则 / rule");
    assert_int_equal(store_tx_close(app->store, c, st, &err), CY_EINVAL);
    assert_int_equal(count(app, "blob"), blobs);
    assert_int_equal(count(app, "blob_chunk"), chunks);
    close(up.fd);
    free(data);
}

CY_TEST(test_blob_verify_catches_changed_missing_and_extra_chunks)
{
    app_t *app = ((fixture_t *)*state)->app;
    size_t n = BLOB_CHUNK_SIZE + 100;
    unsigned char *data = noise(n, 11);
    blob_t b = put(app, data, n, "v.pdf");
    cy_error_t err;
    blob_verify_t v;
    assert_int_equal(blob_verify(app, b.id, &v, &err), CY_OK);
    assert_true(v.ok);
    /* one byte of the second chunk changed in the database, same length */
    store_conn_t *c;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    unsigned char second[100];
    memcpy(second, data + BLOB_CHUNK_SIZE, 100);
    second[42] ^= 0x01;
    store_param_t p[] = {STORE_P_INT(b.id), STORE_P_BLOB(second, 100)};
    assert_int_equal(store_exec(c, "UPDATE blob_chunk SET data = $2 WHERE blob_id = $1 AND seq = 1",
                                p, 2, NULL, &err),
                     CY_OK);
    store_release(app->store, c);
    assert_int_equal(blob_verify(app, b.id, &v, &err), CY_OK);
    assert_false(v.ok);
    assert_string_equal(v.stored, b.sha256);
    assert_string_not_equal(v.computed, b.sha256);
    assert_int_equal(v.computed_size, n);
    assert_non_null(strstr(v.reason, "SHA-256"));
    /* an extra chunk after a gap */
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    assert_int_equal(store_exec(c, "INSERT INTO blob_chunk (blob_id, seq, data) VALUES ($1, 5, $2)",
                                p, 2, NULL, &err),
                     CY_OK);
    store_release(app->store, c);
    assert_int_equal(blob_verify(app, b.id, &v, &err), CY_OK);
    assert_false(v.ok);
    assert_non_null(strstr(v.reason, "3 chunks, 2 in sequence"));
    /* the first chunk gone: the reader refuses to make up the bytes */
    exec_sql(app, "DELETE FROM blob_chunk WHERE blob_id = $1 AND seq = 0", b.id);
    assert_int_equal(blob_verify(app, b.id, &v, &err), CY_OK);
    assert_false(v.ok);
    blob_reader_t *r;
    assert_int_equal(blob_open(app, b.id, &r, &err), CY_OK);
    unsigned char buf[16];
    assert_int_equal(blob_read(r, 0, buf, sizeof buf, &err), -1);
    assert_string_equal(err.code, "blob_damaged");
    blob_close(r);
    assert_int_equal(blob_verify(app, 999999, &v, &err), CY_ENOTFOUND);
    assert_int_equal(blob_open(app, 999999, &r, &err), CY_ENOTFOUND);
    free(data);
}

typedef struct {
    int64_t ids[8];
    int n;
} ids_t;

static void
collect(const blob_t *b, void *arg)
{
    ids_t *l = arg;
    l->ids[l->n++] = b->id;
}

CY_TEST(test_blob_files_are_their_organisations_alone)
{
    app_t *app = ((fixture_t *)*state)->app;
    actor_t ent = who(app, "ent-hz"), other = who(app, "ent-gz"),
            viewer = who(app, "gz-city-viewer");
    blob_t f[3];
    cy_error_t err;
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d.txt", i);
        blob_upload_t up = upload_of("hello", 5, "text/plain", name);
        assert_int_equal(blob_file_upload(app, &ent, 1800000000 + i, &up, &f[i], &err), CY_OK);
        close(up.fd);
    }
    /* a type data/platform.json does not list */
    blob_upload_t gif = upload_of("GIF89a", 6, "image/gif", "a.gif");
    blob_t g;
    assert_int_equal(blob_file_upload(app, &ent, 1800000000, &gif, &g, &err), CY_EINVAL);
    assert_string_equal(err.field, "Content-Type");
    assert_int_equal(blob_file_upload(app, &viewer, 1800000000, &gif, &g, &err), CY_EFORBIDDEN);
    close(gif.fd);
    /* newest first, two to a page */
    ids_t l = {0};
    int64_t next = -1;
    app_page_t pg = {0, 2};
    assert_int_equal(blob_file_list(app, &ent, &pg, collect, &l, &next, &err), CY_OK);
    assert_int_equal(l.n, 2);
    assert_true(l.ids[0] == f[2].id && l.ids[1] == f[1].id);
    assert_true(next == f[1].id);
    pg.cursor = next;
    assert_int_equal(blob_file_list(app, &ent, &pg, collect, &l, &next, &err), CY_OK);
    assert_int_equal(l.n, 3);
    assert_true(l.ids[2] == f[0].id);
    assert_true(next == 0);
    /* another organisation: nothing listed, 404 for the id */
    ids_t none = {0};
    pg.cursor = 0;
    assert_int_equal(blob_file_list(app, &other, &pg, collect, &none, &next, &err), CY_OK);
    for (int i = 0; i < none.n; i++)
        assert_true(none.ids[i] != f[0].id && none.ids[i] != f[1].id && none.ids[i] != f[2].id);
    blob_t b;
    assert_int_equal(blob_file_get(app, &other, f[0].id, &b, &err), CY_ENOTFOUND);
    assert_string_equal(err.field, "id");
    blob_reader_t *r;
    assert_int_equal(blob_file_open(app, &other, f[0].id, &r, &err), CY_ENOTFOUND);
    assert_int_equal(blob_file_get(app, &ent, f[0].id, &b, &err), CY_OK);
    assert_string_equal(b.filename, "f0.txt");
    /* a blob another capability holds is not a file */
    blob_t held = put(app, "%PDF", 4, "held.pdf");
    actor_t gz = who(app, "ent-gz");
    assert_int_equal(blob_file_get(app, &gz, held.id, &b, &err), CY_ENOTFOUND);
    /* the upload is in the audit log, with its hash */
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)f[0].id);
    store_conn_t *c;
    assert_int_equal(store_acquire(app->store, &c, &err), CY_OK);
    store_param_t p[] = {STORE_P_TEXT(id)};
    store_rows_t *rows;
    assert_int_equal(store_query(c,
                                 "SELECT action, summary FROM audit_log WHERE object_type = "
                                 "'file' AND object_id = $1",
                                 p, 1, &rows, &err),
                     CY_OK);
    assert_int_equal(store_rows_next(rows, &err), 1);
    assert_string_equal(store_row_text(rows, "action"), "file.upload");
    assert_non_null(strstr(store_row_text(rows, "summary"), f[0].sha256));
    store_rows_free(rows);
    store_release(app->store, c);
}
