/*
 * data/feed.h — threat feeds from outside, read strictly into signals for
 * in-force monitoring (docs/monitoring.md): a STIX 2.1 bundle (its
 * vulnerability objects, each matched to the catalogue's vendors through the
 * software objects that "have" it; indicators, sightings and the other
 * objects checked and counted) and a known-exploited-vulnerabilities
 * catalogue in the CISA KEV JSON format (CVE, CNVD or CNNVD identifiers;
 * vendorProject/product matched to the catalogue). A refusal names the
 * field ("objects[2].name", "vulnerabilities[0].cveID"): CY_EBADREQ when
 * the text is not JSON, CY_EINVAL when it breaks the format. Nothing is
 * kept from a refused feed. May use jansson; never store/, app/, http/ or
 * cli/ (tests/fuzz/stix_feed.c runs both parsers on any bytes).
 */
#ifndef CY_DATA_FEED_H
#define CY_DATA_FEED_H

#include <stddef.h>

#include "core/error.h"
#include "data/monitor.h"

typedef struct {
    char source[64];     /* "stix", "cisa_kev" */
    char source_id[128]; /* the vulnerability's STIX id, the KEV entry's identifier */
    char kind[16];       /* "vulnerability", "kev" */
    char cve[40];        /* CVE-…, CNVD-… or CNNVD-…; "" when none */
    char severity[16];   /* a code of the rules' severities */
    char title[512];
    char vendors[MON_MAX_MATCH][40]; /* catalogue codes it affects */
    size_t n_vendors;
} feed_signal_t;

typedef struct {
    feed_signal_t *items;
    size_t n;
    size_t ignored; /* objects checked but not signals (indicators, sightings, identities …) */
} feed_t;

/* At most max signals; more is refused (field "objects" / "vulnerabilities"). */
cy_status_t feed_parse_stix(const monitor_data_t *md, const char *text, size_t len, size_t max,
                            feed_t *out, cy_error_t *err);
cy_status_t feed_parse_kev(const monitor_data_t *md, const char *text, size_t len, size_t max,
                           feed_t *out, cy_error_t *err);
void feed_free(feed_t *f);

/* Whether s is a CVE-YYYY-NNNN+, CNVD-YYYY-NNNNN+ or CNNVD-YYYYMM-NNNN+ identifier. */
int feed_vuln_id_ok(const char *s);

#endif
