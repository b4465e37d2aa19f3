import SteppeNumerics

/// Detects observations separated in a Poisson-type model by the iterated rectifier
/// ("ReLU") method of Correia, Guimarães & Zylkin (2021), as ppmlhdfe implements it.
///
/// Observation i with yᵢ = 0 is separated when some z = Xγ + Dα (regressors and
/// fixed effects) has z = 0 wherever y > 0, z ≥ 0 wherever y = 0, and zᵢ > 0: the MLE
/// then sends μᵢ to 0 and some coefficients to ±∞. The method looks for such a z by
/// least squares: regress u on X and the fixed effects, with u = 1(y = 0) at first,
/// weight K = 10⁸ on the y > 0 rows (so the fit is held at 0 there: least squares with
/// equality constraints by weighting); then replace u by max(ẑ, 0) on the y = 0 rows and
/// repeat. It stops when ẑ ≥ 0 on every y = 0 row (the rows with ẑ > 0 are separated), or
/// when no residual on those rows is negative (the normal equations then show that no
/// further separated row exists).
enum SeparationDetector {
    struct Result {
        var separated: [Bool]
        var iterations: Int
        var converged: Bool
    }

    /// - Parameters:
    ///   - y: outcomes (all ≥ 0).
    ///   - x: the design (with the intercept column when the model has one).
    ///   - groupings: the fixed effects.
    ///   - tolerance: ẑ within (−0.1·tol, tol) counts as 0. Default 1e-5 (ppmlhdfe's 1e-5 order).
    static func detect(y: [Double], x: Matrix, groupings: [Grouping]) throws(ModelError) -> Result {
        let levels = groupings.reduce(0) { $0 + $1.levelCount }
        let m = x.columns + levels
        if m <= 1500 && y.count * m <= 4_000_000 {
            return try detectExactly(y: y, x: x, groupings: groupings)
        }
        if try certifiesNoSeparation(y: y, x: x, groupings: groupings) {
            return Result(separated: [Bool](repeating: false, count: y.count), iterations: 0, converged: true)
        }
        return try detectByWeighting(y: y, x: x, groupings: groupings)
    }

    /// Whether no observation can be separated, by a test far cheaper than the rectifier
    /// iterations (one unweighted fit on the y > 0 rows instead of several fits with weights
    /// of 10⁸ at a demeaning tolerance of 1e-13).
    ///
    /// Separation needs a z = Xγ + Dα that is 0 on every y > 0 row and not 0 on some y = 0
    /// row; it exists exactly when rank(A_I) < rank(A), A = [X D] and A_I its y > 0 rows.
    /// The test fits a random r = Xγ + Dα (each column of X scaled to unit root mean
    /// square, γ and α standard normal, a fixed seed) on the y > 0 rows alone and predicts
    /// every y = 0 row from that fit. With equal ranks, any exact fit on the y > 0 rows is
    /// exact everywhere; with a rank gap, r has a random component along a direction the
    /// y > 0 rows cannot see, and the prediction misses some y = 0 row with probability 1.
    /// Certified when every miss is at most 1e-9·max|r|. The fit demeans to 1e-11 (1e-13
    /// before: the misses on the peers' PPML and panel problems were 1e-14 and 2e-13 of
    /// max|r| at 1e-11, far inside the bound); a looser fit can only fail to certify, and
    /// the rectifier then decides, so it cannot certify a separated sample. Without fixed
    /// effects the test is simpler: X has full column rank on the y > 0 rows. A `false`
    /// proves nothing: the rectifier then decides.
    static func certifiesNoSeparation(y: [Double], x: Matrix, groupings: [Grouping]) throws(ModelError) -> Bool {
        let n = y.count
        let positive = y.reduce(0) { $1 > 0 ? $0 + 1 : $0 }
        if positive == n { return true }
        guard positive > 0 else { return false }
        if groupings.isEmpty {
            // Without fixed effects, full column rank of X on the y > 0 rows is enough (only
            // γ = 0 gives Xγ = 0 there): one weighted Gram matrix, no random fit.
            let weights = y.map { $0 > 0 ? 1.0 : 0.0 }
            var options = LeastSquares.Options(rankTolerance: 1e-9, refinement: .never, computeCovariance: false,
                                               method: .normalEquations)
            options.residualsNeeded = false
            options.checkFinite = false
            do {
                return try LeastSquares.solve(x, y, weights: weights, options: options).rank == x.columns
            } catch {
                throw .numerical("separation check: \(error)")
            }
        }
        // Every level must be seen on the y > 0 rows (else its coefficient is free there).
        guard everyLevelSeen(y: y, groupings: groupings) else { return false }
        let r = randomFit(x: x, groupings: groupings)
        let scale = r.reduce(0) { max($0, abs($1)) }
        guard scale > 0 else { return false }
        // The fit on the y > 0 rows alone (unweighted, which converges faster than weights
        // of 0 on the y = 0 rows), levels keeping their numbers.
        let interior = (0..<n).filter { y[$0] > 0 }
        let inner = groupings.map { g in
            Grouping(name: g.name, codes: g.codes.withUnsafeBufferPointer { c in interior.map { c[$0] } }, levels: g.levels)
        }
        var regression = WithinRegression(groupings: inner, weights: nil, tolerance: 1e-11)
        // The fit is exact by construction: only its coefficients are used, so the
        // normal-equations path may keep it (it still declines rank-deficient designs).
        var options = LeastSquares.Options(rankTolerance: 1e-9, refinement: .never, computeCovariance: false,
                                           method: .normalEquations)
        options.residualsNeeded = false
        let fit = try regression.solve(x: ModelFrame.rows(x, interior), xLow: nil, z: interior.map { r[$0] },
                                       weights: nil, options: options)
        if regression.demeaningFailed || fit.fixedEffects.count != groupings.count { return false }
        return try largestMiss(y: y, x: x, groupings: groupings, fit: fit, target: r) <= 1e-9 * scale
    }

    /// Whether every level of every grouping has a row with y > 0.
    private static func everyLevelSeen(y: [Double], groupings: [Grouping]) -> Bool {
        groupings.allSatisfy { g in
            var seen = [Bool](repeating: false, count: g.levelCount)
            g.codes.withUnsafeBufferPointer { codes in
                for i in 0..<y.count where y[i] > 0 { seen[Int(codes[i])] = true }
            }
            return !seen.contains(false)
        }
    }

    /// The random r = Xγ + Dα of the certificate: γⱼ standard normal over the root mean
    /// square of column j (a column of zeros left out), α standard normal, in that order of
    /// draws from a fixed seed.
    private static func randomFit(x: Matrix, groupings: [Grouping]) -> [Double] {
        let n = x.rows
        var random = SeededRandom(seed: 0x5E9A_4A71)
        var r = [Double](repeating: 0, count: n)
        r.withUnsafeMutableBufferPointer { pr in
            for j in 0..<x.columns {
                let col = x.column(j), base = col.startIndex
                var squares = 0.0
                for i in 0..<n { squares += col[base + i] * col[base + i] }
                let rms = (squares / Double(n)).squareRoot()
                guard rms > 0 else { continue }
                let gamma = random.nextNormal() / rms
                for i in 0..<n { pr[i] += gamma * col[base + i] }
            }
            for g in groupings {
                let alpha = (0..<g.levelCount).map { _ in random.nextNormal() }
                g.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<n { pr[i] += alpha[Int(codes[i])] }
                }
            }
        }
        return r
    }

    /// max |Xβ + Dα − target| over the y = 0 rows, for the certificate's fit on the y > 0 rows.
    private static func largestMiss(y: [Double], x: Matrix, groupings: [Grouping], fit: WithinRegression.Solution,
                                    target r: [Double]) throws(ModelError) -> Double {
        var prediction: [Double]
        do { prediction = try BLAS.gemv(x, fit.beta) } catch { throw .numerical("separation check: \(error)") }
        prediction.withUnsafeMutableBufferPointer { p in
            for (g, grouping) in groupings.enumerated() {
                let alpha = fit.fixedEffects[g]
                grouping.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<p.count { p[i] += alpha[Int(codes[i])] }
                }
            }
        }
        var worst = 0.0
        for i in 0..<y.count where y[i] == 0 { worst = max(worst, abs(prediction[i] - r[i])) }
        return worst
    }

    /// The rectifier iterations, given a projection of u (on the y = 0 rows) onto the feasible fits.
    private static func iterate(y: [Double], tolerance: Double, maximumIterations: Int,
                                project: ([Double]) throws(ModelError) -> [Double]) throws(ModelError) -> Result {
        let n = y.count
        let boundary = (0..<n).filter { y[$0] == 0 }
        var separated = [Bool](repeating: false, count: n)
        var u = y.map { $0 > 0 ? 0.0 : 1.0 }
        for iteration in 1...maximumIterations {
            var z = try project(u)
            let residual = (0..<n).map { u[$0] - z[$0] }
            for i in 0..<n where y[i] > 0 { z[i] = 0 }
            for i in boundary where z[i] > -0.1 * tolerance && z[i] < tolerance { z[i] = 0 }
            if boundary.allSatisfy({ z[$0] >= 0 }) {
                for i in boundary { separated[i] = z[i] > 0 }
                return Result(separated: separated, iterations: iteration, converged: true)
            }
            if boundary.allSatisfy({ residual[$0] >= -1e-10 }) {
                for i in boundary where residual[i] > tolerance { z[i] = 0 }
                for i in boundary { separated[i] = z[i] > 0 }
                return Result(separated: separated, iterations: iteration, converged: true)
            }
            for i in boundary { u[i] = max(z[i], 0) }
        }
        return Result(separated: separated, iterations: maximumIterations, converged: false)
    }

    /// Small problems: least squares with the equality constraints imposed exactly.
    ///
    /// With A = [X D] (D the fixed-effect dummies, columns equilibrated), the feasible fits are
    /// z = Aγ with A_I γ = 0 on the rows where y > 0, i.e. γ = Nδ with N a basis of A_I's null
    /// space (from a pivoted QR of A_Iᵀ). u is projected onto the column space of A_B·N, whose
    /// orthonormal basis (from its SVD) serves every iteration. Tolerance 1e-7: no weighting error to absorb.
    static func detectExactly(y: [Double], x: Matrix, groupings: [Grouping]) throws(ModelError) -> Result {
        let n = y.count
        let boundary = (0..<n).filter { y[$0] == 0 }
        let interior = (0..<n).filter { y[$0] > 0 }
        if boundary.isEmpty { return Result(separated: [Bool](repeating: false, count: n), iterations: 0, converged: true) }
        // A, equilibrated.
        var columns: [[Double]] = (0..<x.columns).map { Array(x.column($0)) }
        for g in groupings {
            for l in 0..<g.levelCount { columns.append(g.codes.map { $0 == Int32(l) ? 1 : 0 }) }
        }
        columns = columns.compactMap { c in
            let norm = BLAS.nrm2(c)
            return norm > 0 ? c.map { $0 / norm } : nil
        }
        let m = columns.count
        var basis: Matrix
        if interior.isEmpty {
            basis = Matrix.identity(m)
        } else {
            do {
                // A_Iᵀ (m × n_I): rows are the columns of A restricted to the interior.
                var aiT = Matrix(rows: m, columns: interior.count)
                for (c, col) in columns.enumerated() { for (k, i) in interior.enumerated() { aiT[c, k] = col[i] } }
                let qr = try PivotedQR(aiT)
                let r = qr.rank(tolerance: 1e-10)
                let d = m - r
                if d == 0 { return Result(separated: [Bool](repeating: false, count: n), iterations: 0, converged: true) }
                var e = Matrix(rows: m, columns: d)
                for j in 0..<d { e[r + j, j] = 1 }
                basis = try qr.applyQ(to: e, transpose: false)
            } catch {
                throw .numerical("separation check: \(error)")
            }
        }
        // B = A_B·N, and an orthonormal basis U of its column space: singular values above
        // 1e-9. A's columns have unit norm and N's are orthonormal, so B's scale is 1 and the
        // cut is absolute; where A_B·N cancels, B is pure rounding noise (1e-16), and a relative
        // cut, or a solver that equilibrates columns, would take that noise for directions.
        var ab = Matrix(rows: boundary.count, columns: m)
        for (c, col) in columns.enumerated() { for (k, i) in boundary.enumerated() { ab[k, c] = col[i] } }
        let u: Matrix
        do {
            let b = try BLAS.gemm(ab, basis)
            let svd = try SingularValueDecomposition(b)
            let cutoff = 1e-9
            let keep = svd.singularValues.filter { $0 > cutoff }.count
            u = svd.u.columns(0..<keep)
        } catch {
            throw .numerical("separation check: \(error)")
        }
        return try iterate(y: y, tolerance: 1e-7, maximumIterations: 100_000) { target throws(ModelError) in
            let ub = boundary.map { target[$0] }
            var z = [Double](repeating: 0, count: n)
            guard u.columns > 0 else { return z }
            do {
                let coordinates = try BLAS.gemv(u, ub, transpose: true)
                let fit = try BLAS.gemv(u, coordinates)
                for (k, i) in boundary.enumerated() { z[i] = fit[k] }
            } catch {
                throw .numerical("separation check: \(error)")
            }
            return z
        }
    }

    /// Large problems: the equality constraints by weighting (K = 10⁸ on the y > 0 rows),
    /// fixed effects absorbed, as ppmlhdfe does.
    static func detectByWeighting(y: [Double], x: Matrix, groupings: [Grouping], tolerance: Double = 1e-5,
                                  maximumIterations: Int = 1000) throws(ModelError) -> Result {
        let n = y.count
        if !y.contains(0) { return Result(separated: [Bool](repeating: false, count: n), iterations: 0, converged: true) }
        let heavy = 1e8
        let weights = y.map { $0 > 0 ? heavy : 1 }
        var regression = WithinRegression(groupings: groupings, weights: weights, tolerance: 1e-13)
        let options = LeastSquares.Options(rankTolerance: 1e-9, refinement: .never, computeCovariance: false)
        return try iterate(y: y, tolerance: tolerance, maximumIterations: maximumIterations) { u throws(ModelError) in
            try regression.solve(x: x, xLow: nil, z: u, weights: weights, options: options).fitted
        }
    }
}
