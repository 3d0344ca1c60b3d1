/*
 * test_monitor_feed.c — in-force monitoring's pure parts: the continuous
 * score (core/monscore.h) worked by hand, the nearest vendor code, and the
 * strict readers of STIX 2.1 bundles and KEV catalogues (data/feed.h) on
 * good feeds (what each signal affects) and on every kind of bad one (the
 * field named, nothing kept).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include "cytest.h"

#include <stdio.h>
#include <string.h>

#include "core/monscore.h"
#include "data/feed.h"
#include "data/monitor.h"

#define DATA_DIR CY_SOURCE_DIR "/data"

static const double GRADE_MIN[5] = {85, 70, 55, 40, 0};

CY_TEST(test_score)
{
    (void)state;
    int64_t s;
    char g;
    /* 80.00, B; one critical open (15): 65.00 → C */
    mon_score(8000, 'B', 15, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 6500);
    assert_int_equal(g, 'C');
    /* nothing open: the assessment's own score and grade */
    mon_score(8000, 'B', 0, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 8000);
    assert_int_equal(g, 'B');
    /* a capped grade stays capped: 90.00 but C by a critical answer */
    mon_score(9000, 'C', 0, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 9000);
    assert_int_equal(g, 'C');
    /* the ceiling: 3 critical (45) count 40 → 87.5 − 40 = 47.5, D */
    mon_score(8750, 'A', 45, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 4750);
    assert_int_equal(g, 'D');
    /* never below 0; the edge of a grade belongs to it (85.00 is A) */
    mon_score(1000, 'E', 20, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 0);
    mon_score(9500, 'A', 1, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 9400);
    mon_score(9500, 'A', 10, 40, GRADE_MIN, &s, &g);
    assert_int_equal(s, 8500);
    assert_int_equal(g, 'A');
    mon_score(9500, 'A', 11, 40, GRADE_MIN, &s, &g);
    assert_int_equal(g, 'B');
}

CY_TEST(test_nearest)
{
    (void)state;
    const char *codes[] = {"aliyun", "fortinet", "paloalto", "linux"};
    assert_int_equal(mon_distance("fortinte", "fortinet"), 2);
    assert_int_equal(mon_distance("", "abc"), 3);
    assert_int_equal(mon_nearest("fortnet", codes, 4), 1);
    assert_int_equal(mon_nearest("palo_alto", codes, 4), 2);
    assert_int_equal(mon_nearest("x", codes, 0), -1);
}

static monitor_data_t *md;

static int
setup(void **state)
{
    (void)state;
    cy_error_t err;
    return monitor_data_load(DATA_DIR, &md, &err) == CY_OK ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    monitor_data_free(md);
    return 0;
}

CY_GROUP("tests", setup, teardown);

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"
#define T                                                                                          \
    "\"spec_version\":\"2.1\",\"created\":\"2026-01-02T03:04:05.000Z\",\"modified\":\"2026-01-"    \
    "02T03:04:05Z\""

static const char *BUNDLE =
    "{\"type\":\"bundle\",\"id\":\"bundle--" U1 "\",\"objects\":["
    "{\"type\":\"vulnerability\",\"id\":\"vulnerability--" U1 "\"," T
    ",\"name\":\"PAN-OS GlobalProtect\","
    "\"external_references\":[{\"source_name\":\"cve\",\"external_id\":\"CVE-2024-3400\"}],"
    "\"x_cyberins_severity\":\"critical\"},"
    "{\"type\":\"software\",\"id\":\"software--" U2 "\",\"name\":\"PAN-OS\","
    "\"cpe\":\"cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--" U3 "\"," T
    ",\"relationship_type\":\"has\","
    "\"source_ref\":\"software--" U2 "\",\"target_ref\":\"vulnerability--" U1 "\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--" U2 "\"," T ",\"pattern\":\"[ipv4-addr:value = "
    "'203.0.113.5']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"},"
    "{\"type\":\"sighting\",\"id\":\"sighting--" U3 "\"," T ",\"sighting_of_ref\":\"indicator--" U2
    "\"},"
    "{\"type\":\"vulnerability\",\"id\":\"vulnerability--" U2 "\"," T
    ",\"name\":\"nothing we know\"}"
    "]}";

CY_TEST(test_stix)
{
    (void)state;
    feed_t f;
    cy_error_t err;
    assert_int_equal(feed_parse_stix(md, BUNDLE, strlen(BUNDLE), 1000, &f, &err), CY_OK);
    assert_int_equal(f.n, 2);
    assert_int_equal(f.ignored, 4);
    assert_string_equal(f.items[0].source, "stix");
    assert_string_equal(f.items[0].source_id, "vulnerability--" U1);
    assert_string_equal(f.items[0].cve, "CVE-2024-3400");
    assert_string_equal(f.items[0].severity, "critical");
    assert_string_equal(f.items[0].title, "PAN-OS GlobalProtect");
    assert_int_equal(f.items[0].n_vendors, 1);
    assert_string_equal(f.items[0].vendors[0], "paloalto");
    assert_string_equal(f.items[1].severity, "high"); /* the rules' default */
    assert_int_equal(f.items[1].n_vendors, 0);
    feed_free(&f);
    /* at most max */
    assert_int_equal(feed_parse_stix(md, BUNDLE, strlen(BUNDLE), 1, &f, &err), CY_EINVAL);
    assert_string_equal(err.field, "objects");
    assert_null(f.items);
}

/*
 * Matching by id: a relationship names its software by the first object of
 * that id and gives vendors to every vulnerability of its target id, in the
 * bundle's order; a relationship to an unknown id, or from an object that is
 * not software, gives nothing.
 */
#define U4 "44444444-4444-4444-8444-444444444444"
static const char *MATCHES =
    "{\"type\":\"bundle\",\"id\":\"bundle--" U1 "\",\"objects\":["
    "{\"type\":\"relationship\",\"id\":\"relationship--" U1 "\"," T
    ",\"relationship_type\":\"has\","
    "\"source_ref\":\"software--" U3 "\",\"target_ref\":\"vulnerability--" U1 "\"},"
    "{\"type\":\"vulnerability\",\"id\":\"vulnerability--" U1 "\"," T ",\"name\":\"first\"},"
    "{\"type\":\"software\",\"id\":\"software--" U2 "\",\"name\":\"FortiOS\","
    "\"cpe\":\"cpe:2.3:o:fortinet:fortios:7.0:*:*:*:*:*:*:*\"},"
    "{\"type\":\"vulnerability\",\"id\":\"vulnerability--" U2 "\"," T ",\"name\":\"other\"},"
    "{\"type\":\"software\",\"id\":\"software--" U3 "\",\"name\":\"PAN-OS\","
    "\"cpe\":\"cpe:2.3:o:paloaltonetworks:pan-os:10.2.9:*:*:*:*:*:*:*\"},"
    "{\"type\":\"software\",\"id\":\"software--" U3 "\",\"name\":\"again\","
    "\"cpe\":\"cpe:2.3:o:fortinet:fortios:7.0:*:*:*:*:*:*:*\"},"
    "{\"type\":\"vulnerability\",\"id\":\"vulnerability--" U1 "\"," T ",\"name\":\"second\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--" U2 "\"," T
    ",\"relationship_type\":\"has\","
    "\"source_ref\":\"software--" U2 "\",\"target_ref\":\"vulnerability--" U1 "\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--" U3 "\"," T
    ",\"relationship_type\":\"has\","
    "\"source_ref\":\"software--" U4 "\",\"target_ref\":\"vulnerability--" U2 "\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--" U4 "\"," T
    ",\"relationship_type\":\"has\","
    "\"source_ref\":\"vulnerability--" U2 "\",\"target_ref\":\"vulnerability--" U2 "\"}"
    "]}";

CY_TEST(test_stix_matches_by_id)
{
    (void)state;
    feed_t f;
    cy_error_t err;
    assert_int_equal(feed_parse_stix(md, MATCHES, strlen(MATCHES), 1000, &f, &err), CY_OK);
    assert_int_equal(f.n, 3);
    /* both vulnerabilities of id U1: PAN-OS's vendor (the first software--U3), then Fortinet */
    for (int k = 0; k < 3; k += 2) {
        assert_string_equal(f.items[k].source_id, "vulnerability--" U1);
        assert_int_equal(f.items[k].n_vendors, 2);
        assert_string_equal(f.items[k].vendors[0], "paloalto");
        assert_string_equal(f.items[k].vendors[1], "fortinet");
    }
    assert_string_equal(f.items[0].title, "first");
    assert_string_equal(f.items[2].title, "second");
    /* U2: from an unknown software and from a vulnerability, nothing */
    assert_string_equal(f.items[1].source_id, "vulnerability--" U2);
    assert_int_equal(f.items[1].n_vendors, 0);
    feed_free(&f);
}

typedef struct {
    const char *from, *to, *field;
    cy_status_t st;
} bad_t;

CY_TEST(test_stix_bad)
{
    (void)state;
    static const bad_t cases[] = {
        {"\"type\":\"bundle\"", "\"type\":\"bundel\"", "type", CY_EINVAL},
        {"bundle--" U1, "bundle--123", "id", CY_EINVAL},
        {"\"name\":\"PAN-OS GlobalProtect\",", "", "objects[0].name", CY_EINVAL},
        {"\"CVE-2024-3400\"", "\"CVE-24-3400\"", "objects[0].external_references[0]", CY_EINVAL},
        {"\"critical\"", "\"urgent\"", "objects[0].x_cyberins_severity", CY_EINVAL},
        {"\"pattern_type\":\"stix\",", "", "objects[3].pattern_type", CY_EINVAL},
        {"\"sighting_of_ref\":\"indicator--" U2 "\"", "\"sighting_of_ref\":\"x\"",
         "objects[4].sighting_of_ref", CY_EINVAL},
        {"\"source_ref\":\"software--" U2 "\",", "", "objects[2].source_ref", CY_EINVAL},
        {"\"modified\":\"2026-01-02T03:04:05Z\"", "\"modified\":\"2026-01-02 03:04:05\"",
         "objects[0].modified", CY_EINVAL},
        {"\"objects\":[", "\"objects\":{}, \"x\":[", "objects", CY_EINVAL},
        {"]}", "]", "body", CY_EBADREQ},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[8192];
        const char *at = strstr(BUNDLE, cases[i].from);
        assert_non_null(at);
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - BUNDLE), BUNDLE, cases[i].to,
                 at + strlen(cases[i].from));
        feed_t f;
        cy_error_t err;
        assert_int_equal(feed_parse_stix(md, text, strlen(text), 1000, &f, &err), cases[i].st);
        assert_string_equal(err.field, cases[i].field);
        assert_null(f.items);
        assert_int_equal(f.n, 0);
    }
}

static const char *KEV =
    "{\"title\":\"CISA Catalog of Known Exploited "
    "Vulnerabilities\",\"catalogVersion\":\"2026.01.02\","
    "\"count\":2,\"vulnerabilities\":["
    "{\"cveID\":\"CVE-2024-21762\",\"vendorProject\":\"Fortinet\",\"product\":\"FortiOS\","
    "\"vulnerabilityName\":\"Fortinet FortiOS Out-of-Bound Write\",\"dateAdded\":\"2024-02-09\","
    "\"knownRansomwareCampaignUse\":\"Unknown\"},"
    "{\"cveID\":\"CNVD-2024-12345\",\"vendorProject\":\"someone\",\"product\":\"else\","
    "\"vulnerabilityName\":\"unmatched\",\"dateAdded\":\"2024-03-01\"}]}";

CY_TEST(test_kev)
{
    (void)state;
    feed_t f;
    cy_error_t err;
    assert_int_equal(feed_parse_kev(md, KEV, strlen(KEV), 1000, &f, &err), CY_OK);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.items[0].source, "cisa_kev");
    assert_string_equal(f.items[0].source_id, "CVE-2024-21762");
    assert_string_equal(f.items[0].severity, "critical");
    assert_int_equal(f.items[0].n_vendors, 1);
    assert_string_equal(f.items[0].vendors[0], "fortinet");
    assert_string_equal(f.items[1].cve, "CNVD-2024-12345");
    assert_int_equal(f.items[1].n_vendors, 0);
    feed_free(&f);
    static const bad_t cases[] = {
        {"\"CVE-2024-21762\"", "\"CVE-2024-21\"", "vulnerabilities[0].cveID", CY_EINVAL},
        {"\"2024-02-09\"", "\"09/02/2024\"", "vulnerabilities[0].dateAdded", CY_EINVAL},
        {"\"product\":\"FortiOS\",", "", "vulnerabilities[0].product", CY_EINVAL},
        {"\"CNVD-2024-12345\"", "\"CVE-2024-21762\"", "vulnerabilities[1].cveID", CY_EINVAL},
        {"\"vulnerabilities\":[", "\"vulns\":[", "vulnerabilities", CY_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[4096];
        const char *at = strstr(KEV, cases[i].from);
        assert_non_null(at);
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - KEV), KEV, cases[i].to,
                 at + strlen(cases[i].from));
        assert_int_equal(feed_parse_kev(md, text, strlen(text), 1000, &f, &err), cases[i].st);
        assert_string_equal(err.field, cases[i].field);
        assert_null(f.items);
    }
    assert_true(feed_vuln_id_ok("CNNVD-202401-1234"));
    assert_false(feed_vuln_id_ok("CNNVD-2024-1234"));
}
