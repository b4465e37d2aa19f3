@_spi(SteppeInternal) import SteppeNumerics

/// The cells of two fixed effects out of core (see `TwoWayCells`): each cell's levels in
/// memory, each row's cell on a scratch file. With them a two-way demeaning takes one pass
/// over the rows per IRLS step (the cells' total weights and the vectors' group sums) and
/// sweeps over the cells in memory, instead of two passes over the rows per sweep.
///
/// Built in one pass over the design with a dense map of the K_A·K_B cell slots (4 bytes
/// each, freed after), so only when K_A·K_B ≤ 2²⁷ (512 MB): 10,000 × 10,000 levels fit.
/// Memory afterwards: 8 bytes a cell for the levels, 8 for the weights of a step; at most
/// one cell per row, and far fewer when pairs repeat.
final class OutOfCoreCells: Sendable {
    /// The levels of each cell in the first and the second fixed effect.
    let levels: [[Int32]]
    /// The cell of each row.
    let cellOf: RowScratch<Int32>

    static let maximumSlots = 1 << 27

    var count: Int { levels[0].count }

    private init(levels: [[Int32]], cellOf: RowScratch<Int32>) {
        self.levels = levels
        self.cellOf = cellOf
    }

    /// The cells of the design's two fixed effects, or nil when there are not two, or too
    /// many slots. Numbered in order of first appearance over all rows (with several
    /// processes, each numbers its own, and the lists are then united in rank order).
    static func build(_ frame: OutOfCoreFrame, directory: String) throws(ModelError) -> OutOfCoreCells? {
        let levelCounts = frame.fixedEffects.map(\.levelCount), design = frame.design
        guard levelCounts.count == 2, levelCounts[0] * levelCounts[1] <= maximumSlots, frame.observations > 0 else { return nil }
        let nb = levelCounts[1]
        var slot = [Int32](repeating: -1, count: levelCounts[0] * nb)
        var levelA: [Int32] = [], levelB: [Int32] = []
        let cellOf = try RowScratch<Int32>(directory: directory, vectors: 1, blocksOf: design)
        try design.forEach { b, block throws(ModelError) in
            var cells = [Int32](repeating: 0, count: block.count)
            let ca = block.codes[0], cb = block.codes[1]
            for i in 0..<block.count {
                let key = Int(ca[i]) * nb + Int(cb[i])
                var c = slot[key]
                if c < 0 {
                    c = Int32(levelA.count)
                    slot[key] = c
                    levelA.append(ca[i])
                    levelB.append(cb[i])
                }
                cells[i] = c
            }
            try cellOf.write(b, [cells])
        }
        guard frame.segments.isShared else { return OutOfCoreCells(levels: [levelA, levelB], cellOf: cellOf) }
        // The processes' cells united in rank order, and this process's renumbered.
        var bytes: [UInt8] = []
        RowSegments.append(zip(levelA, levelB).map { Double(Int($0) * nb + Int($1)) }, to: &bytes)
        let all = try frame.segments.exchange(bytes)
        for (a, b) in zip(levelA, levelB) { slot[Int(a) * nb + Int(b)] = -1 }
        var unitedA: [Int32] = [], unitedB: [Int32] = [], map: [Int32] = []
        for (r, message) in all.enumerated() {
            var at = 0
            for key in RowSegments.readDoubles(message, at: &at).map({ Int($0) }) {
                if slot[key] < 0 { slot[key] = Int32(unitedA.count); unitedA.append(Int32(key / nb)); unitedB.append(Int32(key % nb)) }
                if r == frame.segments.rank { map.append(slot[key]) }
            }
        }
        for b in 0..<design.blockCount {
            let cells = try cellOf.read(b, count: design.rows(in: b))[0]
            try cellOf.write(b, [cells.map { map[Int($0)] }])
        }
        return OutOfCoreCells(levels: [unitedA, unitedB], cellOf: cellOf)
    }

    /// Demeans the vectors of the blocks `read` returns: one pass for the cells' weights and
    /// the group sums (segment by segment, folded in segment order over every process), then
    /// `FixedEffectAbsorber.twoWaySweeps` per vector (one task each).
    func demean(_ segments: RowSegments, design: DesignBlocks, vectors: Int, starts: [[[Double]]?], tolerance: Double,
                levelCounts: [Int], read: (Int) throws(ModelError) -> AbsorberBlock) throws(ModelError) -> (outcomes: [CoefficientSpaceAbsorber.Outcome], groupWeights: [[Double]]) {
        let na = levelCounts[0], nb = levelCounts[1]
        let dense = 2 * vectors * (na + nb)
        var cellWeights = [Double](repeating: 0, count: count)
        // Flat per-vector sums (vector j's level l at j·K + l): A sums, B sums, A magnitudes, B magnitudes.
        var totals = [Double](repeating: 0, count: dense)
        let scratch = SegmentScratch(cells: count)
        try segments.fold({ k throws(ModelError) -> [Double] in
            var part = [Double](repeating: 0, count: dense)
            for b in design.blocks(inSegment: k) {
                let block = try read(b)
                let cells = try cellOf.read(b, count: block.count)[0]
                addSums(block, cells: cells, vectors: vectors, na: na, nb: nb, into: &part, cellWeights: scratch)
            }
            part += scratch.drain()
            return part
        }, into: { p in
            // Through buffers: element by element, the captured arrays would be checked for
            // exclusive access at every addition.
            p.withUnsafeBufferPointer { part in
                totals.withUnsafeMutableBufferPointer { t in for e in 0..<dense { t[e] += part[e] } }
                cellWeights.withUnsafeMutableBufferPointer { cw in
                    var e = dense
                    while e < part.count { cw[Int(part[e])] += part[e + 1]; e += 2 }
                }
            }
        })
        let va = vectors * na, vb = vectors * nb
        let sums = (0..<vectors).map { j in [Array(totals[(j * na)..<((j + 1) * na)]), Array(totals[(va + j * nb)..<(va + (j + 1) * nb)])] }
        let magnitudes = (0..<vectors).map { j in
            [Array(totals[(va + vb + j * na)..<(va + vb + (j + 1) * na)]), Array(totals[(2 * va + vb + j * nb)..<(2 * va + vb + (j + 1) * nb)])]
        }
        var groupWeights = levelCounts.map { [Double](repeating: 0, count: $0) }
        for c in 0..<count {
            groupWeights[0][Int(levels[0][c])] += cellWeights[c]
            groupWeights[1][Int(levels[1][c])] += cellWeights[c]
        }
        let weights = cellWeights, groupTotals = groupWeights, levels = self.levels
        let (s, m) = (sums, magnitudes)
        // Each process sweeps its share of the vectors (vector j on process j mod K), and the
        // processes then exchange the results: the sweeps are the same whoever runs them.
        let k = segments.processes, rank = segments.rank
        let mine = (0..<vectors).filter { $0 % k == rank }
        let swept = Parallel.map(mine.count) { task -> CoefficientSpaceAbsorber.Outcome in
            let j = mine[task]
            let o = FixedEffectAbsorber.twoWaySweeps(levels: levels, cellWeights: weights, groupWeights: groupTotals, vector: (s[j], m[j]),
                                                     start: j < starts.count ? starts[j] : nil, tolerance: tolerance, maximumSweeps: 10_000)
            return CoefficientSpaceAbsorber.Outcome(coefficients: o.coefficients, sweeps: o.sweeps, converged: o.converged)
        }
        guard segments.isShared else { return (swept, groupWeights) }
        return (try Self.exchanged(swept, vectors: vectors, levelCounts: levelCounts, segments: segments), groupWeights)
    }

    /// Every vector's sweeps, from the process that ran them (`mine`, this process's share in
    /// order: vectors rank, rank + K, …).
    static func exchanged(_ mine: [CoefficientSpaceAbsorber.Outcome], vectors: Int, levelCounts: [Int],
                          segments: RowSegments) throws(ModelError) -> [CoefficientSpaceAbsorber.Outcome] {
        var bytes: [UInt8] = []
        for o in mine { RowSegments.append([Double(o.sweeps), o.converged ? 1 : 0] + o.coefficients.flatMap { $0 }, to: &bytes) }
        let all = try segments.exchange(bytes)
        let k = all.count
        var offsets = [Int](repeating: 0, count: k)
        return (0..<vectors).map { j in
            let flat = RowSegments.readDoubles(all[j % k], at: &offsets[j % k])
            var e = 2
            let coefficients = levelCounts.map { n -> [Double] in defer { e += n }; return Array(flat[e..<(e + n)]) }
            return CoefficientSpaceAbsorber.Outcome(coefficients: coefficients, sweeps: Int(flat[0]), converged: flat[1] == 1)
        }
    }

    /// A block's group sums and magnitudes added into `part` (laid out as in `demean`) and its
    /// cells' weights into the segment's scratch: one task for the weights and one per vector,
    /// each adding into its own entries in row order, the same bits whatever the number of cores.
    private func addSums(_ block: AbsorberBlock, cells: [Int32], vectors: Int, na: Int, nb: Int, into part: inout [Double],
                         cellWeights scratch: SegmentScratch) {
        let n = block.count
        let w = block.weights ?? [Double](repeating: 1, count: n)
        let va = vectors * na, vb = vectors * nb
        part.withUnsafeMutableBufferPointer { p in
            let base = SharedBuffer(p.baseAddress!)
            _ = Parallel.map(vectors + 1) { task -> Bool in
                if task == vectors { scratch.add(cells, weights: w); return true }
                let ca = block.codes[0], cb = block.codes[1]
                let v = block.vectors[task], offA = task * na, offB = va + task * nb, magA = va + vb + task * na, magB = 2 * va + vb + task * nb
                for i in 0..<n {
                    let x = w[i] * v[i], ax = abs(x), a = Int(ca[i]), c = Int(cb[i])
                    base[offA + a] += x; base[offB + c] += x; base[magA + a] += ax; base[magB + c] += ax
                }
                return true
            }
        }
    }
}

/// The cells' weights of one segment: added densely (one entry a cell, reused from segment
/// to segment), with the list of the cells touched, so that a segment's sums are handed on
/// sparsely (cell, weight) and cleared in time proportional to its rows.
final class SegmentScratch: @unchecked Sendable {
    // Raw memory, not arrays: the hot loop adds into it row by row, and a class's array
    // properties would be checked for exclusive access at every element.
    private let cells: Int
    private let weights: UnsafeMutablePointer<Double>
    private let touched: UnsafeMutablePointer<Bool>
    private var list: [Int32] = []

    init(cells: Int) {
        self.cells = cells
        weights = .allocate(capacity: max(cells, 1))
        weights.initialize(repeating: 0, count: max(cells, 1))
        touched = .allocate(capacity: max(cells, 1))
        touched.initialize(repeating: false, count: max(cells, 1))
    }

    deinit {
        weights.deallocate()
        touched.deallocate()
    }

    func add(_ cells: [Int32], weights w: [Double]) {
        let weights = self.weights, touched = self.touched
        var fresh = list
        list = []
        cells.withUnsafeBufferPointer { c in
            w.withUnsafeBufferPointer { w in
                for i in 0..<c.count {
                    let k = Int(c[i])
                    if !touched[k] { touched[k] = true; fresh.append(c[i]) }
                    weights[k] += w[i]
                }
            }
        }
        list = fresh
    }

    /// The segment's (cell, weight) pairs, flat, in order of first touch; the scratch cleared.
    func drain() -> [Double] {
        let weights = self.weights, touched = self.touched
        let out = [Double](unsafeUninitializedCapacity: 2 * list.count) { buffer, count in
            list.withUnsafeBufferPointer { l in
                for (m, c) in l.enumerated() {
                    let k = Int(c)
                    buffer[2 * m] = Double(c)
                    buffer[2 * m + 1] = weights[k]
                    weights[k] = 0
                    touched[k] = false
                }
            }
            count = 2 * list.count
        }
        list.removeAll(keepingCapacity: true)
        return out
    }
}
