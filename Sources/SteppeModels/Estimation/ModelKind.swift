import SteppeNumerics

/// The models Steppe estimates.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// Ordinary (or weighted) least squares, with fixed effects by the within transformation.
    case ols
    /// Poisson pseudo-maximum likelihood: the gravity model's estimator (Santos Silva & Tenreyro 2006),
    /// with fixed effects, singleton and separation checks (as ppmlhdfe). Same computation as `poisson`.
    case ppml
    /// Poisson GLM with log link; same safeguards as `ppml`.
    case poisson
    /// Gaussian GLM (identity link by default; log link on request).
    case gaussian
    /// Gamma GLM, log link.
    case gamma
    /// Negative binomial GLM, log link, θ estimated by maximum likelihood (as MASS::glm.nb).
    case negbin

    var family: Family? {
        switch self {
        case .ols: return nil
        case .ppml, .poisson: return .poisson
        case .gaussian: return .gaussian
        case .gamma: return .gamma
        case .negbin: return .negativeBinomial(theta: 1)
        }
    }
}

/// Settings of an estimation; each has a documented default.
public struct EstimationOptions: Sendable {
    /// The covariance estimator. `nil` (default) means fixest's default: `iid` without fixed
    /// effects, clustered by the first fixed effect with them. The table notes say which was used.
    public var covariance: CovarianceType? = nil
    /// Whose small-sample factors. Default `.fixest`.
    public var smallSampleCorrection: SmallSampleCorrection = .fixest
    /// Confidence level of the intervals. Default 0.95.
    public var confidenceLevel: Double = 0.95
    /// GLM link; `nil` for the family's default (log, identity for Gaussian).
    public var link: Link? = nil
    /// IRLS stops when |ΔD|/(0.1 + |D|) < this. Default 1e-8, fixest's and ppmlhdfe's criterion.
    public var tolerance: Double = 1e-8
    /// Upper limit on IRLS iterations. Default 100; reaching it is reported as non-convergence.
    public var maximumIterations: Int = 100
    /// Fixed-effect absorption tolerance (relative). Default 1e-10; see `FixedEffectAbsorber`.
    public var fixedEffectTolerance: Double = 1e-10
    /// Drop singleton fixed-effect groups, iteratively. Default `true` (reghdfe, ppmlhdfe).
    public var dropSingletons: Bool = true
    /// For Poisson-type models, drop fixed-effect groups with only zero outcomes and
    /// observations separated by the regressors (ReLU method). Default `true`.
    public var checkSeparation: Bool = true
    /// Demeaned columns shared between OLS fits of variants of one model (see
    /// `AbsorptionCache`). Default `nil`: each fit absorbs its own columns.
    public var absorptionCache: AbsorptionCache? = nil
    /// Least-squares settings for the (final) solves.
    public var leastSquares: LeastSquares.Options = LeastSquares.Options()

    public init() {}
}
