/*
 * test_refdata.c — the shipped reference data under data/ (counts, plan
 * cities, lookups through core/ref.c) and the refusals of app/refdata.c for
 * broken copies written to a temporary directory: each refusal must name
 * the file and the line (or JSON index and key). Depends on cmocka,
 * app/refdata and core/ref; reads CY_SOURCE_DIR "/data".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cytest.h"

#include "data/refdata.h"
#include "core/ref.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define DATA_DIR CY_SOURCE_DIR "/data"

static const char *const data_files[] = {"regions.csv", "industries.csv", "coverages.json",
                                         "pilot.json"};
#define N_FILES (sizeof data_files / sizeof data_files[0])

/* ---- helpers ------------------------------------------------------------ */

static char *
slurp(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
spit(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

/* 1-based line of the first occurrence of needle in text (which must hold it). */
static size_t
line_of(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    assert_non_null(hit);
    size_t line = 1;
    for (const char *p = text; p < hit; p++)
        line += *p == '\n';
    return line;
}

static size_t
count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

/* text with the first `from` replaced by `to` (malloc'ed). */
static char *
replace(const char *text, const char *from, const char *to)
{
    const char *hit = strstr(text, from);
    assert_non_null(hit);
    size_t a = (size_t)(hit - text), fl = strlen(from), tl = strlen(to), n = strlen(text);
    char *out = malloc(n - fl + tl + 1);
    assert_non_null(out);
    memcpy(out, text, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, hit + fl, n - a - fl + 1);
    return out;
}

/* A temporary copy of data/ that one test breaks. */
typedef struct {
    char dir[64];
} tmpdata_t;

static void
tmpdata_make(tmpdata_t *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/cyberins-refdata-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    for (size_t i = 0; i < N_FILES; i++) {
        char *text = slurp(DATA_DIR, data_files[i]);
        spit(t->dir, data_files[i], text);
        free(text);
    }
}

static void
tmpdata_remove(tmpdata_t *t)
{
    for (size_t i = 0; i < N_FILES; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", t->dir, data_files[i]);
        unlink(path);
    }
    assert_int_equal(rmdir(t->dir), 0);
}

/* Write file = real file with `from` replaced by `to`, or with `to` appended if from is NULL. */
static void
tmpdata_edit(tmpdata_t *t, const char *file, const char *from, const char *to)
{
    char *text = slurp(DATA_DIR, file);
    char *out;
    if (from != NULL) {
        out = replace(text, from, to);
    } else {
        out = malloc(strlen(text) + strlen(to) + 1);
        assert_non_null(out);
        strcpy(out, text);
        strcat(out, to);
    }
    spit(t->dir, file, out);
    free(out);
    free(text);
}

/* Load t, expect a refusal about file in *err, and remove t. */
static void
load_refused(tmpdata_t *t, const char *file, cy_error_t *err)
{
    ref_data_t *d = (ref_data_t *)1;
    assert_int_equal(refdata_load(t->dir, &d, err), CY_EINVAL);
    assert_null(d);
    assert_int_equal(err->status, CY_EINVAL);
    assert_string_equal(err->code, "refdata_invalid");
    assert_string_equal(err->field, file);
    assert_non_null(strstr(err->message, " / ")); /* "中文 / English" */
    tmpdata_remove(t);
}

/* err's message holds each of the NULL-terminated fragments of ap. */
static void
message_holds(const cy_error_t *err, va_list ap)
{
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;) {
        if (strstr(err->message, want) == NULL)
            fail_msg("message \"%s\" lacks \"%s\"", err->message, want);
    }
}

/*
 * Load t and expect a refusal about file whose message holds each of the
 * NULL-terminated fragments.
 */
static void
expect_refusal(tmpdata_t *t, const char *file, ...)
{
    cy_error_t err;
    load_refused(t, file, &err);
    va_list ap;
    va_start(ap, file);
    message_holds(&err, ap);
    va_end(ap);
}

/* A copy of data/ with file's `from` replaced by `to` (`to` appended if from is NULL), refused. */
static void
edit_refused(const char *file, const char *from, const char *to, cy_error_t *err)
{
    tmpdata_t t;
    tmpdata_make(&t);
    tmpdata_edit(&t, file, from, to);
    load_refused(&t, file, err);
}

/*
 * Break a copy of data/ — file with `from` replaced by `to`, or with `to`
 * appended if from is NULL — and expect a refusal about file whose message
 * holds each of the NULL-terminated fragments.
 */
static void
expect_edit_refused(const char *file, const char *from, const char *to, ...)
{
    cy_error_t err;
    edit_refused(file, from, to, &err);
    va_list ap;
    va_start(ap, to);
    message_holds(&err, ap);
    va_end(ap);
}

/*
 * The same, and the message names the line of the change, or the line
 * `down` lines below it, in both languages ("regions.csv line 12",
 * "regions.csv 第 12 行").
 */
static void
expect_refusal_at_line(const char *file, const char *from, const char *to, size_t down, ...)
{
    char *real = slurp(DATA_DIR, file);
    size_t line = (from != NULL ? line_of(real, from) : count_lines(real) + 1) + down;
    free(real);
    cy_error_t err;
    edit_refused(file, from, to, &err);
    char en[64], zh[64];
    snprintf(en, sizeof en, "%s line %zu", file, line);
    snprintf(zh, sizeof zh, "%s 第 %zu 行", file, line);
    if (strstr(err.message, en) == NULL || strstr(err.message, zh) == NULL)
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", err.message, en, zh);
    va_list ap;
    va_start(ap, down);
    message_holds(&err, ap);
    va_end(ap);
}

/* ---- the shipped data --------------------------------------------------- */

static int
setup_real(void **state)
{
    ref_data_t *d = NULL;
    cy_error_t err;
    cy_status_t st = refdata_load(DATA_DIR, &d, &err);
    if (st != CY_OK) {
        fprintf(stderr, "refdata_load: %s\n", err.message);
        return -1;
    }
    *state = d;
    return 0;
}

static int
teardown_real(void **state)
{
    refdata_free(*state);
    return 0;
}

CY_GROUP("shipped data", setup_real, teardown_real);

CY_TEST(test_refdata_counts_34_provinces_333_prefectures)
{
    const ref_data_t *d = *state;
    size_t l1 = 0, l2 = 0;
    for (size_t i = 0; i < d->n_regions; i++) {
        l1 += d->regions[i].level == 1;
        l2 += d->regions[i].level == 2;
        if (i > 0)
            assert_true(strcmp(d->regions[i - 1].code, d->regions[i].code) < 0);
    }
    assert_int_equal(l1, 34);
    assert_int_equal(l2, 333);
    assert_int_equal(d->n_regions, 367);
    assert_string_equal(d->regions_src.version, "2024-12-31");
    assert_non_null(strstr(d->regions_src.source, "yescallop/areacodes"));
}

CY_TEST(test_refdata_exactly_five_plan_cities)
{
    const ref_data_t *d = *state;
    static const char *const want[][2] = {{"210200", "大连市"},
                                          {"330200", "宁波市"},
                                          {"350200", "厦门市"},
                                          {"370200", "青岛市"},
                                          {"440300", "深圳市"}};
    size_t k = 0;
    for (size_t i = 0; i < d->n_regions; i++) {
        if (!d->regions[i].plan_city)
            continue;
        assert_true(k < 5);
        assert_string_equal(d->regions[i].code, want[k][0]);
        assert_string_equal(d->regions[i].name, want[k][1]);
        assert_int_equal(d->regions[i].level, 2);
        k++;
    }
    assert_int_equal(k, 5);
}

CY_TEST(test_refdata_region_lookups)
{
    const ref_data_t *d = *state;
    const ref_region_t *r = ref_region_find(d, "440300");
    assert_non_null(r);
    assert_string_equal(r->name, "深圳市");
    assert_int_equal(r->plan_city, 1);
    assert_int_equal(r->level, 2);
    assert_string_equal(r->parent, "440000");

    assert_null(ref_region_find(d, "44030"));
    assert_null(ref_region_find(d, "4403000"));
    assert_null(ref_region_find(d, "440106")); /* counties are not listed */
    assert_null(ref_region_find(d, NULL));
    assert_string_equal(ref_region_find(d, "710000")->name, "台湾省");
    assert_string_equal(ref_region_find(d, "810000")->name, "香港特别行政区");
    assert_string_equal(ref_region_find(d, "820000")->name, "澳门特别行政区");
    assert_string_equal(ref_region_find(d, "110000")->name, "北京市");
    assert_string_equal(ref_region_find(d, "652300")->name, "昌吉回族自治州");
}

CY_TEST(test_refdata_city_and_province_of_a_county)
{
    const ref_data_t *d = *state;
    /* 440106 天河区 → 广州市, 广东省 */
    const ref_region_t *c = ref_region_city_of(d, "440106");
    assert_non_null(c);
    assert_string_equal(c->code, "440100");
    assert_string_equal(c->name, "广州市");
    const ref_region_t *p = ref_region_province_of(d, "440106");
    assert_non_null(p);
    assert_string_equal(p->code, "440000");
    assert_string_equal(p->name, "广东省");

    /* a prefecture is its own city; a plan city too */
    assert_string_equal(ref_region_city_of(d, "440100")->code, "440100");
    assert_string_equal(ref_region_city_of(d, "440305")->code, "440300");
    assert_int_equal(ref_region_city_of(d, "440305")->plan_city, 1);
    assert_string_equal(ref_region_province_of(d, "440000")->code, "440000");
}

CY_TEST(test_refdata_municipality_acts_as_its_own_city)
{
    const ref_data_t *d = *state;
    assert_string_equal(ref_region_city_of(d, "110105")->code, "110000");
    assert_string_equal(ref_region_province_of(d, "110105")->code, "110000");
    assert_string_equal(ref_region_city_of(d, "110000")->code, "110000");
    assert_string_equal(ref_region_city_of(d, "120116")->code, "120000");
    assert_string_equal(ref_region_city_of(d, "310115")->code, "310000");
    assert_string_equal(ref_region_city_of(d, "500229")->code, "500000"); /* 重庆 城口县 */
    assert_string_equal(ref_region_city_of(d, "810000")->code, "810000");
}

CY_TEST(test_refdata_county_under_the_province_has_no_city)
{
    const ref_data_t *d = *state;
    /* 省直辖县级行政单位: the province receives directly */
    assert_null(ref_region_city_of(d, "429004")); /* 仙桃市 */
    assert_string_equal(ref_region_province_of(d, "429004")->code, "420000");
    assert_null(ref_region_city_of(d, "469002")); /* 琼海市 */
    assert_null(ref_region_city_of(d, "419001")); /* 济源市 */
    assert_null(ref_region_city_of(d, "659001")); /* 石河子市 */
    /* a province's own code is in no city */
    assert_null(ref_region_city_of(d, "440000"));
    /* malformed or unknown */
    assert_null(ref_region_city_of(d, "4401"));
    assert_null(ref_region_city_of(d, "44010a"));
    assert_null(ref_region_province_of(d, "990101"));
    assert_null(ref_region_city_of(d, "990101"));
    assert_null(ref_region_city_of(d, "449901"));
}

CY_TEST(test_refdata_counts_20_sections_97_divisions)
{
    const ref_data_t *d = *state;
    size_t l1 = 0, l2 = 0;
    for (size_t i = 0; i < d->n_industries; i++) {
        l1 += d->industries[i].level == 1;
        l2 += d->industries[i].level == 2;
    }
    assert_int_equal(l1, 20);
    assert_int_equal(l2, 97);
    assert_string_equal(d->industries_src.version, "GB/T 4754-2017");

    const ref_industry_t *i = ref_industry_find(d, "I");
    assert_non_null(i);
    assert_int_equal(i->level, 1);
    assert_int_equal(i->section, 'I');
    assert_string_equal(i->name, "信息传输、软件和信息技术服务业");
    i = ref_industry_find(d, "65");
    assert_non_null(i);
    assert_int_equal(i->level, 2);
    assert_int_equal(i->section, 'I');
    assert_string_equal(i->name, "软件和信息技术服务业");
    assert_int_equal(ref_industry_find(d, "01")->section, 'A');
    assert_int_equal(ref_industry_find(d, "43")->section, 'C');
    assert_int_equal(ref_industry_find(d, "97")->section, 'T');
    assert_null(ref_industry_find(d, "00"));
    assert_null(ref_industry_find(d, "98"));
    assert_null(ref_industry_find(d, "U"));
    assert_null(ref_industry_find(d, "651"));
}

CY_TEST(test_refdata_13_coverages_in_the_notice_order)
{
    const ref_data_t *d = *state;
    static const char *const codes[] = {"phys",   "bi",      "data",   "hw",     "ir",
                                        "pr",     "legal",   "breach", "netsec", "media",
                                        "vendor", "product", "eo"};
    static const char *const oed[] = {"DIAS", "NPBI", "DIAS", "DIAS", "INRE", "INRE", "INRE",
                                      "LIA",  "LIA",  "LIA",  "LIA",  "ENO",  "ENO"};
    assert_int_equal(d->n_coverages, 13);
    for (size_t i = 0; i < 13; i++) {
        const ref_coverage_t *c = &d->coverages[i];
        assert_string_equal(c->code, codes[i]);
        assert_int_equal(c->third_party, i >= 7);
        assert_int_equal(c->waiting_period, i == 1);
        assert_string_equal(c->oed_code, oed[i]);
        assert_true(strlen(c->description_zh) > 0);
        assert_ptr_equal(ref_coverage_find(d, codes[i]), c);
    }
    assert_string_equal(ref_coverage_find(d, "bi")->name_zh, "营业中断损失");
    assert_string_equal(ref_coverage_find(d, "eo")->name_zh, "技术服务职业责任");
    assert_null(ref_coverage_find(d, "BI"));
    assert_null(ref_coverage_find(d, "ransom"));
    assert_non_null(strstr(d->coverages_src.source, "356号"));
}

CY_TEST(test_refdata_pilot_industries_and_product_classes)
{
    const ref_data_t *d = *state;
    assert_int_equal(d->n_target_industries, 7);
    static const char *const ti[] = {"telecom_internet",
                                     "industrial_internet",
                                     "connected_vehicles",
                                     "healthcare",
                                     "finance",
                                     "energy",
                                     "other"};
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(d->target_industries[i].code, ti[i]);
        assert_string_equal(d->target_industries[i].group, "");
    }
    assert_string_equal(ref_target_industry_find(d, "connected_vehicles")->name_zh, "车联网");

    assert_int_equal(d->n_product_groups, 3);
    assert_int_equal(d->n_product_classes, 11);
    assert_string_equal(ref_product_group_find(d, "security_service")->name_zh, "网络安全服务");
    const ref_class_t *c = ref_product_class_find(d, "edr");
    assert_non_null(c);
    assert_string_equal(c->group, "security_product");
    assert_string_equal(c->name_zh, "终端检测响应");
    assert_string_equal(ref_product_class_find(d, "incident_response")->group, "security_service");
    assert_string_equal(ref_product_class_find(d, "it_product")->group, "it_product");
    assert_null(ref_product_class_find(d, "security_product")); /* a group, not a class */
    assert_null(ref_target_industry_find(d, "edr"));
}

/* ---- refusals of broken copies ------------------------------------------ */

/* Copies of the data with one fault each: no group setup. */
CY_GROUP_NAMED(broken, "broken copies", NULL, NULL);

CY_TEST_IN(broken, test_refdata_region_with_five_digit_code_refused)
{
    (void)state;
    expect_refusal_at_line("regions.csv", "440300,深圳市", "44030,深圳市", 0, "code", "6 digits",
                           "\"44030\"", NULL);
}

CY_TEST_IN(broken, test_refdata_duplicate_region_code_refused)
{
    (void)state;
    char *real = slurp(DATA_DIR, "regions.csv");
    char again[64];
    snprintf(again, sizeof again, "already on line %zu", line_of(real, "440300,深圳市"));
    free(real);
    expect_refusal_at_line("regions.csv", NULL, "440300,深圳市,2,440000,1\n", 0,
                           "duplicate code 440300", again, NULL);
}

CY_TEST_IN(broken, test_refdata_orphan_prefecture_refused)
{
    (void)state;
    expect_refusal_at_line("regions.csv", NULL, "990100,无主市,2,990000,0\n", 0,
                           "parent 990000 does not exist", NULL);
}

CY_TEST_IN(broken, test_refdata_prefecture_under_another_province_refused)
{
    (void)state;
    expect_edit_refused("regions.csv", "440300,深圳市,2,440000,1", "440300,深圳市,2,450000,1",
                        "first two digits of 440300 differ from its parent 450000", NULL);
}

CY_TEST_IN(broken, test_refdata_province_code_not_ending_in_0000_refused)
{
    (void)state;
    expect_edit_refused("regions.csv", "440000,广东省,1,,0", "440001,广东省,1,,0",
                        "must end in 0000", NULL);
}

CY_TEST_IN(broken, test_refdata_region_bad_utf8_and_missing_version_refused)
{
    (void)state;
    expect_edit_refused("regions.csv", "深圳市", "\xE6\xB7\xB1\xFF", "name", "not valid UTF-8",
                        NULL);
    expect_edit_refused("regions.csv", "# version: 2024-12-31\n", "", "regions.csv line 1",
                        "# version:", NULL);
}

CY_TEST_IN(broken, test_refdata_region_wrong_columns_refused)
{
    (void)state;
    expect_refusal_at_line("regions.csv", "code,name,level,parent,plan_city",
                           "code,name,level,parent,plan", 0, "code,name,level,parent,plan_city",
                           NULL);
    expect_edit_refused("regions.csv", "110000,北京市,1,,0", "110000,北京市,1,0",
                        "expected 5 fields, found 4", NULL);
}

CY_TEST_IN(broken, test_refdata_region_unterminated_quote_names_line)
{
    (void)state;
    expect_refusal_at_line("regions.csv", "440300,深圳市", "440300,\"深圳市", 0,
                           "unterminated quoted field", NULL);
}

CY_TEST_IN(broken, test_refdata_division_of_unknown_section_refused)
{
    (void)state;
    expect_refusal_at_line("industries.csv", "65,2,I,", "65,2,U,", 0, "section", "one letter A–T",
                           NULL);
}

CY_TEST_IN(broken, test_refdata_division_under_wrong_section_refused)
{
    (void)state;
    expect_refusal_at_line("industries.csv", "65,2,I,", "65,2,C,", 0, "大类 65 is in section C",
                           NULL);
}

CY_TEST_IN(broken, test_refdata_duplicate_and_malformed_industries_refused)
{
    (void)state;
    expect_edit_refused("industries.csv", NULL, "I,1,I,重复\n", "duplicate code I", NULL);
    expect_edit_refused("industries.csv", "65,2,I,", "651,2,I,", "two digits", "\"651\"", NULL);
}

CY_TEST_IN(broken, test_refdata_coverage_syntax_error_names_line)
{
    (void)state;
    /* drop the comma after "phys": jansson stops at the next key, one line down */
    expect_refusal_at_line("coverages.json", "\"code\": \"phys\",", "\"code\": \"phys\"", 1,
                           "JSON syntax error", NULL);
}

CY_TEST_IN(broken, test_refdata_coverage_duplicate_key_refused)
{
    (void)state;
    expect_edit_refused("coverages.json", "\"code\": \"phys\",",
                        "\"code\": \"phys\", \"code\": \"phys\",", "duplicate object key", NULL);
}

CY_TEST_IN(broken, test_refdata_unknown_coverage_class_refused)
{
    (void)state;
    /* the first third_party coverage is breach, index 7 */
    expect_edit_refused("coverages.json", "\"class\": \"third_party\"",
                        "\"class\": \"fourth_party\"", "coverages.json coverages[7].class",
                        "unknown class \"fourth_party\"", NULL);
}

CY_TEST_IN(broken, test_refdata_coverage_set_must_be_the_notices_13)
{
    (void)state;
    expect_edit_refused("coverages.json", "\"code\": \"eo\"", "\"code\": \"ransom\"",
                        "coverages[12].code", "unknown coverage code \"ransom\"", NULL);
    expect_edit_refused("coverages.json", "\"code\": \"eo\"", "\"code\": \"phys\"",
                        "coverages[12].code",
                        "duplicate coverage code phys, already at coverages[0]", NULL);
    expect_edit_refused("coverages.json", "\"class\": \"first_party\"",
                        "\"class\": \"third_party\"", "coverages[0].class", "phys is first_party",
                        NULL);
    expect_edit_refused("coverages.json", "\"waiting_period\": false", "\"waiting_period\": true",
                        "coverages[0].waiting_period", "only business", NULL);
    expect_edit_refused("coverages.json", "\"oed_code\": \"NPBI\"", "\"oed_code\": \"CYB\"",
                        "coverages[1].oed_code", "not an OED cyber coverage", NULL);
    expect_edit_refused("coverages.json", "\"name_en\": \"Legal expenses\"",
                        "\"name_en\": \"Legal expenses\", \"nmae_zh\": \"x\"",
                        "coverages[6].nmae_zh", "unknown key", NULL);
}

CY_TEST_IN(broken, test_refdata_missing_file_refused)
{
    (void)state;
    tmpdata_t t;
    tmpdata_make(&t);
    char path[128];
    snprintf(path, sizeof path, "%s/pilot.json", t.dir);
    assert_int_equal(unlink(path), 0);
    expect_refusal(&t, "pilot.json", "pilot.json", "cannot read", NULL);

    tmpdata_make(&t);
    snprintf(path, sizeof path, "%s/regions.csv", t.dir);
    assert_int_equal(unlink(path), 0);
    expect_refusal(&t, "regions.csv", "cannot open", "regions.csv", NULL);
}

CY_TEST_IN(broken, test_refdata_pilot_duplicate_class_refused)
{
    (void)state;
    /* found at the second occurrence, the original edr */
    expect_edit_refused("pilot.json", "\"code\": \"dlp\"", "\"code\": \"edr\"",
                        "pilot.json product_classes[0].items[3].code",
                        "duplicate product class code edr", NULL);
    expect_edit_refused("pilot.json", "\"code\": \"finance\"", "\"code\": \"Finance\"",
                        "target_industries[4].code", "lower-case", NULL);
    expect_edit_refused("pilot.json", "\"name_zh\": \"能源\"", "\"name_zh\": \"\"",
                        "target_industries[5].name_zh", "must not be empty", NULL);
}
