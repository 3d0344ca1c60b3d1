/*
 * serve.c — cyberins serve: the HTTP server (http/) and this process's job
 * worker over one app; stops cleanly on SIGINT or SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/docs/docs.h"
#include "app/jobs.h"
#include "app/pilot/pilot.h"
#include "app/sim/simulation.h"
#include "app/monitor/monitor.h"
#include "app/webhook/webhook.h"
#include "cli/cli.h"
#include "http/server.h"

/* The kinds of background job this server's worker runs. */
static const job_kind_t JOB_KINDS[] = {
    {"simulation", app_simulation_job},       {"document.pdf", app_docs_pdf_job},
    {WEBHOOK_JOB_KIND, webhook_job},          {MONITOR_JOB_KIND, monitor_job},
    {PILOT_REMIND_JOB, app_pilot_remind_job}, {NULL, NULL},
};

static const char SERVE_HELP[] =
    "usage: cyberins serve [--db URL] [--listen ADDR:PORT] [--threads N] [--web DIR]\n"
    "                      [--data DIR] [--max-body BYTES] [--access-log FILE|-]\n"
    "Serve the REST API and the web UI. Applies pending migrations first.\n"
    "  --db URL          sqlite:PATH or postgresql://... (env CYBERINS_DB,\n"
    "                    default sqlite:var/cyberins.db)\n"
    "  --listen A:P      address and port (env CYBERINS_LISTEN, default 127.0.0.1:8080;\n"
    "                    port 0 picks a free one, printed on start)\n"
    "  --threads N       worker threads (default 2); the database pool has as many\n"
    "  --web DIR         static files (env CYBERINS_WEB, default the source web/)\n"
    "  --data DIR        reference data (env CYBERINS_DATA, default the source data/)\n"
    "  --max-body BYTES  request body limit (default 1048576)\n"
    "  --max-upload BYTES  file upload limit (default 268435456); uploads are\n"
    "                    streamed to disk, never held in memory\n"
    "  --upload-dir DIR  where uploads are streamed to, unlinked at once (env\n"
    "                    TMPDIR, default /tmp)\n"
    "  --access-log F    one JSON line per request to F, '-' for stderr (default -)\n"
    "  --trusted-proxy IP  believe X-Forwarded-For from this peer (e.g. nginx)\n"
    "  --secure-cookies  mark session cookies Secure (when served behind TLS)\n"
    "  --session-idle S  end sessions unused for S seconds (default 1800)\n"
    "  --session-max S   end sessions S seconds after login (default 43200)\n"
    "  --no-worker       do not run background jobs (simulations, PDFs, webhook\n"
    "                    deliveries) in this server\n"
    "  --soffice PROG    LibreOffice for PDFs of documents (env CYBERINS_SOFFICE,\n"
    "                    default soffice in PATH); a missing one makes PDFs answer 503\n"
    "  --office-timeout S  one PDF conversion's limit in seconds (default 120)\n"
    "  --webhook-attempts N  attempts before a delivery is dead-lettered (default 8)\n"
    "  --webhook-retry S     delay before the first retry, doubled after each\n"
    "                    (default 30; at most 21600)\n"
    "  --webhook-timeout S   time limit of one delivery attempt (default 10)\n"
    "  --webhook-allow-private  allow webhooks to loopback, private and link-local\n"
    "                    addresses (a receiver inside the operator's network)\n"
    "  --max-connections N  open connections at most (default 1000)\n"
    "  --per-ip-connections N  open connections from one address at most (default\n"
    "                    128; 0: no limit — behind nginx, which limits per client)\n"
    "  --header-timeout S  seconds a connection may take to send a request's headers,\n"
    "                    and may stay idle between requests (default 10)\n"
    "  --io-timeout S    seconds a request's body or answer may stall (default 60)\n"
    "  --shutdown-grace S  on SIGTERM/SIGINT: stop accepting, and wait up to S seconds\n"
    "                    for the requests in progress (default 10); a running job is\n"
    "                    stopped and handed back to the queue\n"
    "  --job-stale S     a running job whose heartbeat is older than S seconds (its\n"
    "                    server died) is taken over by another worker (default 300)\n"
    "  --test-clock      TESTS ONLY: let a request state its receipt time in the\n"
    "                    X-Test-Now header (deadlines, expiry); never in production\n";

/* Options without a one-letter twin. */
enum {
    OPT_MAX_UPLOAD = 256,
    OPT_UPLOAD_DIR,
    OPT_WH_ATTEMPTS,
    OPT_WH_RETRY,
    OPT_WH_TIMEOUT,
    OPT_WH_PRIVATE,
    OPT_SOFFICE,
    OPT_OFFICE_TIMEOUT,
    OPT_MAX_CONN,
    OPT_PER_IP,
    OPT_HEADER_TIMEOUT,
    OPT_IO_TIMEOUT,
    OPT_GRACE,
    OPT_JOB_STALE,
};

/* What the options say. */
typedef struct {
    cli_common_t c;
    http_config_t hc;
    const char *log_path;
    long threads, session_idle, session_max; /* session: 0 for the default */
    long long max_body, max_upload;
    long wh_attempts, wh_retry, wh_timeout; /* 0 for the default */
    long office_timeout;                    /* 0 for the default */
    long max_conn, per_ip, header_timeout, io_timeout, grace, job_stale;
    int worker_on, wh_private;
} serve_opts_t;

static const struct option SERVE_OPTS[] = {
    {"db", required_argument, 0, 'd'},
    {"listen", required_argument, 0, 'l'},
    {"threads", required_argument, 0, 't'},
    {"web", required_argument, 0, 'w'},
    {"data", required_argument, 0, 'D'},
    {"max-body", required_argument, 0, 'm'},
    {"access-log", required_argument, 0, 'a'},
    {"help", no_argument, 0, 'h'},
    {"trusted-proxy", required_argument, 0, 'p'},
    {"secure-cookies", no_argument, 0, 's'},
    {"session-idle", required_argument, 0, 'i'},
    {"session-max", required_argument, 0, 'x'},
    {"no-worker", no_argument, 0, 'W'},
    {"test-clock", no_argument, 0, 'T'},
    {"max-upload", required_argument, 0, OPT_MAX_UPLOAD},
    {"upload-dir", required_argument, 0, OPT_UPLOAD_DIR},
    {"webhook-attempts", required_argument, 0, OPT_WH_ATTEMPTS},
    {"webhook-retry", required_argument, 0, OPT_WH_RETRY},
    {"webhook-timeout", required_argument, 0, OPT_WH_TIMEOUT},
    {"webhook-allow-private", no_argument, 0, OPT_WH_PRIVATE},
    {"soffice", required_argument, 0, OPT_SOFFICE},
    {"office-timeout", required_argument, 0, OPT_OFFICE_TIMEOUT},
    {"max-connections", required_argument, 0, OPT_MAX_CONN},
    {"per-ip-connections", required_argument, 0, OPT_PER_IP},
    {"header-timeout", required_argument, 0, OPT_HEADER_TIMEOUT},
    {"io-timeout", required_argument, 0, OPT_IO_TIMEOUT},
    {"shutdown-grace", required_argument, 0, OPT_GRACE},
    {"job-stale", required_argument, 0, OPT_JOB_STALE},
    {0, 0, 0, 0}};

/* optarg as a number in [lo, hi] into *out, or a usage error with message. */
static int
number_opt(long long lo, long long hi, long long *out, const char *message)
{
    char *end;
    long long v = strtoll(optarg, &end, 10);
    if (*end || optarg[0] == '\0' || v < lo || v > hi) {
        fprintf(stderr, "cyberins serve: %s\n", message);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

/* As number_opt, into a long. */
static int
long_opt(long lo, long hi, long *out, const char *message)
{
    long long v = 0;
    int rc = number_opt(lo, hi, &v, message);
    if (rc == 0)
        *out = (long)v;
    return rc;
}

/* The options that take a whole number in a range: the long of serve_opts_t it sets, the refusal.
 */
static const struct {
    int ch;
    long lo, hi;
    size_t at; /* offsetof a long in serve_opts_t */
    const char *message;
} SERVE_NUMBERS[] = {
    {'t', 1, 256, offsetof(serve_opts_t, threads), "--threads must be 1..256"},
    {'i', 60, 30L * 86400, offsetof(serve_opts_t, session_idle),
     "--session-idle/--session-max take 60..2592000 seconds"},
    {'x', 60, 30L * 86400, offsetof(serve_opts_t, session_max),
     "--session-idle/--session-max take 60..2592000 seconds"},
    {OPT_WH_ATTEMPTS, 1, 50, offsetof(serve_opts_t, wh_attempts), "--webhook-attempts takes 1..50"},
    {OPT_WH_RETRY, 1, 21600, offsetof(serve_opts_t, wh_retry),
     "--webhook-retry takes 1..21600 seconds"},
    {OPT_WH_TIMEOUT, 1, 120, offsetof(serve_opts_t, wh_timeout),
     "--webhook-timeout takes 1..120 seconds"},
    {OPT_OFFICE_TIMEOUT, 1, 3600, offsetof(serve_opts_t, office_timeout),
     "--office-timeout takes 1..3600 seconds"},
    {OPT_MAX_CONN, 1, 100000, offsetof(serve_opts_t, max_conn),
     "--max-connections takes 1..100000"},
    {OPT_PER_IP, 0, 100000, offsetof(serve_opts_t, per_ip), "--per-ip-connections takes 0..100000"},
    {OPT_HEADER_TIMEOUT, 1, 3600, offsetof(serve_opts_t, header_timeout),
     "--header-timeout takes 1..3600 seconds"},
    {OPT_IO_TIMEOUT, 1, 3600, offsetof(serve_opts_t, io_timeout),
     "--io-timeout takes 1..3600 seconds"},
    {OPT_GRACE, 0, 3600, offsetof(serve_opts_t, grace), "--shutdown-grace takes 0..3600 seconds"},
    {OPT_JOB_STALE, 2, 86400, offsetof(serve_opts_t, job_stale),
     "--job-stale takes 2..86400 seconds"},
};

/* One option into o: 0 to go on, else the exit status (help: 0 after printing, -1). */
static int
serve_opt(int ch, serve_opts_t *o)
{
    for (size_t i = 0; i < sizeof SERVE_NUMBERS / sizeof SERVE_NUMBERS[0]; i++)
        if (SERVE_NUMBERS[i].ch == ch)
            return long_opt(SERVE_NUMBERS[i].lo, SERVE_NUMBERS[i].hi,
                            (long *)((char *)o + SERVE_NUMBERS[i].at), SERVE_NUMBERS[i].message);
    switch (ch) {
    case 'd':
        o->c.db = optarg;
        return 0;
    case 'l':
        o->hc.listen = optarg;
        return 0;
    case 'w':
        o->hc.web_root = optarg;
        return 0;
    case 'D':
        o->c.data = optarg;
        return 0;
    case 'a':
        o->log_path = optarg;
        return 0;
    case 'p':
        o->hc.trusted_proxy = optarg;
        return 0;
    case 's':
        o->hc.secure_cookies = 1;
        return 0;
    case 'W':
        o->worker_on = 0;
        return 0;
    case 'T':
        o->hc.test_clock = 1;
        return 0;
    case OPT_UPLOAD_DIR:
        o->hc.upload_dir = optarg;
        return 0;
    case OPT_WH_PRIVATE:
        o->wh_private = 1;
        return 0;
    case OPT_SOFFICE:
        o->c.soffice = optarg;
        return 0;
    case 'm':
        return number_opt(1, LLONG_MAX, &o->max_body, "--max-body must be a positive number");
    case OPT_MAX_UPLOAD:
        return number_opt(1, LLONG_MAX, &o->max_upload, "--max-upload must be a positive number");
    case 'h':
        fputs(SERVE_HELP, stdout);
        return -1;
    default:
        fputs(SERVE_HELP, stderr);
        return EXIT_USAGE;
    }
}

/* argv into o: -1 to go on, else the exit status. */
static int
serve_parse(int argc, char **argv, serve_opts_t *o)
{
    cli_common_defaults(&o->c);
    o->hc.listen = cli_env_or("CYBERINS_LISTEN", "127.0.0.1:8080");
    o->hc.web_root = cli_env_or("CYBERINS_WEB", CY_SOURCE_DIR "/web");
    o->hc.upload_dir = cli_env_or("TMPDIR", "/tmp");
    o->log_path = "-";
    o->threads = 2;
    o->max_body = 1 << 20;
    o->max_upload = 256LL << 20;
    o->worker_on = 1;
    o->max_conn = 1000;
    o->per_ip = 128;
    o->header_timeout = 10;
    o->io_timeout = 60;
    o->grace = 10;
    o->job_stale = 300;
    int ch;
    while ((ch = getopt_long(argc, argv, "", SERVE_OPTS, NULL)) != -1) {
        int rc = serve_opt(ch, o);
        if (rc != 0)
            return rc < 0 ? 0 : rc;
    }
    if (optind != argc) {
        fputs(SERVE_HELP, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* The app the options ask for, with their webhook settings; 0 or the exit status. */
static int
serve_open_app(serve_opts_t *o, app_t **app)
{
    o->c.pool = (int)o->threads + 1; /* and one for the job worker */
    o->c.session_idle = (int)o->session_idle;
    o->c.session_max = (int)o->session_max;
    o->c.office_timeout_s = (int)o->office_timeout;
    int rc = cli_open_app(&o->c, 1, app);
    if (rc != 0)
        return rc;
    app_config_t *cfg = &(*app)->cfg;
    cfg->webhook_attempts = (int)o->wh_attempts;
    cfg->webhook_retry_s = (int)o->wh_retry;
    cfg->webhook_timeout_s = (int)o->wh_timeout;
    cfg->webhook_allow_private = o->wh_private;
    cfg->job_stale_s = (int)o->job_stale;
    app_config_defaults(cfg);
    return 0;
}

int
cli_cmd_serve(int argc, char **argv)
{
    serve_opts_t o = {0};
    int rc = serve_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    FILE *log = stderr;
    if (strcmp(o.log_path, "-") != 0) {
        log = fopen(o.log_path, "a");
        if (log == NULL) {
            fprintf(stderr, "cyberins serve: cannot open %s: %s\n", o.log_path, strerror(errno));
            return 1;
        }
    }
    /* block the stop signals before any thread starts, then wait for them here */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    app_t *app;
    if ((rc = serve_open_app(&o, &app)) != 0)
        return rc;
    if (o.hc.test_clock) {
        /* said loudly: a server that lets clients choose receipt times must not face users */
        fprintf(stderr, "cyberins: WARNING --test-clock: X-Test-Now sets the receipt time of "
                        "pilot submissions; for tests only\n");
    }
    o.hc.threads = (int)o.threads;
    o.hc.max_body = (size_t)o.max_body;
    o.hc.max_upload = (uint64_t)o.max_upload;
    o.hc.access_log = log;
    o.hc.max_connections = (unsigned)o.max_conn;
    o.hc.per_ip = (unsigned)o.per_ip;
    o.hc.header_timeout = (unsigned)o.header_timeout;
    o.hc.io_timeout = (unsigned)o.io_timeout;
    http_server_t *srv;
    cy_error_t err;
    if (app_serve(app, &err) != CY_OK) { /* caches and the audit sequencer */
        app_close(app);
        return cli_fail(&err);
    }
    if (http_server_start(&o.hc, app, &srv, &err) != CY_OK) {
        app_close(app);
        return cli_fail(&err);
    }
    job_worker_t worker;
    if (o.worker_on && app_worker_start(app, JOB_KINDS, cli_now, &worker, &err) != CY_OK) {
        http_server_stop(srv);
        app_close(app);
        return cli_fail(&err);
    }
    const char *listen = o.hc.listen;
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    printf("cyberins %s serving http://%s:%d/ (backend %s, %ld threads)\n", app_version(), host,
           http_server_port(srv), store_backend_name(app->store), o.threads);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    fprintf(stderr, "cyberins: stopping on signal %d\n", sig);
    /* the worker is told first: a running job stops and goes back to the queue while the
       requests in progress finish */
    if (o.worker_on)
        app_worker_signal_stop(&worker);
    int left = http_server_drain(srv, (unsigned)o.grace);
    if (left > 0)
        fprintf(stderr, "cyberins: %d request(s) still in progress after %ld s, cut off\n", left,
                o.grace);
    http_server_stop(srv);
    if (o.worker_on)
        app_worker_stop(&worker);
    app_close(app);
    if (log != stderr)
        fclose(log);
    return 0;
}
