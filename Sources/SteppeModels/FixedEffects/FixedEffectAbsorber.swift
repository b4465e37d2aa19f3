import SteppeNumerics

/// Partials fixed effects out of vectors: the within transformation, by alternating
/// projections with Irons–Tuck acceleration, in the space of the fixed-effect coefficients.
///
/// For groupings g = 1…G with codes cᵍᵢ and weights wᵢ, `demean(v)` finds coefficients
/// α minimising Σᵢ wᵢ(vᵢ − Σ_g αᵍ[cᵍᵢ])² and returns the residual ṽ = v − Σ_g αᵍ[cᵍ] and α.
/// One sweep updates each grouping in turn to the weighted group means of the current
/// residual (block Gauss–Seidel), one pass over the data per grouping; every third sweep
/// applies the Irons–Tuck extrapolation X − (δ₂·Δ²/Δ²·Δ²)·δ₂ to the coefficients, as
/// fixest does, which turns the slow geometric convergence of two weakly connected
/// groupings into a few dozen sweeps. One grouping needs a single sweep (exact group means).
///
/// Convergence: stop when the largest coefficient change of a sweep, summed over the
/// groupings, is at most `tolerance`·max|v| (the most any residual can still move).
/// Default 1e-10, tighter than fixest's 1e-6 absolute, because coefficients and
/// standard errors are compared to references at 1e-8.
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

    /// Prepares the absorption of `groupings` with observation `weights`.
    public init(groupings: [Grouping], weights: [Double]? = nil) {
        self.groupings = groupings
        self.weights = weights
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
    /// Complexity: O(n·G) per sweep.
    public func demean(_ v: [Double], start: [[Double]]? = nil) -> Result {
        let n = v.count
        let gCount = groupings.count
        if gCount == 0 { return Result(residual: v, coefficients: [], sweeps: 0, converged: true) }
        var alpha = start ?? groupings.map { [Double](repeating: 0, count: $0.levelCount) }
        var e = v
        // e = v − Σ α[c]
        if start != nil {
            for g in 0..<gCount {
                let codes = groupings[g].codes, a = alpha[g]
                for i in 0..<n { e[i] -= a[Int(codes[i])] }
            }
        }
        let scale = max(v.reduce(0) { max($0, abs($1)) }, Double.leastNormalMagnitude)
        let threshold = tolerance * scale

        /// One Gauss–Seidel sweep; returns Σ_g max|Δαᵍ|.
        func sweep() -> Double {
            var change = 0.0
            for g in 0..<gCount {
                let codes = groupings[g].codes
                let totals = groupWeights[g]
                var sums = [Double](repeating: 0, count: totals.count)
                if let w = weights {
                    for i in 0..<n { sums[Int(codes[i])] += w[i] * e[i] }
                } else {
                    for i in 0..<n { sums[Int(codes[i])] += e[i] }
                }
                var largest = 0.0
                for l in 0..<sums.count {
                    let d = totals[l] > 0 ? sums[l] / totals[l] : 0
                    sums[l] = d
                    alpha[g][l] += d
                    largest = max(largest, abs(d))
                }
                if largest > 0 { for i in 0..<n { e[i] -= sums[Int(codes[i])] } }
                change += largest
            }
            return change
        }

        if gCount == 1 {
            _ = sweep()
            return Result(residual: e, coefficients: alpha, sweeps: 1, converged: true)
        }
        var sweeps = 0
        while sweeps < maximumSweeps {
            // Irons–Tuck on X₀ → X₁ = F(X₀) → X₂ = F(X₁).
            let x0 = alpha
            var change = sweep(); sweeps += 1
            if change <= threshold { return Result(residual: e, coefficients: alpha, sweeps: sweeps, converged: true) }
            let x1 = alpha
            change = sweep(); sweeps += 1
            if change <= threshold { return Result(residual: e, coefficients: alpha, sweeps: sweeps, converged: true) }
            let x2 = alpha
            var num = 0.0, den = 0.0
            for g in 0..<gCount {
                for l in 0..<x0[g].count {
                    let d2 = x2[g][l] - x1[g][l]
                    let dd = d2 - (x1[g][l] - x0[g][l])
                    num += d2 * dd
                    den += dd * dd
                }
            }
            if den > 0 {
                let ratio = num / den
                if ratio.isFinite {
                    for g in 0..<gCount { for l in 0..<alpha[g].count { alpha[g][l] -= ratio * (x2[g][l] - x1[g][l]) } }
                    // Recompute the residual for the extrapolated coefficients: one pass per grouping.
                    e = v
                    for g in 0..<gCount {
                        let codes = groupings[g].codes, a = alpha[g]
                        for i in 0..<n { e[i] -= a[Int(codes[i])] }
                    }
                }
            }
        }
        return Result(residual: e, coefficients: alpha, sweeps: sweeps, converged: false)
    }

    /// Demeans each column of `x`; returns the demeaned matrix and whether all converged.
    ///
    /// - Parameter starts: per-column warm starts (from a previous call), or `nil`.
    public func demean(columns x: Matrix, starts: [[[Double]]]? = nil) -> (Matrix, [[[Double]]], converged: Bool, sweeps: Int) {
        var out = x
        var coefficients: [[[Double]]] = []
        var allConverged = true
        var maxSweeps = 0
        for j in 0..<x.columns {
            let r = demean(Array(x.column(j)), start: starts?[j])
            try! out.setColumn(j, to: r.residual)
            coefficients.append(r.coefficients)
            allConverged = allConverged && r.converged
            maxSweeps = max(maxSweeps, r.sweeps)
        }
        return (out, coefficients, allConverged, maxSweeps)
    }
}
