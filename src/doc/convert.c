/*
 * convert.c — documents through LibreOffice headless (contract in doc.h):
 * one `soffice --convert-to` for many files, because starting LibreOffice is
 * most of the cost. It must never hang a server: LibreOffice runs in a
 * process group of its own with a profile of its own (so parallel calls do
 * not find each other's instance), and the whole group is killed when the
 * time is up. Its environment is fixed here, not inherited: PATH of the
 * system, HOME and TMPDIR inside the profile, LANG=C.UTF-8, the fontconfig
 * file of the forms' fonts, and the headless VCL plugin.
 * Depends on POSIX (posix_spawn, waitpid, the monotonic clock — never the
 * wall clock), libc and core/error.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"
#include "doc/lib.h"

#define DEFAULT_TIMEOUT_MS 120000
#define PATH_CAP           1024

/* The monotonic clock in nanoseconds: a deadline in whole milliseconds, truncated, could end
 * the wait up to 1 ms before the timeout it states. */
static long long
mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A path that goes into a file:// URL as it is: absolute, no character that needs escaping. */
static int
url_safe(const char *p)
{
    if (p == NULL || p[0] != '/')
        return 0;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("/_.-+", *p) != NULL))
            return 0;
    return 1;
}

static int
rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

/* out_dir/STEM.ext for input (STEM: its file name up to the last '.'). */
static int
output_path(const char *out_dir, const char *input, const char *ext, char out[PATH_CAP])
{
    const char *slash = strrchr(input, '/'), *base = slash ? slash + 1 : input;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    int n = snprintf(out, PATH_CAP, "%s/%.*s.%s", out_dir, stem, base, ext);
    return n > 0 && n < PATH_CAP && base[0] != '\0';
}

/* The inputs, their outputs (allocated n × PATH_CAP), refused when empty or two share a stem. */
static cy_status_t
plan_outputs(const char *format, const char *const *inputs, size_t n, const char *out_dir,
             char **outs, cy_error_t *err)
{
    char ext[32];
    snprintf(ext, sizeof ext, "%.*s", (int)strcspn(format, ":"), format);
    *outs = NULL;
    if (n == 0 || out_dir == NULL || ext[0] == '\0')
        return cy_error_set(err, CY_EINVAL, "office_input", NULL,
                            "没有要转换的文件或输出目录 / nothing to convert or no output folder");
    char *o = calloc(n, PATH_CAP);
    if (o == NULL)
        return cy_error_no_memory(err);
    for (size_t i = 0; i < n; i++) {
        int ok = inputs[i] != NULL && output_path(out_dir, inputs[i], ext, o + i * PATH_CAP);
        for (size_t k = 0; ok && k < i; k++)
            ok = strcmp(o + i * PATH_CAP, o + k * PATH_CAP) != 0;
        if (!ok) {
            free(o);
            return cy_error_set(err, CY_EINVAL, "office_input", "inputs",
                                "第 %zu 个输入文件缺失或与前面的文件同名 / input %zu is missing "
                                "or has the name of an earlier one",
                                i + 1, i + 1);
        }
        unlink(o + i * PATH_CAP); /* an old output must not pass for a new one */
    }
    *outs = o;
    return CY_OK;
}

typedef struct {
    char *argv[16];
    char *envp[8];
    char env_buf[8][PATH_CAP + 32];
    char profile_arg[PATH_CAP + 64];
} launch_t;

/* Fills l with soffice's arguments (before the inputs) and its environment. */
static size_t
launch_prepare(launch_t *l, const doc_convert_opts_t *o, const char *profile, const char *format,
               const char *out_dir)
{
    snprintf(l->profile_arg, sizeof l->profile_arg, "-env:UserInstallation=file://%s", profile);
    const char *args[] = {o->soffice ? o->soffice : "soffice",
                          l->profile_arg,
                          "--headless",
                          "--invisible",
                          "--nologo",
                          "--norestore",
                          "--nolockcheck",
                          "--nodefault",
                          "--convert-to",
                          format,
                          "--outdir",
                          out_dir};
    size_t n = sizeof args / sizeof args[0];
    for (size_t i = 0; i < n; i++)
        l->argv[i] = (char *)args[i];
    size_t e = 0;
    snprintf(l->env_buf[e++], sizeof l->env_buf[0], "PATH=/usr/local/bin:/usr/bin:/bin");
    snprintf(l->env_buf[e++], sizeof l->env_buf[0], "HOME=%s", profile);
    snprintf(l->env_buf[e++], sizeof l->env_buf[0], "TMPDIR=%s", profile);
    snprintf(l->env_buf[e++], sizeof l->env_buf[0], "LANG=C.UTF-8");
    snprintf(l->env_buf[e++], sizeof l->env_buf[0], "SAL_USE_VCLPLUGIN=svp");
    if (o->fonts_conf != NULL)
        snprintf(l->env_buf[e++], sizeof l->env_buf[0], "FONTCONFIG_FILE=%s", o->fonts_conf);
    for (size_t i = 0; i < e; i++)
        l->envp[i] = l->env_buf[i];
    l->envp[e] = NULL;
    return n;
}

/* Starts argv in a new process group, output to log; *pid. Returns posix_spawn's error. */
static int
launch(char *const *argv, char *const *envp, const char *log, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE); /* a server ignoring SIGPIPE must not pass that on */
    sigaddset(&def, SIGTERM);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &def);
    int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    return rc;
}

/*
 * Waits for pid until deadline (monotonic ns); then kills its process group.
 * Returns 1 when it ended in time, with its wait status in *status.
 */
static int
wait_until(pid_t pid, long long deadline, int *status)
{
    int done = 0;
    for (long long pause_ms = 5;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) {
            done = 1;
            break;
        }
        if (r < 0 && errno != EINTR)
            break; /* not our child any more: nothing to wait for */
        long long left = deadline - mono_ns();
        if (left <= 0)
            break;
        pause_ms = pause_ms < 100 ? pause_ms * 2 : 100;
        struct timespec ts = {0, (long)(pause_ms * 1000000LL < left ? pause_ms * 1000000LL : left)};
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL); /* the group: LibreOffice's own children too */
    if (!done)
        while (waitpid(pid, status, 0) < 0 && errno == EINTR)
            ;
    return done;
}

/* The last line LibreOffice wrote (its error, usually), into buf (cap > 0), cut whole. */
static void
log_tail(const char *log, char *buf, size_t cap)
{
    buf[0] = '\0';
    FILE *f = fopen(log, "rb");
    if (f == NULL)
        return;
    char data[4096];
    size_t n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r'))
        n--;
    data[n] = '\0';
    const char *last = strrchr(data, '\n');
    last = last ? last + 1 : data;
    size_t len = strlen(last) < cap - 1 ? strlen(last) : cap - 1;
    memcpy(buf, last, len);
    buf[len] = '\0';
    utf8_trim_partial(buf);
}

/*
 * A fingerprint of the STEM-SHEET.EXT files next to out (STEM.EXT), as
 * LibreOffice names the CSV of each sheet when the filter options pick a
 * sheet or all (-1): it changes when such a file is written, so files left
 * by an earlier call do not pass for this one's. 0 when there are none.
 */
static unsigned long long
sheets_fingerprint(const char *out)
{
    char pattern[2 * PATH_CAP], *p = pattern;
    const char *dot = strrchr(out, '.');
    for (const char *c = out; c < dot; c++) { /* the stem, its glob characters escaped */
        if (strchr("*?[\\", *c) != NULL)
            *p++ = '\\';
        *p++ = *c;
    }
    snprintf(p, sizeof pattern - (size_t)(p - pattern), "-*%s", dot);
    glob_t g;
    unsigned long long h = 0;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            struct stat sb;
            if (stat(g.gl_pathv[i], &sb) == 0 && sb.st_size > 0)
                h = h * 1099511628211ULL + ((unsigned long long)sb.st_ino ^
                                            (unsigned long long)sb.st_mtim.tv_nsec ^
                                            ((unsigned long long)sb.st_mtim.tv_sec << 30) ^
                                            ((unsigned long long)sb.st_size << 12) ^ (i + 1));
        }
        globfree(&g);
    }
    return h;
}

/* 1 when out (STEM.EXT) is there and not empty, or new sheet files are (before: their print). */
static int
output_written(const char *out, unsigned long long before)
{
    struct stat sb;
    if (stat(out, &sb) == 0)
        return sb.st_size > 0;
    unsigned long long now = sheets_fingerprint(out);
    return now != 0 && now != before;
}

/* After the run: each output there and not empty, or the refusal that says why not. */
static cy_status_t
judge(int in_time, int status, int timeout_ms, const char *outs, size_t n, const char *log,
      const unsigned long long *before, cy_error_t *err)
{
    char tail[200];
    log_tail(log, tail, sizeof tail);
    if (!in_time)
        return cy_error_set(err, CY_EIO, "office_timeout", NULL,
                            "LibreOffice 转换超时（%d 毫秒），已终止 / LibreOffice did not finish "
                            "within %d ms and was stopped",
                            timeout_ms, timeout_ms);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cy_error_set(err, CY_EIO, "office_failed", NULL,
                            "LibreOffice 转换失败（状态 %d：%s） / LibreOffice failed (status %d: "
                            "%s)",
                            status, tail, status, tail);
    for (size_t i = 0; i < n; i++) {
        const char *out = outs + i * PATH_CAP;
        if (!output_written(out, before[i]))
            return cy_error_set(err, CY_EIO, "office_failed", NULL,
                                "LibreOffice 未生成 %s（%s） / LibreOffice did not write %s (%s)",
                                out, tail, out, tail);
    }
    return CY_OK;
}

/* Runs soffice once in profile for the inputs and judges what it wrote into outs. */
static cy_status_t
run_once(const doc_convert_opts_t *o, const char *profile, const char *format,
         const char *const *inputs, size_t n, const char *out_dir, const char *outs,
         cy_error_t *err)
{
    char log[PATH_CAP + 16];
    snprintf(log, sizeof log, "%s/soffice.log", profile);
    launch_t *l = calloc(1, sizeof *l);
    char **argv = calloc(n + 17, sizeof *argv);
    unsigned long long *before = calloc(n, sizeof *before);
    if (l == NULL || argv == NULL || before == NULL) {
        free(l);
        free(argv);
        free(before);
        return cy_error_no_memory(err);
    }
    size_t k = launch_prepare(l, o, profile, format, out_dir);
    memcpy(argv, l->argv, k * sizeof *argv);
    for (size_t i = 0; i < n; i++)
        argv[k + i] = (char *)inputs[i];
    int timeout = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS, status = 0;
    long long deadline = mono_ns() + (long long)timeout * 1000000LL;
    for (size_t i = 0; i < n; i++)
        before[i] = sheets_fingerprint(outs + i * PATH_CAP);
    pid_t pid = 0;
    int rc = launch(argv, l->envp, log, &pid);
    cy_status_t st;
    if (rc == ENOENT || rc == EACCES || rc == ENOTDIR)
        st = cy_error_set(err, CY_EIO, "office_missing", "soffice",
                          "未找到 LibreOffice（%s），请安装 libreoffice-writer-nogui"
                          "（scripts/install-deps.sh） / LibreOffice (%s) not found: install "
                          "libreoffice-writer-nogui (scripts/install-deps.sh)",
                          argv[0], argv[0]);
    else if (rc != 0)
        st = cy_error_set(err, CY_EIO, "office_failed", NULL,
                          "无法启动 LibreOffice（%s） / cannot start LibreOffice (%s)",
                          strerror(rc), strerror(rc));
    else
        st = judge(wait_until(pid, deadline, &status), status, timeout, outs, n, log, before, err);
    free(before);
    free(argv);
    free(l);
    return st;
}

cy_status_t
doc_convert(const doc_convert_opts_t *o, const char *format, const char *const *inputs, size_t n,
            const char *out_dir, cy_error_t *err)
{
    char *outs = NULL, profile[PATH_CAP];
    const char *work = o->work_dir ? o->work_dir : "/tmp";
    if (!url_safe(o->profile_dir ? o->profile_dir : work) || format == NULL)
        return cy_error_set(err, CY_EINVAL, "office_input", "work_dir",
                            "工作目录应为绝对路径且只含字母、数字和 /_.-+ / the work folder must "
                            "be an absolute path of letters, digits and /_.-+");
    cy_status_t st = plan_outputs(format, inputs, n, out_dir, &outs, err);
    if (st != CY_OK)
        return st;
    if (o->profile_dir != NULL)
        snprintf(profile, sizeof profile, "%s", o->profile_dir);
    else if (snprintf(profile, sizeof profile, "%s/cyberins-lo-XXXXXX", work) >=
                 (int)sizeof profile ||
             mkdtemp(profile) == NULL) {
        free(outs);
        return cy_error_set(err, CY_EIO, "office_failed", "work_dir",
                            "无法在 %s 创建临时目录 / cannot make a temporary folder in %s", work,
                            work);
    }
    st = run_once(o, profile, format, inputs, n, out_dir, outs, err);
    for (size_t i = 0; st != CY_OK && i < n; i++)
        unlink(outs + i * PATH_CAP); /* no half-converted file is left to be taken for a result */
    if (o->profile_dir == NULL)
        nftw(profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(outs);
    return st;
}

cy_status_t
doc_pdf_convert(const doc_convert_opts_t *o, const char *const *inputs, size_t n,
                const char *out_dir, cy_error_t *err)
{
    return doc_convert(o, "pdf", inputs, n, out_dir, err);
}
