// libFuzzer's entry point for programs that have their own main (compiler-rt's
// FuzzerInterface.h). SwiftPM links an executable target's main under another name
// (--defsym main=<Target>_main), so libFuzzer's own main cannot be the program's: each
// harness's top-level code calls this instead (see ../../README.md).
#ifndef STEPPE_FUZZER_DRIVER_H
#define STEPPE_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

typedef int (*SteppeFuzzerCallback)(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, SteppeFuzzerCallback callback);

/// Runs libFuzzer on the process's arguments with `callback` as LLVMFuzzerTestOneInput.
int steppe_fuzzer_main(int argc, char **argv, SteppeFuzzerCallback callback);
#endif
