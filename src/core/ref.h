/*
 * ref.h — reference data in plain structs, and pure lookups over them.
 *
 * The tables come from the files under data/ (regions.csv, industries.csv,
 * coverages.json, pilot.json); app/refdata.c reads and validates them once
 * at start-up and hands out a ref_data_t that nothing modifies afterwards,
 * so any number of threads may read it. This file only looks things up.
 *
 * Invariants a ref_data_t must keep (refdata_load establishes them):
 *   regions sorted by code (strcmp), codes unique; level 1 codes PP0000,
 *   level 2 codes PPCC00 whose parent PP0000 is a level 1 row;
 *   industries sorted by code (strcmp: "01".."97" before "A".."T");
 *   coverages, target industries and product classes in file order (the
 *   notice's order, which is also the display order), codes unique.
 *
 * Depends on libc only: no I/O, no allocation, no globals, no jansson.
 */
#ifndef CY_CORE_REF_H
#define CY_CORE_REF_H

#include <stddef.h>

/* GB/T 2260 unit: level 1 province-level, level 2 prefecture-level. */
typedef struct {
    char code[7];   /* six digits */
    char name[96];  /* e.g. 深圳市 */
    int level;      /* 1 or 2 */
    char parent[7]; /* level 2: its province's code; level 1: "" */
    int plan_city;  /* 1 for a 计划单列市 (reports straight to the ministry) */
} ref_region_t;

/* GB/T 4754-2017: level 1 门类 (code "A".."T"), level 2 大类 (code "01".."97"). */
typedef struct {
    char code[4];
    int level;
    char section; /* 'A'..'T'; for a section, its own letter */
    char name[160];
} ref_industry_t;

/* A coverage of the notice's list (DOMAIN.md §6), e.g. "bi" 营业中断损失. */
typedef struct {
    char code[16];
    int third_party; /* 0: 财产 first-party, 1: 责任 third-party */
    char name_zh[64];
    char name_en[96];
    char description_zh[512];
    int waiting_period; /* 1 if the coverage has a waiting period (bi only) */
    char oed_code[16];  /* OED v4 cyber coverage code: NPBI, DIAS, INRE, LIA, ENO, … */
} ref_coverage_t;

/* A pilot target industry (group "") or a product/service class (group e.g. "security_product"). */
typedef struct {
    char code[40];
    char group[40];
    char name_zh[64];
    char name_en[96];
} ref_class_t;

/* Where a table came from, from the file's own header ("# source:", "# version:"). */
typedef struct {
    char source[512];
    char version[64];
} ref_source_t;

typedef struct {
    ref_region_t *regions;
    size_t n_regions;
    ref_industry_t *industries;
    size_t n_industries;
    ref_coverage_t *coverages;
    size_t n_coverages;
    ref_class_t *target_industries;
    size_t n_target_industries;
    ref_class_t *product_classes; /* the selectable classes, each with its group */
    size_t n_product_classes;
    ref_class_t *product_groups; /* security_product, security_service, it_product (group "") */
    size_t n_product_groups;
    ref_class_t *institution_kinds; /* the notice's nine kinds of service institution */
    size_t n_institution_kinds;
    ref_source_t regions_src;    /* regions.csv */
    ref_source_t industries_src; /* industries.csv */
    ref_source_t coverages_src;  /* coverages.json */
    ref_source_t pilot_src;      /* pilot.json */
} ref_data_t;

/* ref_region_code_ok returns 1 if code is exactly six ASCII digits, else 0. */
int ref_region_code_ok(const char *code);

/* ref_region_find returns the region with this exact code, or NULL. Binary search. */
const ref_region_t *ref_region_find(const ref_data_t *d, const char *code);

/*
 * ref_region_province_of returns the province-level unit whose code shares
 * the first two digits of code (any six-digit code: province, prefecture or
 * county), or NULL if code is malformed or no such province exists.
 */
const ref_region_t *ref_region_province_of(const ref_data_t *d, const char *code);

/*
 * ref_region_city_of returns the city-level authority for a six-digit code:
 * the prefecture-level unit PPCC00 if it exists; for a province-level unit
 * without prefecture-level rows (直辖市 such as 110000, and 710000, 810000,
 * 820000) that province-level unit itself, which acts as both; otherwise
 * NULL — a province's own code, a 省直辖县级行政单位 (429004 仙桃, 469001
 * 五指山, …: no prefecture above them, the province receives directly), or
 * an unknown code. County codes are not checked against a county list.
 */
const ref_region_t *ref_region_city_of(const ref_data_t *d, const char *code);

/* ref_industry_find returns the section ("C") or 大类 ("39") with this code, or NULL. */
const ref_industry_t *ref_industry_find(const ref_data_t *d, const char *code);

/* ref_coverage_find returns the coverage with this code ("bi"), or NULL. */
const ref_coverage_t *ref_coverage_find(const ref_data_t *d, const char *code);

/* ref_target_industry_find returns the pilot target industry ("healthcare"), or NULL. */
const ref_class_t *ref_target_industry_find(const ref_data_t *d, const char *code);

/* ref_product_class_find returns the product/service class ("edr"), or NULL. */
const ref_class_t *ref_product_class_find(const ref_data_t *d, const char *code);

/* ref_institution_kind_find returns the kind of service institution ("insurer"), or NULL. */
const ref_class_t *ref_institution_kind_find(const ref_data_t *d, const char *code);

/* ref_product_group_find returns the product/service group ("security_service"), or NULL. */
const ref_class_t *ref_product_group_find(const ref_data_t *d, const char *code);

#endif
