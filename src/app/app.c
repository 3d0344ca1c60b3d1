/*
 * app.c — opening the application and the use cases of the platform
 * foundation (health, reference data). Depends on core/ and store/; never on
 * http/ or cli/.
 */
#include "app/app.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/audit.h"
#include "app/cache.h"
#include "core/bjtime.h"

#include "data/refdata.h"
#include "app/docs/docs.h"
#include "app/claims/claims.h"
#include "app/pilot/pilot.h"
#include "app/monitor/monitor.h"
#include "data/monitor.h"
#include "data/platform.h"
#include "data/uw.h"

/* Copy the reference data into the ref_* tables (upserts in c's transaction), loaded at now. */
static cy_status_t
sync_ref(store_conn_t *c, const ref_data_t *ref, int64_t now, cy_error_t *err)
{
    cy_status_t st = CY_OK;
    /* provinces first: prefectures reference them */
    for (int level = 1; level <= 2 && st == CY_OK; level++) {
        for (size_t i = 0; i < ref->n_regions && st == CY_OK; i++) {
            const ref_region_t *r = &ref->regions[i];
            if (r->level != level)
                continue;
            store_param_t p[] = {STORE_P_TEXT(r->code), STORE_P_TEXT(r->name),
                                 STORE_P_INT(r->level),
                                 r->parent[0] ? STORE_P_TEXT(r->parent) : STORE_P_NULL,
                                 STORE_P_INT(r->plan_city ? 1 : 0)};
            st = store_exec(c,
                            "INSERT INTO ref_region (code, name, level, parent, plan_city) "
                            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO UPDATE SET "
                            "name = excluded.name, level = excluded.level, "
                            "parent = excluded.parent, plan_city = excluded.plan_city",
                            p, 5, NULL, err);
        }
    }
    for (size_t i = 0; i < ref->n_industries && st == CY_OK; i++) {
        const ref_industry_t *d = &ref->industries[i];
        char section[2] = {d->section, '\0'};
        store_param_t p[] = {STORE_P_TEXT(d->code), STORE_P_INT(d->level), STORE_P_TEXT(section),
                             STORE_P_TEXT(d->name)};
        st = store_exec(c,
                        "INSERT INTO ref_industry (code, level, section, name) VALUES ($1, $2, $3, "
                        "$4) ON CONFLICT (code) DO UPDATE SET level = excluded.level, "
                        "section = excluded.section, name = excluded.name",
                        p, 4, NULL, err);
    }
    for (size_t i = 0; i < ref->n_coverages && st == CY_OK; i++) {
        const ref_coverage_t *v = &ref->coverages[i];
        store_param_t p[] = {STORE_P_TEXT(v->code),
                             STORE_P_INT(v->third_party ? 1 : 0),
                             STORE_P_TEXT(v->name_zh),
                             STORE_P_TEXT(v->name_en),
                             STORE_P_INT(v->waiting_period ? 1 : 0),
                             STORE_P_TEXT(v->oed_code)};
        st = store_exec(c,
                        "INSERT INTO ref_coverage (code, third_party, name_zh, name_en, "
                        "waiting_period, oed_code) VALUES ($1, $2, $3, $4, $5, $6) "
                        "ON CONFLICT (code) DO UPDATE SET third_party = excluded.third_party, "
                        "name_zh = excluded.name_zh, name_en = excluded.name_en, "
                        "waiting_period = excluded.waiting_period, oed_code = excluded.oed_code",
                        p, 6, NULL, err);
    }
    char ts[32];
    utc_format_iso(now, ts);
    const struct {
        const char *file;
        const ref_source_t *src;
    } files[] = {{"regions.csv", &ref->regions_src},
                 {"industries.csv", &ref->industries_src},
                 {"coverages.json", &ref->coverages_src},
                 {"pilot.json", &ref->pilot_src}};
    for (size_t i = 0; i < sizeof files / sizeof files[0] && st == CY_OK; i++) {
        store_param_t p[] = {STORE_P_TEXT(files[i].file), STORE_P_TEXT(files[i].src->version),
                             STORE_P_TEXT(ts)};
        st = store_exec(c,
                        "INSERT INTO ref_source (file, version, loaded_at) VALUES ($1, $2, $3) "
                        "ON CONFLICT (file) DO UPDATE SET version = excluded.version, "
                        "loaded_at = excluded.loaded_at",
                        p, 3, NULL, err);
    }
    return st;
}

void
app_config_defaults(app_config_t *cfg)
{
    if (cfg->pool_size < 1)
        cfg->pool_size = 1;
    if (cfg->session_idle_s <= 0)
        cfg->session_idle_s = 1800;
    if (cfg->session_max_s <= 0)
        cfg->session_max_s = 12 * 3600;
    if (cfg->login_max_user <= 0)
        cfg->login_max_user = 5;
    if (cfg->login_max_ip <= 0)
        cfg->login_max_ip = 20;
    if (cfg->login_window_s <= 0)
        cfg->login_window_s = 15 * 60;
    if (cfg->job_stale_s <= 0)
        cfg->job_stale_s = 300;
    if (cfg->webhook_attempts <= 0)
        cfg->webhook_attempts = 8;
    if (cfg->webhook_retry_s <= 0)
        cfg->webhook_retry_s = 30;
    if (cfg->webhook_retry_max_s <= 0)
        cfg->webhook_retry_max_s = 6 * 3600;
    if (cfg->webhook_timeout_s <= 0)
        cfg->webhook_timeout_s = 10;
    if (cfg->soffice == NULL || cfg->soffice[0] == '\0')
        cfg->soffice = "soffice";
    if (cfg->office_timeout_s <= 0)
        cfg->office_timeout_s = 120;
    if (cfg->tmp_dir == NULL || cfg->tmp_dir[0] == '\0')
        cfg->tmp_dir = "/tmp";
}

cy_status_t
app_open(const app_config_t *cfg_in, app_t **out, cy_error_t *err)
{
    *out = NULL;
    app_t *app = calloc(1, sizeof *app);
    if (app == NULL)
        return cy_error_no_memory(err);
    if (sodium_init() < 0) {
        free(app);
        return cy_error_set(err, CY_EIO, "crypto_init", NULL,
                            "无法初始化加密库 / cannot initialise libsodium");
    }
    app->cfg = *cfg_in;
    app_config_defaults(&app->cfg);
    const app_config_t *cfg = &app->cfg;
    cy_status_t st = refdata_load(cfg->data_dir, &app->ref, err);
    if (st == CY_OK)
        st = uw_data_load(cfg->data_dir, &app->uw, err);
    if (st == CY_OK)
        st = app_pilot_open(app, err);
    if (st == CY_OK)
        st = app_docs_open(app, err);
    if (st == CY_OK)
        st = platform_data_load(cfg->data_dir, &app->platform, err);
    if (st == CY_OK)
        st = monitor_data_load(cfg->data_dir, &app->monitor, err);
    app->grade_now = monitor_grade_now;
    if (st == CY_OK)
        st = app_claims_open(app, err);
    if (st == CY_OK)
        st = store_open(cfg->db_url, cfg->pool_size, &app->store, err);
    if (st == CY_OK && ((app->auth_cache = app_cache_new(app->store, 4096)) == NULL ||
                        (app->product_cache = app_cache_new(app->store, 64)) == NULL))
        st = cy_error_no_memory(err);
    if (st == CY_OK && cfg->migrate)
        st = store_migrate(app->store, app->cfg.now, NULL, err);
    if (st == CY_OK && cfg->migrate) {
        store_conn_t *c;
        st = store_tx_open(app->store, &c, err);
        if (st == CY_OK)
            st = store_tx_close(app->store, c, sync_ref(c, app->ref, cfg->now, err), err);
    }
    if (st != CY_OK) {
        app_close(app);
        return st;
    }
    *out = app;
    return CY_OK;
}

void
app_close(app_t *app)
{
    if (app == NULL)
        return;
    app_audit_sequencer_stop(app);
    store_close(app->store);
    app_cache_free(app->auth_cache);
    app_cache_free(app->product_cache);
    refdata_free(app->ref);
    uw_data_free(app->uw);
    app_pilot_close(app);
    app_docs_close(app);
    platform_data_free(app->platform);
    monitor_data_free(app->monitor);
    app_claims_close(app);
    free(app);
}

cy_status_t
app_serve(app_t *app, cy_error_t *err)
{
    cy_status_t st = store_epoch_watch(app->store, err);
    if (st == CY_OK && store_backend(app->store) == STORE_POSTGRESQL)
        st = app_audit_sequencer_start(app, err);
    return st;
}

cy_status_t
app_health(app_t *app, cy_error_t *err)
{
    return store_ping(app->store, err);
}

cy_status_t
app_check_uscc(const char *code, uscc_info_t *info, int *legal_person, cy_error_t *legal_err,
               cy_error_t *err)
{
    cy_status_t st = uscc_check(code, info, err);
    if (st != CY_OK)
        return st;
    cy_error_clear(legal_err);
    *legal_person = uscc_legal_person(info, legal_err) == CY_OK;
    return CY_OK;
}
