/*
 * db_policy.c — the tables uw_policy, uw_policy_coverage, uw_endorsement,
 * uw_endorsement_coverage and uw_policy_seq, read and written here only,
 * their columns by name. A policy row is its schedule as bound; each
 * endorsement row a change with the whole schedule from its effective date
 * on, or a cancellation (migration 030). What holds at a time is
 * schedule.c's to say, for one policy and for the book alike: both are read
 * here by the same mappers. A policy's conditions and a change's pricing
 * are JSON made when they were priced, handed out as stored. Depends on
 * store/; never http/ or cli/.
 */
#include <stdlib.h>
#include <string.h>

#include "app/uw/internal.h"
#include "app/util.h"
#include "core/bjtime.h"

#define POLICY_SELECT                                                                              \
    "SELECT y.id, y.quote_id, y.product_id, y.insurer_org_id, y.insured_org_id, y.renewal_of, "    \
    "(SELECT id FROM uw_policy r WHERE r.renewal_of = y.id) AS renewed_by, y.policy_no, "          \
    "y.period_start, y.period_end, y.liability_trigger, y.retro_date, y.aggregate_limit, "         \
    "y.retention, y.bi_waiting_hours, y.industry_section, y.region_code, y.revenue, "              \
    "y.gross_margin_bp, y.grade, y.dep_cloud, y.dep_os, y.dep_vpn, y.dep_email, "                  \
    "y.annual_premium, y.conditions, y.claims_count, y.cancelled_at, y.cancel_effective, "         \
    "y.return_premium, y.created_at, y.updated_at, y.pilot_id, y.scheme_id, "                      \
    "p.name AS product_name, "                                                                     \
    "p.version AS product_version, io.name AS insurer_name, o.name AS insured_name, "              \
    "q.assessment_id AS quote_assessment_id, q.claim_free_years AS quote_claim_free_years FROM "   \
    "uw_policy y JOIN uw_product p ON p.id = y.product_id JOIN organisation io ON io.id = "        \
    "y.insurer_org_id JOIN organisation o ON o.id = y.insured_org_id JOIN uw_quote q ON q.id = "   \
    "y.quote_id "

/* The policies of the book at $1 (UTC ISO): inside their period, of everyone ($2 = 1) or of
 * insurer $3. Whether a cancellation has taken effect is schedule.c's to say. */
#define BOOK_WHERE                                                                                 \
    "WHERE y.period_start <= $1 AND y.period_end > $1 AND ($2 = 1 OR y.insurer_org_id = $3) "

#define ENDORSEMENT_SELECT                                                                         \
    "SELECT e.id, e.policy_id, e.kind, e.effective_at, e.old_annual_premium, "                     \
    "e.new_annual_premium, e.days_remaining, e.days_total, e.premium_delta, e.reason, e.note, "    \
    "e.created_by_user_id, e.created_at, e.aggregate_limit, e.retention, e.industry_section, "     \
    "e.region_code, e.revenue, e.gross_margin_bp, e.dep_cloud, e.dep_os, e.dep_vpn, "              \
    "e.dep_email, e.breakdown FROM uw_endorsement e JOIN uw_policy y ON y.id = e.policy_id "

#define ENDORSEMENT_COVER_SELECT                                                                   \
    "SELECT e.policy_id, ec.endorsement_id, ec.coverage, ec.sublimit, ec.share_bp FROM "           \
    "uw_endorsement_coverage ec JOIN uw_endorsement e ON e.id = ec.endorsement_id JOIN "           \
    "uw_policy y ON y.id = e.policy_id "

#define POLICY_COVER_SELECT                                                                        \
    "SELECT c.policy_id, c.coverage, c.sublimit, c.share_bp FROM uw_policy_coverage c JOIN "       \
    "uw_policy y ON y.id = c.policy_id "

static const char *const DEP_COLS[4] = {"dep_cloud", "dep_os", "dep_vpn", "dep_email"};

/* One query of a policy (by id) or of the book: its SQL tails and parameters. */
typedef struct {
    const char *policies, *covers, *endorsements, *endorsement_covers;
    const store_param_t *p;
    int n;
} selection_t;

static const selection_t ONE = {
    POLICY_SELECT "WHERE y.id = $1",
    POLICY_COVER_SELECT "WHERE y.id = $1 ORDER BY c.policy_id",
    ENDORSEMENT_SELECT "WHERE y.id = $1 ORDER BY e.policy_id, e.effective_at, e.id",
    ENDORSEMENT_COVER_SELECT "WHERE y.id = $1 ORDER BY e.policy_id, ec.endorsement_id",
    NULL,
    1,
};

static const selection_t BOOK = {
    POLICY_SELECT BOOK_WHERE "ORDER BY y.id",
    POLICY_COVER_SELECT BOOK_WHERE "ORDER BY c.policy_id",
    ENDORSEMENT_SELECT BOOK_WHERE "AND e.effective_at <= $1 ORDER BY e.policy_id, e.effective_at, "
                                  "e.id",
    ENDORSEMENT_COVER_SELECT BOOK_WHERE
    "AND e.effective_at <= $1 ORDER BY e.policy_id, ec.endorsement_id",
    NULL,
    3,
};

static char
first_char(const char *s, char dflt)
{
    return s && s[0] ? s[0] : dflt;
}

/* The insured's facts of a schedule, from a policy or a change row (same column names). */
static void
insured_row(const store_rows_t *r, uw_terms_t *t)
{
    t->limit = store_row_int(r, "aggregate_limit");
    t->retention = store_row_int(r, "retention");
    t->section = first_char(store_row_text(r, "industry_section"), 'A');
    store_row_copy(r, "region_code", t->region, sizeof t->region);
    t->revenue = store_row_int(r, "revenue");
    t->margin_bp =
        store_row_isnull(r, "gross_margin_bp") ? -1 : (int)store_row_int(r, "gross_margin_bp");
    for (int d = 0; d < 4; d++)
        store_row_copy(r, DEP_COLS[d], t->dep[d], sizeof t->dep[d]);
}

static void
policy_row(const store_rows_t *r, uw_policy_t *y)
{
    memset(y, 0, sizeof *y);
    y->id = store_row_int(r, "id");
    y->quote_id = store_row_int(r, "quote_id");
    y->product_id = store_row_int(r, "product_id");
    y->insurer_org_id = store_row_int(r, "insurer_org_id");
    y->insured_org_id = store_row_int(r, "insured_org_id");
    y->renewal_of = store_row_int(r, "renewal_of");
    y->renewed_by = store_row_int(r, "renewed_by");
    y->pilot_id = store_row_int(r, "pilot_id");
    y->scheme_id = store_row_int(r, "scheme_id");
    store_row_copy(r, "policy_no", y->policy_no, sizeof y->policy_no);
    store_row_copy(r, "period_start", y->period_start, sizeof y->period_start);
    store_row_copy(r, "period_end", y->period_end, sizeof y->period_end);
    y->start = app_iso_to_time(y->period_start);
    y->end = app_iso_to_time(y->period_end);
    y->days = pricing_days(y->start, y->end);
    store_row_copy(r, "liability_trigger", y->trigger, sizeof y->trigger);
    store_row_copy(r, "retro_date", y->retro_date, sizeof y->retro_date);
    insured_row(r, &y->bound);
    y->bound.bi_waiting_hours = (int)store_row_int(r, "bi_waiting_hours");
    y->bound.annual = store_row_int(r, "annual_premium");
    y->grade = first_char(store_row_text(r, "grade"), 'E');
    const char *cj = store_row_text(r, "conditions");
    y->conditions = strdup(cj ? cj : "[]");
    y->claims_count = (int)store_row_int(r, "claims_count");
    store_row_copy(r, "cancelled_at", y->cancelled_at, sizeof y->cancelled_at);
    store_row_copy(r, "cancel_effective", y->cancel_effective, sizeof y->cancel_effective);
    y->return_premium =
        store_row_isnull(r, "return_premium") ? -1 : store_row_int(r, "return_premium");
    store_row_copy(r, "created_at", y->created_at, sizeof y->created_at);
    store_row_copy(r, "updated_at", y->updated_at, sizeof y->updated_at);
    store_row_copy(r, "product_name", y->product_name, sizeof y->product_name);
    y->product_version = (int)store_row_int(r, "product_version");
    store_row_copy(r, "insurer_name", y->insurer_name, sizeof y->insurer_name);
    store_row_copy(r, "insured_name", y->insured_name, sizeof y->insured_name);
    y->quote_assessment_id = store_row_int(r, "quote_assessment_id");
    y->quote_claim_free_years = (int)store_row_int(r, "quote_claim_free_years");
}

static void
endorsement_row(const store_rows_t *r, uw_endorsement_t *e)
{
    memset(e, 0, sizeof *e);
    e->id = store_row_int(r, "id");
    store_row_copy(r, "kind", e->kind, sizeof e->kind);
    store_row_copy(r, "effective_at", e->effective_at, sizeof e->effective_at);
    e->effective = app_iso_to_time(e->effective_at);
    e->old_annual_premium = store_row_int(r, "old_annual_premium");
    e->new_annual_premium = store_row_int(r, "new_annual_premium");
    e->days_remaining = store_row_int(r, "days_remaining");
    e->days_total = store_row_int(r, "days_total");
    e->premium_delta = store_row_int(r, "premium_delta");
    store_row_copy(r, "reason", e->reason, sizeof e->reason);
    store_row_copy(r, "note", e->note, sizeof e->note);
    e->created_by_user_id = store_row_int(r, "created_by_user_id");
    store_row_copy(r, "created_at", e->created_at, sizeof e->created_at);
    if (strcmp(e->kind, "change") == 0) {
        insured_row(r, &e->after);
        e->after.annual = e->new_annual_premium;
        const char *b = store_row_text(r, "breakdown");
        e->breakdown = b ? strdup(b) : NULL;
    }
}

/* One coverage row into the schedule t. */
static void
cover_row(const store_rows_t *r, uw_terms_t *t)
{
    int cv = cov_find(store_row_text(r, "coverage"));
    if (cv < 0)
        return; /* a coverage the data files no longer know is not insured */
    t->covered |= 1u << cv;
    t->sublimit[cv] = store_row_int(r, "sublimit");
    t->share_bp[cv] = (int)store_row_int(r, "share_bp");
}

static int
cmp_policy_id(const void *key, const void *elem)
{
    int64_t k = *(const int64_t *)key, id = ((const uw_policy_t *)elem)->id;
    return k < id ? -1 : k > id;
}

/* The policy of items (sorted by id) numbered id, or NULL. */
static uw_policy_t *
policy_of(uw_policy_t *items, size_t n, int64_t id)
{
    return bsearch(&id, items, n, sizeof *items, cmp_policy_id);
}

/* Room for one more endorsement of y: endorsements are few, each read grows the list by one. */
static int
endorsement_room(uw_policy_t *y)
{
    uw_endorsement_t *ne = realloc(y->endorsements, (y->n_endorsements + 1) * sizeof *ne);
    if (ne == NULL)
        return 0;
    y->endorsements = ne;
    return 1;
}

static cy_status_t
read_policies(store_conn_t *c, const selection_t *s, uw_policy_t **items, size_t *n,
              cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, s->policies, s->p, s->n, &r, err);
    if (st != CY_OK)
        return st;
    size_t cap = 0;
    int k;
    while ((k = store_rows_next(r, err)) == 1) {
        if (*n == cap) {
            size_t ncap = cap ? 2 * cap : 8;
            uw_policy_t *ni = realloc(*items, ncap * sizeof *ni);
            if (ni == NULL) {
                st = cy_error_no_memory(err);
                break;
            }
            *items = ni;
            cap = ncap;
        }
        uw_policy_t *y = &(*items)[(*n)++];
        policy_row(r, y);
        y->with_endorsements = 1;
        if (y->conditions == NULL) {
            st = cy_error_no_memory(err);
            break;
        }
    }
    if (st == CY_OK && k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

static cy_status_t
read_endorsements(store_conn_t *c, const selection_t *s, uw_policy_t *items, size_t n,
                  cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, s->endorsements, s->p, s->n, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    while (st == CY_OK && (k = store_rows_next(r, err)) == 1) {
        uw_policy_t *y = policy_of(items, n, store_row_int(r, "policy_id"));
        if (y == NULL)
            continue;
        if (!endorsement_room(y))
            st = cy_error_no_memory(err);
        else
            endorsement_row(r, &y->endorsements[y->n_endorsements++]);
    }
    if (st == CY_OK && k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

/* Policy policy_id's endorsement numbered id (a policy has a few), or NULL. */
static uw_endorsement_t *
endorsement_of(uw_policy_t *items, size_t n, int64_t policy_id, int64_t id)
{
    uw_policy_t *y = policy_of(items, n, policy_id);
    for (size_t k = 0; y != NULL && k < y->n_endorsements; k++)
        if (y->endorsements[k].id == id)
            return &y->endorsements[k];
    return NULL;
}

/*
 * The coverage rows of sql (selection s) into the schedules they belong to:
 * the bound one of a policy (by policy_id), or a change's (by endorsement_id).
 */
static cy_status_t
read_covers(store_conn_t *c, const selection_t *s, const char *sql, int of_change,
            uw_policy_t *items, size_t n, cy_error_t *err)
{
    store_rows_t *r;
    cy_status_t st = store_query(c, sql, s->p, s->n, &r, err);
    if (st != CY_OK)
        return st;
    int k;
    uw_endorsement_t *e = NULL;
    while ((k = store_rows_next(r, err)) == 1) {
        uw_terms_t *t = NULL;
        if (of_change) {
            int64_t id = store_row_int(r, "endorsement_id");
            if (e == NULL || e->id != id)
                e = endorsement_of(items, n, store_row_int(r, "policy_id"), id);
            t = e ? &e->after : NULL;
        } else {
            uw_policy_t *y = policy_of(items, n, store_row_int(r, "policy_id"));
            t = y ? &y->bound : NULL;
        }
        if (t != NULL)
            cover_row(r, t);
    }
    if (k < 0)
        st = err->status;
    store_rows_free(r);
    return st;
}

/* The policies of selection s with their coverages and endorsements, walked (schedule.c). */
static cy_status_t
read_selection(store_conn_t *c, const selection_t *s, uw_policy_t **items, size_t *n,
               cy_error_t *err)
{
    *items = NULL;
    *n = 0;
    cy_status_t st = read_policies(c, s, items, n, err);
    if (st == CY_OK && *n > 0)
        st = read_covers(c, s, s->covers, 0, *items, *n, err);
    if (st == CY_OK && *n > 0)
        st = read_endorsements(c, s, *items, *n, err);
    if (st == CY_OK && *n > 0)
        st = read_covers(c, s, s->endorsement_covers, 1, *items, *n, err);
    for (size_t i = 0; i < *n; i++) {
        uw_policy_t *y = &(*items)[i];
        for (size_t k = 0; k < y->n_endorsements; k++)
            if (!strcmp(y->endorsements[k].kind, "change"))
                y->endorsements[k].after.bi_waiting_hours = y->bound.bi_waiting_hours;
        uw_schedule_walk(y);
    }
    if (st != CY_OK) {
        for (size_t i = 0; i < *n; i++)
            uw_policy_free(&(*items)[i]);
        free(*items);
        *items = NULL;
        *n = 0;
    }
    return st;
}

void
uw_policy_free(uw_policy_t *y)
{
    if (y == NULL)
        return;
    free(y->conditions);
    for (size_t k = 0; k < y->n_endorsements; k++)
        free(y->endorsements[k].breakdown);
    free(y->endorsements);
    y->conditions = NULL;
    y->endorsements = NULL;
    y->n_endorsements = 0;
}

void
uw_policy_list_free(uw_policy_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        uw_policy_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

cy_status_t
uw_policy_read(store_conn_t *c, int64_t id, uw_policy_t *y, int *found, cy_error_t *err)
{
    memset(y, 0, sizeof *y);
    store_param_t p[] = {STORE_P_INT(id)};
    selection_t s = ONE;
    s.p = p;
    uw_policy_t *items;
    size_t n;
    cy_status_t st = read_selection(c, &s, &items, &n, err);
    *found = st == CY_OK && n == 1;
    if (*found)
        *y = items[0];
    free(items);
    return st;
}

cy_status_t
uw_book_read(store_conn_t *c, uw_scope_t sc, int64_t now, uw_policy_t **out, size_t *n,
             cy_error_t *err)
{
    char at[32];
    utc_format_iso(now, at);
    store_param_t p[] = {STORE_P_TEXT(at), STORE_P_INT(sc.all), STORE_P_INT(sc.org_id)};
    selection_t s = BOOK;
    s.p = p;
    return read_selection(c, &s, out, n, err);
}

/* ---------- writing ---------- */

static cy_status_t
coverages_write(store_conn_t *c, const char *sql, int64_t id, const uw_terms_t *t, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    for (int cv = 0; cv < COV_N && st == CY_OK; cv++) {
        if (!(t->covered & (1u << cv)))
            continue;
        store_param_t p[] = {STORE_P_INT(id), STORE_P_TEXT(cov_code(cv)),
                             STORE_P_INT(t->sublimit[cv]), STORE_P_INT(t->share_bp[cv])};
        st = store_exec(c, sql, p, 4, NULL, err);
    }
    return st;
}

cy_status_t
uw_policy_insert(store_conn_t *c, uw_policy_t *y, cy_error_t *err)
{
    const uw_terms_t *t = &y->bound;
    char sec[2] = {t->section, '\0'}, grade[2] = {y->grade, '\0'};
    store_param_t p[] = {
        STORE_P_TEXT(y->policy_no),
        STORE_P_INT(y->quote_id),
        STORE_P_INT(y->product_id),
        STORE_P_INT(y->insurer_org_id),
        STORE_P_INT(y->insured_org_id),
        STORE_P_TEXT(y->period_start),
        STORE_P_TEXT(y->period_end),
        STORE_P_INT(t->limit),
        STORE_P_INT(t->retention),
        STORE_P_INT(t->bi_waiting_hours),
        STORE_P_TEXT(sec),
        STORE_P_TEXT(t->region),
        STORE_P_INT(t->revenue),
        t->margin_bp >= 0 ? STORE_P_INT(t->margin_bp) : STORE_P_NULL,
        STORE_P_TEXT(grade),
        STORE_P_TEXT(t->dep[0]),
        STORE_P_TEXT(t->dep[1]),
        STORE_P_TEXT(t->dep[2]),
        STORE_P_TEXT(t->dep[3]),
        STORE_P_INT(t->annual),
        STORE_P_TEXT(y->conditions ? y->conditions : "[]"),
        y->renewal_of > 0 ? STORE_P_INT(y->renewal_of) : STORE_P_NULL,
        STORE_P_TEXT(y->created_at),
        STORE_P_TEXT(y->trigger),
        y->retro_date[0] ? STORE_P_TEXT(y->retro_date) : STORE_P_NULL,
    };
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO uw_policy (policy_no, quote_id, product_id, insurer_org_id, insured_org_id, "
        "status, period_start, period_end, aggregate_limit, retention, bi_waiting_hours, "
        "industry_section, region_code, revenue, gross_margin_bp, grade, dep_cloud, dep_os, "
        "dep_vpn, dep_email, annual_premium, written_premium, conditions, renewal_of, created_at, "
        "updated_at, liability_trigger, retro_date) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, "
        "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21, $22, $23, $23, "
        "$24, $25) RETURNING id",
        p, 25, &y->id, err);
    if (st == CY_OK)
        st = coverages_write(c,
                             "INSERT INTO uw_policy_coverage (policy_id, coverage, sublimit, "
                             "share_bp) VALUES ($1, $2, $3, $4)",
                             y->id, t, err);
    return st;
}

cy_status_t
uw_policy_next_seq(store_conn_t *c, int64_t insurer, int year, int64_t *seq, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(insurer), STORE_P_INT(year)};
    int64_t changed = 0;
    /* the counter row is locked by the update until commit: numbers never repeat */
    cy_status_t st = store_exec(c,
                                "UPDATE uw_policy_seq SET last_seq = last_seq + 1 WHERE "
                                "insurer_org_id = $1 AND year = $2",
                                p, 2, &changed, err);
    if (st == CY_OK && changed == 0)
        st = store_exec(c,
                        "INSERT INTO uw_policy_seq (insurer_org_id, year, last_seq) VALUES ($1, "
                        "$2, 1)",
                        p, 2, NULL, err);
    if (st == CY_OK)
        st = store_query_int(c,
                             "SELECT last_seq FROM uw_policy_seq WHERE insurer_org_id = $1 AND "
                             "year = $2",
                             p, 2, seq, NULL, err);
    return st;
}

cy_status_t
uw_policy_set_cancelled(store_conn_t *c, const uw_policy_t *y, cy_error_t *err)
{
    store_param_t u[] = {STORE_P_TEXT(y->cancelled_at), STORE_P_TEXT(y->cancel_effective),
                         STORE_P_INT(y->return_premium), STORE_P_INT(y->id)};
    return store_exec(c,
                      "UPDATE uw_policy SET status = 'cancelled', cancelled_at = $1, "
                      "cancel_effective = $2, return_premium = $3, updated_at = $1 WHERE id = $4",
                      u, 4, NULL, err);
}

cy_status_t
uw_endorsement_insert(store_conn_t *c, int64_t policy_id, uw_endorsement_t *e, cy_error_t *err)
{
    int change = strcmp(e->kind, "change") == 0;
    const uw_terms_t *t = &e->after;
    char sec[2] = {t->section, '\0'};
#define IF_CHANGE(p) (change ? (p) : STORE_P_NULL)
    store_param_t p[] = {
        STORE_P_INT(policy_id),
        STORE_P_TEXT(e->kind),
        STORE_P_TEXT(e->effective_at),
        STORE_P_INT(e->old_annual_premium),
        STORE_P_INT(e->new_annual_premium),
        STORE_P_INT(e->days_remaining),
        STORE_P_INT(e->days_total),
        STORE_P_INT(e->premium_delta),
        e->reason[0] ? STORE_P_TEXT(e->reason) : STORE_P_NULL,
        STORE_P_TEXT(e->note),
        STORE_P_INT(e->created_by_user_id),
        STORE_P_TEXT(e->created_at),
        IF_CHANGE(STORE_P_INT(t->limit)),
        IF_CHANGE(STORE_P_INT(t->retention)),
        IF_CHANGE(STORE_P_TEXT(sec)),
        IF_CHANGE(STORE_P_TEXT(t->region)),
        IF_CHANGE(STORE_P_INT(t->revenue)),
        change && t->margin_bp >= 0 ? STORE_P_INT(t->margin_bp) : STORE_P_NULL,
        IF_CHANGE(STORE_P_TEXT(t->dep[0])),
        IF_CHANGE(STORE_P_TEXT(t->dep[1])),
        IF_CHANGE(STORE_P_TEXT(t->dep[2])),
        IF_CHANGE(STORE_P_TEXT(t->dep[3])),
        change && e->breakdown ? STORE_P_TEXT(e->breakdown) : STORE_P_NULL,
    };
#undef IF_CHANGE
    cy_status_t st = store_insert_id(
        c,
        "INSERT INTO uw_endorsement (policy_id, kind, effective_at, old_annual_premium, "
        "new_annual_premium, days_remaining, days_total, premium_delta, reason, note, "
        "created_by_user_id, created_at, aggregate_limit, retention, industry_section, "
        "region_code, revenue, gross_margin_bp, dep_cloud, dep_os, dep_vpn, dep_email, breakdown) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
        "$19, $20, $21, $22, $23) RETURNING id",
        p, 23, &e->id, err);
    if (st == CY_OK && change)
        st = coverages_write(c,
                             "INSERT INTO uw_endorsement_coverage (endorsement_id, coverage, "
                             "sublimit, share_bp) VALUES ($1, $2, $3, $4)",
                             e->id, t, err);
    return st;
}

cy_status_t
uw_policy_claim_free_years(store_conn_t *c, int64_t id, int *years, cy_error_t *err)
{
    *years = 0;
    for (int guard = 0; id > 0 && guard < 100; guard++) {
        store_param_t p[] = {STORE_P_INT(id)};
        store_rows_t *r;
        cy_status_t st = store_query(c,
                                     "SELECT claims_count, status, renewal_of FROM uw_policy "
                                     "WHERE id = $1",
                                     p, 1, &r, err);
        if (st != CY_OK)
            return st;
        int ok = store_rows_next(r, err) == 1 && store_row_int(r, "claims_count") == 0 &&
                 !strcmp(store_row_text(r, "status"), "active");
        int64_t prev = ok ? store_row_int(r, "renewal_of") : 0;
        store_rows_free(r);
        if (!ok)
            break;
        (*years)++;
        id = prev;
    }
    return CY_OK;
}

/* ---------- lists ---------- */

/* The page's filter: $1 everyone, $2 the caller's organisation, $3 the time (ISO) for a status. */
#define LIST_SCOPE "WHERE ($1 = 1 OR y.insured_org_id = $2 OR y.insurer_org_id = $2) "
#define LIST_PAGE  "AND y.id < $4 ORDER BY y.id DESC LIMIT $5"

/* The status at a time as schedule.c decides it: cancelled once the cancellation took effect. */
static const char *const LIST_SQL[3] = {
    "SELECT y.id FROM uw_policy y " LIST_SCOPE "AND CAST($3 AS TEXT) IS NULL " LIST_PAGE,
    "SELECT y.id FROM uw_policy y " LIST_SCOPE
    "AND (y.cancel_effective IS NULL OR y.cancel_effective > $3) " LIST_PAGE,
    "SELECT y.id FROM uw_policy y " LIST_SCOPE "AND y.cancel_effective <= $3 " LIST_PAGE,
};

/* The policies numbered lo..hi that s sees, read whole. */
static const selection_t RANGE = {
    POLICY_SELECT "WHERE y.id <= $1 AND y.id >= $2 AND ($3 = 1 OR y.insured_org_id = $4 OR "
                  "y.insurer_org_id = $4) ORDER BY y.id",
    POLICY_COVER_SELECT "WHERE y.id <= $1 AND y.id >= $2 AND ($3 = 1 OR y.insured_org_id = $4 OR "
                        "y.insurer_org_id = $4) ORDER BY c.policy_id",
    ENDORSEMENT_SELECT "WHERE y.id <= $1 AND y.id >= $2 AND ($3 = 1 OR y.insured_org_id = $4 OR "
                       "y.insurer_org_id = $4) ORDER BY e.policy_id, e.effective_at, e.id",
    ENDORSEMENT_COVER_SELECT "WHERE y.id <= $1 AND y.id >= $2 AND ($3 = 1 OR y.insured_org_id = "
                             "$4 OR y.insurer_org_id = $4) ORDER BY ec.endorsement_id",
    NULL,
    4,
};

/* The page's policies (ids newest first) read whole, in the page's order. */
static cy_status_t
list_fill(store_conn_t *c, uw_scope_t sc, const int64_t *ids, uw_policy_list_t *out,
          cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(ids[0]), STORE_P_INT(ids[out->n - 1]), STORE_P_INT(sc.all),
                         STORE_P_INT(sc.org_id)};
    selection_t s = RANGE;
    s.p = p;
    uw_policy_t *items;
    size_t n;
    cy_status_t st = read_selection(c, &s, &items, &n, err);
    size_t kept = 0;
    for (size_t i = 0; st == CY_OK && i < out->n; i++) {
        uw_policy_t *y = policy_of(items, n, ids[i]);
        if (y != NULL) {
            out->items[kept++] = *y;
            y->conditions = NULL; /* moved to the page */
            y->endorsements = NULL;
            y->n_endorsements = 0;
        }
    }
    for (size_t i = 0; i < n; i++)
        uw_policy_free(&items[i]);
    free(items);
    out->n = st == CY_OK ? kept : 0;
    return st;
}

cy_status_t
uw_policy_list_read(store_conn_t *c, uw_scope_t s, const char *status, int64_t now,
                    const app_page_t *pg, uw_policy_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->items = calloc((size_t)pg->limit, sizeof *out->items);
    int64_t *ids = calloc((size_t)pg->limit, sizeof *ids);
    if (out->items == NULL || ids == NULL) {
        free(ids);
        return cy_error_no_memory(err);
    }
    char at[32];
    utc_format_iso(now, at);
    int which = status == NULL ? 0 : strcmp(status, "cancelled") == 0 ? 2 : 1;
    store_param_t f[] = {STORE_P_INT(s.all), STORE_P_INT(s.org_id),
                         which ? STORE_P_TEXT(at) : STORE_P_NULL};
    uw_pager_t g;
    uw_pager_open(c, LIST_SQL[which], f, pg, &g, err);
    while (uw_pager_row(&g))
        ids[out->n++] = store_row_int(g.rows, "id");
    cy_status_t st = uw_pager_close(&g);
    out->next = g.more ? ids[out->n - 1] : 0;
    if (st == CY_OK && out->n > 0)
        st = list_fill(c, s, ids, out, err);
    for (size_t i = 0; i < out->n; i++)
        out->items[i].with_endorsements = 0;
    free(ids);
    return st;
}

cy_status_t
uw_policy_set_pilot(store_conn_t *c, int64_t id, int64_t pilot_id, int64_t scheme_id,
                    const char *at, cy_error_t *err)
{
    store_param_t p[] = {STORE_P_INT(pilot_id),
                         scheme_id > 0 ? STORE_P_INT(scheme_id) : STORE_P_NULL, STORE_P_TEXT(at),
                         STORE_P_INT(id)};
    return store_exec(c,
                      "UPDATE uw_policy SET pilot_id = $1, scheme_id = $2, updated_at = $3 WHERE "
                      "id = $4",
                      p, 4, NULL, err);
}

/* ---- for in-force monitoring (app/monitor) ---- */

cy_status_t
app_uw_covers(store_conn_t *c, int64_t org_id, int64_t now, uw_cover_t *out, size_t cap, size_t *n,
              cy_error_t *err)
{
    *n = 0;
    uw_policy_list_t l;
    app_page_t pg = {0, APP_PAGE_MAX};
    cy_status_t st = uw_policy_list_read(c, (uw_scope_t){0, org_id}, "active", now, &pg, &l, err);
    for (size_t i = 0; st == CY_OK && i < l.n && *n < cap; i++) {
        uw_policy_t *y = &l.items[i];
        uw_policy_at(y, now); /* schedule.c: in force, and the terms in force, at now */
        if (y->insured_org_id != org_id || !y->in_force)
            continue;
        uw_cover_t *v = &out[(*n)++];
        v->policy_id = y->id;
        v->insurer_org_id = y->insurer_org_id;
        v->aggregate_limit = y->terms.limit;
        uw_copy(v->policy_no, sizeof v->policy_no, y->policy_no);
    }
    if (st == CY_OK)
        uw_policy_list_free(&l);
    return st;
}
