/*
 * uw_json.h — the one mapping of underwriting between the API's JSON and
 * app/uw/uw.h (uw_json.c): request bodies into the use cases' inputs
 * (translated, never judged: every refusal is the use case's), records into
 * the answers' JSON. Private to http/uw.c. Never includes sqlite3 or libpq.
 */
#ifndef CY_HTTP_UW_JSON_H
#define CY_HTTP_UW_JSON_H

#include <jansson.h>

#include "app/uw/uw.h"
#include "http/http.h"

/* ---------- requests ---------- */

/*
 * Lists an input points into (flags, answers, findings, coverages), owned by
 * the mapping until uwj_lists_free; the body must outlive the use case too.
 * A mapping answers 0 only when it ran out of memory.
 */
typedef struct {
    uw_value_t *values;
    uw_answer_in_t *answers;
    uw_finding_in_t *findings;
} uwj_lists_t;

void uwj_lists_free(uwj_lists_t *l);

void uwj_product_in(json_t *b, uw_product_in_t *in);
void uwj_filing_in(json_t *b, uw_filing_in_t *in);
int uwj_assessment_in(json_t *b, uw_assessment_in_t *in, uwj_lists_t *l);
int uwj_findings_in(json_t *b, uw_findings_in_t *in, uwj_lists_t *l);
/* The application; *indicative says whether it asks for an indicative price only. */
int uwj_quote_in(json_t *b, uw_quote_in_t *in, int *indicative, uwj_lists_t *l);
void uwj_referral_in(json_t *b, uw_referral_in_t *in);
void uwj_endorse_in(json_t *b, uw_endorse_in_t *in);
void uwj_cancel_in(json_t *b, uw_cancel_in_t *in);
void uwj_renew_in(json_t *b, uw_renew_in_t *in);

/* ---------- answers ---------- */

json_t *uwj_product(const uw_product_t *p);
json_t *uwj_products(const uw_product_list_t *l);
json_t *uwj_rate_table(const uw_rate_table_t *t);
/* The rate table as CSV text (malloc'd, *len bytes), or NULL when out of memory. */
char *uwj_rate_table_csv(const uw_rate_table_t *t, size_t *len);
json_t *uwj_questionnaire(const qn_t *qn);
json_t *uwj_assessment(const uw_assessment_t *a, http_docs_t *d);
json_t *uwj_assessments(const uw_assessment_list_t *l);
json_t *uwj_quote(const uw_quote_t *q, http_docs_t *d);
json_t *uwj_quotes(const uw_quote_list_t *l);
/* An indicative price as JSON text (malloc'd; NULL when out of memory). */
char *uwj_indicative_text(const uw_indicative_t *q);
json_t *uwj_policy(const uw_policy_t *y, http_docs_t *d);
json_t *uwj_policies(const uw_policy_list_t *l, http_docs_t *d);
/* What a renewal of a policy needs: whether it may be asked for, why not, the assessments. */
json_t *uwj_renewal_options(const uw_renewal_options_t *o);
/* The reasons a policy may be cancelled for, with their words. */
json_t *uwj_cancel_reasons(void);

#endif
