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

    init(xTilde: Matrix, weights: [Double], residual: [Double], clusters: Grouping,
         absorber: FixedEffectAbsorber?) throws(ModelError) {
        n = xTilde.rows
        k = xTilde.columns
        clusterCount = clusters.levelCount
        self.xTilde = xTilde
        self.weights = weights
        self.residual = residual
        codes = clusters.codes
        let nested = absorber.map { a in a.groupings.allSatisfy { $0.isNested(in: clusters) } } ?? true
        self.absorber = nested ? nil : absorber
        (scoreSums, grams) = Self.clusterSums(xTilde, weights: weights, residual: residual, codes: codes, groups: clusterCount)
        var total = Matrix(rows: k, columns: k)
        for g in 0..<clusterCount { for j in 0..<k { for l in 0..<k { total[j, l] += grams[g * k * k + j * k + l] } } }
        do { bread = try CholeskyFactorization(total).inverse() } catch {
            throw .numerical("the bootstrap's X̃ᵀWX̃ is not positive definite (\(error)); the design is collinear after absorbing the fixed effects")
        }
    }

    /// S_g and H_g in one pass per column pair over contiguous columns.
    private static func clusterSums(_ x: Matrix, weights: [Double], residual: [Double], codes: [Int32],
                                    groups: Int) -> ([Double], [Double]) {
        let n = x.rows, k = x.columns
        var s = [Double](repeating: 0, count: groups * k)
        var h = [Double](repeating: 0, count: groups * k * k)
        x.withUnsafeBufferPointer { px in
            for j in 0..<k {
                let xj = px.baseAddress! + j * n
                for i in 0..<n { s[Int(codes[i]) * k + j] += weights[i] * xj[i] * residual[i] }
                for l in 0...j {
                    let xl = px.baseAddress! + l * n
                    for i in 0..<n { h[Int(codes[i]) * k * k + j * k + l] += weights[i] * xj[i] * xl[i] }
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
    static func linear(_ model: SensitivityModel, frame: ModelFrame, clusters: Grouping) throws(ModelError) -> BootstrapClusterDesign {
        let active = try BootstrapSample.activeColumns(model)
        let n = frame.observations, k = active.count
        let y = frame.offset.map { o in (0..<n).map { frame.response[$0] - o[$0] } } ?? frame.response
        var columns = frame.design.columns(active)
        columns = try! Matrix(rows: n, columns: k + 1, columnMajor: columns.elements + y)
        let absorber = absorber(model, frame: frame, weights: frame.weights)
        let demeaned = try demeaned(columns, absorber)
        let xTilde = demeaned.columns(0..<k)
        var residual = Array(demeaned.column(k))
        let beta = model.fit.coefficients.map(\.estimate)
        xTilde.withUnsafeBufferPointer { px in
            for j in 0..<k { let b = beta[j], base = px.baseAddress! + j * n; for i in 0..<n { residual[i] -= b * base[i] } }
        }
        return try BootstrapClusterDesign(xTilde: xTilde, weights: frame.weights ?? [Double](repeating: 1, count: n),
                                          residual: residual, clusters: clusters, absorber: absorber)
    }

    /// A GLM's design at means μ: IRLS weights and working residuals, X̃ demeaned with those
    /// weights (one absorption of the k columns; no IRLS).
    static func glm(_ model: SensitivityModel, frame: ModelFrame, design x: Matrix, mu: [Double], family: Family,
                    link: Link, clusters: Grouping) throws(ModelError) -> BootstrapClusterDesign {
        let n = frame.observations
        var w = [Double](repeating: 0, count: n), r = w
        for i in 0..<n {
            let d = link.derivative(mu: mu[i])
            w[i] = (frame.weights?[i] ?? 1) * d * d / family.variance(mu[i])
            r[i] = (frame.response[i] - mu[i]) / d
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
