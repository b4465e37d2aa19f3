import CLapack

/// Least squares for tall, well-conditioned designs at memory speed: the Cholesky
/// factor of the equilibrated Gram matrix, refined to QR-grade accuracy.
///
/// Algorithm (Björck's corrected semi-normal equations, with Cholesky-QR2 when needed):
/// 1. G = XᵀWX and XᵀWy in one pass over X: weighted, or with p ≤ 8, by `GramPass`
///    (dot products over row blocks on all cores); unweighted with p > 8 by `dsyrk` and
///    `dgemv` on X in place. Then G is equilibrated by the power-of-two scales S of the
///    QR path, G ← SGS (exact).
/// 2. R₁ = chol(G) (`dpotrf`), κ₁(G) ≈ κ₂(XS)² estimated by `dpocon`. When κ(G) > 1e12
///    (κ(XS) > 10⁶), or Cholesky fails, the problem is not for this path: `nil` is
///    returned and the caller uses pivoted Householder QR, which decides the rank.
/// 3. When κ(G) > 1e4, one Cholesky-QR2 pass makes R backward stable like QR's: Q₁ = XSR₁⁻¹
///    block by block (`dtrsm`), G₂ = Q₁ᵀQ₁ (`dsyrk`), R = chol(G₂)R₁. Below 1e4 the
///    covariance error of R₁ alone, about κ(G)·u ≈ 1e-12, is already at QR's level.
/// 4. b = R⁻¹R⁻ᵀSXᵀWy (XᵀWy from the pass of step 1), then refinement steps r = y − XSb, δ = R⁻¹R⁻ᵀSXᵀWr, b += δ
///    (one pass over X each, in row blocks) until ‖δ‖ ≤ 1e-15‖b‖, at most 4. With
///    `refinement: .never` (IRLS's intermediate solves): one step when κ(G) > 1e4, none
///    when the unrefined error κ(G)·u is below about 1e-12 already. Each step
///    multiplies the error by about κ²u ≤ 1e-4, so the result has QR's forward error κu.
/// 5. (XᵀWX)⁻¹ = S R⁻¹R⁻ᵀ S (`dpotri`); Xb and the residuals from the final b in one pass.
///
/// Memory: the p × p Gram matrix, a 16,384 × p block, and n-vectors; X is never copied.
/// Passes over X: 1 or 2 to factor (the right-hand side included), 1 per refinement step, 1 for the residuals. On the 1e6 × 21 benchmark this
/// is several times faster than `dgeqp3`, which is BLAS-2 bound by its column pivoting.
enum NormalEquationsSolver {
    /// Rows per block of the residual passes (an L2-sized slice of X).
    static let passRows = 8192
    /// κ(G) above which the path declines (κ(X) > 10⁶).
    static let maximumGramCondition = 1e12
    /// κ(G) above which R is refined by one Cholesky-QR2 pass.
    static let choleskyQR2Threshold = 1e4

    static func solve(_ x: Matrix, _ y: [Double], weights: [Double]?, options: LeastSquares.Options) throws(NumericsError) -> LeastSquaresSolution? {
        let n = x.rows, p = x.columns
        guard p > 0, n >= 2 * p, y.count == n else { return nil }
        let (w, count) = try checkedInputs(x, y, weights: weights, options: options)

        // 1. G = XᵀWX and XᵀWy, G equilibrated.
        var g: [Double]
        let rhs: [Double]
        (g, rhs) = gramAndRightHandSide(x, y, weights: w)
        let s = equilibrate(&g, p)

        // 2. R₁ and the condition of G.
        guard var r = cholesky(g, p), let rcond = conditionOfGram(r, g, p), rcond > 1 / maximumGramCondition else { return nil }

        // 3. One Cholesky-QR2 pass when G is not well conditioned.
        var passes = 0
        if 1 / rcond > choleskyQR2Threshold {
            guard let refined = choleskyQR2(x, r: r, s: s, weights: w) else { return nil }
            r = refined
            passes = 1
        }

        // 4. Solve and refine. `.never` (IRLS's intermediate solves): refine only when the
        //    semi-normal solution's error, about κ(G)·u, could exceed 1e-12; always at least
        //    one step otherwise.
        let maximumSteps = options.refinement == .never ? (1 / rcond > choleskyQR2Threshold ? 1 : 0) : 4
        var res = y
        let (b, steps) = refinedSolution(x, y, r: r, s: s, rhs: rhs, weights: w, maximumSteps: maximumSteps, residuals: &res)
        // The last pass: Xb, and the residuals y − Xb from it (skipped when the caller
        // needs neither: IRLS steps before the polish, the separation certificate).
        var fitted: [Double]? = nil
        var rss = Double.nan
        if options.residualsNeeded {
            guard let last = finalResiduals(x, y, b: b, s: s, weights: w, residuals: &res) else { return nil }
            (fitted, rss) = (last.fitted, last.rss)
        } else {
            res = []
        }

        // 5. Covariance (XᵀWX)⁻¹ = S R⁻¹R⁻ᵀ S.
        var covariance: Matrix? = nil
        if options.computeCovariance {
            guard let c = scaledInverse(r, s) else { return nil }
            covariance = c
        }
        let coefficients = (0..<p).map { s[$0] * b[$0] }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: p, observations: count,
            estimableColumns: Array(0..<p), collinearColumns: [],
            residuals: res, residualSumOfSquares: rss, unscaledCovariance: covariance,
            reciprocalCondition: rcond.squareRoot(), refinementSteps: steps,
            covarianceRefinementSteps: passes, fittedValues: fitted, method: .normalEquations)
    }

    /// The inputs checked: n and p within BLAS's integers, the weights (n of them, none
    /// negative), and, when `options.checkFinite`, the weights, X and y finite. Returns the
    /// weights and the number of rows that count (positive weight; n without weights).
    static func checkedInputs(_ x: Matrix, _ y: [Double], weights: [Double]?,
                              options: LeastSquares.Options) throws(NumericsError) -> (weights: [Double]?, count: Int) {
        _ = try blasInt(x.rows, "LeastSquares")
        _ = try blasInt(x.columns, "LeastSquares")
        let checked = try checkedWeights(weights, rows: x.rows, options: options)
        if options.checkFinite {
            try requireFinite(x.elements, operation: "LeastSquares", argument: "the design matrix")
            try requireFinite(y, operation: "LeastSquares", argument: "the response")
        }
        return checked
    }

    /// The weights checked (n of them, finite when `options.checkFinite`, none negative) and
    /// the number of rows that count (positive weight; n without weights).
    static func checkedWeights(_ weights: [Double]?, rows n: Int, options: LeastSquares.Options) throws(NumericsError) -> (weights: [Double]?, count: Int) {
        guard let weights else { return (nil, n) }
        guard weights.count == n else { throw .shapeMismatch(operation: "LeastSquares", detail: "\(weights.count) weights for \(n) rows") }
        if options.checkFinite { try requireFinite(weights, operation: "LeastSquares", argument: "the weights") }
        // Negative weights and the rows that count, in one pass.
        var positive = 0, negative = -1
        weights.withUnsafeBufferPointer { pw in
            for i in 0..<n {
                let v = pw[i]
                if v > 0 { positive += 1 } else if v < 0 && negative < 0 { negative = i }
            }
        }
        if negative >= 0 {
            throw .invalidArgument(operation: "LeastSquares", detail: "weight \(weights[negative]) at row \(negative) is negative")
        }
        return (weights, positive)
    }

    /// Step 1: G = XᵀWX (upper triangle) and the right-hand side XᵀWy: with weights (or
    /// p ≤ 8) in one pass over X by `GramPass` (each block √W X_b is multiplied by √W y_b),
    /// without by `ChunkedGram` (`dsyrk` on row chunks of X in place, on all cores) and
    /// one `dgemv`.
    static func gramAndRightHandSide(_ x: Matrix, _ y: [Double], weights w: [Double]?) -> (gram: [Double], rhs: [Double]) {
        let n = x.rows, p = x.columns
        if w != nil || p <= smallGramColumns { return GramPass.compute(x, y, weights: w) }
        let ni = Int32(n), pi = Int32(p)
        var rhs = [Double](repeating: 0, count: p)
        let g = x.withUnsafeBufferPointer { px in
            cblas_dgemv(CblasColMajor, CblasTrans, ni, pi, 1, px.baseAddress, ni, y, 1, 0, &rhs, 1)
            return ChunkedGram.upper(px.baseAddress!, n: n, p: p, rowScales: nil)
        }
        return (g, rhs)
    }

    /// Equilibration by powers of two (exact): sⱼ = 2^−e(‖√W xⱼ‖) from G's diagonal
    /// (1 for a zero or non-finite norm), then G ← SGS on the upper triangle. Returns S.
    static func equilibrate(_ g: inout [Double], _ p: Int) -> [Double] {
        var s = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let norm = g[j + j * p].squareRoot()
            if norm > 0 && norm.isFinite { s[j] = Double(sign: .plus, exponent: -norm.exponent, significand: 1) }
        }
        for j in 0..<p { for i in 0...j { g[i + j * p] *= s[i] * s[j] } }
        return s
    }

    /// Step 3, one Cholesky-QR2 pass: Q₁ = √W X S R₁⁻¹ block by block (`dtrsm`),
    /// G₂ = Q₁ᵀQ₁ (`dsyrk`), and R = chol(G₂)·R₁; `nil` when G₂ is not positive definite.
    static func choleskyQR2(_ x: Matrix, r: [Double], s: [Double], weights w: [Double]?) -> [Double]? {
        let n = x.rows, p = x.columns, pi = Int32(p)
        var g2 = [Double](repeating: 0, count: p * p)
        x.withUnsafeBufferPointer { px in
            r.withUnsafeBufferPointer { pr in
                g2.withUnsafeMutableBufferPointer { pg in
                    ScaledRowBlocks.forEach(px.baseAddress!, n: n, p: p, scale: w.map(ScaledRowBlocks.RowScale.squareRootOf) ?? .none, columnScales: s) { block, _, _, rows in
                        cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(rows), pi, 1,
                                    pr.baseAddress, pi, block, Int32(ScaledRowBlocks.blockRows))
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, pi, Int32(rows), 1, block, Int32(ScaledRowBlocks.blockRows), 1, pg.baseAddress, pi)
                    }
                }
            }
        }
        guard let r2 = cholesky(g2, p) else { return nil }
        // R = R₂R₁ (both upper triangular).
        var product = [Double](repeating: 0, count: p * p)
        for j in 0..<p { for i in 0...j {
            var t = 0.0
            for k in i...j { t += r2[i + k * p] * r[k + j * p] }
            product[i + j * p] = t
        } }
        return product
    }

    /// c ← R⁻¹R⁻ᵀc (two triangular solves with the p × p factor `r`).
    static func solveGram(_ r: [Double], _ c: inout [Double]) {
        let pi = Int32(c.count)
        r.withUnsafeBufferPointer { pr in
            cblas_dtrsv(CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, pi, pr.baseAddress, pi, &c, 1)
            cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, pi, pr.baseAddress, pi, &c, 1)
        }
    }

    /// Step 4: b = R⁻¹R⁻ᵀSXᵀWy, then up to `maximumSteps` refinement steps δ = R⁻¹R⁻ᵀSXᵀW(y − XSb),
    /// b += δ, until ‖δ‖∞ ≤ 1e-15‖b‖∞. Each step is one pass over X in row blocks
    /// (`residualPass`: two `dgemv` on each block in place, no copy), which leaves y − XSb
    /// of the b before it in `res`. Returns b (in the equilibrated scale) and the steps taken.
    static func refinedSolution(_ x: Matrix, _ y: [Double], r: [Double], s: [Double], rhs: [Double], weights w: [Double]?,
                                maximumSteps: Int, residuals res: inout [Double]) -> (b: [Double], steps: Int) {
        let p = x.columns
        var b = (0..<p).map { s[$0] * rhs[$0] }
        solveGram(r, &b)
        var steps = 0
        while steps < maximumSteps {
            var delta = residualPass(x, y, b: b, s: s, w: w, residuals: &res)
            solveGram(r, &delta)
            steps += 1
            var dn = 0.0, bn = 0.0
            for j in 0..<p { b[j] += delta[j]; dn = max(dn, abs(delta[j])); bn = max(bn, abs(b[j])) }
            if dn <= 1e-15 * bn { break }
        }
        return (b, steps)
    }

    /// The last pass: Xb = X(Sb) by `dgemv`, `residuals` ← y − Xb and Σwᵢrᵢ²; `nil` when the
    /// residuals are tiny next to y (a near-perfect fit: double-precision residuals lose
    /// digits, and QR with double-double residuals handles it).
    static func finalResiduals(_ x: Matrix, _ y: [Double], b: [Double], s: [Double], weights w: [Double]?,
                               residuals res: inout [Double]) -> (fitted: [Double], rss: Double)? {
        let n = x.rows, p = x.columns
        var xb = [Double](repeating: 0, count: n)
        let sb = (0..<p).map { s[$0] * b[$0] }
        x.withUnsafeBufferPointer { px in
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(p), 1, px.baseAddress, Int32(n), sb, 1, 0, &xb, 1)
        }
        for i in 0..<n { res[i] = y[i] - xb[i] }
        let rss = weightedSumOfSquares(res, w)
        guard rss > 1e-20 * weightedSumOfSquares(y, w) else { return nil }
        return (xb, rss)
    }

    /// Step 5: (XᵀWX)⁻¹ = S R⁻¹R⁻ᵀ S from the factor `r` (`dpotri`), both triangles; `nil`
    /// when the inversion fails.
    static func scaledInverse(_ r: [Double], _ s: [Double]) -> Matrix? {
        let p = s.count, pi = Int32(p)
        var inv = r
        let info = inv.withUnsafeMutableBufferPointer { LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackChar("U"), pi, $0.baseAddress, pi) }
        guard info == 0 else { return nil }
        var c = Matrix(rows: p, columns: p)
        for j in 0..<p { for i in 0...j {
            let v = inv[i + j * p] * s[i] * s[j]
            c[i, j] = v; c[j, i] = v
        } }
        return c
    }

    /// Columns up to which step 1 forms an unweighted G and Xᵀy by `GramPass` rather than
    /// `dsyrk`. 8: with few columns the BLAS-3 call has too little work to amortise.
    /// (Weighted G always comes from `GramPass`.)
    static let smallGramColumns = 8

    /// Σ wᵢvᵢ² with four accumulators (vectorizable; relative error about 1e-16·log n,
    /// ample for a residual sum of squares that is not tiny, which the caller checks).
    static func weightedSumOfSquares(_ v: [Double], _ w: [Double]?) -> Double {
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        let n = v.count
        v.withUnsafeBufferPointer { pv in
            var i = 0
            if let w {
                w.withUnsafeBufferPointer { pw in
                    while i + 4 <= n {
                        a0 += pw[i] * pv[i] * pv[i]; a1 += pw[i + 1] * pv[i + 1] * pv[i + 1]
                        a2 += pw[i + 2] * pv[i + 2] * pv[i + 2]; a3 += pw[i + 3] * pv[i + 3] * pv[i + 3]
                        i += 4
                    }
                    while i < n { a0 += pw[i] * pv[i] * pv[i]; i += 1 }
                }
            } else {
                while i + 4 <= n {
                    a0 += pv[i] * pv[i]; a1 += pv[i + 1] * pv[i + 1]; a2 += pv[i + 2] * pv[i + 2]; a3 += pv[i + 3] * pv[i + 3]
                    i += 4
                }
                while i < n { a0 += pv[i] * pv[i]; i += 1 }
            }
        }
        return (a0 + a1) + (a2 + a3)
    }

    /// One pass over X in row blocks: `residuals` ← y − XSb, and the returned S XᵀW(y − XSb).
    static func residualPass(_ x: Matrix, _ y: [Double], b: [Double], s: [Double], w: [Double]?,
                             residuals: inout [Double]) -> [Double] {
        let n = x.rows, p = x.columns
        let sb = (0..<p).map { s[$0] * b[$0] }
        var gradient = [Double](repeating: 0, count: p)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: passRows)
        defer { scratch.deallocate() }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                residuals.withUnsafeMutableBufferPointer { pr in
                    var start = 0
                    while start < n {
                        let rows = min(passRows, n - start)
                        let block = px.baseAddress! + start
                        let rb = pr.baseAddress! + start
                        for i in 0..<rows { rb[i] = py[start + i] }
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(p), -1, block, Int32(n), sb, 1, 1, rb, 1)
                        let v: UnsafePointer<Double>
                        if let w {
                            for i in 0..<rows { scratch[i] = w[start + i] * rb[i] }
                            v = UnsafePointer(scratch)
                        } else {
                            v = UnsafePointer(rb)
                        }
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(p), 1, block, Int32(n), v, 1, 1, &gradient, 1)
                        start += rows
                    }
                }
            }
        }
        for j in 0..<gradient.count { gradient[j] *= s[j] }
        return gradient
    }

    /// Upper Cholesky factor of the symmetric p × p matrix whose upper triangle is `a`, or `nil`.
    static func cholesky(_ a: [Double], _ p: Int) -> [Double]? {
        var f = a
        let info = f.withUnsafeMutableBufferPointer { LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackChar("U"), Int32(p), $0.baseAddress, Int32(p)) }
        guard info == 0 else { return nil }
        for j in 0..<p { for i in (j + 1)..<max(p, j + 1) { f[i + j * p] = 0 } }
        return f
    }

    /// Reciprocal 1-norm condition estimate of G from its factor (`dpocon`), or `nil`.
    static func conditionOfGram(_ r: [Double], _ g: [Double], _ p: Int) -> Double? {
        var norm = 0.0
        for j in 0..<p {
            var t = 0.0
            for i in 0..<p { t += abs(i <= j ? g[i + j * p] : g[j + i * p]) }
            norm = max(norm, t)
        }
        var rcond = 0.0
        let info = r.withUnsafeBufferPointer { LAPACKE_dpocon(LAPACK_COL_MAJOR, lapackChar("U"), Int32(p), $0.baseAddress, Int32(p), norm, &rcond) }
        return info == 0 && rcond.isFinite ? rcond : nil
    }
}
