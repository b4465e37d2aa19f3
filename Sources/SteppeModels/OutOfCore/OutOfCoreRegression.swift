import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// A linear predictor in the space of coefficients: ηᵢ = a·η⁰ᵢ + offsetᵢ + Σⱼ βⱼxᵢⱼ + Σ_g α_g[c_gᵢ],
/// with η⁰ the IRLS start (a function of yᵢ alone, weight a, 1 before the first step and 0
/// after a whole one). Out of core, η is never stored: every pass forms it from these
/// coefficients, and a halved IRLS step is the average of two of them.
struct LinearPredictor {
    var startWeight: Double
    var beta: [Double]
    var alpha: [[Double]]

    /// The midpoint of two predictors (an IRLS step halved).
    static func midpoint(_ a: LinearPredictor, _ b: LinearPredictor) -> LinearPredictor {
        LinearPredictor(startWeight: 0.5 * (a.startWeight + b.startWeight),
                        beta: zip(a.beta, b.beta).map { 0.5 * ($0 + $1) },
                        alpha: zip(a.alpha, b.alpha).map { zip($0, $1).map { 0.5 * ($0 + $1) } })
    }

    /// η over a block; `start` gives η⁰ᵢ from the block's row i when `startWeight` ≠ 0.
    func evaluate(_ block: DesignBlock, start: (Int) -> Double) -> [Double] {
        let n = block.count
        var eta = block.offset ?? [Double](repeating: 0, count: n)
        if startWeight != 0 { for i in 0..<n { eta[i] += startWeight * start(i) } }
        for (j, b) in beta.enumerated() where b != 0 {
            let x = block.x[j]
            for i in 0..<n { eta[i] += b * x[i] }
        }
        for g in alpha.indices {
            let codes = block.codes[g]
            alpha[g].withUnsafeBufferPointer { a in for i in 0..<n { eta[i] += a[Int(codes[i])] } }
        }
        return eta
    }
}

/// Weighted least squares of z on X after absorbing the fixed effects, out of core
/// (Frisch–Waugh–Lovell, as `WithinRegression`): the columns and z demeaned by a
/// `CoefficientSpaceAbsorber`, then one pass for the Gram matrix X̃ᵀWX̃ and X̃ᵀWz̃ of the
/// demeaned vectors, and the normal equations solved by Cholesky on the equilibrated Gram.
///
/// The first solve decides the columns, as in memory: a column whose weighted norm falls
/// below 1e-7 of its own after demeaning is absorbed by the fixed effects; of the rest, a
/// column whose norm orthogonal to the earlier ones is below 1e-7 of its own is collinear
/// (the later of a collinear set goes, as `LeastSquares` drops it). Later solves keep the
/// choice and warm-start the demeaning from the previous coefficients.
struct OutOfCoreRegression {
    let levelCounts: [Int]
    let columns: Int
    private(set) var active: [Int]? = nil
    private(set) var absorbed: [Int] = []
    private(set) var collinear: [Int] = []
    private var starts: [[[Double]]?] = []
    private(set) var demeaningFailed = false

    init(levelCounts: [Int], columns: Int) {
        self.levelCounts = levelCounts
        self.columns = columns
    }

    struct Solution {
        /// β over all columns (0 for columns not in use).
        var beta: [Double]
        /// The fixed-effect part of the fit: α with Dα = fit − Xβ (α_z − Σⱼβⱼα_xⱼ).
        var fitAlpha: [[Double]]
        /// The demeaning coefficients of each active column (X̃ = X − Dα_x).
        var columnAlpha: [[[Double]]]
        /// (X̃ᵀWX̃)⁻¹ over the active columns.
        var bread: Matrix
        /// Σwz̃², Σw(z̃ − X̃β)².
        var withinTotal: Double
        var residualSum: Double
        /// Group weights of the solve's weights.
        var groupWeights: [[Double]]
    }

    /// One solve. `read(b)` gives block b's weights, all design columns and z (last), and codes.
    /// With `cells` (two fixed effects), the demeaning sweeps over the cells (`OutOfCoreCells`).
    mutating func solve(_ segments: RowSegments, design: DesignBlocks, tolerance: Double, cells: OutOfCoreCells? = nil,
                        read: (Int) throws(ModelError) -> AbsorberBlock) throws(ModelError) -> Solution {
        let cols = active ?? Array(0..<columns)
        let vectors = cols.count + 1
        let zIndex = columns
        let pick: (AbsorberBlock) -> AbsorberBlock = { block in
            var b = block
            b.vectors = cols.map { block.vectors[$0] } + [block.vectors[zIndex]]
            return b
        }
        let outcomes: [CoefficientSpaceAbsorber.Outcome], groupWeights: [[Double]]
        if let cells {
            (outcomes, groupWeights) = try cells.demean(segments, design: design, vectors: vectors, starts: starts, tolerance: tolerance,
                                                        levelCounts: levelCounts) { b throws(ModelError) in pick(try read(b)) }
        } else {
            let absorber = CoefficientSpaceAbsorber(levelCounts: levelCounts, tolerance: tolerance)
            (outcomes, groupWeights) = try absorber.demean(segments, design: design, vectors: vectors, starts: starts) { b throws(ModelError) in
                pick(try read(b))
            }
        }
        if outcomes.contains(where: { !$0.converged }) { demeaningFailed = true }
        let alphas = outcomes.map(\.coefficients)
        // The Gram pass over the demeaned vectors (and the raw norms, for the absorption test).
        var gram = [Double](repeating: 0, count: vectors * vectors)
        var raw = [Double](repeating: 0, count: vectors)
        // Each block's Gram on its own task, added in block order within a segment (the same
        // bits as one thread), the segments' in segment order.
        try segments.fold({ k throws(ModelError) -> [Double] in
            var part = [Double](repeating: 0, count: vectors * vectors + vectors)
            let blocks = design.blocks(inSegment: k)
            for start in stride(from: blocks.lowerBound, to: blocks.upperBound, by: BlockPass.batch) {
                let batch = try (start..<min(blocks.upperBound, start + BlockPass.batch)).map { b throws(ModelError) in pick(try read(b)) }
                let parts = Parallel.map(batch.count) { m -> (gram: [Double], raw: [Double]) in
                    var g = [Double](repeating: 0, count: vectors * vectors), r = [Double](repeating: 0, count: vectors)
                    Self.addGram(batch[m], alphas: alphas, into: &g, raw: &r)
                    return (g, r)
                }
                for p in parts {
                    for e in 0..<p.gram.count { part[e] += p.gram[e] }
                    for j in 0..<vectors { part[vectors * vectors + j] += p.raw[j] }
                }
            }
            return part
        }, into: { p in
            for e in 0..<gram.count { gram[e] += p[e] }
            for j in 0..<vectors { raw[j] += p[vectors * vectors + j] }
        })
        var keep = Array(0..<cols.count)
        if active == nil {
            let p = cols.count
            keep = (0..<p).filter { m in
                let before = raw[m], after = gram[m * vectors + m]
                // As `WithinRegression`: a column that is 0, or 0 after demeaning, is absorbed.
                return levelCounts.isEmpty || (before > 0 && after > Self.absorptionTolerance * Self.absorptionTolerance * before)
            }
            absorbed = (0..<p).filter { !keep.contains($0) }.map { cols[$0] }
            let independent = Self.independentColumns(gram, order: vectors, candidates: keep)
            collinear = keep.filter { !independent.contains($0) }.map { cols[$0] }
            keep = independent
            active = keep.map { cols[$0] }
        }
        let solved = try Self.solveNormalEquations(gram, order: vectors, columns: keep)
        var beta = [Double](repeating: 0, count: columns)
        for (m, k) in keep.enumerated() { beta[cols[k]] = solved.beta[m] }
        var fitAlpha = alphas[cols.count]
        for (m, k) in keep.enumerated() {
            for g in fitAlpha.indices { for l in fitAlpha[g].indices { fitAlpha[g][l] -= solved.beta[m] * alphas[k][g][l] } }
        }
        // Residual Σw(z̃ − X̃β)² = z̃ᵀWz̃ − βᵀX̃ᵀWz̃ (normal equations).
        let zz = gram[cols.count * vectors + cols.count]
        var explained = 0.0
        for (m, k) in keep.enumerated() { explained += solved.beta[m] * gram[k * vectors + cols.count] }
        // Warm starts for the next solve, over the active columns and z.
        starts = keep.map { Optional(alphas[$0]) } + [alphas[cols.count]]
        return Solution(beta: beta, fitAlpha: fitAlpha, columnAlpha: keep.map { alphas[$0] }, bread: solved.inverse,
                        withinTotal: zz, residualSum: max(zz - explained, 0), groupWeights: groupWeights)
    }

    static let absorptionTolerance = WithinRegression.absorptionTolerance

    /// gram += Σᵢ wᵢṽᵢṽᵢᵀ over the block (ṽ = v − Dα per vector), raw[j] += Σwᵢvᵢⱼ².
    static func addGram(_ block: AbsorberBlock, alphas: [[[Double]]], into gram: inout [Double], raw: inout [Double]) {
        let n = block.count, k = block.vectors.count
        let w = block.weights ?? [Double](repeating: 1, count: n)
        // The demeaned vectors, one after another in one buffer.
        var tilde = [Double](repeating: 0, count: n * k)
        tilde.withUnsafeMutableBufferPointer { t in
            w.withUnsafeBufferPointer { pw in
                for j in 0..<k {
                    let base = j * n
                    block.vectors[j].withUnsafeBufferPointer { v in
                        var s = 0.0
                        for i in 0..<n { t[base + i] = v[i]; s += pw[i] * v[i] * v[i] }
                        raw[j] += s
                    }
                    for g in block.codes.indices {
                        block.codes[g].withUnsafeBufferPointer { codes in
                            alphas[j][g].withUnsafeBufferPointer { a in for i in 0..<n { t[base + i] -= a[Int(codes[i])] } }
                        }
                    }
                }
                for a in 0..<k {
                    for c in a..<k {
                        var s = 0.0
                        let x = a * n, y = c * n
                        for i in 0..<n { s += pw[i] * t[x + i] * t[y + i] }
                        gram[a * k + c] += s
                        if a != c { gram[c * k + a] += s }
                    }
                }
            }
        }
    }

    /// The candidates whose norm orthogonal to the earlier kept ones is at least 1e-7 of
    /// their own (Gram–Schmidt on the Gram matrix, in column order).
    static func independentColumns(_ gram: [Double], order k: Int, candidates: [Int]) -> [Int] {
        var kept: [Int] = []
        for c in candidates {
            guard gram[c * k + c] > 0 else { continue }
            let trial = kept + [c]
            if cholesky(gram, order: k, columns: trial) != nil { kept = trial }
        }
        return kept
    }

    /// The Cholesky factor (upper, column-major m × m) of the equilibrated Gram over
    /// `columns`, or nil when a pivot falls below 1e-14 of its diagonal (norm 1e-7).
    static func cholesky(_ gram: [Double], order k: Int, columns: [Int]) -> [Double]? {
        let m = columns.count
        var r = [Double](repeating: 0, count: m * m)
        let d = columns.map { gram[$0 * k + $0].squareRoot() }
        for j in 0..<m {
            for i in 0...j {
                var s = gram[columns[i] * k + columns[j]] / (d[i] * d[j])
                for l in 0..<i { s -= r[l + i * m] * r[l + j * m] }
                if i == j {
                    guard s > 1e-14 else { return nil }
                    r[j + j * m] = s.squareRoot()
                } else {
                    r[i + j * m] = s / r[i + i * m]
                }
            }
        }
        return r
    }

    /// β and (X̃ᵀWX̃)⁻¹ over `columns` from the Gram (z the last vector).
    static func solveNormalEquations(_ gram: [Double], order k: Int, columns: [Int]) throws(ModelError) -> (beta: [Double], inverse: Matrix) {
        let m = columns.count
        guard m > 0 else { return ([], Matrix(rows: 0, columns: 0)) }
        guard let r = cholesky(gram, order: k, columns: columns) else {
            throw .numerical("the normal equations of the out-of-core solve are not positive definite")
        }
        let d = columns.map { gram[$0 * k + $0].squareRoot() }
        // Solve RᵀR y = c/d, β = y/d.
        var y = columns.enumerated().map { i, c in gram[c * k + (k - 1)] / d[i] }
        for i in 0..<m { var s = y[i]; for l in 0..<i { s -= r[l + i * m] * y[l] }; y[i] = s / r[i + i * m] }
        for i in stride(from: m - 1, through: 0, by: -1) { var s = y[i]; for l in (i + 1)..<m { s -= r[i + l * m] * y[l] }; y[i] = s / r[i + i * m] }
        let beta = (0..<m).map { y[$0] / d[$0] }
        // Inverse: (D R⁻¹)(D R⁻¹)ᵀ with D = diag(1/d).
        var rinv = [Double](repeating: 0, count: m * m)
        for j in 0..<m {
            rinv[j + j * m] = 1 / r[j + j * m]
            for i in stride(from: j - 1, through: 0, by: -1) {
                var s = 0.0
                for l in (i + 1)...j { s += r[i + l * m] * rinv[l + j * m] }
                rinv[i + j * m] = -s / r[i + i * m]
            }
        }
        var inverse = Matrix(rows: m, columns: m)
        for a in 0..<m {
            for b in 0..<m {
                var s = 0.0
                for l in max(a, b)..<m { s += rinv[a + l * m] * rinv[b + l * m] }
                inverse[a, b] = s / (d[a] * d[b])
            }
        }
        return (beta, inverse)
    }
}
