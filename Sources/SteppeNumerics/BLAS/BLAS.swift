import CLapack

/// Thin, shape-checked wrappers over CBLAS (OpenBLAS on Debian).
///
/// Each wrapper checks that operand shapes agree and throws
/// `NumericsError.shapeMismatch` when they do not, then calls the CBLAS routine
/// named in its documentation on column-major storage. Values are not checked
/// for finiteness here (that is O(n) on every call); the factorizations and
/// `LeastSquares` check their inputs.
public enum BLAS {
    /// Which triangle of a triangular or symmetric matrix is referenced.
    public enum Triangle: Sendable { case upper, lower }
    /// Whether a triangular matrix multiplies from the left (op(T)·X = B) or the right (X·op(T) = B).
    public enum Side: Sendable { case left, right }
}

/// The largest dimension CBLAS/LAPACKE accept with 32-bit integers.
let blasIntMax = Int(Int32.max)

@inline(__always)
func blasInt(_ n: Int, _ operation: String) throws(NumericsError) -> Int32 {
    guard n >= 0, n <= blasIntMax else {
        throw .invalidArgument(operation: operation, detail: "dimension \(n) exceeds the 32-bit BLAS/LAPACK limit")
    }
    return Int32(n)
}

/// Runs `body` on the contiguous storage of `x`, copying only when `x` is not contiguous.
@inline(__always)
func withContiguous<C: Collection<Double>, R>(_ x: C, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
    if let r = try x.withContiguousStorageIfAvailable(body) { return r }
    return try Array(x).withUnsafeBufferPointer(body)
}

extension BLAS.Triangle {
    var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
    var lapack: Int8 { self == .upper ? Int8(UInt8(ascii: "U")) : Int8(UInt8(ascii: "L")) }
}

@inline(__always)
func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }
