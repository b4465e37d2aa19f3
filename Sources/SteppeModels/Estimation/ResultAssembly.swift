import Foundation
import SteppeNumerics

/// The pieces of a finished estimation, before inference.
struct FitComponents {
    var model: ModelKind
    var family: Family?
    var link: Link?
    var frame: ModelFrame
    var report: EstimationReport
    var regression: WithinRegression
    /// Coefficients over all design columns (0 where not estimated).
    var beta: [Double]
    /// The final least-squares solution over the active columns (with its unscaled covariance).
    var solution: LeastSquaresSolution
    /// The demeaned active columns of the final solve.
    var xTilde: Matrix
    /// Weights of the final solve: prior weights for OLS, IRLS weights for GLMs.
    var workingWeights: [Double]?
    /// rᵢ: y − ŷ for OLS, (y − μ)/(dμ/dη) for GLMs.
    var workingResidual: [Double]
    /// Fitted means μ̂ on the sample (ŷ for OLS, offset included).
    var mu: [Double]
    var eta: [Double]
    /// Σwᵢ(ỹᵢ)² of the demeaned outcome (OLS with fixed effects), for the within R².
    var withinTotalSumOfSquares: Double?
    var fixedEffects: [FixedEffectEstimates]
    var theta: Double?
}

/// Turns a finished estimation into a `FitResult`: dropped terms into the report, the
/// covariance, the tests and intervals, and the fit statistics.
enum ResultAssembly {
    static func assemble(_ c: FitComponents, options: EstimationOptions) throws(ModelError) -> FitResult {
        var report = c.report
        recordDroppedTerms(c, into: &report)
        let frame = c.frame
        let n = frame.observations
        let k = c.regression.active?.count ?? 0
        let kStats = CovarianceEstimator.parameterCount(slopes: k, fixedEffects: frame.fixedEffects, clusters: [], nested: false)
        let scale = residualScale(c, parameterCount: kStats)

        let (type, clusters) = Estimator.resolvedCovariance(frame, options)
        guard let bread = c.solution.unscaledCovariance else { throw .numerical("the covariance of the final solve is missing") }
        let inputs = CovarianceInputs(bread: bread, design: c.xTilde, weights: c.workingWeights, residuals: c.workingResidual,
                                      iidScale: c.model == .ols ? scale.rss / Double(max(n - 1, 1)) : scale.dispersion,
                                      isLinear: c.model == .ols, estimatedDispersion: c.family?.estimatesDispersion ?? false,
                                      observations: n, slopes: k, fixedEffects: frame.fixedEffects, clusters: clusters)
        let cov = try CovarianceEstimator.compute(type, inputs, correction: options.smallSampleCorrection)
        report.warnings.append(contentsOf: cov.notes)
        let coefficients = try inference(c, covariance: cov, confidenceLevel: options.confidenceLevel)

        var stats = FitStatistics(observations: n, parameterCount: kStats, residualDegreesOfFreedom: n - kStats)
        if c.model == .ols {
            linearStatistics(c, rss: scale.rss, into: &stats)
        } else {
            likelihoodStatistics(c, dispersion: scale.dispersion, into: &stats)
        }
        let matrix = (0..<k).map { i in (0..<k).map { cov.matrix[i, $0] } }
        return FitResult(model: c.model, formula: frame.formula.text, responseName: frame.formula.response.description, link: c.link,
                         coefficients: coefficients, covariance: matrix, covarianceType: type,
                         smallSampleCorrection: options.smallSampleCorrection, degreesOfFreedom: cov.degreesOfFreedom,
                         confidenceLevel: options.confidenceLevel, clusterCounts: cov.clusterCounts, statistics: stats,
                         report: report, fixedEffects: c.fixedEffects, sample: frame.sample, response: frame.response,
                         fittedValues: c.mu, linearPredictor: c.eta, design: frame.specification)
    }

    /// Terms absorbed by the fixed effects or collinear, in formula order, and a warning
    /// when the absorption stopped at its sweep limit.
    static func recordDroppedTerms(_ c: FitComponents, into report: inout EstimationReport) {
        let names = c.frame.coefficientNames
        for j in c.regression.absorbed { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .absorbedByFixedEffects)) }
        for j in c.regression.collinear { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .collinear)) }
        report.droppedTerms.sort { names.firstIndex(of: $0.term)! < names.firstIndex(of: $1.term)! }
        if c.regression.demeaningFailed {
            report.warnings.append("Absorbing the fixed effects reached its sweep limit before its tolerance; estimates may be inaccurate.")
        }
    }

    /// RSS = Σwᵢrᵢ² (rᵢ the working residual), and the dispersion φ: Pearson χ²/(n − K) for
    /// families that estimate it (Gaussian, Gamma), 1 otherwise.
    static func residualScale(_ c: FitComponents, parameterCount kStats: Int) -> (rss: Double, dispersion: Double) {
        let n = c.frame.observations, y = c.frame.response, w = c.frame.weights
        var rss = CompensatedSum()
        for i in 0..<n { rss.add((w?[i] ?? 1) * c.workingResidual[i] * c.workingResidual[i]) }
        guard let family = c.family, family.estimatesDispersion else { return (rss.value, 1) }
        var pearson = CompensatedSum()
        for i in 0..<n {
            let r = y[i] - c.mu[i]
            pearson.add((w?[i] ?? 1) * r * r / family.variance(c.mu[i]))
        }
        return (rss.value, pearson.value / Double(max(n - kStats, 1)))
    }

    /// Each estimable coefficient with its standard error √Vⱼⱼ, statistic b/se, two-sided
    /// p-value and interval b ± q·se, against t(df) when the covariance gives degrees of
    /// freedom, else the standard normal.
    static func inference(_ c: FitComponents, covariance cov: CovarianceResult, confidenceLevel: Double) throws(ModelError) -> [Coefficient] {
        let reference: any ContinuousDistribution
        if let df = cov.degreesOfFreedom, df > 0 {
            do { reference = try StudentT(degreesOfFreedom: df) } catch { throw .numerical("\(error)") }
        } else {
            reference = Normal.standard
        }
        let q = reference.survivalQuantile((1 - confidenceLevel) / 2)
        let names = c.frame.coefficientNames
        return (c.regression.active ?? []).enumerated().map { m, j in
            let b = c.beta[j]
            let se = cov.matrix[m, m].squareRoot()
            let stat = b / se
            let p = se > 0 ? 2 * reference.survival(abs(stat)) : .nan
            return Coefficient(term: names[j], estimate: b, standardError: se, statistic: stat, pValue: p,
                               confidenceLow: b - q * se, confidenceHigh: b + q * se)
        }
    }

    /// OLS: R² = 1 − RSS/TSS (TSS centred with an intercept or fixed effects, of y − offset),
    /// adjusted and within R², σ̂ = √(RSS/(n − K)), the Gaussian log-likelihood, AIC and BIC
    /// counting σ² as a parameter (as R's lm and fixest).
    static func linearStatistics(_ c: FitComponents, rss: Double, into stats: inout FitStatistics) {
        let frame = c.frame, n = frame.observations, kStats = stats.parameterCount, w = frame.weights
        let y = frame.response
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        let yAdjusted = frame.offset.map { o in (0..<n).map { y[$0] - o[$0] } } ?? y
        var sw = CompensatedSum(), swy = CompensatedSum()
        for i in 0..<n { let wi = w?[i] ?? 1; sw.add(wi); swy.add(wi * yAdjusted[i]) }
        let mean = centred ? swy.value / sw.value : 0
        var tss = CompensatedSum()
        for i in 0..<n { let d = yAdjusted[i] - mean; tss.add((w?[i] ?? 1) * d * d) }
        let r2 = 1 - rss / tss.value
        stats.rSquared = r2
        stats.adjustedRSquared = 1 - (1 - r2) * Double(n - (centred ? 1 : 0)) / Double(n - kStats)
        if let within = c.withinTotalSumOfSquares { stats.withinRSquared = 1 - rss / within }
        stats.residualStandardError = (rss / Double(n - kStats)).squareRoot()
        stats.deviance = rss
        let ll = Family.gaussian.logLikelihood(yAdjusted, c.mu.enumerated().map { $1 - (frame.offset?[$0] ?? 0) }, weights: w)
        stats.logLikelihood = ll
        stats.aic = -2 * ll + 2 * Double(kStats + 1)
        stats.bic = -2 * ll + Double(kStats + 1) * log(Double(n))
    }

    /// GLMs: deviance and null deviance, log-likelihoods, McFadden's pseudo R² and fixest's
    /// adjusted one, cor(y, μ̂)², AIC and BIC counting an estimated dispersion and θ.
    static func likelihoodStatistics(_ c: FitComponents, dispersion: Double, into stats: inout FitStatistics) {
        guard let family = c.family, let link = c.link else { return }
        let frame = c.frame, y = frame.response, w = frame.weights, n = frame.observations, kStats = stats.parameterCount
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        let nullMu = nullMean(y: y, weights: w, offset: frame.offset, link: link, intercept: centred)
        let ll = family.logLikelihood(y, c.mu, weights: w)
        let ll0 = family.logLikelihood(y, nullMu, weights: w)
        stats.deviance = family.deviance(y, c.mu, weights: w)
        stats.nullDeviance = family.deviance(y, nullMu, weights: w)
        stats.logLikelihood = ll
        stats.nullLogLikelihood = ll0
        stats.pseudoRSquared = 1 - ll / ll0
        stats.adjustedPseudoRSquared = 1 - (ll - Double(kStats)) / ll0
        stats.squaredCorrelation = pow(correlation(y, c.mu), 2)
        let extra = (family.estimatesDispersion ? 1 : 0) + (c.theta != nil ? 1 : 0)
        stats.aic = -2 * ll + 2 * Double(kStats + extra)
        stats.bic = -2 * ll + Double(kStats + extra) * log(Double(n))
        stats.dispersion = dispersion
        stats.theta = c.theta
    }

    /// Fitted means of the intercept-only model (with the offset, if any).
    static func nullMean(y: [Double], weights: [Double]?, offset: [Double]?, link: Link, intercept: Bool) -> [Double] {
        let n = y.count
        var sw = CompensatedSum(), swy = CompensatedSum(), swe = CompensatedSum()
        for i in 0..<n {
            let w = weights?[i] ?? 1
            sw.add(w); swy.add(w * y[i])
            if let o = offset { swe.add(w * (link == .log ? exp(o[i]) : o[i])) }
        }
        guard intercept else { return offset.map { $0.map { link.mean($0) } } ?? [Double](repeating: link.mean(0), count: n) }
        switch link {
        case .log:
            if let o = offset { let scale = swy.value / swe.value; return o.map { exp($0) * scale } }
            return [Double](repeating: swy.value / sw.value, count: n)
        case .identity:
            if let o = offset { let a = (swy.value - swe.value) / sw.value; return o.map { $0 + a } }
            return [Double](repeating: swy.value / sw.value, count: n)
        }
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<a.count { let x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y }
        return sab / (saa * sbb).squareRoot()
    }
}
