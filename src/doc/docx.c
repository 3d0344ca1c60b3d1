/*
 * docx.c — the model as a DOCX (contract in doc.h): word/document.xml written
 * with libxml2's text writer (it escapes; we never do), next to the parts of
 * the library, in a zip written by libzip with every entry dated 1980-01-01
 * 00:00 (DOS time 0), so equal documents give equal bytes and a content hash
 * can key the PDF cache. Tables span the text width (page width less the
 * margins), their columns in proportion to the widths the model gives.
 * Depends on doc/lib.h, libxml2 and libzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "doc/lib.h"

#define W_NS                "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS                "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define DOS_DATE_1980_01_01 ((1 << 5) | 1) /* year 0 (1980), month 1, day 1 */

typedef struct {
    xmlTextWriterPtr w;
    int bad; /* a writer call failed */
} xw_t;

static void
start(xw_t *x, const char *name)
{
    x->bad |= xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

static void
end(xw_t *x)
{
    x->bad |= xmlTextWriterEndElement(x->w) < 0;
}

static void
attr(xw_t *x, const char *name, const char *value)
{
    x->bad |= xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0;
}

static void
attr_long(xw_t *x, const char *name, long value)
{
    char num[32];
    snprintf(num, sizeof num, "%ld", value);
    attr(x, name, num);
}

/* <NAME w:val="VALUE"/> */
static void
val_elem(xw_t *x, const char *name, const char *value)
{
    start(x, name);
    attr(x, "w:val", value);
    end(x);
}

/* Runs of text: a tab is a <w:tab/>, the rest <w:t xml:space="preserve">. */
static void
runs(xw_t *x, const char *text)
{
    start(x, "w:r");
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\t");
        if (n > 0) {
            start(x, "w:t");
            attr(x, "xml:space", "preserve");
            char *piece = strndup(p, n);
            x->bad |= piece == NULL || xmlTextWriterWriteString(x->w, BAD_CAST piece) < 0;
            free(piece);
            end(x);
        }
        p += n;
        if (*p == '\t') {
            start(x, "w:tab");
            end(x);
            p++;
        }
    }
    end(x);
}

static void
par(xw_t *x, const doc_lib_t *lib, doc_style_t style, const char *text)
{
    start(x, "w:p");
    start(x, "w:pPr");
    val_elem(x, "w:pStyle", lib->style_ids[style]);
    end(x);
    if (text[0] != '\0')
        runs(x, text);
    end(x);
}

static void
page_break(xw_t *x)
{
    start(x, "w:p");
    start(x, "w:r");
    start(x, "w:br");
    attr(x, "w:type", "page");
    end(x);
    end(x);
    end(x);
}

/* Column widths in twips: proportional to t->widths, adding up to exactly total. */
static void
grid(const doc_table_t *t, long total, long *out)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < t->n_cols; i++)
        sum += t->widths[i];
    long used = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        out[i] =
            i + 1 < t->n_cols ? (long)((unsigned long)total * t->widths[i] / sum) : total - used;
        used += out[i];
    }
}

static void
cell(xw_t *x, const doc_lib_t *lib, const doc_cell_t *c, long width)
{
    start(x, "w:tc");
    start(x, "w:tcPr");
    start(x, "w:tcW");
    attr_long(x, "w:w", width);
    attr(x, "w:type", "dxa");
    end(x);
    if (c->span > 1) {
        start(x, "w:gridSpan");
        attr_long(x, "w:val", (long)c->span);
        end(x);
    }
    if (c->merge != DOC_MERGE_NONE) {
        start(x, "w:vMerge");
        if (c->merge == DOC_MERGE_RESTART)
            attr(x, "w:val", "restart");
        end(x);
    }
    val_elem(x, "w:vAlign", "center");
    end(x);
    const char *p = c->text;
    do { /* a cell holds at least one paragraph */
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        x->bad |= line == NULL;
        par(x, lib, c->style, line ? line : "");
        free(line);
        p += n;
    } while (*p++ == '\n');
    end(x);
}

static void
table(xw_t *x, const doc_lib_t *lib, const doc_table_t *t, long total)
{
    long w[64];
    grid(t, total, w);
    start(x, "w:tbl");
    start(x, "w:tblPr");
    val_elem(x, "w:tblStyle", lib->table_style);
    start(x, "w:tblW");
    attr_long(x, "w:w", total);
    attr(x, "w:type", "dxa");
    end(x);
    start(x, "w:tblLayout");
    attr(x, "w:type", "fixed");
    end(x);
    end(x);
    start(x, "w:tblGrid");
    for (size_t i = 0; i < t->n_cols; i++) {
        start(x, "w:gridCol");
        attr_long(x, "w:w", w[i]);
        end(x);
    }
    end(x);
    for (size_t r = 0; r < t->n; r++) {
        const doc_row_t *row = &t->rows[r];
        start(x, "w:tr");
        if (row->header) {
            start(x, "w:trPr");
            start(x, "w:tblHeader");
            end(x);
            end(x);
        }
        for (size_t c = 0, col = 0; c < row->n; col += row->cells[c].span, c++) {
            long cw = 0;
            for (size_t k = col; k < col + row->cells[c].span && k < t->n_cols; k++)
                cw += w[k];
            cell(x, lib, &row->cells[c], cw);
        }
        end(x);
    }
    end(x);
    par(x, lib, DOC_BODY, ""); /* keeps two tables apart and a table off the section end */
}

/* A table the writer can render: every row fills the grid, header rows first. */
static cy_status_t
table_check(const doc_table_t *t, size_t block, cy_error_t *err)
{
    for (size_t r = 0; r < t->n; r++) {
        size_t cols = 0;
        for (size_t c = 0; c < t->rows[r].n; c++)
            cols += t->rows[r].cells[c].span;
        if (cols != t->n_cols)
            return cy_error_set(err, CY_EINVAL, "doc_table", NULL,
                                "第 %zu 块表格第 %zu 行占 %zu 列，表格有 %zu 列 / table (block "
                                "%zu) row %zu spans %zu columns of %zu",
                                block + 1, r + 1, cols, t->n_cols, block + 1, r + 1, cols,
                                t->n_cols);
        if (t->rows[r].header && r > 0 && !t->rows[r - 1].header)
            return cy_error_set(err, CY_EINVAL, "doc_table", NULL,
                                "第 %zu 块表格第 %zu 行：重复表头行只能在表格开头 / table (block "
                                "%zu) row %zu: repeated header rows come first",
                                block + 1, r + 1, block + 1, r + 1);
    }
    return CY_OK;
}

static void
section(xw_t *x, const doc_lib_t *lib)
{
    const doc_page_t *pg = &lib->page;
    start(x, "w:sectPr");
    start(x, "w:footerReference");
    attr(x, "w:type", "default");
    attr(x, "r:id", lib->footer_rel);
    end(x);
    start(x, "w:pgSz");
    attr_long(x, "w:w", pg->width);
    attr_long(x, "w:h", pg->height);
    end(x);
    start(x, "w:pgMar");
    attr_long(x, "w:top", pg->top);
    attr_long(x, "w:right", pg->right);
    attr_long(x, "w:bottom", pg->bottom);
    attr_long(x, "w:left", pg->left);
    attr_long(x, "w:header", pg->header);
    attr_long(x, "w:footer", pg->footer);
    attr_long(x, "w:gutter", 0);
    end(x);
    if (pg->title_page) {
        start(x, "w:titlePg");
        end(x);
    }
    end(x);
}

/* word/document.xml of d into buf. */
static cy_status_t
document_xml(const doc_lib_t *lib, const doc_t *d, xmlBufferPtr buf, cy_error_t *err)
{
    for (size_t i = 0; i < d->n; i++) {
        cy_status_t st =
            d->blocks[i].kind == DOC_BLOCK_TABLE ? table_check(d->blocks[i].table, i, err) : CY_OK;
        if (st != CY_OK)
            return st;
    }
    xw_t x = {xmlNewTextWriterMemory(buf, 0), 0};
    if (x.w == NULL)
        return cy_error_no_memory(err);
    x.bad |= xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", "yes") < 0;
    start(&x, "w:document");
    attr(&x, "xmlns:w", W_NS);
    attr(&x, "xmlns:r", R_NS);
    start(&x, "w:body");
    long text_width = lib->page.width - lib->page.left - lib->page.right;
    for (size_t i = 0; i < d->n; i++) {
        const doc_block_t *b = &d->blocks[i];
        if (b->kind == DOC_BLOCK_PAR)
            par(&x, lib, b->style, b->text);
        else if (b->kind == DOC_BLOCK_TABLE)
            table(&x, lib, b->table, text_width);
        else
            page_break(&x);
    }
    section(&x, lib);
    x.bad |= xmlTextWriterEndDocument(x.w) < 0;
    xmlFreeTextWriter(x.w); /* flushes into buf */
    if (x.bad)
        return cy_error_set(err, CY_ENOMEM, "no_memory", NULL,
                            "写 document.xml 失败（内存不足） / writing document.xml failed (out "
                            "of memory)");
    return CY_OK;
}

/* Adds data (kept alive by the caller until zip_close) as entry name, dated 1980-01-01. */
static int
zip_put(zip_t *za, const char *name, const void *data, size_t len)
{
    zip_source_t *src = zip_source_buffer(za, data, len, 0);
    if (src == NULL)
        return 0;
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(src);
        return 0;
    }
    return zip_file_set_dostime(za, (zip_uint64_t)idx, 0, DOS_DATE_1980_01_01, 0) == 0 &&
           zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) == 0;
}

cy_status_t
doc_docx_write(const doc_lib_t *lib, const doc_t *d, const char *path, cy_error_t *err)
{
    xmlBufferPtr buf = xmlBufferCreate();
    if (buf == NULL)
        return cy_error_no_memory(err);
    cy_status_t st = document_xml(lib, d, buf, err);
    if (st != CY_OK) {
        xmlBufferFree(buf);
        return st;
    }
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    int ok = za != NULL;
    for (size_t i = 0; ok && i < lib->n_parts; i++)
        ok = zip_put(za, lib->parts[i].name, lib->parts[i].data, lib->parts[i].len);
    if (ok)
        ok = zip_put(za, "word/document.xml", xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    char why[200] = "";
    if (za != NULL && ok && zip_close(za) == 0)
        za = NULL;
    else if (za != NULL) {
        snprintf(why, sizeof why, "%s", zip_strerror(za));
        zip_discard(za);
        ok = 0;
    } else {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        snprintf(why, sizeof why, "%s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
    }
    xmlBufferFree(buf);
    if (!ok)
        return cy_error_set(err, CY_EIO, "doc_write", NULL,
                            "无法写入 %s（%s） / cannot write %s (%s)", path, why, path, why);
    return CY_OK;
}
