/*
 * http_request.c — fuzzes what a client controls in a request — the request
 * line (method, path, query string), the headers (cookies, Authorization,
 * X-CSRF-Token, X-Test-Now, Content-Type, …) and the body — through the
 * real server: libmicrohttpd's parsing, on_request, the router, the
 * authentication of cookies and Bearer tokens, the test clock, static files
 * and every handler a caller without a session reaches, over the
 * application of fuzz_app (SQLite). The server runs once, on a free port of
 * 127.0.0.1 with --test-clock on; each input is sent on a new connection.
 *
 * The input is the request head up to its first empty line, then the body.
 * The harness ends the head itself with "Connection: close" and the body's
 * Content-Length (dropping such headers from the input), so every request
 * is complete and every answer ends with the connection: a request that gets
 * no answer is a hang (libFuzzer's -timeout, or 30 seconds of silence).
 * libFuzzer's timer (SIGALRM) interrupts send and recv now and then: EINTR
 * means try again. Logins are throttled after the first (fuzz_app): each
 * other costs an Argon2id hash.
 *
 * Beyond the sanitizers: an answer starts with an HTTP status line and is
 * never a 5xx (no client mistake produces a server error).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "fuzz.h"
#include "http/server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int port;

static void
start_server(void)
{
    http_config_t cfg = {.listen = "127.0.0.1:0",
                         .threads = 1,
                         .web_root = CY_SOURCE_DIR "/web",
                         .max_body = 1 << 20,
                         .access_log = NULL,
                         .test_clock = 1};
    http_server_t *srv;
    cy_error_t err;
    if (http_server_start(&cfg, fuzz_app(NULL), &srv, &err) != CY_OK)
        fuzz_die("http_server_start", err.message);
    port = http_server_port(srv);
}

/* The headers the harness sets itself. */
static int
dropped(const char *line, size_t n)
{
    static const char *const names[] = {"connection", "content-length", "transfer-encoding",
                                        "keep-alive", NULL};
    for (int i = 0; names[i] != NULL; i++) {
        size_t k = strlen(names[i]);
        if (n > k && strncasecmp(line, names[i], k) == 0 && line[k] == ':')
            return 1;
    }
    return 0;
}

/* Builds the request: the head's lines joined by CRLF, our two headers, the body. */
static char *
build(const uint8_t *data, size_t size, size_t *len)
{
    size_t head = size, skip = 0;
    for (size_t i = 0; i + 1 < size; i++) {
        if (data[i] == '\n' && data[i + 1] == '\n') {
            head = i, skip = 2;
            break;
        }
        if (i + 3 < size && memcmp(data + i, "\r\n\r\n", 4) == 0) {
            head = i, skip = 4;
            break;
        }
    }
    size_t body = size - head - skip;
    char *req = malloc(2 * head + body + 128);
    if (req == NULL)
        fuzz_die("malloc", "out of memory");
    size_t n = 0;
    const char *h = (const char *)data;
    for (size_t i = 0; i < head;) {
        size_t e = i;
        while (e < head && h[e] != '\r' && h[e] != '\n')
            e++;
        if (e > i && (n == 0 || !dropped(h + i, e - i))) {
            memcpy(req + n, h + i, e - i);
            n += e - i;
            memcpy(req + n, "\r\n", 2);
            n += 2;
        }
        i = e + 1;
    }
    n += (size_t)sprintf(req + n, "Connection: close\r\nContent-Length: %zu\r\n\r\n", body);
    memcpy(req + n, data + head + skip, body);
    *len = n + body;
    return req;
}

static void
check_answer(const char *buf, size_t got)
{
    if (fuzz_verbose())
        fprintf(stderr, "answer: %.*s\n", (int)(got < 40 ? got : 40), buf);
    if (got == 0)
        return; /* closed without an answer: what libmicrohttpd does with some garbage */
    if (got < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)buf[9]))
        fuzz_die("server", "no HTTP status line in the answer");
    /* 501 and 505 are libmicrohttpd's answers to a method or HTTP version it does not know */
    if (buf[9] == '5' && memcmp(buf + 9, "501", 3) != 0 && memcmp(buf + 9, "505", 3) != 0)
        fuzz_die("server", "a 5xx answer to a client's request");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    start_server();
    return 0;
}

/*
 * connect, also when libFuzzer's timer (SIGALRM) interrupts it: connect then
 * fails with EINTR while the connection goes on, and calling it again would
 * not do; wait until the socket is writable and read its outcome instead.
 */
static int
connect_to(int fd, const struct sockaddr_in *sa)
{
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
        return 0;
    if (errno != EINTR)
        return -1;
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int r;
    while ((r = poll(&p, 1, 30000)) < 0 && errno == EINTR)
        ;
    if (r != 1) {
        errno = r == 0 ? ETIMEDOUT : errno;
        return -1;
    }
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
        return -1;
    errno = e;
    return e == 0 ? 0 : -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    char *req = build(data, size, &len);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {.tv_sec = 30};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        connect_to(fd, &sa) != 0)
        fuzz_die("connect", strerror(errno));
    /* the server may answer (413, 400) and close before reading everything */
    for (size_t off = 0; off < len;) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    char buf[16384];
    size_t got = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + got, sizeof buf - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 || (r < 0 && errno == ECONNRESET))
            break; /* the end of the answer; a reset: closed before reading all we sent */
        if (r < 0)
            fuzz_die("server", errno == EAGAIN || errno == EWOULDBLOCK
                                   ? "no answer within 30 seconds"
                                   : "the connection failed");
        got += (size_t)r;
        if (got == sizeof buf)
            got = 16; /* keep the status line, drop the rest of a long answer */
    }
    /* The server closed first, so its end of the connection would wait in TIME_WAIT for a
     * minute, holding the pair of ports: at thousands of inputs a second that fills the
     * 28,000 ephemeral ports of the loopback and connect() fails (EADDRNOTAVAIL) after a
     * minute or so of fuzzing. Closing with a reset ends the server's TIME_WAIT at once. */
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(fd);
    free(req);
    check_answer(buf, got);
    return 0;
}
