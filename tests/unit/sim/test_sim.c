/*
 * test_sim.c — the portfolio Monte Carlo (sim/) and its inputs (app/
 * exposure, catalogue). The three built-in validations of issue 6:
 *   (a) test_sim_mean_insured_loss_matches_pure_premium: per policy, the
 *       simulated mean insured loss is within 3 standard errors of
 *       rating_premium's pure premium;
 *   (b) test_sim_aggregate_matches_panjer: one policy, Poisson frequency, a
 *       severity discretised to the fen: the simulated annual aggregate agrees
 *       with Panjer's recursion, Kolmogorov–Smirnov D ≤ 1.95/√N (α = 0.001,
 *       conservative for a discrete law);
 *   (c) test_sim_identical_for_threads_and_splits: 1 thread, 2 threads and the
 *       years split as two MPI ranks would split them give byte-identical
 *       year loss tables and result files (tests/sim/mpi.sh runs real ranks);
 * and the bad inputs: years 0, a run over --max-mem, a malformed catalogue
 * or exposure file naming its line and field. Depends on cmocka, core/,
 * sim/, app/ and Random123.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"

#include <math.h>
#include <unistd.h>

#include <Random123/philox.h>

#include "data/catalogue.h"
#include "data/exposure.h"
#include "data/rating.h"
#include "data/refdata.h"
#include "core/normal.h"
#include "core/rating.h"
#include "sim/kernel.h"
#include "sim/output.h"
#include "sim/sim.h"

#define YUAN(x) ((int64_t)((x)*100.0 + 0.5))

/* ---- fixtures ----------------------------------------------------------- */

/* A model with a high frequency so that a few thousand years give tight means. */
static void
busy_model(rating_model_t *m, double base)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < RATING_N_SECTIONS; i++)
        m->base_frequency[i] = base;
    m->size_reference_revenue = YUAN(1e8);
    m->size_exponent = 0.0;
    m->size_min = 1.0;
    m->size_max = 1.0;
    for (int g = 0; g < RATING_N_GRADES; g++)
        m->grade_factor[g] = 1.0;
    m->n_types = 2;
    rating_type_t *a = &m->types[0], *b = &m->types[1];
    snprintf(a->code, sizeof a->code, "ransomware");
    a->share = 0.4;
    a->severity_scale = 1.5;
    a->involve[COV_BI] = 0.7;
    a->involve[COV_DATA] = 0.8;
    a->involve[COV_IR] = 1.0;
    a->involve[COV_BREACH] = 0.3;
    a->bi_hours_mu = log(20.0);
    a->bi_hours_sigma = 1.0;
    snprintf(b->code, sizeof b->code, "bec_fraud");
    b->share = 0.6;
    b->severity_scale = 0.5;
    b->involve[COV_IR] = 0.9;
    b->involve[COV_LEGAL] = 0.5;
    b->involve[COV_BREACH] = 0.2;
    b->bi_hours_mu = 0.0;
    for (int c = 0; c < COV_N; c++) {
        m->severity[c].mu = log(1e5 * 100);
        m->severity[c].sigma = 1.0;
    }
    m->severity[COV_DATA] = (rating_severity_t){log(1e5 * 100), 1.2, 0.4, 0, 0, 0, 0};
    m->severity[COV_IR] = (rating_severity_t){log(2e5 * 100), 1.5, 0.3, 0, 0, 0, 0};
    m->severity[COV_LEGAL] = (rating_severity_t){log(5e4 * 100), 1.0, 0.0, 0, 0, 0, 0};
    m->severity[COV_BREACH] = (rating_severity_t){log(3e5 * 100), 2.0, 0.5, 1, 0.99, 0.3, 0.5};
    m->severity_reference_revenue = YUAN(1e8);
    m->default_gross_margin = 0.3;
    m->expense_loading = 0.3;
    m->profit_loading = 0.1;
    m->minimum_premium = 0;
}

static sim_policy_t
policy(const char *id, char section, const char *region, double revenue, uint32_t covered,
       double retention, double aggregate)
{
    sim_policy_t p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", id);
    p.section = section;
    snprintf(p.region, sizeof p.region, "%s", region);
    p.grade = 'C';
    p.revenue = YUAN(revenue);
    p.gross_margin = -1.0;
    terms_init(&p.terms, YUAN(aggregate));
    p.terms.covered = covered;
    p.terms.retention = YUAN(retention);
    return p;
}

/* ---- (a) mean insured loss against the pure premium --------------------- */

CY_TEST(test_sim_mean_insured_loss_matches_pure_premium)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.5);
    cy_error_t err;
    assert_int_equal(rating_model_validate(&m, &err), CY_OK);
    const double agg = 1e9; /* never reached: the pure premium ignores the aggregate limit */
    sim_policy_t pol[6];
    /* one insured coverage whenever there is a retention, so the per-coverage formula is exact */
    pol[0] = policy("BI-ONLY", 'C', "440300", 2e8, 1u << COV_BI, 5000, agg);
    pol[0].terms.bi_waiting_hours = 8.0;
    pol[0].terms.share[COV_BI] = 0.8;
    pol[0].terms.sublimit[COV_BI] = YUAN(300000);
    pol[1] = policy("DATA-ONLY", 'I', "330100", 5e7, 1u << COV_DATA, 20000, agg);
    pol[1].terms.sublimit[COV_DATA] = YUAN(400000);
    pol[2] = policy("BREACH-TAIL", 'J', "440100", 1e9, 1u << COV_BREACH, 10000, agg);
    pol[2].terms.sublimit[COV_BREACH] = YUAN(5e6);
    pol[2].terms.share[COV_BREACH] = 0.9;
    pol[3] = policy(
        "FIVE-COVERAGES", 'Q', "330200", 3e8,
        1u << COV_BI | 1u << COV_DATA | 1u << COV_IR | 1u << COV_LEGAL | 1u << COV_BREACH, 0, agg);
    pol[3].terms.bi_waiting_hours = 12.0;
    for (int c = 0; c < COV_N; c++) {
        pol[3].terms.share[c] = 0.9;
        pol[3].terms.sublimit[c] = YUAN(800000);
    }
    pol[4] = policy("IR-ONLY", 'C', "441900", 1e8, 1u << COV_IR, 50000, agg);
    pol[4].terms.sublimit[COV_IR] = YUAN(1e6);
    pol[5] = policy("SMALL-SUBLIMITS", 'F', "440600", 8e7, 1u << COV_IR | 1u << COV_LEGAL, 0, agg);
    pol[5].terms.sublimit[COV_IR] = YUAN(100000);
    pol[5].terms.sublimit[COV_LEGAL] = YUAN(100000);
    for (int i = 0; i < 6; i++)
        assert_int_equal(terms_validate(&pol[i].terms, &err), CY_OK);
    sim_portfolio_t pf = {pol, 6, "validation (a)"};
    const int64_t years = 20000;
    sim_config_t cfg = {.portfolio = &pf, .model = &m, .years = years, .seed = 2024, .threads = 2};
    sim_result_t *r = NULL;
    assert_int_equal(sim_run(&cfg, &r, &err), CY_OK);
    for (size_t i = 0; i < pf.n; i++) {
        rating_insured_t ins = {pol[i].section, pol[i].revenue, pol[i].grade, -1.0};
        rating_premium_t pr;
        assert_int_equal(rating_premium(&m, &ins, &pol[i].terms, &pr, &err), CY_OK);
        double pure = 0.0;
        for (int c = 0; c < COV_N; c++)
            pure += pr.pure_cov[c];
        double n = (double)years, mean = (double)r->policy_insured[i] / n;
        double var = ((double)r->policy_insured_sq[i] - n * mean * mean) / (n - 1.0);
        double se = sqrt(var / n);
        print_message("  %-16s pure %14.2f  simulated %14.2f ± %10.2f  (%+.2f se)\n", pol[i].id,
                      pure / 100, mean / 100, se / 100, (mean - pure) / se);
        assert_true(se > 0.0);
        assert_true(fabs(mean - pure) <= 3.0 * se);
        assert_int_equal(r->policy_pure[i], pr.pure);
    }
    sim_result_free(r);
}

/* ---- (b) Panjer --------------------------------------------------------- */

CY_TEST(test_sim_aggregate_matches_panjer)
{
    (void)state;
    /*
     * One policy, one coverage. The loss X is lognormal in fen (median 20 fen,
     * σ 0.8); the engine rounds it to the fen, takes a 3-fen retention and a
     * 60-fen sublimit, so a loss pays Y = min(max(round(X) − 3, 0), 60): a
     * severity on the integers 0..60 whose law is exact. Poisson(3) losses a
     * year, the annual total capped by a 150-fen aggregate limit.
     */
    rating_model_t m;
    busy_model(&m, 3.0);
    m.n_types = 1;
    memset(&m.types[0], 0, sizeof m.types[0]);
    snprintf(m.types[0].code, sizeof m.types[0].code, "only");
    m.types[0].share = 1.0;
    m.types[0].severity_scale = 1.0;
    m.types[0].involve[COV_DATA] = 1.0;
    const double mu = log(20.0), sigma = 0.8, lambda = 3.0;
    m.severity[COV_DATA] = (rating_severity_t){mu, sigma, 0.0, 0, 0, 0, 0};
    cy_error_t err;
    assert_int_equal(rating_model_validate(&m, &err), CY_OK);
    sim_policy_t p = policy("PANJER", 'C', "440300", 1e8, 1u << COV_DATA, 0, 0);
    terms_init(&p.terms, 150);
    p.terms.covered = 1u << COV_DATA;
    p.terms.retention = 3;
    p.terms.sublimit[COV_DATA] = 60;
    assert_int_equal(terms_validate(&p.terms, &err), CY_OK);
    sim_portfolio_t pf = {&p, 1, "validation (b)"};
    const int64_t years = 20000;
    sim_config_t cfg = {.portfolio = &pf, .model = &m, .years = years, .seed = 7, .threads = 1};
    sim_result_t *r = NULL;
    assert_int_equal(sim_run(&cfg, &r, &err), CY_OK);

    /* the severity law: round half up, then the retention and the sublimit */
    enum { SMAX = 60, AMAX = 150 };
    double f[SMAX + 1], g[AMAX + 1];
#define F(x) normal_cdf((log(x) - mu) / sigma)
    f[0] = F(3.5);
    for (int j = 1; j < SMAX; j++)
        f[j] = F(j + 3.5) - F(j + 2.5);
    f[SMAX] = 1.0 - F(SMAX + 2.5);
#undef F
    /* Panjer for the compound Poisson: g0 = e^{λ(f0 − 1)}, gs = λ/s Σ j fj g(s−j) */
    g[0] = exp(lambda * (f[0] - 1.0));
    for (int s = 1; s <= AMAX; s++) {
        double acc = 0.0;
        for (int j = 1; j <= SMAX && j <= s; j++)
            acc += j * f[j] * g[s - j];
        g[s] = lambda / s * acc;
    }
    /* the empirical law of the annual insured loss, capped at the aggregate 150 */
    static int64_t count[AMAX + 1];
    memset(count, 0, sizeof count);
    for (int64_t y = 0; y < years; y++) {
        assert_true(r->ylt[y].insured >= 0 && r->ylt[y].insured <= AMAX);
        count[r->ylt[y].insured]++;
    }
    double cdf_sim = 0.0, cdf_panjer = 0.0, d = 0.0;
    for (int s = 0; s < AMAX; s++) {
        cdf_sim += (double)count[s] / (double)years;
        cdf_panjer += g[s];
        double gap = fabs(cdf_sim - cdf_panjer);
        d = gap > d ? gap : d;
    }
    double bound = 1.95 / sqrt((double)years);
    print_message("  Kolmogorov–Smirnov D = %.5f (bound %.5f), P(S ≥ 150) simulated %.5f, "
                  "Panjer %.5f\n",
                  d, bound, (double)count[AMAX] / (double)years, 1.0 - cdf_panjer);
    assert_true(d <= bound);
    /* the aggregate limit did bind in some years, and never more than the limit was paid */
    assert_true(count[AMAX] > 0);
    sim_result_free(r);
}

/* ---- (c) identical results for any thread count and split --------------- */

static const char *const REGIONS[] = {"440100", "440300", "440600", "441900", "330100", "330200"};
static const char *const CLOUDS[] = {"aliyun", "tencent_cloud", "huawei_cloud", ""};
static const char *const VPNS[] = {"sangfor", "qianxin", "hillstone", "fortinet", "ivanti"};

static void
mixed_portfolio(sim_portfolio_t *pf, size_t n)
{
    pf->policies = calloc(n, sizeof *pf->policies);
    assert_non_null(pf->policies);
    pf->n = n;
    snprintf(pf->source, sizeof pf->source, "mixed");
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "M%04zu", i);
        uint32_t covered = 1u << COV_BI | 1u << COV_IR | 1u << COV_DATA;
        if (i % 3 == 0)
            covered |= 1u << COV_BREACH | 1u << COV_LEGAL | 1u << COV_PR;
        double limit = 1e6 * (double)(1 + i % 5);
        sim_policy_t *p = &pf->policies[i];
        *p = policy(id, (char)('A' + i % 20), REGIONS[i % 6], 2e7 * (double)(1 + i % 17), covered,
                    10000.0 * (double)(i % 4), limit);
        p->terms.bi_waiting_hours = (double)(8 + 4 * (i % 3));
        p->terms.sublimit[COV_BI] = YUAN(limit / 2);
        p->terms.share[COV_IR] = i % 2 ? 0.9 : 1.0;
        p->grade = (char)('A' + i % 5);
        snprintf(p->dep[SIM_DEP_CLOUD], SIM_NAME_CAP, "%s", CLOUDS[i % 4]);
        snprintf(p->dep[SIM_DEP_VPN], SIM_NAME_CAP, "%s", VPNS[i % 5]);
        snprintf(p->dep[SIM_DEP_OS], SIM_NAME_CAP, "%s", i % 4 ? "windows" : "linux");
        snprintf(p->dep[SIM_DEP_EMAIL], SIM_NAME_CAP, "%s", i % 2 ? "exmail_qq" : "coremail");
    }
}

static sim_event_t
event(const char *id, sim_event_type_t type, double rate, double hit)
{
    sim_event_t e;
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "%s", id);
    snprintf(e.name, sizeof e.name, "%s", id);
    e.type = type;
    e.annual_rate = rate;
    e.hit_probability = hit;
    e.hours_mu = log(10.0);
    e.hours_sigma = 1.0;
    e.incident_type = 0;
    e.severity_scale = 1.0;
    return e;
}

static void
mixed_catalogue(sim_catalogue_t *cat)
{
    static sim_event_t ev[6];
    ev[0] = event("CLD-ALI", SIM_EVENT_CLOUD_OUTAGE, 0.8, 0.4);
    snprintf(ev[0].sel_dep[SIM_DEP_CLOUD], SIM_NAME_CAP, "aliyun");
    ev[1] = event("CLD-TX", SIM_EVENT_CLOUD_OUTAGE, 0.5, 0.6);
    snprintf(ev[1].sel_dep[SIM_DEP_CLOUD], SIM_NAME_CAP, "tencent_cloud");
    ev[2] = event("VPN-SANGFOR", SIM_EVENT_MASS_EXPLOIT, 0.3, 0.2);
    snprintf(ev[2].sel_dep[SIM_DEP_VPN], SIM_NAME_CAP, "sangfor");
    ev[3] = event("OS-WIN", SIM_EVENT_MASS_EXPLOIT, 0.2, 0.05);
    snprintf(ev[3].sel_dep[SIM_DEP_OS], SIM_NAME_CAP, "windows");
    ev[3].incident_type = 1;
    ev[4] = event("RW-C-GD", SIM_EVENT_RANSOMWARE_CAMPAIGN, 0.4, 0.5);
    ev[4].sel_section = 'C';
    snprintf(ev[4].sel_region, sizeof ev[4].sel_region, "440000");
    ev[5] = event("RW-SZ", SIM_EVENT_RANSOMWARE_CAMPAIGN, 0.3, 0.3);
    snprintf(ev[5].sel_region, sizeof ev[5].sel_region, "440300");
    ev[5].severity_scale = 2.0;
    cat->events = ev;
    cat->n = 6;
    snprintf(cat->source, sizeof cat->source, "mixed");
}

static char *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void
write_result(const char *dir, sim_result_t *r, const sim_portfolio_t *pf,
             const sim_catalogue_t *cat, const rating_model_t *m)
{
    sim_metrics_t met;
    cy_error_t err;
    assert_int_equal(sim_metrics(r, &met, &err), CY_OK);
    sim_output_t o = {r, &met, pf, cat, m, NULL, 5};
    assert_int_equal(sim_write(dir, &o, &err), CY_OK);
}

static void
assert_same_files(const char *a, const char *b)
{
    for (int i = 0; sim_output_files[i] != NULL; i++) {
        char pa[256], pb[256];
        snprintf(pa, sizeof pa, "%s/%s", a, sim_output_files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, sim_output_files[i]);
        size_t na, nb;
        char *x = read_all(pa, &na), *y = read_all(pb, &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(x, y, na);
        free(x);
        free(y);
    }
}

static void
assert_same_result(const sim_result_t *a, const sim_result_t *b)
{
    assert_int_equal(a->year_end - a->year_begin, b->year_end - b->year_begin);
    assert_memory_equal(a->ylt, b->ylt, (size_t)(a->year_end - a->year_begin) * sizeof *a->ylt);
    assert_memory_equal(a->by_cov, b->by_cov, sizeof a->by_cov);
    assert_memory_equal(a->by_event, b->by_event, a->n_events * sizeof *a->by_event);
    assert_memory_equal(a->policy_insured, b->policy_insured,
                        a->n_policies * sizeof *a->policy_insured);
    assert_memory_equal(a->policy_insured_sq, b->policy_insured_sq,
                        a->n_policies * sizeof *a->policy_insured_sq);
    assert_int_equal(a->hits, b->hits);
}

CY_TEST(test_sim_identical_for_threads_and_splits)
{
    (void)state;
    rating_data_t rd;
    cy_error_t err;
    assert_int_equal(
        rating_data_load(CY_SOURCE_DIR "/data/rating/model.json", "model.json", &rd, &err), CY_OK);
    for (int s = 0; s < RATING_N_SECTIONS; s++)
        rd.model.base_frequency[s] *= 20.0; /* more losses per policy-year: more erosion */
    sim_portfolio_t pf;
    mixed_portfolio(&pf, 300);
    sim_catalogue_t cat;
    mixed_catalogue(&cat);
    const int64_t years = 2000;
    sim_config_t cfg = {.portfolio = &pf,
                        .model = &rd.model,
                        .catalogue = &cat,
                        .years = years,
                        .seed = 42,
                        .threads = 1};
    sim_result_t *one = NULL, *two = NULL, *lo = NULL, *hi = NULL;
    assert_int_equal(sim_run(&cfg, &one, &err), CY_OK);
    assert_true(one->hits > 1000 && one->attritional_incidents > 1000);
    cfg.threads = 2;
    assert_int_equal(sim_run(&cfg, &two, &err), CY_OK);
    assert_same_result(one, two);

    /* two "ranks": [0, 1000) and [1000, 2000), each with 2 threads, merged */
    cfg.year_begin = 0;
    cfg.year_end = years / 2;
    assert_int_equal(sim_run(&cfg, &lo, &err), CY_OK);
    cfg.year_begin = years / 2;
    cfg.year_end = years;
    assert_int_equal(sim_run(&cfg, &hi, &err), CY_OK);
    assert_int_equal(sim_result_merge(hi, lo, &err), CY_EINVAL); /* wrong order: refused */
    assert_int_equal(sim_result_merge(lo, hi, &err), CY_OK);
    assert_same_result(one, lo);

    /* and through the packed form MPI sends: three uneven ranks */
    sim_result_t *parts[3];
    const int64_t cut[4] = {0, 666, 1333, years};
    for (int k = 0; k < 3; k++) {
        cfg.year_begin = cut[k];
        cfg.year_end = cut[k + 1];
        cfg.threads = 1 + k % 2;
        assert_int_equal(sim_run(&cfg, &parts[k], &err), CY_OK);
    }
    for (int k = 1; k < 3; k++) {
        void *buf;
        size_t len;
        assert_int_equal(sim_result_pack(parts[k], &buf, &len, &err), CY_OK);
        assert_int_equal(sim_result_unpack_merge(parts[0], buf, len, &err), CY_OK);
        free(buf);
        sim_result_free(parts[k]);
    }
    assert_same_result(one, parts[0]);

    char d1[] = "/tmp/cy-sim-1-XXXXXX", d2[] = "/tmp/cy-sim-2-XXXXXX",
         d3[] = "/tmp/cy-sim-3-XXXXXX";
    assert_non_null(mkdtemp(d1));
    assert_non_null(mkdtemp(d2));
    assert_non_null(mkdtemp(d3));
    write_result(d1, one, &pf, &cat, &rd.model);
    write_result(d2, two, &pf, &cat, &rd.model);
    write_result(d3, parts[0], &pf, &cat, &rd.model);
    assert_same_files(d1, d2);
    assert_same_files(d1, d3);
    for (int i = 0; sim_output_files[i] != NULL; i++)
        for (int k = 0; k < 3; k++) {
            char p[256];
            snprintf(p, sizeof p, "%s/%s", k == 0 ? d1 : k == 1 ? d2 : d3, sim_output_files[i]);
            unlink(p);
        }
    rmdir(d1);
    rmdir(d2);
    rmdir(d3);
    sim_result_free(one);
    sim_result_free(two);
    sim_result_free(lo);
    sim_result_free(hi);
    sim_result_free(parts[0]);
    sim_portfolio_free(&pf);
}

/* ---- the random numbers and the kernel ---------------------------------- */

/* A clock for the profile that reads no time: it advances by one at each call. */
static uint64_t test_ticks;
static uint64_t
test_clock(void)
{
    return ++test_ticks;
}

CY_TEST(test_sim_philox_batch_matches_random123)
{
    (void)state;
    enum { N = 1003 }; /* blocks of 48 and of 8, and three counters one at a time */
    static uint32_t c1[N], c2[N], c3[N], o0[N], o1[N], o2[N], o3[N];
    for (uint32_t i = 0; i < N; i++) {
        c1[i] = i * 2654435761u;
        c2[i] = ~i;
        c3[i] = i >> 3;
    }
    sim_philox_batch(0xa4093822u, 0x299f31d0u, 0x243f6a88u, c1, c2, c3, N, o0, o1, o2, o3);
    philox4x32_key_t k = {{0xa4093822u, 0x299f31d0u}};
    for (uint32_t i = 0; i < N; i++) {
        philox4x32_ctr_t c = {{0x243f6a88u, c1[i], c2[i], c3[i]}};
        philox4x32_ctr_t w = philox4x32(c, k);
        assert_int_equal(o0[i], w.v[0]);
        assert_int_equal(o1[i], w.v[1]);
        assert_int_equal(o2[i], w.v[2]);
        assert_int_equal(o3[i], w.v[3]);
    }
    /* Random123's known answer for counter and key 0 */
    uint32_t z = 0;
    sim_philox_batch(0, 0, 0, &z, &z, &z, 1, o0, o1, o2, o3);
    assert_int_equal(o0[0], 0x6627e8d5u);
    assert_int_equal(o3[0], 0x9b00dbd8u);
}

CY_TEST(test_sim_batch_and_scalar_kernels_agree)
{
    (void)state;
    enum { N = 5000 };
    _Alignas(64) static uint32_t c1[N], c2[N], c3[N];
    _Alignas(64) static double mu[N], sg[N], p[N], xa[N], xb[N];
    sim_tail_t tails[SIM_TAILS];
    for (int c = 0; c < SIM_TAILS; c++)
        tails[c] = (sim_tail_t){c % 3 ? SIM_NO_TAIL : 1.0, 0.4, 0.5};
    for (int i = 0; i < N; i++) {
        c1[i] = 3;
        c2[i] = (uint32_t)i;
        c3[i] = (uint32_t)(i % 13);
        mu[i] = log(1e6) + (i % 7);
        sg[i] = 0.5 + (i % 5) * 0.4;
        p[i] = (i % 4) * 0.3 + 0.1;
    }
    sim_items_t a = {c1, c2, c3, mu, sg, p, xa, NULL};
    sim_items_t b = a;
    b.x = xb;
    sim_draw_batch(11, 22, 33, &a, N, tails);
    sim_draw_scalar(11, 22, 33, &b, N, tails);
    int zeros = 0, tail_draws = 0;
    for (int i = 0; i < N; i++) {
        if (xb[i] == 0.0) {
            assert_true(xa[i] == 0.0);
            zeros++;
            continue;
        }
        const sim_tail_t *t = &tails[c3[i]];
        tail_draws += t->zq < 10.0 && xb[i] > exp(mu[i] + sg[i] * t->zq);
        assert_true(fabs(xa[i] - xb[i]) <= 1e-6 * xb[i]);
    }
    assert_true(zeros > N / 4 && zeros < 3 * N / 4);
    assert_true(tail_draws > 50);
}

/* ---- the fast paths against the slow ones ------------------------------- */

/* A small deterministic generator for the tests' random inputs (xorshift64*). */
static uint64_t
rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static double
rnd01(uint64_t *s)
{
    return (double)(rnd(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* Terms for the fuzz tests: a random set of coverages, retention, waiting period, limits. */
static terms_t
random_terms(uint64_t *s, int coinsurance)
{
    terms_t t;
    int64_t agg = (int64_t)(1 + rnd(s) % 2000) * 10000;
    terms_init(&t, agg);
    t.covered = (uint32_t)(rnd(s) & COV_ALL_MASK);
    if (t.covered == 0)
        t.covered = 1u << (rnd(s) % COV_N);
    t.retention = rnd(s) % 3 ? (int64_t)(rnd(s) % 500000) : 0;
    t.bi_waiting_hours = (double)(rnd(s) % 4) * 6.0 + (rnd(s) % 2 ? 0.5 : 0.0);
    for (int c = 0; c < COV_N; c++) {
        t.sublimit[c] = 1 + (int64_t)(rnd(s) % (uint64_t)agg);
        if (coinsurance && rnd(s) % 3 == 0)
            t.share[c] = 0.05 + 0.9 * rnd01(s);
    }
    return t;
}

/* A loss on random coverages (some not insured), random outage hours and gross profit. */
static void
random_loss(uint64_t *s, terms_loss_t *l, uint32_t *present, int bad)
{
    memset(l, 0, sizeof *l);
    *present = 0;
    for (int c = 0; c < COV_N; c++) {
        if (rnd(s) % 2)
            continue;
        *present |= 1u << c;
        l->amount[c] = rnd(s) % 4 ? (int64_t)(rnd(s) % 3000000) : 0;
    }
    if (rnd(s) % 4 == 0)
        l->amount[COV_BI] = (*present & 1u << COV_BI) ? (int64_t)(rnd(s) % 100000) : 0;
    l->bi_hours = rnd(s) % 3 ? 0.0 : 200.0 * rnd01(s);
    l->bi_hourly_gross_profit = rnd(s) % 5 ? (int64_t)(rnd(s) % 5000000) : 0;
    if (bad) { /* now and then something the engine refuses */
        switch (rnd(s) % 4) {
        case 0:
            *present |= 1u << COV_IR;
            l->amount[COV_IR] = -1;
            break;
        case 1:
            l->bi_hours = -2.0;
            break;
        case 2:
            l->bi_hourly_gross_profit = -5;
            break;
        default:
            *present |= 1u << COV_DATA;
            l->amount[COV_DATA] = TERMS_AMOUNT_MAX + 1;
        }
    }
}

CY_TEST(test_sim_terms_fast_path_matches_terms_apply)
{
    (void)state;
    uint64_t s = 0x9e3779b97f4a7c15ull;
    int refused = 0, coinsured = 0;
    for (int i = 0; i < 200000; i++) {
        terms_t t = random_terms(&s, i % 2);
        terms_loss_t l;
        uint32_t present;
        random_loss(&s, &l, &present, i % 50 == 0);
        terms_state_t st0;
        terms_state_init(&t, &st0);
        if (rnd(&s) % 2) { /* a policy year already partly paid */
            st0.aggregate_remaining = (int64_t)(rnd(&s) % (uint64_t)(t.aggregate_limit + 1));
            st0.paid = t.aggregate_limit - st0.aggregate_remaining;
            st0.losses = 1;
        }
        int fresh = rnd(&s) % 3 == 0;
        terms_state_t sa = st0, sb = st0;
        terms_payout_t a, b;
        cy_error_t ea, eb;
        cy_status_t ra = terms_apply(&t, &l, fresh ? NULL : &sa, &a, NULL, &ea);
        /* the fast path does not read amounts outside present: make them garbage */
        terms_loss_t lg = l;
        for (int c = 0; c < COV_N; c++)
            if (!(present & (1u << c)))
                lg.amount[c] = (int64_t)0x7a7a7a7a7a7a7a7a;
        cy_status_t rb = terms_apply_fast(&t, &lg, present, fresh ? NULL : &sb, &b, &eb);
        assert_int_equal(ra, rb);
        if (ra != CY_OK) {
            assert_string_equal(ea.code, eb.code);
            assert_string_equal(ea.field, eb.field);
            assert_memory_equal(&sa, &st0, sizeof sa);
            assert_memory_equal(&sb, &st0, sizeof sb);
            refused++;
            continue;
        }
        assert_int_equal(a.mask, b.mask);
        assert_int_equal(a.ground_up_total, b.ground_up_total);
        assert_int_equal(a.paid_total, b.paid_total);
        assert_int_equal(a.uncovered_total, b.uncovered_total);
        assert_int_equal(a.waiting, b.waiting);
        assert_int_equal(a.retained, b.retained);
        for (int c = 0; c < COV_N; c++)
            if (a.mask & (1u << c)) {
                assert_int_equal(a.ground_up[c], b.ground_up[c]);
                assert_int_equal(a.paid[c], b.paid[c]);
            }
        assert_int_equal(sa.aggregate_remaining, sb.aggregate_remaining);
        assert_int_equal(sa.paid, sb.paid);
        assert_int_equal(sa.losses, sb.losses);
        for (int c = 0; c < COV_N; c++)
            coinsured += (a.mask & (1u << c)) && t.share[c] < 1.0;
    }
    assert_true(refused > 1000);
    assert_true(coinsured > 10000);
}

/* A loss the settlement kernel gets: amounts on insured coverages only, bi as hours. */
CY_TEST(test_sim_settle_kernel_matches_terms_apply)
{
    (void)state;
    enum { NT = 40, N = 5000, NR = COV_N };
    uint64_t s = 0x2545f4914f6cdd1dull;
    static terms_t terms[NT];
    for (int t = 0; t < NT; t++)
        terms[t] = random_terms(&s, t % 4 == 0);
    uint32_t rows[NR];
    for (int j = 0; j < NR; j++)
        rows[j] = (uint32_t)j;
    static double x[NR * N], cap[N];
    static uint32_t tid[N];
    static int64_t hgp[N], exact[N], gtot[N], ptot[N];
    static sim_term_t table[NT]; /* what the kernel reads of the terms */
    int64_t row_gu[NR], row_paid[NR];
    for (int t = 0; t < NT; t++) {
        table[t].retention = terms[t].retention;
        table[t].aggregate_limit = terms[t].aggregate_limit;
        table[t].bi_waiting_hours = terms[t].bi_waiting_hours;
        for (int c = 0; c < NR; c++)
            table[t].sublimit[c] =
                (terms[t].covered & (1u << c)) ? terms[t].sublimit[c] : INT64_MAX;
    }
    for (int e = 0; e < N; e++) {
        tid[e] = (uint32_t)(rnd(&s) % NT);
        const terms_t *t = &terms[tid[e]];
        hgp[e] = rnd(&s) % 5 ? (int64_t)(rnd(&s) % 5000000) : 0;
        cap[e] = 876000.0;
        if (hgp[e] > 0 && (double)TERMS_AMOUNT_MAX / (double)hgp[e] < cap[e])
            cap[e] = (double)TERMS_AMOUNT_MAX / (double)hgp[e];
        for (int c = 0; c < NR; c++) {
            double v = 0.0;
            if ((t->covered & (1u << c)) && rnd(&s) % 2)
                v = c == COV_BI ? 300.0 * rnd01(&s) : exp(8.0 + 6.0 * rnd01(&s));
            x[c * N + e] = v;
        }
        if (e % 7 == 0 && (t->covered & (1u << COV_BI))) {
            /* gross profit × hours a hair from a half fen, where the engine's rounding needs
             * money_mul_rate itself: the kernel must leave these to it */
            hgp[e] = 1 + (int64_t)(rnd(&s) % 100000);
            double h = ((double)(rnd(&s) % 1000) + 0.5) / (double)hgp[e];
            x[COV_BI * N + e] = nextafter(h, rnd(&s) % 2 ? 0.0 : 1e9);
        }
        int coin = 0;
        for (int c = 0; c < COV_N; c++)
            coin |= (t->covered & (1u << c)) && t->share[c] < 1.0;
        exact[e] = coin;
    }
    sim_settle_t S = {.n = N - 5, /* not a whole number of the kernel's blocks */
                      .stride = N,
                      .x = x,
                      .terms = tid,
                      .table = table,
                      .hgp = hgp,
                      .bi_cap = cap,
                      .exact = exact,
                      .gu_total = gtot,
                      .paid_total = ptot,
                      .row_gu = row_gu,
                      .row_paid = row_paid};
    for (int e = 0; e < N; e++)
        gtot[e] = -7;
    sim_settle_batch(rows, NR, COV_BI, &S);
    for (int e = N - 5; e < N; e++) /* past n: untouched */
        assert_int_equal(gtot[e], -7);
    int64_t want_gu[NR] = {0}, want_paid[NR] = {0};
    int settled = 0;
    for (int e = 0; e < N - 5; e++) {
        const terms_t *t = &terms[tid[e]];
        terms_loss_t l;
        memset(&l, 0, sizeof l);
        for (int c = 0; c < NR; c++) {
            double v = x[c * N + e];
            if (c == COV_BI)
                l.bi_hours = v < cap[e] ? v : cap[e];
            else
                l.amount[c] = (int64_t)(v + 0.5);
        }
        l.bi_hourly_gross_profit = hgp[e];
        terms_payout_t pay;
        cy_error_t err;
        assert_int_equal(terms_apply(t, &l, NULL, &pay, NULL, &err), CY_OK);
        if (exact[e])
            continue; /* left to the engine */
        settled++;
        assert_int_equal(gtot[e], pay.ground_up_total);
        assert_int_equal(ptot[e], pay.paid_total);
        for (int c = 0; c < NR; c++) {
            want_gu[c] += pay.ground_up[c];
            want_paid[c] += pay.paid[c];
        }
    }
    assert_true(settled > N / 2);
    for (int c = 0; c < NR; c++) {
        assert_int_equal(row_gu[c], want_gu[c]);
        assert_int_equal(row_paid[c], want_paid[c]);
    }
}

/*
 * An item's draw is a function of its own inputs alone: the same items
 * shuffled, with other items around them, at other offsets and in arrays of
 * other lengths (so that vector bodies and remainders fall elsewhere), give
 * the same amounts to the bit, written in place or through dst.
 */
CY_TEST(test_sim_draws_do_not_depend_on_position)
{
    (void)state;
    enum { N = 3001, M = 2 * N + 37 };
    static uint32_t c1[N], c2[N], c3[N], d1[M], d2[M], d3[M], dst[M], where[N];
    static double mu[N], sg[N], p[N], x[N], emu[M], esg[M], ep[M], ex[M], ey[M];
    sim_tail_t tails[SIM_TAILS];
    for (int c = 0; c < SIM_TAILS; c++)
        tails[c] = (sim_tail_t){c % 3 ? SIM_NO_TAIL : 1.5, 0.4, 0.5};
    uint64_t s = 77;
    for (int i = 0; i < N; i++) {
        c1[i] = 3;
        c2[i] = (uint32_t)i;
        c3[i] = (uint32_t)(i % 13);
        mu[i] = log(1e6) + 4.0 * rnd01(&s);
        sg[i] = i % 11 ? 0.3 + 2.0 * rnd01(&s) : 0.0;
        p[i] = i % 7 ? rnd01(&s) : 1.0;
    }
    sim_items_t a = {c1, c2, c3, mu, sg, p, x, NULL};
    sim_draw_batch(11, 22, 33, &a, N, tails);
    /* the same items at random places among others */
    for (int i = 0; i < M; i++) {
        d1[i] = 5;
        d2[i] = (uint32_t)(1000000 + i);
        d3[i] = (uint32_t)(i % 13);
        emu[i] = 9.0;
        esg[i] = 1.0;
        ep[i] = 0.5;
    }
    for (int i = 0; i < N; i++) {
        int w;
        do
            w = (int)(rnd(&s) % M);
        while (d1[w] != 5);
        where[i] = (uint32_t)w;
        d1[w] = c1[i];
        d2[w] = c2[i];
        d3[w] = c3[i];
        emu[w] = mu[i];
        esg[w] = sg[i];
        ep[w] = p[i];
    }
    for (int n = M - 3; n <= M; n++) { /* four lengths: four different remainders */
        sim_items_t b = {d1, d2, d3, emu, esg, ep, ex, NULL};
        sim_draw_batch(11, 22, 33, &b, (size_t)n, tails);
        for (int i = 0; i < M; i++)
            dst[i] = (uint32_t)(M - 1 - i);
        memset(ey, 0, sizeof ey);
        sim_items_t c = {d1, d2, d3, emu, esg, ep, ey, dst};
        sim_draw_batch(11, 22, 33, &c, (size_t)n, tails);
        for (int i = 0; i < N; i++) {
            if (where[i] >= (uint32_t)n)
                continue;
            assert_memory_equal(&x[i], &ex[where[i]], sizeof x[i]);
            assert_memory_equal(&x[i], &ey[M - 1 - where[i]], sizeof x[i]);
        }
    }
}

/* sim_expand_batch lays out items as plain arithmetic does, the ln-median to the bit. */
CY_TEST(test_sim_expand_batch_matches_plain_arithmetic)
{
    (void)state;
    enum { NT = 7, N = 500, CAP = N * SIM_SLOTS + SIM_SLOTS };
    uint64_t s = 99;
    static sim_tmpl_t tm[NT];
    for (int t = 0; t < NT; t++) {
        tm[t].k = (uint32_t)(t * 2 + 1 < SIM_SLOTS ? t * 2 + 1 : SIM_SLOTS);
        for (int q = 0; q < SIM_SLOTS; q++) {
            tm[t].c3[q] = (uint32_t)q;
            tm[t].row[q] = (uint32_t)(q % 5);
            tm[t].p[q] = rnd01(&s);
            tm[t].sigma[q] = rnd01(&s);
            tm[t].base[q] = 10.0 * rnd01(&s);
            tm[t].rexp[q] = q % 3 ? rnd01(&s) : 0.0;
            tm[t].smul[q] = q % 3 ? 1.0 : 0.0;
        }
    }
    static uint32_t lc1[N], lc2[N];
    static double lrs[N], shift[N];
    static const sim_tmpl_t *lt[N];
    for (int e = 0; e < N; e++) {
        lc1[e] = (uint32_t)rnd(&s);
        lc2[e] = (uint32_t)e;
        lrs[e] = 6.0 * rnd01(&s) - 3.0;
        shift[e] = 2.0 * rnd01(&s) - 1.7;
        lt[e] = &tm[rnd(&s) % NT];
    }
    static uint32_t c1[CAP], c2[CAP], c3[CAP], dst[CAP];
    static double mu[CAP], sg[CAP], p[CAP];
    for (size_t slots = 8; slots <= 16; slots += 8) {
        /* templates of at most `slots` items */
        sim_losses_t L = {.n = N,
                          .lane0 = 1000,
                          .stride = 4096,
                          .c1 = lc1,
                          .c2 = lc2,
                          .lrs = lrs,
                          .shift = shift,
                          .tmpl = lt};
        for (int t = 0; t < NT; t++)
            if (tm[t].k > slots)
                tm[t].k = (uint32_t)slots;
        size_t n = sim_expand_batch(&L, slots, c1, c2, c3, mu, sg, p, dst);
        size_t at = 0;
        for (int e = 0; e < N; e++) {
            const sim_tmpl_t *t = lt[e];
            for (uint32_t q = 0; q < t->k; q++, at++) {
                volatile double prod = t->rexp[q] * lrs[e]; /* plain arithmetic, step by step */
                volatile double sum = t->base[q] + prod;
                volatile double sh = shift[e] * t->smul[q];
                double want = sum + sh;
                assert_int_equal(c1[at], lc1[e]);
                assert_int_equal(c2[at], lc2[e]);
                assert_int_equal(c3[at], t->c3[q]);
                assert_int_equal(dst[at], t->row[q] * 4096 + 1000 + (uint32_t)e);
                assert_memory_equal(&mu[at], &want, sizeof want);
                assert_true(p[at] == t->p[q] && sg[at] == t->sigma[q]);
            }
        }
        assert_int_equal(n, at);
    }
}

/*
 * The grouped draws (slot by slot over the losses of a template, counters
 * copied from the per-loss arrays) give every item the amount the item by
 * item draws give, to the bit: groups of every size (one loss, a few, more
 * than a tile), involvement 1 and near 0, σ 0, coverages with a tail.
 */
CY_TEST(test_sim_grouped_draws_match_item_draws)
{
    (void)state;
    enum { NT = 9, N = 1200, STRIDE = 1300, ROWS = 16, CAP = N * SIM_SLOTS + SIM_SLOTS };
    uint64_t s = 4242;
    static sim_tmpl_t tm[NT];
    for (int t = 0; t < NT; t++) {
        tm[t].k = (uint32_t)(t < 3 ? t + 1 : t == 8 ? SIM_SLOTS : 4 + t % 5);
        for (int q = 0; q < SIM_SLOTS; q++) {
            tm[t].c3[q] = (uint32_t)(q % 13);
            tm[t].row[q] = (uint32_t)q;
            tm[t].p[q] = q % 4 == 0 ? 1.0 : q % 4 == 1 ? 1e-3 : rnd01(&s);
            tm[t].sigma[q] = q % 5 == 0 ? 0.0 : 0.2 + 2.0 * rnd01(&s);
            tm[t].base[q] = 8.0 + 6.0 * rnd01(&s);
            tm[t].rexp[q] = q % 3 ? rnd01(&s) : 0.0;
            tm[t].smul[q] = q % 3 ? 1.0 : 0.0;
        }
    }
    sim_tail_t tails[SIM_TAILS];
    for (int c = 0; c < SIM_TAILS; c++)
        tails[c] = (sim_tail_t){c % 3 ? SIM_NO_TAIL : 1.2, 0.3, 0.6};
    /* group sizes: 1, 2, 7, 8, 9, then bigger ones up to more than a tile's worth */
    const size_t sizes[NT] = {1, 2, 7, 8, 9, 40, 100, 333, 700};
    static size_t start[NT + 1];
    static const sim_tmpl_t *gt[NT], *lt[N];
    static uint32_t c1[N + 48], c2[N + 48], lane[N + 48], lc1[N], lc2[N];
    static double lrs[N + 48], shift[N + 48], llrs[N], lshift[N];
    size_t n = 0;
    for (int g = 0; g < NT; g++) {
        start[g] = n;
        gt[g] = &tm[g];
        for (size_t i = 0; i < sizes[g] && n < N; i++, n++) {
            c1[n] = (uint32_t)rnd(&s);
            c2[n] = (uint32_t)n;
            lane[n] = (uint32_t)((n * 7919) % N); /* the losses in another order in x */
            lrs[n] = 6.0 * rnd01(&s) - 3.0;
            shift[n] = 2.0 * rnd01(&s) - 1.0;
            /* the same loss for the item-by-item draws, at its lane */
            lt[lane[n]] = gt[g];
            lc1[lane[n]] = c1[n];
            lc2[lane[n]] = c2[n];
            llrs[lane[n]] = lrs[n];
            lshift[lane[n]] = shift[n];
        }
    }
    start[NT] = n;
    assert_int_equal(n, N); /* every lane has a loss */
    static double x[ROWS * STRIDE], y[ROWS * STRIDE];
    sim_grouped_t G = {NT, gt, start, c1, c2, lane, lrs, shift, STRIDE};
    sim_draw_grouped(7, 8, 9, &G, x, tails);
    static uint32_t ic1[CAP], ic2[CAP], ic3[CAP], dst[CAP];
    static double mu[CAP], sg[CAP], p[CAP];
    sim_losses_t L = {N, 0, STRIDE, lc1, lc2, llrs, lshift, lt};
    size_t ni = sim_expand_batch(&L, SIM_SLOTS, ic1, ic2, ic3, mu, sg, p, dst);
    sim_items_t it = {ic1, ic2, ic3, mu, sg, p, y, dst};
    sim_draw_batch(7, 8, 9, &it, ni, tails);
    assert_memory_equal(x, y, sizeof x);
    size_t drawn = 0;
    for (size_t i = 0; i < ROWS * STRIDE; i++)
        drawn += x[i] != 0.0;
    assert_true(drawn > ni / 3 && drawn < ni); /* some have a loss, not all */
}

/*
 * The steps between the insureds an occurrence hits, from the vector log,
 * are the ones libm's log gives (1 + floor(ln u / ln(1 − h))) wherever the
 * kernel is sure of the floor, and it is unsure only within 1e-9 of a whole
 * number; the words are Philox's of (c0, c1, 0, block).
 */
CY_TEST(test_sim_hit_gaps_match_libm)
{
    (void)state;
    const double h[] = {0.3, 0.02, 1e-6, 0.999};
    philox4x32_key_t key = {{11, 12}};
    for (size_t k = 0; k < sizeof h / sizeof h[0]; k++) {
        double l1h = log1p(-h[k]);
        for (uint32_t b0 = 0; b0 < 64 * 40; b0 += 64) {
            uint32_t w[4 * SIM_HIT_BLOCKS];
            double step[4 * SIM_HIT_BLOCKS];
            sim_hit_gaps(11, 12, 13, 5 | (7u << 8), b0, SIM_HIT_BLOCKS, l1h, w, step);
            for (uint32_t g = 0; g < 4 * SIM_HIT_BLOCKS; g++) {
                philox4x32_ctr_t c = {{13, 5 | (7u << 8), 0, b0 + g / 4}};
                assert_int_equal(w[g], philox4x32(c, key).v[g % 4]);
                double q = log(sim_u01(w[g])) / l1h, want = 1.0 + floor(q);
                if (step[g] >= 0.0)
                    assert_true(step[g] == want);
                else
                    assert_true(fabs(q - nearbyint(q)) <= 1e-9 * (2.0 + q));
            }
        }
    }
    /* a quotient a whole number to the bit is left to libm: u with ln u = 3 ln(1 − h) */
    uint32_t w[4 * SIM_HIT_BLOCKS];
    double step[4 * SIM_HIT_BLOCKS];
    sim_hit_gaps(1, 2, 3, 4, 0, 4, log(0.5), w, step);
    for (int g = 0; g < 16; g++)
        assert_true(step[g] == -1.0 || step[g] >= 1.0);
}

/*
 * sim_config_t.profile counts each year's loss events and coverage draws
 * and the cycles of its phases, and changes nothing in the result.
 */
CY_TEST(test_sim_profile_counts_each_year)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.3);
    sim_portfolio_t pf;
    mixed_portfolio(&pf, 300);
    sim_catalogue_t cat;
    mixed_catalogue(&cat);
    enum { Y = 200 };
    static uint64_t cyc[Y * SIM_PHASES];
    static uint32_t losses[Y], items[Y];
    sim_profile_t prof = {test_clock, cyc, losses, items};
    sim_config_t cfg = {
        .portfolio = &pf, .model = &m, .catalogue = &cat, .years = Y, .seed = 5, .threads = 2};
    sim_result_t *a = NULL, *b = NULL;
    cy_error_t err;
    assert_int_equal(sim_run(&cfg, &a, &err), CY_OK);
    cfg.profile = &prof;
    assert_int_equal(sim_run(&cfg, &b, &err), CY_OK);
    assert_memory_equal(a->ylt, b->ylt, Y * sizeof *a->ylt);
    uint64_t all = 0, drawn = 0;
    for (int y = 0; y < Y; y++) {
        assert_int_equal(losses[y], b->ylt[y].attritional + b->ylt[y].hits);
        assert_true(items[y] <= losses[y] * (uint32_t)COV_N);
        drawn += items[y];
        for (int ph = 0; ph < SIM_PHASES; ph++)
            all += cyc[y * SIM_PHASES + ph];
    }
    assert_true(drawn > 0 && all > 0);
    assert_string_equal(sim_phase_name(SIM_PHASE_DRAWS), "draws");
    assert_string_equal(sim_phase_name(SIM_PHASES), "");
    sim_result_free(a);
    sim_result_free(b);
    sim_portfolio_free(&pf); /* the catalogue's events are static */
}

/*
 * The whole run through the fast paths and through the slow ones — items
 * one coverage at a time, every loss settled by the terms engine — gives
 * the same bytes. The mixed portfolio has coinsured policies (always the
 * engine's) and two sets of insured coverages; the second portfolio has so
 * many sets that the run itself falls back to the item loop.
 */
static void
run_paths(sim_config_t cfg, sim_result_t **out)
{
    cy_error_t err;
    assert_int_equal(sim_run(&cfg, out, &err), CY_OK);
}

CY_TEST(test_sim_fast_and_slow_paths_agree)
{
    (void)state;
    rating_data_t rd;
    cy_error_t err;
    assert_int_equal(
        rating_data_load(CY_SOURCE_DIR "/data/rating/model.json", "model.json", &rd, &err), CY_OK);
    for (int s = 0; s < RATING_N_SECTIONS; s++)
        rd.model.base_frequency[s] *= 20.0; /* policies with several losses a year */
    sim_portfolio_t pf;
    mixed_portfolio(&pf, 300);
    sim_catalogue_t cat;
    mixed_catalogue(&cat);
    sim_config_t cfg = {.portfolio = &pf,
                        .model = &rd.model,
                        .catalogue = &cat,
                        .years = 1500,
                        .seed = 99,
                        .threads = 2};
    sim_result_t *r[4];
    for (unsigned paths = 0; paths < 4; paths++) {
        cfg.paths = paths;
        run_paths(cfg, &r[paths]);
    }
    for (int k = 1; k < 4; k++)
        assert_same_result(r[0], r[k]);
    char d0[] = "/tmp/cy-sim-p0-XXXXXX", d3[] = "/tmp/cy-sim-p3-XXXXXX";
    assert_non_null(mkdtemp(d0));
    assert_non_null(mkdtemp(d3));
    write_result(d0, r[0], &pf, &cat, &rd.model);
    write_result(d3, r[3], &pf, &cat, &rd.model);
    assert_same_files(d0, d3);
    for (int i = 0; sim_output_files[i] != NULL; i++)
        for (int k = 0; k < 2; k++) {
            char p[256];
            snprintf(p, sizeof p, "%s/%s", k ? d3 : d0, sim_output_files[i]);
            unlink(p);
        }
    rmdir(d0);
    rmdir(d3);
    for (int k = 0; k < 4; k++)
        sim_result_free(r[k]);

    /* 200 different sets of insured coverages: no templates, whatever paths says */
    for (size_t i = 0; i < pf.n; i++) {
        uint32_t m = (uint32_t)(i * 2654435761u) & COV_ALL_MASK;
        m |= 1u << COV_IR | 1u << COV_BI;
        pf.policies[i].terms.covered = m;
        for (int c = 0; c < COV_N; c++)
            pf.policies[i].terms.sublimit[c] = pf.policies[i].terms.aggregate_limit / 2;
        assert_int_equal(terms_validate(&pf.policies[i].terms, &err), CY_OK);
    }
    cfg.paths = 0;
    cfg.threads = 1;
    run_paths(cfg, &r[0]);
    cfg.paths = SIM_PATH_ENGINE_ONLY;
    cfg.threads = 2;
    run_paths(cfg, &r[1]);
    assert_same_result(r[0], r[1]);
    assert_true(r[0]->hits > 1000);
    sim_result_free(r[0]);
    sim_result_free(r[1]);
    sim_portfolio_free(&pf);
}

/* ---- bad inputs --------------------------------------------------------- */

CY_TEST(test_sim_refuses_zero_years)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.1);
    sim_policy_t p = policy("P", 'C', "440300", 1e8, 1u << COV_IR, 0, 1e6);
    sim_portfolio_t pf = {&p, 1, "x"};
    sim_config_t cfg = {.portfolio = &pf, .model = &m, .years = 0, .seed = 1, .threads = 1};
    sim_result_t *r = (sim_result_t *)&p; /* must be reset to NULL */
    cy_error_t err;
    assert_int_equal(sim_run(&cfg, &r, &err), CY_EINVAL);
    assert_null(r);
    assert_string_equal(err.code, "sim_years");
    assert_non_null(strstr(err.message, "got 0"));
    cfg.years = -5;
    sim_estimate_t est;
    assert_int_equal(sim_estimate(&cfg, &est, &err), CY_EINVAL);
    assert_string_equal(err.code, "sim_years");
    cfg.years = 10;
    cfg.threads = 0;
    assert_int_equal(sim_estimate(&cfg, &est, &err), CY_EINVAL);
    assert_string_equal(err.code, "sim_threads");
    cfg.threads = 1;
    pf.n = 0;
    assert_int_equal(sim_estimate(&cfg, &est, &err), CY_EINVAL);
    assert_string_equal(err.code, "sim_portfolio");
}

CY_TEST(test_sim_refuses_run_over_max_mem_with_the_estimate)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.1);
    sim_policy_t p = policy("P", 'C', "440300", 1e8, 1u << COV_IR, 0, 1e6);
    sim_portfolio_t pf = {&p, 1, "x"};
    sim_config_t cfg = {.portfolio = &pf,
                        .model = &m,
                        .years = 100000000,
                        .seed = 1,
                        .threads = 2,
                        .max_mem = 64u << 20};
    sim_estimate_t est;
    cy_error_t err;
    assert_int_equal(sim_estimate(&cfg, &est, &err), CY_OK);
    assert_true(est.bytes > (uint64_t)100000000 * sizeof(sim_year_t));
    sim_result_t *r = NULL;
    assert_int_equal(sim_run(&cfg, &r, &err), CY_ETOOLARGE);
    assert_null(r);
    assert_string_equal(err.code, "sim_max_mem");
    char want[64];
    snprintf(want, sizeof want, "needs about %.1f MiB", (double)est.bytes / 1048576.0);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.message, "64.0 MiB (--max-mem)"));
}

static const char *
temp_write(const char *suffix, const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/cy-sim-XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static void
expect_catalogue_error(const rating_model_t *m, const char *text, const char *field,
                       const char *needle)
{
    const char *path = temp_write(".json", text);
    sim_catalogue_t cat;
    cy_error_t err;
    assert_int_equal(catalogue_load(path, m, &cat, &err), CY_EINVAL);
    assert_string_equal(err.code, "catalogue_invalid");
    if (field != NULL)
        assert_string_equal(err.field, field);
    if (strstr(err.message, needle) == NULL) {
        print_error("message \"%s\" lacks \"%s\"\n", err.message, needle);
        fail();
    }
    assert_null(cat.events);
    unlink(path);
}

CY_TEST(test_sim_malformed_catalogue_names_line_and_field)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.1);
    const char *head = "{\"source\": \"test\", \"version\": \"1\", \"events\": [\n"
                       "  {\"id\": \"A\", \"type\": \"cloud_outage\", \"annual_rate\": 0.1,\n"
                       "   \"selector\": {\"cloud\": \"aliyun\"}, \"hit_probability\": 0.3,\n"
                       "   \"duration_hours\": {\"median\": 8, \"sigma\": 1}},\n";
    char text[2048];
    snprintf(text, sizeof text,
             "%s  {\"id\": \"B\", \"type\": \"mass_exploit\",\n"
             "   \"annual_rate\": -2,\n"
             "   \"selector\": {\"vpn\": \"sangfor\"}, \"hit_probability\": 0.1,\n"
             "   \"severity\": {\"incident_type\": \"ransomware\"}}\n]}\n",
             head);
    expect_catalogue_error(&m, text, "events[1].annual_rate",
                           "line 6, events[1].annual_rate: must be from 1e-12 to 100, got -2");
    snprintf(
        text, sizeof text,
        "%s  {\"id\": \"B\", \"type\": \"mass_exploit\", \"annual_rate\": 0.2,\n"
        "   \"selector\": {\"vpn\": \"sangfor\", \"colour\": \"red\"},\n"
        "   \"hit_probability\": 0.1, \"severity\": {\"incident_type\": \"ransomware\"}}\n]}\n",
        head);
    expect_catalogue_error(&m, text, "events[1].selector.colour",
                           "line 6, events[1].selector.colour: unknown key");
    snprintf(text, sizeof text,
             "%s  {\"id\": \"B\", \"type\": \"meteor\", \"annual_rate\": 0.2,\n"
             "   \"selector\": {\"vpn\": \"sangfor\"}, \"hit_probability\": 0.1}\n]}\n",
             head);
    expect_catalogue_error(&m, text, "events[1].type",
                           "line 5, events[1].type: must be "
                           "cloud_outage, mass_exploit");
    snprintf(text, sizeof text,
             "%s  {\"id\": \"B\", \"type\": \"mass_exploit\", \"annual_rate\": 0.2,\n"
             "   \"selector\": {\"vpn\": \"sangfor\"}, \"hit_probability\": 0.1,\n"
             "   \"severity\": {\"incident_type\": \"alien\"}}\n]}\n",
             head);
    expect_catalogue_error(&m, text, "events[1].severity.incident_type",
                           "the rating model has no incident type \"alien\"");
    snprintf(text, sizeof text, "%s  {\"id\": \"A\"}\n]}\n", head);
    expect_catalogue_error(&m, text, "events[1].type", "is missing");
    snprintf(text, sizeof text,
             "%s  {\"id\": \"A\", \"type\": \"cloud_outage\", \"annual_rate\": 0.1,\n"
             "   \"selector\": {\"cloud\": \"x\"}, \"hit_probability\": 0.3,\n"
             "   \"duration_hours\": {\"median\": 8, \"sigma\": 1}}\n]}\n",
             head);
    expect_catalogue_error(&m, text, "events[1].id", "line 5, events[1].id: duplicate event id A");
    snprintf(text, sizeof text, "%s  {\"id\": \"B\",, }\n]}\n", head);
    expect_catalogue_error(&m, text, NULL, "line 5, column");

    /* the shipped catalogue loads against the shipped model */
    rating_data_t rd;
    cy_error_t err;
    assert_int_equal(
        rating_data_load(CY_SOURCE_DIR "/data/rating/model.json", "model.json", &rd, &err), CY_OK);
    sim_catalogue_t cat;
    assert_int_equal(catalogue_load(CY_SOURCE_DIR "/data/catalogue", &rd.model, &cat, &err), CY_OK);
    assert_true(cat.n >= 20);
    sim_catalogue_free(&cat);
}

/* A catalogue of n outages <pre>0 .. <pre><n−1>, one to a line after the first; event dup has id d.
 */
static char *
outages_json(const char *pre, size_t n, size_t dup, const char *d)
{
    size_t cap = 200 + n * 200, at = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    at += (size_t)snprintf(t + at, cap - at,
                           "{\"source\": \"t\", \"version\": \"1\", \"events\": [\n");
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%s%zu", pre, i);
        at += (size_t)snprintf(t + at, cap - at,
                               "{\"id\": \"%s\", \"type\": \"cloud_outage\", \"annual_rate\": 0.1, "
                               "\"selector\": {\"cloud\": \"aliyun\"}, \"hit_probability\": 0.3, "
                               "\"duration_hours\": {\"median\": 8, \"sigma\": 1}}%s\n",
                               i == dup ? d : id, i + 1 < n ? "," : "");
    }
    snprintf(t + at, cap - at, "]}\n");
    return t;
}

/* Ids are checked as they come, across files, and past the growth of the events array. */
CY_TEST(test_sim_catalogue_duplicate_ids_past_growth_and_across_files)
{
    (void)state;
    rating_model_t m;
    busy_model(&m, 0.1);
    /* 600 events: the array grows from 256 to 512 to 1024 before the repeat of E10 */
    char *text = outages_json("E", 600, 599, "E10");
    expect_catalogue_error(&m, text, "events[599].id",
                           "line 601, events[599].id: duplicate event id E10");
    free(text);
    char dir[] = "/tmp/cy-sim-cat-XXXXXX", a[64], b[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    text = outages_json("E", 300, SIZE_MAX, NULL);
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    text = outages_json("F", 3, 1, "E299"); /* b.json's E1 repeats a.json's E299 */
    f = fopen(b, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    sim_catalogue_t cat;
    cy_error_t err;
    assert_int_equal(catalogue_load(dir, &m, &cat, &err), CY_EINVAL);
    assert_string_equal(err.field, "events[1].id");
    assert_non_null(strstr(err.message, "b.json line 3, events[1].id: duplicate event id E299"));
    assert_null(cat.events);
    /* without the repeat, both files load: 303 events, in file order */
    text = outages_json("F", 3, SIZE_MAX, NULL);
    f = fopen(b, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    assert_int_equal(catalogue_load(dir, &m, &cat, &err), CY_OK);
    assert_int_equal(cat.n, 303);
    assert_string_equal(cat.events[0].id, "E0");
    assert_string_equal(cat.events[299].id, "E299");
    assert_string_equal(cat.events[302].id, "F2");
    sim_catalogue_free(&cat);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

static void
expect_exposure_error(const char *text, const char *field, const char *needle)
{
    const char *path = temp_write(".csv", text);
    const char *base = strrchr(path, '/') + 1;
    sim_portfolio_t pf;
    cy_error_t err;
    assert_int_equal(exposure_load(path, NULL, &pf, &err), CY_EINVAL);
    assert_string_equal(err.code, "exposure_invalid");
    if (field != NULL)
        assert_string_equal(err.field, field);
    char want[256];
    snprintf(want, sizeof want, "%s %s", base, needle);
    if (strstr(err.message, want) == NULL) {
        print_error("message \"%s\" lacks \"%s\"\n", err.message, want);
        fail();
    }
    assert_null(pf.policies);
    unlink(path);
}

#define CSV_HEAD                                                                                   \
    "# a comment line\n"                                                                           \
    "PolNumber,IndustryCode1,AreaCode,AnnualRevenue,PolLimit,PolDed,Coverages,BIWaitingPeriod,"    \
    "SubLimit_bi,Share_ir,CloudVendor,VPNVendor,SecurityGrade\n"

CY_TEST(test_sim_malformed_exposure_names_line_and_field)
{
    (void)state;
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,50000,bi;ir,0.5,1000000,0.9,"
                                   "aliyun,sangfor,B\n"
                                   "P2,C,440300,lots,5000000,50000,bi,0.5,,,aliyun,sangfor,C\n",
                          "AnnualRevenue", "line 4, AnnualRevenue: not an amount");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,50000,bi;cyber,0.5,,,,,\n",
                          "Coverages", "line 3, Coverages: unknown coverage code \"cyber\"");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,50000,bi,0.5,6000000,,,,\n",
                          "SubLimit_bi",
                          "line 3, SubLimit_bi: policy terms sublimit.bi: a sublimit "
                          "must be above 0 and at most the aggregate limit");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,50000,bi,0.5,,1.5,,,\n",
                          "Share_ir", "line 3, Share_ir: must be from");
    expect_exposure_error(CSV_HEAD "P1,C,4403,50000000,5000000,0,bi,,,,,,\n", "AreaCode",
                          "line 3, AreaCode: must be a 6-digit GB/T 2260 region code");
    expect_exposure_error(CSV_HEAD "P1,Z,440300,50000000,5000000,0,bi,,,,,,\n", "IndustryCode1",
                          "line 3, IndustryCode1:");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,0,bi,,,,,,F\n", "SecurityGrade",
                          "line 3, SecurityGrade: must be A–E");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,0,bi,,,,,,\n"
                                   "P1,C,440300,50000000,5000000,0,bi,,,,,,\n",
                          "PolNumber",
                          "line 4, PolNumber: duplicate policy number P1, already "
                          "on line 3");
    expect_exposure_error(CSV_HEAD "P1,C,440300,50000000,5000000,0,bi,,,,,\n", NULL,
                          "line 3: expected 13 fields, found 12");
    expect_exposure_error("PolNumber,IndustryCode1,AreaCode,AnnualRevenue,Coverages\n"
                          "P1,C,440300,1000,bi\n",
                          "PolLimit", "line 1, PolLimit: required column is missing");
    expect_exposure_error("PolNumber,IndustryCode1,AreaCode,AnnualRevenue,PolLimit,Coverages,"
                          "PolLimitDIAS\nP1,C,440300,1000,100,data,50\n",
                          "PolLimitDIAS", "line 2, PolLimitDIAS: this OED sublimit");
    expect_exposure_error("PolNumber,IndustryCode1,AreaCode,AnnualRevenue,PolLimit,PolCoverage\n"
                          "P1,C,440300,1000,100,NPBI;FIN\n",
                          "PolCoverage",
                          "line 2, PolCoverage: OED coverage FIN has no counterpart");
}

CY_TEST(test_sim_exposure_reads_oed_columns)
{
    (void)state;
    const char *path = temp_write(
        ".csv", "PolNumber,InsuredName,IndustryScheme1,IndustryCode1,AreaCode,AnnualRevenue,"
                "GrossProfitMargin,PolLimit,PolDed,BIWaitingPeriod,PolCoverage,PolLimitNPBI,"
                "CloudVendor,OSVendor,EmailVendor,SomeOtherOEDColumn\n"
                "ABC1,\"深圳示例科技有限公司, 一\",GBT4754,39,440300,\"1,200,000,000.00\",0.25,"
                "7700000,50000,0.5,NPBI;INRE,2000000,aliyun,windows,exmail_qq,ignored\n");
    ref_data_t *ref = NULL;
    cy_error_t err;
    assert_int_equal(refdata_load(CY_SOURCE_DIR "/data", &ref, &err), CY_OK);
    sim_portfolio_t pf;
    assert_int_equal(exposure_load(path, ref, &pf, &err), CY_OK);
    assert_int_equal(pf.n, 1);
    const sim_policy_t *p = &pf.policies[0];
    assert_string_equal(p->id, "ABC1");
    assert_string_equal(p->name, "深圳示例科技有限公司, 一");
    assert_int_equal(p->section, 'C'); /* 大类 39 is in section C */
    assert_int_equal(p->revenue, 120000000000LL);
    assert_true(p->gross_margin == 0.25);
    assert_int_equal(p->terms.aggregate_limit, 770000000);
    assert_int_equal(p->terms.retention, 5000000);
    assert_true(p->terms.bi_waiting_hours == 12.0); /* OED: days */
    assert_int_equal(p->terms.covered,
                     1u << COV_BI | 1u << COV_IR | 1u << COV_PR | 1u << COV_LEGAL);
    assert_int_equal(p->terms.sublimit[COV_BI], 200000000);
    assert_int_equal(p->terms.sublimit[COV_IR], 770000000);
    assert_int_equal(p->grade, 'C');
    assert_string_equal(p->dep[SIM_DEP_CLOUD], "aliyun");
    assert_string_equal(p->dep[SIM_DEP_VPN], "");
    sim_portfolio_free(&pf);
    unlink(path);

    /* the demo portfolio the issue ships */
    assert_int_equal(exposure_load(CY_SOURCE_DIR "/data/demo/portfolio.csv", ref, &pf, &err),
                     CY_OK);
    assert_true(pf.n >= 150 && pf.n <= 300);
    for (size_t i = 0; i < pf.n; i++)
        assert_true(strncmp(pf.policies[i].region, "44", 2) == 0 ||
                    strncmp(pf.policies[i].region, "33", 2) == 0);
    sim_portfolio_free(&pf);
    refdata_free(ref);
}

/* ---- metrics ------------------------------------------------------------ */

CY_TEST(test_sim_metrics_read_ep_and_tvar_off_the_table)
{
    (void)state;
    sim_result_t r;
    memset(&r, 0, sizeof r);
    r.years = r.year_end = 1000;
    r.ylt = calloc(1000, sizeof *r.ylt);
    for (int i = 0; i < 1000; i++) {
        /* year i loses (i + 1) × ¥1; its largest single occurrence is half that */
        r.ylt[(i * 7) % 1000].insured = (i + 1) * 100;
        r.ylt[(i * 7) % 1000].max_occ_insured = (i + 1) * 50;
        r.ylt[(i * 7) % 1000].ground_up = (i + 1) * 300;
    }
    sim_metrics_t m;
    cy_error_t err;
    assert_int_equal(sim_metrics(&r, &m, &err), CY_OK);
    assert_true(fabs(m.aal_insured - 50050.0) < 1e-9);
    /* 1-in-10: the 100th largest of 1,000; 1-in-1000: the largest */
    assert_int_equal(m.aep_insured[0], 90100);
    assert_int_equal(m.oep_insured[0], 45050);
    assert_int_equal(m.aep_ground_up[0], 270300);
    assert_int_equal(m.aep_insured[3], 99600); /* 1-in-200: the 5th largest */
    assert_int_equal(m.aep_insured[6], 100000);
    assert_int_equal(m.rp_valid[6], 1);
    /* TVaR 99%: mean of the 10 largest; 99.5%: of the 5 largest */
    assert_true(fabs(m.tvar99_insured - 99550.0) < 1e-9);
    assert_true(fabs(m.tvar995_insured - 99800.0) < 1e-9);
    double sd = sqrt(1000.0 * 1001.0 / 12.0) * 100.0; /* sample sd of 1..1000, in fen */
    assert_true(fabs(m.se_insured - sd / sqrt(1000.0)) < 1e-6);
    /* fewer years than a return period: no estimate */
    r.years = r.year_end = 500;
    assert_int_equal(sim_metrics(&r, &m, &err), CY_OK);
    assert_int_equal(m.rp_valid[5], 1);
    assert_int_equal(m.rp_valid[6], 0);
    /* a table with only part of the years is refused */
    r.year_begin = 100;
    assert_int_equal(sim_metrics(&r, &m, &err), CY_EINVAL);
    assert_string_equal(err.code, "sim_partial");
    free(r.ylt);
}
