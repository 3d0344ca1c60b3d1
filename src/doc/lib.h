/*
 * lib.h — the loaded templates (doc_lib_t of doc.h), shared by the files of
 * doc/ and by nothing outside it: lib.c loads, docx.c packages, form.c and
 * xlsx.c interpret (and check, at load, the templates they interpret); and
 * the two refusals every file of doc/ makes the same way.
 */
#ifndef CY_DOC_LIB_H
#define CY_DOC_LIB_H

#include <stddef.h>

#include <jansson.h>

#include "doc/doc.h"

typedef struct {
    char *name; /* the entry in the zip ("word/styles.xml") */
    unsigned char *data;
    size_t len;
} doc_part_t;

typedef struct {
    char *name;  /* the file's name without .json ("annex1") */
    json_t *tpl; /* the template */
} doc_named_t;

/* The page in twips (1/1440 inch), from package.json's millimetres. */
typedef struct {
    long width, height, top, bottom, left, right, header, footer;
    int title_page;
} doc_page_t;

struct doc_lib {
    char *fonts_conf;
    doc_part_t *parts;
    size_t n_parts;
    doc_page_t page;
    char *footer_rel;
    char *style_ids[DOC_STYLE_COUNT];
    char *table_style;
    doc_named_t *forms;
    size_t n_forms;
    doc_named_t *books;
    size_t n_books;
};

/* The template named name among n, or NULL (tpl.c). */
const json_t *doc_named_find(const doc_named_t *v, size_t n, const char *name);

/*
 * doc_tpl_fail refuses a template: CY_EINVAL doc_template, field path, the
 * message "FILE PATH：WHY" where why is "中文 / English" (tpl.c).
 */
cy_status_t doc_tpl_fail(cy_error_t *err, const char *file, const char *path, const char *why);

/*
 * Checks of a template at load, by the file that interprets it; file is how
 * a refusal (CY_EINVAL doc_template) names it ("annex1.json").
 */
cy_status_t doc_form_check(const json_t *tpl, const char *file, cy_error_t *err);
cy_status_t doc_book_check(const json_t *tpl, const char *file, cy_error_t *err);

#endif
