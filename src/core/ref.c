/*
 * ref.c — lookups over the reference tables declared in ref.h.
 *
 * Regions and industries are sorted by code, so they are searched by
 * bisection; the other tables hold a dozen rows in a meaningful order and
 * are scanned. Depends on libc only: no I/O, no allocation, no globals.
 */
#include "core/ref.h"

#include <string.h>

int
ref_region_code_ok(const char *code)
{
    if (code == NULL)
        return 0;
    for (int i = 0; i < 6; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return code[6] == '\0';
}

/*
 * Index of the first region whose code is not less than code (n_regions if
 * none). Written out rather than bsearch so the caller can look at the
 * neighbours of the match.
 */
static size_t
region_lower_bound(const ref_data_t *d, const char *code)
{
    size_t lo = 0, hi = d->n_regions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->regions[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const ref_region_t *
ref_region_find(const ref_data_t *d, const char *code)
{
    if (d == NULL || code == NULL)
        return NULL;
    size_t i = region_lower_bound(d, code);
    if (i < d->n_regions && strcmp(d->regions[i].code, code) == 0)
        return &d->regions[i];
    return NULL;
}

const ref_region_t *
ref_region_province_of(const ref_data_t *d, const char *code)
{
    if (d == NULL || !ref_region_code_ok(code))
        return NULL;
    char pp[7] = {code[0], code[1], '0', '0', '0', '0', '\0'};
    const ref_region_t *p = ref_region_find(d, pp);
    return p != NULL && p->level == 1 ? p : NULL;
}

/*
 * A province-level unit has prefecture-level rows iff the row right after
 * it (codes sorted, PP0000 the smallest with prefix PP) shares its prefix.
 */
static int
province_has_prefectures(const ref_data_t *d, const ref_region_t *p)
{
    size_t i = (size_t)(p - d->regions) + 1;
    return i < d->n_regions && memcmp(d->regions[i].code, p->code, 2) == 0;
}

const ref_region_t *
ref_region_city_of(const ref_data_t *d, const char *code)
{
    const ref_region_t *p = ref_region_province_of(d, code);
    if (p == NULL)
        return NULL;
    if (!province_has_prefectures(d, p))
        return p; /* 直辖市 (and 710000/810000/820000): the province acts as its city */
    if (code[2] == '0' && code[3] == '0')
        return NULL; /* the province itself, or a code under no prefecture */
    char pc[7] = {code[0], code[1], code[2], code[3], '0', '0', '\0'};
    const ref_region_t *c = ref_region_find(d, pc);
    return c != NULL && c->level == 2 ? c : NULL;
}

const ref_industry_t *
ref_industry_find(const ref_data_t *d, const char *code)
{
    if (d == NULL || code == NULL)
        return NULL;
    size_t lo = 0, hi = d->n_industries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(d->industries[mid].code, code);
        if (c == 0)
            return &d->industries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const ref_coverage_t *
ref_coverage_find(const ref_data_t *d, const char *code)
{
    if (d == NULL || code == NULL)
        return NULL;
    for (size_t i = 0; i < d->n_coverages; i++)
        if (strcmp(d->coverages[i].code, code) == 0)
            return &d->coverages[i];
    return NULL;
}

static const ref_class_t *
class_find(const ref_class_t *v, size_t n, const char *code)
{
    if (v == NULL || code == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0)
            return &v[i];
    return NULL;
}

const ref_class_t *
ref_target_industry_find(const ref_data_t *d, const char *code)
{
    return d == NULL ? NULL : class_find(d->target_industries, d->n_target_industries, code);
}

const ref_class_t *
ref_product_class_find(const ref_data_t *d, const char *code)
{
    return d == NULL ? NULL : class_find(d->product_classes, d->n_product_classes, code);
}

const ref_class_t *
ref_institution_kind_find(const ref_data_t *d, const char *code)
{
    return d == NULL ? NULL : class_find(d->institution_kinds, d->n_institution_kinds, code);
}

const ref_class_t *
ref_product_group_find(const ref_data_t *d, const char *code)
{
    return d == NULL ? NULL : class_find(d->product_groups, d->n_product_groups, code);
}
