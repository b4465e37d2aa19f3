import CLapack

extension BLAS {
    /// The dot product xᵀy = Σᵢ xᵢyᵢ (`cblas_ddot`). Complexity: O(n).
    ///
    /// - Throws: `shapeMismatch` when the lengths differ.
    public static func dot(_ x: some Collection<Double>, _ y: some Collection<Double>) throws(NumericsError) -> Double {
        guard x.count == y.count else {
            throw .shapeMismatch(operation: "BLAS.dot", detail: "lengths \(x.count) and \(y.count)")
        }
        let n = try blasInt(x.count, "BLAS.dot")
        return withContiguous(x) { px in withContiguous(y) { py in cblas_ddot(n, px.baseAddress, 1, py.baseAddress, 1) } }
    }

    /// y ← αx + y (`cblas_daxpy`). Complexity: O(n).
    ///
    /// - Throws: `shapeMismatch` when the lengths differ.
    public static func axpy(_ alpha: Double, _ x: some Collection<Double>, _ y: inout [Double]) throws(NumericsError) {
        guard x.count == y.count else {
            throw .shapeMismatch(operation: "BLAS.axpy", detail: "lengths \(x.count) and \(y.count)")
        }
        let n = try blasInt(x.count, "BLAS.axpy")
        withContiguous(x) { px in y.withUnsafeMutableBufferPointer { py in cblas_daxpy(n, alpha, px.baseAddress, 1, py.baseAddress, 1) } }
    }

    /// x ← αx (`cblas_dscal`). Complexity: O(n).
    public static func scal(_ alpha: Double, _ x: inout [Double]) {
        let n = Int32(clamping: x.count)
        x.withUnsafeMutableBufferPointer { px in cblas_dscal(n, alpha, px.baseAddress, 1) }
    }

    /// The Euclidean norm ‖x‖₂ (`cblas_dnrm2`), computed without overflow or
    /// harmful underflow by scaling, as the reference BLAS does. Complexity: O(n).
    public static func nrm2(_ x: some Collection<Double>) -> Double {
        let n = Int32(clamping: x.count)
        return withContiguous(x) { px in cblas_dnrm2(n, px.baseAddress, 1) }
    }
}
