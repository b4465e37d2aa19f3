import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// The distance-decay parameter of migest's index_distance: the coefficient of log(dist)
/// in `glm(round(flow) ~ orig + dest + log(dist), family = poisson)` on the off-diagonal
/// pairs, i.e. the doubly constrained gravity model μ_ij = a_i b_j d_ij^β fitted by
/// Poisson maximum likelihood.
///
/// For a fixed β the origin and destination effects are the balancing factors of IPF on
/// the prior d^β (`BalancedPoissonFit`), so β solves the profile score equation
/// U(β) = Σ_{i≠j} (y_ij − μ_ij(β)) log d_ij = 0, which is decreasing in β (the profile
/// log-likelihood is concave). It is found by the secant method from β = 0 and ±1,
/// safeguarded by bisection inside the bracket the signs of U give (`solve`). Each
/// evaluation computes d^β = exp(β log d) once on all cores (`OffDiagonalMap`; none at
/// β = 0, where the prior is flat and `BalancedPoissonFit.fitFlat` needs no pass over the
/// cells; near the root by scaling the last prior, `setPrior`) and balances warm-started
/// from factors extrapolated from the last two evaluations (`extrapolated`).
///
/// On a 1,000 × 1,000 matrix: 9 evaluations and 30 sweeps over the cells (`solve`,
/// `extrapolated`), against 13 evaluations and 59 sweeps with a balancing tolerance that
/// followed |U| alone and a warm start from the last factors, and 810 sweeps with every
/// balance to 10⁻¹³.
/// A root not found within |β| ≤ 64 (flows that fall, or rise, without limit with
/// distance) means the likelihood has no finite maximum.
enum DistanceDecayFit {
    /// β (or why there is none), with the evaluations of U and the IPF sweeps over the cells it took.
    struct Result { var beta: Double?; var reason: String?; var evaluations: Int; var sweeps = 0 }

    static func fit(flows: [Double], distances: [Double], n: Int) -> Result {
        var logd = [Double](repeating: 0, count: n * n)
        OffDiagonalMap.map(distances, into: &logd, n: n) { log($0) }
        var model = BalancedPoissonFit(roundedFrom: flows, n: n)
        guard model.total > 0 else { return Result(beta: nil, reason: "every flow rounds to zero", evaluations: 0) }
        var observed = 0.0, lo = Double.infinity, hi = -Double.infinity
        for i in 0..<n { for j in 0..<n where j != i {
            observed += rounded(flows[i * n + j]) * logd[i * n + j]
            lo = min(lo, logd[i * n + j]); hi = max(hi, logd[i * n + j])
        } }
        guard hi > lo else { return Result(beta: nil, reason: "every distance is the same, so the decay is not identified", evaluations: 0) }
        var evaluations = 0, sweeps = 0, failed = false
        var prior = [Double](repeating: 0, count: n * n), priorBeta: Double?   // d^β, and its β
        var earlier: [(beta: Double, b: [Double])] = []   // the last two evaluations' column factors
        func score(_ beta: Double, _ tolerance: Double) -> Double {
            evaluations += 1
            if earlier.count == 2 { model.b = extrapolated(earlier[0], earlier[1], to: beta) }
            if beta == 0 {
                model.fitFlat(tolerance: tolerance)   // d^0 = 1: no exp, and sweeps of O(n)
            } else {
                priorBeta = setPrior(&prior, beta: beta, from: priorBeta, logd: logd, n: n, largest: max(-lo, hi))
                model.fit(prior: prior, tolerance: tolerance)
                sweeps += model.iterations
            }
            if !model.converged { failed = true }
            earlier = Array((earlier + [(beta, model.b)]).suffix(2))
            return (observed - expected(model, prior: beta == 0 ? nil : prior, logd: logd)) / model.total
        }
        var result = solve(score)
        if failed && result.beta != nil { result = Result(beta: nil, reason: "the balancing (IPF) did not converge", evaluations: 0) }
        result.evaluations = evaluations
        result.sweeps = sweeps
        return result
    }

    /// Sets `prior` to d^β = exp(β log d) off the diagonal and returns β. When it holds
    /// d^β₀ for a β₀ with |β − β₀| · max |log d| ≤ 1/256 (the secant's last steps), it is
    /// scaled instead, w ← w · e^x with x = (β − β₀) log d and e^x by its Taylor
    /// polynomial of degree 5, whose remainder x⁶/720 is below 10⁻¹⁷: a few multiplications
    /// a cell rather than a call of `exp`, to within a few units in the last place.
    static func setPrior(_ prior: inout [Double], beta: Double, from earlier: Double?, logd: [Double], n: Int, largest: Double) -> Double {
        if let earlier, abs(beta - earlier) * largest <= 1.0 / 256 {
            let step = beta - earlier
            OffDiagonalMap.update(&prior, with: logd, n: n) { l, w in
                let x = step * l
                return w * (1 + x * (1 + x / 2 * (1 + x / 3 * (1 + x / 4 * (1 + x / 5)))))
            }
        } else {
            OffDiagonalMap.map(logd, into: &prior, n: n) { exp(beta * $0) }
        }
        return beta
    }

    /// The warm start at `beta`: each column factor's log extended along the line through
    /// the last two evaluations, b = b₁ (b₁ / b₀)^((β − β₁) / (β₁ − β₀)) (b₁ where a factor
    /// is 0). The factors move smoothly with β, so the first sweep starts near the balance;
    /// with the looser early tolerance of `solve` it halves the sweeps (52 → 30 on 1,000
    /// regions).
    static func extrapolated(_ e0: (beta: Double, b: [Double]), _ e1: (beta: Double, b: [Double]), to beta: Double) -> [Double] {
        guard e1.beta != e0.beta else { return e1.b }
        let t = (beta - e1.beta) / (e1.beta - e0.beta)
        return zip(e0.b, e1.b).map { b0, b1 in b0 > 0 && b1 > 0 ? b1 * pow(b1 / b0, t) : b1 }
    }

    /// Σ_i a_i Σ_j b_j w_ij log d_ij, the fitted flows' total log distance (w = 1 off the
    /// diagonal without a prior): row sums on all cores in the blocks of
    /// `BalancedPoissonFit` (`RowSums`), added over i in order.
    static func expected(_ model: BalancedPoissonFit, prior: [Double]?, logd: [Double]) -> Double {
        let n = model.n, rows = BalancedPoissonFit.blockRows, blocks = (n + rows - 1) / rows
        let flat = prior == nil
        let sums = (prior ?? logd).withUnsafeBufferPointer { pw in logd.withUnsafeBufferPointer { pl in model.b.withUnsafeBufferPointer { pb in
            let ws = SharedBuffer(UnsafeMutablePointer(mutating: pw.baseAddress!))
            let ls = SharedBuffer(UnsafeMutablePointer(mutating: pl.baseAddress!))
            let bs = SharedBuffer(UnsafeMutablePointer(mutating: pb.baseAddress!))
            let block: @Sendable (Int) -> [Double] = { k in
                ((k * rows)..<min(n, (k + 1) * rows)).map { i in
                    flat ? RowSums.dot(bs.base, ls.base + i * n, n) : RowSums.dot(bs.base, ws.base + i * n, ls.base + i * n, n)
                }
            }
            return n * n >= BalancedPoissonFit.parallelCells ? Parallel.map(blocks, block) : (0..<blocks).map(block)
        } } }
        var total = 0.0, i = 0
        for block in sums { for row in block { total += model.a[i] * row; i += 1 } }
        return total
    }

    /// The root of the decreasing `score(β, tolerance)`: secant steps from 0 and ±1, kept
    /// inside the bracket [largest β with U > 0, smallest with U < 0] (bisection otherwise),
    /// until a step |Δβ| ≤ 10⁻¹² (1 + |β|), whose end is the root (not evaluated).
    ///
    /// The balancing tolerance of each evaluation is 10⁻³ of the |U| the secant expects
    /// next, |U₁| · min(1, |U₁ / U₀|) from the last two, within [10⁻¹³, 10⁻⁴]: loose while
    /// the steps are tenths (U is needed to a few digits), and tight enough near the root
    /// for the secant to converge superlinearly, where a tolerance of 10⁻³ |U₁| left errors
    /// in U larger than the step and took four more evaluations.
    static func solve(_ score: (Double, Double) -> Double) -> Result {
        func tolerance(_ u1: Double, _ u0: Double) -> Double { max(1e-13, min(1e-4, 1e-3 * abs(u1) * min(1, abs(u1 / u0)))) }
        var x0 = 0.0, f0 = score(x0, 1e-6)
        if f0 == 0 { return Result(beta: 0, reason: nil, evaluations: 0) }
        var x1 = f0 > 0 ? 1.0 : -1.0, f1 = score(x1, tolerance(f0, f0))
        var below = -Double.infinity, above = Double.infinity
        func bracket(_ x: Double, _ f: Double) { if f > 0 { below = max(below, x) } else { above = min(above, x) } }
        bracket(x0, f0); bracket(x1, f1)
        for _ in 0..<200 {
            if f1 == 0 { return Result(beta: x1, reason: nil, evaluations: 0) }
            var x2 = f1 != f0 ? x1 - f1 * (x1 - x0) / (f1 - f0) : .nan
            if below.isFinite && above.isFinite {
                if !(x2 > below && x2 < above) { x2 = (below + above) / 2 }
            } else if !x2.isFinite || abs(x2 - x1) > 8 * max(1, abs(x1 - x0)) {
                x2 = x1 + (f1 > 0 ? 1 : -1) * 2 * max(1, abs(x1 - x0))   // expand until the sign changes
            }
            guard abs(x2) <= 64 else {
                return Result(beta: nil, reason: "the Poisson likelihood has no finite maximum in the decay (|β| > 64)", evaluations: 0)
            }
            if abs(x2 - x1) <= 1e-12 * (1 + abs(x2)) { return Result(beta: x2, reason: nil, evaluations: 0) }
            let f2 = score(x2, tolerance(f1, f0))
            bracket(x2, f2)
            (x0, f0, x1, f1) = (x1, f1, x2, f2)
        }
        return Result(beta: nil, reason: "the decay did not converge in 200 steps", evaluations: 0)
    }
}
