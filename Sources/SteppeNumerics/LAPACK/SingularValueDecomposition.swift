import CLapack

/// The singular value decomposition A = U·diag(σ)·Vᵀ by divide and conquer (`dgesdd`).
///
/// The thin form: for A m×n with k = min(m, n), U is m×k, σ has k values in
/// non-increasing order, Vᵀ is k×n.
/// Complexity: O(mn·min(m, n)) flops; about 4mn² + 8n³ for m ≫ n with vectors.
public struct SingularValueDecomposition: Sendable {
    /// Left singular vectors, m×k (empty 0×0 when vectors were not requested).
    public let u: Matrix
    /// Singular values σ₁ ≥ σ₂ ≥ … ≥ 0.
    public let singularValues: [Double]
    /// Right singular vectors, transposed: k×n (empty when vectors were not requested).
    public let vt: Matrix

    /// Decomposes `a`.
    ///
    /// - Parameters:
    ///   - a: the matrix, m×n.
    ///   - computeVectors: also compute U and Vᵀ. Default `true`.
    /// - Throws: `nonFiniteInput`; `noConvergence(routine: "dgesdd", info:)` when the iteration fails.
    public init(_ a: Matrix, computeVectors: Bool = true) throws(NumericsError) {
        try requireFinite(a.elements, operation: "SingularValueDecomposition (dgesdd)", argument: "A")
        let m = a.rows, n = a.columns, k = min(m, n)
        var work = a
        var s = [Double](repeating: 0, count: k)
        var u = computeVectors ? Matrix(rows: m, columns: k) : Matrix(rows: 0, columns: 0)
        var vt = computeVectors ? Matrix(rows: k, columns: n) : Matrix(rows: 0, columns: 0)
        if k > 0 {
            let mm = try blasInt(m, "dgesdd"), nn = try blasInt(n, "dgesdd")
            let job = lapackChar(computeVectors ? "S" : "N")
            let info = work.elements.withUnsafeMutableBufferPointer { pa in
                u.elements.withUnsafeMutableBufferPointer { pu in
                    vt.elements.withUnsafeMutableBufferPointer { pv in
                        LAPACKE_dgesdd(LAPACK_COL_MAJOR, job, mm, nn, pa.baseAddress, mm, &s,
                                       pu.baseAddress, max(mm, 1), pv.baseAddress, max(Int32(k), 1))
                    }
                }
            }
            try NumericsError.check(info, routine: "dgesdd") { .noConvergence(routine: $0, info: $1) }
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }

    /// The 2-norm condition number σ₁/σₖ (infinity when σₖ = 0).
    public var conditionNumber: Double {
        guard let first = singularValues.first, let last = singularValues.last else { return 1 }
        return last == 0 ? .infinity : first / last
    }
}
