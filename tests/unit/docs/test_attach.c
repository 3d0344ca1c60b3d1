/*
 * test_attach.c — seal scans and copies of 证明材料 (app/pilot/attach.c):
 * over a 2031 round whose filing asks Annex 1 and 4 for seal scans and
 * Annex 1 for copies, a submission waits for them (422 naming what is
 * missing), each upload is a blob with its SHA-256, size and type (the
 * hashes below computed outside the program, by Python's hashlib), an
 * upload for the same item replaces the earlier one, and every bad input is
 * refused naming its field with nothing stored.
 */
#include "fixture.h"

#include <fcntl.h>

#include "app/blob/blob.h"

#define SEAL_ENT     "%PDF-1.4 seal of ent-hz\n"
#define SEAL_ENT_SHA "5b83863906507481b0ba4695b6e11c974b2e89fcf11d501a3afbeecaf3c5cba9"
#define SEAL_INS     "%PDF-1.4 seal of the insurer\n"
#define SEAL_INS_SHA "114b8acd58969d1d7f1f4ce147a4175bbe8d968088c85f14a01ea3cdb53a5674"
#define SECOND       "%PDF-1.4 second scan\n"
#define SECOND_SHA   "e7e038636e5033efac7b632ed50147c18adc835d47c0150fdb418f1d72943f4e"
#define CERT         "\x89PNG\r\n\x1a\n certificate\n"
#define CERT_SHA     "d3e25fff88c924873be1ca73eb5820e0cd082a27ebec709865ab325516698b5f"

#define USCC_ENT "913301067688W4TD2Y"
#define USCC_INS "91440300862QA4XF61"
#define USCC_SEC "91440106895ANBKF5M"

static int
setup_scans(void **state)
{
    return setup_filing(state, json_pack("{s:s, s:i, s:[], s:[i, i], s:[i]}", "source",
                                         "test fixture", "paper_copies", 3, "paper_judged",
                                         "seal_scans", 1, 4, "material_copies", 1));
}

/* An upload of text as the server would describe it (fd to close with upload_done). */
static blob_upload_t
upload_of(const char *dir, const char *text, const char *type, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/upload-XXXXXX", dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    blob_upload_t up = {.fd = fd, .media_type = type, .filename = name};
    cy_error_t err;
    assert_int_equal(blob_hash_fd(fd, up.sha256, &up.size, &err), CY_OK);
    return up;
}

static cy_status_t
attach(app_t *app, const actor_t *a, int plan, int64_t id, const char *what, const char *item,
       blob_upload_t *up, json_t **out, cy_error_t *err)
{
    pilot_attach_in_t in = {plan, id, what, item};
    cy_status_t st = app_attach_upload(app, a, at("2031-02-01 09:00"), &in, up, out, err);
    close(up->fd);
    return st;
}

/* The record as its author reads it. */
static json_t *
record(app_t *app, const actor_t *a, pilot_record_t kind, int64_t id)
{
    json_t *o = NULL;
    cy_error_t err;
    assert_int_equal(app_pilot_read(app, a, kind, id, &o, &err), CY_OK);
    return o;
}

CY_TEST_FIXTURE(test_a_plan_waits_for_each_units_seal_scan, setup_scans, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t ent = who(app, "ent-hz");
    int64_t p = plan_draft(app, 4, "杭州电商企业试点工作方案");
    json_t *out = NULL;
    cy_error_t err;

    /* both units' scans are missing, the lead's first */
    json_t *o = record(app, &ent, PILOT_PLAN, p);
    json_t *missing = json_object_get(o, "attachments_missing");
    assert_int_equal(json_array_size(missing), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(missing, 0), "item")),
                        USCC_ENT);
    assert_string_equal(json_string_value(json_object_get(json_array_get(missing, 1), "item")),
                        USCC_INS);
    json_decref(o);
    assert_int_equal(app_plan_submit(app, &ent, at("2031-02-01 10:00"), p, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "attachment_missing");
    assert_string_equal(err.field, "attachments");
    assert_non_null(strstr(err.message, "杭州示范电子商务有限公司（演示）"));

    /* the lead's scan: stored with its hash, size and type */
    blob_upload_t up = upload_of(fx->dir, SEAL_ENT, "application/pdf", "盖章页.pdf");
    assert_int_equal(attach(app, &ent, 1, p, "seal", USCC_ENT, &up, &out, &err), CY_OK);
    assert_string_equal(json_string_value(json_object_get(out, "sha256")), SEAL_ENT_SHA);
    assert_int_equal(json_integer_value(json_object_get(out, "size")), 24);
    assert_string_equal(json_string_value(json_object_get(out, "media_type")), "application/pdf");
    assert_string_equal(json_string_value(json_object_get(out, "label")),
                        "杭州示范电子商务有限公司（演示）");
    int64_t first = id_of(out);
    /* one unit still missing: the insurer's */
    assert_int_equal(app_plan_submit(app, &ent, at("2031-02-01 10:00"), p, &out, &err), CY_EINVAL);
    assert_non_null(strstr(err.message, "南方示范财产保险股份有限公司（演示）"));

    /* a second scan for the lead replaces the first */
    up = upload_of(fx->dir, SECOND, "application/pdf", "盖章页2.pdf");
    assert_int_equal(attach(app, &ent, 1, p, "seal", USCC_ENT, &up, &out, &err), CY_OK);
    assert_true(id_of(out) > first);
    up = upload_of(fx->dir, SEAL_INS, "image/jpeg", "insurer.jpg");
    assert_int_equal(attach(app, &ent, 1, p, "seal", USCC_INS, &up, &out, &err), CY_OK);
    json_decref(out);
    o = record(app, &ent, PILOT_PLAN, p);
    json_t *rows = json_object_get(o, "attachments");
    assert_int_equal(json_array_size(rows), 2);
    assert_int_equal(json_array_size(json_object_get(o, "attachments_missing")), 0);
    json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
    assert_string_equal(json_string_value(json_object_get(r0, "item")), USCC_ENT);
    assert_string_equal(json_string_value(json_object_get(r0, "sha256")), SECOND_SHA);
    assert_int_equal(json_integer_value(json_object_get(r0, "size")), 21);
    assert_string_equal(json_string_value(json_object_get(r1, "sha256")), SEAL_INS_SHA);
    assert_string_equal(json_string_value(json_object_get(r1, "media_type")), "image/jpeg");
    int64_t ins_id = json_integer_value(json_object_get(r1, "id"));
    json_decref(o);

    /* read back byte for byte; outside the plan's sight it is not there */
    blob_reader_t *rd;
    assert_int_equal(app_attach_open(app, &ent, 1, p, ins_id, &rd, &err), CY_OK);
    char back[64] = "";
    assert_int_equal(blob_read(rd, 0, back, sizeof back - 1, &err), (ssize_t)strlen(SEAL_INS));
    assert_string_equal(back, SEAL_INS);
    blob_close(rd);
    actor_t sec = who(app, "secfirm");
    assert_int_equal(app_attach_open(app, &sec, 1, p, ins_id, &rd, &err), CY_ENOTFOUND);
    assert_int_equal(app_attach_open(app, &ent, 0, p, ins_id, &rd, &err), CY_ENOTFOUND);

    /* now it submits; a submitted plan takes no more uploads */
    assert_int_equal(app_plan_submit(app, &ent, at("2031-02-01 10:00"), p, &out, &err), CY_OK);
    json_decref(out);
    up = upload_of(fx->dir, SEAL_INS, "image/jpeg", "late.jpg");
    assert_int_equal(attach(app, &ent, 1, p, "seal", USCC_INS, &up, &out, &err), CY_ECONFLICT);
    assert_null(out);
}

CY_TEST_FIXTURE(test_a_scheme_waits_for_its_copies_and_seal_scans, setup_scans, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t sec = who(app, "secfirm");
    int64_t s = scheme(app, "测试服务方案");
    json_t *out = NULL;
    cy_error_t err;
    json_t *o = record(app, &sec, PILOT_SCHEME, s);
    json_t *missing = json_object_get(o, "attachments_missing");
    /* the lead and the insurer sealed, then 高新技术企业证书 (unit.1), 网络安全保险条款 (scheme.1)
     */
    assert_int_equal(json_array_size(missing), 4);
    json_t *m2 = json_array_get(missing, 2), *m3 = json_array_get(missing, 3);
    assert_string_equal(json_string_value(json_object_get(m2, "item")), "unit.1");
    assert_string_equal(json_string_value(json_object_get(m2, "label")), "高新技术企业证书");
    assert_string_equal(json_string_value(json_object_get(m3, "item")), "scheme.1");
    json_decref(o);

    const char *seals[] = {USCC_SEC, USCC_INS};
    for (size_t i = 0; i < 2; i++) {
        blob_upload_t up = upload_of(fx->dir, SEAL_ENT, "application/pdf", "seal.pdf");
        assert_int_equal(attach(app, &sec, 0, s, "seal", seals[i], &up, &out, &err), CY_OK);
        json_decref(out);
    }
    blob_upload_t up = upload_of(fx->dir, CERT, "image/png", "证书.png");
    assert_int_equal(attach(app, &sec, 0, s, "material", "unit.1", &up, &out, &err), CY_OK);
    assert_string_equal(json_string_value(json_object_get(out, "label")), "高新技术企业证书");
    assert_string_equal(json_string_value(json_object_get(out, "sha256")), CERT_SHA);
    json_decref(out);
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-01-06"), s, &out, &err), CY_EINVAL);
    assert_string_equal(err.code, "attachment_missing");
    assert_non_null(strstr(err.message, "网络安全保险条款"));
    up = upload_of(fx->dir, CERT, "application/pdf", "条款.pdf");
    assert_int_equal(attach(app, &sec, 0, s, "material", "scheme.1", &up, &out, &err), CY_OK);
    json_decref(out);
    assert_int_equal(app_scheme_submit(app, &sec, at("2031-01-06"), s, &out, &err), CY_OK);
    json_decref(out);
}

/* One refused upload: its status, code and field, and nothing stored. */
static void
refused(fixture_t *fx, const actor_t *a, int plan, int64_t id, const char *what, const char *item,
        blob_upload_t up, cy_status_t want, const char *code, const char *field)
{
    json_t *out = NULL;
    cy_error_t err;
    assert_int_equal(attach(fx->app, a, plan, id, what, item, &up, &out, &err), want);
    assert_null(out);
    if (code != NULL)
        assert_string_equal(err.code, code);
    if (field != NULL)
        assert_string_equal(err.field, field);
}

CY_TEST_FIXTURE(test_bad_uploads_name_their_field_and_leave_nothing, setup_scans, teardown)
{
    fixture_t *fx = *state;
    app_t *app = fx->app;
    actor_t ent = who(app, "ent-hz"), ins = who(app, "insurer");
    int64_t p = plan_draft(app, 4, "杭州电商企业试点工作方案");
    const char *d = fx->dir;
    refused(fx, &ent, 1, p, "seal", USCC_ENT, upload_of(d, SEAL_ENT, "text/plain", "a.txt"),
            CY_EINVAL, "media_type_refused", "Content-Type");
    refused(fx, &ent, 1, p, "seal", USCC_ENT, upload_of(d, SEAL_ENT, NULL, "a.pdf"), CY_EINVAL,
            "media_type_missing", "Content-Type");
    blob_upload_t up = upload_of(d, SEAL_ENT, "application/pdf", "a.pdf");
    up.declared_sha256 = SEAL_INS_SHA;
    refused(fx, &ent, 1, p, "seal", USCC_ENT, up, CY_EINVAL, "sha256_mismatch", "X-Content-SHA256");
    up = upload_of(d, SEAL_ENT, "application/pdf", "a.pdf");
    up.size = PILOT_ATTACH_MAX + 1; /* as received: refused before a byte is read */
    refused(fx, &ent, 1, p, "seal", USCC_ENT, up, CY_ETOOLARGE, "file_too_large", "body");
    refused(fx, &ent, 1, p, "seal", USCC_SEC, upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"),
            CY_EINVAL, "unit_unknown", "item");
    refused(fx, &ent, 1, p, "material", "unit.1",
            upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"), CY_EINVAL, "no_materials", "what");
    refused(fx, &ent, 1, p, "stamp", USCC_ENT, upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"),
            CY_EBADREQ, "query_invalid", "what");
    refused(fx, &ent, 1, p, "seal", NULL, upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"),
            CY_EBADREQ, "query_invalid", "item");
    /* a joint unit does not upload to another's plan; outside its sight the plan is not there */
    refused(fx, &ins, 1, p, "seal", USCC_INS, upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"),
            CY_EFORBIDDEN, "forbidden", NULL);
    actor_t sec = who(app, "secfirm");
    refused(fx, &sec, 1, p, "seal", USCC_SEC, upload_of(d, SEAL_ENT, "application/pdf", "a.pdf"),
            CY_ENOTFOUND, NULL, NULL);
    /* a scheme's material line that is not on its list */
    int64_t s = scheme(app, "测试服务方案");
    refused(fx, &sec, 0, s, "material", "unit.2", upload_of(d, CERT, "image/png", "c.png"),
            CY_EINVAL, "material_unknown", "item");
    refused(fx, &sec, 0, s, "material", "units.1", upload_of(d, CERT, "image/png", "c.png"),
            CY_EINVAL, "material_unknown", "item");
    json_t *o = record(app, &ent, PILOT_PLAN, p);
    assert_int_equal(json_array_size(json_object_get(o, "attachments")), 0);
    json_decref(o);
    o = record(app, &sec, PILOT_SCHEME, s);
    assert_int_equal(json_array_size(json_object_get(o, "attachments")), 0);
    json_decref(o);
}

/* The round of the other fixture asks for nothing: a plan submits without scans. */
CY_TEST_FIXTURE(test_a_round_without_scans_asks_for_none, setup, teardown)
{
    fixture_t *fx = *state;
    actor_t ent = who(fx->app, "ent-hz");
    int64_t p = plan(fx->app, 4, "杭州电商企业试点工作方案");
    json_t *o = record(fx->app, &ent, PILOT_PLAN, p);
    assert_int_equal(json_array_size(json_object_get(o, "attachments_missing")), 0);
    json_decref(o);
}
