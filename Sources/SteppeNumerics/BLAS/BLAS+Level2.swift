import CLapack

extension BLAS {
    /// The matrix–vector product y = α·op(A)·x + β·y, op(A) = A or Aᵀ (`cblas_dgemv`).
    ///
    /// - Parameters:
    ///   - a: the matrix A.
    ///   - x: the vector x, of length columns of op(A).
    ///   - transpose: use Aᵀ. Default `false`.
    ///   - alpha: scale of the product. Default 1.
    ///   - beta: scale of the existing `y`. Default 0, so `y` need not be initialised.
    ///   - y: the result, of length rows of op(A).
    /// - Throws: `shapeMismatch` when x or y do not fit op(A).
    /// Complexity: O(rows · columns).
    public static func gemv(_ a: Matrix, _ x: some Collection<Double>, transpose: Bool = false,
                            alpha: Double = 1, beta: Double = 0, into y: inout [Double]) throws(NumericsError) {
        let (inLen, outLen) = transpose ? (a.rows, a.columns) : (a.columns, a.rows)
        guard x.count == inLen, y.count == outLen else {
            throw .shapeMismatch(operation: "BLAS.gemv",
                                 detail: "op(A) is \(outLen)×\(inLen), x has \(x.count), y has \(y.count)")
        }
        let m = try blasInt(a.rows, "BLAS.gemv"), n = try blasInt(a.columns, "BLAS.gemv")
        if outLen == 0 { return }
        if inLen == 0 { scal(beta, &y); return }
        a.withUnsafeBufferPointer { pa in
            withContiguous(x) { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasColMajor, cblasTranspose(transpose), m, n, alpha, pa.baseAddress, max(m, 1),
                                px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// The matrix–vector product α·op(A)·x as a new vector (`cblas_dgemv`).
    ///
    /// - Throws: `shapeMismatch` when x does not fit op(A).
    /// Complexity: O(rows · columns).
    public static func gemv(_ a: Matrix, _ x: some Collection<Double>, transpose: Bool = false,
                            alpha: Double = 1) throws(NumericsError) -> [Double] {
        var y = [Double](repeating: 0, count: transpose ? a.columns : a.rows)
        try gemv(a, x, transpose: transpose, alpha: alpha, beta: 0, into: &y)
        return y
    }

    /// Solves op(T)·x = b in place for triangular T (`cblas_dtrsv`); `b` becomes x.
    ///
    /// No singularity test is made (as in BLAS): a zero on the diagonal gives
    /// infinities. Use `LAPACK.triangularSolve` for a checked solve.
    /// - Throws: `shapeMismatch` when T is not square or b does not fit.
    /// Complexity: O(n²).
    public static func trsv(_ t: Matrix, _ b: inout [Double], triangle: Triangle, transpose: Bool = false,
                            unitDiagonal: Bool = false) throws(NumericsError) {
        guard t.rows == t.columns, b.count == t.rows else {
            throw .shapeMismatch(operation: "BLAS.trsv", detail: "T is \(t.rows)×\(t.columns), b has \(b.count)")
        }
        let n = try blasInt(t.rows, "BLAS.trsv")
        if n == 0 { return }
        t.withUnsafeBufferPointer { pt in
            b.withUnsafeMutableBufferPointer { pb in
                cblas_dtrsv(CblasColMajor, triangle.cblas, cblasTranspose(transpose),
                            unitDiagonal ? CblasUnit : CblasNonUnit, n, pt.baseAddress, n, pb.baseAddress, 1)
            }
        }
    }
}
