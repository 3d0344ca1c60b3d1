/*
 * lib.c — loading data/forms/ into a doc_lib_t (contract in doc.h): the DOCX
 * parts of docx/package.json, each parsed by libxml2 (so a broken part stops
 * the start-up, not an export) and re-serialised without its comments; the
 * page in twips; the style of each paragraph kind, checked against
 * styles.xml; the form and workbook templates, checked by form.c and xlsx.c.
 * Above form.c and xlsx.c (it calls their checks; they call it nothing: what
 * they share with it is tpl.c's). Depends on libxml2, jansson and POSIX
 * directory reading.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "doc/lib.h"

#define PART_MAX (4 << 20) /* bytes of one template file */

static cy_status_t
read_file(const char *path, unsigned char **data, size_t *len, cy_error_t *err)
{
    *data = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cy_error_set(err, CY_EIO, "doc_template_missing", NULL,
                            "无法读取模板文件 %s / cannot read the template file %s", path, path);
    unsigned char *buf = malloc(PART_MAX + 1);
    size_t n = buf ? fread(buf, 1, PART_MAX + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL)
        return cy_error_no_memory(err);
    if (bad || n > PART_MAX) {
        free(buf);
        return cy_error_set(
            err, CY_EIO, "doc_template_missing", NULL,
            "模板文件 %s 读取失败或超过 4 MiB / the template file %s cannot be read "
            "or is over 4 MiB",
            path, path);
    }
    *data = buf;
    *len = n;
    return CY_OK;
}

/* Loads a JSON template: an object with "source" and "version" like every data/ file. */
static cy_status_t
load_json(const char *path, const char *file, json_t **out, cy_error_t *err)
{
    json_error_t je;
    *out = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (*out == NULL && access(path, R_OK) != 0)
        return cy_error_set(err, CY_EIO, "doc_template_missing", NULL,
                            "无法读取模板文件 %s / cannot read the template file %s", path, path);
    if (*out == NULL)
        return cy_error_set(err, CY_EINVAL, "doc_template", NULL,
                            "%s 第 %d 行第 %d 列：JSON 无效（%s） / %s line %d column %d: bad JSON "
                            "(%s)",
                            file, je.line, je.column, je.text, file, je.line, je.column, je.text);
    const char *keys[] = {"source", "version"};
    for (int i = 0; i < 2; i++) {
        const char *v = json_string_value(json_object_get(*out, keys[i]));
        if (v == NULL || v[0] == '\0') {
            json_decref(*out);
            *out = NULL;
            return doc_tpl_fail(err, file, keys[i],
                                "每个数据文件须注明来源和版本 / every data file states its source "
                                "and version");
        }
    }
    return CY_OK;
}

/* Unlinks and frees every comment under (and including the siblings of) n. */
static void
drop_comments(xmlNodePtr n)
{
    while (n != NULL) {
        xmlNodePtr next = n->next;
        if (n->type == XML_COMMENT_NODE) {
            xmlUnlinkNode(n);
            xmlFreeNode(n);
        } else if (n->children != NULL) {
            drop_comments(n->children);
        }
        n = next;
    }
}

/* 1 when some element named local under n has attribute attr (namespaced or not) equal to val. */
static int
has_attr(xmlNodePtr n, const char *local, const char *attr, const char *val)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, local) == 0) {
            for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                int hit = strcmp((const char *)a->name, attr) == 0 && v != NULL &&
                          strcmp((const char *)v, val) == 0;
                xmlFree(v);
                if (hit)
                    return 1;
            }
        }
        if (has_attr(n->children, local, attr, val))
            return 1;
    }
    return 0;
}

/* Reads docx/NAME, checks it is XML, drops its comments; *keep gets the tree when not NULL. */
static cy_status_t
load_part(const char *dir, const char *name, doc_part_t *part, xmlDocPtr *keep, cy_error_t *err)
{
    char path[1024], file[300];
    snprintf(path, sizeof path, "%s/docx/%s", dir, name);
    snprintf(file, sizeof file, "docx/%s", name);
    unsigned char *raw;
    size_t len = 0;
    cy_status_t st = read_file(path, &raw, &len, err);
    if (st != CY_OK)
        return st;
    xmlDocPtr x = xmlReadMemory((const char *)raw, (int)len, file, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(raw);
    if (x == NULL) {
        const xmlError *e = xmlGetLastError();
        char why[400];
        snprintf(why, sizeof why, "XML 无效（第 %d 行：%s） / not well-formed XML (line %d: %s)",
                 e ? e->line : 0, e && e->message ? e->message : "", e ? e->line : 0,
                 e && e->message ? e->message : "");
        return doc_tpl_fail(err, file, "", why);
    }
    drop_comments(x->children);
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(x, &mem, &size, "UTF-8");
    part->name = strdup(name);
    part->data = mem ? malloc((size_t)size) : NULL;
    if (part->data != NULL)
        memcpy(part->data, mem, (size_t)size);
    part->len = (size_t)size;
    xmlFree(mem);
    if (keep != NULL && part->name != NULL && part->data != NULL)
        *keep = x;
    else
        xmlFreeDoc(x);
    if (part->name == NULL || part->data == NULL)
        return cy_error_no_memory(err);
    return CY_OK;
}

/* package.json "page": millimetres to twips (1 mm = 1440 / 25.4 twips, rounded). */
static cy_status_t
load_page(const json_t *pkg, doc_page_t *pg, cy_error_t *err)
{
    static const char *const keys[] = {"width_mm", "height_mm", "top_mm",    "bottom_mm",
                                       "left_mm",  "right_mm",  "header_mm", "footer_mm"};
    long *dst[] = {&pg->width, &pg->height, &pg->top,    &pg->bottom,
                   &pg->left,  &pg->right,  &pg->header, &pg->footer};
    const json_t *page = json_object_get(pkg, "page");
    for (int i = 0; i < 8; i++) {
        const json_t *v = json_object_get(page, keys[i]);
        double mm = json_number_value(v);
        char path[40];
        snprintf(path, sizeof path, "page.%s", keys[i]);
        if (!json_is_number(v) || mm < 0 || mm > 1000 || (i < 2 && mm < 50))
            return doc_tpl_fail(err, "docx/package.json", path,
                                "应为 0–1000 之间的毫米数（纸张至少 50） / must be millimetres in "
                                "0–1000 (a sheet at least 50)");
        *dst[i] = lround(mm * 1440.0 / 25.4);
    }
    if (pg->left + pg->right >= pg->width || pg->top + pg->bottom >= pg->height)
        return doc_tpl_fail(err, "docx/package.json", "page",
                            "页边距大于纸张 / the margins leave no text area");
    pg->title_page = json_is_true(json_object_get(page, "title_page"));
    return CY_OK;
}

/* package.json "styles" and "footer", checked against styles.xml and document.xml.rels. */
static cy_status_t
load_styles(doc_lib_t *lib, const json_t *pkg, xmlDocPtr styles, xmlDocPtr rels, cy_error_t *err)
{
    const char *F = "docx/package.json";
    const json_t *map = json_object_get(pkg, "styles");
    for (int i = 0; i <= DOC_STYLE_COUNT; i++) {
        const char *kind = i < DOC_STYLE_COUNT ? doc_style_name((doc_style_t)i) : "table";
        const char *id = json_string_value(json_object_get(map, kind));
        char path[64], why[300];
        snprintf(path, sizeof path, "styles.%s", kind);
        if (id == NULL || styles == NULL ||
            !has_attr(xmlDocGetRootElement(styles), "style", "styleId", id)) {
            snprintf(why, sizeof why,
                     "应为 word/styles.xml 中的样式 ID / must be a styleId of word/styles.xml (%s)",
                     id ? id : "missing");
            return doc_tpl_fail(err, F, path, why);
        }
        char *copy = strdup(id);
        if (copy == NULL)
            return cy_error_no_memory(err);
        if (i < DOC_STYLE_COUNT)
            lib->style_ids[i] = copy;
        else
            lib->table_style = copy;
    }
    const char *footer = json_string_value(json_object_get(pkg, "footer"));
    if (footer == NULL || rels == NULL ||
        !has_attr(xmlDocGetRootElement(rels), "Relationship", "Id", footer))
        return doc_tpl_fail(err, F, "footer",
                            "应为 word/_rels/document.xml.rels 中的关系 ID / must be a "
                            "relationship Id of word/_rels/document.xml.rels");
    lib->footer_rel = strdup(footer);
    return lib->footer_rel ? CY_OK : cy_error_no_memory(err);
}

static cy_status_t
load_package(doc_lib_t *lib, const char *dir, cy_error_t *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/docx/package.json", dir);
    json_t *pkg;
    cy_status_t st = load_json(path, "docx/package.json", &pkg, err);
    if (st != CY_OK)
        return st;
    const json_t *parts = json_object_get(pkg, "parts");
    xmlDocPtr styles = NULL, rels = NULL;
    size_t n = json_array_size(parts);
    lib->parts = calloc(n ? n : 1, sizeof *lib->parts);
    if (lib->parts == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; st == CY_OK && i < n; i++) {
        const char *name = json_string_value(json_array_get(parts, i));
        if (name == NULL || name[0] == '\0' || name[0] == '/' || strstr(name, "..") ||
            strcmp(name, "word/document.xml") == 0) {
            st = doc_tpl_fail(err, "docx/package.json", "parts",
                              "应为本目录下的文件（不含 word/document.xml） / must name files of "
                              "this folder (not word/document.xml)");
            break;
        }
        xmlDocPtr *keep = strcmp(name, "word/styles.xml") == 0                ? &styles
                          : strcmp(name, "word/_rels/document.xml.rels") == 0 ? &rels
                                                                              : NULL;
        st = load_part(dir, name, &lib->parts[i], keep, err);
        lib->n_parts = i + 1;
    }
    if (st == CY_OK)
        st = load_page(pkg, &lib->page, err);
    if (st == CY_OK)
        st = load_styles(lib, pkg, styles, rels, err);
    xmlFreeDoc(styles);
    xmlFreeDoc(rels);
    json_decref(pkg);
    return st;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names (without .json) of the *.json files of dir, sorted; *n of them. */
static cy_status_t
list_json(const char *dir, char ***out, size_t *n, cy_error_t *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (d == NULL)
        return cy_error_set(err, CY_EIO, "doc_template_missing", NULL,
                            "无法读取模板目录 %s / cannot read the template folder %s", dir, dir);
    size_t cap = 0;
    cy_status_t st = CY_OK;
    for (struct dirent *e; st == CY_OK && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **v = realloc(*out, cap * sizeof *v);
            if (v == NULL) {
                st = cy_error_no_memory(err);
                break;
            }
            *out = v;
        }
        if (((*out)[*n] = strndup(e->d_name, len - 5)) == NULL)
            st = cy_error_no_memory(err);
        else
            (*n)++;
    }
    closedir(d);
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_str);
    return st;
}

typedef cy_status_t (*tpl_check_t)(const json_t *, const char *, cy_error_t *);

/* Loads and checks every dir/sub/NAME.json ("" sub: dir itself) into *v. */
static cy_status_t
load_templates(const char *dir, const char *sub, tpl_check_t check, doc_named_t **v, size_t *nv,
               cy_error_t *err)
{
    char folder[1024];
    snprintf(folder, sizeof folder, "%s%s%s", dir, sub[0] ? "/" : "", sub);
    char **names;
    size_t n;
    cy_status_t st = list_json(folder, &names, &n, err);
    *v = st == CY_OK ? calloc(n ? n : 1, sizeof **v) : NULL;
    if (st == CY_OK && *v == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; i < n; i++) {
        if (st == CY_OK) {
            char path[1300], file[300];
            snprintf(path, sizeof path, "%s/%s.json", folder, names[i]);
            snprintf(file, sizeof file, "%s%s%s.json", sub, sub[0] ? "/" : "", names[i]);
            json_t *tpl = NULL;
            st = load_json(path, file, &tpl, err);
            if (st == CY_OK)
                st = check(tpl, file, err);
            (*v)[i].name = names[i];
            (*v)[i].tpl = tpl;
            *nv = i + 1;
            names[i] = NULL;
        }
        free(names[i]);
    }
    free(names);
    return st;
}

cy_status_t
doc_lib_load(const char *dir, doc_lib_t **out, cy_error_t *err)
{
    *out = NULL;
    xmlInitParser(); /* once, before threads use libxml2 (idempotent) */
    doc_lib_t *lib = calloc(1, sizeof *lib);
    if (lib == NULL)
        return cy_error_no_memory(err);
    cy_status_t st = load_package(lib, dir, err);
    if (st == CY_OK)
        st = load_templates(dir, "", doc_form_check, &lib->forms, &lib->n_forms, err);
    if (st == CY_OK)
        st = load_templates(dir, "xlsx", doc_book_check, &lib->books, &lib->n_books, err);
    if (st == CY_OK) {
        char path[1024];
        snprintf(path, sizeof path, "%s/fonts.conf", dir);
        if (access(path, R_OK) != 0)
            st = cy_error_set(err, CY_EIO, "doc_template_missing", NULL,
                              "无法读取 %s / cannot read %s", path, path);
        else if ((lib->fonts_conf = strdup(path)) == NULL)
            st = cy_error_no_memory(err);
    }
    if (st != CY_OK)
        doc_lib_free(lib);
    else
        *out = lib;
    return st;
}

static void
named_free(doc_named_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        json_decref(v[i].tpl);
    }
    free(v);
}

void
doc_lib_free(doc_lib_t *lib)
{
    if (lib == NULL)
        return;
    for (size_t i = 0; i < lib->n_parts; i++) {
        free(lib->parts[i].name);
        free(lib->parts[i].data);
    }
    free(lib->parts);
    for (int i = 0; i < DOC_STYLE_COUNT; i++)
        free(lib->style_ids[i]);
    free(lib->table_style);
    free(lib->footer_rel);
    free(lib->fonts_conf);
    named_free(lib->forms, lib->n_forms);
    named_free(lib->books, lib->n_books);
    free(lib);
}

const char *
doc_lib_fonts_conf(const doc_lib_t *lib)
{
    return lib->fonts_conf;
}

int
doc_lib_has_form(const doc_lib_t *lib, const char *name)
{
    return doc_named_find(lib->forms, lib->n_forms, name) != NULL;
}

int
doc_lib_has_workbook(const doc_lib_t *lib, const char *name)
{
    return doc_named_find(lib->books, lib->n_books, name) != NULL;
}
