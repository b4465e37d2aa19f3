import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// Degenerate fits, found and reported as such: a fit whose figures would be rounding
/// noise or infinite either stops with one sentence or reports those figures as NA
/// (`nil`/NaN in `FitResult`, `null` with `nullReasons` in JSON) with the reason.
///
/// The rules, and the reference each follows:
/// - a constant regressand (y, or y − offset for OLS) in a model with an intercept or fixed
///   effects is refused: there is nothing to explain, and R², the log-likelihood and every
///   test would be 0/0 or ±∞. fixest stops with "The dependent variable is a constant";
///   R's lm carries on and prints 1e-16 standard errors with three stars, which is the
///   behaviour this replaces. A constant outcome without intercept or fixed effects
///   (y ~ 0 + x) is a regression through the origin and is fitted. The check is on the
///   sample as given (after missing values and zero weights), as fixest's; an outcome made
///   constant by dropping singletons or separated observations is fitted (ppmlhdfe's
///   separation example 03 has a reference fit) and is then a perfect fit.
/// - a perfect fit (residuals zero to rounding, `isPerfectFit`): every covariance built
///   from the residuals (iid for OLS and for GLMs with an estimated dispersion, HC0–HC3,
///   clustered) is zero to rounding, so standard errors, tests and intervals are NA, and the
///   Gaussian (or Gamma) log-likelihood is unbounded as σ̂ → 0, so it and AIC/BIC are NA.
///   R's summary.lm warns "essentially perfect fit: summary may be unreliable" and prints
///   the noise. Poisson and negative binomial keep their model-based (iid) standard errors,
///   which do not depend on the residuals (R's glm reports them too).
/// - no residual degrees of freedom (n ≤ K): σ̂² = RSS/(n − K), the dispersion and every
///   small-sample factor with n − K in it are undefined, so they are NA (R's lm gives NaN
///   standard errors and "ALL residuals are 0: no residual degrees of freedom!").
/// - fewer than two clusters: the clustered covariance is NA with the options that work
///   (`--vcov hetero` or `iid`); the fit itself stands.
enum FitDegeneracy {
    /// Residuals are zero to rounding when their root mean square is at most this fraction
    /// of the outcome's: 1e-11. R's summary.lm uses 1e-15 on the residual variance relative
    /// to the fitted values' second moment; Steppe allows four more digits because the
    /// fixed effects are absorbed iteratively to a relative tolerance of 1e-10, and no
    /// data set measures an outcome to eleven significant digits.
    static let residualTolerance = 1e-11
    /// A GLM fits perfectly when its deviance is at most this fraction of the null deviance:
    /// 1e-10. IRLS stops at |ΔD|/(0.1 + |D|) < 1e-8, so a saturated Poisson fit ends with a
    /// deviance of about 1e-16 and residuals of about 1e-8, above `residualTolerance`.
    static let devianceTolerance = 1e-10

    /// The largest θ of a negative binomial whose likelihood is reported: 1e10. Beyond it
    /// lnΓ(θ + y) − lnΓ(θ) cancels to noise (its rounding error is about θ·ln θ·2⁻⁵³), and
    /// θ → ∞ means the data show no overdispersion (MASS::glm.nb warns that θ iterates to
    /// its limit); the likelihood figures and θ are NA.
    static let largestTheta = 1e10

    /// Throws `ModelError.invalidOutcome` when the regressand of `frame` is one value in
    /// every observation and the model has an intercept or fixed effects. For OLS the
    /// regressand is y − offset; a GLM with an offset models a varying mean and is not refused.
    /// The all-zero count outcome keeps the GLM's own message ("the outcome is 0 in every
    /// observation"), so it is skipped here when `skipZeroCounts` is set.
    static func requireVaryingOutcome(_ frame: ModelFrame, model: ModelKind, skipZeroCounts: Bool = false) throws(ModelError) {
        guard frame.hasIntercept || !frame.fixedEffects.isEmpty, let first = frame.response.first else { return }
        let isLinear = model == .ols
        if !isLinear && frame.offset != nil { return }
        let offset = isLinear ? frame.offset : nil
        let value = first - (offset?[0] ?? 0)
        for i in 0..<frame.observations where frame.response[i] - (offset?[i] ?? 0) != value { return }
        if skipZeroCounts && value == 0 && (model == .ppml || model == .poisson || model == .negbin) { return }
        let name = frame.formula.response.description + (offset == nil ? "" : " − offset")
        let count = frame.observations == 1 ? "the only observation" : "all \(frame.observations) observations"
        throw .invalidOutcome("the dependent variable \(name) is a constant (\(display(value)) in \(count) of the estimation sample): there is nothing to explain, so the model cannot be estimated (fixest stops here too)")
    }

    /// Whether the residuals y − μ̂ are zero to rounding: their weighted root mean square is
    /// at most `residualTolerance` times the outcome's, or (GLMs) the deviance is at most
    /// `devianceTolerance` times the null deviance.
    /// Both sums are taken on y/s and r/s, s = max|yᵢ|, so that outcomes of 1e-300 (whose
    /// squares underflow to 0 ≤ 0) or 1e200 (∞) are judged as outcomes of order 1 are.
    static func isPerfectFit(response y: [Double], fitted mu: [Double], weights w: [Double]?,
                             deviance: Double? = nil, nullDeviance: Double? = nil) -> Bool {
        let scale = y.reduce(0) { max($0, abs($1)) }
        guard scale.isFinite else { return false }
        guard scale > 0 else { return mu.allSatisfy { $0 == 0 } }   // y ≡ 0 (y ~ 0 + x) fitted by μ ≡ 0
        let rr = parallelBlockedSum(count: y.count) { i in
            let r = (y[i] - mu[i]) / scale
            return (w?[i] ?? 1) * r * r
        }
        let yy = parallelBlockedSum(count: y.count) { i in
            let v = y[i] / scale
            return (w?[i] ?? 1) * v * v
        }
        guard rr.isFinite, yy.isFinite else { return false }
        if rr <= residualTolerance * residualTolerance * yy { return true }
        if let d = deviance, let d0 = nullDeviance, d.isFinite, d0.isFinite, d0 > 0 { return d <= devianceTolerance * d0 }
        return false
    }

    /// A number for a message: whole numbers without a decimal point.
    static func display(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    /// The JSON keys of a coefficient's inference figures.
    static let inferenceKeys = ["stdError", "statistic", "pValue", "confLow", "confHigh"]
}
