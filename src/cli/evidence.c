/*
 * evidence.c — cyberins evidence verify|export CLAIM: a claim's evidence
 * chain (溯源取证, docs/claims.md) checked link by link against its rows and
 * its blobs as they are now (exit 1 naming the first bad link), or exported
 * as a zip bundle a third party checks with `sha256sum -c SHA256SUMS` alone:
 * the items under files/, manifest.json, the human-readable 取证清单.txt.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "app/blob/blob.h"
#include "app/claims/claims.h"
#include "cli/cli.h"

static const char EVIDENCE_HELP[] =
    "usage: cyberins evidence verify CLAIM_ID [--db URL]\n"
    "       cyberins evidence export CLAIM_ID FILE.zip [--db URL]\n"
    "verify recomputes every link of the claim's evidence chain (items and custody\n"
    "transfers) over the one before it and every item's file as stored; it exits 1\n"
    "naming the first link or file that was changed, removed or reordered.\n"
    "export writes the items, manifest.json, 取证清单.txt and SHA256SUMS into a zip;\n"
    "unzip it and run `sha256sum -c SHA256SUMS` to check the files without cyberins.\n";

static int
usage(void)
{
    fputs(EVIDENCE_HELP, stderr);
    return EXIT_USAGE;
}

/* The name of link e's file in the bundle. */
static void
bundle_name(const claims_evidence_t *e, char *out, size_t cap)
{
    snprintf(out, cap, "files/%02d-%s", e->seq, e->filename);
}

static int
print_check(int64_t claim, const claims_evidence_list_t *l)
{
    const claims_chain_check_t *k = &l->check;
    if (k->ok)
        printf("evidence chain of claim %" PRId64 " ok: %zu links verified\n", claim, l->n);
    else
        printf("evidence chain of claim %" PRId64 " BROKEN at link %d (id %" PRId64
               ", file %s): %s\n",
               claim, k->bad_seq, k->bad_id, k->bad_filename, k->reason);
    return k->ok ? 0 : 1;
}

/* The item's content into a temporary file, for the zip to read when it is closed. */
static FILE *
item_file(app_t *app, const actor_t *cli, const claims_evidence_t *e, cy_error_t *err)
{
    blob_reader_t *r;
    if (claims_evidence_open(app, cli, cli_now(), e->claim_id, e->id, &r, err) != CY_OK)
        return NULL;
    FILE *t = tmpfile();
    static char buf[1 << 16];
    uint64_t pos = 0;
    ssize_t got = 1;
    while (t != NULL && got > 0) {
        got = blob_read(r, pos, buf, sizeof buf, err);
        if (got > 0 && fwrite(buf, 1, (size_t)got, t) != (size_t)got)
            got = -1;
        pos += got > 0 ? (uint64_t)got : 0;
    }
    blob_close(r);
    if (t != NULL && (got < 0 || fflush(t) != 0)) {
        fclose(t);
        t = NULL;
    }
    if (t == NULL)
        cy_error_set(err, CY_EIO, "export_failed", NULL,
                     "无法读出证据文件 / cannot read an evidence file");
    else
        rewind(t);
    return t;
}

static int
zip_text(zip_t *za, const char *name, char *text)
{
    zip_source_t *s = zip_source_buffer(za, text, strlen(text), 1);
    if (s == NULL || zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

/* manifest.json, 取证清单.txt and SHA256SUMS of the chain l. */
static int
bundle_texts(zip_t *za, int64_t claim, const claims_evidence_list_t *l)
{
    json_t *links = json_array();
    char *sums = NULL, *list = NULL;
    size_t ns = 0, nl = 0;
    FILE *fs = open_memstream(&sums, &ns), *fl = open_memstream(&list, &nl);
    fprintf(fl, "取证清单 / evidence list — 理赔 %" PRId64 " / claim %" PRId64 "\n\n", claim,
            claim);
    for (size_t i = 0; i < l->n; i++) {
        const claims_evidence_t *e = &l->items[i];
        char name[400];
        bundle_name(e, name, sizeof name);
        int item = strcmp(e->kind, "item") == 0;
        json_array_append_new(
            links,
            json_pack("{s:i, s:s, s:i, s:s?, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
                      "s:s, s:s, s:s}",
                      "seq", e->seq, "kind", e->kind, "item_seq", e->item_seq, "file",
                      item ? name : NULL, "sha256", e->sha256, "size", (json_int_t)e->size,
                      "media_type", e->media_type, "filename", e->filename, "description",
                      e->description, "collected_by", e->collected_by, "collected_at",
                      e->collected_at, "method", e->method, "from_holder", e->from_holder,
                      "to_holder", e->to_holder, "prev_hash", e->prev_hash, "hash", e->hash));
        if (item) {
            fprintf(fs, "%s  %s\n", e->sha256, name);
            fprintf(fl,
                    "%d. 证据 / item: %s\n   SHA-256 %s，%" PRId64 " 字节 / bytes，%s\n"
                    "   取证人 / collected by: %s，%s（UTC）\n   方法 / method: %s\n"
                    "   说明 / description: %s\n",
                    e->seq, name, e->sha256, e->size, e->media_type, e->collected_by,
                    e->collected_at, e->method, e->description);
        } else {
            fprintf(fl, "%d. 保管移交 / custody of item %d: %s → %s，%s（UTC），%s\n", e->seq,
                    e->item_seq, e->from_holder, e->to_holder, e->created_at, e->method);
        }
        fprintf(fl, "   链哈希 / link hash: %s\n", e->hash);
    }
    fprintf(fl, "\n核对 / to check: sha256sum -c SHA256SUMS\n");
    fclose(fs);
    fclose(fl);
    json_t *m = json_pack("{s:I, s:s, s:o}", "claim_id", (json_int_t)claim, "chain",
                          "cyberins-evidence-v1 (docs/claims.md)", "links", links);
    char *mj = json_dumps(m, JSON_INDENT(2));
    json_decref(m);
    int rc = zip_text(za, "manifest.json", mj) | zip_text(za, "取证清单.txt", list) |
             zip_text(za, "SHA256SUMS", sums);
    return rc;
}

static int
evidence_export(app_t *app, const actor_t *cli, int64_t claim, const claims_evidence_list_t *l,
                const char *path)
{
    if (print_check(claim, l) != 0) {
        fprintf(stderr, "cyberins evidence: the chain does not verify; nothing exported\n");
        return 1;
    }
    int ze;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (za == NULL) {
        fprintf(stderr, "cyberins evidence: cannot create %s\n", path);
        return 1;
    }
    cy_error_t err;
    int rc = 0;
    for (size_t i = 0; i < l->n && rc == 0; i++) {
        const claims_evidence_t *e = &l->items[i];
        if (strcmp(e->kind, "item") != 0)
            continue;
        FILE *t = item_file(app, cli, e, &err);
        char name[400];
        bundle_name(e, name, sizeof name);
        zip_source_t *s = t ? zip_source_filep(za, t, 0, -1) : NULL;
        zip_int64_t idx = s ? zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
            rc = t ? (zip_source_free(s), 1) : cli_fail(&err);
    }
    if (rc == 0)
        rc = bundle_texts(za, claim, l);
    if (rc != 0) {
        zip_discard(za);
        fprintf(stderr, "cyberins evidence: export of claim %" PRId64 " failed\n", claim);
        return 1;
    }
    if (zip_close(za) != 0) {
        fprintf(stderr, "cyberins evidence: cannot write %s: %s\n", path, zip_strerror(za));
        zip_discard(za);
        return 1;
    }
    printf("exported %zu links of claim %" PRId64 " to %s\n", l->n, claim, path);
    return 0;
}

int
cli_cmd_evidence(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(EVIDENCE_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    int verify = strcmp(argv[1], "verify") == 0, export = strcmp(argv[1], "export") == 0;
    int need = verify ? 3 : 4;
    if ((!verify && !export) || argc < need)
        return usage();
    char *end;
    int64_t claim = strtoll(argv[2], &end, 10);
    if (*end || claim <= 0)
        return usage();
    const char *path = export ? argv[3] : NULL;
    cli_common_t c = {0};
    cli_common_defaults(&c);
    int rc = cli_parse_common(argc - (need - 1), argv + (need - 1), &c, EVIDENCE_HELP);
    if (rc >= 0)
        return rc;
    app_t *app;
    if ((rc = cli_open_app(&c, 0, &app)) != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    claims_evidence_list_t l;
    cy_error_t err;
    if (claims_evidence_list(app, &cli, cli_now(), claim, &l, &err) != CY_OK)
        rc = cli_fail(&err);
    else
        rc = verify ? print_check(claim, &l) : evidence_export(app, &cli, claim, &l, path);
    claims_evidence_list_free(&l);
    app_close(app);
    return rc;
}
