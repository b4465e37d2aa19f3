import Foundation
import SteppeNumerics

/// Extreme bounds analysis, as R's ExtremeBounds (Hlavac 2016, "ExtremeBounds: Extreme
/// Bounds Analysis in R", Journal of Statistical Software 72(9); package 0.1.7).
///
/// How much does a coefficient depend on which other regressors are in the model? Every
/// regression holds the free terms (and the intercept and fixed effects) and k + 1 terms of
/// the doubtful set, at least one of them a focus term, for each k in `k` (0…3 by default,
/// Levine & Renelt 1992), never two terms of one exclusive set together. Over these
/// regressions, for each free and focus coefficient:
///
/// - Leamer's extreme bounds: the lowest β̂ − τσ̂ and the highest β̂ + τσ̂, τ = Φ⁻¹((1 + level)/2)
///   (ExtremeBounds' normal critical value, whatever the fit's test distribution); robust
///   when both bounds have the same sign, else fragile.
/// - Sala-i-Martin's CDF(0): normal model Φ((0 − β̄)/σ̄), β̄ = Σwβ̂/Σw and σ̄² = Σwσ̂²/Σw (the
///   weighted mean of the variances); generic model Σw·Φ((0 − β̂)/σ̂)/Σw.
/// - The shares of coefficients below and above zero, and of those significantly so
///   (the interval β̂ ± τσ̂ excludes zero).
///
/// Weights w: equal, the likelihood ratio index 1 − ℓ/ℓ₀ (McFadden), R² or adjusted R² of
/// each regression. σ̂ is the fit's standard error under the model's covariance (ExtremeBounds'
/// `se.fun`). With a maximum VIF, a coefficient whose variance inflation factor exceeds it
/// is left out of its variable's statistics (ExtremeBounds applies this to every variable
/// but the intercept, free ones too). A regression in which a coefficient was dropped
/// (collinear or absorbed) is left out entirely and counted, as ExtremeBounds does.
///
/// Sample: every regression is fitted on the sample of the full model (rows complete for
/// all the terms), a variant of one `ModelFrame` (`selecting(columns:)`), so regressions are
/// comparable. ExtremeBounds calls `lm` on each formula with R's default `na.omit`, so with
/// missing values its regressions may use different rows; without missing values (the
/// reference data) the two agree. Works with every estimator (ExtremeBounds takes any
/// `reg.fun`); OLS fits share absorbed columns through an `AbsorptionCache`.
public enum ExtremeBounds {
    /// How each regression's results are weighted.
    public enum Weighting: String, Sendable, CaseIterable, Codable {
        /// Every regression counts the same (ExtremeBounds' default).
        case equal
        /// The likelihood ratio index 1 − ℓ/ℓ₀, ℓ₀ of the intercept-only model (with the
        /// offset, as the fit's null log-likelihood); ExtremeBounds' "lri".
        case lri
        /// R² (OLS only); ExtremeBounds' "r.squared".
        case r2
        /// Adjusted R² (OLS only); ExtremeBounds' "adj.r.squared".
        case adjustedR2 = "adj-r2"
    }

    /// Free or focus: the two kinds of coefficients reported.
    public enum Role: String, Sendable, Codable { case free, focus }

    /// What to analyse. Terms are terms of the model's formula (or column names).
    public struct Options: Sendable {
        /// The terms of interest (at least one); they are doubtful too.
        public var focus: [String]
        /// Terms in every regression. Default none; the terms of the formula named neither
        /// focus nor doubtful are free as well.
        public var free: [String]
        /// The terms cycled through the regressions; `nil` (default): every term of the
        /// formula not named focus or free. A doubtful term that is also free adds nothing
        /// to a regression (as in ExtremeBounds, where such a regression is the smaller one).
        public var doubtful: [String]?
        /// How many doubtful terms join the focus term in a regression. Default 0, 1, 2, 3.
        public var k: [Int]
        /// Sets of doubtful terms of which at most one enters any regression. Default none.
        public var exclusive: [[String]]
        /// Leave out coefficients whose VIF exceeds this. Default `nil`: no limit.
        public var maximumVIF: Double?
        /// Default `.equal`.
        public var weighting: Weighting
        /// Confidence level of the bounds and significance shares; `nil` (default): the model's (0.95).
        public var level: Double?
        /// Run only this many combinations, drawn at random without replacement from all of
        /// them (ExtremeBounds' `draws`, for when there are too many to run); `nil` (default): all.
        public var draws: Int? = nil
        /// The seed of that draw. Default 1.
        public var seed: UInt64 = 1

        public init(focus: [String], free: [String] = [], doubtful: [String]? = nil, k: [Int] = [0, 1, 2, 3],
                    exclusive: [[String]] = [], maximumVIF: Double? = nil, weighting: Weighting = .equal, level: Double? = nil) {
            self.focus = focus
            self.free = free
            self.doubtful = doubtful
            self.k = k
            self.exclusive = exclusive
            self.maximumVIF = maximumVIF
            self.weighting = weighting
            self.level = level
        }
    }

    /// One reported coefficient over the regressions.
    public struct Variable: Sendable, Equatable {
        public let term: String
        public let role: Role
        /// Regressions that estimated it.
        public let regressions: Int
        /// Coefficients used (those within the VIF limit).
        public let coefficientsUsed: Int
        /// Σwβ̂/Σw.
        public let weightedMean: Double
        /// Σwσ̂/Σw (ExtremeBounds' "SE (Wgt Mean)").
        public let weightedStandardError: Double
        /// Σwσ̂²/Σw, the variance of the normal model.
        public let weightedVariance: Double
        public let shareNegative: Double
        public let sharePositive: Double
        public let shareSignificantNegative: Double
        public let shareSignificantPositive: Double
        public let leamerLow: Double
        public let leamerHigh: Double
        /// Both bounds of one sign; `nil` when no coefficient was used.
        public let leamerRobust: Bool?
        public let cdfNormalBelowZero: Double
        public let cdfGenericBelowZero: Double
    }

    /// The analysis.
    public struct Result: Sendable {
        /// Combinations of doubtful terms that hold a focus term and respect the exclusive sets.
        public let combinations: Int
        /// How many of them were drawn and run (`Options.draws`), `nil` when all were.
        public var drawn: Int? = nil
        /// Regressions estimated and used: combinations less those omitted.
        public let regressions: Int
        /// Regressions left out because a coefficient was dropped (collinear or absorbed).
        public let omitted: Int
        public let level: Double
        /// τ = Φ⁻¹((1 + level)/2).
        public let criticalValue: Double
        public let weighting: Weighting
        public let maximumVIF: Double?
        public let k: [Int]
        /// The terms in each role, as resolved.
        public let focus: [String]
        public let free: [String]
        public let doubtful: [String]
        /// The intercept and the free coefficients, then the focus ones.
        public let variables: [Variable]
    }

    /// Runs the analysis: builds the combinations, fits them on all cores (`Replicates`),
    /// and summarises every free and focus coefficient.
    ///
    /// - Throws: `ModelError.invalidOption` for unknown or conflicting terms, k too large
    ///   for the doubtful set, exclusive sets outside it, weights the model has no statistic
    ///   for; `ModelError` of a regression that fails, naming it.
    public static func analyse(_ model: SensitivityModel, options: Options, progress: ProgressHandler? = nil) throws(ModelError) -> Result {
        if let level = options.level, !(level > 0 && level < 1) {
            throw .invalidOption("the level of the bounds must be between 0 and 1 (e.g. 0.95), got \(level)")
        }
        if let limit = options.maximumVIF, !(limit >= 1) {
            throw .invalidOption("--vif must be 1 or more (a VIF is never below 1), got \(limit)")
        }
        let plan = try Plan(model, options)
        var fitOptions = model.options
        if model.model == .ols { fitOptions.absorptionCache = AbsorptionCache() }
        let gram = options.maximumVIF == nil ? nil : VIFGram(model.frame, options: fitOptions)
        let fixedOptions = fitOptions
        let outcomes = Replicates.run(count: plan.regressions.count, seed: 0, progress: progress) { r, _ in
            Swift.Result { () throws(ModelError) -> RegressionOutcome in
                try plan.estimate(r, model: model, options: fixedOptions, gram: gram, weighting: options.weighting)
            }
        }
        var kept: [RegressionOutcome] = []
        for (r, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let o): if !o.omitted { kept.append(o) }
            case .failure(let e): throw .invalidOption("regression \(r + 1) of \(outcomes.count) (\(plan.formula(r, model.frame))) failed: \(e)")
            }
        }
        let level = options.level ?? model.options.confidenceLevel
        let tau = Normal.standard.quantile((1 + level) / 2)
        let variables = plan.reported.enumerated().map { v, column in
            summarise(kept, variable: v, term: model.frame.coefficientNames[column.index], role: column.role,
                      tau: tau, maximumVIF: options.maximumVIF)
        }
        return Result(combinations: plan.combinations, drawn: plan.drawn, regressions: kept.count,
                      omitted: plan.regressions.count - kept.count, level: level, criticalValue: tau,
                      weighting: options.weighting, maximumVIF: options.maximumVIF, k: plan.k,
                      focus: plan.focusTerms, free: plan.freeTerms, doubtful: plan.doubtfulTerms, variables: variables)
    }
}
