/*
 * doctest.h — what the document tests share (tests/unit/test_doc.c and
 * tests/doc/test_doc_office.c): the shipped templates, the fixtures of
 * tests/data/doc/, reading an entry of a zip with libzip, parsing it with
 * libxml2 (a parse error fails the test), the text of a DOCX and XPath
 * questions about its parts. Functions are static inline so that each test
 * takes only what it uses. Depends on cmocka, doc/doc.h, jansson, libxml2,
 * libzip; reads CY_SOURCE_DIR.
 */
#ifndef CY_TESTS_DOCTEST_H
#define CY_TESTS_DOCTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "doc/doc.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define DT_FORMS CY_SOURCE_DIR "/data/forms"
#define DT_W_NS  "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DT_X_NS  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static inline doc_lib_t *
dt_lib(void)
{
    doc_lib_t *lib = NULL;
    cy_error_t err;
    cy_status_t st = doc_lib_load(DT_FORMS, &lib, &err);
    if (st != CY_OK)
        fail_msg("doc_lib_load: %s", err.message);
    return lib;
}

static inline json_t *
dt_json(const char *path)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL)
        fail_msg("%s: %s (line %d)", path, je.text, je.line);
    return j;
}

/* tests/data/doc/NAME.json */
static inline json_t *
dt_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/doc/%s.json", CY_SOURCE_DIR, name);
    return dt_json(path);
}

/* The code lists of the shipped data/pilot.json (target_industries, product_classes). */
static inline json_t *
dt_refs(void)
{
    return dt_json(CY_SOURCE_DIR "/data/pilot.json");
}

/* The bytes of entry in the zip at path, NUL-terminated (the caller frees); NULL when absent. */
static inline char *
dt_unzip(const char *path, const char *entry, size_t *len)
{
    int e = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    if (z == NULL)
        fail_msg("%s is not a zip (libzip error %d)", path, e);
    zip_stat_t zs;
    char *buf = NULL;
    if (zip_stat(z, entry, 0, &zs) == 0) {
        zip_file_t *f = zip_fopen(z, entry, 0);
        assert_non_null(f);
        buf = malloc(zs.size + 1);
        assert_non_null(buf);
        assert_int_equal(zip_fread(f, buf, zs.size), (zip_int64_t)zs.size);
        buf[zs.size] = '\0';
        zip_fclose(f);
        if (len != NULL)
            *len = zs.size;
    }
    zip_close(z);
    return buf;
}

/* Parses XML; any error or warning of libxml2 fails the test. */
static inline xmlDocPtr
dt_xml(const char *buf, size_t len, const char *what)
{
    xmlResetLastError();
    xmlDocPtr x = xmlReadMemory(buf, (int)len, what, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    const xmlError *e = xmlGetLastError();
    if (x == NULL || e != NULL)
        fail_msg("%s is not well-formed XML: %s", what, e && e->message ? e->message : "?");
    return x;
}

/* The zip entry parsed (it must exist). */
static inline xmlDocPtr
dt_part(const char *docx, const char *entry)
{
    size_t len = 0;
    char *buf = dt_unzip(docx, entry, &len);
    if (buf == NULL)
        fail_msg("%s has no %s", docx, entry);
    xmlDocPtr x = dt_xml(buf, len, entry);
    free(buf);
    return x;
}

/*
 * The string value of XPath expr in x, malloc'd; "" when nothing matches.
 * Prefixes: w (WordprocessingML), x (SpreadsheetML).
 */
static inline char *
dt_xpath(xmlDocPtr x, const char *expr)
{
    xmlXPathContextPtr c = xmlXPathNewContext(x);
    xmlXPathRegisterNs(c, BAD_CAST "w", BAD_CAST DT_W_NS);
    xmlXPathRegisterNs(c, BAD_CAST "x", BAD_CAST DT_X_NS);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    if (o == NULL)
        fail_msg("bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(o);
    char *out = strdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(c);
    return out;
}

static inline void
dt_assert_xpath(xmlDocPtr x, const char *expr, const char *want)
{
    char *got = dt_xpath(x, expr);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", expr, got, want);
    free(got);
}

static inline void
dt_text_walk(xmlNodePtr n, FILE *out)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (strcmp(name, "t") == 0) {
            xmlChar *s = xmlNodeGetContent(n);
            fputs((const char *)s, out);
            xmlFree(s);
        } else if (strcmp(name, "tab") == 0) {
            fputc('\t', out);
        } else {
            dt_text_walk(n->children, out);
        }
        if (strcmp(name, "p") == 0)
            fputc('\n', out);
    }
}

/* The text of word/document.xml: one line per paragraph (table cells included). */
static inline char *
dt_docx_text(const char *docx)
{
    xmlDocPtr x = dt_part(docx, "word/document.xml");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    dt_text_walk(xmlDocGetRootElement(x), out);
    fclose(out);
    xmlFreeDoc(x);
    return text;
}

/* How many times needle occurs in hay. */
static inline int
dt_count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static inline void
dt_assert_has(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("the document lacks \"%s\"", needle);
}

/*
 * s without whitespace and hyphens, malloc'd: pdftotext breaks lines where
 * the page does and drops the hyphen of a line that ends in one
 * ("020-" / "88888888" reads "02088888888").
 */
static inline char *
dt_squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\f' && *s != '\r' && *s != '-')
            *o++ = *s;
    *o = '\0';
    return out;
}

/*
 * Every string in v (each line of it), except under the keys of skip (codes
 * the form shows by their names), appears in text; squeezed: text has no
 * whitespace (dt_squeeze), so neither must the line.
 */
static inline void
dt_assert_leaves(const json_t *v, const char *text, const char *const *skip, int squeezed)
{
    if (json_is_string(v)) {
        char *copy = strdup(json_string_value(v));
        for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
            char *want = squeezed ? dt_squeeze(line) : strdup(line);
            dt_assert_has(text, want);
            free(want);
        }
        free(copy);
        return;
    }
    size_t i;
    const char *key;
    json_t *e;
    if (json_is_array(v))
        json_array_foreach((json_t *)v, i, e) dt_assert_leaves(e, text, skip, squeezed);
    if (json_is_object(v))
        json_object_foreach((json_t *)v, key, e)
        {
            int skipped = 0;
            for (const char *const *s = skip; *s && !skipped; s++)
                skipped = strcmp(*s, key) == 0;
            if (!skipped)
                dt_assert_leaves(e, text, skip, squeezed);
        }
}

/* Renders form from fixture into a DOCX at path. */
static inline void
dt_render(const doc_lib_t *lib, const char *form, const json_t *data, const json_t *refs,
          const char *path)
{
    doc_t *d = doc_new();
    cy_error_t err;
    assert_non_null(d);
    if (doc_form_render(lib, form, data, refs, d, &err) != CY_OK ||
        doc_docx_write(lib, d, path, &err) != CY_OK)
        fail_msg("%s: %s", form, err.message);
    doc_free(d);
}

/* Codes the forms print by their names (the tests check those one by one). */
static const char *const DT_CODES[] = {"direction", "industry", "product", "nature",
                                       "kind",      "annex",    "level",   NULL};

/*
 * What a document test holds for its run (the cmocka group's setup and
 * teardown): the templates, the code lists and a fresh folder under /tmp,
 * removed with all it holds at the end. LIB, REFS, TMP name them.
 */
static struct {
    doc_lib_t *lib;
    json_t *refs;
    char tmp[64];
} DT;
#define LIB  (DT.lib)
#define REFS (DT.refs)
#define TMP  (DT.tmp)

static inline int
dt_setup(void **state)
{
    (void)state;
    DT.lib = dt_lib();
    DT.refs = dt_refs();
    snprintf(DT.tmp, sizeof DT.tmp, "/tmp/cyberins-doc-XXXXXX");
    return mkdtemp(DT.tmp) == NULL;
}

static inline int
dt_teardown(void **state)
{
    (void)state;
    doc_lib_free(DT.lib);
    json_decref(DT.refs);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DT.tmp);
    return system(cmd) != 0;
}

/* All that can be read from f, NUL-terminated (the caller frees). */
static inline char *
dt_read_all(FILE *f)
{
    char *text = NULL, buf[4096];
    size_t len = 0, n;
    FILE *mem = open_memstream(&text, &len);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, mem);
    fclose(mem);
    return text;
}

/* The forms with their fixtures: each is rendered, checked and converted. */
static const struct {
    const char *form, *fixture;
} DT_FORMS_ALL[] = {{"annex1", "scheme"}, {"annex2", "plan2"},          {"annex3", "plan3"},
                    {"annex4", "plan4"},  {"package_cover", "package"}, {"catalogue", "catalogue"},
                    {"report", "report"}, {"summary", "summary"}};
#define DT_N_FORMS (sizeof DT_FORMS_ALL / sizeof DT_FORMS_ALL[0])

#endif
