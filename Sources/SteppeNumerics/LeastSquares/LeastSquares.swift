/// Linear least squares, min over b of Σᵢ wᵢ (yᵢ − xᵢᵀb)², by column-equilibrated
/// pivoted Householder QR with iterative refinement in double-double precision.
///
/// Algorithm:
/// 1. Rows are multiplied by √wᵢ, and every column by a power of two that brings
///    its norm into [½, 2) (exact: no rounding), so that rank decisions and pivoting
///    do not depend on the units of the regressors.
/// 2. `PivotedQR` (`dgeqp3`) factors the equilibrated design, A·P = Q·R.
/// 3. Rank: the number of leading k with |R(k,k)| > `rankTolerance`·|R(0,0)|. When k is
///    short of p, the latest columns (in the caller's order) that depend on earlier ones
///    are dropped, as R's `lm` and fixest drop them, reported in `collinearColumns`, and
///    given coefficient 0; the rest are factored again.
/// 4. The estimable part is solved by R₁₁ b = (Qᵀy)₁, then refined (Björck's refinement
///    of the augmented system [I A; Aᵀ 0][r; b] = [y; 0]) with residuals computed in
///    double-double from the caller's design (and its low-order parts, if given).
///    Each step gains about −log₁₀(κ·ε) digits, κ the condition number of the
///    equilibrated design: on NIST's Filip (κ ≈ 5·10⁹) that is 6 digits a step.
/// 5. The covariance (AᵀA)⁻¹ of the estimable columns comes from R₁₁⁻¹R₁₁⁻ᵀ, refined
///    column by column the same way (right-hand side [0; −eⱼ]).
///
/// Accuracy: on the 11 NIST StRD linear regressions, with the polynomial designs given
/// in double-double, every certified estimate, standard error, residual SD and R² is
/// matched to 12 digits or more (see `NISTAccuracyTests`). Plain double QR (`dgels`)
/// gets 8.0 digits on Filip and 5.8 on Wampler5.
public enum LeastSquares {
    /// When to refine the double-precision QR solution in double-double.
    public enum Refinement: Sendable, Equatable {
        /// Never: the answer of the double-precision QR alone (like `dgelsy`).
        case never
        /// Always for small problems (n·k ≤ 10⁶ for the coefficients, n·k² ≤ 10⁷ for the
        /// covariance: a few milliseconds), and for larger ones when the first-order error
        /// bound ε·κ·(1 + κ·ρ), ρ = ‖r‖/(‖A‖_F‖b‖), exceeds `Options.automaticThreshold`
        /// (ε·κ for the covariance). The bound is normwise, so a coefficient much smaller
        /// than the others may keep fewer digits than it promises; choose `.always` when
        /// every digit of every coefficient matters more than time.
        case automatic
        /// Always, until the corrections stop shrinking.
        case always
    }

    /// Expert settings, each with its default and the reason for it.
    /// The algorithm.
    public enum Method: String, Sendable, Equatable, Codable {
        /// The normal-equations path for large, well-conditioned problems without low
        /// parts (n ≥ 2p and n·p ≥ 10⁶), pivoted Householder QR otherwise or when the
        /// normal-equations path declines (condition, rank, near-perfect fit). Default.
        case automatic
        /// Pivoted Householder QR with refinement (`dgeqp3`): decides the rank, reaches
        /// NIST's certified values to 13+ digits. Complexity 2np² flops, BLAS-2 bound.
        case householderQR
        /// Cholesky of the equilibrated Gram matrix with Cholesky-QR2 and corrected
        /// semi-normal-equation refinement (`NormalEquationsSolver`), when κ(X) ≤ 10⁶;
        /// falls back to `householderQR` otherwise. n·p² flops at BLAS-3 speed.
        case normalEquations
    }

    public struct Options: Sendable, Equatable {
        /// Relative size of |R(k,k)| below which column k of the equilibrated design is
        /// judged collinear. Default 1e-11: exactly collinear columns give ratios of
        /// 1e-16 to 1e-15 (measured up to n = 10⁶), while NIST's hardest full-rank design,
        /// Filip, gives 6.4e-10. R's `lm` uses 1e-7, which drops a Filip term.
        public var rankTolerance: Double = 1e-11
        /// When to refine. Default `.automatic`.
        public var refinement: Refinement = .automatic
        /// Error bound above which `.automatic` refines. Default 1e-14, so that results
        /// are good to about 13 digits either way.
        public var automaticThreshold: Double = 1e-14
        /// Upper limit on refinement steps per solve. Default 10; convergence takes 2–4
        /// steps unless κ·ε approaches 1, where refinement cannot help.
        public var maximumRefinementSteps: Int = 10
        /// Problem size n·k up to which `.automatic` always refines the coefficients.
        public static let smallCoefficientWork = 1e6
        /// Problem size n·k² up to which `.automatic` always refines the covariance.
        public static let smallCovarianceWork = 1e7

        /// Whether to compute (AᵀWA)⁻¹ of the estimable columns. Default `true`.
        public var computeCovariance: Bool = true

        /// The algorithm. Default `.automatic`.
        public var method: Method = .automatic

        /// Whether to check that X, y and the weights are finite (one pass over X). Default
        /// `true`; callers whose data are screened already (a model frame drops non-finite
        /// rows, IRLS checks its weights) may turn it off on the normal-equations path; the
        /// QR path always checks. Non-finite input with the check off gives NaN results,
        /// never a trap.
        public var checkFinite: Bool = true

        /// Whether the caller uses the residuals (and statistics built on them). Default
        /// `true`, and then the normal-equations path declines near-perfect fits
        /// (RSS ≤ 1e-20·Σwy²), whose double-precision residuals would have few correct
        /// digits, in favour of QR with double-double residuals. With `false`, the
        /// normal-equations path skips its last pass over X: the solution's `residuals` are
        /// empty, `residualSumOfSquares` is NaN and `fittedValues` is `nil` (the QR path
        /// computes them regardless). For callers that need only the coefficients and the
        /// covariance: IRLS steps before the last, the separation certificate.
        public var residualsNeeded: Bool = true

        /// Below this n·p, `.automatic` uses QR: small problems cost little either way,
        /// and QR with double-double refinement is the most accurate. 10⁶.
        public static let normalEquationsMinimumWork = 1e6

        /// Options with the documented defaults, changed where given.
        public init(rankTolerance: Double = 1e-11, refinement: Refinement = .automatic,
                    automaticThreshold: Double = 1e-14, maximumRefinementSteps: Int = 10,
                    computeCovariance: Bool = true, method: Method = .automatic) {
            self.rankTolerance = rankTolerance
            self.refinement = refinement
            self.automaticThreshold = automaticThreshold
            self.maximumRefinementSteps = maximumRefinementSteps
            self.computeCovariance = computeCovariance
            self.method = method
        }
    }

    /// Solves the (weighted) least-squares problem y ≈ Xb.
    ///
    /// - Parameters:
    ///   - design: X, n×p. Any rank; collinear columns are detected.
    ///   - response: y, length n.
    ///   - weights: wᵢ ≥ 0, length n, or `nil` for equal weights. Rows with weight 0 do not count.
    ///   - designLowParts: optional low-order parts of X (X is then `design + designLowParts`
    ///     in double-double), for designs such as polynomial terms whose exact values are
    ///     not doubles. Used only by refinement.
    ///   - options: see `Options`.
    /// - Throws: `shapeMismatch`, `nonFiniteInput`, `invalidArgument` (negative weights), or a LAPACK error.
    /// Complexity: the QR, about 2np² flops, plus O(np) per refinement step and O(np²) per covariance
    /// refinement step; on the normal-equations path (see `Method`), np² flops at BLAS-3 speed and O(np) per step.
    public static func solve(_ design: Matrix, _ response: [Double], weights: [Double]? = nil,
                             designLowParts: Matrix? = nil, options: Options = Options()) throws(NumericsError) -> LeastSquaresSolution {
        let n = Double(design.rows), p = Double(design.columns)
        let tryNormal: Bool
        switch options.method {
        case .householderQR: tryNormal = false
        case .normalEquations: tryNormal = designLowParts == nil
        case .automatic: tryNormal = designLowParts == nil && n * p >= Options.normalEquationsMinimumWork
        }
        if tryNormal, let fast = try NormalEquationsSolver.solve(design, response, weights: weights, options: options) {
            return fast
        }
        let factorization = try LeastSquaresFactorization(design, weights: weights, designLowParts: designLowParts, options: options)
        return try factorization.solve(response)
    }
}
