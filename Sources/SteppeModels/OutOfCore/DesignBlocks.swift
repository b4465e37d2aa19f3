#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One block of an out-of-core design: up to `DesignBlocks.blockRows` consecutive rows of
/// the estimation sample, column by column.
struct DesignBlock {
    var count: Int
    var y: [Double]
    var weights: [Double]?
    var offset: [Double]?
    /// One array per design column.
    var x: [[Double]]
    /// One array of dense codes per fixed effect.
    var codes: [[Int32]]
    /// One array of dense codes per cluster variable.
    var clusters: [[Int32]]

    init(columns p: Int, groupings: Int, clusters c: Int, weighted: Bool, offset: Bool) {
        count = 0
        y = []
        weights = weighted ? [] : nil
        self.offset = offset ? [] : nil
        x = Array(repeating: [], count: p)
        codes = Array(repeating: [], count: groupings)
        clusters = Array(repeating: [], count: c)
    }
}

/// The design of an out-of-core fit on a scratch file, in blocks of `blockRows` rows: what
/// every pass of the fit reads, in place of the n-long arrays an in-memory fit keeps.
///
/// The blocks are the unit of every sum: a pass adds its rows in block order and, within a
/// block, in row order, so that sums depend neither on the chunks the source was read in
/// nor on the number of threads. Blocks never straddle two `RowSegments` segments: each
/// segment's rows start a new block, so a segment's blocks, and its sums, are the same
/// whichever process holds it. A block holds y, the prior weights and offset when there
/// are any, the p design columns (8 bytes a row each) and the fixed-effect and cluster
/// codes (4 bytes a row each), one after another.
///
/// The file is created in `directory` and unlinked at once: it takes disk space while the
/// fit runs and none after it, even when the process is killed.
final class DesignBlocks: @unchecked Sendable {
    /// Rows per block by default: 65,536 (a block of one column is 512 KB, so a block of a
    /// few columns fits in L2/L3 cache). Fixed, not tuned to the machine, so that the sums
    /// (and so the results) are the same everywhere; tests use small blocks to have many.
    static let defaultBlockRows = 65_536
    let blockRows: Int

    let columns: Int
    let groupings: Int
    let clusterCount: Int
    let weighted: Bool
    let hasOffset: Bool
    private(set) var rows = 0
    /// The first row of each block, and `rows` last.
    private(set) var blockStarts = [0]
    /// The first block of each segment, and `blockCount` last once `finish` has run.
    private(set) var segmentStarts = [0]
    private let fd: Int32
    private var pending: DesignBlock

    /// A new, empty design file in `directory`.
    init(directory: String, columns p: Int, groupings: Int, clusters c: Int, weighted: Bool, offset: Bool,
         blockRows: Int = DesignBlocks.defaultBlockRows) throws(ModelError) {
        self.fd = try Self.scratchFile(in: directory, prefix: "steppe-design")
        self.blockRows = blockRows
        self.columns = p
        self.groupings = groupings
        self.clusterCount = c
        self.weighted = weighted
        self.hasOffset = offset
        pending = DesignBlock(columns: p, groupings: groupings, clusters: c, weighted: weighted, offset: offset)
    }

    deinit { close(fd) }

    var blockCount: Int { blockStarts.count - 1 }

    /// Segments (of this process) the design holds.
    var segmentCount: Int { segmentStarts.count - 1 }

    /// The blocks of segment `k`.
    func blocks(inSegment k: Int) -> Range<Int> { segmentStarts[k]..<segmentStarts[k + 1] }

    /// Ends the segment under way: the rows appended next belong to segment `k` (of this
    /// process, counted from 0), and start a new block. Segments skipped get no blocks.
    func beginSegment(_ k: Int) throws(ModelError) {
        precondition(k + 1 >= segmentStarts.count, "segments are appended in order")
        guard k + 1 > segmentStarts.count else { return }
        if pending.count > 0 { try flush() }
        while segmentStarts.count < k + 1 { segmentStarts.append(blockCount) }
    }

    /// Bytes of one row.
    private var rowBytes: Int { 8 * (1 + columns + (weighted ? 1 : 0) + (hasOffset ? 1 : 0)) + 4 * (groupings + clusterCount) }

    /// Appends one row.
    func append(y: Double, weight: Double?, offset: Double?, x: (Int) -> Double, codes: (Int) -> Int32, clusters: (Int) -> Int32) throws(ModelError) {
        pending.y.append(y)
        if weighted { pending.weights!.append(weight ?? 1) }
        if hasOffset { pending.offset!.append(offset ?? 0) }
        for j in 0..<columns { pending.x[j].append(x(j)) }
        for g in 0..<groupings { pending.codes[g].append(codes(g)) }
        for c in 0..<clusterCount { pending.clusters[c].append(clusters(c)) }
        pending.count += 1
        if pending.count == blockRows { try flush() }
    }

    /// Appends every row of `block` for which `keep` is true.
    func append(_ block: DesignBlock, keeping keep: (Int) -> Bool) throws(ModelError) {
        for i in 0..<block.count where keep(i) {
            try append(y: block.y[i], weight: block.weights?[i], offset: block.offset?[i], x: { block.x[$0][i] },
                       codes: { block.codes[$0][i] }, clusters: { block.clusters[$0][i] })
        }
    }

    /// Writes the rows appended since the last full block and closes the `segments`
    /// segments of the design; call once after the last `append`.
    func finish(segments: Int) throws(ModelError) {
        if pending.count > 0 { try flush() }
        while segmentStarts.count < segments + 1 { segmentStarts.append(blockCount) }
    }

    private func flush() throws(ModelError) {
        let offset = rows * rowBytes
        var bytes = [UInt8]()
        bytes.reserveCapacity(pending.count * rowBytes)
        func put<T>(_ a: [T]) { a.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        put(pending.y)
        if let w = pending.weights { put(w) }
        if let o = pending.offset { put(o) }
        for col in pending.x { put(col) }
        for c in pending.codes { put(c) }
        for c in pending.clusters { put(c) }
        var failure: ModelError? = nil
        bytes.withUnsafeBytes { p in
            do throws(ModelError) { try Self.writeAll(fd, p, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
        rows += pending.count
        blockStarts.append(rows)
        pending = DesignBlock(columns: columns, groupings: groupings, clusters: clusterCount, weighted: weighted, offset: hasOffset)
    }

    /// Rows of block `b`.
    func rows(in b: Int) -> Int { blockStarts[b + 1] - blockStarts[b] }

    /// Reads block `b`: each array read from the file straight into its own storage.
    func read(_ b: Int) throws(ModelError) -> DesignBlock {
        let n = rows(in: b)
        var block = DesignBlock(columns: columns, groupings: groupings, clusters: clusterCount, weighted: weighted, offset: hasOffset)
        block.count = n
        var at = blockStarts[b] * rowBytes
        func take<T: BitwiseCopyable>(_: T.Type) throws(ModelError) -> [T] {
            let array = try Self.readArray(T.self, fd, count: n, at: at)
            at += MemoryLayout<T>.stride * n
            return array
        }
        block.y = try take(Double.self)
        if weighted { block.weights = try take(Double.self) }
        if hasOffset { block.offset = try take(Double.self) }
        for j in 0..<columns { block.x[j] = try take(Double.self) }
        for g in 0..<groupings { block.codes[g] = try take(Int32.self) }
        for c in 0..<clusterCount { block.clusters[c] = try take(Int32.self) }
        return block
    }

    /// `count` values of type T read from `fd` at byte `offset` into a new array, without an intermediate copy.
    static func readArray<T: BitwiseCopyable>(_: T.Type, _ fd: Int32, count n: Int, at offset: Int) throws(ModelError) -> [T] {
        var failure: ModelError? = nil
        let array = [T](unsafeUninitializedCapacity: n) { out, count in
            do throws(ModelError) {
                try readAll(fd, UnsafeMutableRawBufferPointer(out), at: offset)
            } catch {
                failure = error
                UnsafeMutableRawBufferPointer(out).initializeMemory(as: UInt8.self, repeating: 0)
            }
            count = n
        }
        if let failure { throw failure }
        return array
    }

    /// Calls `body` with every block in order.
    func forEach(_ body: (Int, DesignBlock) throws(ModelError) -> Void) throws(ModelError) {
        for b in 0..<blockCount { try body(b, try read(b)) }
    }

    /// Calls `body` with every block of segment `k` in order.
    func forEach(inSegment k: Int, _ body: (Int, DesignBlock) throws(ModelError) -> Void) throws(ModelError) {
        for b in blocks(inSegment: k) { try body(b, try read(b)) }
    }

    /// A new file in `directory`, open for reading and writing and already unlinked (its
    /// space is freed when it is closed, or when the process ends however it ends).
    static func scratchFile(in directory: String, prefix: String) throws(ModelError) -> Int32 {
        var template = Array((directory + "/" + prefix + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw .invalidOption("cannot create a scratch file in \(directory): \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer, at offset: Int) throws(ModelError) {
        var done = 0
        while done < p.count {
            let k = pwrite(fd, p.baseAddress! + done, p.count - done, off_t(offset + done))
            if k < 0 && errno == EINTR { continue }
            guard k > 0 else { throw .invalidOption("cannot write the out-of-core scratch file: \(String(cString: strerror(errno)))") }
            done += k
        }
    }

    static func readAll(_ fd: Int32, _ p: UnsafeMutableRawBufferPointer, at offset: Int) throws(ModelError) {
        var done = 0
        while done < p.count {
            let k = pread(fd, p.baseAddress! + done, p.count - done, off_t(offset + done))
            if k < 0 && errno == EINTR { continue }
            guard k > 0 else { throw .invalidOption("cannot read the out-of-core scratch file: \(k < 0 ? String(cString: strerror(errno)) : "it ended early")") }
            done += k
        }
    }
}

/// Per-row values of an out-of-core fit kept beside its design (the IRLS working weights
/// and outcomes, which change between passes; the cell of each row), on an unlinked scratch
/// file, `vectors` values of type `Element` a row, in the blocks of a `DesignBlocks`.
final class RowScratch<Element: BitwiseCopyable>: @unchecked Sendable {
    let vectors: Int
    /// The first row of each block of the design, and its rows last.
    let blockStarts: [Int]
    private let fd: Int32

    init(directory: String, vectors: Int, blocksOf design: DesignBlocks) throws(ModelError) {
        self.fd = try DesignBlocks.scratchFile(in: directory, prefix: "steppe-rows")
        self.vectors = vectors
        self.blockStarts = design.blockStarts
    }

    deinit { close(fd) }

    private var size: Int { MemoryLayout<Element>.stride }
    private func offset(_ b: Int) -> Int { blockStarts[b] * size * vectors }

    /// Writes block `b`'s vectors (each as long as the block).
    func write(_ b: Int, _ values: [[Element]]) throws(ModelError) {
        var bytes = [UInt8]()
        for v in values { v.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        var failure: ModelError? = nil
        bytes.withUnsafeBytes { p in
            do throws(ModelError) { try DesignBlocks.writeAll(fd, p, at: offset(b)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads block `b`'s vectors, `count` rows each.
    func read(_ b: Int, count n: Int) throws(ModelError) -> [[Element]] {
        var vectors: [[Element]] = []
        for k in 0..<self.vectors {
            vectors.append(try DesignBlocks.readArray(Element.self, fd, count: n, at: offset(b) + k * n * size))
        }
        return vectors
    }
}
