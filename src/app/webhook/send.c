/*
 * send.c — one attempt of a webhook delivery over HTTP (libcurl), the check
 * of the receiver's address (core/netaddr.h) and the signature (OpenSSL
 * HMAC-SHA256). Reads no clock: the timestamp comes with the delivery, the
 * duration from libcurl. Depends on core/, libcurl and OpenSSL; never on
 * http/ or cli/.
 */
#include "app/webhook/internal.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/netaddr.h"

void
webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len, char out[72])
{
    char ts[24];
    int tl = snprintf(ts, sizeof ts, "%" PRId64 ".", timestamp);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    /* HMAC over "TIMESTAMP." then the body, without copying the body */
    EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    size_t outl = 0;
    if (ctx != NULL && EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) &&
        EVP_MAC_update(ctx, (const unsigned char *)ts, (size_t)tl) &&
        EVP_MAC_update(ctx, (const unsigned char *)body, len) &&
        EVP_MAC_final(ctx, mac, &outl, sizeof mac))
        maclen = (unsigned int)outl;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(m);
    int n = snprintf(out, 72, "sha256=");
    for (unsigned int i = 0; i < maclen && n + 2 < 72; i++)
        n += snprintf(out + n, 72 - (size_t)n, "%02x", mac[i]);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static cy_status_t
url_refused(cy_error_t *err, const char *zh, const char *en)
{
    return cy_error_set(err, CY_EINVAL, "webhook_url", "url", "接收地址%s / the URL %s", zh, en);
}

/* Scheme, host (without IPv6 brackets) and port of url. */
static cy_status_t
url_parts(const char *url, char *host, size_t host_cap, long *port, cy_error_t *err)
{
    pthread_once(&curl_once, curl_init_once);
    CURLU *u = curl_url();
    char *scheme = NULL, *h = NULL, *p = NULL;
    cy_status_t st = CY_OK;
    if (u == NULL)
        return cy_error_no_memory(err);
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        st = url_refused(err, "不是有效的 URL", "is not a valid URL");
    else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
        st = url_refused(err, "应以 http:// 或 https:// 开头",
                         "must start with http:// or https://");
    else if (curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK || h[0] == '\0')
        st = url_refused(err, "缺少主机名", "has no host");
    else if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
        st = url_refused(err, "端口无效", "has an invalid port");
    if (st == CY_OK) {
        size_t n = strlen(h);
        const char *b = h;
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') { /* an IPv6 literal */
            b = h + 1;
            n -= 2;
        }
        snprintf(host, host_cap, "%.*s", (int)n, b);
        *port = strtol(p, NULL, 10);
    }
    curl_free(scheme);
    curl_free(h);
    curl_free(p);
    curl_url_cleanup(u);
    return st;
}

/* Check one resolved address; append it to the pin list. */
static cy_status_t
check_addr(const struct sockaddr *sa, const char *host, int allow_private, char *pins, size_t cap,
           cy_error_t *err)
{
    const unsigned char *bytes;
    size_t len;
    if (sa->sa_family == AF_INET) {
        bytes = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
        len = 4;
    } else if (sa->sa_family == AF_INET6) {
        bytes = (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        len = 16;
    } else {
        return CY_OK;
    }
    char text[INET6_ADDRSTRLEN];
    inet_ntop(sa->sa_family, bytes, text, sizeof text);
    netaddr_kind_t k = netaddr_classify(bytes, len);
    if (k != NETADDR_PUBLIC && !allow_private)
        return cy_error_set(err, CY_EINVAL, "webhook_url_private", "url",
                            "接收地址的主机 %s 解析为%s %s，不允许推送 / the URL's host %s "
                            "resolves to %s, %s, where webhooks are not sent",
                            host, netaddr_kind_zh(k), text, host, netaddr_kind_en(k), text);
    size_t used = strlen(pins);
    snprintf(pins + used, cap - used, len == 16 ? "%s[%s]" : "%s%s", used ? "," : "", text);
    return CY_OK;
}

cy_status_t
webhook_url_check(const char *url, int allow_private, char *pin, size_t pin_cap, cy_error_t *err)
{
    if (url == NULL || strlen(url) > WEBHOOK_MAX_URL)
        return url_refused(err, "为空或超过 1000 字节", "is empty or longer than 1000 bytes");
    char host[256];
    long port = 0;
    cy_status_t st = url_parts(url, host, sizeof host, &port, err);
    if (st != CY_OK)
        return st;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int literal = strspn(host, "0123456789.") == strlen(host) || strchr(host, ':') != NULL;
    hints.ai_flags = literal ? AI_NUMERICHOST : 0;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
        return cy_error_set(err, CY_EINVAL, "webhook_url_unresolved", "url",
                            "接收地址的主机 %s 无法解析 / the URL's host %s does not resolve", host,
                            host);
    char pins[512] = "";
    for (struct addrinfo *ai = res; ai != NULL && st == CY_OK; ai = ai->ai_next)
        st = check_addr(ai->ai_addr, host, allow_private, pins, sizeof pins, err);
    freeaddrinfo(res);
    if (st == CY_OK && pin != NULL) {
        if (literal)
            pin[0] = '\0';
        else
            snprintf(pin, pin_cap, "%s:%ld:%s", host, port, pins);
    }
    return st;
}

/* Answers are read and dropped: only the status counts. */
static size_t
discard(char *ptr, size_t size, size_t n, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * n;
}

static struct curl_slist *
headers_of(const webhook_send_t *s)
{
    char sig[72], line[160];
    webhook_sign(s->secret, s->timestamp, s->body, strlen(s->body), sig);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    snprintf(line, sizeof line, "User-Agent: cyberins-webhook/%s", app_version());
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Cyberins-Event: %s", s->kind);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Cyberins-Delivery: %" PRId64, s->id);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Cyberins-Timestamp: %" PRId64, s->timestamp);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Cyberins-Signature: %s", sig);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */
    return h;
}

void
webhook_send(const app_t *app, const webhook_send_t *s, webhook_result_t *out)
{
    memset(out, 0, sizeof *out);
    char pin[700];
    cy_error_t err;
    if (webhook_url_check(s->url, app->cfg.webhook_allow_private, pin, sizeof pin, &err) != CY_OK) {
        snprintf(out->error, sizeof out->error, "%s", err.message);
        return;
    }
    CURL *h = curl_easy_init();
    if (h == NULL) {
        snprintf(out->error, sizeof out->error, "无法发送 / cannot send: curl_easy_init");
        return;
    }
    struct curl_slist *hdrs = headers_of(s);
    struct curl_slist *resolve = pin[0] ? curl_slist_append(NULL, pin) : NULL;
    char curl_err[CURL_ERROR_SIZE] = "";
    long timeout = app->cfg.webhook_timeout_s;
    curl_easy_setopt(h, CURLOPT_URL, s->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, s->body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(s->body));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(h, CURLOPT_PROXY, ""); /* not the environment's proxies */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 5 ? timeout : 5L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_off_t us = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
    out->http_status = (int)status;
    out->ms = (int64_t)(us / 1000);
    if (rc != CURLE_OK)
        snprintf(out->error, sizeof out->error, "未送达 / not delivered: %s",
                 curl_err[0] ? curl_err : curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(out->error, sizeof out->error,
                 "接收方应答 HTTP %ld / the receiver answered HTTP %ld", status, status);
    curl_slist_free_all(resolve);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
}
