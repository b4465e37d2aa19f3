import Foundation
import SteppeNumerics

extension MarginFitting {
    /// Checks net totals against a prior: n of them, summing to zero.
    static func checkNet(_ net: [Double], prior: [[Double]]) throws(ModelError) {
        try check(prior, count: net.count)
        guard net.allSatisfy(\.isFinite) else { throw .invalidOption("net migration totals must be finite") }
        let scale = net.map(abs).reduce(0, +)
        guard abs(net.reduce(0, +)) <= 1e-9 * max(scale, 1) else {
            throw .invalidOption("net migration totals sum to \(net.reduce(0, +)), not 0: every move is a departure from one region and an arrival in another")
        }
    }

    /// Structural zeros: the diagonal (no moves within a region) and the prior's zeros.
    static func masked(_ prior: [[Double]]) -> [[Double]] {
        prior.enumerated().map { i, row in row.enumerated().map { j, v in i == j ? 0 : v } }
    }

    /// migest's `net_matrix_ipf` (see the type's documentation); tolerance on α, default 1e-6 as migest's.
    public static func netIPF(net: [Double], prior: [[Double]], tolerance: Double = 1e-6,
                              maximumIterations: Int = 500) throws(ModelError) -> Fit {
        try checkNet(net, prior: prior)
        let m = masked(prior), n = net.count
        var alpha = [Double](repeating: 1, count: n)
        var change = Double.infinity, iterations = 0
        while change > tolerance && iterations < maximumIterations {
            let old = alpha
            for i in 0..<n {
                let a = (0..<n).reduce(0.0) { $0 + m[i][$1] / old[$1] }
                let c = -(0..<n).reduce(0.0) { $0 + old[$1] * m[$1][i] }
                alpha[i] = smallestPositiveRoot(a: a, b: net[i], c: c) ?? 1
            }
            change = zip(old, alpha).map { abs($0 - $1) }.max()!
            iterations += 1
        }
        let flows = (0..<n).map { i in (0..<n).map { j in alpha[i] * m[i][j] / alpha[j] } }
        return Fit(flows: flows, iterations: iterations, converged: change <= tolerance, alpha: alpha, beta: [])
    }

    /// The smallest positive finite root of a·x² + b·x + c = 0 (a ≥ 0), as migest's
    /// `quadratic_eqn` followed by `min(roots[roots > 0])`.
    static func smallestPositiveRoot(a: Double, b: Double, c: Double) -> Double? {
        var roots: [Double] = []
        if a == 0 { if b != 0 { roots = [-c / b] } } else {
            let d = b * b - 4 * a * c
            guard d >= 0 else { return nil }
            let s = d.squareRoot()
            roots = [(-b - s) / (2 * a), (-b + s) / (2 * a)]
        }
        return roots.filter { $0 > 0 && $0.isFinite }.min()
    }

    /// migest's `net_matrix_entropy`, by Newton's method on the dual (see the type's documentation).
    /// - Throws: `ModelError.numerical` when the net totals cannot be met with the prior's
    ///   pattern (some regions' flows would have to grow without bound).
    public static func netEntropy(net: [Double], prior: [[Double]], maximumIterations: Int = 200) throws(ModelError) -> Fit {
        try checkNet(net, prior: prior)
        let m = masked(prior), n = net.count
        let size = max(m.joined().reduce(0, +), net.map(abs).reduce(0, +))
        var lambda = [Double](repeating: 0, count: n)
        var (value, gradient, flows) = dual(lambda, m, net)
        var iterations = 0
        while gradient.map(abs).max()! > 1e-10 * size && iterations < maximumIterations {
            iterations += 1
            let step = try newtonStep(gradient: gradient, flows: flows)
            var t = 1.0, accepted = false
            for _ in 0..<60 {
                let trial = zip(lambda, step).map { $0 - t * $1 }
                let next = dual(trial, m, net)
                if next.value <= value - 1e-4 * t * zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 } {
                    (lambda, value, gradient, flows) = (trial, next.value, next.gradient, next.flows)
                    accepted = true
                    break
                }
                t /= 2
            }
            guard accepted else { break }
        }
        let converged = gradient.map(abs).max()! <= 1e-10 * size
        guard converged || iterations < maximumIterations else {
            throw .numerical("the net totals cannot be met with this prior's pattern of flows (Newton stopped after \(iterations) steps)")
        }
        return Fit(flows: flows, iterations: iterations, converged: converged, alpha: lambda.map { exp(-$0) }, beta: [])
    }

    /// F(λ) = Σ m_ij e^{λ_j − λ_i} − Σ λ_i net_i, its gradient inflow − outflow − net, and the flows.
    static func dual(_ lambda: [Double], _ m: [[Double]], _ net: [Double]) -> (value: Double, gradient: [Double], flows: [[Double]]) {
        let n = net.count
        let flows = (0..<n).map { i in (0..<n).map { j in m[i][j] == 0 ? 0 : m[i][j] * exp(lambda[j] - lambda[i]) } }
        var value = 0.0, gradient = net.map { -$0 }
        for i in 0..<n {
            value -= lambda[i] * net[i]
            for j in 0..<n where flows[i][j] != 0 {
                value += flows[i][j]
                gradient[j] += flows[i][j]      // inflow of j
                gradient[i] -= flows[i][j]      // outflow of i
            }
        }
        return (value.isFinite ? value : .infinity, gradient, flows)
    }

    /// The Newton step H⁻¹g with λ₀ fixed (the dual is invariant to a common shift):
    /// H_kk = inflow_k + outflow_k, H_kl = −(y_kl + y_lk).
    static func newtonStep(gradient g: [Double], flows y: [[Double]]) throws(ModelError) -> [Double] {
        let n = g.count, k = n - 1
        var h = Matrix(rows: k, columns: k)
        for a in 1..<n { for b in 1..<n {
            h[a - 1, b - 1] = a == b ? (0..<n).reduce(0.0) { $0 + y[a][$1] + y[$1][a] } : -(y[a][b] + y[b][a])
        } }
        do {
            let solution = try CholeskyFactorization(h).solve(Array(g[1...]))
            return [0] + solution
        } catch {
            throw .numerical("the net totals cannot be met with this prior's pattern of flows (a region has no flows in or out)")
        }
    }
}
