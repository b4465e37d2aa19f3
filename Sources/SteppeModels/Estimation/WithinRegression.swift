import SteppeNumerics

/// Weighted least squares of z on X after partialling out fixed effects (Frisch–Waugh–Lovell):
/// the workhorse of OLS with fixed effects and of every IRLS step.
///
/// On the first solve it decides which columns of X take part: a column whose weighted
/// norm falls below 1e-7 of its original after demeaning is absorbed by the fixed
/// effects; among the rest, `LeastSquares` drops the later of any collinear set. Later
/// solves (IRLS iterations) keep that choice, so the model does not change between
/// iterations, and warm-start the demeaning from the previous coefficients.
struct WithinRegression {
    let absorber: FixedEffectAbsorber?
    /// Columns of X in use, ascending.
    private(set) var active: [Int]? = nil
    private(set) var absorbed: [Int] = []
    private(set) var collinear: [Int] = []
    private var xStarts: [[[Double]]]? = nil
    private var zStart: [[Double]]? = nil
    /// Whether any demeaning stopped at its sweep limit.
    private(set) var demeaningFailed = false

    /// Relative norm below which a demeaned column counts as absorbed by the fixed effects.
    static let absorptionTolerance = 1e-7

    init(groupings: [Grouping], weights: [Double]?, tolerance: Double, cells: TwoWayCells? = nil) {
        if groupings.isEmpty {
            absorber = nil
        } else {
            var a = FixedEffectAbsorber(groupings: groupings, weights: weights, cells: cells)
            a.tolerance = tolerance
            absorber = a
        }
    }

    struct Solution {
        /// Coefficients over all columns of X (0 for columns not in use).
        var beta: [Double]
        /// z̃ − X̃β: the residual of the within regression.
        var residual: [Double]
        /// Xβ + Dα: the fitted part, fixed effects included.
        var fitted: [Double]
        /// The demeaned active columns.
        var xTilde: Matrix
        /// Demeaned z.
        var zTilde: [Double]
        /// The factorization of the weighted demeaned design (for covariances).
        var solution: LeastSquaresSolution
        /// α with Dα = fitted − Xβ, one array per grouping (not normalised; empty without
        /// fixed effects): α_z − Σⱼ βⱼ α_xⱼ from the demeaning coefficients, the same
        /// projection that demeaning z − Xβ would give, without another absorption.
        var fixedEffects: [[Double]]
    }

    /// Solves with `weights` (the absorber's own weights must match; IRLS rebuilds the absorber when weights change).
    ///
    /// `demeanTolerance` overrides the absorber's tolerance (IRLS loosens it early on).
    /// With `cache` (a first solve only), demeaned columns and z are looked up under
    /// `cacheContext` + their `names` (z under `zName`) and stored after demeaning.
    mutating func solve(x: Matrix, xLow: Matrix?, z: [Double], weights: [Double]?,
                        options: LeastSquares.Options,
                        cache: (store: AbsorptionCache, context: String, names: [String], zName: String)? = nil,
                        demeanTolerance: Double? = nil) throws(ModelError) -> Solution {
        let n = z.count
        var columns = active ?? Array(0..<x.columns)
        // All columns in use: X itself (a copy-on-write share, not an n × p copy per IRLS step).
        var xa = columns.count == x.columns ? x : x.columns(columns)
        var zTilde = z
        var lowParts: Matrix? = absorber == nil ? xLow.map { $0.columns(columns) } : nil
        if let absorber {
            // The columns and z together, in parallel (one task each); each column is read
            // from X and written into the demeaned matrix in place. On a first solve with a
            // cache, those demeaned before are copied from it (and those converged now are
            // kept for the next variant).
            let k = xa.columns, rows = xa.rows
            guard rows > 0 else { throw .noObservations("no observations are left to fit") }
            let tolerance = demeanTolerance ?? absorber.tolerance
            let cached = demeanTolerance == nil && active == nil && zStart == nil ? cache : nil
            let keys = cached.map { c in columns.map { c.context + "|x:" + c.names[$0] } + [c.context + "|" + c.zName] }
            let found: [FixedEffectAbsorber.Result?] = (0...k).map { j in
                guard let keys, let store = cached?.store else { return nil }
                return store.value(for: keys[j])
            }
            let missing = (0...k).filter { found[$0] == nil }
            var demeaned = Matrix(rows: rows, columns: k)
            var zOut = [Double](repeating: 0, count: rows)
            // The vectors not found in the cache, demeaned together from X's columns and z
            // straight into the demeaned matrix and z̃ (no copies).
            let starts = missing.map { $0 < k ? xStarts?[$0] : zStart }
            let outcomes = demeaned.withUnsafeMutableBufferPointer { po in
                xa.withUnsafeBufferPointer { px in
                    z.withUnsafeBufferPointer { pz in
                        zOut.withUnsafeMutableBufferPointer { pzo in
                            let inputs = missing.map { j in
                                SharedBuffer(UnsafeMutablePointer(mutating: j < k ? px.baseAddress! + j * rows : pz.baseAddress!))
                            }
                            let outputs = missing.map { j in SharedBuffer(j < k ? po.baseAddress! + j * rows : pzo.baseAddress!) }
                            return absorber.demean(inputs: inputs, outputs: outputs, rows: rows, starts: starts, tolerance: tolerance)
                        }
                    }
                }
            }
            var results: [FixedEffectAbsorber.Result] = []
            var next = 0
            for j in 0...k {
                if let hit = found[j] {
                    if j < k {
                        demeaned.withUnsafeMutableBufferPointer { po in for i in 0..<rows { po[j * rows + i] = hit.residual[i] } }
                    } else {
                        zOut = hit.residual
                    }
                    results.append(FixedEffectAbsorber.Result(residual: [], coefficients: hit.coefficients, sweeps: hit.sweeps, converged: hit.converged))
                } else {
                    let o = outcomes[next]
                    next += 1
                    results.append(FixedEffectAbsorber.Result(residual: [], coefficients: o.coefficients, sweeps: o.sweeps, converged: o.converged))
                }
            }
            results[k].residual = zOut
            if let keys, let store = cached?.store {
                for j in 0...k where found[j] == nil && results[j].converged {
                    var r = results[j]
                    if j < k { r.residual = Array(demeaned.column(j)) }
                    store.store(r, for: keys[j])
                }
            }
            let columnStarts = results[0..<k].map(\.coefficients)
            let okX = results[0..<k].allSatisfy(\.converged)
            let rz = results[k]
            if !okX || !rz.converged { demeaningFailed = true }
            xStarts = columnStarts
            zStart = rz.coefficients
            zTilde = rz.residual
            if active == nil {
                // Absorbed columns: demeaned weighted norm tiny relative to the original.
                var keep: [Int] = []
                for (k, j) in columns.enumerated() {
                    let before = Self.weightedNorm(Array(xa.column(k)), weights)
                    let after = Self.weightedNorm(Array(demeaned.column(k)), weights)
                    if before == 0 || after <= Self.absorptionTolerance * before { absorbed.append(j) } else { keep.append(k) }
                }
                xa = demeaned.columns(keep)
                xStarts = keep.map { columnStarts[$0] }
                columns = keep.map { columns[$0] }
            } else {
                xa = demeaned
            }
        }
        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquares.solve(xa, zTilde, weights: weights, designLowParts: lowParts, options: options)
        } catch {
            throw .numerical("\(error)")
        }
        if active == nil {
            collinear = solution.collinearColumns.map { columns[$0] }
            let estimable = solution.estimableColumns
            active = estimable.map { columns[$0] }
            xStarts = xStarts.map { s in estimable.map { s[$0] } }
            lowParts = nil
            if solution.collinearColumns.isEmpty {
                return finish(solution, x: x, xa: xa, z: z, zTilde: zTilde, n: n)
            }
            // Re-solve on the estimable columns alone, so that later steps see a full-rank design.
            let reduced = xa.columns(estimable)
            let again: LeastSquaresSolution
            do {
                again = try LeastSquares.solve(reduced, zTilde, weights: weights,
                                               designLowParts: absorber == nil ? xLow.map { $0.columns(active!) } : nil,
                                               options: options)
            } catch {
                throw .numerical("\(error)")
            }
            return finish(again, x: x, xa: reduced, z: z, zTilde: zTilde, n: n)
        }
        return finish(solution, x: x, xa: xa, z: z, zTilde: zTilde, n: n)
    }

    /// Coefficients over all columns, and fitted values Xβ + Dα computed from the
    /// coefficients, not as z − residual: IRLS working outcomes reach 10¹³ where μ is tiny,
    /// and subtracting two such numbers would leave the fit with few correct digits.
    private func finish(_ s: LeastSquaresSolution, x: Matrix, xa: Matrix, z: [Double], zTilde: [Double], n: Int) -> Solution {
        var beta = [Double](repeating: 0, count: x.columns)
        let columns = active!
        for (k, j) in columns.enumerated() { beta[j] = s.coefficients[k] }
        var fixedEffects: [[Double]] = []
        if let absorber, let zAlpha = zStart {
            // Fixed-effect part of the fit: α = α_z − Σⱼ βⱼ α_xⱼ per grouping.
            for g in 0..<absorber.groupings.count {
                var alpha = zAlpha[g]
                if let xs = xStarts {
                    for k in 0..<columns.count where s.coefficients[k] != 0 {
                        let b = s.coefficients[k]
                        for l in 0..<alpha.count { alpha[l] -= b * xs[k][g][l] }
                    }
                }
                fixedEffects.append(alpha)
            }
        }
        // Xβ: from the solver when it formed it on X itself (no fixed effects, every column
        // active), else Xβ + Dα in one pass over row blocks (`fit(x:beta:codes:alpha:)`).
        let fitted: [Double]
        if absorber == nil, columns.count == x.columns, let xb = s.fittedValues {
            fitted = xb
        } else {
            fitted = Self.fit(x: x, beta: beta, codes: absorber?.groupings.map(\.codes) ?? [], alpha: fixedEffects)
        }
        return Solution(beta: beta, residual: s.residuals, fitted: fitted, xTilde: xa, zTilde: zTilde, solution: s,
                        fixedEffects: fixedEffects)
    }

    /// Xβ + Σ_g α_g[c_g]: per block of 4,096 rows, each column with βⱼ ≠ 0 and each
    /// grouping added into the block while it sits in L1, so X, the codes and the result
    /// are each streamed once (a `dgemv` and then a pass per grouping would read and write
    /// the result G more times); row chunks on all cores (each row's sum is formed in the
    /// same order on any number of cores). Without groupings, `dgemv`.
    static func fit(x: Matrix, beta: [Double], codes: [[Int32]], alpha: [[Double]]) -> [Double] {
        let n = x.rows
        // Without fixed effects, Xβ alone: BLAS's dgemv (vectorised, threaded) is faster.
        if codes.isEmpty, let xb = try? BLAS.gemv(x, beta) { return xb }
        var out = [Double](repeating: 0, count: n)
        let used = (0..<x.columns).filter { beta[$0] != 0 }
        let block = 4096
        out.withUnsafeMutableBufferPointer { po in
            x.withUnsafeBufferPointer { px in
                let o = SharedBuffer(po.baseAddress!), xs = SharedBuffer(UnsafeMutablePointer(mutating: px.baseAddress!))
                _ = Parallel.chunks(n) { range in
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let end = min(range.upperBound, start + block)
                        for j in used {
                            let b = beta[j], col = xs.base + j * n
                            for i in start..<end { o.base[i] += b * col[i] }
                        }
                        for g in 0..<min(codes.count, alpha.count) {
                            codes[g].withUnsafeBufferPointer { c in
                                alpha[g].withUnsafeBufferPointer { a in
                                    for i in start..<end { o.base[i] += a[Int(c[i])] }
                                }
                            }
                        }
                        start = end
                    }
                    return 0
                }
            }
        }
        return out
    }

    static func weightedNorm(_ v: [Double], _ w: [Double]?) -> Double {
        var s = 0.0
        if let w { for i in 0..<v.count { s += w[i] * v[i] * v[i] } } else { for x in v { s += x * x } }
        return s.squareRoot()
    }

    /// A copy that keeps the column choice and warm starts but absorbs with new weights.
    func reweighted(groupings: [Grouping], weights: [Double]?, tolerance: Double) -> WithinRegression {
        var copy = WithinRegression(groupings: groupings, weights: weights, tolerance: tolerance, cells: absorber?.cells)
        copy.active = active
        copy.absorbed = absorbed
        copy.collinear = collinear
        copy.xStarts = xStarts
        copy.zStart = zStart
        copy.demeaningFailed = demeaningFailed
        return copy
    }
}
