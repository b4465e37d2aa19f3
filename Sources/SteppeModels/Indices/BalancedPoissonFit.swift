import Foundation

/// The Poisson log-linear fit with origin and destination effects to the off-diagonal
/// cells of a matrix: μ_ij = a_i b_j w_ij (i ≠ j, the diagonal a structural zero), with
/// a fixed prior w. Its maximum-likelihood equations are that μ reproduces the row and
/// column sums of y, so it is fitted by iterative proportional fitting (Deming–Stephan)
/// rather than IRLS: the same fitted values as R's
/// `glm(y ~ orig + dest + offset(log w), family = poisson)` on the off-diagonal rows,
/// to the precision of glm's convergence.
struct BalancedPoissonFit {
    let n: Int
    let rowTargets: [Double], colTargets: [Double], total: Double
    /// Balancing factors, kept between fits so that a nearby prior starts warm.
    var a: [Double], b: [Double]
    var iterations = 0, converged = false

    init(y: [Double], n: Int) {
        self.n = n
        var r = [Double](repeating: 0, count: n), c = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n where j != i { r[i] += y[i * n + j]; c[j] += y[i * n + j] } }
        rowTargets = r; colTargets = c; total = r.reduce(0, +)
        a = [Double](repeating: 1, count: n); b = [Double](repeating: 1, count: n)
    }

    /// Fits to prior `w` (n × n, zero diagonal) until every margin is within
    /// `tolerance` · total of its target (at most `maxIterations` sweeps).
    mutating func fit(prior w: [Double], tolerance: Double = 1e-13, maxIterations: Int = 5000) {
        var s = [Double](repeating: 0, count: n)
        converged = false
        for iteration in 1...maxIterations {
            var worst = 0.0
            for i in 0..<n {
                var t = 0.0
                w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
                    for j in 0..<n { t += wp[i * n + j] * bp[j] }
                } }
                worst = max(worst, abs(a[i] * t - rowTargets[i]))
                a[i] = t > 0 ? rowTargets[i] / t : 0
            }
            for j in 0..<n { s[j] = 0 }
            w.withUnsafeBufferPointer { wp in s.withUnsafeMutableBufferPointer { sp in
                for i in 0..<n { let ai = a[i]; for j in 0..<n { sp[j] += ai * wp[i * n + j] } }
            } }
            for j in 0..<n { b[j] = s[j] > 0 ? colTargets[j] / s[j] : 0 }
            iterations = iteration
            if iteration > 1 && worst <= tolerance * total { converged = true; return }
        }
    }

    /// μ_ij = a_i b_j w_ij.
    func fitted(prior w: [Double]) -> [Double] {
        var mu = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n where j != i { mu[i * n + j] = a[i] * b[j] * w[i * n + j] } }
        return mu
    }
}

/// R's `round()` on flows, as migest's GLMs take `round(flow)`: to nearest, ties to even (IEC 60559).
func roundedFlows(_ f: [Double]) -> [Double] { f.map { $0.rounded(.toNearestOrEven) } }
