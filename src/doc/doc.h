/*
 * doc.h — documents from records: DOCX, XLSX and PDF (ARCHITECTURE.md doc/).
 *
 * Four parts, one door:
 *   - the library of templates (doc_lib_load): data/forms/ — the DOCX parts
 *     (styles, fonts, footer, page geometry), one JSON template per form
 *     (Annex 1–4, package, catalogue, progress report, annual summary) and
 *     one per workbook (data/forms/xlsx/). Loaded and checked once at start-up.
 *   - a small document model (doc_t: styled paragraphs, tables with repeated
 *     header rows and merged cells, page breaks) that a form template fills
 *     from a record's JSON (doc_form_render) or a caller builds by hand, and
 *     its DOCX writer (doc_docx_write): libxml2's text writer, zipped with
 *     libzip with fixed timestamps, so the same record gives the same bytes.
 *   - workbooks (doc_xlsx_write, doc_xlsx_render) with libxlsxwriter: Chinese
 *     headers, a frozen header row, column widths, money in 元 with two
 *     decimals from int64 fen, dates in Beijing time.
 *   - conversion through LibreOffice headless (doc_convert, doc_pdf_convert)
 *     with a timeout that never hangs and a clear error when LibreOffice is
 *     missing, fails or times out.
 *
 * Depends on core/ (money, bjtime, utf8, error), jansson, libxml2, libzip,
 * libxlsxwriter and POSIX; never on store/, app/, http/ or cli/. It reads
 * neither the clock nor the environment: whatever varies (the soffice
 * program, a work directory, the timeout) is passed in.
 */
#ifndef CY_DOC_DOC_H
#define CY_DOC_DOC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/error.h"

/* ---- the library of templates ------------------------------------------- */

typedef struct doc_lib doc_lib_t;

/*
 * doc_lib_load reads the templates under dir (data/forms): docx/package.json
 * and the parts it lists (each must be well-formed XML; comments are dropped
 * when they are packaged), every form dir/NAME.json and every workbook
 * dir/xlsx/NAME.json, and checks them: each block and row shape, each
 * placeholder and filter, each map a filter names, each style a form uses,
 * each row's cells spanning exactly the table's columns. A refusal
 * (CY_EINVAL, code doc_template) names the file and the path in it; a missing
 * file is CY_EIO. *out is the caller's, freed with doc_lib_free. Call it at
 * start-up, before threads: it initialises libxml2. A loaded library is
 * only read afterwards, so threads may share it.
 */
cy_status_t doc_lib_load(const char *dir, doc_lib_t **out, cy_error_t *err);
void doc_lib_free(doc_lib_t *lib);

/* The path of dir/fonts.conf (the fontconfig aliases for LibreOffice), owned by lib. */
const char *doc_lib_fonts_conf(const doc_lib_t *lib);

/* 1 when lib holds a form (a DOCX template) or a workbook of that name. */
int doc_lib_has_form(const doc_lib_t *lib, const char *name);
int doc_lib_has_workbook(const doc_lib_t *lib, const char *name);

/* ---- the document model -------------------------------------------------- */

/* The kinds of paragraph; each is a style of word/styles.xml (package.json "styles"). */
typedef enum {
    DOC_BODY,  /* 正文: 仿宋_GB2312 四号, 1.5 lines, justified, first line indented 2 字 */
    DOC_H1,    /* 一级标题: 黑体 三号 */
    DOC_H2,    /* 二级标题: 楷体_GB2312 四号 bold */
    DOC_H3,    /* 三级标题: 仿宋_GB2312 四号 bold */
    DOC_TITLE, /* a document's title: 黑体 二号, centred */
    DOC_SUBTITLE,     /* under the title: 楷体_GB2312 三号, centred */
    DOC_ANNEX,        /* "附件1": 黑体 三号, top left */
    DOC_COVER_FIELD,  /* "方案名称：…" on a cover page: 三号 */
    DOC_COVER_FOOTER, /* "工业和信息化部 编制": 三号, centred */
    DOC_CENTER,       /* body text centred, not indented */
    DOC_SIGN,         /* signature lines: right-aligned */
    DOC_NOTE,         /* a note: 小四 */
    DOC_CAPTION,      /* a table's caption ("表1 服务机构基本情况"): 黑体, centred */
    DOC_TABLE_TEXT,   /* a table cell: 小四, single spaced, left */
    DOC_TABLE_LABEL,  /* a table cell naming a field: centred */
    DOC_TABLE_HEAD,   /* a table's header cell: bold, centred */
    DOC_STYLE_COUNT
} doc_style_t;

/* The template name of a style ("body", "h1", …) and back (1 found, 0 not). */
const char *doc_style_name(doc_style_t style);
int doc_style_parse(const char *name, doc_style_t *out);

typedef enum { DOC_MERGE_NONE, DOC_MERGE_RESTART, DOC_MERGE_CONTINUE } doc_merge_t;

typedef struct {
    char *text; /* paragraphs separated by '\n' */
    doc_style_t style;
    unsigned span;     /* columns of the grid it covers, ≥ 1 */
    doc_merge_t merge; /* vertical merge with the cells above and below */
} doc_cell_t;

typedef struct {
    doc_cell_t *cells;
    size_t n, cap;
    int header; /* repeated at the top of each page; only leading rows may be */
} doc_row_t;

typedef struct {
    unsigned *widths; /* relative column widths, scaled to the text width */
    size_t n_cols;
    doc_row_t *rows;
    size_t n, cap;
} doc_table_t;

typedef enum { DOC_BLOCK_PAR, DOC_BLOCK_TABLE, DOC_BLOCK_PAGE_BREAK } doc_block_kind_t;

typedef struct {
    doc_block_kind_t kind;
    doc_style_t style; /* DOC_BLOCK_PAR */
    char *text;        /* DOC_BLOCK_PAR: one paragraph, no '\n' ("" an empty one) */
    doc_table_t *table;
} doc_block_t;

typedef struct {
    doc_block_t *blocks;
    size_t n, cap;
} doc_t;

/* doc_new returns an empty document (NULL when out of memory); doc_free frees it and all it holds.
 */
doc_t *doc_new(void);
void doc_free(doc_t *d);

/*
 * doc_add_par appends text as paragraphs of style: one per line ('\n'); empty
 * lines are dropped, '\r' is dropped, a tab stays a tab, other control
 * characters become spaces (XML cannot hold them). text must be UTF-8:
 * otherwise CY_EINVAL doc_text_utf8. Nothing is appended on a refusal.
 */
cy_status_t doc_add_par(doc_t *d, doc_style_t style, const char *text, cy_error_t *err);

/* doc_add_page_break starts a new page. */
cy_status_t doc_add_page_break(doc_t *d, cy_error_t *err);

/* doc_add_space appends n empty body paragraphs (vertical space on a cover page). */
cy_status_t doc_add_space(doc_t *d, unsigned n, cy_error_t *err);

/*
 * doc_add_table appends a table of n_cols columns with relative widths
 * (each > 0) and sets *out to it (owned by d) for doc_table_add_row.
 */
cy_status_t doc_add_table(doc_t *d, const unsigned *widths, size_t n_cols, doc_table_t **out,
                          cy_error_t *err);

/* doc_table_add_row appends a row (header: repeated on each page) and sets *out (owned by t). */
cy_status_t doc_table_add_row(doc_table_t *t, int header, doc_row_t **out, cy_error_t *err);

/*
 * doc_row_add_cell appends a cell covering span columns (0 counts as 1), with
 * the text rules of doc_add_par. A row's spans must add up to the table's
 * columns; doc_docx_write refuses a table where they do not.
 */
cy_status_t doc_row_add_cell(doc_row_t *r, doc_style_t style, const char *text, unsigned span,
                             doc_merge_t merge, cy_error_t *err);

/* ---- forms: a record's JSON through a template into the model ------------ */

/*
 * doc_form_render appends the form `name` (data/forms/NAME.json) filled from
 * data to d; call it several times to put several forms in one document (a
 * package's cover list, then its plans). data is the record as the caller
 * resolved it (docs/documents.md lists each form's fields); refs holds the
 * lists that name codes (data/pilot.json as parsed: target_industries,
 * product_classes) for the template's label filter, or NULL. A missing field
 * prints empty, as on a blank paper form. Refusals: CY_ENOTFOUND doc_form
 * (no such form), CY_EINVAL doc_text_utf8 (a value that is not UTF-8),
 * CY_ENOMEM. On a refusal d may hold part of the form: free it.
 */
cy_status_t doc_form_render(const doc_lib_t *lib, const char *name, const json_t *data,
                            const json_t *refs, doc_t *d, cy_error_t *err);

/* ---- DOCX ---------------------------------------------------------------- */

/*
 * doc_docx_write writes d as a DOCX at path (replacing it; libzip writes a
 * temporary file and renames it, so a reader never sees half a file): the
 * library's parts, then word/document.xml with the page of package.json.
 * Entries carry a fixed time (1980-01-01), so equal documents give equal
 * bytes. Refusals: CY_EINVAL doc_table (a row whose spans do not fill the
 * table, a header row after a body row), CY_EIO (the file), CY_ENOMEM.
 */
cy_status_t doc_docx_write(const doc_lib_t *lib, const doc_t *d, const char *path, cy_error_t *err);

/* ---- XLSX ---------------------------------------------------------------- */

typedef enum {
    DOC_COL_TEXT,     /* value: a template text ("{name}（{type}）") */
    DOC_COL_INT,      /* value: a path to an integer */
    DOC_COL_MONEY,    /* value: a path to int64 fen, shown in 元 with two decimals */
    DOC_COL_DATE,     /* value: a path to "YYYY-MM-DD" or an ISO 8601 instant: the Beijing date */
    DOC_COL_DATETIME, /* value: a path to an ISO 8601 instant: Beijing date and time */
    DOC_COL_INDEX     /* 1, 2, 3 … (value unused) */
} doc_col_kind_t;

typedef struct {
    const char *header; /* Chinese header ("单价保费（元）") */
    double width;       /* in characters, as Excel counts them */
    doc_col_kind_t kind;
    const char *value;
} doc_col_t;

typedef struct {
    const char *name; /* the sheet's tab (at most 31 characters, none of []:*?/\) */
    const doc_col_t *cols;
    size_t n_cols;
    const json_t *rows; /* an array of objects; each column reads its value from one */
    const json_t *maps; /* maps for the map filter of text columns, or NULL */
} doc_sheet_t;

/*
 * doc_xlsx_write writes the sheets to path as XLSX: row 1 the headers (bold,
 * frozen, with an autofilter), then one row per element of rows. A value
 * that is missing or of the wrong type leaves its cell empty. refs as in
 * doc_form_render. Refusals: CY_EINVAL doc_sheet (a bad sheet name, no
 * columns), doc_text_utf8; CY_EIO (the file).
 */
cy_status_t doc_xlsx_write(const doc_sheet_t *sheets, size_t n_sheets, const json_t *refs,
                           const char *path, cy_error_t *err);

/*
 * doc_xlsx_render writes the workbook `name` (data/forms/xlsx/NAME.json) from
 * data: each sheet's rows are the array at its "rows" path in data.
 */
cy_status_t doc_xlsx_render(const doc_lib_t *lib, const char *name, const json_t *data,
                            const json_t *refs, const char *path, cy_error_t *err);

/* ---- conversion through LibreOffice -------------------------------------- */

typedef struct {
    const char *soffice;     /* the program: a path, or a name looked up in PATH ("soffice") */
    const char *fonts_conf;  /* fontconfig file for the fonts (doc_lib_fonts_conf), or NULL */
    const char *work_dir;    /* where a fresh LibreOffice profile is made and removed ("/tmp") */
    const char *profile_dir; /* or an existing profile to reuse (one call at a time) */
    int timeout_ms;          /* the whole call; 0 means 120 000 */
} doc_convert_opts_t;

/*
 * doc_convert runs one `soffice --headless --convert-to FORMAT --outdir
 * out_dir inputs…` for n inputs and checks that each gave
 * out_dir/STEM.EXT (EXT: FORMAT up to its first ':'), non-empty (an old one
 * is removed first) — or, as LibreOffice names the CSV of each sheet when
 * the filter options pick a sheet or all of them (-1), STEM-SHEET.EXT files
 * written during the call. LibreOffice gets a profile of its own (parallel
 * calls do not meet; profile_dir reuses one — measured, it saves little),
 * HOME and TMPDIR inside it, LANG=C.UTF-8 and FONTCONFIG_FILE; it runs in
 * its own process group, which is killed when the time is up. Refusals:
 * CY_EINVAL office_input (no input, two inputs of one stem, a work path
 * with characters a file URL would need to escape); CY_EIO office_missing
 * (no such program: install libreoffice-writer-nogui), office_timeout,
 * office_failed (an exit status or a missing output, with the end of
 * LibreOffice's own message). On a refusal no STEM.EXT is left.
 */
cy_status_t doc_convert(const doc_convert_opts_t *o, const char *format, const char *const *inputs,
                        size_t n, const char *out_dir, cy_error_t *err);

/* doc_pdf_convert is doc_convert to "pdf": a DOCX becomes the PDF of the same pages. */
cy_status_t doc_pdf_convert(const doc_convert_opts_t *o, const char *const *inputs, size_t n,
                            const char *out_dir, cy_error_t *err);

#endif
