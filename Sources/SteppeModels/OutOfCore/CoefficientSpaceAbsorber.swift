@_spi(SteppeInternal) import SteppeNumerics

/// The rows of one block as an absorber pass reads them: the weights (all 1 when `nil`), the
/// vectors being demeaned, and the fixed-effect codes.
struct AbsorberBlock {
    var count: Int
    var weights: [Double]?
    var vectors: [[Double]]
    var codes: [[Int32]]
}

/// Fixed effects partialled out of several vectors out of core: the alternating projections
/// and Irons–Tuck acceleration of `FixedEffectAbsorber`, with the same sweeps, the same
/// acceleration schedule, the same guard and the same level-by-level convergence test, but
/// only the coefficients α in memory (ΣK_g per vector): the residual vᵢ − Σ_g α_g[c_gᵢ] is
/// formed from them as each block is read, never stored.
///
/// A sweep takes one pass over the blocks per grouping (the group sums of the residual
/// for the grouping being updated); all vectors share the passes, each at its own stage,
/// and a vector that has converged drops out. Sums run in block order and row order, so the
/// coefficients are the same for any chunking of the source and any number of threads.
///
/// Memory: per vector, α and the test scales (2·ΣK_g doubles) and the Irons–Tuck iterates
/// (3·ΣK_g); group weights ΣK_g; nothing per row.
struct CoefficientSpaceAbsorber {
    let levelCounts: [Int]
    var tolerance: Double
    var maximumSweeps = 10_000

    /// What the demeaning of one vector found: α per grouping, sweeps, convergence.
    struct Outcome {
        var coefficients: [[Double]]
        var sweeps: Int
        var converged: Bool
    }

    /// Demeans every vector of the blocks that `read` returns (the design's, segment by
    /// segment; every pass folded in segment order over all processes), each from its warm
    /// start; also returns the group weights.
    func demean(_ segments: RowSegments, design: DesignBlocks, vectors: Int, starts: [[[Double]]?],
                read: (Int) throws(ModelError) -> AbsorberBlock) throws(ModelError) -> (outcomes: [Outcome], groupWeights: [[Double]]) {
        let gCount = levelCounts.count
        let zeros = levelCounts.map { [Double](repeating: 0, count: $0) }
        guard gCount > 0 else { return (Array(repeating: Outcome(coefficients: [], sweeps: 0, converged: true), count: vectors), []) }
        var states = (0..<vectors).map { j in VectorSweeps(alpha: (j < starts.count ? starts[j] : nil) ?? zeros, groupings: gCount) }
        let (groupWeights, magnitudes, firstSums) = try firstPass(segments, design: design, vectors: vectors,
                                                                  alphas: states.map(\.alpha), read: read)
        for j in 0..<vectors {
            states[j].scales = FixedEffectAbsorber.testScales(magnitudes[j], groupWeights: groupWeights)
            states[j].receive(sums: firstSums[j].sums, squaredResiduals: firstSums[j].ssr, groupWeights: groupWeights, tolerance: tolerance,
                              maximumSweeps: maximumSweeps)
        }
        // Then passes until every vector is done, each serving every vector's request.
        while states.contains(where: { $0.request != nil }) {
            let active = states.indices.filter { states[$0].request != nil }
            let alphas = active.map { states[$0].alpha }, requests = active.map { states[$0].request! }
            let sizes = requests.map { levelCounts[$0] }
            var totals = sizes.map { [Double](repeating: 0, count: $0) }
            var ssr = [Double](repeating: 0, count: active.count)
            try segments.fold({ k throws(ModelError) -> [Double] in
                let boxes = sizes.map { SumsBox(count: $0) }
                var squares = [Double](repeating: 0, count: active.count)
                for b in design.blocks(inSegment: k) {
                    let block = try read(b)
                    let parts = Parallel.map(active.count) { m in
                        Self.addResidualSums(block, vector: active[m], alpha: alphas[m], grouping: requests[m], into: &boxes[m].values)
                    }
                    for m in 0..<active.count { squares[m] += parts[m] }
                }
                return boxes.flatMap(\.values) + squares
            }, into: { p in
                var e = 0
                for m in 0..<active.count {
                    Self.add(p[e..<(e + sizes[m])], into: &totals[m])
                    e += sizes[m]
                }
                for m in 0..<active.count { ssr[m] += p[e + m] }
            })
            for (m, j) in active.enumerated() {
                states[j].receive(sums: totals[m], squaredResiduals: ssr[m], groupWeights: groupWeights, tolerance: tolerance,
                                  maximumSweeps: maximumSweeps)
            }
        }
        return (states.map { Outcome(coefficients: $0.alpha, sweeps: $0.sweeps, converged: $0.converged) }, groupWeights)
    }

    /// The first pass: group weights, each vector's magnitudes, and its first grouping's sums
    /// and Σwe². One task per vector (and one for the weights) in each block, each adding
    /// into its own arrays in row order: the same bits whatever the number of cores.
    private func firstPass(_ segments: RowSegments, design: DesignBlocks, vectors: Int, alphas: [[[Double]]],
                           read: (Int) throws(ModelError) -> AbsorberBlock) throws(ModelError)
        -> (weights: [[Double]], magnitudes: [[[Double]]], sums: [(sums: [Double], ssr: Double)]) {
        final class FirstSums: @unchecked Sendable {
            var magnitudes: [[Double]]
            var sums: [Double]
            var ssr = 0.0
            init(_ zeros: [[Double]]) { magnitudes = zeros; sums = zeros[0] }
            var flat: [Double] { magnitudes.flatMap { $0 } + sums + [ssr] }
        }
        final class Weights: @unchecked Sendable { var totals: [[Double]]; init(_ z: [[Double]]) { totals = z } }
        let zeros = levelCounts.map { [Double](repeating: 0, count: $0) }
        let all = levelCounts.reduce(0, +), k0 = levelCounts[0]
        var weights = zeros, magnitudes = (0..<vectors).map { _ in zeros }
        var sums = (0..<vectors).map { _ in (sums: zeros[0], ssr: 0.0) }
        func add(_ flat: ArraySlice<Double>, into arrays: inout [[Double]]) {
            var e = flat.startIndex
            for g in arrays.indices { Self.add(flat[e..<(e + arrays[g].count)], into: &arrays[g]); e += arrays[g].count }
        }
        try segments.fold({ k throws(ModelError) -> [Double] in
            let first = (0..<vectors).map { _ in FirstSums(zeros) }, totals = Weights(zeros)
            for b in design.blocks(inSegment: k) {
                let block = try read(b)
                _ = Parallel.map(vectors + 1) { j -> Bool in
                    if j == vectors { Self.addWeights(block, into: &totals.totals); return true }
                    Self.addMagnitudes(block, vector: j, into: &first[j].magnitudes)
                    first[j].ssr += Self.addResidualSums(block, vector: j, alpha: alphas[j], grouping: 0, into: &first[j].sums)
                    return true
                }
            }
            return totals.totals.flatMap { $0 } + first.flatMap(\.flat)
        }, into: { p in
            add(p[0..<all], into: &weights)
            var e = all
            for j in 0..<vectors {
                add(p[e..<(e + all)], into: &magnitudes[j])
                Self.add(p[(e + all)..<(e + all + k0)], into: &sums[j].sums)
                sums[j].ssr += p[e + all + k0]
                e += all + k0 + 1
            }
        })
        return (weights, magnitudes, sums)
    }

    /// total[l] += part[l], through buffers (element by element, an array captured by a
    /// closure is checked for exclusive access at every addition).
    static func add(_ part: ArraySlice<Double>, into total: inout [Double]) {
        part.withUnsafeBufferPointer { p in
            total.withUnsafeMutableBufferPointer { t in for l in 0..<p.count { t[l] += p[l] } }
        }
    }

    /// W_g[l] += Σ_{i∈l} wᵢ over the block.
    static func addWeights(_ block: AbsorberBlock, into totals: inout [[Double]]) {
        for g in totals.indices {
            let codes = block.codes[g]
            totals[g].withUnsafeMutableBufferPointer { t in
                if let w = block.weights {
                    for i in 0..<block.count { t[Int(codes[i])] += w[i] }
                } else {
                    for i in 0..<block.count { t[Int(codes[i])] += 1 }
                }
            }
        }
    }

    /// A_g[l] += Σ_{i∈l} wᵢ|vᵢ| over the block, for vector `j`.
    static func addMagnitudes(_ block: AbsorberBlock, vector j: Int, into a: inout [[Double]]) {
        let v = block.vectors[j]
        for g in a.indices {
            let codes = block.codes[g]
            a[g].withUnsafeMutableBufferPointer { t in
                for i in 0..<block.count { t[Int(codes[i])] += (block.weights?[i] ?? 1) * abs(v[i]) }
            }
        }
    }

    /// S[l] += Σ_{i∈l} wᵢeᵢ over the levels l of grouping `g`, with eᵢ = vᵢ − Σ_h α_h[c_hᵢ]
    /// the residual of vector `j`; returns the block's Σwᵢeᵢ².
    static func addResidualSums(_ block: AbsorberBlock, vector j: Int, alpha: [[Double]], grouping g: Int,
                                into sums: inout [Double]) -> Double {
        let n = block.count, v = block.vectors[j]
        var e = v
        for h in alpha.indices {
            let codes = block.codes[h]
            alpha[h].withUnsafeBufferPointer { a in
                for i in 0..<n { e[i] -= a[Int(codes[i])] }
            }
        }
        var ssr = 0.0
        let codes = block.codes[g]
        sums.withUnsafeMutableBufferPointer { s in
            if let w = block.weights {
                for i in 0..<n { let we = w[i] * e[i]; s[Int(codes[i])] += we; ssr += we * e[i] }
            } else {
                for i in 0..<n { s[Int(codes[i])] += e[i]; ssr += e[i] * e[i] }
            }
        }
        return ssr
    }
}

/// The sweeps of one vector as a state machine driven by passes: it asks for the group
/// sums of its residual for one grouping (`request`), and `receive` takes them, updates α
/// and says what it needs next; `nil` when done. The order of updates, the Irons–Tuck
/// schedule and its guard, and the convergence test are `FixedEffectAbsorber`'s.
struct VectorSweeps {
    var alpha: [[Double]]
    let groupings: Int
    var scales: [[Double]] = []
    /// The grouping whose residual sums the next pass must bring; `nil` when done.
    var request: Int? = 0
    var sweeps = 0
    var converged = false
    /// The largest scaled update of the sweep under way, and of the pair's first sweep.
    private var change = 0.0
    private var firstChange = 0.0
    /// Whether the sweep under way is the second of its pair.
    private var secondOfPair = false
    /// Σwe² of the residual after the latest update (each projection lowers it by Σ_l S_l²/W_l).
    private var squaredResiduals = Double.infinity
    private var x0: [[Double]] = [], x1: [[Double]] = [], x2: [[Double]] = []
    /// Σwe² at X₂, when the pass under way checks an extrapolation against it.
    private var checking: Double? = nil

    init(alpha: [[Double]], groupings: Int) {
        self.alpha = alpha
        self.groupings = groupings
        self.x0 = alpha
    }

    mutating func receive(sums: [Double], squaredResiduals ssr: Double, groupWeights: [[Double]], tolerance: Double,
                          maximumSweeps: Int) {
        guard let g = request else { return }
        if let before = checking, g == 0 {
            checking = nil
            if ssr > before {
                // The extrapolation raised Σwe²: back to X₂, and this pass again for it.
                alpha = x2
                startPair()
                return
            }
        }
        // α_g += S/W; the scaled size of the update for the convergence test.
        let totals = groupWeights[g], scale = scales[g]
        var largest = 0.0, drop = 0.0
        for l in 0..<sums.count {
            largest = max(largest, abs(sums[l]) / scale[l])
            guard totals[l] > 0 else { continue }
            let step = sums[l] / totals[l]
            alpha[g][l] += step
            drop += sums[l] * step
        }
        squaredResiduals = ssr - drop
        change = max(change, largest)
        if g + 1 < groupings { request = g + 1; return }
        finishSweep(tolerance: tolerance, maximumSweeps: maximumSweeps)
    }

    private mutating func finishSweep(tolerance: Double, maximumSweeps: Int) {
        sweeps += 1
        let sweepChange = change
        change = 0
        if groupings == 1 || sweepChange <= tolerance { request = nil; converged = true; return }
        if sweeps >= maximumSweeps { request = nil; return }
        if !secondOfPair {
            firstChange = sweepChange
            x1 = alpha
            secondOfPair = true
            request = 0
            return
        }
        secondOfPair = false
        if sweepChange <= 0.1 * firstChange { startPair(); return }
        x2 = alpha
        let before = squaredResiduals
        if FixedEffectAbsorber.ironsTuck(&alpha, x0: x0, x1: x1) {
            checking = before
            x0 = alpha
            request = 0
        } else {
            startPair()
        }
    }

    private mutating func startPair() {
        x0 = alpha
        secondOfPair = false
        request = 0
    }
}
