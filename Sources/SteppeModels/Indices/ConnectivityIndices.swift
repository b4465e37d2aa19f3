import Foundation
import SteppeNumerics

/// migest's `index_connectivity(m)` (defaults: `gini_corrected = TRUE`): connectivity,
/// inequality, the Gini family (`GiniIndices`) and the coefficients of variation.
enum ConnectivityIndices {
    /// - `connectivity` = #{m_ij > 0, i ≠ j} / K (Bell et al. 2002; migration.connectivity).
    /// - `inequalityEqual` = ½ Σ_{i≠j} |m_ij / M − 1/K|: the flows against equal flows
    ///   (Bell et al. 2002), 0 (equal) to 1.
    /// - `inequalitySim` = ½ Σ_{i≠j} |m_ij / M − μ_ij / Σμ|, μ the fitted values of the
    ///   Poisson independence model `glm(round(flow) ~ orig + dest, family = poisson)` on
    ///   the off-diagonal pairs (`BalancedPoissonFit.fitFlat`).
    /// - `cv` = sqrt(Σ (m_ij − m̄)² / (N(N − 1)) / m̄) over all N = n² cells, the zero
    ///   diagonal included, m̄ = M / N: index_connectivity's own expression (Rogers &
    ///   Raymer 1998), kept as migest codes it (the square root covers the division by m̄).
    /// - `acv` = Σ_j (D_j / M) cv^in_j + Σ_i (O_i / M) cv^out_i, the aggregated
    ///   coefficient of variation (Rogers & Sweeney 1998; migration.acv), where cv^out_i is
    ///   the population standard deviation over the mean of row i's n − 1 off-diagonal
    ///   flows (cv^in_j the same for column j).
    static func compute(_ matrix: MigrationMatrix, margins: (out: [Double], in: [Double], total: Double)) -> [IndexValue] {
        let n = matrix.count, f = matrix.flows, total = margins.total
        let k = Double(n * (n - 1))
        var nonzero = 0
        var equal = CompensatedSum()
        for i in 0..<n { for j in 0..<n where j != i {
            let x = f[i * n + j]
            if x != 0 { nonzero += 1 }
            equal.add(abs(x / total - 1 / k))
        } }
        var out = [IndexValue("connectivity", Double(nonzero) / k), IndexValue("inequalityEqual", 0.5 * equal.value)]
        out.append(inequalitySim(matrix, total: total))
        out += GiniIndices.compute(matrix, margins: margins)
        out.append(cv(f, total: total))
        out.append(acv(matrix, margins: margins))
        return out
    }

    static func inequalitySim(_ matrix: MigrationMatrix, total: Double) -> IndexValue {
        let n = matrix.count
        var fit = BalancedPoissonFit(roundedFrom: matrix.flows, n: n)
        guard fit.total > 0 else { return IndexValue("inequalitySim", undefined: "every flow rounds to zero, so the independence fit is empty") }
        fit.fitFlat()
        guard fit.converged else { return IndexValue("inequalitySim", undefined: "the independence fit did not converge in \(fit.iterations) iterations") }
        // μ_ij = a_i b_j, its total in row-major order.
        var muTotal = 0.0
        for i in 0..<n { for j in 0..<n where j != i { muTotal += fit.a[i] * fit.b[j] } }
        var s = CompensatedSum()
        for i in 0..<n { for j in 0..<n where j != i { s.add(abs(matrix.flows[i * n + j] / total - fit.a[i] * fit.b[j] / muTotal)) } }
        return IndexValue("inequalitySim", 0.5 * s.value)
    }

    static func cv(_ f: [Double], total: Double) -> IndexValue {
        let cells = Double(f.count), mean = total / cells
        var s = CompensatedSum()
        for x in f { s.add((x - mean) * (x - mean)) }
        return IndexValue("cv", (s.value / (cells * (cells - 1)) / mean).squareRoot())
    }

    static func acv(_ matrix: MigrationMatrix, margins: (out: [Double], in: [Double], total: Double)) -> IndexValue {
        let n = matrix.count, f = matrix.flows
        guard n >= 3 else { return IndexValue("acv", undefined: "needs at least three regions (a standard deviation of n − 1 ≥ 2 flows)") }
        if let r = margins.out.firstIndex(of: 0) { return IndexValue("acv", undefined: "no out-migration from \(matrix.regions[r]), whose coefficient of variation is 0/0") }
        if let r = margins.in.firstIndex(of: 0) { return IndexValue("acv", undefined: "no in-migration to \(matrix.regions[r]), whose coefficient of variation is 0/0") }
        func cv(_ x: [Double]) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
            return variance.squareRoot() / mean
        }
        var others = [Double](repeating: 0, count: n - 1)   // row r's or column r's flows, r's own left out
        var sum = 0.0
        for r in 0..<n {
            for k in 0..<(n - 1) { others[k] = f[r * n + (k < r ? k : k + 1)] }
            sum += margins.out[r] / margins.total * cv(others)
            for k in 0..<(n - 1) { others[k] = f[(k < r ? k : k + 1) * n + r] }
            sum += margins.in[r] / margins.total * cv(others)
        }
        return IndexValue("acv", sum)
    }
}
