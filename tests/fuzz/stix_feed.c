/*
 * stix_feed.c — fuzzes the threat-feed readers of in-force monitoring
 * (data/feed.c): the first byte picks feed_parse_stix (even) or
 * feed_parse_kev (odd), the rest is the request body. Beyond the
 * sanitizers: an accepted feed holds at most the batch limit of signals,
 * each with a source, a source id, a title, a severity of the rules and
 * only catalogue codes; a refusal is the client's (400 or 422, never a
 * server error) and leaves nothing allocated.
 */
#include <string.h>

#include "data/feed.h"
#include "data/monitor.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const monitor_data_t *md, const feed_t *f)
{
    if (f->n > 50)
        fuzz_die("feed", "more signals than the limit");
    for (size_t i = 0; i < f->n; i++) {
        const feed_signal_t *s = &f->items[i];
        if (!s->source[0] || !s->source_id[0] || !s->title[0] ||
            monitor_severity_find(md, s->severity) == NULL ||
            (s->cve[0] && !feed_vuln_id_ok(s->cve)))
            fuzz_die("feed", "an accepted signal breaks a rule");
        for (size_t k = 0; k < s->n_vendors; k++)
            if (monitor_vendor_find(md, s->vendors[k]) == NULL)
                fuzz_die("feed", "a vendor code not in the catalogue");
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static monitor_data_t *md;
    cy_error_t err;
    if (md == NULL && monitor_data_load(FUZZ_DATA, &md, &err) != CY_OK)
        fuzz_die("monitor_data_load", err.message);
    if (size == 0)
        return 0;
    feed_t f;
    const char *text = (const char *)data + 1;
    cy_status_t st = (data[0] & 1) ? feed_parse_kev(md, text, size - 1, 50, &f, &err)
                                   : feed_parse_stix(md, text, size - 1, 50, &f, &err);
    if (st == CY_OK) {
        check(md, &f);
        feed_free(&f);
        return 0;
    }
    if (f.items != NULL || f.n != 0)
        fuzz_die("feed", "a refusal kept signals");
    fuzz_refused(&err);
    if (st != CY_EINVAL && st != CY_EBADREQ)
        fuzz_die("feed", err.message);
    return 0;
}
