/*
 * portfolio.h — the insureds and policies a simulation runs over, and the
 * catalogue of systemic events, as plain in-memory structs.
 *
 * This is the seam between where exposure comes from and the Monte Carlo:
 * data/exposure.c fills a sim_portfolio_t from an exposure CSV (OED column
 * names), data/catalogue.c a sim_catalogue_t from the JSON files of
 * data/catalogue/, and app/sim/portfolio.c the same portfolio from the
 * policies in force. Nothing here reads a file. Depends on core/ only, so
 * the loaders of src/data/ may include it.
 */
#ifndef CY_SIM_PORTFOLIO_H
#define CY_SIM_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/terms.h"

/* The dependencies an exposure declares: the selectors of systemic events. */
#define SIM_DEP_N 4
typedef enum {
    SIM_DEP_CLOUD = 0, /* cloud provider (OED CloudVendor) */
    SIM_DEP_OS,        /* operating-system family (OED OSVendor) */
    SIM_DEP_VPN,       /* VPN vendor (cyberins extension VPNVendor) */
    SIM_DEP_EMAIL,     /* e-mail provider (OED EmailVendor) */
} sim_dep_t;

#define SIM_NAME_CAP 40 /* bytes of a dependency or identifier, NUL included */

/* sim_dep_code returns "cloud", "os", "vpn" or "email"; "" out of range. */
const char *sim_dep_code(int d);

/* One insured with its policy. */
typedef struct {
    char id[SIM_NAME_CAP];             /* policy number, unique in the portfolio */
    char name[96];                     /* insured's name, may be "" */
    char section;                      /* GB/T 4754 section 'A'..'T' */
    char region[7];                    /* GB/T 2260 code */
    char dep[SIM_DEP_N][SIM_NAME_CAP]; /* "" when not declared */
    char grade;                        /* security grade 'A'..'E' */
    int64_t revenue;                   /* fen a year, > 0 */
    double gross_margin;               /* 0..1; negative: the rating model's default */
    terms_t terms;                     /* validated */
} sim_policy_t;

typedef struct {
    sim_policy_t *policies; /* malloc'ed; sim_portfolio_free releases it */
    size_t n;
    char source[256]; /* e.g. the CSV path, for the report */
} sim_portfolio_t;

/* sim_portfolio_free releases p->policies and empties p; NULL is allowed. */
void sim_portfolio_free(sim_portfolio_t *p);

typedef enum {
    SIM_EVENT_CLOUD_OUTAGE = 0, /* bi for every insured hit, one outage duration for all */
    SIM_EVENT_MASS_EXPLOIT,     /* a widely used product exploited: incidents of a type */
    SIM_EVENT_RANSOMWARE_CAMPAIGN,
} sim_event_type_t;

#define SIM_EVENT_TYPES 3

/* sim_event_type_code returns "cloud_outage", "mass_exploit", "ransomware_campaign". */
const char *sim_event_type_code(int t);

/*
 * One systemic event of the catalogue. It occurs as a Poisson process of
 * annual_rate; each occurrence hits every insured matching the selector
 * (all keys set must match) independently with hit_probability.
 */
typedef struct {
    char id[SIM_NAME_CAP];
    char name[200]; /* "中文 / English", may be "" */
    sim_event_type_t type;
    double annual_rate;     /* > 0 */
    double hit_probability; /* (0, 1] */
    /* selector: "" / 0 = any */
    char sel_dep[SIM_DEP_N][SIM_NAME_CAP];
    char sel_section;   /* GB/T 4754 section */
    char sel_region[7]; /* PP0000 a province, PPCC00 a city, else one county code */
    /* cloud_outage: outage hours ~ LN(hours_mu, hours_sigma), drawn once per occurrence */
    double hours_mu;
    double hours_sigma;
    /* mass_exploit, ransomware_campaign: an incident of the rating model's type,
     * every amount (not the bi hours) × severity_scale */
    int incident_type;
    double severity_scale;
} sim_event_t;

typedef struct {
    sim_event_t *events; /* malloc'ed; sim_catalogue_free releases it */
    size_t n;
    char source[256];
} sim_catalogue_t;

/* sim_catalogue_free releases c->events and empties c; NULL is allowed. */
void sim_catalogue_free(sim_catalogue_t *c);

#endif
