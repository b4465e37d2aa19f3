import CLapack

/// The Cholesky factorization A = UᵀU of a symmetric positive definite matrix (`dpotrf`).
///
/// Only the upper triangle of A is read. The factor solves systems (`dpotrs`),
/// gives the inverse (`dpotri`) and a condition estimate (`dpocon`).
/// Complexity: n³/3 flops to factor.
public struct CholeskyFactorization: Sendable {
    /// U in the upper triangle; the strictly lower triangle holds A's original values and is never read.
    public let factor: Matrix
    /// ‖A‖₁ of the original matrix, kept for `reciprocalCondition()`.
    public let oneNorm: Double

    /// Factors the symmetric matrix `a`, reading its upper triangle.
    ///
    /// - Throws: `shapeMismatch` when A is not square; `nonFiniteInput`;
    ///   `notPositiveDefinite(routine: "dpotrf", info: k)` when the leading minor of order k is not positive.
    public init(_ a: Matrix) throws(NumericsError) {
        guard a.rows == a.columns else {
            throw .shapeMismatch(operation: "CholeskyFactorization (dpotrf)", detail: "A is \(a.rows)×\(a.columns), not square")
        }
        try requireFinite(a.elements, operation: "CholeskyFactorization (dpotrf)", argument: "A")
        let n = try blasInt(a.rows, "dpotrf")
        // 1-norm of the symmetric matrix from its upper triangle.
        var norm = 0.0
        for j in 0..<a.columns {
            var s = 0.0
            for i in 0..<a.rows { s += abs(i <= j ? a[i, j] : a[j, i]) }
            norm = max(norm, s)
        }
        var f = a
        if n > 0 {
            let info = f.elements.withUnsafeMutableBufferPointer { pa in
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, lapackChar("U"), n, pa.baseAddress, n)
            }
            try NumericsError.check(info, routine: "dpotrf") { .notPositiveDefinite(routine: $0, info: $1) }
        }
        self.factor = f
        self.oneNorm = norm
    }

    /// The order n of A.
    public var order: Int { factor.rows }

    /// U as a matrix with zeros below the diagonal.
    public var upper: Matrix {
        var u = factor
        for j in 0..<order { for i in (j + 1)..<max(order, j + 1) { u[i, j] = 0 } }
        return u
    }

    /// Solves A·X = B (`dpotrs`). Complexity: 2n²·nrhs flops.
    ///
    /// - Throws: `shapeMismatch` when B has the wrong number of rows; `nonFiniteInput`.
    public func solve(_ b: Matrix) throws(NumericsError) -> Matrix {
        guard b.rows == order else {
            throw .shapeMismatch(operation: "CholeskyFactorization.solve (dpotrs)", detail: "A is \(order)×\(order), B has \(b.rows) rows")
        }
        try requireFinite(b.elements, operation: "CholeskyFactorization.solve (dpotrs)", argument: "B")
        if b.isEmpty { return b }
        var x = b
        let n = Int32(order), nrhs = try blasInt(b.columns, "dpotrs")
        let info = factor.withUnsafeBufferPointer { pf in
            x.elements.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dpotrs(LAPACK_COL_MAJOR, lapackChar("U"), n, nrhs, pf.baseAddress, n, pb.baseAddress, n)
            }
        }
        try NumericsError.check(info, routine: "dpotrs") { .lapack(routine: $0, info: $1) }
        return x
    }

    /// Solves A·x = b for one vector (`dpotrs`).
    public func solve(_ b: [Double]) throws(NumericsError) -> [Double] {
        try solve(Matrix(column: b)).elements
    }

    /// A⁻¹ as a full symmetric matrix (`dpotri`, then the lower triangle mirrored).
    ///
    /// Complexity: 2n³/3 flops.
    public func inverse() throws(NumericsError) -> Matrix {
        var inv = factor
        let n = Int32(order)
        if order == 0 { return inv }
        let info = inv.elements.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotri(LAPACK_COL_MAJOR, lapackChar("U"), n, pa.baseAddress, n)
        }
        try NumericsError.check(info, routine: "dpotri") { .singular(routine: $0, info: $1) }
        for j in 0..<order { for i in (j + 1)..<max(order, j + 1) { inv[i, j] = inv[j, i] } }
        return inv
    }

    /// Estimate of the reciprocal 1-norm condition number of A, 1/(‖A‖₁‖A⁻¹‖₁) (`dpocon`).
    ///
    /// Complexity: O(n²).
    public func reciprocalCondition() throws(NumericsError) -> Double {
        if order == 0 { return 1 }
        var rcond = 0.0
        let n = Int32(order)
        let info = factor.withUnsafeBufferPointer { pf in
            LAPACKE_dpocon(LAPACK_COL_MAJOR, lapackChar("U"), n, pf.baseAddress, n, oneNorm, &rcond)
        }
        try NumericsError.check(info, routine: "dpocon") { .lapack(routine: $0, info: $1) }
        return rcond
    }
}
