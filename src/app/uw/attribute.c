/*
 * attribute.c — a policy belongs to the pilot (and catalogued scheme) it
 * was written under (issue 13): its insurer attributes it, or changes the
 * attribution, with a reason the audit log keeps. The pilot must be active
 * and both the insurer and the insured must take part in it: the plan's
 * author or one of its units, or — for an authority's own plan (Annex 2) —
 * an organisation of that authority's region (the insured's region at
 * binding, the insurer's registered region). The pilot tables are only
 * read here. Depends on core/, store/; never http/ or cli/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"

/* The pilot as the rule needs it, with how many ways each party takes part. */
typedef struct {
    int found, active, annex;
    char round_id[16], code[40], author_region[8];
    org_type_t author_type;
    int64_t insurer_in, insured_in;
} pilot_party_t;

static cy_status_t
pilot_party(store_conn_t *c, int64_t pilot_id, const uw_policy_t *y, pilot_party_t *pp,
            cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(pilot_id), STORE_P_INT(y->insurer_org_id),
                         STORE_P_INT(y->insured_org_id)};
    store_rows_t *r;
    cy_status_t st = store_query(
        c,
        "SELECT t.status, t.round_id, t.code, pl.annex, ao.type AS author_type, ao.region_code "
        "AS author_region, (SELECT COUNT(*) FROM pilot_unit u WHERE u.kind = 'plan' AND "
        "u.doc_id = pl.id AND u.org_id = $2) + CASE WHEN pl.author_org_id = $2 THEN 1 ELSE 0 END "
        "AS insurer_in, (SELECT COUNT(*) FROM pilot_unit u WHERE u.kind = 'plan' AND u.doc_id = "
        "pl.id AND u.org_id = $3) + CASE WHEN pl.author_org_id = $3 THEN 1 ELSE 0 END AS "
        "insured_in FROM pilot t JOIN pilot_plan pl ON pl.id = t.plan_id JOIN organisation ao ON "
        "ao.id = pl.author_org_id WHERE t.id = $1",
        p, 3, &r, err);
    if (st != CY_OK)
        return st;
    memset(pp, 0, sizeof *pp);
    int more = store_rows_next(r, err);
    if (more == 1) {
        pp->found = 1;
        pp->active = strcmp(store_row_text(r, "status"), "active") == 0;
        pp->annex = (int)store_row_int(r, "annex");
        store_row_copy(r, "round_id", pp->round_id, sizeof pp->round_id);
        store_row_copy(r, "code", pp->code, sizeof pp->code);
        store_row_copy(r, "author_region", pp->author_region, sizeof pp->author_region);
        authz_org_type_parse(store_row_text(r, "author_type"), &pp->author_type);
        pp->insurer_in = store_row_int(r, "insurer_in");
        pp->insured_in = store_row_int(r, "insured_in");
    }
    store_rows_free(r);
    return more < 0 ? err->status : CY_OK;
}

/* 1 when region lies in the region of the authority that wrote an Annex 2 plan. */
static int
in_authority_region(const pilot_party_t *pp, const char *region)
{
    char prefix[7];
    return pp->annex == 2 && authz_region_prefix(pp->author_type, pp->author_region, prefix) &&
           strncmp(region, prefix, strlen(prefix)) == 0;
}

static cy_status_t
check_pilot(store_conn_t *c, const uw_attribution_in_t *in, const uw_policy_t *y,
            const char *insurer_region, pilot_party_t *pp, cy_error_t *err)
{
    cy_status_t st = pilot_party(c, in->pilot_id, y, pp, err);
    if (st == CY_OK && !pp->found)
        return cy_error_set(err, CY_EINVAL, "pilot_unknown", "pilot_id",
                            "没有编号为 %" PRId64 " 的试点 / there is no pilot %" PRId64,
                            in->pilot_id, in->pilot_id);
    if (st == CY_OK && !pp->active)
        return cy_error_set(err, CY_EINVAL, "pilot_not_active", "pilot_id",
                            "试点 %s 已退出 / pilot %s has exited", pp->code, pp->code);
    if (st == CY_OK && pp->insurer_in == 0 && !in_authority_region(pp, insurer_region))
        return cy_error_set(err, CY_EINVAL, "pilot_not_party", "pilot_id",
                            "保险机构不是试点 %s 的参与单位 / the insurer does not take part in "
                            "pilot %s",
                            pp->code, pp->code);
    if (st == CY_OK && pp->insured_in == 0 && !in_authority_region(pp, y->bound.region))
        return cy_error_set(err, CY_EINVAL, "pilot_not_party", "pilot_id",
                            "被保险企业不是试点 %s 的参与单位 / the insured does not take part "
                            "in pilot %s",
                            pp->code, pp->code);
    if (st != CY_OK || in->scheme_id == 0)
        return st;
    int64_t n = 0;
    int row = 0;
    store_param_t p[] = {STORE_P_INT(in->scheme_id), STORE_P_TEXT(pp->round_id)};
    st = store_query_int(c,
                         "SELECT COUNT(*) FROM pilot_scheme WHERE id = $1 AND round_id = $2 AND "
                         "status = 'catalogued'",
                         p, 2, &n, &row, err);
    if (st == CY_OK && n != 1)
        st = cy_error_set(err, CY_EINVAL, "scheme_unknown", "scheme_id",
                          "服务方案 %" PRId64 " 不是本轮目录中的方案 / scheme %" PRId64
                          " is not in the catalogue of the pilot's round",
                          in->scheme_id, in->scheme_id);
    return st;
}

/* The insurer's registered region (the insured's is the policy's, as bound). */
static cy_status_t
insurer_region(store_conn_t *c, int64_t org_id, char out[8], cy_error_t *err)
{
    uw_org_t o;
    int found = 0;
    cy_status_t st = uw_org_read(c, org_id, &o, &found, err);
    snprintf(out, 8, "%s", st == CY_OK && found ? o.region : "");
    return st;
}

static cy_status_t
attribute(store_conn_t *c, const actor_t *a, int64_t now, const uw_attribution_in_t *in,
          uw_policy_t *y, cy_error_t *err)
{
    char region[8], at[32], id[24];
    pilot_party_t pp;
    cy_status_t st = insurer_region(c, y->insurer_org_id, region, err);
    if (st == CY_OK)
        st = check_pilot(c, in, y, region, &pp, err);
    utc_format_iso(now, at);
    if (st == CY_OK)
        st = uw_policy_set_pilot(c, y->id, in->pilot_id, in->scheme_id, at, err);
    if (st != CY_OK)
        return st;
    return app_audit_append(c, a, now, "policy.attribute", "policy", uw_id_text(y->id, id), err,
                            "保单 %s 归属试点 %s（服务方案 %" PRId64
                            "）：%s / policy %s attributed "
                            "to pilot %s (scheme %" PRId64 "): %s",
                            y->policy_no, pp.code, in->scheme_id, in->reason, y->policy_no, pp.code,
                            in->scheme_id, in->reason);
}

cy_status_t
uw_policy_attribute(store_conn_t *c, const actor_t *a, int64_t now, const uw_attribution_in_t *in,
                    uw_policy_t *y, cy_error_t *err)
{
    cy_status_t st = uw_text_check(in->reason, "reason", 500, 1, err);
    if (st == CY_OK && strspn(in->reason, " \t\r\n") == strlen(in->reason))
        st = cy_error_set(err, CY_EINVAL, "missing_field", "reason",
                          "请说明归属试点的理由 / say why the policy belongs to the pilot");
    if (st == CY_OK)
        st = attribute(c, a, now, in, y, err);
    if (st == CY_OK) {
        y->pilot_id = in->pilot_id;
        y->scheme_id = in->scheme_id;
    }
    return st;
}

cy_status_t
app_uw_policy_attribute(app_t *app, const actor_t *a, int64_t now, int64_t id,
                        const uw_attribution_in_t *in, uw_policy_t *y, cy_error_t *err)
{
    memset(y, 0, sizeof *y);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st != CY_OK)
        return st;
    int found = 0;
    st = uw_policy_read(c, id, y, &found, err);
    if (st == CY_OK && (!found || !uw_policy_visible(a, y)))
        st = app_not_found(err, "保单", "policy", id);
    if (st == CY_OK &&
        !(uw_may(a, ACT_POLICY_ATTRIBUTE) && (a->cli || y->insurer_org_id == a->org_id)))
        st = app_forbidden(err, ACT_POLICY_ATTRIBUTE);
    if (st == CY_OK)
        st = uw_policy_attribute(c, a, now, in, y, err);
    uw_policy_free(y);
    if (st == CY_OK)
        st = uw_policy_read(c, id, y, &found, err);
    st = store_tx_close(app->store, c, st, err);
    if (st == CY_OK) {
        uw_policy_at(y, now);
        y->actions = uw_policy_actions(a, y);
    } else {
        uw_policy_free(y);
    }
    return st;
}
