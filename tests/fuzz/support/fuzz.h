/*
 * fuzz.h — what the libFuzzer harnesses of tests/fuzz share: the input as a
 * file (the loaders read paths), as a C string, and one application over a
 * throwaway SQLite database with the demo data, for the parsers that sit
 * behind a use case. Test code: never linked into cyberins.
 */
#ifndef CY_FUZZ_FUZZ_H
#define CY_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#ifndef CY_SOURCE_DIR
#error "the build defines CY_SOURCE_DIR, the repository root"
#endif
#define FUZZ_DATA CY_SOURCE_DIR "/data"

/*
 * fuzz_file writes data to a file in memory (memfd) and returns a path that
 * opens it ("/proc/self/fd/N"); the next call rewrites the same file.
 */
const char *fuzz_file(const uint8_t *data, size_t size);

/* fuzz_text returns a malloc'd NUL-terminated copy of data, cut at its first NUL byte. */
char *fuzz_text(const uint8_t *data, size_t size);

/*
 * fuzz_app opens, on its first call, an application over a new SQLite
 * database in a temporary folder (removed at exit) with the schema, the
 * reference data and the demo data (the organisations without their users,
 * a filed underwriting product, an assessment) loaded; later calls return
 * the same one. Harnesses call it from LLVMFuzzerInitialize, outside the
 * time limit of an input.
 * *product receives the id of the demo product. Aborts when it cannot.
 */
app_t *fuzz_app(int64_t *product);

/* The time fuzz_app's application was opened at: the "now" harnesses pass to use cases. */
int64_t fuzz_now(void);

/*
 * fuzz_refused checks a refusal the way an answer will use it — its code,
 * field and message are valid UTF-8, the message not empty (they are
 * written into JSON) — and aborts otherwise. When the environment sets
 * FUZZ_VERBOSE it also prints it (to see why a seed is refused:
 * FUZZ_VERBOSE=1 build-fuzz/fuzz_NAME SEED). fuzz_verbose says whether it is set.
 */
void fuzz_refused(const cy_error_t *err);
int fuzz_verbose(void);

/* fuzz_die reports msg and aborts (a harness that cannot start is a failure, not a pass). */
void fuzz_die(const char *what, const char *msg) __attribute__((noreturn));

#endif
