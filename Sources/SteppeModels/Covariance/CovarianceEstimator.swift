import SteppeNumerics

/// Everything a covariance estimator needs from a fit.
struct CovarianceInputs {
    /// B = (X̃ᵀWX̃)⁻¹ over the estimable columns.
    var bread: Matrix
    /// The demeaned design X̃ of the final solve (n × k).
    var design: Matrix
    /// The working weights wᵢ of the final solve (all 1 when `nil`).
    var weights: [Double]?
    /// The working residuals rᵢ.
    var residuals: [Double]

    /// The factors wᵢ·rᵢ that make the scores sᵢ = x̃ᵢ·wᵢ·rᵢ from the rows of X̃ (the
    /// covariances use them with X̃, never an n × k matrix of scores).
    var scoreFactors: [Double] {
        guard let weights else { return residuals }
        return (0..<residuals.count).map { weights[$0] * residuals[$0] }
    }
    /// The weighted demeaned design √W·X̃ (n × k), for leverages (HC2/HC3).
    var weightedDesign: Matrix { scaledRows { i in (weights?[i] ?? 1).squareRoot() } }

    /// X̃ with row i multiplied by factor(i), in one pass over contiguous columns.
    private func scaledRows(_ factor: (Int) -> Double) -> Matrix {
        let n = design.rows
        let f = (0..<n).map(factor)
        var out = design
        out.withUnsafeMutableBufferPointer { p in
            for j in 0..<design.columns {
                let base = j * n
                for i in 0..<n { p[base + i] *= f[i] }
            }
        }
        return out
    }
    /// σ̂² before small-sample factors: for OLS Σwᵢrᵢ²/(n − 1); for GLMs the dispersion φ.
    var iidScale: Double
    /// OLS (true) or a likelihood model (false).
    var isLinear: Bool
    /// Whether the GLM's dispersion was estimated (t tests) or fixed at 1 (z tests).
    var estimatedDispersion: Bool
    /// Observations n and slopes k.
    var observations: Int
    var slopes: Int
    var fixedEffects: [Grouping]
    var clusters: [Grouping]
}

/// A computed covariance matrix and how it was made.
public struct CovarianceResult: Sendable {
    /// V over the estimable coefficients.
    public var matrix: Matrix
    /// Degrees of freedom of the t distribution for tests and intervals; `nil` for z (normal).
    public var degreesOfFreedom: Double?
    /// K, the parameter count in the small-sample factor.
    public var parameterCount: Int
    /// Number of clusters in each clustering dimension.
    public var clusterCounts: [Int]
    /// Notes for the report (eigenvalue fix applied, …).
    public var notes: [String]
}

enum CovarianceEstimator {
    /// K as fixest counts it: slopes + fixed-effect levels − (number of fixed effects − 1),
    /// less the levels of fixed effects nested in a cluster variable (plus one for each such fixed effect).
    static func parameterCount(slopes: Int, fixedEffects: [Grouping], clusters: [Grouping], nested: Bool) -> Int {
        guard !fixedEffects.isEmpty else { return slopes }
        let total = fixedEffects.reduce(0) { $0 + $1.levelCount }
        var k = slopes + total - (fixedEffects.count - 1)
        if nested && !clusters.isEmpty {
            for fe in fixedEffects where clusters.contains(where: { fe.isNested(in: $0) }) {
                k -= fe.levelCount - 1
            }
        }
        return k
    }

    static func compute(_ type: CovarianceType, _ input: CovarianceInputs,
                        correction: SmallSampleCorrection) throws(ModelError) -> CovarianceResult {
        switch type {
        case .iid: return iid(input, correction: correction)
        case .heteroskedastic(let variant): return try heteroskedastic(variant, input, correction: correction)
        case .cluster: return try clustered(input, correction: correction)
        }
    }

    /// Whether tests use the t distribution: OLS, or a GLM whose dispersion was estimated.
    private static func linearLike(_ input: CovarianceInputs) -> Bool {
        input.isLinear || input.estimatedDispersion
    }

    /// V = σ̂²·c·B, with c = (n − 1)/(n − K) for OLS ((n − 1)/n without correction; σ̂² is
    /// RSS/(n − 1)), and for a GLM with fixed dispersion under fixest's correction.
    private static func iid(_ input: CovarianceInputs, correction: SmallSampleCorrection) -> CovarianceResult {
        let n = Double(input.observations)
        let K = parameterCount(slopes: input.slopes, fixedEffects: input.fixedEffects, clusters: [], nested: false)
        let factor = iidFactor(correction, n: n, parameters: K, isLinear: input.isLinear, estimatedDispersion: input.estimatedDispersion)
        var v = input.bread
        scale(&v, by: input.iidScale * factor)
        return CovarianceResult(matrix: v, degreesOfFreedom: linearLike(input) ? n - Double(K) : nil,
                                parameterCount: K, clusterCounts: [], notes: [])
    }

    /// V = c·B(ΣᵢsᵢsᵢᵀB) with scores sᵢ (divided by √(1 − hᵢ) for HC2, 1 − hᵢ for HC3) and
    /// c = n/(n − K) for HC1 (Stata: n/(n − 1) for GLMs), 1 otherwise.
    private static func heteroskedastic(_ variant: CovarianceType.HCVariant, _ input: CovarianceInputs,
                                        correction: SmallSampleCorrection) throws(ModelError) -> CovarianceResult {
        let n = Double(input.observations)
        if (variant == .hc2 || variant == .hc3) && !input.fixedEffects.isEmpty {
            throw .invalidOption("HC2 and HC3 need leverages, which the within transformation does not give; use hc1 or cluster with fixed effects")
        }
        let K = parameterCount(slopes: input.slopes, fixedEffects: input.fixedEffects, clusters: [], nested: false)
        var factors = input.scoreFactors
        if variant == .hc2 || variant == .hc3 {
            let h = try leverages(input)
            for i in 0..<input.observations where h[i] < 1 - 1e-12 {
                factors[i] /= variant == .hc2 ? (1 - h[i]).squareRoot() : (1 - h[i])
            }
        }
        // The meat Σᵢsᵢsᵢᵀ from the rows of X̃ scaled a block at a time, not an n × k copy.
        let meat: Matrix
        do { meat = try BLAS.syrk(input.design, rowScales: factors) } catch { throw .numerical("\(error)") }
        var v = try sandwich(input.bread, meat: meat)
        scale(&v, by: hcFactor(variant, correction, n: n, parameters: K, isLinear: input.isLinear))
        return CovarianceResult(matrix: v, degreesOfFreedom: linearLike(input) ? n - Double(K) : nil,
                                parameterCount: K, clusterCounts: [], notes: [])
    }

    /// Cameron–Gelbach–Miller multi-way clustering: V = Σ over non-empty subsets S of the
    /// clustering dimensions of (−1)^(|S|+1)·c_S·B(Σ_g u_g u_gᵀ)B, u_g the score sums over the
    /// clusters of the intersection of S; negative eigenvalues of V set to 0 with several
    /// dimensions. Degrees of freedom G_min − 1. With fewer than two clusters in some
    /// dimension V is NaN (the fit's report says why), not an error.
    private static func clustered(_ input: CovarianceInputs, correction: SmallSampleCorrection) throws(ModelError) -> CovarianceResult {
        let k = input.bread.rows
        var notes: [String] = []
        let clusters = input.clusters
        let K = parameterCount(slopes: input.slopes, fixedEffects: input.fixedEffects, clusters: clusters,
                               nested: correction == .fixest || correction == .stata)
        let counts = clusters.map(\.levelCount)
        guard let gMin = counts.min(), gMin >= 2 else {
            // One cluster: the sandwich is zero and G/(G − 1) undefined. NA, not an error: the
            // fit stands, and ResultAssembly says why and which covariance to use instead.
            return CovarianceResult(matrix: Matrix(rows: k, columns: k, repeating: .nan), degreesOfFreedom: linearLike(input) ? 0 : nil,
                                    parameterCount: K, clusterCounts: counts, notes: [])
        }
        var total = Matrix(rows: k, columns: k)
        let factors = input.scoreFactors
        // Inclusion–exclusion over the non-empty subsets of the clustering dimensions.
        for mask in 1..<(1 << clusters.count) {
            let members = (0..<clusters.count).filter { mask & (1 << $0) != 0 }
            let grouping = members.count == 1 ? clusters[members[0]] : intersect(members.map { clusters[$0] })
            let sums = clusterSums(input.design, factors: factors, grouping)
            var term = try sandwich(input.bread, meat: try gram(sums))
            let factor = clusterFactor(correction, input, parameters: K, smallestCount: gMin, count: grouping.levelCount)
            scale(&term, by: members.count % 2 == 1 ? factor : -factor)
            for j in 0..<k { for i in 0..<k { total[i, j] += term[i, j] } }
        }
        let finite = (0..<k).allSatisfy { j in (0..<k).allSatisfy { total[$0, j].isFinite } }
        if clusters.count > 1, finite, let fixed = try positivePart(total) {
            total = fixed
            notes.append("The multi-way clustered covariance was not positive semi-definite; its negative eigenvalues were set to zero (Cameron, Gelbach & Miller 2011).")
        }
        return CovarianceResult(matrix: total, degreesOfFreedom: linearLike(input) ? Double(gMin - 1) : nil,
                                parameterCount: K, clusterCounts: counts, notes: notes)
    }

    /// The small-sample factor of one clustering term, with G_min the fewest clusters of any
    /// dimension and G this term's: fixest G_min/(G_min − 1)·(n − 1)/(n − K); Stata the same
    /// (without (n − 1)/(n − K) for GLMs); statsmodels G/(G − 1)·(n − 1)/(n − K); none 1.
    static func clusterFactor(_ correction: SmallSampleCorrection, _ input: CovarianceInputs,
                              parameters K: Int, smallestCount gMin: Int, count: Int) -> Double {
        clusterFactor(correction, n: Double(input.observations), parameters: K, isLinear: input.isLinear,
                      smallestCount: gMin, count: count)
    }

    /// `clusterFactor(_:_:parameters:smallestCount:count:)` from n and the model's kind (shared with out-of-core fits).
    static func clusterFactor(_ correction: SmallSampleCorrection, n: Double, parameters K: Int, isLinear: Bool,
                              smallestCount gMin: Int, count: Int) -> Double {
        let g = Double(count)
        switch correction {
        case .fixest:
            return Double(gMin) / Double(gMin - 1) * residualFactor(n, K)
        case .stata:
            return Double(gMin) / Double(gMin - 1) * (isLinear ? residualFactor(n, K) : 1)
        case .statsmodels:
            return (g > 1 ? g / (g - 1) : 1) * residualFactor(n, K)
        case .none:
            return 1
        }
    }

    /// The factor c of the iid covariance V = σ̂²·c·B: (n − 1)/(n − K) for OLS ((n − 1)/n
    /// without correction; σ̂² is RSS/(n − 1)), the same for a GLM with a fixed dispersion
    /// under fixest's correction, else 1.
    static func iidFactor(_ correction: SmallSampleCorrection, n: Double, parameters K: Int, isLinear: Bool,
                          estimatedDispersion: Bool) -> Double {
        if isLinear {
            switch correction {
            case .fixest, .stata, .statsmodels: return residualFactor(n, K)
            case .none: return (n - 1) / n
            }
        }
        return !estimatedDispersion && correction == .fixest ? residualFactor(n, K) : 1
    }

    /// The factor of an HC covariance: n/(n − K) for HC1 (Stata: n/(n − 1) for GLMs), 1 otherwise.
    static func hcFactor(_ variant: CovarianceType.HCVariant, _ correction: SmallSampleCorrection, n: Double, parameters K: Int,
                         isLinear: Bool) -> Double {
        guard variant == .hc1 else { return 1 }
        switch correction {
        case .fixest, .statsmodels: return n > Double(K) ? n / (n - Double(K)) : .nan
        case .stata: return isLinear ? (n > Double(K) ? n / (n - Double(K)) : .nan) : n / (n - 1)
        case .none: return 1
        }
    }

    /// Σ_{λ>0} λ·vvᵀ over the eigenpairs of the symmetric `total` when its smallest
    /// eigenvalue is negative; `nil` when it is positive semi-definite already.
    private static func positivePart(_ total: Matrix) throws(ModelError) -> Matrix? {
        let k = total.rows
        let eig: SymmetricEigendecomposition
        do { eig = try SymmetricEigendecomposition(total) } catch { throw .numerical("\(error)") }
        guard let smallest = eig.eigenvalues.first, smallest < 0 else { return nil }
        var fixed = Matrix(rows: k, columns: k)
        for (m, lambda) in eig.eigenvalues.enumerated() where lambda > 0 {
            for j in 0..<k { for i in 0..<k { fixed[i, j] += lambda * eig.eigenvectors[i, m] * eig.eigenvectors[j, m] } }
        }
        return fixed
    }

    /// (n − 1)/(n − K), NaN when n ≤ K: with no residual degrees of freedom the factor is
    /// undefined (dividing by zero would give ±∞, and a negative n − K negative variances).
    static func residualFactor(_ n: Double, _ K: Int) -> Double {
        n > Double(K) ? (n - 1) / (n - Double(K)) : .nan
    }

    static func scale(_ m: inout Matrix, by s: Double) {
        for j in 0..<m.columns { for i in 0..<m.rows { m[i, j] *= s } }
    }

    /// AᵀA.
    static func gram(_ a: Matrix) throws(ModelError) -> Matrix {
        do { return try BLAS.syrk(a) } catch { throw .numerical("\(error)") }
    }

    /// B·M·B.
    static func sandwich(_ bread: Matrix, meat: Matrix) throws(ModelError) -> Matrix {
        do {
            let bm = try BLAS.gemm(bread, meat)
            var v = try BLAS.gemm(bm, bread)
            for j in 0..<v.columns { for i in 0..<j { let m = 0.5 * (v[i, j] + v[j, i]); v[i, j] = m; v[j, i] = m } }
            return v
        } catch {
            throw .numerical("\(error)")
        }
    }

    /// The G × k matrix of per-cluster score sums Σ_{i∈g} x̃ᵢⱼ·fᵢ (f the score factors),
    /// from X̃ column by column without an n × k matrix of scores.
    static func clusterSums(_ design: Matrix, factors: [Double], _ grouping: Grouping) -> Matrix {
        let g = grouping.levelCount, n = design.rows
        var sums = Matrix(rows: g, columns: design.columns)
        let codes = grouping.codes
        design.withUnsafeBufferPointer { px in
            factors.withUnsafeBufferPointer { pf in
                sums.withUnsafeMutableBufferPointer { pt in
                    for j in 0..<design.columns {
                        for i in 0..<n { pt[Int(codes[i]) + j * g] += px[i + j * n] * pf[i] }
                    }
                }
            }
        }
        return sums
    }

    /// The intersection of several groupings: one group per observed combination.
    static func intersect(_ groupings: [Grouping]) -> Grouping {
        var index: [[Int32]: Int32] = [:]
        var codes = [Int32](repeating: 0, count: groupings[0].codes.count)
        var levels: [String] = []
        for i in 0..<codes.count {
            let key = groupings.map { $0.codes[i] }
            if let c = index[key] { codes[i] = c } else {
                let c = Int32(levels.count)
                index[key] = c
                levels.append(zip(groupings, key).map { $0.levels[Int($1)] }.joined(separator: "_"))
                codes[i] = c
            }
        }
        return Grouping(name: groupings.map(\.name).joined(separator: "∩"), codes: codes, levels: levels)
    }

    /// hᵢ = aᵢᵀ B aᵢ with aᵢ the i-th row of √W·X̃.
    static func leverages(_ input: CovarianceInputs) throws(ModelError) -> [Double] {
        let a = input.weightedDesign
        let ab: Matrix
        do { ab = try BLAS.gemm(a, input.bread) } catch { throw .numerical("\(error)") }
        var h = [Double](repeating: 0, count: a.rows)
        for j in 0..<a.columns { for i in 0..<a.rows { h[i] += ab[i, j] * a[i, j] } }
        return h
    }
}
