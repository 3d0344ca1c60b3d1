/*
 * cov.c — the fixed table of the notice's 13 coverages. Pure: libc only.
 * Names and OED codes are copied from data/coverages.json; test_terms checks
 * they still agree with the file.
 */
#include "core/cov.h"

#include <string.h>

typedef struct {
    const char *code;
    const char *name_zh;
    const char *name_en;
    const char *oed;
} cov_row_t;

static const cov_row_t cov_table[COV_N] = {
    {"phys", "直接物理损失", "Direct physical loss", "DIAS"},
    {"bi", "营业中断损失", "Business interruption loss", "NPBI"},
    {"data", "数据资产重置费用", "Data asset restoration costs", "DIAS"},
    {"hw", "硬件改善成本", "Hardware betterment costs", "DIAS"},
    {"ir", "应急处置费用", "Incident response costs", "INRE"},
    {"pr", "公关费用", "Public relations costs", "INRE"},
    {"legal", "法律费用", "Legal expenses", "INRE"},
    {"breach", "数据泄露责任", "Data breach liability", "LIA"},
    {"netsec", "网络安全事件责任", "Network security liability", "LIA"},
    {"media", "媒体侵权责任", "Media liability", "LIA"},
    {"vendor", "外包商相关责任", "Outsourced provider liability", "LIA"},
    {"product", "产品责任", "Product liability", "ENO"},
    {"eo", "技术服务职业责任", "Technology services professional liability (E&O)", "ENO"},
};

const char *
cov_code(int c)
{
    return c >= 0 && c < COV_N ? cov_table[c].code : "";
}

const char *
cov_name_zh(int c)
{
    return c >= 0 && c < COV_N ? cov_table[c].name_zh : "";
}

const char *
cov_name_en(int c)
{
    return c >= 0 && c < COV_N ? cov_table[c].name_en : "";
}

const char *
cov_oed_code(int c)
{
    return c >= 0 && c < COV_N ? cov_table[c].oed : "";
}

int
cov_find(const char *code)
{
    if (code == NULL)
        return -1;
    for (int c = 0; c < COV_N; c++)
        if (strcmp(code, cov_table[c].code) == 0)
            return c;
    return -1;
}
