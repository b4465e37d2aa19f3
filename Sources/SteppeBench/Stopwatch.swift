import Foundation

/// Wall-clock timing and the process's peak memory, for benchmarks.
public enum Stopwatch {
    /// Seconds taken by `body`, on the monotonic clock.
    public static func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The median of `repetitions` runs of `body` after one untimed warm-up run, and the last result.
    ///
    /// Each run's result is released before the next run starts, so that the peak memory
    /// measured is one run's, not one run's plus the result of the run before (a PPML fit
    /// on 1e7 rows keeps about 250 MB of n-vectors in its result).
    public static func median<T>(repetitions: Int, _ body: () throws -> T) rethrows -> (T, Double) {
        var result: T? = try body()
        var times: [Double] = []
        for _ in 0..<max(1, repetitions) {
            result = nil
            let (v, t) = try seconds(body)
            result = v
            times.append(t)
        }
        times.sort()
        return (result!, times[times.count / 2])
    }
}

/// Resident memory from /proc (Linux): the current and peak resident set.
public enum MemoryUsage {
    /// Peak resident set size in bytes (VmHWM), or `nil` where /proc is not available.
    public static var peakBytes: Int? { field("VmHWM") }
    /// Current resident set size in bytes (VmRSS).
    public static var currentBytes: Int? { field("VmRSS") }

    /// Resets the peak to the current resident set (Linux ≥ 4.0: `5` to /proc/self/clear_refs),
    /// after handing the memory the allocator keeps but no longer uses back to the system
    /// (glibc's `malloc_trim`, looked up at run time): otherwise the heap left by an earlier,
    /// larger problem stays resident and becomes the next problem's "peak".
    @discardableResult
    public static func resetPeak() -> Bool {
        #if canImport(Glibc)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            typealias MallocTrim = @convention(c) (Int) -> Int32
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
        guard let f = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(f) }
        return fputs("5", f) >= 0
    }

    static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
