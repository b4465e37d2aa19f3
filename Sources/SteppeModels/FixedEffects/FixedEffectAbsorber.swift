import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// Partials fixed effects out of vectors: the within transformation, by alternating
/// projections with Irons–Tuck acceleration, in the space of the fixed-effect coefficients.
///
/// For groupings g = 1…G with codes cᵍᵢ and weights wᵢ, `demean(v)` finds coefficients
/// α minimising Σᵢ wᵢ(vᵢ − Σ_g αᵍ[cᵍᵢ])² and returns the residual ṽ = v − Σ_g αᵍ[cᵍ] and α.
/// One sweep updates each grouping in turn to the weighted group means of the current
/// residual (block Gauss–Seidel), one pass over the data per grouping; after every second
/// sweep, unless the change is already shrinking tenfold per sweep, the Irons–Tuck
/// extrapolation X − (δ₂·Δ²/Δ²·Δ²)·δ₂ is applied to the coefficients, as fixest does,
/// which turns the slow geometric convergence of two weakly connected groupings into a
/// few dozen sweeps. One grouping needs a single sweep (exact group means).
///
/// Convergence, level by level: stop when every group's update in a sweep, weighted by
/// the group, is small against the group's own weighted magnitude,
/// W_l·|Δα_l| ≤ `tolerance`·(A_l + W_l·m), with W_l = Σ_{i∈l} wᵢ, A_l = Σ_{i∈l} wᵢ|vᵢ| and
/// m = Σwᵢ|vᵢ|/Σwᵢ (W_l·|Δα_l| is the group's weighted residual sum, the gradient the sweep
/// removes). Default 1e-10, tighter than fixest's 1e-6 absolute, because coefficients and
/// standard errors are compared to references at 1e-8. A test against max|v| instead
/// (the rule before) failed on IRLS working responses: where μ̂ is near 0 with y > 0,
/// z = η + (y − μ)/μ reaches 1e19 with a weight of 1e-20, and 1e-10·max|z| let the heavy
/// groups stop 1e9 from their means (a PPML fit then cycled for 100 iterations).
///
/// Nothing here forms a dummy matrix: memory is the groupings' codes, their total
/// weights, and the vectors being demeaned.
public struct FixedEffectAbsorber: Sendable {
    /// The groupings absorbed.
    public let groupings: [Grouping]
    /// The weights (all 1 when `nil`).
    public let weights: [Double]?
    /// Σ wᵢ over each group of each grouping.
    let groupWeights: [[Double]]
    /// Convergence tolerance, relative to max|v|.
    public var tolerance: Double = 1e-10
    /// Upper limit on sweeps per vector.
    public var maximumSweeps: Int = 10_000

    /// With two groupings: their cells and each cell's total weight (see `TwoWayCells`).
    let cells: TwoWayCells?
    let cellWeights: [Double]

    /// Prepares the absorption of `groupings` with observation `weights`.
    public init(groupings: [Grouping], weights: [Double]? = nil) {
        self.init(groupings: groupings, weights: weights, cells: nil)
    }

    /// `init(groupings:weights:)` reusing the cells of an earlier absorber of the same groupings.
    init(groupings: [Grouping], weights: [Double]?, cells known: TwoWayCells?) {
        self.groupings = groupings
        self.weights = weights
        let cells = groupings.count == 2 ? (known ?? TwoWayCells(groupings[0], groupings[1])) : nil
        self.cells = cells
        if let cells {
            var cw = [Double](repeating: 0, count: cells.count)
            cells.cellOf.withUnsafeBufferPointer { co in
                cw.withUnsafeMutableBufferPointer { c in
                    if let w = weights {
                        w.withUnsafeBufferPointer { pw in for i in 0..<co.count { c[Int(co[i])] += pw[i] } }
                    } else {
                        for i in 0..<co.count { c[Int(co[i])] += 1 }
                    }
                }
            }
            self.cellWeights = cw
            // Group totals from the cell totals: a pass over the cells, not the observations.
            var wa = [Double](repeating: 0, count: groupings[0].levelCount)
            var wb = [Double](repeating: 0, count: groupings[1].levelCount)
            for c in 0..<cells.count {
                wa[Int(cells.levelA[c])] += cw[c]
                wb[Int(cells.levelB[c])] += cw[c]
            }
            self.groupWeights = [wa, wb]
            return
        } else {
            self.cellWeights = []
        }
        self.groupWeights = groupings.map { g in
            var s = [Double](repeating: 0, count: g.levelCount)
            if let w = weights {
                for (i, c) in g.codes.enumerated() { s[Int(c)] += w[i] }
            } else {
                for c in g.codes { s[Int(c)] += 1 }
            }
            return s
        }
    }

    /// The observations.
    public var observations: Int { groupings.first?.codes.count ?? 0 }

    /// The outcome of demeaning one vector.
    public struct Result: Sendable {
        /// v minus its fixed-effect fit.
        public var residual: [Double]
        /// The fixed-effect coefficients, one array per grouping (not normalised).
        public var coefficients: [[Double]]
        /// Sweeps taken.
        public var sweeps: Int
        /// Whether the tolerance was met.
        public var converged: Bool
    }

    /// Demeans `v`, starting from `start` coefficients when given (a warm start from a previous, similar vector).
    ///
    /// Passes over the data are fused: the subtraction of one grouping's update and the
    /// group sums of the next share a pass, and the last grouping's subtraction carries the
    /// first grouping's sums into the next sweep, so a sweep costs G passes, not 2G.
    /// Complexity: O(n·G) per sweep.
    public func demean(_ v: [Double], start: [[Double]]? = nil) -> Result {
        demean(v, start: start, tolerance: tolerance)
    }

    /// `demean(_:start:)` with another tolerance (IRLS loosens it in early iterations).
    public func demean(_ v: [Double], start: [[Double]]?, tolerance: Double) -> Result {
        var outcome: Outcome? = nil
        let residual = [Double](unsafeUninitializedCapacity: v.count) { out, count in
            v.withUnsafeBufferPointer { input in
                outcome = demean(input: input, output: out, start: start, tolerance: tolerance)
            }
            count = v.count
        }
        let o = outcome!
        return Result(residual: residual, coefficients: o.coefficients, sweeps: o.sweeps, converged: o.converged)
    }

    /// What a demeaning found besides the residual: the coefficients, sweeps and convergence.
    struct Outcome: Sendable {
        var coefficients: [[Double]]
        var sweeps: Int
        var converged: Bool
    }

    /// Demeans `input` into `output` (both n long, not overlapping; every element of
    /// `output` is written): the core of every `demean`, on buffers so that columns of a
    /// matrix are read and written in place, without copies.
    func demean(input v: UnsafeBufferPointer<Double>, output e: UnsafeMutableBufferPointer<Double>,
                start: [[Double]]?, tolerance: Double) -> Outcome {
        let n = v.count
        if n == 0 { return Outcome(coefficients: start ?? groupings.map { [Double](repeating: 0, count: $0.levelCount) }, sweeps: 0, converged: true) }
        if cells != nil { return demeanTwoWay(input: v, output: e, start: start, tolerance: tolerance) }
        let gCount = groupings.count
        for i in 0..<n { e[i] = v[i] }
        if gCount == 0 { return Outcome(coefficients: [], sweeps: 0, converged: true) }
        let alpha = start ?? groupings.map { [Double](repeating: 0, count: $0.levelCount) }
        var state = SweepState(v: v, e: e, groupings: groupings, weights: weights, groupWeights: groupWeights,
                               alpha: alpha, sums: groupings.map { [Double](repeating: 0, count: $0.levelCount) })
        if gCount > 1 { state.measureMagnitudes() }
        if start != nil { state.recompute() }
        if gCount == 1 {
            _ = state.sweep()
            return Outcome(coefficients: state.alpha, sweeps: 1, converged: true)
        }
        return acceleratedSweeps(&state, threshold: tolerance)
    }

    /// Pairs of Gauss–Seidel sweeps X₀ → X₁ = F(X₀) → X₂ = F(X₁), each pair followed by
    /// the Irons–Tuck extrapolation of the coefficients (and the residual recomputed for
    /// them) unless the change already shrinks tenfold per sweep; until a sweep's largest
    /// relative update (see the type's comment) is at most `threshold` or `maximumSweeps`
    /// are taken.
    ///
    /// An extrapolation is kept only if it does not raise the weighted sum of squared
    /// residuals Σwᵢeᵢ², which each Gauss–Seidel sweep can only lower: otherwise the
    /// coefficients go back to X₂. Unguarded, the extrapolations on a 7-row problem with
    /// three groupings raised it a little every time and the sweeps never converged.
    private func acceleratedSweeps(_ state: inout SweepState, threshold: Double) -> Outcome {
        var sweeps = 0
        while sweeps < maximumSweeps {
            // Irons–Tuck on X₀ → X₁ = F(X₀) → X₂ = F(X₁).
            let x0 = state.alpha
            let first = state.sweep(); sweeps += 1
            if first <= threshold { return Outcome(coefficients: state.alpha, sweeps: sweeps, converged: true) }
            let x1 = state.alpha
            let second = state.sweep(); sweeps += 1
            if second <= threshold { return Outcome(coefficients: state.alpha, sweeps: sweeps, converged: true) }
            // Converging fast already (each sweep shrinks the change tenfold or more): the
            // extrapolation would cost a pass over the data and save less.
            if second <= 0.1 * first { continue }
            // The residual for the extrapolated coefficients, in one pass; back to X₂ if it is worse.
            let x2 = state.alpha, before = state.squaredResiduals
            guard Self.ironsTuck(&state.alpha, x0: x0, x1: x1) else { continue }
            state.recompute()
            if state.squaredResiduals > before {
                state.alpha = x2
                state.recompute()
            }
        }
        return Outcome(coefficients: state.alpha, sweeps: sweeps, converged: false)
    }

    /// Two groupings: the same alternating projections and acceleration, in the space of
    /// the coefficients, one pass over the cells per half-sweep (see `TwoWayCells`).
    func demeanTwoWay(input pv: UnsafeBufferPointer<Double>, output pe: UnsafeMutableBufferPointer<Double>,
                      start: [[Double]]?, tolerance: Double) -> Outcome {
        let n = pv.count
        let sums = twoWaySums([SharedBuffer(UnsafeMutablePointer(mutating: pv.baseAddress!))], rows: 0..<n)
        let outcome = twoWaySweeps(sums.vector(0), start: start, tolerance: tolerance)
        twoWayResiduals([SharedBuffer(UnsafeMutablePointer(mutating: pv.baseAddress!))], [SharedBuffer(pe.baseAddress!)],
                        coefficients: [outcome.coefficients], rows: 0..<n)
        return outcome
    }

    /// Per vector and grouping, the weighted group sums Σ_{i∈l} wᵢvᵢ (`sums[j][g]`) and
    /// absolute sums Σ_{i∈l} wᵢ|vᵢ| (`magnitudes[j][g]`, the scale of the convergence test).
    struct TwoWaySums {
        var sums: [[[Double]]]
        var magnitudes: [[[Double]]]
        /// Vector j's sums and magnitudes.
        func vector(_ j: Int) -> (sums: [[Double]], magnitudes: [[Double]]) { (sums[j], magnitudes[j]) }
        /// Adds `other` (sums over other rows) to these, in place.
        mutating func add(_ other: TwoWaySums) {
            for j in sums.indices {
                for g in 0..<2 {
                    for l in sums[j][g].indices {
                        sums[j][g][l] += other.sums[j][g][l]
                        magnitudes[j][g][l] += other.magnitudes[j][g][l]
                    }
                }
            }
        }
    }

    /// The weighted group sums and absolute sums of each vector over `rows`.
    func twoWaySums(_ inputs: [SharedBuffer], rows: Range<Int>) -> TwoWaySums {
        let na = groupings[0].levelCount, nb = groupings[1].levelCount
        var out = TwoWaySums(sums: [], magnitudes: [])
        groupings[0].codes.withUnsafeBufferPointer { pa in
            groupings[1].codes.withUnsafeBufferPointer { pb in
                for v in inputs {
                    var sa = [Double](repeating: 0, count: na), sb = [Double](repeating: 0, count: nb)
                    var ma = sa, mb = sb
                    sa.withUnsafeMutableBufferPointer { a in
                        sb.withUnsafeMutableBufferPointer { b in
                            ma.withUnsafeMutableBufferPointer { am in
                                mb.withUnsafeMutableBufferPointer { bm in
                                    if let weights {
                                        weights.withUnsafeBufferPointer { w in
                                            for i in rows {
                                                let x = w[i] * v[i], ax = abs(x), ca = Int(pa[i]), cb = Int(pb[i])
                                                a[ca] += x; b[cb] += x; am[ca] += ax; bm[cb] += ax
                                            }
                                        }
                                    } else {
                                        for i in rows {
                                            let x = v[i], ax = abs(x), ca = Int(pa[i]), cb = Int(pb[i])
                                            a[ca] += x; b[cb] += x; am[ca] += ax; bm[cb] += ax
                                        }
                                    }
                                }
                            }
                        }
                    }
                    out.sums.append([sa, sb]); out.magnitudes.append([ma, mb])
                }
            }
        }
        return out
    }

    /// outputs[j][i] = inputs[j][i] − α_j[c_A(i)] − γ_j[c_B(i)] over `rows`.
    func twoWayResiduals(_ inputs: [SharedBuffer], _ outputs: [SharedBuffer], coefficients: [[[Double]]], rows: Range<Int>) {
        groupings[0].codes.withUnsafeBufferPointer { pa in
            groupings[1].codes.withUnsafeBufferPointer { pb in
                for (j, v) in inputs.enumerated() {
                    let e = outputs[j]
                    coefficients[j][0].withUnsafeBufferPointer { a in
                        coefficients[j][1].withUnsafeBufferPointer { g in
                            for i in rows { e[i] = v[i] - (a[Int(pa[i])] + g[Int(pb[i])]) }
                        }
                    }
                }
            }
        }
    }

    /// The sweeps of the two-way demeaning of one vector, from its weighted group sums and
    /// absolute sums (`TwoWaySums.vector`): α and γ, sweeps taken, convergence.
    func twoWaySweeps(_ vector: (sums: [[Double]], magnitudes: [[Double]]), start: [[Double]]?, tolerance: Double) -> Outcome {
        guard let cells else { preconditionFailure("two-way sweeps need the cells of two groupings") }
        return Self.twoWaySweeps(levels: [cells.levelA, cells.levelB], cellWeights: cellWeights, groupWeights: groupWeights,
                                 vector: vector, start: start, tolerance: tolerance, maximumSweeps: maximumSweeps)
    }

    /// `twoWaySweeps(_:start:tolerance:)` from the cells' levels (`levels[0]` in A, `levels[1]`
    /// in B) and total weights and the groups' total weights: all it needs, so that an
    /// out-of-core fit, which has no codes in memory, runs the same sweeps.
    static func twoWaySweeps(levels: [[Int32]], cellWeights: [Double], groupWeights: [[Double]],
                             vector: (sums: [[Double]], magnitudes: [[Double]]), start: [[Double]]?, tolerance: Double,
                             maximumSweeps: Int) -> Outcome {
        let na = groupWeights[0].count, nb = groupWeights[1].count
        let threshold = tolerance
        // coef[0] = α (grouping A), coef[1] = γ (grouping B).
        var coef = [start?[0] ?? [Double](repeating: 0, count: na), start?[1] ?? [Double](repeating: 0, count: nb)]
        let sums = vector.sums
        let scales = Self.testScales(vector.magnitudes, groupWeights: groupWeights)
        var cross = [Double](repeating: 0, count: max(na, nb))

        /// One sweep: α from γ, then γ from α, each coef[g]_l = (S_l − Σ_{c∋l} W_c coef[1−g]_other(c)) / W_l;
        /// returns the largest W_l·|Δ_l|/(A_l + W_l·m).
        func sweep() -> Double {
            var change = 0.0
            for g in 0..<2 {
                let count = g == 0 ? na : nb
                let totals = groupWeights[g], s = sums[g], scale = scales[g]
                cross.withUnsafeMutableBufferPointer { x in
                    for l in 0..<count { x[l] = 0 }
                    levels[g].withUnsafeBufferPointer { mine in
                        levels[1 - g].withUnsafeBufferPointer { other in
                            cellWeights.withUnsafeBufferPointer { cw in
                                coef[1 - g].withUnsafeBufferPointer { c in
                                    for k in 0..<cw.count { x[Int(mine[k])] += cw[k] * c[Int(other[k])] }
                                }
                            }
                        }
                    }
                    var largest = 0.0
                    coef[g].withUnsafeMutableBufferPointer { c in
                        for l in 0..<count where totals[l] > 0 {
                            let new = (s[l] - x[l]) / totals[l]
                            largest = max(largest, totals[l] * abs(new - c[l]) / scale[l])
                            c[l] = new
                        }
                    }
                    change = max(change, largest)
                }
            }
            return change
        }

        var sweeps = 0
        while sweeps < maximumSweeps {
            let x0 = coef
            let first = sweep(); sweeps += 1
            if first <= threshold { return Outcome(coefficients: coef, sweeps: sweeps, converged: true) }
            let x1 = coef
            let second = sweep(); sweeps += 1
            if second <= threshold { return Outcome(coefficients: coef, sweeps: sweeps, converged: true) }
            if second <= 0.1 * first { continue }
            // Irons–Tuck on (α, γ): no pass over the data needed.
            _ = Self.ironsTuck(&coef, x0: x0, x1: x1)
        }
        return Outcome(coefficients: coef, sweeps: sweeps, converged: false)
    }

    /// Demeans the vectors at `inputs` into `outputs` (each `rows` > 0 long, not
    /// overlapping; the caller keeps the memory alive), each from its warm start.
    ///
    /// With two groupings (cells), the passes over the observations are shared: the rows
    /// are split into `Parallel.chunks`, and each chunk gathers every vector's group sums,
    /// and later writes every vector's residual, while its codes and weights sit in cache
    /// (read from memory once per chunk, not once per vector); the chunks' sums are added
    /// in chunk order, so the result does not depend on the number of cores. The sweeps,
    /// over the cells, run one task per vector. Otherwise, one task per vector.
    func demean(inputs: [SharedBuffer], outputs: [SharedBuffer], rows: Int, starts: [[[Double]]?], tolerance: Double) -> [Outcome] {
        let count = inputs.count
        guard cells != nil, count > 0 else {
            return Parallel.map(count) { j in
                demean(input: UnsafeBufferPointer(start: inputs[j].base, count: rows),
                       output: UnsafeMutableBufferPointer(start: outputs[j].base, count: rows),
                       start: starts[j], tolerance: tolerance)
            }
        }
        let partial = Parallel.chunks(rows) { range in twoWaySums(inputs, rows: range) }
        var total = partial[0]
        for p in partial.dropFirst() { total.add(p) }
        let sums = total
        let outcomes = Parallel.map(count) { j in twoWaySweeps(sums.vector(j), start: starts[j], tolerance: tolerance) }
        let coefficients = outcomes.map(\.coefficients)
        _ = Parallel.chunks(rows) { range in twoWayResiduals(inputs, outputs, coefficients: coefficients, rows: range) }
        return outcomes
    }

    /// A_l + W_l·m per grouping and level from the absolute sums A (m = Σ_l A_l/Σ_l W_l over
    /// the first grouping), floored at the least normal double so that the test never divides by 0.
    static func testScales(_ magnitudes: [[Double]], groupWeights: [[Double]]) -> [[Double]] {
        let total = groupWeights[0].reduce(0, +), mass = magnitudes[0].reduce(0, +)
        let m = total > 0 && mass > 0 ? mass / total : Double.leastNormalMagnitude
        return zip(magnitudes, groupWeights).map { a, w in
            zip(a, w).map { max($0 + $1 * m, Double.leastNormalMagnitude) }
        }
    }

    /// Irons–Tuck extrapolation of X₀ → X₁ = F(X₀) → X₂ = F(X₁) (X₂ is `x` on entry):
    /// x ← X₂ − (δ₂·Δ²/Δ²·Δ²)·δ₂ with δ₂ = X₂ − X₁, Δ² = δ₂ − (X₁ − X₀). Returns whether it
    /// was applied (not when Δ² vanishes or the ratio is not finite).
    static func ironsTuck(_ x: inout [[Double]], x0: [[Double]], x1: [[Double]]) -> Bool {
        var num = 0.0, den = 0.0
        for g in 0..<x.count {
            for l in 0..<x[g].count {
                let d2 = x[g][l] - x1[g][l], dd = d2 - (x1[g][l] - x0[g][l])
                num += d2 * dd; den += dd * dd
            }
        }
        guard den > 0, (num / den).isFinite else { return false }
        let ratio = num / den
        for g in 0..<x.count { for l in 0..<x[g].count { x[g][l] -= ratio * (x[g][l] - x1[g][l]) } }
        return true
    }

    /// Demeans each column of `x`; returns the demeaned matrix and whether all converged.
    ///
    /// - Parameter starts: per-column warm starts (from a previous call), or `nil`.
    public func demean(columns x: Matrix, starts: [[[Double]]]? = nil) -> (Matrix, [[[Double]]], converged: Bool, sweeps: Int) {
        demean(columns: x, starts: starts, tolerance: tolerance)
    }

    /// `demean(columns:starts:)` with another tolerance. Columns are demeaned together
    /// (`demean(inputs:outputs:rows:starts:tolerance:)`), each read from X and written into
    /// the result in place.
    public func demean(columns x: Matrix, starts: [[[Double]]]?, tolerance: Double) -> (Matrix, [[[Double]]], converged: Bool, sweeps: Int) {
        let (out, outcomes) = demeanColumns(x, starts: starts, tolerance: tolerance)
        return (out, outcomes.map(\.coefficients), outcomes.allSatisfy(\.converged), outcomes.map(\.sweeps).max() ?? 0)
    }

    /// Demeans several vectors (each of `observations` elements) together, each from its own
    /// warm start; results in the vectors' order.
    public func demean(vectors: [[Double]], starts: [[[Double]]?], tolerance: Double) -> [Result] {
        precondition(vectors.allSatisfy { $0.count == observations }, "every vector needs one element per observation")
        guard !vectors.isEmpty else { return [] }
        let x = try! Matrix(rows: observations, columns: vectors.count, columnMajor: vectors.flatMap { $0 })
        let (out, outcomes) = demeanColumns(x, starts: (0..<vectors.count).map { $0 < starts.count ? starts[$0] : nil }, tolerance: tolerance)
        return outcomes.enumerated().map { j, o in
            Result(residual: Array(out.column(j)), coefficients: o.coefficients, sweeps: o.sweeps, converged: o.converged)
        }
    }

    /// The columns of `x` demeaned into a new matrix, and each column's outcome.
    private func demeanColumns(_ x: Matrix, starts: [[[Double]]?]?, tolerance: Double) -> (Matrix, [Outcome]) {
        var out = Matrix(rows: x.rows, columns: x.columns)
        guard x.rows > 0, x.columns > 0 else {
            let empty = groupings.map { [Double](repeating: 0, count: $0.levelCount) }
            return (out, Array(repeating: Outcome(coefficients: empty, sweeps: 0, converged: true), count: x.columns))
        }
        let outcomes = out.withUnsafeMutableBufferPointer { po in
            x.withUnsafeBufferPointer { px in
                let input = UnsafeMutablePointer(mutating: px.baseAddress!), output = po.baseAddress!
                return demean(inputs: (0..<x.columns).map { SharedBuffer(input + $0 * x.rows) },
                              outputs: (0..<x.columns).map { SharedBuffer(output + $0 * x.rows) },
                              rows: x.rows, starts: (0..<x.columns).map { starts?[$0] ?? nil }, tolerance: tolerance)
            }
        }
        return (out, outcomes)
    }
}

/// The demeaning of one vector v over groupings other than two (whose cells take the
/// two-way path): the residual e = v − Σ_g αᵍ[cᵍ] (written in the output buffer), the
/// coefficients α, and per grouping a buffer of group sums (or of the last update).
private struct SweepState {
    let v: UnsafeBufferPointer<Double>
    let e: UnsafeMutableBufferPointer<Double>
    let groupings: [Grouping]
    let weights: [Double]?
    /// Σ wᵢ over each group of each grouping.
    let groupWeights: [[Double]]
    var alpha: [[Double]]
    var sums: [[Double]]
    /// Whether sums[0] already holds the group sums of the current residual.
    var firstSumsReady = false
    /// Per grouping and level, A_l + W_l·m: the scale of the convergence test (see
    /// `FixedEffectAbsorber`); set by `measureMagnitudes`.
    var magnitudes: [[Double]] = []
    /// Σwᵢeᵢ² of the current residual, after `recompute` or a sweep.
    var squaredResiduals = Double.infinity

    /// A_l = Σ_{i∈l} wᵢ|vᵢ| for every level of every grouping, and m = Σwᵢ|vᵢ|/Σwᵢ: one pass
    /// per grouping, once per vector.
    mutating func measureMagnitudes() {
        let v = self.v, n = v.count, weights = self.weights
        magnitudes = groupings.map { g in
            var a = [Double](repeating: 0, count: g.levelCount)
            g.codes.withUnsafeBufferPointer { c in
                if let weights {
                    weights.withUnsafeBufferPointer { w in for i in 0..<n { a[Int(c[i])] += w[i] * abs(v[i]) } }
                } else {
                    for i in 0..<n { a[Int(c[i])] += abs(v[i]) }
                }
            }
            return a
        }
        magnitudes = FixedEffectAbsorber.testScales(magnitudes, groupWeights: groupWeights)
    }

    /// e ← v − Σ_g α_g[c_g], its Σwe², and sums[0] from it, in one pass.
    mutating func recompute() {
        let v = self.v, e = self.e, n = v.count
        for i in 0..<n { e[i] = v[i] }
        for g in 0..<groupings.count {
            alpha[g].withUnsafeBufferPointer { a in
                groupings[g].codes.withUnsafeBufferPointer { c in
                    for i in 0..<n { e[i] -= a[Int(c[i])] }
                }
            }
        }
        scatter(into: 0)
        firstSumsReady = true
    }

    /// One Gauss–Seidel sweep over the groupings, each α_g += Δ_g with Δ_g[l] = Σ_{i∈l} wᵢeᵢ / Σ_{i∈l} wᵢ
    /// (the weighted group means of the current residual), e updated after each; returns the
    /// largest |Σ_{i∈l} wᵢeᵢ|/(A_l + W_l·m) over the levels of all groupings.
    mutating func sweep() -> Double {
        if !firstSumsReady { scatter(into: 0) }
        let gCount = groupings.count
        var change = 0.0
        for g in 0..<gCount {
            // Update α_g by the weighted group means of the residual.
            var largest = 0.0
            let totals = groupWeights[g], scale = g < magnitudes.count ? magnitudes[g] : []
            sums[g].withUnsafeMutableBufferPointer { d in
                alpha[g].withUnsafeMutableBufferPointer { a in
                    for l in 0..<d.count {
                        if !scale.isEmpty { largest = max(largest, abs(d[l]) / scale[l]) }
                        let step = totals[l] > 0 ? d[l] / totals[l] : 0
                        d[l] = step
                        a[l] += step
                    }
                }
            }
            change = max(change, largest)
            // Subtract it, and gather the next grouping's sums (the first's, for the next sweep) in the same pass.
            let next = (g + 1) % gCount
            subtractAndScatter(g, next)
        }
        firstSumsReady = true
        return change
    }

    /// sums[g] ← Σ w e over each group of grouping g, and `squaredResiduals` ← Σwe².
    mutating func scatter(into g: Int) {
        let n = v.count, e = self.e, weights = self.weights
        let codes = groupings[g].codes
        var ssr = 0.0
        sums[g].withUnsafeMutableBufferPointer { s in
            for l in 0..<s.count { s[l] = 0 }
            codes.withUnsafeBufferPointer { c in
                if let weights {
                    weights.withUnsafeBufferPointer { w in
                        for i in 0..<n { let we = w[i] * e[i]; s[Int(c[i])] += we; ssr += we * e[i] }
                    }
                } else {
                    for i in 0..<n { s[Int(c[i])] += e[i]; ssr += e[i] * e[i] }
                }
            }
        }
        squaredResiduals = ssr
    }

    /// e ← e − sums[g][c_g] (sums[g] holds the update), then sums[next] ← group sums of e,
    /// and `squaredResiduals` ← Σwe² of the new e.
    mutating func subtractAndScatter(_ g: Int, _ next: Int) {
        let n = v.count, e = self.e, weights = self.weights
        var ssr = 0.0
        let d = sums[g]
        let codesG = groupings[g].codes, codesNext = groupings[next].codes
        sums[next].withUnsafeMutableBufferPointer { s in
            for l in 0..<s.count { s[l] = 0 }
            d.withUnsafeBufferPointer { pd in
                codesG.withUnsafeBufferPointer { cg in
                    codesNext.withUnsafeBufferPointer { cn in
                        if let weights {
                            weights.withUnsafeBufferPointer { w in
                                for i in 0..<n {
                                    let r = e[i] - pd[Int(cg[i])], wr = w[i] * r
                                    e[i] = r
                                    s[Int(cn[i])] += wr
                                    ssr += wr * r
                                }
                            }
                        } else {
                            for i in 0..<n {
                                let r = e[i] - pd[Int(cg[i])]
                                e[i] = r
                                s[Int(cn[i])] += r
                                ssr += r * r
                            }
                        }
                    }
                }
            }
        }
        squaredResiduals = ssr
    }
}
