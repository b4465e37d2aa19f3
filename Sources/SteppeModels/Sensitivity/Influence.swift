import Foundation
import SteppeNumerics

extension SensitivityModel {
    /// Influence measures of every observation: leverage, studentized residuals, Cook's
    /// distance, DFFITS and DFBETAS, as statsmodels' `OLSInfluence` (OLS) and `GLMInfluence`
    /// (GLMs) define them, or from exact leave-one-out refits for GLMs.
    ///
    /// With n observations, K parameters, wᵢ the weights of `InfluenceDesign` (prior weights
    /// for OLS, IRLS weights at convergence for GLMs) and B = (X̃ᵀWX̃)⁻¹:
    /// - hat: hᵢ = wᵢx̃ᵢᵀBx̃ᵢ plus the fixed effects' share (`FixedEffectLeverage`: wᵢ/Σ_{j∈g(i)}wⱼ
    ///   with one fixed effect, the diagonal of their projection with several): the diagonal
    ///   of the hat matrix of the model with the fixed effects as dummies, exactly (the
    ///   dummies' projection and that of the demeaned X are orthogonal).
    /// - OLS (Belsley, Kuh & Welsch 1980; matches `OLSInfluence` to 1e-10): eᵢ* = √wᵢ(yᵢ − ŷᵢ),
    ///   s² = Σe*²/(n − K); internal rᵢ = eᵢ*/(s√(1 − hᵢ)); σ₍ᵢ₎² = (Σe*² − eᵢ*²/(1 − hᵢ))/(n − K − 1);
    ///   external tᵢ = eᵢ*/(σ₍ᵢ₎√(1 − hᵢ)); Cook's Dᵢ = rᵢ²hᵢ/(K(1 − hᵢ)); DFFITSᵢ = tᵢ√(hᵢ/(1 − hᵢ));
    ///   DFBETASᵢⱼ = (β̂ − β̂₍₋ᵢ₎)ⱼ/(σ₍ᵢ₎√Bⱼⱼ) with β̂ − β̂₍₋ᵢ₎ = Bx̃ᵢ√wᵢeᵢ*/(1 − hᵢ), all exact.
    /// - GLMs (Pregibon 1981; Williams 1987): Pearson pᵢ = √priorᵢ(yᵢ − μ̂ᵢ)/√V(μ̂ᵢ), φ the
    ///   dispersion; internal rᵢ = pᵢ/√(φ(1 − hᵢ)) and Cook's Dᵢ as for OLS (`GLMInfluence`'s
    ///   `resid_studentized` and `cooks_distance`); DFFITSᵢ = rᵢ√(hᵢ/(1 − hᵢ)) (its
    ///   `d_fittedvalues_scaled`, for φ = 1); the one-step change β̂ − β̂₍₋ᵢ₎ ≈ Bx̃ᵢ√wᵢpᵢ/(1 − hᵢ)
    ///   and DFBETAS = that over √(φBⱼⱼ), the model-based standard error (`GLMInfluence`'s
    ///   `dfbetas` for Poisson; statsmodels also divides the change by √φ when φ is
    ///   estimated, which is not a change in β̂, so Gaussian and Gamma differ from it there).
    ///   External: R's `rstudent.glm`, the likelihood residual sign(dᵢ)√(dᵢ² + hᵢpᵢ²/(1 − hᵢ))
    ///   with dᵢ the deviance residual, divided by σ₍ᵢ₎ (from the deviance residuals, as R's
    ///   `lm.influence`) except for Poisson. Matches statsmodels (R's formula for the external
    ///   residual) to 1e-8 relative for Poisson with and without a fixed effect.
    /// - `exact` (GLMs without fixed effects): the model refitted without each observation in
    ///   turn (`Replicates.run`, on all cores, in order), Δβ = β̂ − β̂₍₋ᵢ₎ exactly; DFBETAS = Δβⱼ/√(φBⱼⱼ),
    ///   Cook's Dᵢ = ΔβᵀX̃ᵀWX̃Δβ/(Kφ), DFFITSᵢ = x̃ᵢᵀΔβ/√(φhᵢ/wᵢ) (the change of η̂ᵢ over its
    ///   standard error). Hat and residuals are unchanged. For OLS the closed forms are exact
    ///   and no refit is run.
    ///
    /// Thresholds: Cook's 4/n, |DFFITS| 2√(K/n), |DFBETAS| 2/√n, hat 2K/n.
    /// - Throws: `ModelError.invalidOption` with more than 3,000 fixed-effect levels in all
    ///   when there are several fixed effects, or `exact` with a fixed effect (a refit without one row can empty or split its group: use `C(fe)`
    ///   terms); `ModelError.numerical` when the design cannot be rebuilt.
    public func influence(exact: Bool = false, progress: ProgressHandler? = nil) throws(ModelError) -> InfluenceResult {
        let glm = model != .ols
        if exact && glm && !frame.fixedEffects.isEmpty {
            throw .invalidOption("exact leave-one-out refits are not available with fixed effects, where removing a row can empty its group; drop --exact for the one-step measures, or write the fixed effect as a C(name) term")
        }
        let design = try InfluenceDesign(self)
        let measures = try InfluenceMeasures(model: self, design: design)
        var observations = measures.oneStep()
        var failed: [InfluenceResult.Failure] = []
        if exact && glm {
            (observations, failed) = try measures.exact(observations, progress: progress)
        }
        return measures.result(observations, exact: exact && glm, failed: failed)
    }
}

/// The quantities every influence measure is built from, on the estimation sample.
struct InfluenceMeasures {
    let model: SensitivityModel
    let design: InfluenceDesign
    /// hᵢ of the full model (fixed-effect share included).
    let hat: [Double]
    /// eᵢ* (OLS) or the Pearson residual pᵢ (GLMs).
    let residual: [Double]
    /// K and n.
    let parameterCount: Int
    var observations: Int { design.observations }
    /// φ (1 for OLS, whose scale enters through s and σ₍ᵢ₎).
    let dispersion: Double

    /// Leverage at or above 1 − 1e-10 counts as 1.
    static let unitLeverage = 1 - 1e-10

    init(model: SensitivityModel, design: InfluenceDesign) throws(ModelError) {
        self.model = model
        self.design = design
        let fit = model.fit
        var h = design.withinLeverages
        if !design.frame.fixedEffects.isEmpty {
            let share = try FixedEffectLeverage.diagonal(design.frame.fixedEffects, weights: design.weights)
            for i in h.indices { h[i] += share[i] }
        }
        hat = h
        let n = design.observations
        let y = design.frame.response, mu = fit.fittedValues
        if let family = design.family {
            residual = (0..<n).map { i in (design.frame.weights?[i] ?? 1).squareRoot() * family.pearsonResidual(y[i], mu: mu[i]) }
            dispersion = fit.statistics.dispersion ?? 1
        } else {
            residual = (0..<n).map { i in design.weights[i].squareRoot() * (y[i] - mu[i]) }
            dispersion = 1
        }
        parameterCount = fit.statistics.parameterCount
    }

    /// The one-step (GLM) or exact closed-form (OLS) measures of every observation.
    func oneStep() -> [InfluenceResult.Observation] {
        let n = observations, k = design.slopes, K = Double(parameterCount)
        let glm = design.family != nil
        var rss = CompensatedSum()
        for r in residual { rss.add(r * r) }
        let s2 = rss.value / (Double(n) - K)
        let deviance = glm ? devianceResiduals() : residual
        var devianceTotal = CompensatedSum()
        for d in deviance { devianceTotal.add(d * d) }
        return (0..<n).map { i in
            let h = hat[i]
            guard h < Self.unitLeverage else { return nanObservation(i, hat: h) }
            let studentized = glm ? residual[i] / (dispersion * (1 - h)).squareRoot() : residual[i] / (s2 * (1 - h)).squareRoot()
            // σ₍ᵢ₎ from the residuals the model's reference uses: e* for OLS, deviance residuals for GLMs.
            let deleted = ((devianceTotal.value - deviance[i] * deviance[i] / (1 - h)) / (Double(n) - K - 1)).squareRoot()
            let external = glm ? likelihoodResidual(i, deviance: deviance[i], sigma: deleted) : residual[i] / (deleted * (1 - h).squareRoot())
            let scale = glm ? dispersion.squareRoot() : deleted
            let change = design.weights[i].squareRoot() * residual[i] / (1 - h)
            let dfbetas = (0..<k).map { j in design.xBread[i, j] * change / (scale * design.bread[j, j].squareRoot()) }
            return .init(row: design.frame.sample[i], hat: h, studentizedResidual: studentized,
                         externallyStudentizedResidual: external, cooksDistance: studentized * studentized * h / (K * (1 - h)),
                         dffits: (glm ? studentized : external) * (h / (1 - h)).squareRoot(), dfbetas: dfbetas)
        }
    }

    /// dᵢ = sign(yᵢ − μ̂ᵢ)√(priorᵢ·d(yᵢ, μ̂ᵢ)), the deviance residuals of a GLM.
    func devianceResiduals() -> [Double] {
        guard let family = design.family else { return residual }
        let y = design.frame.response, mu = model.fit.fittedValues
        return (0..<observations).map { i in
            let d = ((design.frame.weights?[i] ?? 1) * family.unitDeviance(y[i], mu[i])).squareRoot()
            return y[i] > mu[i] ? d : (y[i] < mu[i] ? -d : 0)
        }
    }

    /// R's `rstudent.glm`: sign(dᵢ)√(dᵢ² + hᵢpᵢ²/(1 − hᵢ)), over σ₍ᵢ₎ unless the family is Poisson.
    func likelihoodResidual(_ i: Int, deviance d: Double, sigma: Double) -> Double {
        let h = hat[i], p = residual[i]
        let r = (d < 0 ? -1.0 : (d > 0 ? 1.0 : 0.0)) * (d * d + h * p * p / (1 - h)).squareRoot()
        if case .poisson? = design.family { return r }
        return r / sigma
    }

    func nanObservation(_ i: Int, hat h: Double) -> InfluenceResult.Observation {
        .init(row: design.frame.sample[i], hat: h, studentizedResidual: .nan, externallyStudentizedResidual: .nan,
              cooksDistance: .nan, dffits: .nan, dfbetas: [Double](repeating: .nan, count: design.slopes))
    }
}
