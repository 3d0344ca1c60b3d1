/*
 * jsonfile.h — reading a data file in JSON (data/rating/model.json, the
 * catalogue under data/catalogue/) so that a refusal can name the file, the
 * line and the field: jansson parses with duplicate keys refused, and the
 * text is kept so the line of any value can be found again from its path
 * ("events[3].annual_rate") when a later check fails.
 *
 * May use stdio and jansson; never store/, http/, cli/ or sim/.
 */
#ifndef CY_APP_JSONFILE_H
#define CY_APP_JSONFILE_H

#include <stddef.h>

#include <jansson.h>

#include "core/error.h"
#include "data/text.h"

typedef struct {
    json_t *root; /* the top-level object */
    char *text;   /* the file's bytes, NUL-terminated */
    size_t len;
    char name[256];   /* the name messages use, e.g. "catalogue/china.json" */
    const char *code; /* error code of refusals, e.g. "catalogue_invalid" */
    cy_error_t *err;
} jsonfile_t;

/*
 * jsonfile_load reads path (at most 64 MiB) and parses it; the top level must
 * be an object. A syntax error names the line and column. name is how
 * messages call the file; code the error code of every refusal (CY_EINVAL).
 * jf->err is kept for jsonfile_fail. A refusal keeps nothing allocated
 * (jsonfile_free is allowed but not needed after it).
 */
cy_status_t jsonfile_load(jsonfile_t *jf, const char *path, const char *name, const char *code,
                          cy_error_t *err);

void jsonfile_free(jsonfile_t *jf);

/*
 * jsonfile_line returns the 1-based line where the value at path starts
 * (path: keys joined by '.', array indices as "[3]"; "" the root), or 0 if
 * the path is not in the text.
 */
size_t jsonfile_line(const jsonfile_t *jf, const char *path);

/*
 * jsonfile_fail refuses with CY_EINVAL: "NAME 第 L 行 PATH：中文 / NAME line L,
 * PATH: English", fmt holding "中文 / English"; field is set to path.
 */
cy_status_t jsonfile_fail(const jsonfile_t *jf, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The getters below refuse through jsonfile_fail with path "<base>.<key>". */

/* obj[key] as a finite number in [lo, hi]; a missing key is refused unless def is not NULL. */
cy_status_t jsonfile_number(const jsonfile_t *jf, json_t *obj, const char *base, const char *key,
                            double lo, double hi, const double *def, double *out);

/* obj[key] as a string of 1..cap−1 bytes without control characters, copied to out. */
cy_status_t jsonfile_string(const jsonfile_t *jf, json_t *obj, const char *base, const char *key,
                            int required, char *out, size_t cap);

/* One string of a table read by jsonfile_strings: obj[key] into dst[cap]. */
typedef struct {
    const char *key;
    char *dst;
    size_t cap;
    int required;
} jsonfile_text_t;

/* jsonfile_string over n entries of texts, in order; the first refusal stops. */
cy_status_t jsonfile_strings(const jsonfile_t *jf, json_t *obj, const char *base,
                             const jsonfile_text_t *texts, size_t n);

/*
 * jsonfile_names reads the three strings that name an entry of a list,
 * "code", "name_zh" and "name_en" (all required), into code[cc], zh[zc], en[ec].
 */
cy_status_t jsonfile_names(const jsonfile_t *jf, json_t *obj, const char *base, char *code,
                           size_t cc, char *zh, size_t zc, char *en, size_t ec);

/*
 * jsonfile_head checks the top level's keys against allowed and reads the
 * "source" and "version" every data file opens with (both required).
 */
cy_status_t jsonfile_head(const jsonfile_t *jf, const char *const *allowed, char *source,
                          size_t scap, char *version, size_t vcap);

/*
 * jsonfile_array: obj[key] (path base.key) must be an array of min (0 or 1)
 * to max items, else refused naming what it holds: what_zh is the counter
 * and noun ("个部分", "项"), what_en the noun or "" ("sections"):
 *   "应为 1 到 MAX 个部分的数组 / must be an array of 1 to MAX sections"
 *   "应为至多 MAX 项的数组 / must be an array of at most MAX"
 * *arr is the array (borrowed) on CY_OK.
 */
cy_status_t jsonfile_array(const jsonfile_t *jf, json_t *obj, const char *base, const char *key,
                           size_t min, size_t max, const char *what_zh, const char *what_en,
                           json_t **arr);

/* jsonfile_item: item i of arr (NULL past its end), its path "<path>[i]" written into b. */
json_t *jsonfile_item(json_t *arr, const char *path, size_t i, char *b, size_t cap);

/* obj must be an object whose keys are all in allowed (NULL-terminated). */
cy_status_t jsonfile_keys(const jsonfile_t *jf, json_t *obj, const char *base,
                          const char *const *allowed);

/* base.key joined for messages ("" base: just key). */
void jsonfile_path(char *buf, size_t cap, const char *base, const char *key);

#endif
