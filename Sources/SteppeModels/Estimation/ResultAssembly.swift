import Foundation
@_spi(SteppeInternal) import SteppeNumerics

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

/// What the rules for degenerate fits need to know of a fit (in memory or out of core).
struct DegeneracyFacts {
    var model: ModelKind
    var family: Family?
    /// Σwᵢ(ỹᵢ)² of the demeaned outcome (OLS with fixed effects).
    var withinTotalSumOfSquares: Double?
    var observations: Int
    var report: EstimationReport
}

extension FitComponents {
    var degeneracyFacts: DegeneracyFacts {
        DegeneracyFacts(model: model, family: family, withinTotalSumOfSquares: withinTotalSumOfSquares,
                        observations: frame.observations, report: report)
    }
}

/// Turns a finished estimation into a `FitResult`: dropped terms into the report, the
/// covariance, the tests and intervals, and the fit statistics. Degenerate fits (a perfect
/// fit, no residual degrees of freedom, one cluster) get NA figures with their reasons, by
/// the rules of `FitDegeneracy`; a constant outcome was refused before (`Estimator.fit`).
enum ResultAssembly {
    static func assemble(_ c: FitComponents, options: EstimationOptions) throws(ModelError) -> FitResult {
        var report = c.report
        recordDroppedTerms(c, into: &report)
        let frame = c.frame
        let n = frame.observations
        let k = c.regression.active?.count ?? 0
        let kStats = CovarianceEstimator.parameterCount(slopes: k, fixedEffects: frame.fixedEffects, clusters: [], nested: false)
        let scale = residualScale(c, parameterCount: kStats)

        var stats = FitStatistics(observations: n, parameterCount: kStats, residualDegreesOfFreedom: n - kStats)
        if c.model == .ols {
            linearStatistics(c, rss: scale.rss, into: &stats)
        } else {
            likelihoodStatistics(c, dispersion: scale.dispersion, into: &stats)
        }
        let perfect = FitDegeneracy.isPerfectFit(response: frame.response, fitted: c.mu, weights: frame.weights,
                                                 deviance: c.model == .ols ? nil : stats.deviance, nullDeviance: stats.nullDeviance)
        var reasons: [String: String] = [:]
        degenerateStatistics(&stats, c.degeneracyFacts, perfect: perfect, reasons: &reasons)

        let (type, clusters) = Estimator.resolvedCovariance(frame, options)
        guard let bread = c.solution.unscaledCovariance else { throw .numerical("the covariance of the final solve is missing") }
        let inputs = CovarianceInputs(bread: bread, design: c.xTilde, weights: c.workingWeights, residuals: c.workingResidual,
                                      iidScale: c.model == .ols ? scale.rss / Double(max(n - 1, 1)) : scale.dispersion,
                                      isLinear: c.model == .ols, estimatedDispersion: c.family?.estimatesDispersion ?? false,
                                      observations: n, slopes: k, fixedEffects: frame.fixedEffects, clusters: clusters)
        var cov = try CovarianceEstimator.compute(type, inputs, correction: options.smallSampleCorrection)
        report.warnings.append(contentsOf: cov.notes)
        if let why = inferenceProblem(c.degeneracyFacts, type: type, clusters: clusters, covariance: cov, perfect: perfect, parameterCount: kStats) {
            cov.matrix = Matrix(rows: k, columns: k, repeating: .nan)
            for key in FitDegeneracy.inferenceKeys + ["matrix"] { reasons[key] = why }
            report.warnings.append("Standard errors, tests and intervals are NA: " + why + ".")
        }
        let coefficients = try inference(c, covariance: cov, confidenceLevel: options.confidenceLevel)
        let matrix = (0..<k).map { i in (0..<k).map { cov.matrix[i, $0] } }
        return FitResult(model: c.model, formula: frame.formula.text, responseName: frame.formula.response.description, link: c.link,
                         coefficients: coefficients, covariance: matrix, covarianceType: type,
                         smallSampleCorrection: options.smallSampleCorrection, degreesOfFreedom: cov.degreesOfFreedom,
                         confidenceLevel: options.confidenceLevel, clusterCounts: cov.clusterCounts, statistics: stats,
                         report: report, fixedEffects: c.fixedEffects, sample: frame.sample, response: frame.response,
                         fittedValues: c.mu, linearPredictor: c.eta, design: frame.specification, undefinedReasons: reasons)
    }

    /// Why the standard errors, tests and intervals of this fit are NA, or `nil` when they
    /// are defined: fewer than two clusters; no residual degrees of freedom when the
    /// covariance needs them (every OLS and estimated-dispersion covariance, and the
    /// small-sample factors with n − K); a perfect fit, for every covariance built from the
    /// residuals (all but the model-based iid covariance of Poisson and negative binomial,
    /// which R's glm reports for a saturated fit too); a variance that is not finite or negative.
    static func inferenceProblem(_ c: DegeneracyFacts, type: CovarianceType, clusters: [Grouping], covariance cov: CovarianceResult,
                                 perfect: Bool, parameterCount kStats: Int) -> String? {
        let n = c.observations
        if case .cluster = type, let fewest = cov.clusterCounts.min(), fewest < 2 {
            let name = clusters[cov.clusterCounts.firstIndex(of: fewest)!].name
            let trimmed = c.report.droppedObservations.filter { [.singleton, .separated, .onlyZeroOutcomes].contains($0.reason) }
                .reduce(0) { $0 + $1.count }
            let after = trimmed > 0 ? " after \(trimmed) singleton or separated observation\(trimmed == 1 ? " was" : "s were") removed" : ""
            return "clustered standard errors need at least two clusters, and \(name) has \(fewest) in the estimation sample\(after); use --vcov hetero (or iid) for this fit"
        }
        let countModel = c.family.map { !$0.estimatesDispersion } ?? false
        let modelBased = type == .iid && countModel
        let finite = (0..<cov.matrix.rows).allSatisfy { cov.matrix[$0, $0].isFinite && cov.matrix[$0, $0] >= 0 }
        if n - kStats <= 0 && (!modelBased || !finite) {
            let counts = "\(n) observation\(n == 1 ? "" : "s"), \(kStats) parameter\(kStats == 1 ? "" : "s")"
            guard countModel else {
                return "no residual degrees of freedom (\(counts)), so the residual variance and the small-sample factors are undefined"
            }
            let flags = modelBased ? "--small-sample statsmodels" : "--vcov iid --small-sample statsmodels"
            return "no residual degrees of freedom (\(counts)), so the small-sample factor with n − K is undefined; \(flags) gives the model-based standard errors (as R's glm)"
        }
        if perfect && !modelBased {
            let what = type == .iid ? "the residual variance" : "the sandwich"
            let hint = countModel ? "; --vcov iid gives the model-based standard errors" : ""
            return "perfect fit: the residuals are zero to rounding, so \(what) and the standard errors are zero to rounding and tests are undefined\(hint)"
        }
        if !finite { return "the covariance is not finite in double precision (an overflow in the data's magnitudes, or a numerical failure)" }
        return nil
    }

    /// Terms absorbed by the fixed effects or collinear, in formula order, and a warning
    /// when the absorption stopped at its sweep limit.
    static func recordDroppedTerms(_ c: FitComponents, into report: inout EstimationReport) {
        recordDroppedTerms(names: c.frame.coefficientNames, absorbed: c.regression.absorbed, collinear: c.regression.collinear,
                           demeaningFailed: c.regression.demeaningFailed, into: &report)
    }

    /// `recordDroppedTerms(_:into:)` from the column choices (shared with out-of-core fits).
    static func recordDroppedTerms(names: [String], absorbed: [Int], collinear: [Int], demeaningFailed: Bool,
                                   into report: inout EstimationReport) {
        for j in absorbed { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .absorbedByFixedEffects)) }
        for j in collinear { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .collinear)) }
        report.droppedTerms.sort { names.firstIndex(of: $0.term)! < names.firstIndex(of: $1.term)! }
        if demeaningFailed {
            report.warnings.append("Absorbing the fixed effects reached its sweep limit before its tolerance; estimates may be inaccurate.")
        }
    }

    /// RSS = Σwᵢrᵢ² (rᵢ the working residual), and the dispersion φ: Pearson χ²/(n − K) for
    /// families that estimate it (Gaussian, Gamma; NaN when n ≤ K), 1 otherwise.
    static func residualScale(_ c: FitComponents, parameterCount kStats: Int) -> (rss: Double, dispersion: Double) {
        let n = c.frame.observations, y = c.frame.response, w = c.frame.weights, r = c.workingResidual, mu = c.mu
        let rss = parallelBlockedSum(count: n) { i in (w?[i] ?? 1) * r[i] * r[i] }
        guard let family = c.family, family.estimatesDispersion else { return (rss, 1) }
        let pearson = parallelBlockedSum(count: n) { i in
            let p = family.pearsonResidual(y[i], mu: mu[i])
            return (w?[i] ?? 1) * p * p
        }
        return (rss, n > kStats ? pearson / Double(n - kStats) : .nan)
    }

    /// Each estimable coefficient with its standard error √Vⱼⱼ, statistic b/se, two-sided
    /// p-value and interval b ± q·se, against t(df) when the covariance gives degrees of
    /// freedom, else the standard normal. A variance that is not a positive finite number,
    /// or t with no degrees of freedom, gives NaN (NA) for everything but the estimate, never
    /// ±∞ or a zero standard error with three stars.
    static func inference(_ c: FitComponents, covariance cov: CovarianceResult, confidenceLevel: Double) throws(ModelError) -> [Coefficient] {
        try inference(names: c.frame.coefficientNames, active: c.regression.active ?? [], beta: c.beta, covariance: cov,
                      confidenceLevel: confidenceLevel)
    }

    /// `inference(_:covariance:confidenceLevel:)` for the design columns `active` (into
    /// `names` and `beta`), shared with out-of-core fits.
    static func inference(names: [String], active: [Int], beta: [Double], covariance cov: CovarianceResult,
                          confidenceLevel: Double) throws(ModelError) -> [Coefficient] {
        var reference: (any ContinuousDistribution)? = Normal.standard
        if let df = cov.degreesOfFreedom {
            if df > 0 {
                do { reference = try StudentT(degreesOfFreedom: df) } catch { throw .numerical("\(error)") }
            } else {
                reference = nil
            }
        }
        let q = reference?.survivalQuantile((1 - confidenceLevel) / 2) ?? .nan
        return active.enumerated().map { m, j in
            let b = beta[j]
            let v = cov.matrix[m, m]
            let se = v.isFinite && v > 0 ? v.squareRoot() : .nan
            let stat = b / se
            let p = reference.map { 2 * $0.survival(abs(stat)) } ?? .nan
            return Coefficient(term: names[j], estimate: b, standardError: se, statistic: stat, pValue: se.isFinite ? p : .nan,
                               confidenceLow: b - q * se, confidenceHigh: b + q * se)
        }
    }

    /// Sets the statistics a degenerate fit leaves undefined to NaN and says why in
    /// `reasons` (keyed as in JSON), by `FitDegeneracy`'s rules: a perfect OLS fit has RSS 0,
    /// R² 1 and no log-likelihood (unbounded as σ̂ → 0; so AIC and BIC), and likewise a GLM
    /// with an estimated dispersion; no residual degrees of freedom leaves σ̂, the adjusted
    /// R² and the estimated dispersion undefined; a negative binomial θ beyond
    /// `FitDegeneracy.largestTheta` leaves θ and the likelihood undefined. Any other figure
    /// that is not finite (an overflow, a 0/0) gets NaN and a reason naming its key.
    static func degenerateStatistics(_ stats: inout FitStatistics, _ c: DegeneracyFacts, perfect: Bool, reasons: inout [String: String]) {
        func undefined(_ key: WritableKeyPath<FitStatistics, Double?>, _ name: String, _ why: String) {
            guard stats[keyPath: key] != nil else { return }
            stats[keyPath: key] = .nan
            reasons[name] = why
        }
        let likelihood: [(WritableKeyPath<FitStatistics, Double?>, String)] = [
            (\.logLikelihood, "logLikelihood"), (\.aic, "aic"), (\.bic, "bic"),
            (\.pseudoRSquared, "pseudoRSquared"), (\.adjustedPseudoRSquared, "adjustedPseudoRSquared"),
        ]
        if perfect && (c.model == .ols || c.family?.estimatesDispersion == true) {
            for (key, name) in likelihood {
                undefined(key, name, "perfect fit: the likelihood grows without bound as the residual variance goes to 0")
            }
            perfectFitStatistics(&stats, c, reasons: &reasons)
        }
        if let theta = stats.theta, theta.isFinite, theta > FitDegeneracy.largestTheta {
            // lnΓ(θ + y) − lnΓ(θ) loses every digit for such θ: the likelihood is noise.
            let why = "θ grew without bound (\(String(format: "%.1e", theta))): the data show no overdispersion, the Poisson model (-m poisson) is the limit, and the negative binomial likelihood cannot be evaluated there"
            for (key, name) in likelihood + [(\.theta, "theta")] { undefined(key, name, why) }
        }
        if stats.residualDegreesOfFreedom <= 0 {
            let noDF = "no residual degrees of freedom (\(stats.observations) observations, \(stats.parameterCount) parameters)"
            undefined(\.residualStandardError, "residualStdError", noDF)
            undefined(\.adjustedRSquared, "adjustedRSquared", noDF)
            if c.family?.estimatesDispersion == true { undefined(\.dispersion, "dispersion", noDF) }
        }
        for (key, name) in FitStatistics.numberKeys where stats[keyPath: key].map({ !$0.isFinite }) == true && reasons[name] == nil {
            stats[keyPath: key] = .nan
            reasons[name] = FitStatistics.whyNotFinite(name)
        }
    }

    /// A perfect fit's exact figures: RSS (the deviance) 0, σ̂ 0, R² and adjusted R² 1, the
    /// within R² 1, or NA when the fixed effects explain the outcome entirely (0/0); a
    /// GLM's estimated dispersion 0.
    static func perfectFitStatistics(_ stats: inout FitStatistics, _ c: DegeneracyFacts, reasons: inout [String: String]) {
        guard c.model == .ols else {
            if stats.dispersion?.isFinite == true { stats.dispersion = 0 }
            return
        }
        stats.deviance = 0
        stats.residualStandardError = 0
        if stats.rSquared?.isFinite == true { stats.rSquared = 1 }
        if stats.adjustedRSquared?.isFinite == true { stats.adjustedRSquared = 1 }
        if let within = c.withinTotalSumOfSquares {
            if within > 0 {
                stats.withinRSquared = 1
            } else if stats.withinRSquared != nil {
                stats.withinRSquared = .nan
                reasons["withinRSquared"] = "the fixed effects explain the outcome entirely, so it has no within variation"
            }
        }
    }

    /// OLS: R² = 1 − RSS/TSS (TSS centred with an intercept or fixed effects, of y − offset),
    /// adjusted and within R², σ̂ = √(RSS/(n − K)), the Gaussian log-likelihood, AIC and BIC
    /// counting σ² as a parameter (as R's lm and fixest).
    static func linearStatistics(_ c: FitComponents, rss: Double, into stats: inout FitStatistics) {
        let frame = c.frame, n = frame.observations, kStats = stats.parameterCount, w = frame.weights
        let y = frame.response
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        let o = frame.offset
        // Σwᵢ, Σwᵢ(yᵢ − oᵢ) and the total sum of squares about their ratio, on all cores.
        let sw = weightTotal(w, count: n)
        let mean = centred ? parallelBlockedSum(count: n) { i in (w?[i] ?? 1) * (y[i] - (o?[i] ?? 0)) } / sw : 0
        let tss = parallelBlockedSum(count: n) { i in
            let d = y[i] - (o?[i] ?? 0) - mean
            return (w?[i] ?? 1) * d * d
        }
        let r2 = 1 - rss / tss
        stats.rSquared = r2
        stats.adjustedRSquared = 1 - (1 - r2) * Double(n - (centred ? 1 : 0)) / Double(n - kStats)
        if let within = c.withinTotalSumOfSquares { stats.withinRSquared = 1 - rss / within }
        stats.residualStandardError = (rss / Double(n - kStats)).squareRoot()
        stats.deviance = rss
        // R's logLik.lm from the RSS (its deviance Σwᵢ(yᵢ − μ̂ᵢ)² is the RSS).
        let logWeights = w.map { w in parallelBlockedSum(count: n) { log(w[$0]) } } ?? 0
        let ll = Family.gaussianLogLikelihood(deviance: rss, observations: Double(n), logWeights: logWeights)
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

    /// Σwᵢ on all cores, or n without weights.
    static func weightTotal(_ weights: [Double]?, count n: Int) -> Double {
        weights.map { w in parallelBlockedSum(count: n) { w[$0] } } ?? Double(n)
    }

    /// Fitted means of the intercept-only model (with the offset, if any).
    static func nullMean(y: [Double], weights: [Double]?, offset: [Double]?, link: Link, intercept: Bool) -> [Double] {
        let n = y.count
        guard intercept else { return offset.map { $0.map { link.mean($0) } } ?? [Double](repeating: link.mean(0), count: n) }
        let sw = weightTotal(weights, count: n)
        let swy = parallelBlockedSum(count: n) { i in (weights?[i] ?? 1) * y[i] }
        let swe = offset.map { o in parallelBlockedSum(count: n) { i in (weights?[i] ?? 1) * (link == .log ? exp(o[i]) : o[i]) } } ?? 0
        switch link {
        case .log:
            if let o = offset { let scale = swy / swe; return o.map { exp($0) * scale } }
            return [Double](repeating: swy / sw, count: n)
        case .identity:
            if let o = offset { let a = (swy - swe) / sw; return o.map { $0 + a } }
            return [Double](repeating: swy / sw, count: n)
        }
    }

    /// Pearson's correlation; a and b are divided by their largest magnitudes first when
    /// those are beyond 1e±100 (it is scale-free, and outcomes near 1e200 would overflow
    /// their squares), else used as they are.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        func unit(_ v: [Double]) -> Double {
            let m = v.reduce(0) { max($0, abs($1)) }
            return m.isFinite && (m > 1e100 || (m > 0 && m < 1e-100)) ? 1 / m : 1
        }
        let ua = unit(a), ub = unit(b)
        let ma = a.reduce(0) { $0 + $1 * ua } / n, mb = b.reduce(0) { $0 + $1 * ub } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<a.count { let x = a[i] * ua - ma, y = b[i] * ub - mb; sab += x * y; saa += x * x; sbb += y * y }
        return sab / (saa * sbb).squareRoot()
    }
}
