/// The answer of `LeastSquares.solve`: coefficients, rank, residuals and (XᵀWX)⁻¹.
public struct LeastSquaresSolution: Sendable {
    /// b, one per column of X. Columns judged collinear get 0 (the basic solution), and are listed in `collinearColumns`.
    public let coefficients: [Double]
    /// The numerical rank of X (after equilibration), the number of estimable columns.
    public let rank: Int
    /// Rows with positive weight (all rows without weights).
    public let observations: Int
    /// Columns of X whose coefficients are estimated, ascending.
    public let estimableColumns: [Int]
    /// Columns of X dropped as linear combinations of the estimable ones, ascending.
    public let collinearColumns: [Int]
    /// yᵢ − xᵢᵀb on the caller's scale (not multiplied by √wᵢ): computed in double-double and
    /// rounded by the QR path, in double by the normal-equations path (which declines fits
    /// whose residuals are so small that this would lose digits).
    public let residuals: [Double]
    /// Σᵢ wᵢ(yᵢ − xᵢᵀb)², accumulated in double-double.
    public let residualSumOfSquares: Double
    /// (XᵀWX)⁻¹ restricted to `estimableColumns` (rank×rank, same order), or `nil` when not requested.
    /// Multiply by σ̂² = RSS/(n − rank) for the classical covariance of b.
    public let unscaledCovariance: Matrix?
    /// Reciprocal 1-norm condition estimate of the equilibrated estimable design.
    public let reciprocalCondition: Double
    /// Refinement steps taken for the coefficients (0: not refined).
    public let refinementSteps: Int
    /// Refinement steps taken for the covariance, summed over its columns (0: not refined);
    /// for the normal-equations path, the Cholesky-QR2 passes (0 or 1).
    public let covarianceRefinementSteps: Int
    /// Xb on the caller's scale, when the algorithm formed it anyway (the normal-equations
    /// path does, in its last pass over X); `nil` otherwise.
    public internal(set) var fittedValues: [Double]? = nil
    /// Which algorithm produced the solution.
    public internal(set) var method: LeastSquares.Method = .householderQR

    /// Residual degrees of freedom, observations − rank.
    public var residualDegreesOfFreedom: Int { observations - rank }

    /// σ̂ = √(RSS / (n − rank)), the residual standard deviation (NaN when no degrees of freedom are left).
    public var residualStandardDeviation: Double {
        residualDegreesOfFreedom > 0 ? (residualSumOfSquares / Double(residualDegreesOfFreedom)).squareRoot() : .nan
    }

    /// Classical standard errors σ̂·√[(XᵀWX)⁻¹]ⱼⱼ, one per column of X; NaN for collinear columns
    /// or when the covariance was not computed.
    public var standardErrors: [Double] {
        var out = [Double](repeating: .nan, count: coefficients.count)
        guard let cov = unscaledCovariance else { return out }
        let sigma = residualStandardDeviation
        for (q, j) in estimableColumns.enumerated() { out[j] = sigma * cov[q, q].squareRoot() }
        return out
    }
}
