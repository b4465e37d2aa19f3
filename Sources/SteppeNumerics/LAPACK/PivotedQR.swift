import CLapack

/// Householder QR with column pivoting, A·P = Q·R (`dgeqp3`).
///
/// At step k the column with the largest remaining norm is moved forward, so
/// |R(0,0)| ≥ |R(1,1)| ≥ … roughly, and a small trailing |R(k,k)| reveals that
/// columns k… are (numerically) dependent on the earlier ones. That is the
/// rank-revealing property `LeastSquares` uses. Q is kept as Householder
/// reflectors (LAPACK's compact form) and applied with `dormqr`.
///
/// Complexity: about 4mn² − 4n³/3 flops for A m×n (m ≥ n), half of it in BLAS-2
/// (the pivoting forces norm updates after every column).
public struct PivotedQR: Sendable {
    /// LAPACK's compact output: R on and above the diagonal, the reflectors below.
    public let factors: Matrix
    /// Scalar factors of the elementary reflectors (length min(m, n)).
    public let tau: [Double]
    /// Column permutation: column j of A·P is column `permutation[j]` of A (zero-based).
    public let permutation: [Int]

    /// Factors `a`.
    ///
    /// - Throws: `nonFiniteInput` when `a` holds NaN or infinity.
    public init(_ a: Matrix) throws(NumericsError) {
        try requireFinite(a.elements, operation: "PivotedQR (dgeqp3)", argument: "A")
        let m = try blasInt(a.rows, "dgeqp3"), n = try blasInt(a.columns, "dgeqp3")
        var f = a
        var jpvt = [Int32](repeating: 0, count: a.columns)
        var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
        if a.rows > 0 && a.columns > 0 {
            let info = f.elements.withUnsafeMutableBufferPointer { pa in
                LAPACKE_dgeqp3(LAPACK_COL_MAJOR, m, n, pa.baseAddress, max(m, 1), &jpvt, &tau)
            }
            try NumericsError.check(info, routine: "dgeqp3") { .lapack(routine: $0, info: $1) }
        } else {
            for j in 0..<a.columns { jpvt[j] = Int32(j + 1) }
        }
        self.factors = f
        self.tau = tau
        self.permutation = jpvt.map { Int($0) - 1 }
    }

    /// Rows of A.
    public var rows: Int { factors.rows }
    /// Columns of A.
    public var columns: Int { factors.columns }

    /// The diagonal of R, |R(k,k)| non-increasing up to rounding.
    public var rDiagonal: [Double] { factors.diagonal }

    /// The leading k×k block of R (upper triangular, zeros below).
    ///
    /// Complexity: O(k²).
    public func r(leading k: Int) -> Matrix {
        precondition(k >= 0 && k <= min(rows, columns), "PivotedQR.r(leading:) out of range")
        var out = Matrix(rows: k, columns: k)
        for j in 0..<k { for i in 0...j where i < k { out[i, j] = factors[i, j] } }
        return out
    }

    /// The numerical rank: the number of leading k with |R(k,k)| > tolerance · |R(0,0)|.
    ///
    /// Complexity: O(min(m, n)).
    public func rank(tolerance: Double) -> Int {
        let d = rDiagonal
        guard let first = d.first, first != 0 else { return 0 }
        let cutoff = tolerance * abs(first)
        var k = 0
        while k < d.count && abs(d[k]) > cutoff { k += 1 }
        return k
    }

    /// Applies Qᵀ (or Q with `transpose: false`), built from the first `reflectors` reflectors, to the columns of `b` (`dormqr`).
    ///
    /// - Throws: `shapeMismatch` when `b.rows != rows`.
    /// Complexity: 4·m·n·k flops for b m×n with k reflectors.
    public func applyQ(to b: Matrix, transpose: Bool = true, reflectors: Int? = nil) throws(NumericsError) -> Matrix {
        guard b.rows == rows else {
            throw .shapeMismatch(operation: "PivotedQR.applyQ (dormqr)", detail: "Q is \(rows)×\(rows), B has \(b.rows) rows")
        }
        let k = reflectors ?? tau.count
        precondition(k >= 0 && k <= tau.count, "PivotedQR.applyQ: reflector count out of range")
        if k == 0 || b.isEmpty { return b }
        var c = b
        let m = try blasInt(b.rows, "dormqr"), n = try blasInt(b.columns, "dormqr")
        let info = factors.withUnsafeBufferPointer { pa in
            tau.withUnsafeBufferPointer { pt in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    LAPACKE_dormqr(LAPACK_COL_MAJOR, lapackChar("L"), lapackChar(transpose ? "T" : "N"), m, n, Int32(k),
                                   pa.baseAddress, m, pt.baseAddress, pc.baseAddress, m)
                }
            }
        }
        try NumericsError.check(info, routine: "dormqr") { .lapack(routine: $0, info: $1) }
        return c
    }

    /// Applies Qᵀ (or Q) to one vector; see `applyQ(to:transpose:reflectors:)`.
    public func applyQ(to b: [Double], transpose: Bool = true, reflectors: Int? = nil) throws(NumericsError) -> [Double] {
        try applyQ(to: Matrix(column: b), transpose: transpose, reflectors: reflectors).elements
    }

    /// Solves R₁₁·X = B (or R₁₁ᵀ·X = B) with R₁₁ the leading k×k block of R (`dtrtrs` on the factors in place).
    ///
    /// - Throws: `shapeMismatch`; `singular(routine: "dtrtrs", info:)` when a diagonal element of R₁₁ is zero.
    /// Complexity: k²·nrhs flops.
    public func solveR(_ b: Matrix, leading k: Int, transpose: Bool = false) throws(NumericsError) -> Matrix {
        precondition(k >= 0 && k <= min(rows, columns), "PivotedQR.solveR: block size out of range")
        guard b.rows == k else {
            throw .shapeMismatch(operation: "PivotedQR.solveR (dtrtrs)", detail: "R₁₁ is \(k)×\(k), B has \(b.rows) rows")
        }
        if k == 0 || b.columns == 0 { return b }
        var x = b
        let kk = Int32(k), nrhs = try blasInt(b.columns, "dtrtrs"), lda = Int32(max(rows, 1))
        let info = factors.withUnsafeBufferPointer { pa in
            x.elements.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dtrtrs(LAPACK_COL_MAJOR, lapackChar("U"), lapackChar(transpose ? "T" : "N"), lapackChar("N"),
                               kk, nrhs, pa.baseAddress, lda, pb.baseAddress, kk)
            }
        }
        try NumericsError.check(info, routine: "dtrtrs") { .singular(routine: $0, info: $1) }
        return x
    }

    /// Reciprocal condition estimate of R₁₁, the leading k×k block of R, in the 1-norm (`dtrcon`).
    ///
    /// Complexity: O(k²).
    public func reciprocalCondition(leading k: Int) throws(NumericsError) -> Double {
        try LAPACK.reciprocalCondition(triangular: r(leading: k), triangle: .upper)
    }
}
