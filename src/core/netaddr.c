/*
 * netaddr.c — classifying IP addresses (core/netaddr.h). Pure: libc only.
 */
#include "core/netaddr.h"

#include <string.h>

/* 1 when the first bits of a (network order) equal those of prefix. */
static int
in_prefix(const unsigned char *a, const unsigned char *prefix, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, prefix, (size_t)whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return (a[whole] & mask) == (prefix[whole] & mask);
}

typedef struct {
    unsigned char prefix[16];
    int bits;
    netaddr_kind_t kind;
} range_t;

static const range_t V4[] = {
    {{0}, 8, NETADDR_RESERVED},             /* "this network" */
    {{10}, 8, NETADDR_PRIVATE},             /* RFC 1918 */
    {{100, 64}, 10, NETADDR_PRIVATE},       /* carrier-grade NAT, RFC 6598 */
    {{127}, 8, NETADDR_LOOPBACK},           /* */
    {{169, 254}, 16, NETADDR_LINK_LOCAL},   /* and cloud metadata services */
    {{172, 16}, 12, NETADDR_PRIVATE},       /* RFC 1918 */
    {{192, 0, 0}, 24, NETADDR_RESERVED},    /* IETF protocol assignments */
    {{192, 0, 2}, 24, NETADDR_RESERVED},    /* documentation */
    {{192, 168}, 16, NETADDR_PRIVATE},      /* RFC 1918 */
    {{198, 18}, 15, NETADDR_RESERVED},      /* benchmarking */
    {{198, 51, 100}, 24, NETADDR_RESERVED}, /* documentation */
    {{203, 0, 113}, 24, NETADDR_RESERVED},  /* documentation */
    {{224}, 3, NETADDR_RESERVED},           /* multicast, future use, broadcast */
};

static const range_t V6[] = {
    {{0}, 128, NETADDR_RESERVED},                                              /* :: */
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, NETADDR_LOOPBACK}, /* ::1 */
    {{0x01, 0x00}, 64, NETADDR_RESERVED},             /* discard-only 100::/64 */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, NETADDR_RESERVED}, /* documentation */
    {{0xfc}, 7, NETADDR_PRIVATE},                     /* unique local */
    {{0xfe, 0x80}, 10, NETADDR_LINK_LOCAL},           /* */
    {{0xfe, 0xc0}, 10, NETADDR_PRIVATE},              /* site-local (deprecated) */
    {{0xff}, 8, NETADDR_RESERVED},                    /* multicast */
};

static netaddr_kind_t
classify_v4(const unsigned char *a)
{
    for (size_t i = 0; i < sizeof V4 / sizeof V4[0]; i++)
        if (in_prefix(a, V4[i].prefix, V4[i].bits))
            return V4[i].kind;
    return NETADDR_PUBLIC;
}

netaddr_kind_t
netaddr_classify(const unsigned char *addr, size_t len)
{
    if (len == 4)
        return classify_v4(addr);
    if (len != 16)
        return NETADDR_RESERVED;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0x00, 0x64, 0xff, 0x9b};
    if (memcmp(addr, mapped, 12) == 0 || memcmp(addr, nat64, 12) == 0)
        return classify_v4(addr + 12);
    for (size_t i = 0; i < sizeof V6 / sizeof V6[0]; i++)
        if (in_prefix(addr, V6[i].prefix, V6[i].bits))
            return V6[i].kind;
    /* only 2000::/3 is global unicast; the rest is not assigned */
    return (addr[0] & 0xE0) == 0x20 ? NETADDR_PUBLIC : NETADDR_RESERVED;
}

const char *
netaddr_kind_zh(netaddr_kind_t k)
{
    switch (k) {
    case NETADDR_PUBLIC:
        return "公网地址";
    case NETADDR_LOOPBACK:
        return "回环地址";
    case NETADDR_PRIVATE:
        return "内网地址";
    case NETADDR_LINK_LOCAL:
        return "链路本地地址";
    case NETADDR_RESERVED:
        return "保留地址";
    }
    return "?";
}

const char *
netaddr_kind_en(netaddr_kind_t k)
{
    switch (k) {
    case NETADDR_PUBLIC:
        return "a public address";
    case NETADDR_LOOPBACK:
        return "a loopback address";
    case NETADDR_PRIVATE:
        return "a private address";
    case NETADDR_LINK_LOCAL:
        return "a link-local address";
    case NETADDR_RESERVED:
        return "a reserved address";
    }
    return "?";
}
