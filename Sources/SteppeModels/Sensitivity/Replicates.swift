import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// Called as replicates finish: (done, total). Called from worker threads, in no fixed
/// order of replicates but with `done` increasing; keep it cheap.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// Runs the replicates of a resampling method (bootstrap draws, leave-one-out refits,
/// specifications, Monte Carlo draws) on all cores, reproducibly.
///
/// Replicate k gets its own random stream, `SeededRandom(seed: seed).stream(k)`, and the
/// results come back in replicate order, so the same seed gives the same bits whatever
/// the number of threads or the order in which replicates finish.
public enum Replicates {
    /// `body(k, &random)` for k in 0..<count, on all cores; results in order of k.
    ///
    /// Stream k is derived from the base generator by k + 1 jumps, which costs O(k); for
    /// many replicates the streams are made once up front by successive jumps (O(count)).
    public static func run<T: Sendable>(count: Int, seed: UInt64, progress: ProgressHandler? = nil,
                                        _ body: @Sendable (Int, inout SeededRandom) -> T) -> [T] {
        guard count > 0 else { return [] }
        let streams = streams(count: count, seed: seed)
        let counter = Counter()
        return Parallel.map(count) { k in
            var random = streams[k]
            let value = body(k, &random)
            if let progress { progress(counter.increment(), count) }
            return value
        }
    }

    /// Streams 0..<count of `SeededRandom(seed:)`: stream k = (k + 1) jumps from the seed.
    public static func streams(count: Int, seed: UInt64) -> [SeededRandom] {
        var g = SeededRandom(seed: seed)
        var out: [SeededRandom] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            g.jump()
            out.append(g)
        }
        return out
    }
}

/// A thread-safe count of finished replicates.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
