import CLapack

/// Shape-checked wrappers over LAPACKE (the C interface to LAPACK) in column-major layout.
///
/// The factorizations are types of their own (`PivotedQR`, `CholeskyFactorization`,
/// `SingularValueDecomposition`, `SymmetricEigendecomposition`); this namespace holds
/// the one-shot solves and condition estimates. Inputs are checked for shape and
/// finiteness before LAPACK sees them; a non-zero `info` becomes a `NumericsError`
/// naming the routine.
public enum LAPACK {
    /// The matrix norm a condition estimate is taken in.
    public enum Norm: Sendable {
        /// The 1-norm, max column sum: LAPACK's `'1'`.
        case one
        /// The infinity norm, max row sum: LAPACK's `'I'`.
        case infinity
        var lapack: Int8 { Int8(UInt8(ascii: self == .one ? "1" : "I")) }
    }
}

@inline(__always) func lapackChar(_ c: Character) -> Int8 { Int8(c.asciiValue!) }

extension LAPACK {
    /// Solves A·X = B for square A by LU with partial pivoting (`dgesv`).
    ///
    /// - Throws: `shapeMismatch`; `nonFiniteInput`; `singular(routine: "dgesv", info: i)` when U(i, i) is exactly zero.
    /// Complexity: 2n³/3 + 2n²·nrhs flops.
    public static func solve(_ a: Matrix, _ b: Matrix) throws(NumericsError) -> Matrix {
        guard a.rows == a.columns, b.rows == a.rows else {
            throw .shapeMismatch(operation: "LAPACK.solve (dgesv)", detail: "A is \(a.rows)×\(a.columns), B is \(b.rows)×\(b.columns)")
        }
        try requireFinite(a.elements, operation: "LAPACK.solve (dgesv)", argument: "A")
        try requireFinite(b.elements, operation: "LAPACK.solve (dgesv)", argument: "B")
        let n = try blasInt(a.rows, "dgesv"), nrhs = try blasInt(b.columns, "dgesv")
        if n == 0 || nrhs == 0 { return b }
        var lu = a, x = b
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = lu.elements.withUnsafeMutableBufferPointer { pa in
            x.elements.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dgesv(LAPACK_COL_MAJOR, n, nrhs, pa.baseAddress, n, &pivots, pb.baseAddress, n)
            }
        }
        try NumericsError.check(info, routine: "dgesv") { .singular(routine: $0, info: $1) }
        return x
    }

    /// Solves op(T)·X = B for triangular T, failing on an exactly zero diagonal (`dtrtrs`).
    ///
    /// - Throws: `singular(routine: "dtrtrs", info: i)` when T(i, i) = 0.
    /// Complexity: n²·nrhs flops.
    public static func triangularSolve(_ t: Matrix, _ b: Matrix, triangle: BLAS.Triangle,
                                       transpose: Bool = false) throws(NumericsError) -> Matrix {
        guard t.rows == t.columns, b.rows == t.rows else {
            throw .shapeMismatch(operation: "LAPACK.triangularSolve (dtrtrs)", detail: "T is \(t.rows)×\(t.columns), B is \(b.rows)×\(b.columns)")
        }
        let n = try blasInt(t.rows, "dtrtrs"), nrhs = try blasInt(b.columns, "dtrtrs")
        if n == 0 || nrhs == 0 { return b }
        var x = b
        let info = t.withUnsafeBufferPointer { pt in
            x.elements.withUnsafeMutableBufferPointer { pb in
                LAPACKE_dtrtrs(LAPACK_COL_MAJOR, triangle.lapack, lapackChar(transpose ? "T" : "N"), lapackChar("N"),
                               n, nrhs, pt.baseAddress, n, pb.baseAddress, n)
            }
        }
        try NumericsError.check(info, routine: "dtrtrs") { .singular(routine: $0, info: $1) }
        return x
    }

    /// An estimate of the reciprocal condition number 1/(‖T‖·‖T⁻¹‖) of a triangular matrix (`dtrcon`).
    ///
    /// The estimate is within a small factor of the truth (Higham's 1-norm estimator);
    /// 0 means singular to working precision.
    /// Complexity: O(n²).
    public static func reciprocalCondition(triangular t: Matrix, triangle: BLAS.Triangle,
                                           norm: Norm = .one) throws(NumericsError) -> Double {
        guard t.rows == t.columns else {
            throw .shapeMismatch(operation: "LAPACK.reciprocalCondition (dtrcon)", detail: "T is \(t.rows)×\(t.columns)")
        }
        let n = try blasInt(t.rows, "dtrcon")
        if n == 0 { return 1 }
        var rcond = 0.0
        let info = t.withUnsafeBufferPointer { pt in
            LAPACKE_dtrcon(LAPACK_COL_MAJOR, norm.lapack, triangle.lapack, lapackChar("N"), n, pt.baseAddress, n, &rcond)
        }
        try NumericsError.check(info, routine: "dtrcon") { .lapack(routine: $0, info: $1) }
        return rcond
    }
}
