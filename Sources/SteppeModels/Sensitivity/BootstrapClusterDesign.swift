import Foundation
import SteppeNumerics

/// The cluster-level ingredients of the wild and score bootstraps: the design after
/// absorbing the fixed effects X̃ (n × k, the fit's estimable columns), weights wᵢ, residuals
/// rᵢ, and per cluster g the score sums S_g = Σ_{i∈g} wᵢx̃ᵢrᵢ and Gram blocks
/// H_g = Σ_{i∈g} wᵢx̃ᵢx̃ᵢᵀ, with the bread A = (Σ_g H_g)⁻¹ = (X̃ᵀWX̃)⁻¹.
///
/// For OLS, w are the prior weights (1 without) and r = ỹ − X̃β̂; for a GLM, w are the IRLS
/// weights prior·(dμ/dη)²/V(μ) and r the working residuals (y − μ)/(dμ/dη) at the given
/// means, X̃ demeaned with those weights. By Frisch–Waugh–Lovell the β-block of any
/// statistic built from (X, D) — D the fixed-effect dummies — equals the one built from X̃,
/// so the fixed effects never enter the replicates. The one place they remain is the wild
/// bootstrap's residuals when a fixed effect is not nested in the clusters (wᵢ-weighted
/// projection P on the dummies, kept in `absorber`; see `WildBootstrap`).
struct BootstrapClusterDesign {
    let n: Int, k: Int, clusterCount: Int
    let xTilde: Matrix
    let weights: [Double]
    let residual: [Double]
    let codes: [Int32]
    let bread: Matrix
    /// S_g, k per cluster: element g·k + j.
    let scoreSums: [Double]
    /// H_g, k × k per cluster: element g·k² + j·k + l.
    let grams: [Double]
    /// The absorption of the fixed effects, when some fixed effect is not nested in the
    /// clusters (otherwise P(z⊙1_g) = 0 for every residual-like z and it is not needed).
    let absorber: FixedEffectAbsorber?

    /// - Parameter bootclusters: the groups whose nesting of the fixed effects makes the
    ///   absorber unneeded (default `clusters`; the wild bootstrap's bootclusters).
    init(xTilde: Matrix, weights: [Double], residual: [Double], clusters: Grouping,
         absorber: FixedEffectAbsorber?, bootclusters: Grouping? = nil) throws(ModelError) {
        n = xTilde.rows
        k = xTilde.columns
        clusterCount = clusters.levelCount
        self.xTilde = xTilde
        self.weights = weights
        self.residual = residual
        codes = clusters.codes
        let nested = absorber.map { a in a.groupings.allSatisfy { $0.isNested(in: bootclusters ?? clusters) } } ?? true
        self.absorber = nested ? nil : absorber
        (scoreSums, grams) = Self.clusterSums(xTilde, weights: weights, residual: residual, codes: codes, groups: clusterCount)
        var total = Matrix(rows: k, columns: k)
        for g in 0..<clusterCount { for j in 0..<k { for l in 0..<k { total[j, l] += grams[g * k * k + j * k + l] } } }
        do { bread = try CholeskyFactorization(total).inverse() } catch {
            throw .numerical("the bootstrap's X̃ᵀWX̃ is not positive definite (\(error)); the design is collinear after absorbing the fixed effects")
        }
    }

    /// S_g and H_g. Clusters of 16 rows or more on average: with BLAS, the rows √wᵢ·x̃ᵢ
    /// gathered cluster by cluster (a counting sort of the rows, O(n·k)), then per cluster
    /// H_g = Z_gᵀZ_g (dsyrk) and S_g = Z_gᵀ(√w⊙r)_g (dgemv); many small clusters (two-way
    /// cells): one pass over the rows (`clusterSumsByRow`). The same sums either way, to
    /// rounding.
    private static func clusterSums(_ x: Matrix, weights: [Double], residual: [Double], codes: [Int32],
                                    groups: Int) -> ([Double], [Double]) {
        let n = x.rows, k = x.columns
        guard n >= 16 * groups else { return clusterSumsByRow(x, weights: weights, residual: residual, codes: codes, groups: groups) }
        var starts = [Int](repeating: 0, count: groups + 1)
        for c in codes { starts[Int(c) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var order = [Int](repeating: 0, count: n), next = starts
        for i in 0..<n { let g = Int(codes[i]); order[next[g]] = i; next[g] += 1 }
        var s = [Double](repeating: 0, count: groups * k)
        var h = [Double](repeating: 0, count: groups * k * k)
        x.withUnsafeBufferPointer { px in
            for g in 0..<groups where starts[g + 1] > starts[g] {
                let rows = Array(order[starts[g]..<starts[g + 1]]), m = rows.count
                var z = [Double](repeating: 0, count: m * k)
                var wr = [Double](repeating: 0, count: m)
                for (r, i) in rows.enumerated() {
                    let root = weights[i].squareRoot()
                    wr[r] = root * residual[i]
                    for j in 0..<k { z[r + j * m] = root * px[i + j * n] }
                }
                let block = try! Matrix(rows: m, columns: k, columnMajor: z)
                let gram = try! BLAS.syrk(block)
                let score = try! BLAS.gemv(block, wr, transpose: true)
                for j in 0..<k {
                    s[g * k + j] = score[j]
                    for l in 0..<k { h[g * k * k + j * k + l] = gram[j, l] }
                }
            }
        }
        return (s, h)
    }

    /// S_g and H_g in one pass over the rows (each row's k values gathered once, its
    /// k(k + 1)/2 products added to its cluster's block) through raw pointers, O(n·k²);
    /// the lower triangle mirrored at the end.
    private static func clusterSumsByRow(_ x: Matrix, weights: [Double], residual: [Double], codes: [Int32],
                                         groups: Int) -> ([Double], [Double]) {
        let n = x.rows, k = x.columns
        var s = [Double](repeating: 0, count: groups * k)
        var h = [Double](repeating: 0, count: groups * k * k)
        var row = [Double](repeating: 0, count: k)
        x.withUnsafeBufferPointer { px in
            s.withUnsafeMutableBufferPointer { ps in
                h.withUnsafeMutableBufferPointer { ph in
                    row.withUnsafeMutableBufferPointer { pr in
                        let xb = px.baseAddress!
                        for i in 0..<n {
                            let g = Int(codes[i]), w = weights[i], wr = w * residual[i]
                            for j in 0..<k { pr[j] = xb[i + j * n] }
                            let sg = ps.baseAddress! + g * k, hg = ph.baseAddress! + g * k * k
                            for j in 0..<k {
                                let wx = w * pr[j], hj = hg + j * k
                                sg[j] += wr * pr[j]
                                for l in 0...j { hj[l] += wx * pr[l] }
                            }
                        }
                    }
                }
            }
        }
        for g in 0..<groups { for j in 0..<k { for l in 0..<j { h[g * k * k + l * k + j] = h[g * k * k + j * k + l] } } }
        return (s, h)
    }

    /// The fixed effects' absorber for the frame's groupings with weights `w`, or `nil`.
    static func absorber(_ model: SensitivityModel, frame: ModelFrame, weights: [Double]?) -> FixedEffectAbsorber? {
        guard !frame.fixedEffects.isEmpty else { return nil }
        var a = FixedEffectAbsorber(groupings: frame.fixedEffects, weights: weights)
        a.tolerance = model.options.fixedEffectTolerance
        return a
    }

    /// The columns of `x` with the fixed effects absorbed (as they are when none).
    /// - Throws: `ModelError.numerical` when the absorption stops at its sweep limit.
    static func demeaned(_ x: Matrix, _ absorber: FixedEffectAbsorber?) throws(ModelError) -> Matrix {
        guard let absorber else { return x }
        let (out, _, converged, _) = absorber.demean(columns: x)
        guard converged else {
            throw .numerical("absorbing the fixed effects reached its sweep limit; the bootstrap needs the demeaned design to the fit's tolerance")
        }
        return out
    }

    /// The linear model's design: X̃ and ỹ of the fit's estimable columns, the prior
    /// weights, and the fit's residuals r = ỹ − X̃β̂.
    static func linear(_ model: SensitivityModel, frame: ModelFrame, clusters: Grouping,
                       bootclusters: Grouping? = nil) throws(ModelError) -> BootstrapClusterDesign {
        let active = try BootstrapSample.activeColumns(model)
        let n = frame.observations, k = active.count
        let y = frame.offset.map { o in (0..<n).map { frame.response[$0] - o[$0] } } ?? frame.response
        let absorber = absorber(model, frame: frame, weights: frame.weights)
        let xTilde: Matrix
        var residual: [Double]
        if absorber == nil {
            // No fixed effects: X̃ = X and ỹ = y, one copy of the columns and none of y.
            xTilde = active == Array(0..<frame.design.columns) ? frame.design : frame.design.columns(active)
            residual = y
        } else {
            let columns = try! Matrix(rows: n, columns: k + 1, columnMajor: frame.design.columns(active).elements + y)
            let demeaned = try demeaned(columns, absorber)
            xTilde = demeaned.columns(0..<k)
            residual = Array(demeaned.column(k))
        }
        let beta = model.fit.coefficients.map(\.estimate)
        xTilde.withUnsafeBufferPointer { px in
            residual.withUnsafeMutableBufferPointer { pr in
                for j in 0..<k { let b = beta[j], base = px.baseAddress! + j * n; for i in 0..<n { pr[i] -= b * base[i] } }
            }
        }
        return try BootstrapClusterDesign(xTilde: xTilde, weights: frame.weights ?? [Double](repeating: 1, count: n),
                                          residual: residual, clusters: clusters, absorber: absorber, bootclusters: bootclusters)
    }

    /// A GLM's design at means μ: IRLS weights and working residuals, X̃ demeaned with those
    /// weights (one absorption of the k columns; no IRLS).
    static func glm(_ model: SensitivityModel, frame: ModelFrame, design x: Matrix, mu: [Double], family: Family,
                    link: Link, clusters: Grouping) throws(ModelError) -> BootstrapClusterDesign {
        let n = frame.observations
        var w = [Double](repeating: 0, count: n), r = w
        for i in 0..<n {
            w[i] = (frame.weights?[i] ?? 1) * family.workingWeight(mu: mu[i], link: link)
            r[i] = (frame.response[i] - mu[i]) / link.derivative(mu: mu[i])
        }
        guard w.allSatisfy({ $0.isFinite && $0 >= 0 }), r.allSatisfy(\.isFinite) else {
            throw .numerical("the score bootstrap's IRLS weights are not finite at the restricted estimate")
        }
        let absorber = absorber(model, frame: frame, weights: w)
        return try BootstrapClusterDesign(xTilde: try demeaned(x, absorber), weights: w, residual: r,
                                          clusters: clusters, absorber: absorber)
    }

    /// Column m of A (aₘ = A·eₘ).
    func breadColumn(_ m: Int) -> [Double] { (0..<k).map { bread[$0, m] } }

    /// a·S_g for every cluster.
    func projectedScores(_ a: [Double]) -> [Double] {
        (0..<clusterCount).map { g in (0..<k).reduce(0.0) { $0 + a[$1] * scoreSums[g * k + $1] } }
    }
}
