import SteppeNumerics

/// The models Steppe estimates.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// Ordinary (or weighted) least squares, with fixed effects by the within transformation.
    case ols
    /// Poisson pseudo-maximum likelihood: the gravity model's estimator (Santos Silva & Tenreyro 2006),
    /// with fixed effects, singleton and separation checks (as ppmlhdfe).
    ///
    /// `ppml` and `poisson` compute the same estimates, standard errors and statistics
    /// with the same safeguards (singletons, all-zero groups and separation dropped and
    /// reported), the same defaults and the same IRLS; only the label differs ("PPML" in
    /// tables and JSON). Use `ppml` for flows and other non-count outcomes, where only the
    /// conditional mean is assumed (pseudo-likelihood: robust or clustered standard errors
    /// are the ones to report), and `poisson` for counts read as Poisson.
    case ppml
    /// Poisson GLM with log link: the same computation as `ppml` (see there), labelled Poisson.
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
///
/// Every column a fit from a table reads besides the formula is named here: the weights,
/// the offset, and the cluster variables (in `covariance`). A fit of a prepared
/// `ModelFrame` takes them from the frame instead.
public struct EstimationOptions: Sendable {
    /// The covariance estimator. `nil` (default) means fixest's default: `iid` without fixed
    /// effects, clustered by the first fixed effect with them. The table notes say which was used.
    public var covariance: CovarianceType?
    /// An expression for observation weights (frequency weights for GLMs). Default none.
    public var weights: String?
    /// An expression added to the linear predictor with coefficient 1 (an exposure such as
    /// `log(population)`). Default none.
    public var offset: String?
    /// Whose small-sample factors. Default `.fixest`.
    public var smallSampleCorrection: SmallSampleCorrection
    /// Confidence level of the intervals. Default 0.95.
    public var confidenceLevel: Double
    /// GLM link; `nil` for the family's default (log, identity for Gaussian).
    public var link: Link?
    /// IRLS stops when |ΔD|/(0.1 + |D|) < this (for Poisson the 0.1 is 0.1·min(1, ȳ), so that
    /// small outcomes keep a relative test). Default 1e-8, fixest's and ppmlhdfe's criterion.
    public var tolerance: Double
    /// Upper limit on IRLS iterations. Default 100; reaching it is reported as non-convergence.
    public var maximumIterations: Int
    /// Fixed-effect absorption tolerance (relative). Default 1e-10; see `FixedEffectAbsorber`.
    public var fixedEffectTolerance: Double
    /// Drop singleton fixed-effect groups, iteratively. Default `true` (reghdfe, ppmlhdfe).
    public var dropSingletons: Bool
    /// For Poisson-type models, drop fixed-effect groups with only zero outcomes and
    /// observations separated by the regressors (ReLU method). Default `true`.
    public var checkSeparation: Bool
    /// Demeaned columns shared between OLS fits of variants of one model (see
    /// `AbsorptionCache`). Default `nil`: each fit absorbs its own columns.
    public var absorptionCache: AbsorptionCache?
    /// Least-squares settings for the (final) solves.
    public var leastSquares: LeastSquares.Options
    /// Where IRLS starts (GLMs and PPML but the negative binomial): `nil` (default) for the
    /// family's start from the outcome; see `StartingMeans`.
    public var startingMeans: StartingMeans? = nil

    /// Options with the documented defaults, changing only what is named.
    public init(covariance: CovarianceType? = nil, weights: String? = nil, offset: String? = nil,
                smallSampleCorrection: SmallSampleCorrection = .fixest, confidenceLevel: Double = 0.95,
                link: Link? = nil, tolerance: Double = 1e-8, maximumIterations: Int = 100,
                fixedEffectTolerance: Double = 1e-10, dropSingletons: Bool = true, checkSeparation: Bool = true,
                absorptionCache: AbsorptionCache? = nil, leastSquares: LeastSquares.Options = LeastSquares.Options()) {
        self.covariance = covariance
        self.weights = weights
        self.offset = offset
        self.smallSampleCorrection = smallSampleCorrection
        self.confidenceLevel = confidenceLevel
        self.link = link
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
        self.fixedEffectTolerance = fixedEffectTolerance
        self.dropSingletons = dropSingletons
        self.checkSeparation = checkSeparation
        self.absorptionCache = absorptionCache
        self.leastSquares = leastSquares
    }
}
