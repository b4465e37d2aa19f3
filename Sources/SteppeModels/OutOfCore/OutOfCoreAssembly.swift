import Foundation
import SteppeNumerics

/// The covariance, tests and fit statistics of an out-of-core fit, from two passes over
/// the design at the final coefficients, by the formulas of `ResultAssembly` and
/// `CovarianceEstimator` (the same small-sample factors, degrees of freedom and NA rules):
/// the first gathers the scores sᵢ = wᵢrᵢx̃ᵢ (their Gram for HC, their sums per cluster for
/// clustered errors), the residual sums, the deviance, the Pearson χ² and what the null model
/// needs; the second the total sum of squares and the null model's deviance and likelihood.
/// A FitResult out of core keeps no per-row values: its sample, response and fitted values are empty.
struct OutOfCoreAssembly {
    let frame: OutOfCoreFrame
    let model: ModelKind
    let family: Family?
    let link: Link?
    let regression: OutOfCoreRegression
    let solution: OutOfCoreRegression.Solution
    /// η at the end (for OLS the fit, to which the offset is added).
    let predictor: LinearPredictor
    let summary: OutcomeSummary
    let options: EstimationOptions

    /// Sums of the first pass.
    struct Sums {
        var rss = CompensatedSum()
        var pearson = CompensatedSum()
        var deviance = CompensatedSum()
        var logLikelihood = CompensatedSum()
        var weights = CompensatedSum()
        var weightedAdjusted = CompensatedSum()
        var weightedOffsetMean = CompensatedSum()
        var logWeights = CompensatedSum()
        var perfectResidual = CompensatedSum()
        var perfectOutcome = CompensatedSum()
        var meat: [Double] = []
        var clusterScores: [[Double]] = []
        var nested: [Bool] = []
        var parents: [[Int32]] = []
        /// For cor(y, μ): Σy, Σμ, Σy², Σμ², Σyμ (unweighted, as `ResultAssembly.correlation`).
        var cy = CompensatedSum(), cm = CompensatedSum(), cyy = CompensatedSum(), cmm = CompensatedSum(), cym = CompensatedSum()

        var compensated: [CompensatedSum] {
            get { [rss, pearson, deviance, logLikelihood, weights, weightedAdjusted, weightedOffsetMean, logWeights, perfectResidual,
                   perfectOutcome, cy, cm, cyy, cmm, cym] }
            set {
                (rss, pearson, deviance, logLikelihood, weights) = (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4])
                (weightedAdjusted, weightedOffsetMean, logWeights, perfectResidual) = (newValue[5], newValue[6], newValue[7], newValue[8])
                (perfectOutcome, cy, cm, cyy, cmm, cym) = (newValue[9], newValue[10], newValue[11], newValue[12], newValue[13], newValue[14])
            }
        }

        /// Everything, flat: a segment's part for `RowSegments.fold`.
        var flat: [Double] {
            compensated.flatMap { [$0.total.high, $0.total.low] } + meat + clusterScores.flatMap { $0 } + nested.map { $0 ? 1 : 0 }
                + parents.flatMap { $0.map(Double.init) }
        }

        /// Adds a segment's part (`flat`) of the same shape: sums added, a fixed effect nested
        /// while every segment finds one cluster per level.
        mutating func merge(_ p: [Double]) {
            var all = compensated
            RowSegments.add(p[0..<(2 * all.count)], to: &all)
            compensated = all
            var e = 2 * all.count
            for i in meat.indices { meat[i] += p[e + i] }
            e += meat.count
            for c in clusterScores.indices { for a in clusterScores[c].indices { clusterScores[c][a] += p[e + a] }; e += clusterScores[c].count }
            for g in nested.indices { nested[g] = nested[g] && p[e + g] == 1 }
            e += nested.count
            for g in parents.indices {
                for l in parents[g].indices {
                    let q = Int32(p[e + l])
                    if q < 0 { continue }
                    if parents[g][l] < 0 { parents[g][l] = q } else if parents[g][l] != q { nested[g] = false }
                }
                e += parents[g].count
            }
        }
    }

    func result() throws(ModelError) -> FitResult {
        var report = frame.report
        recordDroppedTerms(into: &report)
        let design = frame.design
        let n = frame.observations
        let active = regression.active ?? []
        let k = active.count
        let kStats = CovarianceEstimator.parameterCount(slopes: k, fixedEffects: frame.fixedEffects, clusters: [], nested: false)
        let (type, clustering) = resolvedCovariance()
        if case .heteroskedastic(let v) = type, v == .hc2 || v == .hc3, !frame.fixedEffects.isEmpty {
            throw .invalidOption("HC2 and HC3 need leverages, which the within transformation does not give; use hc1 or cluster with fixed effects")
        }
        let sums = try firstPass(type: type, clustering: clustering)
        let second = try secondPass(sums)

        var stats = FitStatistics(observations: n, parameterCount: kStats, residualDegreesOfFreedom: n - kStats)
        let rss = sums.rss.value
        let dispersion = family?.estimatesDispersion == true ? (n > kStats ? sums.pearson.value / Double(n - kStats) : .nan) : 1
        if model == .ols {
            linearStatistics(&stats, rss: rss, tss: second.tss, sums: sums)
        } else {
            likelihoodStatistics(&stats, sums: sums, second: second, dispersion: dispersion)
        }
        let perfect = isPerfect(sums, deviance: model == .ols ? nil : stats.deviance, nullDeviance: stats.nullDeviance)
        let facts = DegeneracyFacts(model: model, family: family, withinTotalSumOfSquares: frame.fixedEffects.isEmpty ? nil : solution.withinTotal,
                                    observations: n, report: report)
        var reasons: [String: String] = [:]
        ResultAssembly.degenerateStatistics(&stats, facts, perfect: perfect, reasons: &reasons)

        let clusterGroupings = clustering.map { [$0.grouping] } ?? []
        var cov = try covariance(type, sums: sums, kStats: kStats, rss: rss, dispersion: dispersion)
        report.warnings.append(contentsOf: cov.notes)
        if let why = ResultAssembly.inferenceProblem(facts, type: type, clusters: clusterGroupings, covariance: cov,
                                                     perfect: perfect, parameterCount: kStats) {
            cov.matrix = Matrix(rows: k, columns: k, repeating: .nan)
            for key in FitDegeneracy.inferenceKeys + ["matrix"] { reasons[key] = why }
            report.warnings.append("Standard errors, tests and intervals are NA: " + why + ".")
        }
        let coefficients = try ResultAssembly.inference(names: frame.coefficientNames, active: active, beta: solution.beta,
                                                        covariance: cov, confidenceLevel: options.confidenceLevel)
        let matrix = (0..<k).map { i in (0..<k).map { cov.matrix[i, $0] } }
        let fe = FixedEffectRecovery.normalised(predictor.alpha, groupings: frame.fixedEffects)
        return FitResult(model: model, formula: frame.formula.text, responseName: frame.formula.response.description, link: link,
                         coefficients: coefficients, covariance: matrix, covarianceType: type,
                         smallSampleCorrection: options.smallSampleCorrection, degreesOfFreedom: cov.degreesOfFreedom,
                         confidenceLevel: options.confidenceLevel, clusterCounts: cov.clusterCounts, statistics: stats,
                         report: report, fixedEffects: fe, sample: [], response: [], fittedValues: [], linearPredictor: [],
                         design: frame.specification, undefinedReasons: reasons)
    }

    /// Where a clustered covariance finds each row's cluster: a cluster variable of the
    /// design, or (fixest's default) the first fixed effect.
    enum ClusterSource { case clusterColumn, firstFixedEffect }

    /// The covariance type (fixest's default: clustered by the first fixed effect) and, when
    /// clustered, the clusters' grouping (levels only) and where their codes are.
    func resolvedCovariance() -> (CovarianceType, (grouping: Grouping, source: ClusterSource)?) {
        if let c = options.covariance {
            if case .cluster = c { return (c, (frame.clusters[0], .clusterColumn)) }
            return (c, nil)
        }
        if let first = frame.fixedEffects.first { return (.cluster([first.name]), (first, .firstFixedEffect)) }
        return (.iid, nil)
    }

    func recordDroppedTerms(into report: inout EstimationReport) {
        ResultAssembly.recordDroppedTerms(names: frame.coefficientNames, absorbed: regression.absorbed, collinear: regression.collinear,
                                          demeaningFailed: regression.demeaningFailed, into: &report)
    }

    // MARK: passes

    func firstPass(type: CovarianceType, clustering: (grouping: Grouping, source: ClusterSource)?) throws(ModelError) -> Sums {
        let design = frame.design
        let empty = emptySums(clustered: clustering != nil, clusters: clustering?.grouping.levelCount ?? 0)
        var s = empty
        let leverage = leverageFunction(type)
        try frame.segments.fold({ k throws(ModelError) -> [Double] in
            var part = empty
            try design.forEach(inSegment: k) { _, block throws(ModelError) in
                add(block, to: &part, type: type, clustering: clustering, leverage: leverage)
            }
            return part.flat
        }, into: { s.merge($0) })
        let k = regression.active?.count ?? 0
        for a in 0..<k { for b in 0..<a { s.meat[a * k + b] = s.meat[b * k + a] } }
        return s
    }

    /// Sums of the first pass before any row: zeros, no parents, every fixed effect nested.
    func emptySums(clustered: Bool, clusters: Int) -> Sums {
        let k = regression.active?.count ?? 0
        var s = Sums()
        s.meat = [Double](repeating: 0, count: k * k)
        if clustered { s.clusterScores = Array(repeating: [Double](repeating: 0, count: k), count: clusters) }
        s.nested = [Bool](repeating: clustered, count: frame.fixedEffects.count)
        s.parents = clustered ? frame.fixedEffects.map { [Int32](repeating: -1, count: $0.levelCount) } : []
        return s
    }

    /// hᵢ/wᵢ = x̃ᵢᵀ(X̃ᵀWX̃)⁻¹x̃ᵢ for HC2 and HC3, nil otherwise.
    func leverageFunction(_ type: CovarianceType) -> ((Int, [[Double]]) -> Double)? {
        guard case .heteroskedastic(let v) = type, v == .hc2 || v == .hc3 else { return nil }
        let bread = solution.bread, k = bread.rows
        return { i, xt in
            var h = 0.0
            for a in 0..<k { for b in 0..<k { h += xt[a][i] * bread[a, b] * xt[b][i] } }
            return h
        }
    }

    /// Adds one block's rows to the first pass's sums.
    func add(_ block: DesignBlock, to s: inout Sums, type: CovarianceType, clustering: (grouping: Grouping, source: ClusterSource)?,
             leverage: ((Int, [[Double]]) -> Double)?) {
        let k = regression.active?.count ?? 0
        let scale = summary.largest > 0 && summary.largest.isFinite ? summary.largest : 1
        let n = block.count
        let eta = predictor.evaluate(block) { _ in 0 }
        let mu = link.map { l in eta.map { l.mean($0) } } ?? eta
        let xt = tildeColumns(block)
        var scores = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
        for i in 0..<n {
            let prior = block.weights?[i] ?? 1, y = block.y[i], m = mu[i]
            let r: Double, w: Double
            if let family, let link {
                r = (y - m) / link.derivative(mu: m)
                w = prior * family.workingWeight(mu: m, link: link)
                let pr = family.pearsonResidual(y, mu: m)
                s.pearson.add(prior * pr * pr)
            } else {
                r = y - m
                w = prior
            }
            s.rss.add(prior * r * r)
            s.weights.add(prior)
            let off = block.offset?[i] ?? 0
            s.weightedAdjusted.add(prior * (model == .ols ? y - off : y))
            if let link, block.offset != nil { s.weightedOffsetMean.add(prior * (link == .log ? exp(off) : off)) }
            if block.weights != nil { s.logWeights.add(log(prior)) }
            let rr = (y - m) / scale, yy = y / scale
            s.perfectResidual.add(prior * rr * rr)
            s.perfectOutcome.add(prior * yy * yy)
            s.cy.add(y); s.cm.add(m); s.cyy.add(y * y); s.cmm.add(m * m); s.cym.add(y * m)
            var factor = w * r
            if let leverage {
                let h = w * leverage(i, xt)
                if h < 1 - 1e-12, case .heteroskedastic(let v) = type { factor /= v == .hc2 ? (1 - h).squareRoot() : (1 - h) }
            }
            for a in 0..<k { scores[a][i] = factor * xt[a][i] }
        }
        if let family, model != .ols {
            s.deviance.add(family.deviance(block.y, mu, weights: block.weights))
            if family == .poisson { s.logLikelihood.add(family.logLikelihood(block.y, mu, weights: block.weights)) }
        }
        if case .heteroskedastic = type {
            for a in 0..<k { for b in a..<k {
                var t = 0.0
                for i in 0..<n { t += scores[a][i] * scores[b][i] }
                s.meat[a * k + b] += t
            } }
        }
        guard let clustering else { return }
        let codes = clustering.source == .clusterColumn ? block.clusters[0] : block.codes[0]
        for i in 0..<n { let c = Int(codes[i]); for a in 0..<k { s.clusterScores[c][a] += scores[a][i] } }
        for g in s.parents.indices {
            let fe = block.codes[g]
            for i in 0..<n {
                let l = Int(fe[i])
                if s.parents[g][l] < 0 { s.parents[g][l] = codes[i] } else if s.parents[g][l] != codes[i] { s.nested[g] = false }
            }
        }
    }

    /// X̃ of the block's active columns: x − Dα_x with the final solve's demeaning coefficients.
    func tildeColumns(_ block: DesignBlock) -> [[Double]] {
        let active = regression.active ?? []
        return active.enumerated().map { m, j in
            var x = block.x[j]
            for g in block.codes.indices {
                let codes = block.codes[g]
                solution.columnAlpha[m][g].withUnsafeBufferPointer { a in for i in 0..<block.count { x[i] -= a[Int(codes[i])] } }
            }
            return x
        }
    }

    struct SecondSums {
        var tss = 0.0
        var nullDeviance = 0.0
        var nullLogLikelihood = 0.0
        var gammaLogLikelihood = 0.0
    }

    /// The total sum of squares (OLS) or the null model's deviance and log-likelihood (GLMs,
    /// with `ResultAssembly.nullMean`'s null means), and Gamma's log-likelihood at its
    /// maximum-likelihood dispersion.
    func secondPass(_ s: Sums) throws(ModelError) -> SecondSums {
        var out = SecondSums()
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        let sw = s.weights.value, swy = s.weightedAdjusted.value, swe = s.weightedOffsetMean.value
        let mean = centred ? swy / sw : 0
        let devianceTotal = s.deviance.value
        let shape = devianceTotal > 0 ? sw / devianceTotal : .nan
        let design = frame.design
        let totals = try frame.segments.compensatedSums(4) { k, sums throws(ModelError) in
            try design.forEach(inSegment: k) { _, block throws(ModelError) in
                let n = block.count
                if model == .ols {
                    for i in 0..<n { let d = block.y[i] - (block.offset?[i] ?? 0) - mean; sums[0].add((block.weights?[i] ?? 1) * d * d) }
                    return
                }
                guard let family, let link else { return }
                let mu0 = nullMeans(block, link: link, centred: centred, sw: sw, swy: swy, swe: swe)
                sums[1].add(family.deviance(block.y, mu0, weights: block.weights))
                if family == .poisson { sums[2].add(family.logLikelihood(block.y, mu0, weights: block.weights)) }
                if family == .gamma {
                    let eta = predictor.evaluate(block) { _ in 0 }
                    for i in 0..<n {
                        let y = block.y[i], m = link.mean(eta[i]), w = block.weights?[i] ?? 1
                        sums[3].add(w * Family.gammaLogDensity(y, mu: m, shape: shape))
                    }
                }
            }
        }
        (out.tss, out.nullDeviance, out.nullLogLikelihood, out.gammaLogLikelihood) = (totals[0], totals[1], totals[2], totals[3])
        if family == .gaussian || family == .gamma {
            // The null likelihood at its own maximum-likelihood dispersion: a third pass for Gamma.
            out.nullLogLikelihood = try nullLogLikelihood(nullDeviance: out.nullDeviance, sums: s, centred: centred)
        }
        return out
    }

    func nullMeans(_ block: DesignBlock, link: Link, centred: Bool, sw: Double, swy: Double, swe: Double) -> [Double] {
        let n = block.count
        guard centred else { return block.offset.map { $0.map { link.mean($0) } } ?? [Double](repeating: link.mean(0), count: n) }
        switch link {
        case .log:
            if let o = block.offset { let scale = swy / swe; return o.map { exp($0) * scale } }
            return [Double](repeating: swy / sw, count: n)
        case .identity:
            if let o = block.offset { let a = (swy - swe) / sw; return o.map { $0 + a } }
            return [Double](repeating: swy / sw, count: n)
        }
    }

    /// ℓ₀ of the Gaussian (closed form) or Gamma (a pass) null model.
    func nullLogLikelihood(nullDeviance: Double, sums s: Sums, centred: Bool) throws(ModelError) -> Double {
        let n = Double(frame.observations), sw = s.weights.value
        if family == .gaussian { return gaussianLogLikelihood(deviance: nullDeviance, n: n, logWeights: s.logWeights.value) }
        guard let link else { return .nan }
        let shape = nullDeviance > 0 ? sw / nullDeviance : .nan
        let design = frame.design
        return try frame.segments.compensatedSums(1) { k, ll throws(ModelError) in
            try design.forEach(inSegment: k) { _, block throws(ModelError) in
                let mu0 = nullMeans(block, link: link, centred: centred, sw: sw, swy: s.weightedAdjusted.value, swe: s.weightedOffsetMean.value)
                for i in 0..<block.count {
                    let y = block.y[i], m = mu0[i], w = block.weights?[i] ?? 1
                    ll[0].add(w * Family.gammaLogDensity(y, mu: m, shape: shape))
                }
            }
        }[0]
    }

    /// `Family.gaussianLogLikelihood` (R's logLik.lm).
    func gaussianLogLikelihood(deviance: Double, n: Double, logWeights: Double) -> Double {
        Family.gaussianLogLikelihood(deviance: deviance, observations: n, logWeights: logWeights)
    }

    // MARK: statistics

    func linearStatistics(_ stats: inout FitStatistics, rss: Double, tss: Double, sums: Sums) {
        let n = frame.observations, kStats = stats.parameterCount
        let centred = frame.hasIntercept || !frame.fixedEffects.isEmpty
        let r2 = 1 - rss / tss
        stats.rSquared = r2
        stats.adjustedRSquared = 1 - (1 - r2) * Double(n - (centred ? 1 : 0)) / Double(n - kStats)
        if !frame.fixedEffects.isEmpty { stats.withinRSquared = 1 - rss / solution.withinTotal }
        stats.residualStandardError = (rss / Double(n - kStats)).squareRoot()
        stats.deviance = rss
        let ll = gaussianLogLikelihood(deviance: rss, n: Double(n), logWeights: sums.logWeights.value)
        stats.logLikelihood = ll
        stats.aic = -2 * ll + 2 * Double(kStats + 1)
        stats.bic = -2 * ll + Double(kStats + 1) * log(Double(n))
    }

    func likelihoodStatistics(_ stats: inout FitStatistics, sums: Sums, second: SecondSums, dispersion: Double) {
        guard let family else { return }
        let n = frame.observations, kStats = stats.parameterCount
        let deviance = sums.deviance.value
        let ll: Double
        switch family {
        case .poisson: ll = sums.logLikelihood.value
        case .gaussian: ll = gaussianLogLikelihood(deviance: deviance, n: Double(n), logWeights: sums.logWeights.value)
        default: ll = second.gammaLogLikelihood
        }
        let ll0 = second.nullLogLikelihood
        stats.deviance = deviance
        stats.nullDeviance = second.nullDeviance
        stats.logLikelihood = ll
        stats.nullLogLikelihood = ll0
        stats.pseudoRSquared = 1 - ll / ll0
        stats.adjustedPseudoRSquared = 1 - (ll - Double(kStats)) / ll0
        let m = Double(n)
        let sab = sums.cym.value - sums.cy.value * sums.cm.value / m
        let saa = sums.cyy.value - sums.cy.value * sums.cy.value / m
        let sbb = sums.cmm.value - sums.cm.value * sums.cm.value / m
        stats.squaredCorrelation = pow(sab / (saa * sbb).squareRoot(), 2)
        let extra = family.estimatesDispersion ? 1 : 0
        stats.aic = -2 * ll + 2 * Double(kStats + extra)
        stats.bic = -2 * ll + Double(kStats + extra) * log(Double(n))
        stats.dispersion = dispersion
    }

    /// `FitDegeneracy.isPerfectFit` from the pass's sums on y/max|y|.
    func isPerfect(_ s: Sums, deviance: Double?, nullDeviance: Double?) -> Bool {
        guard summary.largest.isFinite, summary.largest > 0 else { return false }
        let rr = s.perfectResidual.value, yy = s.perfectOutcome.value
        guard rr.isFinite, yy.isFinite else { return false }
        if rr <= FitDegeneracy.residualTolerance * FitDegeneracy.residualTolerance * yy { return true }
        if let d = deviance, let d0 = nullDeviance, d.isFinite, d0.isFinite, d0 > 0 { return d <= FitDegeneracy.devianceTolerance * d0 }
        return false
    }

    // MARK: covariance

    /// `CovarianceEstimator`'s iid, HC and one-way clustered covariances from the pass's sums.
    func covariance(_ type: CovarianceType, sums: Sums, kStats: Int, rss: Double, dispersion: Double) throws(ModelError) -> CovarianceResult {
        let n = Double(frame.observations)
        let bread = solution.bread, k = bread.rows
        let isLinear = model == .ols
        let linearLike = isLinear || family?.estimatesDispersion == true
        let correction = options.smallSampleCorrection
        switch type {
        case .iid:
            let factor = CovarianceEstimator.iidFactor(correction, n: n, parameters: kStats, isLinear: isLinear,
                                                       estimatedDispersion: family?.estimatesDispersion == true)
            var v = bread
            CovarianceEstimator.scale(&v, by: (isLinear ? rss / max(n - 1, 1) : dispersion) * factor)
            return CovarianceResult(matrix: v, degreesOfFreedom: linearLike ? n - Double(kStats) : nil, parameterCount: kStats,
                                    clusterCounts: [], notes: [])
        case .heteroskedastic(let variant):
            var meat = Matrix(rows: k, columns: k)
            for a in 0..<k { for b in 0..<k { meat[a, b] = sums.meat[a * k + b] } }
            var v = try CovarianceEstimator.sandwich(bread, meat: meat)
            CovarianceEstimator.scale(&v, by: CovarianceEstimator.hcFactor(variant, correction, n: n, parameters: kStats, isLinear: isLinear))
            return CovarianceResult(matrix: v, degreesOfFreedom: linearLike ? n - Double(kStats) : nil, parameterCount: kStats,
                                    clusterCounts: [], notes: [])
        case .cluster:
            return try clustered(sums: sums, isLinear: isLinear, linearLike: linearLike, count: sums.clusterScores.count)
        }
    }

    func clustered(sums: Sums, isLinear: Bool, linearLike: Bool, count: Int) throws(ModelError) -> CovarianceResult {
        let bread = solution.bread, k = bread.rows
        let n = Double(frame.observations)
        let correction = options.smallSampleCorrection
        let slopes = regression.active?.count ?? 0
        var K = CovarianceEstimator.parameterCount(slopes: slopes, fixedEffects: frame.fixedEffects, clusters: [], nested: false)
        if correction == .fixest || correction == .stata {
            for (g, fe) in frame.fixedEffects.enumerated() where sums.nested[g] { K -= fe.levelCount - 1 }
        }
        guard count >= 2 else {
            return CovarianceResult(matrix: Matrix(rows: k, columns: k, repeating: .nan), degreesOfFreedom: linearLike ? 0 : nil,
                                    parameterCount: K, clusterCounts: [count], notes: [])
        }
        var meat = Matrix(rows: k, columns: k)
        for u in sums.clusterScores { for a in 0..<k { for b in 0..<k { meat[a, b] += u[a] * u[b] } } }
        var v = try CovarianceEstimator.sandwich(bread, meat: meat)
        let g = Double(count)
        let factor = CovarianceEstimator.clusterFactor(correction, n: n, parameters: K, isLinear: isLinear, smallestCount: count, count: count)
        CovarianceEstimator.scale(&v, by: factor)
        return CovarianceResult(matrix: v, degreesOfFreedom: linearLike ? g - 1 : nil, parameterCount: K,
                                clusterCounts: [count], notes: [])
    }
}
