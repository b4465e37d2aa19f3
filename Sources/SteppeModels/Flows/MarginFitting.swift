import Foundation

/// Origin–destination matrices fitted to margins around a prior matrix m (any nonnegative
/// n × n pattern: a distance decay, another year's flows, another country's; zeros stay
/// zero): the estimators of R's migest for gross margins (departures and arrivals) and for
/// net migration alone.
///
/// - `ipf`: N_ij = a_i·b_j·m_ij by iterative proportional fitting, columns then rows, as
///   migest's `ipf2`, until the largest margin difference is below the tolerance.
/// - `conditionalMaximisation`: the same log-linear model log N_ij = log α_i + log β_j +
///   log m_ij by Willekens (1999)'s EM / conditional maximisation, as migest's `cm2`
///   (α from β, then β from α, from α = β = 1; stops when no parameter changes by more than
///   the tolerance, default 1e-6, as cm2); it returns the balancing factors α and β, and
///   the same flows as IPF.
/// - `netIPF`: flows with net migration inflow_i − outflow_i = net_i, N_ij = α_i·m_ij/α_j,
///   as migest's `net_matrix_ipf` (each α_i the smallest positive root of
///   (Σ_j m_ij/α_j)·α_i² + net_i·α_i − Σ_j α_j·m_ji = 0, all from the previous α, until no α
///   changes by more than the tolerance).
/// - `netEntropy`: the flows closest to m in Kullback–Leibler divergence
///   Σ y log(y/m) − y + m with those net totals, as migest's `net_matrix_entropy` (which
///   calls the CVXR solver). Its Lagrangian gives y_ij = m_ij·exp(λ_j − λ_i), the form of
///   `netIPF`, so both estimators have one solution; here it is found by Newton's method
///   on the convex dual F(λ) = Σ m_ij·exp(λ_j − λ_i) − Σ λ_i·net_i (λ_0 = 0, step halving),
///   to a net error below 1e-10 of the flows' total.
public enum MarginFitting {
    /// A fitted matrix and how the iterations ended.
    public struct Fit: Sendable {
        /// N_ij, row-major (origins in rows).
        public let flows: [[Double]]
        public let iterations: Int
        public let converged: Bool
        /// Balancing factors: α (rows) and β (columns) of `conditionalMaximisation`; α of
        /// the net estimators (N_ij = α_i m_ij / α_j); empty for `ipf`.
        public let alpha: [Double]
        public let beta: [Double]
    }

    /// Checks sizes and signs of a prior and its margins.
    static func check(_ prior: [[Double]], count: Int) throws(ModelError) {
        guard count >= 2, prior.count == count, prior.allSatisfy({ $0.count == count }) else {
            throw .invalidOption("margin fitting: \(count) margins but a \(prior.count)-row prior; the prior must be \(count) × \(count)")
        }
        for (i, row) in prior.enumerated() {
            if let j = row.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
                throw .invalidOption("margin fitting: the prior's entry (\(i + 1), \(j + 1)) is \(row[j]); it must be finite and ≥ 0")
            }
        }
    }

    /// migest's `ipf2`: columns, then rows, scaled to their totals until the largest
    /// margin difference (in flow units) is below `tolerance` (default 1e-10 of the total).
    /// - Throws: `ModelError.invalidOption` for mismatched sizes, negative values, or totals
    ///   whose sums differ by more than 1e-9 relative.
    public static func ipf(rowTotals: [Double], columnTotals: [Double], prior: [[Double]],
                           tolerance: Double? = nil, maximumIterations: Int = 10_000) throws(ModelError) -> Fit {
        let n = rowTotals.count
        try check(prior, count: n)
        try checkTotals(rowTotals, columnTotals)
        let limit = tolerance ?? 1e-10 * rowTotals.reduce(0, +)
        var mu = prior, iterations = 0, difference = Double.infinity
        while iterations < maximumIterations && difference > limit {
            let columns = columnSums(mu)
            for j in 0..<n { let f = columns[j] > 0 ? columnTotals[j] / columns[j] : 0; for i in 0..<n { mu[i][j] *= f } }
            let rows = mu.map { $0.reduce(0, +) }
            for i in 0..<n { let f = rows[i] > 0 ? rowTotals[i] / rows[i] : 0; for j in 0..<n { mu[i][j] *= f } }
            iterations += 1
            difference = max(zip(rowTotals, rows).map { abs($0 - $1) }.max()!, zip(columnTotals, columns).map { abs($0 - $1) }.max()!)
        }
        return Fit(flows: mu, iterations: iterations, converged: difference <= limit, alpha: [], beta: [])
    }

    /// migest's `cm2` (see the type's documentation).
    public static func conditionalMaximisation(rowTotals: [Double], columnTotals: [Double], prior m: [[Double]],
                                               tolerance: Double = 1e-6, maximumIterations: Int = 500) throws(ModelError) -> Fit {
        let n = rowTotals.count
        try check(m, count: n)
        try checkTotals(rowTotals, columnTotals)
        var alpha = [Double](repeating: 1, count: n), beta = alpha
        var iterations = 0, change = Double.infinity
        while change > tolerance && iterations < maximumIterations - 1 {
            let oldAlpha = alpha, oldBeta = beta
            for i in 0..<n { alpha[i] = rowTotals[i] / (0..<n).reduce(0.0) { $0 + beta[$1] * m[i][$1] } }
            for j in 0..<n { beta[j] = columnTotals[j] / (0..<n).reduce(0.0) { $0 + alpha[$1] * m[$1][j] } }
            change = max(zip(oldAlpha, alpha).map { abs($0 - $1) }.max()!, zip(oldBeta, beta).map { abs($0 - $1) }.max()!)
            iterations += 1
        }
        guard alpha.allSatisfy(\.isFinite), beta.allSatisfy(\.isFinite) else {
            throw .numerical("conditional maximisation: a row or column of the prior is all zero where its total is not")
        }
        let flows = (0..<n).map { i in (0..<n).map { j in alpha[i] * beta[j] * m[i][j] } }
        return Fit(flows: flows, iterations: iterations, converged: change <= tolerance, alpha: alpha, beta: beta)
    }

    /// The two totals must agree (within 1e-9 of their size).
    static func checkTotals(_ rows: [Double], _ columns: [Double]) throws(ModelError) {
        guard rows.count == columns.count else { throw .invalidOption("margin fitting: \(rows.count) row totals but \(columns.count) column totals") }
        for (name, v) in [("row", rows), ("column", columns)] where v.contains(where: { !($0.isFinite && $0 >= 0) }) {
            throw .invalidOption("margin fitting: the \(name) totals must be finite and ≥ 0")
        }
        let a = rows.reduce(0, +), b = columns.reduce(0, +)
        guard abs(a - b) <= 1e-9 * max(a, b) else {
            throw .invalidOption("margin fitting: the departures sum to \(a) and the arrivals to \(b) (a difference of \(a - b)); rescale one of them")
        }
    }

    static func columnSums(_ m: [[Double]]) -> [Double] {
        var s = [Double](repeating: 0, count: m.count)
        for row in m { for (j, v) in row.enumerated() { s[j] += v } }
        return s
    }
}
