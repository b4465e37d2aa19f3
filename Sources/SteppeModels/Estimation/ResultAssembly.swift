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

enum ResultAssembly {
    static func assemble(_ c: FitComponents, options: EstimationOptions) throws(ModelError) -> FitResult {
        var report = c.report
        let frame = c.frame
        let names = frame.coefficientNames
        let active = c.regression.active ?? []
        for j in c.regression.absorbed { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .absorbedByFixedEffects)) }
        for j in c.regression.collinear { report.droppedTerms.append(DroppedTerm(term: names[j], reason: .collinear)) }
        report.droppedTerms.sort { names.firstIndex(of: $0.term)! < names.firstIndex(of: $1.term)! }
        if c.regression.demeaningFailed {
            report.warnings.append("Absorbing the fixed effects reached its sweep limit before its tolerance; estimates may be inaccurate.")
        }

        let n = frame.observations
        let k = active.count
        let isLinear = c.model == .ols
        let y = frame.response
        let priorWeights = frame.weights

        // Scale of the iid covariance.
        var rss = CompensatedSum()
        for i in 0..<n { rss.add((priorWeights?[i] ?? 1) * c.workingResidual[i] * c.workingResidual[i]) }
        let kStats = CovarianceEstimator.parameterCount(slopes: k, fixedEffects: frame.fixedEffects, clusters: [], nested: false)
        var dispersion = 1.0
        if let family = c.family, family.estimatesDispersion {
            var pearson = CompensatedSum()
            for i in 0..<n {
                let r = y[i] - c.mu[i]
                pearson.add((priorWeights?[i] ?? 1) * r * r / family.variance(c.mu[i]))
            }
            dispersion = pearson.value / Double(max(n - kStats, 1))
        }
        let iidScale = isLinear ? rss.value / Double(max(n - 1, 1)) : dispersion

        // Covariance.
        let (type, clusters) = Estimator.resolvedCovariance(frame, options)
        guard let bread = c.solution.unscaledCovariance else { throw .numerical("the covariance of the final solve is missing") }
        let inputs = CovarianceInputs(bread: bread, design: c.xTilde, weights: c.workingWeights, residuals: c.workingResidual, iidScale: iidScale,
                                      isLinear: isLinear, estimatedDispersion: c.family?.estimatesDispersion ?? false,
                                      observations: n, slopes: k, fixedEffects: frame.fixedEffects, clusters: clusters)
        let cov = try CovarianceEstimator.compute(type, inputs, correction: options.smallSampleCorrection)
        report.warnings.append(contentsOf: cov.notes)

        // Inference.
        let df = cov.degreesOfFreedom
        let reference: any ContinuousDistribution
        if let df, df > 0 {
            do { reference = try StudentT(degreesOfFreedom: df) } catch { throw .numerical("\(error)") }
        } else {
            reference = Normal.standard
        }
        let q = reference.survivalQuantile((1 - options.confidenceLevel) / 2)
        var coefficients: [Coefficient] = []
        for (m, j) in active.enumerated() {
            let b = c.beta[j]
            let se = cov.matrix[m, m].squareRoot()
            let stat = b / se
            let p = se > 0 ? 2 * reference.survival(abs(stat)) : .nan
            coefficients.append(Coefficient(term: names[j], estimate: b, standardError: se, statistic: stat, pValue: p,
                                            confidenceLow: b - q * se, confidenceHigh: b + q * se))
        }

        // Statistics.
        var stats = FitStatistics(observations: n, parameterCount: kStats, residualDegreesOfFreedom: n - kStats)
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        if isLinear {
            let yAdjusted = frame.offset.map { o in (0..<n).map { y[$0] - o[$0] } } ?? y
            var sw = CompensatedSum(), swy = CompensatedSum()
            for i in 0..<n { let w = priorWeights?[i] ?? 1; sw.add(w); swy.add(w * yAdjusted[i]) }
            let mean = centred ? swy.value / sw.value : 0
            var tss = CompensatedSum()
            for i in 0..<n { let d = yAdjusted[i] - mean; tss.add((priorWeights?[i] ?? 1) * d * d) }
            let r2 = 1 - rss.value / tss.value
            stats.rSquared = r2
            stats.adjustedRSquared = 1 - (1 - r2) * Double(n - (centred ? 1 : 0)) / Double(n - kStats)
            if let within = c.withinTotalSumOfSquares { stats.withinRSquared = 1 - rss.value / within }
            stats.residualStandardError = (rss.value / Double(n - kStats)).squareRoot()
            stats.deviance = rss.value
            let ll = Family.gaussian.logLikelihood(yAdjusted, c.mu.enumerated().map { $1 - (frame.offset?[$0] ?? 0) }, weights: priorWeights)
            stats.logLikelihood = ll
            stats.aic = -2 * ll + 2 * Double(kStats + 1)
            stats.bic = -2 * ll + Double(kStats + 1) * log(Double(n))
        } else if let family = c.family, let link = c.link {
            let deviance = family.deviance(y, c.mu, weights: priorWeights)
            let nullMu = nullMean(y: y, weights: priorWeights, offset: frame.offset, link: link, intercept: centred)
            let ll = family.logLikelihood(y, c.mu, weights: priorWeights)
            let ll0 = family.logLikelihood(y, nullMu, weights: priorWeights)
            stats.deviance = deviance
            stats.nullDeviance = family.deviance(y, nullMu, weights: priorWeights)
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

        var matrix: [[Double]] = []
        for i in 0..<k { matrix.append((0..<k).map { cov.matrix[i, $0] }) }
        return FitResult(model: c.model, formula: frame.formula.text, responseName: frame.formula.response.description, link: c.link, coefficients: coefficients,
                         covariance: matrix, covarianceType: type, smallSampleCorrection: options.smallSampleCorrection,
                         degreesOfFreedom: df, confidenceLevel: options.confidenceLevel, clusterCounts: cov.clusterCounts,
                         statistics: stats, report: report, fixedEffects: c.fixedEffects, sample: frame.sample,
                         response: y, fittedValues: c.mu, linearPredictor: c.eta, design: frame.specification)
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
