import Foundation
import SteppeNumerics

/// The score bootstrap (Kline & Santos 2012, "A score based approach to wild bootstrap
/// inference"), as boottest computes it after maximum-likelihood estimation with
/// `boottype(score)` (Roodman et al. 2019, section 5; WildBootTests.jl's `scorebs`), for
/// GLMs with any number of fixed effects: PPML, Poisson, Gaussian, Gamma, negative binomial
/// (and OLS, as the Gaussian GLM).
///
/// Tested term t, null β_t = r, clusters h = 1…G with observation shares s_h = Σ_{i∈h} wᵢ/Σwᵢ
/// (prior weights; 1 without).
/// 1. The restricted estimate θ̃ (null imposed, the default; boottest's): the model refitted
///    without column t and with r·x_t added to the offset, on the fit's estimation sample,
///    by IRLS warm-started from the fit's means. Unrestricted (`imposeNull: false`): the fit
///    itself, no refit.
/// 2. At those means μ: IRLS weights Wᵢ = wᵢ(dμ/dη)²/V(μ), working residuals
///    rᵢ = (yᵢ − μᵢ)/(dμ/dη), the design X̃ with the fixed effects absorbed under W (one
///    absorption; `BootstrapClusterDesign.glm`), the bread A = (X̃ᵀWX̃)⁻¹ — the β-block of the
///    inverse information of the full model (β, α) — and cluster contributions
///    c_h = e_tᵀA·Σ_{i∈h} x̃ᵢWᵢrᵢ. By Frisch–Waugh these are the β_t-row of A_full·S_full for
///    the full parameter vector even when the clusters do not nest the fixed effects.
/// 3. Replicate b with wild weights v: numerator N_b = Σ_h v_h c_h (the one-step change of
///    β_t), recentred contributions J_h = v_h c_h − s_h N_b (boottest's recentring by
///    `ClustShare`), and t*_b = N_b / √(c·Σ_h J_h²), c the small-sample factor
///    (`BootstrapFactor`). No refit and no absorption per replicate: O(G) each.
/// 4. Observed statistic: imposed null, the same formula with v = 1 (the score test,
///    boottest's numerator `colsum(SuwtXA)`); unrestricted, (β̂_t − r)/se with
///    se² = c·Σ_h (c_h − s_hΣc)², the fit's CRV1 standard error.
/// 5. p = share of |t*| ≥ |t| (`BootstrapPValue`). Interval: null imposed, by inverting the
///    test, one restricted refit per evaluated null (`BootstrapInterval.inverted`, about 25
///    a side); unrestricted, the percentile-t interval.
/// For the negative binomial, θ is held at the fit's estimate. No R or Python package
/// offers the score bootstrap of PPML with fixed effects; the tests check it against a
/// numpy implementation of boottest's definition with the fixed effects as dummies (full
/// parameter vector, no Frisch–Waugh) under full enumeration, to 1e-8 in t and every t*,
/// and exactly in the count (Fixtures/sensitivity/bootstrap_make_reference.py).
enum ScoreBootstrap {
    static func run(_ model: SensitivityModel, _ plan: BootstrapPlan, progress: ProgressHandler?) throws(ModelError) -> BootstrapResult {
        guard let clusters = plan.clusters else { throw .invalidOption("the score bootstrap needs clusters") }
        let setup = try ScoreSetup(model, clusters: clusters)
        let draws = WildWeightDraws(clusters: clusters.levelCount, requested: plan.replicates, kind: plan.weights, seed: plan.seed)
        let unrestricted = plan.imposeNull ? nil : try setup.design(means: model.fit.fittedValues)
        var terms: [BootstrapTermResult] = []
        for (done, m) in plan.termIndices.enumerated() {
            let outcome = try termOutcome(setup, plan, draws: draws, term: m, unrestricted: unrestricted)
            terms.append(outcome.result(plan, replicates: draws.replicates, enumerated: draws.enumerated))
            progress?(done + 1, plan.termIndices.count)
        }
        let reference = "boottest's score bootstrap (boottype(score), Kline & Santos 2012; \(plan.imposeNull ? "null imposed" : "unrestricted"), recentred scores, symmetric p-value)"
        return BootstrapResult(type: .score, weights: plan.weights, replicates: draws.replicates, enumerated: draws.enumerated,
                               clusterVariable: plan.clusterName, clusters: clusters.levelCount, seed: plan.seed,
                               confidenceLevel: plan.level, reference: reference, terms: terms)
    }

    static func termOutcome(_ setup: ScoreSetup, _ plan: BootstrapPlan, draws: WildWeightDraws, term m: Int,
                            unrestricted: BootstrapClusterDesign?) throws(ModelError) -> TermOutcome {
        let coefficient = setup.model.fit.coefficients[m]
        var out = TermOutcome(term: coefficient.term, estimate: coefficient.estimate,
                              intervalMethod: plan.imposeNull ? "testInversion" : "percentileT")
        out.reasons["stdError"] = "the score bootstrap tests the null without a bootstrap standard error; see tStatistic"
        let why = "the replicate's recentred score variance is zero or not finite"
        if let design = unrestricted {
            let c = design.projectedScores(design.breadColumn(m))
            let se = setup.observedStatistic(c).denominator
            out.statistic = (coefficient.estimate - plan.nullValue) / se
            let statistics = setup.distribution(c, draws).statistics(delta: 0)
            let test = BootstrapPValue(observed: out.statistic, statistics: statistics)
            out.pValue = test.value
            out.failures = test.failureReasons(why)
            if plan.intervals {
                out.interval = BootstrapInterval.percentileT(estimate: coefficient.estimate, standardError: se,
                                                             statistics: statistics, alpha: plan.alpha)
            }
        } else {
            var start = setup.model.fit.fittedValues
            let test = try setup.restrictedTest(term: m, null: plan.nullValue, draws: draws, start: &start)
            out.statistic = test.observed
            out.pValue = test.p.value
            out.failures = test.p.failureReasons(why)
            if plan.intervals {
                var warm = start
                out.interval = try BootstrapInterval.inverted(estimate: coefficient.estimate, scale: coefficient.standardError,
                                                              alpha: plan.alpha, tolerance: 1e-6, maxEvaluations: 30) { r throws(ModelError) in
                    try setup.restrictedTest(term: m, null: r, draws: draws, start: &warm).p.value
                }
            }
        }
        if !plan.intervals {
            out.reasons["confLow"] = "not computed (intervals were turned off)"
            out.reasons["confHigh"] = out.reasons["confLow"]
        }
        return out
    }
}

/// What every evaluation of the score bootstrap shares: the sample frame, the fit's
/// estimable columns, the family and link, the cluster shares and the small-sample factor.
struct ScoreSetup {
    let model: SensitivityModel
    let frame: ModelFrame
    let x: Matrix
    let family: Family
    let link: Link
    let clusters: Grouping
    let shares: [Double]
    let factor: Double

    init(_ model: SensitivityModel, clusters: Grouping) throws(ModelError) {
        self.model = model
        frame = try BootstrapSample.frame(model)
        x = frame.design.columns(try BootstrapSample.activeColumns(model))
        switch model.model {
        case .ols: family = .gaussian
        case .negbin: family = .negativeBinomial(theta: model.fit.statistics.theta ?? 1)
        default: family = model.model.family ?? .poisson
        }
        link = model.fit.link ?? .identity
        self.clusters = clusters
        var shares = [Double](repeating: 0, count: clusters.levelCount)
        var total = 0.0
        for i in 0..<frame.observations {
            let w = frame.weights?[i] ?? 1
            shares[Int(clusters.codes[i])] += w
            total += w
        }
        self.shares = shares.map { $0 / total }
        factor = BootstrapFactor.cluster(model, frame: frame, clusters: clusters, slopes: x.columns)
    }

    /// The cluster design at means μ.
    func design(means mu: [Double]) throws(ModelError) -> BootstrapClusterDesign {
        try BootstrapClusterDesign.glm(model, frame: frame, design: x, mu: mu, family: family, link: link, clusters: clusters)
    }

    /// N = Σc_h and √(c·Σ_h(c_h − s_hN)²): the statistic with v = 1 is N over the second.
    func observedStatistic(_ c: [Double]) -> (numerator: Double, denominator: Double) {
        let total = c.reduce(0, +)
        var d = 0.0
        for h in c.indices { let j = c[h] - shares[h] * total; d += j * j }
        return (total, (factor * d).squareRoot())
    }

    /// N_b and D_b = Σ_h (v_h c_h − s_h N_b)² of every replicate.
    func distribution(_ c: [Double], _ draws: WildWeightDraws) -> BootstrapDistribution {
        let G = c.count, s = shares
        let parts = draws.blocks { range, v in
            var out = BootstrapDistribution(count: range.count, factor: factor)
            for col in 0..<range.count {
                let vb = v.baseAddress! + col * G
                var n = 0.0
                for h in 0..<G { n += vb[h] * c[h] }
                var d = 0.0
                for h in 0..<G { let j = vb[h] * c[h] - s[h] * n; d += j * j }
                out.n0[col] = n
                out.q0[col] = d
            }
            return out
        }
        var all = BootstrapDistribution(count: 0, factor: factor)
        for p in parts { all.n0 += p.n0; all.q0 += p.q0; all.n1 += p.n1; all.q1 += p.q1; all.q2 += p.q2 }
        return all
    }

    /// The null-imposed test of β_m = r: restricted means (warm-started from `start`, which
    /// is updated to them), contributions, observed score statistic and p-value.
    func restrictedTest(term m: Int, null r: Double, draws: WildWeightDraws,
                        start: inout [Double]) throws(ModelError) -> (observed: Double, p: BootstrapPValue) {
        let mu = try restrictedMeans(term: m, null: r, start: start)
        start = mu
        let design = try design(means: mu)
        let c = design.projectedScores(design.breadColumn(m))
        let (numerator, denominator) = observedStatistic(c)
        let observed = numerator / denominator
        return (observed, distribution(c, draws).pValue(observed: observed, delta: 0))
    }

    /// The means of the model with β_m fixed at r: IRLS on the other columns with r·x_m in
    /// the offset, on the fit's sample (no further trimming), from the means `start`.
    /// - Throws: `ModelError.numerical` when the restricted fit does not converge.
    func restrictedMeans(term m: Int, null r: Double, start: [Double]) throws(ModelError) -> [Double] {
        let n = frame.observations
        let others = (0..<x.columns).filter { $0 != m }
        var offset = frame.offset ?? [Double](repeating: 0, count: n)
        let xm = x.column(m), base = xm.startIndex
        for i in 0..<n { offset[i] += r * xm[base + i] }
        if others.isEmpty && frame.fixedEffects.isEmpty { return offset.map { link.mean($0) } }
        let names = others.map { model.fit.coefficients[$0].term }
        let restricted = frame.replacing(design: x.columns(others), names: names, offset: offset)
        var options = model.options
        options.dropSingletons = false
        options.checkSeparation = false
        let regression = WithinRegression(groupings: frame.fixedEffects, weights: nil, tolerance: options.fixedEffectTolerance)
        let state = try GLMFit.irls(restricted, family: family, link: link, options: options,
                                    start: (mu: start, regression: regression))
        guard state.converged else {
            throw .numerical("the restricted fit under \(model.fit.coefficients[m].term) = \(r) did not converge in \(options.maximumIterations) IRLS iterations")
        }
        return state.mu
    }
}

extension ModelFrame {
    /// The frame with another design (its columns named `names`) and offset, on the same
    /// sample: the restricted model of a score test. The frame's intercept flag is kept
    /// only when the new design still has the intercept.
    func replacing(design newDesign: Matrix, names: [String], offset newOffset: [Double]) -> ModelFrame {
        var spec = specification
        spec.columns = names.compactMap { name in coefficientNames.firstIndex(of: name).map { specification.columns[$0] } }
        return ModelFrame(formula: formula, response: response, design: newDesign, designLowParts: nil, coefficientNames: names,
                          hasIntercept: hasIntercept && names.contains("(Intercept)"), weights: weights, offset: newOffset,
                          fixedEffects: fixedEffects, clusters: clusters, sample: sample, report: report,
                          specification: spec, dataIdentity: dataIdentity)
    }
}
