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

    /// The cells of the design's two fixed effects, or nil when there are not two, or too many slots.
    static func build(_ design: DesignBlocks, levelCounts: [Int], directory: String) throws(ModelError) -> OutOfCoreCells? {
        guard levelCounts.count == 2, levelCounts[0] * levelCounts[1] <= maximumSlots, design.rows > 0 else { return nil }
        let nb = levelCounts[1]
        var slot = [Int32](repeating: -1, count: levelCounts[0] * nb)
        var levelA: [Int32] = [], levelB: [Int32] = []
        let cellOf = try RowScratch<Int32>(directory: directory, vectors: 1, rows: design.rows, blockRows: design.blockRows)
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
        return OutOfCoreCells(levels: [levelA, levelB], cellOf: cellOf)
    }

    /// Demeans the vectors of the blocks `read` returns: one pass for the cells' weights and
    /// the group sums, then `FixedEffectAbsorber.twoWaySweeps` per vector (one task each).
    func demean(blocks: Int, vectors: Int, starts: [[[Double]]?], tolerance: Double, levelCounts: [Int],
                read: (Int) throws(ModelError) -> AbsorberBlock) throws(ModelError) -> (outcomes: [CoefficientSpaceAbsorber.Outcome], groupWeights: [[Double]]) {
        var cellWeights = [Double](repeating: 0, count: count)
        let zeros = levelCounts.map { [Double](repeating: 0, count: $0) }
        let na = levelCounts[0], nb = levelCounts[1]
        // Flat per-vector sums (vector j's level l at j·K + l), so the hot loop indexes one buffer each.
        var sumsA = [Double](repeating: 0, count: vectors * na), sumsB = [Double](repeating: 0, count: vectors * nb)
        var magsA = sumsA, magsB = sumsB
        for b in 0..<blocks {
            let block = try read(b)
            let cells = try cellOf.read(b, count: block.count)[0]
            let n = block.count
            let w = block.weights ?? [Double](repeating: 1, count: n)
            // One task for the cells' weights and one per vector, each adding into its own
            // arrays in row order: the same bits whatever the number of cores.
            cellWeights.withUnsafeMutableBufferPointer { cw in
                sumsA.withUnsafeMutableBufferPointer { sa in
                    sumsB.withUnsafeMutableBufferPointer { sb in
                        magsA.withUnsafeMutableBufferPointer { ma in
                            magsB.withUnsafeMutableBufferPointer { mb in
                                let pcw = SharedBuffer(cw.baseAddress!), psa = SharedBuffer(sa.baseAddress!), psb = SharedBuffer(sb.baseAddress!)
                                let pma = SharedBuffer(ma.baseAddress!), pmb = SharedBuffer(mb.baseAddress!)
                                _ = Parallel.map(vectors + 1) { task -> Bool in
                                    let ca = block.codes[0], cb = block.codes[1]
                                    if task == vectors {
                                        for i in 0..<n { pcw[Int(cells[i])] += w[i] }
                                        return true
                                    }
                                    let v = block.vectors[task], offA = task * na, offB = task * nb
                                    for i in 0..<n {
                                        let x = w[i] * v[i], ax = abs(x), a = offA + Int(ca[i]), c = offB + Int(cb[i])
                                        psa[a] += x; psb[c] += x; pma[a] += ax; pmb[c] += ax
                                    }
                                    return true
                                }
                            }
                        }
                    }
                }
            }
        }
        let sums = (0..<vectors).map { j in [Array(sumsA[(j * na)..<((j + 1) * na)]), Array(sumsB[(j * nb)..<((j + 1) * nb)])] }
        let magnitudes = (0..<vectors).map { j in [Array(magsA[(j * na)..<((j + 1) * na)]), Array(magsB[(j * nb)..<((j + 1) * nb)])] }
        var groupWeights = zeros
        for c in 0..<count {
            groupWeights[0][Int(levels[0][c])] += cellWeights[c]
            groupWeights[1][Int(levels[1][c])] += cellWeights[c]
        }
        let weights = cellWeights, totals = groupWeights, levels = self.levels
        let (s, m) = (sums, magnitudes)
        let outcomes = Parallel.map(vectors) { j in
            FixedEffectAbsorber.twoWaySweeps(levels: levels, cellWeights: weights, groupWeights: totals, vector: (s[j], m[j]),
                                             start: j < starts.count ? starts[j] : nil, tolerance: tolerance, maximumSweeps: 10_000)
        }
        return (outcomes.map { CoefficientSpaceAbsorber.Outcome(coefficients: $0.coefficients, sweeps: $0.sweeps, converged: $0.converged) },
                groupWeights)
    }
}
