@_spi(SteppeInternal) import SteppeNumerics

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
    ///
    /// `z` is consumed: with fixed effects its storage is released once it is demeaned, so
    /// that the least-squares solve does not hold z beside z̃ (an IRLS caller passes it with
    /// `consume`). `spare` (an IRLS caller's previous X̃ and z̃) becomes the storage of the
    /// demeaned columns and z when its shape fits (see `outputStorage`).
    mutating func solve(x: Matrix, xLow: Matrix?, z: consuming [Double], weights: [Double]?,
                        options: LeastSquares.Options,
                        cache: (store: AbsorptionCache, context: String, names: [String], zName: String)? = nil,
                        demeanTolerance: Double? = nil,
                        reusing spare: consuming (x: Matrix, z: [Double])? = nil) throws(ModelError) -> Solution {
        let n = z.count
        var columns = active ?? Array(0..<x.columns)
        // All columns in use: X itself (a copy-on-write share, not an n × p copy per IRLS step).
        var xa = columns.count == x.columns ? x : x.columns(columns)
        var zTilde: [Double]
        let lowParts: Matrix? = absorber == nil ? xLow.map { $0.columns(columns) } : nil
        if let absorber {
            let demeaned = try demean(xa, columns: columns, z: z, absorber: absorber, cache: cache,
                                      demeanTolerance: demeanTolerance, into: spare)
            z = []
            zTilde = demeaned.z
            if active == nil {
                let keep = unabsorbed(before: xa, after: demeaned.x, columns: columns, weights: weights)
                xa = keep.count == columns.count ? demeaned.x : demeaned.x.columns(keep)
                xStarts = xStarts.map { s in keep.map { s[$0] } }
                columns = keep.map { columns[$0] }
            } else {
                xa = demeaned.x
            }
        } else {
            zTilde = z
        }
        let solution = try Self.leastSquares(xa, zTilde, weights: weights, designLowParts: lowParts,
                                             options: withinOptions(options, rows: n, columns: xa.columns))
        guard active == nil else { return finish(solution, x: x, xa: xa, zTilde: zTilde, n: n) }
        return try settleColumns(solution, columns: columns, x: x, xa: xa, xLow: xLow, zTilde: zTilde,
                                 weights: weights, options: options)
    }

    /// Cells n·p from which a regression with fixed effects absorbed takes the
    /// normal-equations path: 10⁵.
    static let normalEquationsMinimumWork = 1e5

    /// The least-squares options for the demeaned design: with fixed effects absorbed and
    /// n·p ≥ `normalEquationsMinimumWork`, the automatic method becomes `.normalEquations`
    /// (which still declines to QR when κ(X̃) > 10⁶, on collinearity or a near-perfect fit).
    /// X̃ is exact only to the demeaning tolerance (default 1e-10, `fixedEffectTolerance`),
    /// so the double-double refinement of pivoted QR, which makes the solution exact for
    /// the design it is given, buys no accuracy over the refined semi-normal equations'
    /// κ·u here, and on tall, thin within regressions (a gravity model's 10⁶ pairs and one
    /// to three regressors) it costs more than the demeaning. Without fixed effects, or
    /// with fewer cells, the options are unchanged.
    private func withinOptions(_ options: LeastSquares.Options, rows: Int, columns: Int) -> LeastSquares.Options {
        guard absorber != nil, options.method == .automatic,
              Double(rows) * Double(columns) >= Self.normalEquationsMinimumWork else { return options }
        var o = options
        o.method = .normalEquations
        return o
    }

    /// `LeastSquares.solve`, its errors as `ModelError.numerical`.
    private static func leastSquares(_ x: Matrix, _ z: [Double], weights: [Double]?, designLowParts: Matrix?,
                                     options: LeastSquares.Options) throws(ModelError) -> LeastSquaresSolution {
        do {
            return try LeastSquares.solve(x, z, weights: weights, designLowParts: designLowParts, options: options)
        } catch {
            throw .numerical("\(error)")
        }
    }

    /// The first solve's column choice: the estimable columns become `active` (the
    /// collinear ones `collinear`); when any was collinear, the regression is solved again
    /// on the estimable columns alone, so that later steps see a full-rank design.
    private mutating func settleColumns(_ solution: LeastSquaresSolution, columns: [Int], x: Matrix, xa: Matrix,
                                        xLow: Matrix?, zTilde: [Double], weights: [Double]?,
                                        options: LeastSquares.Options) throws(ModelError) -> Solution {
        collinear = solution.collinearColumns.map { columns[$0] }
        let estimable = solution.estimableColumns
        active = estimable.map { columns[$0] }
        xStarts = xStarts.map { s in estimable.map { s[$0] } }
        if solution.collinearColumns.isEmpty {
            return finish(solution, x: x, xa: xa, zTilde: zTilde, n: zTilde.count)
        }
        let reduced = xa.columns(estimable)
        let again = try Self.leastSquares(reduced, zTilde, weights: weights,
                                          designLowParts: absorber == nil ? xLow.map { $0.columns(active!) } : nil,
                                          options: withinOptions(options, rows: zTilde.count, columns: reduced.columns))
        return finish(again, x: x, xa: reduced, zTilde: zTilde, n: zTilde.count)
    }

    /// The columns of `xa` and z demeaned, in parallel (one task each); each column is read
    /// from X and written into the demeaned matrix in place. On a first solve with a cache,
    /// those demeaned before are copied from it (and those converged now are kept for the
    /// next variant). Records the warm starts for the next solve and any demeaning failure.
    private mutating func demean(_ xa: Matrix, columns: [Int], z: [Double], absorber: FixedEffectAbsorber,
                                 cache: (store: AbsorptionCache, context: String, names: [String], zName: String)?,
                                 demeanTolerance: Double?,
                                 into spare: consuming (x: Matrix, z: [Double])?) throws(ModelError) -> (x: Matrix, z: [Double]) {
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
        var (demeaned, zOut) = Self.outputStorage(rows: rows, columns: k, spare: spare)
        let outcomes = demeanInPlace(xa, z, vectors: missing, absorber: absorber, tolerance: tolerance,
                                     into: &demeaned, &zOut)
        var results = Self.merged(found: found, outcomes: outcomes, demeaned: &demeaned, zOut: &zOut)
        results[k].residual = zOut
        if let keys, let store = cached?.store {
            for j in 0...k where found[j] == nil && results[j].converged {
                var r = results[j]
                if j < k { r.residual = Array(demeaned.column(j)) }
                store.store(r, for: keys[j])
            }
        }
        let rz = results[k]
        if !results[0..<k].allSatisfy(\.converged) || !rz.converged { demeaningFailed = true }
        xStarts = results[0..<k].map(\.coefficients)
        zStart = rz.coefficients
        return (demeaned, rz.residual)
    }

    /// Storage for the demeaned columns (rows × k) and z: `spare` when its shape fits, else
    /// new zeroed arrays. Every element is overwritten by the demeaning (or by the cache), so
    /// the results are the same to the bit; what reuse saves is first touch: an IRLS step
    /// that allocates k + 1 new n-vectors has the kernel fault in and clear their pages, a
    /// tenth of a PPML fit's time at 1e7 rows, where glibc maps every such array afresh.
    private static func outputStorage(rows: Int, columns k: Int,
                                      spare: consuming (x: Matrix, z: [Double])?) -> (Matrix, [Double]) {
        if let s = spare, s.x.rows == rows, s.x.columns == k, s.z.count == rows { return (s.x, s.z) }
        return (Matrix(rows: rows, columns: k), [Double](repeating: 0, count: rows))
    }

    /// The vectors `vectors` (j < k: column j of `xa`; k: z) demeaned together, each from
    /// its warm start, straight into column j of `demeaned` or into `zOut` (no copies).
    private func demeanInPlace(_ xa: Matrix, _ z: [Double], vectors missing: [Int], absorber: FixedEffectAbsorber,
                               tolerance: Double, into demeaned: inout Matrix,
                               _ zOut: inout [Double]) -> [FixedEffectAbsorber.Outcome] {
        let k = xa.columns, rows = xa.rows
        let starts = missing.map { $0 < k ? xStarts?[$0] : zStart }
        return demeaned.withUnsafeMutableBufferPointer { po in
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
    }

    /// Each vector's result (without residual) in order, columns then z: from the cache
    /// where `found` (its residual copied into `demeaned` or `zOut`), else the next of `outcomes`.
    private static func merged(found: [FixedEffectAbsorber.Result?], outcomes: [FixedEffectAbsorber.Outcome],
                               demeaned: inout Matrix, zOut: inout [Double]) -> [FixedEffectAbsorber.Result] {
        let k = found.count - 1, rows = demeaned.rows
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
        return results
    }

    /// First solve: the positions (in `columns`) of the columns not absorbed by the fixed
    /// effects; a column is absorbed, and recorded in `absorbed`, when its demeaned weighted
    /// norm ‖√W x̃ⱼ‖ is at most `absorptionTolerance`·‖√W xⱼ‖ (or xⱼ is 0).
    private mutating func unabsorbed(before xa: Matrix, after demeaned: Matrix, columns: [Int], weights: [Double]?) -> [Int] {
        var keep: [Int] = []
        for (k, j) in columns.enumerated() {
            let before = Self.weightedNorm(xa.column(k), weights)
            let after = Self.weightedNorm(demeaned.column(k), weights)
            if before == 0 || after <= Self.absorptionTolerance * before { absorbed.append(j) } else { keep.append(k) }
        }
        return keep
    }

    /// Coefficients over all columns, and fitted values Xβ + Dα computed from the
    /// coefficients, not as z − residual: IRLS working outcomes reach 10¹³ where μ is tiny,
    /// and subtracting two such numbers would leave the fit with few correct digits.
    private func finish(_ s: LeastSquaresSolution, x: Matrix, xa: Matrix, zTilde: [Double], n: Int) -> Solution {
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
    /// same order on any number of cores). Also without groupings: OpenBLAS's threaded
    /// `dgemv` rounds the rows at its threads' boundaries differently, so fitted values
    /// changed in the last bit with the BLAS thread count.
    static func fit(x: Matrix, beta: [Double], codes: [[Int32]], alpha: [[Double]]) -> [Double] {
        let n = x.rows
        guard n > 0 else { return [] }
        var out = [Double](repeating: 0, count: n)
        let used = (0..<x.columns).filter { beta[$0] != 0 }
        if used.isEmpty && codes.isEmpty { return out }
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

    /// ‖√W v‖ (‖v‖ without weights), read in place from a column of a matrix.
    static func weightedNorm(_ v: ArraySlice<Double>, _ w: [Double]?) -> Double {
        var s = 0.0
        v.withUnsafeBufferPointer { pv in
            if let w { for i in 0..<pv.count { s += w[i] * pv[i] * pv[i] } } else { for x in pv { s += x * x } }
        }
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
