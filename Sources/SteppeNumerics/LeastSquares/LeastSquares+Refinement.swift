/// Iterative refinement of a least-squares solution in double-double (Björck 1967).
///
/// The augmented system [I A; Aᵀ 0][r; b] = [y; c] characterises both the least-squares
/// solution (c = 0) and the columns of (AᵀA)⁻¹ (y = 0, c = −eⱼ). Given the double
/// QR of A, each step computes the residuals f = y − r − Ab and g = c − Aᵀr in
/// double-double from the exact design, solves the augmented system for the
/// correction with the QR, and adds it. The error contracts by about κ(A)·ε per step.
struct RefinementProblem {
    let factorization: LeastSquaresFactorization

    var rows: Int { factorization.design.rows }
    var rank: Int { factorization.rank }

    /// dᵢ = yᵢ − Σ_q xᵢⱼ·(sⱼ b_q), j = permutation[q], in double-double (high and low arrays).
    func unweightedResidual(response: [Double], b: [Double]) -> (high: [Double], low: [Double]) {
        let f = factorization
        let n = rows
        var high = response
        var low = [Double](repeating: 0, count: n)
        f.design.withUnsafeBufferPointer { x in
            high.withUnsafeMutableBufferPointer { hi in
                low.withUnsafeMutableBufferPointer { lo in
                    for q in 0..<rank {
                        let j = f.originalColumn(pivot: q)
                        let beta = -f.columnScales[j] * b[q]
                        if beta == 0 { continue }
                        let base = j * n
                        if let lowParts = f.designLowParts {
                            lowParts.withUnsafeBufferPointer { xl in
                                for i in 0..<n {
                                    let s = DoubleDouble(normalized: hi[i], lo[i])
                                        + DoubleDouble.twoProduct(x[base + i], beta) + xl[base + i] * beta
                                    hi[i] = s.high; lo[i] = s.low
                                }
                            }
                        } else {
                            for i in 0..<n {
                                let s = DoubleDouble(normalized: hi[i], lo[i]) + DoubleDouble.twoProduct(x[base + i], beta)
                                hi[i] = s.high; lo[i] = s.low
                            }
                        }
                    }
                }
            }
        }
        return (high, low)
    }

    /// Residuals yᵢ − xᵢᵀb rounded to double, and Σ wᵢ(yᵢ − xᵢᵀb)² accumulated in double-double.
    func residuals(response: [Double], b: [Double]) -> ([Double], Double) {
        let d = unweightedResidual(response: response, b: b)
        var rss = CompensatedSum()
        var out = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            var v = DoubleDouble(normalized: d.high[i], d.low[i])
            out[i] = v.doubleValue
            if let root = factorization.rootWeights { v = v * root[i] }
            rss.total = rss.total + v * v
        }
        return (out, rss.value)
    }

    /// ‖√W(y − Xb)‖₂ in double, for the automatic refinement decision.
    func residualNorm(response: [Double], b: [Double]) -> Double {
        residuals(response: response, b: b).1.squareRoot()
    }

    /// Refines (b, r) for the augmented system with right-hand side [√W y; c].
    ///
    /// `b` is in the pivoted, equilibrated coordinates (length rank).
    /// Returns the number of steps taken. Stops when the correction is below ε·‖b‖,
    /// or when it stops shrinking by half (refinement can do no better), undoing a step
    /// that made the correction grow.
    func refine(response: [Double], c: [Double], b: inout [Double]) throws(NumericsError) -> Int {
        let f = factorization
        let n = rows, k = rank
        let root = f.rootWeights
        // r starts as √W(y − Ab) and is kept in double-double: rounding it to double
        // would limit b to about κ²·ε·‖r‖/(‖A‖‖b‖) accuracy.
        var rHigh = [Double](repeating: 0, count: n)
        var rLow = [Double](repeating: 0, count: n)
        let d0 = unweightedResidual(response: response, b: b)
        for i in 0..<n {
            var v = DoubleDouble(normalized: d0.high[i], d0.low[i])
            if let root { v = v * root[i] }
            rHigh[i] = v.high; rLow[i] = v.low
        }
        var previous = Double.infinity
        var step = 0
        while step < f.options.maximumRefinementSteps {
            step += 1
            // f = √W·d − r and g = c − Aᵀr, both from double-double sums.
            let d = unweightedResidual(response: response, b: b)
            var fr = [Double](repeating: 0, count: n)
            var rwHigh = [Double](repeating: 0, count: n)
            var rwLow = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var v = DoubleDouble(normalized: d.high[i], d.low[i])
                if let root { v = v * root[i] }
                let ri = DoubleDouble(normalized: rHigh[i], rLow[i])
                fr[i] = (v - ri).doubleValue
                let rw = root.map { ri * $0[i] } ?? ri
                rwHigh[i] = rw.high; rwLow[i] = rw.low
            }
            var g = [Double](repeating: 0, count: k)
            f.design.withUnsafeBufferPointer { x in
                for q in 0..<k {
                    let j = f.originalColumn(pivot: q)
                    let base = j * n
                    var s = DoubleDouble(0)
                    for i in 0..<n {
                        s = s + DoubleDouble.twoProduct(x[base + i], rwHigh[i]) + x[base + i] * rwLow[i]
                    }
                    if let lowParts = f.designLowParts {
                        lowParts.withUnsafeBufferPointer { xl in
                            for i in 0..<n { s = s + xl[base + i] * rwHigh[i] }
                        }
                    }
                    g[q] = (DoubleDouble(c[q]) - s * f.columnScales[j]).doubleValue
                }
            }
            // Correction: Qᵀf = [f₁; f₂], h = R⁻ᵀg, δr = Q[h; f₂], δb = R⁻¹(f₁ − h).
            var qtf = try f.qr.applyQ(to: fr, transpose: true, reflectors: k)
            let h = try f.qr.solveR(Matrix(column: g), leading: k, transpose: true).elements
            var f1 = Array(qtf[0..<k])
            for q in 0..<k { f1[q] -= h[q]; qtf[q] = h[q] }
            let dr = try f.qr.applyQ(to: qtf, transpose: false, reflectors: k)
            let db = try f.qr.solveR(Matrix(column: f1), leading: k).elements

            let size = db.reduce(0) { max($0, abs($1)) }
            if size > previous {
                // Diverging (κ·ε near 1): keep the better iterate.
                return step - 1
            }
            for q in 0..<k { b[q] += db[q] }
            for i in 0..<n {
                let ri = DoubleDouble(normalized: rHigh[i], rLow[i]) + dr[i]
                rHigh[i] = ri.high; rLow[i] = ri.low
            }
            let bSize = b.reduce(0) { max($0, abs($1)) }
            if size <= 0x1p-53 * bSize || size > 0.5 * previous { return step }
            previous = size
        }
        return step
    }
}
