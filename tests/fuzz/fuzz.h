/*
 * fuzz.h - what the libFuzzer targets in tests/fuzz/ share.
 *
 * Each target is one fuzz-NAME.c with LLVMFuzzerTestOneInput(); `make fuzz`
 * builds them with clang (-fsanitize=fuzzer,address,undefined) against the
 * library sources, and run.sh runs each for a bounded time. A property that
 * fails calls fuzz_fail(), which aborts so that libFuzzer saves the input.
 */
#ifndef AGG_FUZZ_H
#define AGG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define fuzz_fail(...)                                                                             \
	do {                                                                                       \
		fprintf(stderr, "fuzz property failed: " __VA_ARGS__);                             \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

#endif
