/*
 * serve.c — cyberins serve: the HTTP server (http/) and this process's job
 * worker over one app; stops cleanly on SIGINT or SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/jobs.h"
#include "app/sim/simulation.h"
#include "cli/cli.h"
#include "http/server.h"

/* The kinds of background job this server's worker runs. */
static const job_kind_t JOB_KINDS[] = {
    {"simulation", app_simulation_job},
    {NULL, NULL},
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
    "  --access-log F    one JSON line per request to F, '-' for stderr (default -)\n"
    "  --trusted-proxy IP  believe X-Forwarded-For from this peer (e.g. nginx)\n"
    "  --secure-cookies  mark session cookies Secure (when served behind TLS)\n"
    "  --session-idle S  end sessions unused for S seconds (default 1800)\n"
    "  --session-max S   end sessions S seconds after login (default 43200)\n"
    "  --no-worker       do not run background jobs (simulations) in this server\n"
    "  --test-clock      TESTS ONLY: let a request state its receipt time in the\n"
    "                    X-Test-Now header (deadlines, expiry); never in production\n";

/* What the command line asked for. */
typedef struct {
    cli_common_t c;
    const char *listen, *web, *log_path, *trusted_proxy;
    long threads;
    long long max_body;
    long session_idle, session_max;
    int worker_on, secure_cookies, test_clock;
} serve_opts_t;

/* A number of seconds for --session-idle or --session-max: 60..2592000. */
static int
session_seconds(const char *arg, long *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || v < 60 || v > 30L * 86400) {
        fprintf(stderr, "cyberins serve: --session-idle/--session-max take 60..2592000 "
                        "seconds\n");
        return EXIT_USAGE;
    }
    *out = v;
    return -1;
}

/* One option ch with its argument; returns -1 to go on, else the exit status. */
static int
serve_option(int ch, const char *arg, serve_opts_t *o)
{
    char *end;
    switch (ch) {
    case 'd':
        o->c.db = arg;
        return -1;
    case 'l':
        o->listen = arg;
        return -1;
    case 't':
        o->threads = strtol(arg, &end, 10);
        if (*end || o->threads < 1 || o->threads > 256) {
            fprintf(stderr, "cyberins serve: --threads must be 1..256\n");
            return EXIT_USAGE;
        }
        return -1;
    case 'w':
        o->web = arg;
        return -1;
    case 'D':
        o->c.data = arg;
        return -1;
    case 'm':
        o->max_body = strtoll(arg, &end, 10);
        if (*end || o->max_body < 1) {
            fprintf(stderr, "cyberins serve: --max-body must be a positive number\n");
            return EXIT_USAGE;
        }
        return -1;
    case 'a':
        o->log_path = arg;
        return -1;
    case 'p':
        o->trusted_proxy = arg;
        return -1;
    case 's':
        o->secure_cookies = 1;
        return -1;
    case 'W':
        o->worker_on = 0;
        return -1;
    case 'T':
        o->test_clock = 1;
        return -1;
    case 'i':
        return session_seconds(arg, &o->session_idle);
    case 'x':
        return session_seconds(arg, &o->session_max);
    case 'h':
        fputs(SERVE_HELP, stdout);
        return 0;
    default:
        fputs(SERVE_HELP, stderr);
        return EXIT_USAGE;
    }
}

/* The command line into *o; returns -1 to go on, else the exit status. */
static int
serve_args(int argc, char **argv, serve_opts_t *o)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
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
                                         {0, 0, 0, 0}};
    memset(o, 0, sizeof *o);
    cli_common_defaults(&o->c);
    o->listen = cli_env_or("CYBERINS_LISTEN", "127.0.0.1:8080");
    o->web = cli_env_or("CYBERINS_WEB", CY_SOURCE_DIR "/web");
    o->log_path = "-";
    o->threads = 2;
    o->max_body = 1 << 20;
    o->worker_on = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int rc = serve_option(ch, optarg, o);
        if (rc >= 0)
            return rc;
    }
    if (optind != argc) {
        fputs(SERVE_HELP, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* Serves app until SIGINT or SIGTERM (blocked in set); returns the exit status. */
static int
serve_until_signal(const serve_opts_t *o, app_t *app, FILE *log, sigset_t *set)
{
    http_config_t hc = {.listen = o->listen,
                        .threads = (int)o->threads,
                        .web_root = o->web,
                        .max_body = (size_t)o->max_body,
                        .access_log = log,
                        .trusted_proxy = o->trusted_proxy,
                        .secure_cookies = o->secure_cookies,
                        .test_clock = o->test_clock};
    http_server_t *srv;
    cy_error_t err;
    if (http_server_start(&hc, app, &srv, &err) != CY_OK)
        return cli_fail(&err);
    job_worker_t worker;
    if (o->worker_on && app_worker_start(app, JOB_KINDS, cli_now, &worker, &err) != CY_OK) {
        http_server_stop(srv);
        return cli_fail(&err);
    }
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(o->listen, ':') - o->listen), o->listen);
    printf("cyberins %s serving http://%s:%d/ (backend %s, %ld threads)\n", app_version(), host,
           http_server_port(srv), store_backend_name(app->store), o->threads);
    fflush(stdout);
    int sig;
    sigwait(set, &sig);
    fprintf(stderr, "cyberins: stopping on signal %d\n", sig);
    http_server_stop(srv);
    if (o->worker_on)
        app_worker_stop(&worker);
    return 0;
}

int
cli_cmd_serve(int argc, char **argv)
{
    serve_opts_t o;
    int rc = serve_args(argc, argv, &o);
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

    o.c.pool = (int)o.threads + 1; /* and one for the job worker */
    o.c.session_idle = (int)o.session_idle;
    o.c.session_max = (int)o.session_max;
    app_t *app;
    rc = cli_open_app(&o.c, 1, &app);
    if (rc != 0)
        return rc;
    if (o.test_clock) {
        /* said loudly: a server that lets clients choose receipt times must not face users */
        fprintf(stderr, "cyberins: WARNING --test-clock: X-Test-Now sets the receipt time of "
                        "pilot submissions; for tests only\n");
    }
    rc = serve_until_signal(&o, app, log, &set);
    app_close(app);
    if (log != stderr)
        fclose(log);
    return rc;
}
