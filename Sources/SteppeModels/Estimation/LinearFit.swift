import SteppeNumerics

/// OLS and WLS, with fixed effects by the within transformation (matches fixest::feols
/// and R's lm with explicit dummies).
enum LinearFit {
    static func fit(_ input: ModelFrame, options: EstimationOptions) throws(ModelError) -> FitResult {
        var report = input.report
        let frame = Estimator.trimmed(input, report: &report, dropSingletons: options.dropSingletons, dropZeroGroups: false)
        let n = frame.observations
        guard n > 0 else { throw .noObservations(report.droppedObservations.map(\.note).joined(separator: " ")) }
        let y = frame.offset.map { o in (0..<n).map { frame.response[$0] - o[$0] } } ?? frame.response
        var regression = WithinRegression(groupings: frame.fixedEffects, weights: frame.weights, tolerance: options.fixedEffectTolerance)
        let cache = options.absorptionCache.map { store in
            (store: store,
             context: AbsorptionCache.context(data: frame.dataIdentity, sample: frame.sample, fixedEffects: frame.fixedEffects,
                                              weighted: frame.weights != nil, tolerance: options.fixedEffectTolerance),
             names: frame.coefficientNames,
             zName: frame.offset == nil ? "y" : "y-offset:" + (frame.specification.offset ?? ""))
        }
        let s = try regression.solve(x: frame.design, xLow: frame.designLowParts, z: y, weights: frame.weights,
                                     options: options.leastSquares, cache: frame.fixedEffects.isEmpty ? nil : cache)
        try GLMFit.requireTerms(regression, frame)
        let mu = frame.offset.map { o in (0..<n).map { s.fitted[$0] + o[$0] } } ?? s.fitted
        var within: Double? = nil
        if !frame.fixedEffects.isEmpty {
            var t = CompensatedSum()
            for i in 0..<n { t.add((frame.weights?[i] ?? 1) * s.zTilde[i] * s.zTilde[i]) }
            within = t.value
        }
        // Fixed effects: the coefficients of the solve's fixed-effect part, Dα = fitted − Xβ.
        let fe = FixedEffectRecovery.normalised(s.fixedEffects, groupings: frame.fixedEffects)
        let components = FitComponents(model: .ols, family: nil, link: nil, frame: frame, report: report, regression: regression,
                                       beta: s.beta, solution: s.solution, xTilde: s.xTilde, workingWeights: frame.weights,
                                       workingResidual: s.residual, mu: mu, eta: mu, withinTotalSumOfSquares: within,
                                       fixedEffects: fe, theta: nil)
        return try ResultAssembly.assemble(components, options: options)
    }
}
