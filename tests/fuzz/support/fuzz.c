/*
 * fuzz.c — the harnesses' shared helpers (see fuzz.h).
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "app/identity/identity.h"
#include "app/uw/uw.h"
#include "core/utf8.h"

void
fuzz_die(const char *what, const char *msg)
{
    char line[800];
    snprintf(line, sizeof line, "fuzz: %s: %s", what, msg);
    fprintf(stderr, "%s\n", line);
    /* also where the sanitizers write (log_path), for a harness that closed its stderr */
    __sanitizer_report_error_summary(line);
    abort();
}

int
fuzz_verbose(void)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    return verbose;
}

void
fuzz_refused(const cy_error_t *err)
{
    if (!utf8_valid(err->code, strlen(err->code), NULL) ||
        !utf8_valid(err->field, strlen(err->field), NULL) ||
        !utf8_valid(err->message, strlen(err->message), NULL))
        fuzz_die("refusal", "not valid UTF-8: it cannot be answered as JSON");
    if (err->message[0] == '\0' || err->code[0] == '\0')
        fuzz_die("refusal", "without a code or a message");
    if (fuzz_verbose())
        fprintf(stderr, "refused: %s: %s\n", err->code, err->message);
}

const char *
fuzz_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("cyberins-fuzz", 0);
        if (fd < 0)
            fuzz_die("memfd_create", "no memory file");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
        fuzz_die("memfd", "cannot write the input");
    return path;
}

char *
fuzz_text(const uint8_t *data, size_t size)
{
    size_t n = strnlen((const char *)data, size);
    char *s = malloc(n + 1);
    if (s == NULL)
        fuzz_die("malloc", "out of memory");
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

static char app_dir[64];

static void
remove_app_dir(void)
{
    static const char *const files[] = {"fuzz.db",         "fuzz.db-wal", "fuzz.db-shm",
                                        "fuzz.db-journal", "demo.json",   NULL};
    char p[128];
    for (int i = 0; files[i] != NULL; i++) {
        snprintf(p, sizeof p, "%s/%s", app_dir, files[i]);
        unlink(p);
    }
    rmdir(app_dir);
}

/*
 * The demo organisations without their users: every demo user costs an
 * Argon2id hash (tens of milliseconds), and no harness logs in.
 */
static void
load_demo_orgs(app_t *app, const actor_t *op, int64_t now)
{
    json_error_t je;
    json_t *doc = json_load_file(FUZZ_DATA "/demo/demo.json", 0, &je);
    if (doc == NULL)
        fuzz_die("demo.json", je.text);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(doc, "organisations"), i, o) json_object_del(o, "users");
    char path[128];
    snprintf(path, sizeof path, "%s/demo.json", app_dir);
    if (json_dump_file(doc, path, 0) != 0)
        fuzz_die("demo.json", path);
    json_decref(doc);
    demo_result_t dr;
    cy_error_t err;
    if (app_demo_load(app, op, now, path, NULL, &dr, &err) != CY_OK)
        fuzz_die("demo", err.message);
}

static int64_t
demo_product(app_t *app)
{
    store_conn_t *c;
    cy_error_t err;
    int64_t id = 0;
    if (store_acquire(app->store, &c, &err) != CY_OK)
        fuzz_die("store", err.message);
    cy_status_t st =
        store_query_int(c, "SELECT id FROM uw_product WHERE status = 'active' ORDER BY id LIMIT 1",
                        NULL, 0, &id, NULL, &err);
    store_release(app->store, c);
    if (st != CY_OK || id <= 0)
        fuzz_die("demo product", st != CY_OK ? err.message : "none");
    return id;
}

static int64_t opened_at;

int64_t
fuzz_now(void)
{
    return opened_at;
}

app_t *
fuzz_app(int64_t *product)
{
    static app_t *app;
    static int64_t product_id;
    if (app == NULL) {
        const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(app_dir, sizeof app_dir, "%s/cy-fuzz-XXXXXX", tmp);
        if (mkdtemp(app_dir) == NULL)
            fuzz_die("mkdtemp", app_dir);
        atexit(remove_app_dir);
        char url[128];
        snprintf(url, sizeof url, "sqlite:%s/fuzz.db", app_dir);
        app_config_t cfg = {.db_url = url,
                            .data_dir = FUZZ_DATA,
                            .pool_size = 2,
                            .migrate = 1,
                            /* one failed login, then every login is throttled before
                               its Argon2id hash (tens of milliseconds each) */
                            .login_max_user = 1,
                            .login_max_ip = 1,
                            .login_window_s = 30 * 86400,
                            .now = (int64_t)time(NULL)};
        opened_at = cfg.now;
        cy_error_t err;
        if (app_open(&cfg, &app, &err) != CY_OK)
            fuzz_die("app_open", err.message);
        actor_t op;
        actor_cli(&op, "fuzz");
        load_demo_orgs(app, &op, cfg.now);
        if (app_uw_demo_load(app, &op, cfg.now, FUZZ_DATA "/demo/uw.json", NULL, &err) != CY_OK)
            fuzz_die("uw demo", err.message);
        product_id = demo_product(app);
    }
    if (product != NULL)
        *product = product_id;
    return app;
}
