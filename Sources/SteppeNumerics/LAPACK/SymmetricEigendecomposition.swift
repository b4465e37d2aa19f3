import CLapack

/// Eigenvalues and eigenvectors of a symmetric matrix, A = V·diag(λ)·Vᵀ (`dsyevr`, MRRR).
///
/// Only the upper triangle of A is read. Eigenvalues come in ascending order; the
/// eigenvectors are orthonormal columns of V. Used, for example, to repair a
/// multi-way cluster covariance that is not positive semi-definite.
/// Complexity: O(n³) flops (about 4n³/3 for the tridiagonal reduction, plus O(n²) per vector).
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues λ₁ ≤ λ₂ ≤ … ≤ λₙ.
    public let eigenvalues: [Double]
    /// Eigenvectors as columns, in the order of `eigenvalues` (0×0 when not requested).
    public let eigenvectors: Matrix

    /// Decomposes the symmetric matrix `a`.
    ///
    /// - Parameters:
    ///   - a: the symmetric matrix (its upper triangle is read).
    ///   - computeVectors: also compute V. Default `true`.
    /// - Throws: `shapeMismatch` when A is not square; `nonFiniteInput`; `noConvergence(routine: "dsyevr", info:)`.
    public init(_ a: Matrix, computeVectors: Bool = true) throws(NumericsError) {
        guard a.rows == a.columns else {
            throw .shapeMismatch(operation: "SymmetricEigendecomposition (dsyevr)", detail: "A is \(a.rows)×\(a.columns), not square")
        }
        try requireFinite(a.elements, operation: "SymmetricEigendecomposition (dsyevr)", argument: "A")
        let n = a.rows
        var work = a
        var w = [Double](repeating: 0, count: n)
        var z = computeVectors ? Matrix(rows: n, columns: n) : Matrix(rows: 0, columns: 0)
        if n > 0 {
            let nn = try blasInt(n, "dsyevr")
            var found: Int32 = 0
            var support = [Int32](repeating: 0, count: 2 * n)
            let info = work.elements.withUnsafeMutableBufferPointer { pa in
                z.elements.withUnsafeMutableBufferPointer { pz in
                    LAPACKE_dsyevr(LAPACK_COL_MAJOR, lapackChar(computeVectors ? "V" : "N"), lapackChar("A"), lapackChar("U"),
                                   nn, pa.baseAddress, nn, 0, 0, 0, 0, 0, &found, &w, pz.baseAddress, nn, &support)
                }
            }
            try NumericsError.check(info, routine: "dsyevr") { .noConvergence(routine: $0, info: $1) }
        }
        self.eigenvalues = w
        self.eigenvectors = z
    }
}
