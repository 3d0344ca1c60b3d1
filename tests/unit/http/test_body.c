/*
 * test_body.c — reading JSON request bodies (http_body_object in
 * http/reply.c) and answering their refusals, on inputs fuzz/json_body
 * found: a malformed body is a 400 whose answer is JSON, never a 500.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cytest.h"

#include "core/utf8.h"
#include "http/http.h"

static const http_field_t SPEC[] = {{"text", JSON_STRING, HTTP_REQUIRED}, {NULL, 0, 0}};

/* The answer to body: its status; *parsed whether the answer is JSON. */
static int
answer(const char *body, size_t len, cy_error_t *err, int *parsed)
{
    http_req_t req = {
        .method = "POST", .path = "/api/v1/checks/zishu", .body = body, .body_len = len};
    json_t *out = NULL;
    assert_int_equal(http_body_object(&req, SPEC, &out, err), CY_EBADREQ);
    assert_null(out);
    http_resp_t resp = {.fd = -1};
    http_reply_error(&resp, err);
    json_t *j = json_loadb(resp.body, resp.len, 0, NULL);
    *parsed = j != NULL;
    json_decref(j);
    if (resp.owned)
        free(resp.body);
    return resp.status;
}

/*
 * fuzz/json_body: jansson's message about a bad \\u escape quotes the raw
 * bytes after it, here a UTF-8 sequence cut short; the refusal could not be
 * written as JSON and the server answered 500 "out of memory".
 */
CY_TEST(test_malformed_escape_before_bad_utf8_answers_400)
{
    (void)state;
    const char body[] = "{\"text\":\"\\u7f5\xd3\xa3\x8a\xc8"
                        "edc \\ud83d\\ude00 a\\nb\"}";
    cy_error_t err;
    int parsed = 0;
    assert_int_equal(answer(body, sizeof body - 1, &err, &parsed), 400);
    assert_true(parsed);
    assert_string_equal(err.code, "json_malformed");
    assert_string_equal(err.field, "body");
    assert_true(utf8_valid(err.message, strlen(err.message), NULL));
    assert_non_null(strstr(err.message, "malformed JSON at line 1 column"));
}

/* A key of 200 CJK characters: the refusal's field is cut, on a character boundary. */
CY_TEST(test_long_unknown_key_answers_400_with_whole_characters)
{
    (void)state;
    char body[1024] = "{\"";
    for (int i = 0; i < 200; i++)
        strcat(body, "字");
    strcat(body, "\":1}");
    cy_error_t err;
    int parsed = 0;
    assert_int_equal(answer(body, strlen(body), &err, &parsed), 400);
    assert_true(parsed);
    assert_string_equal(err.code, "unknown_field");
    assert_true(utf8_valid(err.field, strlen(err.field), NULL));
    assert_true(utf8_valid(err.message, strlen(err.message), NULL));
}
