/// An error from SteppeNumerics: bad input, or a LAPACK routine that reported failure.
///
/// Every case names the operation (a Swift API or the LAPACK routine it calls)
/// so that a message can be traced to its source. LAPACK's `info` code is kept
/// as LAPACK defines it: `info < 0` means argument `-info` was illegal (a bug in
/// Steppe, reported rather than trapped), `info > 0` is routine-specific (for
/// example, the order of the leading minor that is not positive definite in
/// `dpotrf`, or the zero pivot in `dgesv`).
public enum NumericsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Operand shapes do not fit, e.g. `gemm` with A 3×4 and B 5×2.
    case shapeMismatch(operation: String, detail: String)
    /// An input holds NaN or ±infinity where finite numbers are required.
    case nonFiniteInput(operation: String, argument: String)
    /// An argument is outside its domain (a negative weight, a probability outside [0, 1]).
    case invalidArgument(operation: String, detail: String)
    /// The matrix is exactly singular to working precision; `info` is LAPACK's.
    case singular(routine: String, info: Int)
    /// A Cholesky factorization failed: the leading minor of order `info` is not positive definite.
    case notPositiveDefinite(routine: String, info: Int)
    /// An iterative LAPACK routine (SVD, eigenvalues) did not converge; `info` is LAPACK's.
    case noConvergence(routine: String, info: Int)
    /// Any other non-zero `info` from a LAPACK routine.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, detail):
            return "\(operation): shape mismatch: \(detail)"
        case let .nonFiniteInput(operation, argument):
            return "\(operation): \(argument) contains NaN or infinity"
        case let .invalidArgument(operation, detail):
            return "\(operation): \(detail)"
        case let .singular(routine, info):
            return "\(routine): matrix is singular (info = \(info): zero pivot at position \(info))"
        case let .notPositiveDefinite(routine, info):
            return "\(routine): matrix is not positive definite (info = \(info): leading minor of order \(info))"
        case let .noConvergence(routine, info):
            return "\(routine): the algorithm did not converge (info = \(info))"
        case let .lapack(routine, info):
            if info < 0 {
                return "\(routine): argument \(-info) had an illegal value (info = \(info))"
            }
            return "\(routine): failed with info = \(info)"
        }
    }
}

extension NumericsError {
    /// Maps a LAPACK `info` code to an error, or nothing when `info == 0`.
    ///
    /// - Parameters:
    ///   - info: the routine's `info` (LAPACKE returns it as the function value).
    ///   - routine: the LAPACK routine, e.g. `"dpotrf"`.
    ///   - positive: how to read `info > 0` for this routine.
    static func check(_ info: Int32, routine: String, positive: (String, Int) -> NumericsError) throws(NumericsError) {
        if info == 0 { return }
        if info < 0 { throw .lapack(routine: routine, info: Int(info)) }
        throw positive(routine, Int(info))
    }
}

/// Throws `nonFiniteInput` when any value is NaN or ±∞.
///
/// Contiguous storage is checked branch-free: Σ 0·vᵢ is NaN exactly when some vᵢ is NaN or
/// infinite (0·∞ = NaN), and the sum vectorizes; it is one pass at memory speed, split
/// over all cores from four chunks up (`areAllFinite`; a 10⁶ × 21 design).
@inline(__always)
func requireFinite(_ values: some Collection<Double>, operation: String, argument: String) throws(NumericsError) {
    if let finite = values.withContiguousStorageIfAvailable(areAllFinite) {
        if !finite { throw .nonFiniteInput(operation: operation, argument: argument) }
        return
    }
    for v in values where !v.isFinite {
        throw .nonFiniteInput(operation: operation, argument: argument)
    }
}

/// Whether every value is finite (no NaN, no ±∞), by the branch-free test of
/// `requireFinite`, on all cores from four chunks (`Parallel.chunkLength`) up. Also the
/// model frame's screen of each variable.
@_spi(SteppeInternal)
public func areAllFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
    guard values.count >= 4 * Parallel.chunkLength else { return allFiniteValues(values.baseAddress, values.indices) }
    let shared = SharedBuffer(UnsafeMutablePointer(mutating: values.baseAddress!))
    return !Parallel.chunks(values.count) { rows in allFiniteValues(shared.base, rows) }.contains(false)
}

/// Whether p[i] is finite for every i in `rows`: Σ 0·p[i] in four lanes is not NaN.
@inline(__always)
private func allFiniteValues(_ p: UnsafePointer<Double>?, _ rows: Range<Int>) -> Bool {
    guard let p else { return true }
    var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
    var i = rows.lowerBound
    while i + 4 <= rows.upperBound {
        a0 += 0 * p[i]; a1 += 0 * p[i + 1]; a2 += 0 * p[i + 2]; a3 += 0 * p[i + 3]
        i += 4
    }
    while i < rows.upperBound { a0 += 0 * p[i]; i += 1 }
    return !(a0 + a1 + a2 + a3).isNaN
}
