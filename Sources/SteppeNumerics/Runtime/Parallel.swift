import Dispatch

/// Work spread over the machine's cores, for callers above the numerics (fixed-effect
/// absorption, CSV reading) that need one result per task.
public enum Parallel {
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
