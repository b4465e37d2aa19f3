import CLapack
#if canImport(Glibc)
import Glibc
#endif

/// The BLAS library at run time: how many threads it uses and which kernels it chose.
///
/// Debian's OpenBLAS picks its kernels when it loads, from the CPU it recognises.
/// OpenBLAS 0.3.21 does not recognise recent AMD cores and falls back to generic
/// kernels (about 18 dgemm GFLOP/s on two cores instead of about 115). Setting the
/// environment variable `OPENBLAS_CORETYPE` (for example `Haswell` or `SkylakeX`)
/// before the process starts overrides the choice; it cannot be changed afterwards.
/// `coreName` reports what was chosen, so benchmark results can say which kernel ran.
public enum BLASRuntime {
    /// The number of threads BLAS calls may use (`openblas_get_num_threads`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of BLAS threads for later calls (`openblas_set_num_threads`).
    ///
    /// One thread makes results reproducible to the bit (the test suite runs with
    /// `OPENBLAS_NUM_THREADS=1`); more threads speed up large dense solves.
    /// - Throws: `invalidArgument` when `count < 1`.
    public static func setThreadCount(_ count: Int) throws(NumericsError) {
        guard count >= 1, count <= 4096 else {
            throw .invalidArgument(operation: "BLASRuntime.setThreadCount", detail: "thread count \(count) must be between 1 and 4096")
        }
        openblas_set_num_threads(Int32(count))
    }

    /// The kernel family OpenBLAS chose for this CPU, e.g. "Haswell", "SkylakeX" or "Prescott" (generic).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS's build description (version, threading model, maximum threads).
    public static var configuration: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p)
    }

    /// The value of `OPENBLAS_CORETYPE` this process started with, if any.
    public static var requestedCoreType: String? {
        guard let p = getenv("OPENBLAS_CORETYPE") else { return nil }
        return String(cString: p)
    }
}
