/*
 * jsonw.h — JSON text written straight into a buffer, byte for byte what
 * jansson's json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(p)) writes
 * for the same document built with json_pack: members in the order written,
 * strings escaped as jansson escapes them, integers in decimal, reals as
 * printf's "%.{p}g" with jansson's touches (".0" added to a real that looks
 * like an integer, the exponent without "+" and leading zeros). For
 * documents made on a hot path (a quote's breakdown), where building a
 * jansson tree of a hundred nodes and printing its reals through printf
 * costs more than the pricing. Depends on nothing but libc.
 *
 *     jsonw_t w;
 *     jsonw_init(&w, 15);
 *     jsonw_open(&w, '{');
 *     jsonw_kint(&w, "premium", 123456);
 *     jsonw_close(&w, '}');
 *     char *text = jsonw_finish(&w);   // malloc'd; NULL when out of memory
 */
#ifndef CY_APP_JSONW_H
#define CY_APP_JSONW_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *s;
    size_t n, cap;
    int precision; /* significant digits of a real, 1..17 */
    int comma;     /* the next value or key follows another */
    int oom;
} jsonw_t;

void jsonw_init(jsonw_t *w, int precision);
/* '{' or '[' */
void jsonw_open(jsonw_t *w, char bracket);
/* '}' or ']' */
void jsonw_close(jsonw_t *w, char bracket);
void jsonw_key(jsonw_t *w, const char *key);
void jsonw_str(jsonw_t *w, const char *s);
/* the first n bytes of s */
void jsonw_strn(jsonw_t *w, const char *s, size_t n);
void jsonw_int(jsonw_t *w, int64_t v);
/* a real; null when not finite (jansson has no real that is not) */
void jsonw_real(jsonw_t *w, double x);
void jsonw_bool(jsonw_t *w, int b);
void jsonw_null(jsonw_t *w);
/* a value that is JSON text already (a stored document), written as it is */
void jsonw_raw(jsonw_t *w, const char *json);
/* Members: the key, then the value. */
void jsonw_kint(jsonw_t *w, const char *key, int64_t v);
void jsonw_kreal(jsonw_t *w, const char *key, double x);
void jsonw_kstr(jsonw_t *w, const char *key, const char *s);
void jsonw_kbool(jsonw_t *w, const char *key, int b);
/* The text (malloc'd, the caller's), or NULL when memory ran out; w is spent. */
char *jsonw_finish(jsonw_t *w);

/*
 * jsonw_real_text writes x as jansson writes a real of that precision
 * ("%.{precision}g", then ".0" when it has neither '.' nor 'e', and the
 * exponent's "+" and leading zeros dropped) into buf (32 bytes); answers
 * the length. x must be finite.
 */
size_t jsonw_real_text(double x, int precision, char buf[32]);

#endif
