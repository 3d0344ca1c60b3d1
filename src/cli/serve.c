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

int
cli_cmd_serve(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    const char *listen = cli_env_or("CYBERINS_LISTEN", "127.0.0.1:8080");
    const char *web = cli_env_or("CYBERINS_WEB", CY_SOURCE_DIR "/web");
    const char *log_path = "-";
    long threads = 2;
    long long max_body = 1 << 20;
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
    int worker_on = 1;
    const char *trusted_proxy = NULL;
    int secure_cookies = 0;
    int test_clock = 0;
    long session_idle = 0, session_max = 0;
    int ch;
    char *end;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c.db = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 't':
            threads = strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 256) {
                fprintf(stderr, "cyberins serve: --threads must be 1..256\n");
                return EXIT_USAGE;
            }
            break;
        case 'w':
            web = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 'm':
            max_body = strtoll(optarg, &end, 10);
            if (*end || max_body < 1) {
                fprintf(stderr, "cyberins serve: --max-body must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        case 'a':
            log_path = optarg;
            break;
        case 'p':
            trusted_proxy = optarg;
            break;
        case 's':
            secure_cookies = 1;
            break;
        case 'W':
            worker_on = 0;
            break;
        case 'T':
            test_clock = 1;
            break;
        case 'i':
        case 'x': {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 60 || v > 30L * 86400) {
                fprintf(stderr, "cyberins serve: --session-idle/--session-max take 60..2592000 "
                                "seconds\n");
                return EXIT_USAGE;
            }
            *(ch == 'i' ? &session_idle : &session_max) = v;
            break;
        }
        case 'h':
            fputs(SERVE_HELP, stdout);
            return 0;
        default:
            fputs(SERVE_HELP, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(SERVE_HELP, stderr);
        return EXIT_USAGE;
    }

    FILE *log = stderr;
    if (strcmp(log_path, "-") != 0) {
        log = fopen(log_path, "a");
        if (log == NULL) {
            fprintf(stderr, "cyberins serve: cannot open %s: %s\n", log_path, strerror(errno));
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

    c.pool = (int)threads + 1; /* and one for the job worker */
    c.session_idle = (int)session_idle;
    c.session_max = (int)session_max;
    app_t *app;
    int rc = cli_open_app(&c, 1, &app);
    if (rc != 0)
        return rc;
    if (test_clock) {
        /* said loudly: a server that lets clients choose receipt times must not face users */
        fprintf(stderr, "cyberins: WARNING --test-clock: X-Test-Now sets the receipt time of "
                        "pilot submissions; for tests only\n");
    }
    http_config_t hc = {.listen = listen,
                        .threads = (int)threads,
                        .web_root = web,
                        .max_body = (size_t)max_body,
                        .access_log = log,
                        .trusted_proxy = trusted_proxy,
                        .secure_cookies = secure_cookies,
                        .test_clock = test_clock};
    http_server_t *srv;
    cy_error_t err;
    if (app_serve(app, &err) != CY_OK) { /* caches and the audit sequencer */
        app_close(app);
        return cli_fail(&err);
    }
    if (http_server_start(&hc, app, &srv, &err) != CY_OK) {
        app_close(app);
        return cli_fail(&err);
    }
    job_worker_t worker;
    if (worker_on && app_worker_start(app, JOB_KINDS, cli_now, &worker, &err) != CY_OK) {
        http_server_stop(srv);
        app_close(app);
        return cli_fail(&err);
    }
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    printf("cyberins %s serving http://%s:%d/ (backend %s, %ld threads)\n", app_version(), host,
           http_server_port(srv), store_backend_name(app->store), threads);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    fprintf(stderr, "cyberins: stopping on signal %d\n", sig);
    http_server_stop(srv);
    if (worker_on)
        app_worker_stop(&worker);
    app_close(app);
    if (log != stderr)
        fclose(log);
    return 0;
}
