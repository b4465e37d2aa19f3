import Foundation
import SteppeNumerics

/// Omitted-variable-bias sensitivity of one coefficient of a linear model, as sensemakr
/// (Cinelli & Hazlett 2020, JRSS-B 82(1); R sensemakr 0.1.6, PySensemakr 0.0.8).
///
/// How strong would an unobserved confounder Z have to be to change the conclusion about
/// the treatment D? The answers are in partial R²s of the outcome regression
/// Y ∼ D + X (+ fixed effects): R²_{Y∼D|X} = t²/(t² + df), the robustness values RV_q and
/// RV_{q,α}, and, for a confounder k_d/k_y times as strong as a benchmark covariate, the
/// bounds R²_{D∼Z|X}, R²_{Y∼Z|D,X} and the estimate, standard error, t and interval
/// adjusted for it; plus the adjusted estimate on a grid of the two partial R²s (the data of
/// sensemakr's contour plot).
///
/// As sensemakr, the statistics use the classical (iid) standard error and df = n − K
/// whatever covariance the model asked for: the bias formulas are of least squares, not of
/// a sandwich. With fixed effects the partial R²s are those of the within regression and K
/// counts the absorbed levels, so a fit with `| village` gives the numbers of the fit with
/// village dummies (sensemakr's `fixest` method, which uses `vcov = "iid"` and fixest's
/// residual degrees of freedom). Observation weights make it the weighted least-squares
/// version (sensemakr's `lm` with weights).
///
/// Only for OLS: the bias formulas are those of least squares. PPML and the other GLMs get
/// an error (there is no published extension of these partial-R² bounds to them).
public enum OmittedVariableBias {
    /// What to analyse.
    public struct Options: Sendable {
        /// The treatment: a term of the model with one design column, or a column name.
        public var treatment: String
        /// Benchmark covariates: terms of the model (a categorical term is one benchmark
        /// of all its dummies, with sensemakr's group partial R²) or column names. Default none.
        public var benchmarks: [String]
        /// How many times as strong as each benchmark the confounder is in explaining the
        /// treatment. Default [1, 2, 3] (the paper's example).
        public var kd: [Double]
        /// The same for the outcome; `nil` (default) means `kd`, as sensemakr. Else as many as `kd`.
        public var ky: [Double]?
        /// The share of the estimate the robustness value is about: q = 1 (default) brings it to zero.
        public var q: Double
        /// Significance level of RV_{q,α} and of the adjusted intervals. Default 0.05.
        public var alpha: Double
        /// The confounder moves the estimate toward zero (default `true`, sensemakr's default) or away.
        public var reduce: Bool
        /// Points per axis of the contour grid. Default 40.
        public var contourPoints: Int

        public init(treatment: String, benchmarks: [String] = [], kd: [Double] = [1, 2, 3], ky: [Double]? = nil,
                    q: Double = 1, alpha: Double = 0.05, reduce: Bool = true, contourPoints: Int = 40) {
            self.treatment = treatment
            self.benchmarks = benchmarks
            self.kd = kd
            self.ky = ky
            self.q = q
            self.alpha = alpha
            self.reduce = reduce
            self.contourPoints = contourPoints
        }
    }

    /// The bounds implied by one benchmark and one (k_d, k_y).
    public struct Bound: Sendable, Equatable {
        public let benchmark: String
        public let kd: Double
        public let ky: Double
        /// R²_{D∼Z|X}: the confounder's partial R² with the treatment.
        public let r2dzx: Double
        /// R²_{Y∼Z|D,X}: its partial R² with the outcome (capped at 1).
        public let r2yzdx: Double
        public let adjustedEstimate: Double
        public let adjustedStandardError: Double
        /// (Adjusted estimate − h₀)/adjusted standard error, h₀ = β̂(1 − q), or β̂(1 + q) when
        /// not reducing (sensemakr's; h₀ = 0 for the default q = 1).
        public let adjustedT: Double
        /// adjusted estimate ∓ t_{1−α/2, df}·adjusted se (sensemakr's ovb_bounds uses df, not df − 1).
        public let adjustedConfidenceLow: Double
        public let adjustedConfidenceHigh: Double
    }

    /// The adjusted estimate on a grid: `adjustedEstimate[i][j]` at (r2dzx[i], r2yzdx[j]),
    /// as R's outer(r2dz.x, r2yz.dx, adjusted_estimate).
    public struct Contour: Sendable, Equatable, Encodable {
        public let r2dzx: [Double]
        public let r2yzdx: [Double]
        public let adjustedEstimate: [[Double]]
    }

    /// The analysis.
    public struct Result: Sendable {
        /// The treatment's column.
        public let treatment: String
        /// Its estimate, classical standard error and t in the outcome regression.
        public let estimate: Double
        public let standardError: Double
        public let tStatistic: Double
        /// df = n − K (K counting the fixed-effect levels).
        public let degreesOfFreedom: Int
        /// R²_{Y∼D|X} = t²/(t² + df).
        public let partialR2: Double
        /// f²_{Y∼D|X} = t²/df.
        public let partialF2: Double
        /// RV_q.
        public let robustnessValue: Double
        /// RV_{q,α}.
        public let robustnessValueAlpha: Double
        public let q: Double
        public let alpha: Double
        public let reduce: Bool
        public let bounds: [Bound]
        public let contour: Contour
        /// Sentences about the analysis (an R²_{Y∼Z|D,X} capped at 1).
        public let warnings: [String]
    }

    /// Runs the analysis on `model` (an OLS model; its fit's covariance is not used).
    ///
    /// - Throws: `ModelError.invalidOption` for a model that is not OLS, a treatment or
    ///   benchmark that is not a term, impossible k_d, or invalid q, α; `ModelError` of the refits.
    public static func analyse(_ model: SensitivityModel, options: Options) throws(ModelError) -> Result {
        try validate(options)
        guard model.model == .ols else {
            throw .invalidOption("ovb is defined for linear models (Cinelli & Hazlett 2020), not \(model.model.rawValue): for PPML use -m ols with a log outcome, e.g. \"log(y/exposure) ~ ...\", or steppe sensitivity eba, which takes any estimator")
        }
        var iid = model.options
        iid.covariance = .iid
        iid.smallSampleCorrection = .fixest
        iid.absorptionCache = nil
        let outcome = try model.refit(model.frame, options: iid)
        let column = try treatmentColumn(model.frame, options.treatment)
        let name = model.frame.coefficientNames[column]
        guard let c = outcome.coefficient(name) else {
            throw .invalidOption("the treatment \(name) was dropped from the fit (collinear with other terms or absorbed by the fixed effects)")
        }
        let dfCount = outcome.statistics.residualDegreesOfFreedom
        guard dfCount >= 2, c.standardError > 0, c.standardError.isFinite else {
            throw .invalidOption("ovb needs at least 2 residual degrees of freedom and a positive standard error of \(name) (df = \(dfCount))")
        }
        let df = Double(dfCount)
        let t = c.estimate / c.standardError
        var warnings: [String] = []
        let bounds = try benchmarkBounds(model, outcome: outcome, treatment: column, estimate: c.estimate,
                                         standardError: c.standardError, options: options, iid: iid, warnings: &warnings)
        let contour = Self.contour(estimate: c.estimate, standardError: c.standardError, degreesOfFreedom: df,
                                   bounds: bounds, points: options.contourPoints, reduce: options.reduce)
        return Result(treatment: name, estimate: c.estimate, standardError: c.standardError, tStatistic: t,
                      degreesOfFreedom: dfCount, partialR2: partialR2(t: t, degreesOfFreedom: df),
                      partialF2: partialF2(t: t, degreesOfFreedom: df),
                      robustnessValue: robustnessValue(t: t, degreesOfFreedom: df, q: options.q, alpha: 1),
                      robustnessValueAlpha: robustnessValue(t: t, degreesOfFreedom: df, q: options.q, alpha: options.alpha),
                      q: options.q, alpha: options.alpha, reduce: options.reduce, bounds: bounds, contour: contour,
                      warnings: warnings)
    }

    static func validate(_ options: Options) throws(ModelError) {
        guard options.q > 0, options.q.isFinite else { throw .invalidOption("--q must be a positive number (1 brings the estimate to zero), got \(options.q)") }
        guard options.alpha > 0, options.alpha < 1 else { throw .invalidOption("--alpha must be between 0 and 1 (e.g. 0.05), got \(options.alpha)") }
        guard !options.kd.isEmpty, options.kd.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidOption("--kd must be positive numbers, e.g. 1,2,3")
        }
        if let ky = options.ky {
            guard ky.count == options.kd.count, ky.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw .invalidOption("--ky must be \(options.kd.count) positive number\(options.kd.count == 1 ? "" : "s"), one per --kd value")
            }
        }
        guard options.contourPoints >= 2, options.contourPoints <= 1000 else {
            throw .invalidOption("the contour grid needs 2 to 1000 points per axis, got \(options.contourPoints)")
        }
    }

    /// The treatment's design column: one column, not a categorical term of several.
    static func treatmentColumn(_ frame: ModelFrame, _ treatment: String) throws(ModelError) -> Int {
        let columns = try SensitivityTerms.columns(of: treatment, in: frame, role: "the treatment")
        guard columns.count == 1 else {
            let names = columns.map { frame.coefficientNames[$0] }
            throw .invalidOption("the treatment must be one column, and \(treatment) has \(columns.count): name one, e.g. --treatment \"\(names[0])\"")
        }
        guard frame.coefficientNames[columns[0]] != "(Intercept)" else {
            throw .invalidOption("the treatment cannot be the intercept; name a term of the model")
        }
        return columns[0]
    }
}
