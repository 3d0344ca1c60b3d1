/*
 * main.c — the cyberins command: argv to app/ and http/. The only place that
 * calls exit() or prints for a person. Exit status: 0 success, 1 failure,
 * 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/pilot.h"
#include "cli/cli.h"
#include "cli/simulate.h"
#include "cli/quote.h"
#include "app/jobs.h"
#include "http/server.h"

#define EXIT_USAGE 2

const char *
cli_env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

int
cli_fail(const cy_error_t *err)
{
    if (err->field[0])
        fprintf(stderr, "cyberins: %s [%s]\n", err->message, err->field);
    else
        fprintf(stderr, "cyberins: %s\n", err->message);
    return 1;
}

/* Create the folder that will hold an SQLite file (var/ by default). */
static void
ensure_sqlite_dir(const char *url)
{
    if (strncmp(url, "sqlite:", 7) != 0)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s", url + 7);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
}

void
cli_common_defaults(cli_common_t *c)
{
    c->db = cli_env_or("CYBERINS_DB", "sqlite:var/cyberins.db");
    c->data = cli_env_or("CYBERINS_DATA", CY_SOURCE_DIR "/data");
}

int
cli_open_app(const cli_common_t *c, int migrate, app_t **app)
{
    ensure_sqlite_dir(c->db);
    app_config_t cfg = {.db_url = c->db,
                        .data_dir = c->data,
                        .pool_size = c->pool,
                        .migrate = migrate,
                        .session_idle_s = c->session_idle,
                        .session_max_s = c->session_max};
    if (cfg.pool_size < 1)
        cfg.pool_size = 1;
    cy_error_t err;
    if (app_open(&cfg, app, &err) != CY_OK)
        return cli_fail(&err);
    return 0;
}

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
    "                    X-Test-Now header (pilot deadlines); never in production\n";

static int
cmd_serve(int argc, char **argv)
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
        app_pilot_enable_test_clock(app);
        fprintf(stderr, "cyberins: WARNING --test-clock: X-Test-Now sets the receipt time of "
                        "pilot submissions; for tests only\n");
    }
    http_config_t hc = {.listen = listen,
                        .threads = (int)threads,
                        .web_root = web,
                        .max_body = (size_t)max_body,
                        .access_log = log,
                        .trusted_proxy = trusted_proxy,
                        .secure_cookies = secure_cookies};
    http_server_t *srv;
    cy_error_t err;
    if (http_server_start(&hc, app, &srv, &err) != CY_OK) {
        app_close(app);
        return cli_fail(&err);
    }
    job_worker_t worker;
    if (worker_on && app_worker_start(app, &worker, &err) != CY_OK) {
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

static const char MIGRATE_HELP[] = "usage: cyberins migrate [--db URL]\n"
                                   "Apply the pending schema migrations and print the version.\n";

static int
cmd_migrate(int argc, char **argv)
{
    cli_common_t c = {0};
    cli_common_defaults(&c);
    int rc = cli_parse_common(argc, argv, &c, MIGRATE_HELP);
    if (rc >= 0)
        return rc;
    ensure_sqlite_dir(c.db);
    store_t *s;
    cy_error_t err;
    int applied = 0;
    char ver[128];
    if (store_open(c.db, 1, &s, &err) != CY_OK)
        return cli_fail(&err);
    if (store_migrate(s, &applied, &err) != CY_OK ||
        store_schema_version(s, ver, sizeof ver, &err) != CY_OK) {
        store_close(s);
        return cli_fail(&err);
    }
    printf("applied %d migration(s); schema at %s\n", applied, ver);
    store_close(s);
    return 0;
}

static const char USAGE[] =
    "usage: cyberins COMMAND [OPTIONS]   (cyberins COMMAND --help for more)\n"
    "commands:\n"
    "  serve     serve the REST API and web UI\n"
    "  init      create the database, apply migrations, load reference data\n"
    "  migrate   apply pending migrations\n"
    "  demo      init, then load the demo organisations and users\n"
    "  simulate  portfolio accumulation Monte Carlo\n"
    "  quote     bulk quote of a CSV of enterprises on one product\n"
    "  user      add, list, passwd, disable users\n"
    "  org       add, list, show organisations\n"
    "  audit     verify or list the hash-chained audit log\n"
    "  version   print the version\n"
    "  help      this text\n"
    "environment: CYBERINS_DB (default sqlite:var/cyberins.db), CYBERINS_LISTEN\n"
    "(default 127.0.0.1:8080), CYBERINS_DATA, CYBERINS_WEB\n";

int
cli_parse_common(int argc, char **argv, cli_common_t *c, const char *help)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"data", required_argument, 0, 'D'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c->db = optarg;
            break;
        case 'D':
            c->data = optarg;
            break;
        case 'h':
            fputs(help, stdout);
            return 0;
        default:
            fputs(help, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "unexpected argument: %s\n", argv[optind]);
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    /* getopt sees the command's own arguments, with the command as argv[0] */
    argc--;
    argv++;
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc, argv);
    if (strcmp(cmd, "init") == 0)
        return cli_cmd_init(argc, argv);
    if (strcmp(cmd, "user") == 0)
        return cli_cmd_user(argc, argv);
    if (strcmp(cmd, "org") == 0)
        return cli_cmd_org(argc, argv);
    if (strcmp(cmd, "audit") == 0)
        return cli_cmd_audit(argc, argv);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(argc, argv);
    if (strcmp(cmd, "demo") == 0)
        return cli_cmd_demo(argc, argv);
    if (strcmp(cmd, "simulate") == 0)
        return cli_cmd_simulate(argc, argv);
    if (strcmp(cmd, "quote") == 0)
        return cli_cmd_quote(argc, argv);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        if (argc > 1 && strcmp(argv[1], "--help") == 0) {
            puts("usage: cyberins version\nPrint the version.");
            return 0;
        }
        printf("cyberins %s\n", app_version());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "cyberins: unknown command '%s'\n", cmd);
    fputs(USAGE, stderr);
    return EXIT_USAGE;
}
