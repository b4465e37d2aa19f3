import Synchronization
@_spi(SteppeInternal) import SteppeNumerics

/// The rows of an out-of-core fit cut into segments, and the segments this process fits.
///
/// A segment is a fixed range of `segmentRows` rows of the source (2¹⁸ by default), whatever
/// the number of processes: process r of K fits segments ⌊S·r/K⌋ ..< ⌊S·(r+1)/K⌋ of the S.
/// Every sum of a pass is made segment by segment, each from zero and in row order within
/// its segment, and the segments' sums are then added in segment order (`fold`), on every
/// process. So the result is the same to the bit for any number of processes (one included:
/// `steppe fit --out-of-core` is the one-process case), any chunk size and any thread count;
/// it is what an in-memory fit computes to about 1e-13, the sums associated differently.
///
/// With a collective, the segments' sums of all processes are gathered and added in segment
/// order on each (an allgather, not an allreduce, whose order of combination is the
/// implementation's); counts, maxima and flags, exact in any order, are combined once per
/// process (`combine`). Each exchange carries a status: a process that failed sends its
/// error instead (`fail`), and every process then stops with the error of the lowest-ranked
/// process that failed.
final class RowSegments: Sendable {
    /// Source rows per segment: 2¹⁸ = 262,144 (four blocks of the design). Fixed, not tuned,
    /// so that the sums are the same everywhere.
    static let defaultSegmentRows = 1 << 18

    let segmentRows: Int
    let sourceRows: Int
    /// Segments of the whole source.
    let totalSegments: Int
    /// This process's segments, in the numbering of the whole source.
    let segments: Range<Int>
    let collective: (any OutOfCoreCollective)?
    /// Whether an exchange has reported another process's failure (then this process must
    /// not send one of its own: the others have stopped exchanging).
    private let relayed = Mutex(false)

    init(sourceRows: Int, segmentRows: Int = RowSegments.defaultSegmentRows, collective: (any OutOfCoreCollective)? = nil) {
        self.segmentRows = segmentRows
        self.sourceRows = sourceRows
        self.collective = collective
        let total = (sourceRows + segmentRows - 1) / segmentRows
        totalSegments = total
        let k = collective?.size ?? 1, r = collective?.rank ?? 0
        segments = (total * r / k)..<(total * (r + 1) / k)
    }

    var rank: Int { collective?.rank ?? 0 }
    /// The number of processes sharing the fit.
    var processes: Int { collective?.size ?? 1 }
    var isShared: Bool { processes > 1 }
    /// Segments of this process.
    var count: Int { segments.count }

    /// The source rows of this process.
    var localSourceRows: Range<Int> {
        min(sourceRows, segments.lowerBound * segmentRows)..<min(sourceRows, segments.upperBound * segmentRows)
    }

    /// The local segment (0 ..< `count`) of a source row of this process.
    func localSegment(ofSourceRow row: Int) -> Int { row / segmentRows - segments.lowerBound }

    // MARK: folds

    /// Calls `into` with every segment's partial sums, in segment order over all processes:
    /// `partial(k)` computes those of local segment k. One process folds as it goes (memory:
    /// one partial); several gather their partials first (memory: all of them).
    func fold(_ partial: (Int) throws(ModelError) -> [Double], into: ([Double]) -> Void) throws(ModelError) {
        guard isShared else {
            for k in 0..<count { into(try partial(k)) }
            return
        }
        var bytes: [UInt8] = []
        Self.appendCount(count, to: &bytes)
        for k in 0..<count { Self.append(try partial(k), to: &bytes) }
        for message in try exchange(bytes) {
            var at = 0
            let n = Self.readCount(message, at: &at)
            for _ in 0..<n { into(Self.readDoubles(message, at: &at)) }
        }
    }

    /// `count` compensated sums over every process's rows: `body(k, &sums)` adds segment k's
    /// rows; the segments' double-double sums are added in segment order.
    func compensatedSums(_ count: Int, _ body: (Int, inout [CompensatedSum]) throws(ModelError) -> Void) throws(ModelError) -> [Double] {
        var totals = [CompensatedSum](repeating: CompensatedSum(), count: count)
        try fold({ k throws(ModelError) -> [Double] in
            var sums = [CompensatedSum](repeating: CompensatedSum(), count: count)
            try body(k, &sums)
            return sums.flatMap { [$0.total.high, $0.total.low] }
        }, into: { p in Self.add(p[...], to: &totals) })
        return totals.map(\.value)
    }

    /// Adds double-double pairs (high, low, high, low, …) to `sums`.
    static func add(_ pairs: ArraySlice<Double>, to sums: inout [CompensatedSum]) {
        var e = pairs.startIndex
        for m in sums.indices { sums[m].total = sums[m].total + DoubleDouble(pairs[e], pairs[e + 1]); e += 2 }
    }

    /// `local` of every process combined in rank order by `op` (starting from process 0's):
    /// for what is exact in any order (counts, maxima, flags). One process: `local`.
    func combine(_ local: [Double], _ op: (inout [Double], [Double]) -> Void) throws(ModelError) -> [Double] {
        guard isShared else { return local }
        var bytes: [UInt8] = []
        Self.append(local, to: &bytes)
        let all = try exchange(bytes).map { m -> [Double] in var at = 0; return Self.readDoubles(m, at: &at) }
        var total = all[0]
        for part in all.dropFirst() { op(&total, part) }
        return total
    }

    /// Element-wise sums of exact values (counts below 2⁵³) over the processes.
    func sumExactly(_ local: [Double]) throws(ModelError) -> [Double] {
        try combine(local) { t, p in for i in t.indices { t[i] += p[i] } }
    }

    /// Element-wise maxima over the processes.
    func maximum(_ local: [Double]) throws(ModelError) -> [Double] {
        try combine(local) { t, p in for i in t.indices { t[i] = max(t[i], p[i]) } }
    }

    // MARK: exchange and failure

    /// Every process's bytes, by rank; throws the error of the lowest-ranked process that
    /// failed, if any did.
    func exchange(_ bytes: [UInt8]) throws(ModelError) -> [[UInt8]] {
        guard let collective else { return [bytes] }
        let all = try collective.allGather([0] + bytes)
        if let failed = all.first(where: { $0.first != 0 }) {
            relayed.withLock { $0 = true }
            throw Self.relayed(failed)
        }
        return all.map { Array($0.dropFirst()) }
    }

    /// Sends this process's error to the others, which are at their next exchange (or will
    /// be), and returns the error every process reports: the lowest-ranked failure's.
    func fail(_ error: ModelError) -> ModelError {
        guard let collective else { return error }
        let message = Array(error.description.utf8)
        guard let all = try? collective.allGather([1] + message) else { return error }
        guard let first = all.first(where: { $0.first != 0 }) else { return error }
        return Self.relayed(first)
    }

    /// The error another process sent (a status byte, then its message), printed as that
    /// process would print it: `.invalidOption`'s description is the message itself.
    private static func relayed(_ message: [UInt8]) -> ModelError {
        .invalidOption(String(decoding: message.dropFirst(), as: UTF8.self))
    }

    /// Keys in order of first appearance over `lists` (one per process, in rank order, each
    /// in its own order of first appearance), with each key's position in that order: how
    /// levels seen by several processes get the numbers one process would give them.
    static func united<Key: Hashable>(_ lists: [[Key]]) -> (order: [Key], index: [Key: Int32]) {
        var order: [Key] = [], index: [Key: Int32] = [:]
        for list in lists {
            for key in list where index[key] == nil {
                index[key] = Int32(order.count)
                order.append(key)
            }
        }
        return (order, index)
    }

    /// Runs `body` so that an error on this process reaches every process, and one raised
    /// elsewhere (thrown by an exchange) is not sent again.
    func guarded<T>(_ body: () throws(ModelError) -> T) throws(ModelError) -> T {
        guard isShared else { return try body() }
        do { return try body() } catch {
            if relayed.withLock({ $0 }) { throw error }
            throw fail(error)
        }
    }

    // MARK: encoding

    static func appendCount(_ n: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt64(n).littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func readCount(_ bytes: [UInt8], at: inout Int) -> Int {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        at += 8
        return Int(v)
    }

    static func append(_ values: [Double], to bytes: inout [UInt8]) {
        appendCount(values.count, to: &bytes)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    static func readDoubles(_ bytes: [UInt8], at: inout Int) -> [Double] {
        let n = readCount(bytes, at: &at)
        let values = [Double](unsafeUninitializedCapacity: n) { out, count in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[at..<(at + 8 * n)]))
            }
            count = n
        }
        at += 8 * n
        return values
    }
}
