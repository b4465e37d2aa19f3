import Dispatch

/// Work spread over the machine's cores, for callers above the numerics (fixed-effect
/// absorption, CSV reading) that need one result per task.
///
/// Not API: SPI (`@_spi(SteppeInternal) import SteppeNumerics`) for Steppe's own modules.
/// It is public SPI rather than `package` because its callers are hot loops in other
/// modules, which `package` access kept from being optimised across the module boundary
/// (PPML 15% slower in a same-run A/B).
@_spi(SteppeInternal) public enum Parallel {
    /// `body(0)`…`body(count − 1)` on all cores (`DispatchQueue.concurrentPerform`), results
    /// in index order. Each task writes only its own slot, so the results do not depend on
    /// the number of cores or on scheduling. One task or none runs on the calling thread.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<max(count, 0)).map(body) }
        let slots = WriteOnceSlots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { j in slots.set(j, body(j)) }
        return slots.values
    }
}

extension Parallel {
    /// Rows per chunk of `chunks`: 65,536 (half a megabyte of doubles: large enough that
    /// dispatch costs nothing next to the work, small enough for two cores to share a million rows evenly).
    public static let chunkLength = 1 << 16

    /// `body` on consecutive ranges of 0..<count, `chunkLength` rows each (the last shorter),
    /// on all cores; the per-range results in order. The ranges depend only on `count`,
    /// so results combined from them do not depend on the number of cores.
    public static func chunks<T: Sendable>(_ count: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let parts = max(1, (count + chunkLength - 1) / chunkLength)
        return map(parts) { k in body((k * chunkLength)..<min(count, (k + 1) * chunkLength)) }
    }
}

/// A mutable buffer shared by parallel tasks that write disjoint ranges of it (each task
/// its own chunk, as `Parallel.chunks` hands them out). The owner keeps the memory alive
/// for the duration of the call.
@_spi(SteppeInternal) public struct SharedBuffer: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Double>
    public init(_ base: UnsafeMutablePointer<Double>) { self.base = base }
    public subscript(i: Int) -> Double {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Write-once result slots for `Parallel.map`: each index is written by exactly one task
/// through a raw pointer (no shared Swift array, so no exclusivity conflict), and read
/// after `concurrentPerform` returns, which orders the writes before the reads.
private final class WriteOnceSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<T?>
    private let count: Int
    init(_ count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }
    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }
    func set(_ i: Int, _ value: T) { storage[i] = value }
    var values: [T] { (0..<count).compactMap { storage[$0] } }
}

extension Parallel {
    /// `[value(0), …, value(count − 1)]` computed in the chunks of `chunks` on all cores
    /// (each element by itself, so the bits do not depend on the cores): for elementwise
    /// maps whose terms cost a logarithm or an exponential, such as IRLS's starting η.
    public static func doubles(_ count: Int, _ value: @Sendable (Int) -> Double) -> [Double] {
        guard count > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            let shared = SharedBuffer(out.baseAddress!)
            _ = chunks(count) { rows in for i in rows { shared[i] = value(i) } }
            initialized = count
        }
    }
}
