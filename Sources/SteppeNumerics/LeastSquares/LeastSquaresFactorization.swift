/// The factorization behind `LeastSquares`, kept so that many responses (or many
/// refits that share a design) pay for the QR once.
///
/// Holds the caller's design (shared, not copied, thanks to copy-on-write), √w, the
/// power-of-two column scales and the pivoted QR of the equilibrated design (of its
/// estimable columns, when some were dropped as collinear).
public struct LeastSquaresFactorization: Sendable {
    /// The options this factorization was made with.
    public let options: LeastSquares.Options
    /// The design X as given.
    public let design: Matrix
    /// Low-order parts of X, if given.
    public let designLowParts: Matrix?
    /// √wᵢ, or `nil` for equal weights.
    let rootWeights: [Double]?
    /// Power-of-two factors sⱼ with ‖sⱼ·√W·xⱼ‖ ∈ [½, 2) (1 for zero columns).
    public let columnScales: [Double]
    /// Columns of X that are factored (all but those dropped as collinear), ascending.
    public let keptColumns: [Int]
    /// The pivoted QR of √W·X·S restricted to `keptColumns`.
    public let qr: PivotedQR
    /// Numerical rank.
    public let rank: Int
    /// Number of rows with positive weight.
    public let observations: Int
    /// Reciprocal 1-norm condition estimate of R₁₁, the equilibrated estimable design (1 when rank is 0).
    public let reciprocalCondition: Double

    /// Factors X (with weights).
    ///
    /// - Throws: `shapeMismatch`, `nonFiniteInput`, `invalidArgument` for negative weights, LAPACK errors.
    /// Complexity: about 2np² flops (the QR) plus O(np) for the checks and scaling.
    public init(_ design: Matrix, weights: [Double]? = nil, designLowParts: Matrix? = nil,
                options: LeastSquares.Options = LeastSquares.Options()) throws(NumericsError) {
        let n = design.rows, p = design.columns
        let op = "LeastSquares"
        try requireFinite(design.elements, operation: op, argument: "the design matrix")
        if let low = designLowParts {
            guard low.rows == n, low.columns == p else {
                throw .shapeMismatch(operation: op, detail: "design is \(n)×\(p), its low parts \(low.rows)×\(low.columns)")
            }
            try requireFinite(low.elements, operation: op, argument: "the design's low parts")
        }
        var root: [Double]? = nil
        var count = n
        if let w = weights {
            guard w.count == n else { throw .shapeMismatch(operation: op, detail: "\(w.count) weights for \(n) rows") }
            try requireFinite(w, operation: op, argument: "the weights")
            if let bad = w.firstIndex(where: { $0 < 0 }) {
                throw .invalidArgument(operation: op, detail: "weight \(w[bad]) at row \(bad) is negative")
            }
            root = w.map { $0.squareRoot() }
            count = w.reduce(0) { $1 > 0 ? $0 + 1 : $0 }
        }
        guard options.rankTolerance >= 0, options.rankTolerance < 1 else {
            throw .invalidArgument(operation: op, detail: "rank tolerance \(options.rankTolerance) is outside [0, 1)")
        }

        // Equilibrate: power-of-two scales of the weighted columns (exact, no rounding).
        var scales = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let norm = Self.weightedNorm(design, column: j, rootWeights: root)
            guard norm > 0, norm.isFinite else { continue }
            scales[j] = Double(sign: .plus, exponent: -norm.exponent, significand: 1)
        }
        // Factor; while the rank is short, drop the latest columns that depend on earlier
        // ones (as R's lm and fixest do) and factor the rest again.
        var kept = Array(0..<p)
        var qr: PivotedQR
        var k: Int
        while true {
            qr = try PivotedQR(Self.equilibrated(design, columns: kept, rootWeights: root, scales: scales))
            k = qr.rank(tolerance: options.rankTolerance)
            if k == kept.count { break }
            let drop: Set<Int>
            if let split = try Self.earliestIndependentSplit(qr, rank: k) { drop = split } else { drop = try Self.latestDependentColumns(qr, rank: k) }
            kept = kept.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        }
        self.options = options
        self.design = design
        self.designLowParts = designLowParts
        self.rootWeights = root
        self.columnScales = scales
        self.keptColumns = kept
        self.qr = qr
        self.rank = k
        self.observations = count
        self.reciprocalCondition = k == 0 ? 1 : try qr.reciprocalCondition(leading: k)
    }

    /// ‖√W·xⱼ‖₂.
    private static func weightedNorm(_ x: Matrix, column j: Int, rootWeights: [Double]?) -> Double {
        guard let root = rootWeights else { return BLAS.nrm2(x.column(j)) }
        var scaled = Array(x.column(j))
        for i in 0..<scaled.count { scaled[i] *= root[i] }
        return BLAS.nrm2(scaled)
    }

    /// √W·X[:, columns]·S as a new matrix.
    private static func equilibrated(_ x: Matrix, columns: [Int], rootWeights: [Double]?, scales: [Double]) -> Matrix {
        let n = x.rows
        var a = x.columns(columns)
        a.withUnsafeMutableBufferPointer { pa in
            for (c, j) in columns.enumerated() {
                let s = scales[j]
                if let root = rootWeights {
                    for i in 0..<n { pa[i + c * n] *= root[i] * s }
                } else if s != 1 {
                    for i in 0..<n { pa[i + c * n] *= s }
                }
            }
        }
        return a
    }

    /// Positions (into the factored columns) of the columns to drop: the latest ones in
    /// column order that, together, span the numerical null space.
    ///
    /// With A·P = Q[R₁₁ R₁₂; 0 ≈0], the null space is spanned by the columns of
    /// N = P[−R₁₁⁻¹R₁₂; I]. Gaussian elimination on N's rows from the last column of A
    /// backwards picks, greedily, the latest rows that make an invertible block: dropping
    /// those columns leaves the earliest full-rank set. Complexity: O(p³), independent of n.
    private static func latestDependentColumns(_ qr: PivotedQR, rank k: Int) throws(NumericsError) -> Set<Int> {
        let m = qr.columns, d = m - k
        var r12 = Matrix(rows: k, columns: d)
        for c in 0..<d { for i in 0..<k { r12[i, c] = qr.factors[i, k + c] } }
        let z = try qr.solveR(r12, leading: k)
        var null = Matrix(rows: m, columns: d)
        for c in 0..<d {
            for i in 0..<k { null[qr.permutation[i], c] = -z[i, c] }
            null[qr.permutation[k + c], c] = 1
        }
        var dropped = Set<Int>()
        var usedColumns = Set<Int>()
        for row in stride(from: m - 1, through: 0, by: -1) where dropped.count < d {
            var best = -1
            var bestSize = 0.0
            for c in 0..<d where !usedColumns.contains(c) {
                let norm = BLAS.nrm2(null.column(c))
                let size = norm > 0 ? abs(null[row, c]) / norm : 0
                if size > bestSize { bestSize = size; best = c }
            }
            guard best >= 0, bestSize > 1e-8 else { continue }
            dropped.insert(row)
            usedColumns.insert(best)
            let pivot = null[row, best]
            for c in 0..<d where c != best && !usedColumns.contains(c) {
                let f = null[row, c] / pivot
                if f == 0 { continue }
                for i in 0..<m { null[i, c] -= f * null[i, best] }
            }
        }
        // Numerical safety: if elimination found fewer rows than the rank deficit, drop the QR's own choice.
        if dropped.count < d { for q in k..<m { dropped.insert(qr.permutation[q]) } }
        return dropped
    }

    /// Positions (into the factored columns) of the columns to drop: the latest ones in
    /// column order that depend on earlier ones, found in one pass over the columns.
    ///
    /// To the QR's rank k, factored column j is Q₁·wⱼ, with wⱼ the column of [R₁₁ R₁₂] at
    /// j's pivot position (k numbers). Going through the columns in order, wⱼ is reduced
    /// by the Householder reflections of the columns kept so far; j is kept when what is
    /// left has norm ρⱼ > 1e−10·‖wⱼ‖, and the pass ends when k are kept (the rest depend
    /// on them). The earliest independent columns are kept, so the latest dependent ones
    /// are dropped, as R's `lm` and fixest do; this is the complement of the rows that
    /// `latestDependentColumns` picks from the null space (matroid duality), at O(k²) per
    /// column instead of O(p²).
    ///
    /// - Returns: `nil` when the pass is not clear-cut, so that the null-space elimination
    ///   decides as it always has: some ρⱼ/‖wⱼ‖ is within a factor 1000 of 1e−10, fewer
    ///   than k columns are kept, or R₁₁ is ill-conditioned (1/κ₁ < 1e−6, where the
    ///   null-space vectors grow large and that elimination's 1e−8 threshold matters).
    static func earliestIndependentSplit(_ qr: PivotedQR, rank k: Int) throws(NumericsError) -> Set<Int>? {
        let m = qr.columns
        guard k > 0, try qr.reciprocalCondition(leading: k) >= 1e-6 else { return nil }
        var position = [Int](repeating: 0, count: m)
        for q in 0..<m { position[qr.permutation[q]] = q }
        var reflectors = [Double](repeating: 0, count: k * k)   // column r: the r-th reflector v (v[r] = 1 implied), rows r..<k
        var betas = [Double](repeating: 0, count: k)
        var w = [Double](repeating: 0, count: k)
        var kept = 0
        var dropped = Set<Int>()
        for j in 0..<m {
            if kept == k { dropped.insert(j); continue }
            let q = position[j]
            for i in 0..<k { w[i] = i <= q ? qr.factors[i, q] : 0 }
            let size = BLAS.nrm2(w)
            Self.applyReflectors(reflectors, betas, count: kept, k: k, to: &w)
            let rest = BLAS.nrm2(w[kept..<k])
            let ratio = size > 0 ? rest / size : 0
            if ratio > 1e-13 && ratio < 1e-7 { return nil }
            if ratio <= 1e-10 { dropped.insert(j); continue }
            Self.appendReflector(&reflectors, &betas, at: kept, k: k, from: w)
            kept += 1
        }
        return kept == k ? dropped : nil
    }

    /// w ← H_{count−1}⋯H₀·w for the stored reflectors Hᵣ = I − βᵣvᵣvᵣᵀ.
    private static func applyReflectors(_ v: [Double], _ betas: [Double], count: Int, k: Int, to w: inout [Double]) {
        for r in 0..<count {
            var s = w[r]
            for i in (r + 1)..<k { s += v[r * k + i] * w[i] }
            s *= betas[r]
            w[r] -= s
            for i in (r + 1)..<k { w[i] -= s * v[r * k + i] }
        }
    }

    /// Stores the reflector that maps w[r..<k] onto a multiple of e_r (LAPACK's dlarfg).
    private static func appendReflector(_ v: inout [Double], _ betas: inout [Double], at r: Int, k: Int, from w: [Double]) {
        let alpha = w[r]
        let norm = BLAS.nrm2(w[r..<k])
        let beta = alpha >= 0 ? -norm : norm          // the new diagonal
        let scale = 1 / (alpha - beta)
        for i in (r + 1)..<k { v[r * k + i] = w[i] * scale }
        betas[r] = (beta - alpha) / beta
    }

    /// The column of X that pivot position q of the QR refers to.
    @inline(__always)
    func originalColumn(pivot q: Int) -> Int { keptColumns[qr.permutation[q]] }

    /// Column indices (into X) of the estimable columns, ascending.
    public var estimableColumns: [Int] { keptColumns }
    /// Column indices (into X) judged collinear with earlier ones and dropped, ascending.
    /// Of a set of dependent columns the latest are dropped, as R's `lm` and fixest do.
    public var collinearColumns: [Int] {
        let kept = Set(keptColumns)
        return (0..<design.columns).filter { !kept.contains($0) }
    }
    /// Estimated condition number of the equilibrated estimable design, 1/`reciprocalCondition`.
    public var conditionEstimate: Double { 1 / reciprocalCondition }

    /// Solves for one response vector.
    ///
    /// - Throws: `shapeMismatch` when `response.count` differs from the rows of X; `nonFiniteInput`.
    /// Complexity: O(np) for the solve and each refinement step; O(np²) per covariance refinement step.
    public func solve(_ response: [Double]) throws(NumericsError) -> LeastSquaresSolution {
        let n = design.rows
        guard response.count == n else {
            throw .shapeMismatch(operation: "LeastSquares", detail: "\(response.count) responses for \(n) rows")
        }
        try requireFinite(response, operation: "LeastSquares", argument: "the response")
        // A response beyond 2^±500 (1e±150) is scaled by a power of two first (exact), so that
        // the refinement's squares neither overflow (outcomes near 1e300 made the solve fail
        // inside dtrtrs) nor underflow; the solution is scaled back.
        let largest = response.reduce(0) { max($0, abs($1)) }
        let shift = largest > 0x1p500 || (largest > 0 && largest < 0x1p-500) ? -Int(largest.exponent) : 0
        guard shift != 0 else { return try solveScaled(response) }
        func scalbn(_ x: Double, _ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: x) }
        let s = try solveScaled(response.map { scalbn($0, shift) })
        var scaled = LeastSquaresSolution(
            coefficients: s.coefficients.map { scalbn($0, -shift) }, rank: s.rank, observations: s.observations,
            estimableColumns: s.estimableColumns, collinearColumns: s.collinearColumns,
            residuals: s.residuals.map { scalbn($0, -shift) }, residualSumOfSquares: scalbn(s.residualSumOfSquares, -2 * shift),
            unscaledCovariance: s.unscaledCovariance, reciprocalCondition: s.reciprocalCondition,
            refinementSteps: s.refinementSteps, covarianceRefinementSteps: s.covarianceRefinementSteps)
        scaled.fittedValues = s.fittedValues?.map { scalbn($0, -shift) }
        scaled.method = s.method
        return scaled
    }

    /// `solve(_:)` for a response whose magnitude is safe to square.
    private func solveScaled(_ response: [Double]) throws(NumericsError) -> LeastSquaresSolution {
        let n = design.rows, p = design.columns, k = rank
        let problem = RefinementProblem(factorization: self)

        // Initial solve in double: b = R₁₁⁻¹ (Qᵀ √W y)₁.
        var yw = response
        if let root = rootWeights { for i in 0..<n { yw[i] *= root[i] } }
        var b = [Double](repeating: 0, count: k)
        if k > 0 {
            let qty = try qr.applyQ(to: yw, transpose: true, reflectors: k)
            b = try qr.solveR(Matrix(column: Array(qty[0..<k])), leading: k).elements
        }
        var steps = 0
        let zeroC = [Double](repeating: 0, count: k)
        if k > 0 && shouldRefineCoefficients(b: b, residualNorm: problem.residualNorm(response: response, b: b)) {
            steps = try problem.refine(response: response, c: zeroC, b: &b)
        }

        // Coefficients on the caller's scale; residuals and RSS from the final b in double-double.
        var coefficients = [Double](repeating: 0, count: p)
        for q in 0..<k { let j = originalColumn(pivot: q); coefficients[j] = columnScales[j] * b[q] }
        let (residuals, rss) = problem.residuals(response: response, b: b)

        var covariance: Matrix? = nil
        var covarianceSteps = 0
        if options.computeCovariance {
            (covariance, covarianceSteps) = try unscaledCovariance(problem: problem)
        }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: k, observations: observations,
            estimableColumns: estimableColumns, collinearColumns: collinearColumns,
            residuals: residuals, residualSumOfSquares: rss, unscaledCovariance: covariance,
            reciprocalCondition: reciprocalCondition, refinementSteps: steps,
            covarianceRefinementSteps: covarianceSteps)
    }

    /// (XᵀWX)⁻¹ over the estimable columns (ascending order), and the refinement steps it took in total.
    ///
    /// Complexity: O(k³) from R₁₁, plus O(nk²) per refinement step when refined.
    public func unscaledCovariance() throws(NumericsError) -> Matrix {
        try unscaledCovariance(problem: RefinementProblem(factorization: self)).0
    }

    func unscaledCovariance(problem: RefinementProblem) throws(NumericsError) -> (Matrix, Int) {
        let k = rank
        if k == 0 { return (Matrix(rows: 0, columns: 0), 0) }
        // C = R₁₁⁻¹ R₁₁⁻ᵀ in the pivoted, equilibrated space.
        let rInverseT = try qr.solveR(Matrix.identity(k), leading: k, transpose: true)
        var c = try qr.solveR(rInverseT, leading: k)
        var steps = 0
        if refineCovariance {
            let zeroY = [Double](repeating: 0, count: design.rows)
            for q in 0..<k {
                var column = Array(c.column(q))
                var e = [Double](repeating: 0, count: k)
                e[q] = -1
                steps += try problem.refine(response: zeroY, c: e, b: &column)
                try c.setColumn(q, to: column)
            }
            // Symmetrize: the two refined halves agree to refinement accuracy.
            for j in 0..<k { for i in 0..<j { let m = 0.5 * (c[i, j] + c[j, i]); c[i, j] = m; c[j, i] = m } }
        }
        // Map to ascending original column order and undo the scaling (exact: powers of two).
        let order = (0..<k).sorted { originalColumn(pivot: $0) < originalColumn(pivot: $1) }
        var out = Matrix(rows: k, columns: k)
        for (jj, qj) in order.enumerated() {
            let sj = columnScales[originalColumn(pivot: qj)]
            for (ii, qi) in order.enumerated() {
                out[ii, jj] = columnScales[originalColumn(pivot: qi)] * sj * c[qi, qj]
            }
        }
        return (out, steps)
    }

    var refineCovariance: Bool {
        switch options.refinement {
        case .never: return false
        case .always: return true
        case .automatic:
            let n = Double(design.rows), k = Double(rank)
            return n * k * k <= LeastSquares.Options.smallCovarianceWork || 0x1p-53 * conditionEstimate > options.automaticThreshold
        }
    }

    func shouldRefineCoefficients(b: [Double], residualNorm: Double) -> Bool {
        switch options.refinement {
        case .never: return false
        case .always: return true
        case .automatic:
            if Double(design.rows) * Double(rank) <= LeastSquares.Options.smallCoefficientWork { return true }
            let bNorm = BLAS.nrm2(b)
            guard bNorm > 0 else { return false }
            // Columns are equilibrated to norm ≈ 1, so ‖A‖_F ≈ √k.
            let rho = residualNorm / (Double(rank).squareRoot() * bNorm)
            let kappa = conditionEstimate
            return 0x1p-53 * kappa * (1 + kappa * rho) > options.automaticThreshold
        }
    }
}
