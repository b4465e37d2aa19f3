import SteppeNumerics

/// One coefficient with its inference.
///
/// Codable with the keys of the JSON contract (ARCHITECTURE.md): term, estimate, stdError,
/// statistic, pValue, confLow, confHigh; a number that is not finite is `null`, with its
/// reason under `nullReasons`.
public struct Coefficient: Sendable, Codable, Equatable {
    /// The coefficient's name (`log(dist)`, `C(region)[T.South]`).
    public let term: String
    public let estimate: Double
    public let standardError: Double
    /// estimate / standard error: a t statistic, or z when `FitResult.testDistribution` is `.normal`.
    public let statistic: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// Lower and upper ends of the confidence interval at `FitResult.confidenceLevel`.
    public let confidenceLow: Double
    public let confidenceHigh: Double

    public init(term: String, estimate: Double, standardError: Double, statistic: Double, pValue: Double,
                confidenceLow: Double, confidenceHigh: Double) {
        self.term = term
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.pValue = pValue
        self.confidenceLow = confidenceLow
        self.confidenceHigh = confidenceHigh
    }
}

/// The reference distribution of the coefficient tests and intervals.
public enum TestDistribution: String, Sendable, Codable, CaseIterable {
    /// Student's t with `FitResult.degreesOfFreedom` degrees of freedom (OLS; GLMs with fixest's factors).
    case t
    /// The standard normal: z tests (likelihood models with Stata's factors, or no degrees of freedom left).
    case normal
}

/// Summary statistics of a fit. Those that do not apply to the model are `nil`.
///
/// Codable with the contract's keys (`nobs` for `observations`, `residualStdError` for
/// `residualStandardError`, the others as named); statistics that do not apply are left out.
public struct FitStatistics: Sendable, Codable, Equatable {
    /// Observations in the estimation sample.
    public var observations: Int
    /// K: parameters counted for degrees of freedom (slopes plus fixed-effect levels less redundancies).
    public var parameterCount: Int
    /// n − K.
    public var residualDegreesOfFreedom: Int
    /// 1 − RSS/TSS (weighted; TSS centred when there is an intercept or fixed effects). OLS.
    public var rSquared: Double?
    /// 1 − (1 − R²)(n − 1)/(n − K). OLS.
    public var adjustedRSquared: Double?
    /// 1 − RSS/TSS of the outcome after absorbing the fixed effects. OLS with fixed effects.
    public var withinRSquared: Double?
    /// √(RSS/(n − K)). OLS.
    public var residualStandardError: Double?
    /// Σ wᵢ·d(yᵢ, μᵢ), the GLM deviance (RSS for OLS).
    public var deviance: Double?
    /// Deviance of the model with an intercept (and offset) only.
    public var nullDeviance: Double?
    /// Log-likelihood at the estimates.
    public var logLikelihood: Double?
    /// Log-likelihood of the intercept-only model.
    public var nullLogLikelihood: Double?
    /// McFadden's 1 − ℓ/ℓ₀. GLMs.
    public var pseudoRSquared: Double?
    /// 1 − (ℓ − K)/ℓ₀ (fixest's adjusted pseudo R²). GLMs.
    public var adjustedPseudoRSquared: Double?
    /// cor(y, ŷ)². GLMs.
    public var squaredCorrelation: Double?
    /// −2ℓ + 2K (K including σ² for OLS and the dispersion for Gaussian/Gamma GLMs, θ for negative binomial).
    public var aic: Double?
    /// −2ℓ + K·ln n.
    public var bic: Double?
    /// θ of the negative binomial.
    public var theta: Double?
    /// φ, the GLM dispersion used (1 for Poisson and negative binomial).
    public var dispersion: Double?

    /// The optional statistics with their JSON keys, in the contract's order.
    static var numberKeys: [(WritableKeyPath<FitStatistics, Double?>, String)] { [
        (\.rSquared, "rSquared"), (\.adjustedRSquared, "adjustedRSquared"), (\.withinRSquared, "withinRSquared"),
        (\.pseudoRSquared, "pseudoRSquared"), (\.adjustedPseudoRSquared, "adjustedPseudoRSquared"),
        (\.squaredCorrelation, "squaredCorrelation"), (\.residualStandardError, "residualStdError"),
        (\.deviance, "deviance"), (\.nullDeviance, "nullDeviance"), (\.logLikelihood, "logLikelihood"),
        (\.nullLogLikelihood, "nullLogLikelihood"), (\.aic, "aic"), (\.bic, "bic"), (\.theta, "theta"), (\.dispersion, "dispersion"),
    ] }

    /// Why the statistic with JSON key `key` can fail to be finite when no degenerate-fit
    /// rule (`FitDegeneracy`) explains it: the likely cause for that statistic.
    static func whyNotFinite(_ key: String) -> String {
        switch key {
        case "squaredCorrelation": return "the fitted values do not vary, so their correlation with the outcome is not defined"
        case "theta": return "θ grew without bound: the data show no overdispersion (the Poisson model is the limit)"
        case "rSquared", "adjustedRSquared", "withinRSquared": return "the outcome has no variation to explain (total sum of squares 0, or too large for double precision)"
        default: return "not finite in double precision (an overflow or 0/0 in the data's magnitudes)"
        }
    }
}

/// A fixed effect's estimated coefficients, by level.
///
/// Codable as {name, levelCount, levels, values}; the contract view (`steppe fit --format
/// json`) keeps name and levelCount only.
public struct FixedEffectEstimates: Sendable, Codable, Equatable {
    /// The fixed effect (a column, or columns joined by ^).
    public let name: String
    /// Its levels, in order of first appearance in the data.
    public let levels: [String]
    /// The coefficient of each level. Normalisation: the first level of every fixed effect but the first is 0.
    public let values: [Double]
}

/// One immutable value per fit: coefficients, covariance, statistics, the estimation report and the sample.
///
/// Codable: its encoding is the model object of the JSON contract (ARCHITECTURE.md and
/// `docs/steppe-output.schema.json`), which `steppe fit --format json` prints, plus — unless
/// the encoder's `userInfo[.fitResultContractOnly]` is `true` — the covariance matrix, the
/// sample, the fitted values and the design, so that a decoded fit can predict.
public struct FitResult: Sendable, Codable {
    /// The estimator.
    public let model: ModelKind
    /// The formula as given.
    public let formula: String
    /// The left-hand side of the formula as text, e.g. `flow` or `log(flow)`.
    public let responseName: String
    /// The GLM link (`nil` for OLS).
    public let link: Link?
    /// The estimable coefficients, in design order.
    public let coefficients: [Coefficient]
    /// V over `coefficients`, row-major k×k.
    public let covariance: [[Double]]
    /// How V was computed.
    public let covarianceType: CovarianceType
    /// Whose small-sample factors were applied.
    public let smallSampleCorrection: SmallSampleCorrection
    /// Degrees of freedom of the t tests; `nil` when tests are z (normal).
    public let degreesOfFreedom: Double?
    /// Confidence level of the intervals. Default 0.95.
    public let confidenceLevel: Double
    /// Number of clusters per clustering dimension (empty unless clustered).
    public let clusterCounts: [Int]
    public let statistics: FitStatistics
    /// What was dropped and how the iterations ended.
    public let report: EstimationReport
    /// Fixed-effect coefficients.
    public let fixedEffects: [FixedEffectEstimates]
    /// Row numbers (0-based, into the data) of the estimation sample.
    public let sample: [Int]
    /// The outcome on the sample.
    public let response: [Double]
    /// Fitted means μ̂ (ŷ for OLS) on the sample.
    public let fittedValues: [Double]
    /// Linear predictor η̂ on the sample (offset included).
    public let linearPredictor: [Double]
    /// What prediction on new data needs: the design's construction.
    let design: DesignSpecification
    /// Why figures of this fit are NA (NaN): JSON key (`stdError`, `logLikelihood`, `matrix`, …)
    /// → reason, written as the `nullReasons` of the JSON contract. Empty for a regular fit;
    /// the rules are `FitDegeneracy`'s. Keys of coefficient figures apply to every coefficient.
    public internal(set) var undefinedReasons: [String: String] = [:]

    /// t when there are degrees of freedom for the tests, else normal.
    public var testDistribution: TestDistribution { degreesOfFreedom == nil ? .normal : .t }

    /// The coefficient called `term`, if estimated.
    public func coefficient(_ term: String) -> Coefficient? { coefficients.first { $0.term == term } }

    /// Residuals y − μ̂ on the sample.
    public var residuals: [Double] { zip(response, fittedValues).map { $0 - $1 } }
}
