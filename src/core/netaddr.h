/*
 * netaddr.h — what kind of network address an IP address is, so that the
 * platform never sends a request (a webhook) into the network it runs in
 * unless its operator allows it: loopback, private (RFC 1918, CGNAT RFC 6598,
 * unique-local fc00::/7), link-local (169.254/16 — cloud metadata services —
 * and fe80::/10), and reserved ranges (unspecified, multicast, documentation,
 * benchmarking, future use). An IPv4-mapped or NAT64 IPv6 address is judged
 * by the IPv4 address it carries. Pure: libc only.
 */
#ifndef CY_CORE_NETADDR_H
#define CY_CORE_NETADDR_H

#include <stddef.h>

typedef enum {
    NETADDR_PUBLIC,
    NETADDR_LOOPBACK,
    NETADDR_PRIVATE,
    NETADDR_LINK_LOCAL,
    NETADDR_RESERVED,
} netaddr_kind_t;

/* addr: 4 bytes (IPv4) or 16 bytes (IPv6), network order; any other len is reserved. */
netaddr_kind_t netaddr_classify(const unsigned char *addr, size_t len);

/* The kind in words: "回环地址" / "a loopback address", ... */
const char *netaddr_kind_zh(netaddr_kind_t k);
const char *netaddr_kind_en(netaddr_kind_t k);

#endif
