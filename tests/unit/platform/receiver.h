/*
 * receiver.h — a webhook receiver for tests: a thread that accepts HTTP
 * requests on 127.0.0.1 (a port of its own), keeps what each one carried
 * (delivery id, timestamp, signature, body) and answers the status a test's
 * rule gives (e.g. 500 for the first two attempts of a delivery). Test code
 * only.
 */
#ifndef CY_TEST_PLATFORM_RECEIVER_H
#define CY_TEST_PLATFORM_RECEIVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define RECEIVER_MAX 512

typedef struct {
    long long delivery;
    long long timestamp;
    char signature[80];
    char event[64];
    char *body;
} received_t;

typedef struct receiver {
    int fd, port, stop;
    pthread_t thread;
    pthread_mutex_t mu;
    received_t got[RECEIVER_MAX];
    int n;
    /* the status to answer the request that is the `seen`-th (1-based) for its delivery */
    int (*status)(long long delivery, int seen);
} receiver_t;

static int
receiver_seen_locked(receiver_t *r, long long delivery)
{
    int k = 0;
    for (int i = 0; i < r->n; i++)
        k += r->got[i].delivery == delivery;
    return k;
}

static const char *
header_value(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p != NULL; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':')
            return p + 3 + n + strspn(p + 3 + n, " ");
    return NULL;
}

static void
receiver_serve(receiver_t *r, int c)
{
    char buf[65536];
    size_t len = 0;
    char *end = NULL;
    while (end == NULL && len + 1 < sizeof buf) {
        ssize_t k = read(c, buf + len, sizeof buf - 1 - len);
        if (k <= 0)
            return;
        len += (size_t)k;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (end == NULL)
        return;
    *end = '\0';
    const char *cl = header_value(buf, "Content-Length");
    size_t body_len = cl ? strtoul(cl, NULL, 10) : 0, have = len - (size_t)(end + 4 - buf);
    while (have < body_len && len + 1 < sizeof buf) {
        ssize_t k = read(c, buf + len, sizeof buf - 1 - len);
        if (k <= 0)
            return;
        len += (size_t)k;
        have += (size_t)k;
    }
    received_t g = {0};
    const char *v;
    if ((v = header_value(buf, "X-Cyberins-Delivery")))
        g.delivery = strtoll(v, NULL, 10);
    if ((v = header_value(buf, "X-Cyberins-Timestamp")))
        g.timestamp = strtoll(v, NULL, 10);
    if ((v = header_value(buf, "X-Cyberins-Signature")))
        snprintf(g.signature, sizeof g.signature, "%.*s", (int)strcspn(v, "\r"), v);
    if ((v = header_value(buf, "X-Cyberins-Event")))
        snprintf(g.event, sizeof g.event, "%.*s", (int)strcspn(v, "\r"), v);
    g.body = strndup(end + 4, body_len);
    pthread_mutex_lock(&r->mu);
    int seen = receiver_seen_locked(r, g.delivery) + 1;
    if (r->n < RECEIVER_MAX)
        r->got[r->n++] = g;
    else
        free(g.body);
    pthread_mutex_unlock(&r->mu);
    int status = r->status ? r->status(g.delivery, seen) : 200;
    char resp[128];
    int n = snprintf(resp, sizeof resp,
                     "HTTP/1.1 %d X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", status);
    if (write(c, resp, (size_t)n) < 0)
        return;
}

static void *
receiver_main(void *arg)
{
    receiver_t *r = arg;
    for (;;) {
        int c = accept(r->fd, NULL, NULL);
        if (c < 0)
            break;
        if (r->stop) {
            close(c);
            break;
        }
        receiver_serve(r, c);
        close(c);
    }
    return NULL;
}

static void
receiver_start(receiver_t *r, int (*status)(long long, int))
{
    memset(r, 0, sizeof *r);
    r->status = status;
    pthread_mutex_init(&r->mu, NULL);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    if (bind(r->fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(r->fd, 64) != 0 ||
        getsockname(r->fd, (struct sockaddr *)&sa, &sl) != 0)
        abort();
    r->port = ntohs(sa.sin_port);
    pthread_create(&r->thread, NULL, receiver_main, r);
}

static void
receiver_stop(receiver_t *r)
{
    r->stop = 1;
    shutdown(r->fd, SHUT_RDWR); /* wakes accept */
    pthread_join(r->thread, NULL);
    close(r->fd);
    for (int i = 0; i < r->n; i++)
        free(r->got[i].body);
    pthread_mutex_destroy(&r->mu);
}

/* How many requests delivery has had. */
static int
receiver_count(receiver_t *r, long long delivery)
{
    pthread_mutex_lock(&r->mu);
    int k = receiver_seen_locked(r, delivery);
    pthread_mutex_unlock(&r->mu);
    return k;
}

#endif
