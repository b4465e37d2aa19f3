#if canImport(Glibc)
import Glibc
#endif

/// The process's allocator settings, applied once at start-up by the executable (never by
/// the libraries, whose callers own their process).
///
/// Model fits allocate and free many n-vectors (working weights, residuals, demeaned
/// columns: 8 MB each at a million rows). glibc serves blocks above its mmap threshold
/// (128 KB at first, growing up to 32 MB) with fresh mappings and unmaps them on free, so
/// each new vector costs page faults and the kernel's zeroing of every page: 5% of a PPML
/// fit's samples under `perf`. Raising the threshold to its maximum, 32 MB, and keeping up to
/// 512 MB of freed memory in the heap lets freed vectors be reused instead.
///
/// `mallopt` is looked up at run time (Swift's Glibc module does not export `<malloc.h>`);
/// on another C library nothing changes.
enum AllocatorSettings {
    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (malloc.h).
    static let trimThreshold: Int32 = -1
    static let mmapThreshold: Int32 = -3

    static func apply() {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 512 << 20)
        #endif
    }
}
