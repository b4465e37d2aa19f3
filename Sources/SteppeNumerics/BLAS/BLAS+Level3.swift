import CLapack

extension BLAS {
    /// The matrix product C = α·op(A)·op(B) + β·C (`cblas_dgemm`).
    ///
    /// - Parameters:
    ///   - a: the matrix A.
    ///   - b: the matrix B.
    ///   - transposeA: use Aᵀ. Default `false`.
    ///   - transposeB: use Bᵀ. Default `false`.
    ///   - alpha: scale of the product. Default 1.
    ///   - beta: scale of the existing C. Default 0.
    ///   - c: the result C, rows of op(A) × columns of op(B).
    /// - Throws: `shapeMismatch` when the inner dimensions or C do not fit.
    /// Complexity: O(m·n·k) flops, 2mnk of them; BLAS-3, so near the machine's dgemm peak for large operands.
    public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                            alpha: Double = 1, beta: Double = 0, into c: inout Matrix) throws(NumericsError) {
        let (m, ka) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard ka == kb, c.rows == m, c.columns == n else {
            throw .shapeMismatch(operation: "BLAS.gemm",
                                 detail: "op(A) \(m)×\(ka), op(B) \(kb)×\(n), C \(c.rows)×\(c.columns)")
        }
        let mm = try blasInt(m, "BLAS.gemm"), nn = try blasInt(n, "BLAS.gemm"), kk = try blasInt(ka, "BLAS.gemm")
        if m == 0 || n == 0 { return }
        if ka == 0 { c.elements.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] *= beta } }; return }
        let lda = Int32(max(a.rows, 1)), ldb = Int32(max(b.rows, 1)), ldc = Int32(max(c.rows, 1))
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, cblasTranspose(transposeA), cblasTranspose(transposeB), mm, nn, kk,
                                alpha, pa.baseAddress, lda, pb.baseAddress, ldb, beta, pc.baseAddress, ldc)
                }
            }
        }
    }

    /// The matrix product α·op(A)·op(B) as a new matrix (`cblas_dgemm`).
    ///
    /// - Throws: `shapeMismatch` when the inner dimensions differ.
    /// Complexity: 2mnk flops.
    public static func gemm(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false,
                            alpha: Double = 1) throws(NumericsError) -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        try gemm(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 0, into: &c)
        return c
    }

    /// The Gram matrix α·AᵀA (or α·AAᵀ with `transpose: false`) as a full symmetric matrix (`cblas_dsyrk`).
    ///
    /// `dsyrk` computes one triangle (half the flops of `gemm`); the other is mirrored.
    /// - Parameters:
    ///   - a: the matrix A.
    ///   - transpose: `true` (the default) forms AᵀA, the cross-product of the columns, as regression needs.
    ///   - alpha: the scale α. Default 1.
    /// - Returns: the full symmetric product.
    /// Complexity: n·k² flops for AᵀA with A n×k, plus O(k²) to mirror.
    public static func syrk(_ a: Matrix, transpose: Bool = true, alpha: Double = 1) throws(NumericsError) -> Matrix {
        let (n, k) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        var c = Matrix(rows: n, columns: n)
        let nn = try blasInt(n, "BLAS.syrk"), kk = try blasInt(k, "BLAS.syrk")
        if n == 0 || k == 0 { return c }
        a.withUnsafeBufferPointer { pa in
            c.elements.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasColMajor, CblasUpper, cblasTranspose(transpose), nn, kk, alpha,
                            pa.baseAddress, Int32(max(a.rows, 1)), 0, pc.baseAddress, nn)
                mirrorUpperTriangle(pc, n)
            }
        }
        return c
    }

    /// AᵀD²A for D = diag(`rowScales`), the cross-product of the columns of DA, without
    /// forming DA: row chunks on all cores, each of blocks of DA added by `dsyrk`
    /// (`ChunkedGram`), so the extra memory is a block per core, not an n × k copy, and the
    /// bits do not depend on the number of cores. The meat Σᵢrᵢ²xᵢxᵢᵀ of a
    /// heteroskedasticity-robust covariance is `syrk(X, rowScales: r)`.
    ///
    /// - Throws: `NumericsError.shapeMismatch` when there is not one scale per row of `a`.
    /// Complexity: n·k² flops for A n×k, one pass over A.
    public static func syrk(_ a: Matrix, rowScales: [Double]) throws(NumericsError) -> Matrix {
        let n = a.rows, k = a.columns
        guard rowScales.count == n else {
            throw .shapeMismatch(operation: "BLAS.syrk(_:rowScales:)", detail: "\(rowScales.count) scales for \(n) rows")
        }
        _ = try (blasInt(k, "BLAS.syrk"), blasInt(n, "BLAS.syrk"))
        if n == 0 || k == 0 { return Matrix(rows: k, columns: k) }
        var upper = a.withUnsafeBufferPointer { ChunkedGram.upper($0.baseAddress!, n: n, p: k, rowScales: rowScales) }
        upper.withUnsafeMutableBufferPointer { mirrorUpperTriangle($0, k) }
        return Matrix(uncheckedRows: k, columns: k, elements: upper)
    }

    /// Solves op(T)·X = α·B (side `.left`) or X·op(T) = α·B (side `.right`) for triangular T, in place (`cblas_dtrsm`).
    ///
    /// No singularity test is made (as in BLAS). `b` becomes X.
    /// - Throws: `shapeMismatch` when T is not square or does not fit B.
    /// Complexity: m·n² flops (side right, B m×n) or n·m² (side left).
    public static func trsm(_ t: Matrix, _ b: inout Matrix, side: Side = .left, triangle: Triangle,
                            transpose: Bool = false, unitDiagonal: Bool = false, alpha: Double = 1) throws(NumericsError) {
        let k = side == .left ? b.rows : b.columns
        guard t.rows == t.columns, t.rows == k else {
            throw .shapeMismatch(operation: "BLAS.trsm", detail: "T is \(t.rows)×\(t.columns), B is \(b.rows)×\(b.columns)")
        }
        let m = try blasInt(b.rows, "BLAS.trsm"), n = try blasInt(b.columns, "BLAS.trsm")
        if b.isEmpty { return }
        t.withUnsafeBufferPointer { pt in
            b.elements.withUnsafeMutableBufferPointer { pb in
                cblas_dtrsm(CblasColMajor, side == .left ? CblasLeft : CblasRight, triangle.cblas,
                            cblasTranspose(transpose), unitDiagonal ? CblasUnit : CblasNonUnit,
                            m, n, alpha, pt.baseAddress, Int32(max(t.rows, 1)), pb.baseAddress, m)
            }
        }
    }
}

/// Copies the upper triangle of the n × n column-major matrix `c` onto its lower one.
private func mirrorUpperTriangle(_ c: UnsafeMutableBufferPointer<Double>, _ n: Int) {
    for j in 0..<n { for i in (j + 1)..<n { c[i + j * n] = c[j + i * n] } }
}
