/*
 * test_netaddr.c — which addresses a webhook may be sent to (core/netaddr.h):
 * the edges of every private, loopback, link-local and reserved range, on
 * both sides, IPv4-mapped and NAT64 IPv6 judged by their IPv4 address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <arpa/inet.h>
#include <string.h>

#include "core/netaddr.h"

static netaddr_kind_t
kind(const char *text)
{
    unsigned char a[16];
    if (strchr(text, ':') != NULL) {
        assert_int_equal(inet_pton(AF_INET6, text, a), 1);
        return netaddr_classify(a, 16);
    }
    assert_int_equal(inet_pton(AF_INET, text, a), 1);
    return netaddr_classify(a, 4);
}

typedef struct {
    const char *addr;
    netaddr_kind_t want;
} case_t;

static void
check(const case_t *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (kind(cases[i].addr) != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].addr, kind(cases[i].addr), cases[i].want);
}

CY_TEST(test_netaddr_ipv4_ranges_and_their_edges)
{
    (void)state;
    static const case_t cases[] = {
        {"8.8.8.8", NETADDR_PUBLIC},
        {"1.1.1.1", NETADDR_PUBLIC},
        {"0.0.0.0", NETADDR_RESERVED},
        {"0.255.255.255", NETADDR_RESERVED},
        {"9.255.255.255", NETADDR_PUBLIC},
        {"10.0.0.0", NETADDR_PRIVATE},
        {"10.255.255.255", NETADDR_PRIVATE},
        {"11.0.0.0", NETADDR_PUBLIC},
        {"100.63.255.255", NETADDR_PUBLIC},
        {"100.64.0.0", NETADDR_PRIVATE},
        {"100.127.255.255", NETADDR_PRIVATE},
        {"100.128.0.0", NETADDR_PUBLIC},
        {"126.255.255.255", NETADDR_PUBLIC},
        {"127.0.0.1", NETADDR_LOOPBACK},
        {"127.255.255.254", NETADDR_LOOPBACK},
        {"169.253.255.255", NETADDR_PUBLIC},
        {"169.254.169.254", NETADDR_LINK_LOCAL},
        {"169.255.0.0", NETADDR_PUBLIC},
        {"172.15.255.255", NETADDR_PUBLIC},
        {"172.16.0.0", NETADDR_PRIVATE},
        {"172.31.255.255", NETADDR_PRIVATE},
        {"172.32.0.0", NETADDR_PUBLIC},
        {"192.0.0.8", NETADDR_RESERVED},
        {"192.0.2.1", NETADDR_RESERVED},
        {"192.0.3.1", NETADDR_PUBLIC},
        {"192.167.255.255", NETADDR_PUBLIC},
        {"192.168.1.1", NETADDR_PRIVATE},
        {"192.169.0.0", NETADDR_PUBLIC},
        {"198.17.255.255", NETADDR_PUBLIC},
        {"198.18.0.0", NETADDR_RESERVED},
        {"198.19.255.255", NETADDR_RESERVED},
        {"198.20.0.0", NETADDR_PUBLIC},
        {"198.51.100.7", NETADDR_RESERVED},
        {"203.0.113.9", NETADDR_RESERVED},
        {"223.255.255.255", NETADDR_PUBLIC},
        {"224.0.0.1", NETADDR_RESERVED},
        {"240.0.0.1", NETADDR_RESERVED},
        {"255.255.255.255", NETADDR_RESERVED},
    };
    check(cases, sizeof cases / sizeof cases[0]);
}

CY_TEST(test_netaddr_ipv6_ranges_and_embedded_ipv4)
{
    (void)state;
    static const case_t cases[] = {
        {"::", NETADDR_RESERVED},
        {"::1", NETADDR_LOOPBACK},
        {"::2", NETADDR_RESERVED},
        {"2400:3200::1", NETADDR_PUBLIC},
        {"2001:4860:4860::8888", NETADDR_PUBLIC},
        {"3fff:ffff::1", NETADDR_PUBLIC},
        {"4000::1", NETADDR_RESERVED},
        {"1fff::1", NETADDR_RESERVED},
        {"2001:db8::1", NETADDR_RESERVED},
        {"2001:db9::1", NETADDR_PUBLIC},
        {"100::1", NETADDR_RESERVED},
        {"fbff:ffff::1", NETADDR_RESERVED},
        {"fc00::1", NETADDR_PRIVATE},
        {"fdff:ffff::1", NETADDR_PRIVATE},
        {"fe80::1", NETADDR_LINK_LOCAL},
        {"febf:ffff::1", NETADDR_LINK_LOCAL},
        {"fec0::1", NETADDR_PRIVATE},
        {"ff02::1", NETADDR_RESERVED},
        {"::ffff:127.0.0.1", NETADDR_LOOPBACK},
        {"::ffff:10.1.2.3", NETADDR_PRIVATE},
        {"::ffff:8.8.8.8", NETADDR_PUBLIC},
        {"64:ff9b::a9fe:a9fe", NETADDR_LINK_LOCAL}, /* NAT64 of 169.254.169.254 */
        {"64:ff9b::808:808", NETADDR_PUBLIC},
    };
    check(cases, sizeof cases / sizeof cases[0]);
    unsigned char five[5] = {8, 8, 8, 8, 8};
    assert_int_equal(netaddr_classify(five, 5), NETADDR_RESERVED);
    assert_string_equal(netaddr_kind_en(NETADDR_LOOPBACK), "a loopback address");
    assert_string_equal(netaddr_kind_zh(NETADDR_LINK_LOCAL), "链路本地地址");
}
