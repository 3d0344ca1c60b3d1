/*
 * portfolio.c — the book in force → sim_portfolio_t. The policies and their
 * terms as in force at the time asked are underwriting's to say
 * (app_uw_book_in_force: the last change effective by then, a cancellation
 * from its date on), so the simulation runs on the book a policy's page
 * shows; each policy's terms are validated by the terms engine as any
 * exposure file's are. Depends on core/, sim/'s structs and app/uw/uw.h.
 */
#include "app/sim/portfolio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bjtime.h"
#include "core/cov.h"
#include "app/uw/uw.h"
#include "core/terms.h"

/* src into dst (cap bytes, NUL included), cut at a UTF-8 character boundary. */
static void
copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* A policy of the book, with its terms as in force, as the simulation takes it. */
static void
policy_of(const uw_book_policy_t *b, sim_policy_t *sp)
{
    const uw_terms_t *t = &b->terms;
    memset(sp, 0, sizeof *sp);
    copy_text(sp->id, sizeof sp->id, b->policy_no);
    copy_text(sp->name, sizeof sp->name, b->insured_name);
    sp->section = t->section;
    copy_text(sp->region, sizeof sp->region, t->region);
    for (int d = 0; d < SIM_DEP_N; d++)
        copy_text(sp->dep[d], sizeof sp->dep[d], t->dep[d]);
    sp->grade = b->grade;
    sp->revenue = t->revenue;
    sp->gross_margin = t->margin_bp < 0 ? -1.0 : (double)t->margin_bp / 1e4;
    terms_init(&sp->terms, t->limit);
    sp->terms.retention = t->retention;
    sp->terms.bi_waiting_hours = (double)t->bi_waiting_hours;
    for (int c = 0; c < COV_N; c++)
        if (t->covered & (1u << c)) {
            sp->terms.covered |= 1u << c;
            sp->terms.sublimit[c] = t->sublimit[c];
            sp->terms.share[c] = (double)t->share_bp[c] / 1e4;
        }
}

cy_status_t
app_portfolio_in_force(app_t *app, const actor_t *actor, int64_t now, sim_portfolio_t *out,
                       cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    int all = actor->cli || authz_sees_all(actor->org_type);
    if (!all && actor->org_type != ORG_INSURER)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", NULL,
                            "只有保险机构可模拟其在保业务 / only an insurer simulates its book");
    char at[32];
    utc_format_iso(now, at);
    uw_book_t book;
    cy_status_t st = app_uw_book_in_force(app, actor, now, &book, err);
    if (st == CY_OK && book.n == 0)
        st = cy_error_set(err, CY_EINVAL, "portfolio_empty", "portfolio",
                          "没有在保保单可供模拟 / no policies in force to simulate");
    if (st == CY_OK && (out->policies = calloc(book.n, sizeof *out->policies)) == NULL)
        st = cy_error_no_memory(err);
    for (size_t i = 0; st == CY_OK && i < book.n; i++) {
        policy_of(&book.items[i], &out->policies[out->n++]);
        cy_error_t terr;
        if (terms_validate(&out->policies[i].terms, &terr) != CY_OK)
            st = cy_error_set(err, CY_EINVAL, "policy_terms", "portfolio",
                              "保单 %s 的条款无效：%s / policy %s has invalid terms: %s",
                              out->policies[i].id, terr.message, out->policies[i].id, terr.message);
    }
    uw_book_free(&book);
    snprintf(out->source, sizeof out->source, "policies in force at %s", at);
    if (st != CY_OK)
        sim_portfolio_free(out);
    return st;
}
