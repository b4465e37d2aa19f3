#include "FuzzerDriver.h"

int steppe_fuzzer_main(int argc, char **argv, SteppeFuzzerCallback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
