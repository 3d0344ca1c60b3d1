/*
 * attach.c — what a scheme's or a plan's author uploads beside the form
 * (issue 11; DOMAIN.md §5 加盖公章及骑缝章): a scan of each unit's signed and
 * sealed pages (its 真实性承诺 and 申报主体责任声明), keyed by the unit's USCC,
 * and a copy of each listed 证明材料 of Annex 1, keyed by its line
 * (materials.unit / .scheme, counted from 1). The files are platform blobs
 * (app/blob: SHA-256, size, media type; PDF, JPEG or PNG up to
 * PILOT_ATTACH_MAX bytes). The round's "filing" says which annexes need
 * them before submission (seal_scans, material_copies); pilot_doc_ready
 * asks pilot_attach_ready. The one place pilot_attachment is read and
 * written. Depends on core/, store/, app/blob and jansson; never http/ or
 * cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/blob/blob.h"
#include "app/pilot/internal.h"
#include "core/bjtime.h"

static const char *const ATTACH_TYPES[] = {"application/pdf", "image/jpeg", "image/png", NULL};
static const blob_rules_t ATTACH_RULES = {"pilot_attachment", ATTACH_TYPES, PILOT_ATTACH_MAX};

static const pcol_t ATTACH_COLS[] = {{"id", 'i'},         {"what", 's'},       {"item", 's'},
                                     {"label", 's'},      {"blob_id", 'i'},    {"filename", 's'},
                                     {"media_type", 's'}, {"size", 'i'},       {"sha256", 's'},
                                     {"user_id", 'i'},    {"created_at", 's'}, {NULL, 0}};
#define ATTACH_SELECT                                                                              \
    "SELECT a.id, a.what, a.item, a.label, a.blob_id, b.filename, b.media_type, b.size, "          \
    "b.sha256, a.user_id, a.created_at FROM pilot_attachment a JOIN blob b ON b.id = a.blob_id "

/* The attachments of a scheme or a plan, in the order of what and item. */
static cy_status_t
attach_rows(store_conn_t *c, const char *kind, int64_t doc_id, json_t **out, cy_error_t *err)
{
    *out = json_array();
    store_param_t p[] = {STORE_P_TEXT(kind), STORE_P_INT(doc_id)};
    return pilot_query_json(c,
                            ATTACH_SELECT "WHERE a.kind = $1 AND a.doc_id = $2 ORDER BY a.what, "
                                          "a.item",
                            p, 2, ATTACH_COLS, *out, err);
}

/* Append to needed what d's round asks of it: each unit's seal scan, each 证明材料's copy. */
static cy_status_t
attach_needed(store_conn_t *c, const pilot_doc_t *d, json_t *needed, cy_error_t *err)
{
    const round_filing_t *f = d->round ? &d->round->filing : NULL;
    json_t *units = NULL;
    cy_status_t st = CY_OK;
    size_t i;
    json_t *u;
    if (f != NULL && (f->seal_scans & (1u << d->annex)))
        st = pilot_units_json(c, pilot_kind(d->annex)->kind, d->id, &units, err);
    json_array_foreach(units, i, u)
    {
        json_array_append_new(needed, json_pack("{s:s, s:s, s:s}", "what", "seal", "item",
                                                pf_str(u, "uscc"), "label", pf_str(u, "name")));
    }
    json_decref(units);
    static const char *const lists[] = {"unit", "scheme", NULL};
    json_t *materials = json_object_get(d->form, "materials");
    for (size_t l = 0; f != NULL && d->annex == 1 && (f->material_copies & 2u) && lists[l]; l++) {
        json_array_foreach(json_object_get(materials, lists[l]), i, u)
        {
            char item[32];
            snprintf(item, sizeof item, "%s.%zu", lists[l], i + 1);
            json_array_append_new(needed, json_pack("{s:s, s:s, s:s}", "what", "material", "item",
                                                    item, "label",
                                                    json_is_string(u) ? json_string_value(u) : ""));
        }
    }
    return st;
}

/* Whether rows hold need: the same what and item, and for a copy the same line of the list. */
static int
attach_has(json_t *rows, json_t *need)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (strcmp(pf_str(r, "what"), pf_str(need, "what")) == 0 &&
            strcmp(pf_str(r, "item"), pf_str(need, "item")) == 0 &&
            (strcmp(pf_str(r, "what"), "seal") == 0 ||
             strcmp(pf_str(r, "label"), pf_str(need, "label")) == 0))
            return 1;
    }
    return 0;
}

/* What d's round asks that rows do not hold. */
static cy_status_t
attach_missing(store_conn_t *c, const pilot_doc_t *d, json_t *rows, json_t **missing,
               cy_error_t *err)
{
    json_t *needed = json_array();
    *missing = json_array();
    cy_status_t st = attach_needed(c, d, needed, err);
    size_t i;
    json_t *n;
    json_array_foreach(needed, i, n)
    {
        if (!attach_has(rows, n))
            json_array_append(*missing, n);
    }
    json_decref(needed);
    return st;
}

cy_status_t
pilot_attach_json(store_conn_t *c, const pilot_doc_t *d, json_t *doc, cy_error_t *err)
{
    json_t *rows = NULL, *missing = NULL;
    cy_status_t st = attach_rows(c, pilot_kind(d->annex)->kind, d->id, &rows, err);
    if (st == CY_OK)
        st = attach_missing(c, d, rows, &missing, err);
    json_object_set_new(doc, "attachments", rows ? rows : json_array());
    json_object_set_new(doc, "attachments_missing", missing ? missing : json_array());
    return st;
}

cy_status_t
pilot_attach_ready(store_conn_t *c, const pilot_doc_t *d, cy_error_t *err)
{
    json_t *rows = NULL, *missing = NULL;
    cy_status_t st = attach_rows(c, pilot_kind(d->annex)->kind, d->id, &rows, err);
    if (st == CY_OK)
        st = attach_missing(c, d, rows, &missing, err);
    json_t *m = json_array_get(missing, 0);
    if (st == CY_OK && m != NULL) {
        int seal = strcmp(pf_str(m, "what"), "seal") == 0;
        st = cy_error_set(err, CY_EINVAL, "attachment_missing", "attachments",
                          seal ? "请先上传“%s”的盖章页扫描件 / upload the scan of the sealed pages "
                                 "of %s first"
                               : "请先上传证明材料“%s”的复印件 / upload a copy of the supporting "
                                 "document %s first",
                          pf_str(m, "label"), pf_str(m, "label"));
    }
    json_decref(rows);
    json_decref(missing);
    return st;
}

/* The label of in's item on d: the unit of that USCC, or that line of the 证明材料. */
static cy_status_t
attach_label(store_conn_t *c, const pilot_doc_t *d, const pilot_attach_in_t *in, char *label,
             size_t cap, cy_error_t *err)
{
    if (strcmp(in->what, "seal") == 0) {
        json_t *u = NULL;
        store_param_t p[] = {STORE_P_TEXT(pilot_kind(d->annex)->kind), STORE_P_INT(d->id),
                             STORE_P_TEXT(in->item)};
        static const pcol_t cols[] = {{"name", 's'}, {NULL, 0}};
        cy_status_t st = pilot_query_one(
            c, "SELECT name FROM pilot_unit WHERE kind = $1 AND doc_id = $2 AND uscc = $3", p, 3,
            cols, &u, err);
        if (st == CY_OK && u == NULL)
            return cy_error_set(err, CY_EINVAL, "unit_unknown", "item",
                                "item 应为本%s一个申报单位的统一社会信用代码 / item must be the "
                                "USCC of one of the %s's units",
                                pilot_kind(d->annex)->zh, pilot_kind(d->annex)->short_en);
        if (st == CY_OK)
            snprintf(label, cap, "%s", pf_str(u, "name"));
        json_decref(u);
        return st;
    }
    if (d->annex != 1)
        return cy_error_set(err, CY_EINVAL, "no_materials", "what",
                            "试点工作方案没有证明材料清单，只能上传盖章页扫描件 / a plan lists no "
                            "supporting documents: only seal scans are uploaded");
    char list[8] = "";
    size_t n = 0;
    int used = 0;
    json_t *line = NULL;
    if (sscanf(in->item, "%7[a-z].%zu%n", list, &n, &used) == 2 && in->item[used] == '\0' &&
        n >= 1 && (strcmp(list, "unit") == 0 || strcmp(list, "scheme") == 0))
        line = json_array_get(json_object_get(json_object_get(d->form, "materials"), list), n - 1);
    if (!json_is_string(line))
        return cy_error_set(err, CY_EINVAL, "material_unknown", "item",
                            "item 应为证明材料清单中的一项，如 unit.1 或 scheme.2 / item must be a "
                            "line of the supporting documents, such as unit.1 or scheme.2");
    snprintf(label, cap, "%s", json_string_value(line));
    return CY_OK;
}

/* Store the blob and the row for its item (replacing an earlier one); its id into *id. */
static cy_status_t
attach_store(store_conn_t *c, const actor_t *a, int64_t now, const pilot_doc_t *d,
             const pilot_attach_in_t *in, const char *label, const blob_upload_t *up, int64_t *id,
             cy_error_t *err)
{
    blob_t b;
    char ts[32];
    utc_format_iso(now, ts);
    const char *kind = pilot_kind(d->annex)->kind;
    store_param_t del[] = {STORE_P_TEXT(kind), STORE_P_INT(d->id), STORE_P_TEXT(in->what),
                           STORE_P_TEXT(in->item)};
    cy_status_t st = blob_put(c, a, now, up, &ATTACH_RULES, &b, err);
    if (st == CY_OK)
        st = store_exec(c,
                        "DELETE FROM pilot_attachment WHERE kind = $1 AND doc_id = $2 AND what = "
                        "$3 AND item = $4",
                        del, 4, NULL, err);
    store_param_t p[] = {STORE_P_TEXT(kind),      STORE_P_INT(d->id),  STORE_P_TEXT(in->what),
                         STORE_P_TEXT(in->item),  STORE_P_TEXT(label), STORE_P_INT(b.id),
                         STORE_P_INT(a->user_id), STORE_P_TEXT(ts)};
    if (st == CY_OK)
        st = store_insert_id(c,
                             "INSERT INTO pilot_attachment (kind, doc_id, what, item, label, "
                             "blob_id, user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                             "$8) RETURNING id",
                             p, 8, id, err);
    return st;
}

cy_status_t
app_attach_upload(app_t *app, const actor_t *a, int64_t now, const pilot_attach_in_t *in,
                  const blob_upload_t *up, json_t **out, cy_error_t *err)
{
    *out = NULL;
    if (in->what == NULL || (strcmp(in->what, "seal") != 0 && strcmp(in->what, "material") != 0))
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "what",
                            "what 应为 seal（盖章页扫描件）或 material（证明材料复印件） / what "
                            "must be seal (a scan of the sealed pages) or material (a copy of a "
                            "supporting document)");
    if (in->item == NULL || in->item[0] == '\0')
        return cy_error_set(err, CY_EBADREQ, "query_invalid", "item",
                            "缺少 item / item is required");
    pilot_doc_t d = {0};
    char label[1024];
    int64_t id = 0;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = pilot_doc_owned(app, c, a, in->plan ? &pilot_plan_kind : &pilot_scheme_kind, in->id, &d,
                         err);
    if (st == CY_OK)
        st = attach_label(c, &d, in, label, sizeof label, err);
    if (st == CY_OK)
        st = attach_store(c, a, now, &d, in, label, up, &id, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "attachment.upload", pilot_kind(d.annex)->kind, NULL, err,
                              "%s %" PRId64 " %s %s（%s）", pilot_kind(d.annex)->zh, d.id,
                              strcmp(in->what, "seal") == 0 ? "盖章页扫描件" : "证明材料复印件",
                              label, up->sha256);
    if (st == CY_OK)
        st = pilot_query_id(c, ATTACH_SELECT "WHERE a.id = $1", id, ATTACH_COLS, out, err);
    pilot_doc_free(&d);
    if (st != CY_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return store_tx_close(app->store, c, st, err);
}

cy_status_t
app_attach_open(app_t *app, const actor_t *a, int plan, int64_t id, int64_t attachment_id,
                blob_reader_t **out, cy_error_t *err)
{
    *out = NULL;
    pilot_doc_t d = {0};
    json_t *row = NULL;
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    const pilot_kind_t *k = plan ? &pilot_plan_kind : &pilot_scheme_kind;
    st = pilot_doc_load(app, c, a, k, id, &d, err);
    store_param_t p[] = {STORE_P_INT(attachment_id), STORE_P_TEXT(k->kind), STORE_P_INT(id)};
    if (st == CY_OK)
        st = pilot_query_one(c, ATTACH_SELECT "WHERE a.id = $1 AND a.kind = $2 AND a.doc_id = $3",
                             p, 3, ATTACH_COLS, &row, err);
    if (st == CY_OK && row == NULL)
        st = app_not_found(err, "附件", "attachment", attachment_id);
    int64_t blob_id = json_integer_value(json_object_get(row, "blob_id"));
    json_decref(row);
    pilot_doc_free(&d);
    st = store_tx_close(app->store, c, st, err);
    return st == CY_OK ? blob_open(app, blob_id, out, err) : st;
}
