/*
 * cov.h — the 13 coverages of the notice as a fixed enumeration, so that the
 * terms engine, the rating model and the simulation can hold one amount per
 * coverage in a plain array instead of looking codes up in a hot loop.
 *
 * The order is the notice's (data/coverages.json): 财产 first-party phys …
 * legal, then 责任 third-party breach … eo. data/coverages.json stays the
 * reference for display; a unit test fails if this table and that file drift
 * apart. Depends on libc only: no I/O, no allocation, no globals.
 */
#ifndef CY_CORE_COV_H
#define CY_CORE_COV_H

#include <stdint.h>

#define COV_N 13

typedef enum {
    COV_PHYS = 0, /* 直接物理损失 */
    COV_BI,       /* 营业中断损失 (hours × hourly gross profit past the waiting period) */
    COV_DATA,     /* 数据资产重置费用 */
    COV_HW,       /* 硬件改善成本 */
    COV_IR,       /* 应急处置费用 */
    COV_PR,       /* 公关费用 */
    COV_LEGAL,    /* 法律费用 */
    COV_BREACH,   /* 数据泄露责任 */
    COV_NETSEC,   /* 网络安全事件责任 */
    COV_MEDIA,    /* 媒体侵权责任 */
    COV_VENDOR,   /* 外包商相关责任 */
    COV_PRODUCT,  /* 产品责任 */
    COV_EO,       /* 技术服务职业责任 */
} cov_t;

/* A mask with every coverage bit set. */
#define COV_ALL_MASK ((uint32_t)((1u << COV_N) - 1u))

/* cov_code returns the stable code of coverage c ("bi"), or "" when c is out of range. */
const char *cov_code(int c);

/* cov_name_zh / cov_name_en return the display names ("营业中断损失"), "" out of range. */
const char *cov_name_zh(int c);
const char *cov_name_en(int c);

/* cov_oed_code returns the OED v4 cyber coverage code of c ("NPBI"), "" out of range. */
const char *cov_oed_code(int c);

/* cov_find returns the index of the coverage with this code, or -1. */
int cov_find(const char *code);

#endif
