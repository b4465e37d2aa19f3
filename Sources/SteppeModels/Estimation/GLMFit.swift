import Foundation
@_spi(SteppeInternal) import SteppeNumerics

/// Generalized linear models by iteratively reweighted least squares, with fixed effects
/// absorbed at every step (matches R's glm with explicit dummies, fixest::feglm/fepois,
/// and ppmlhdfe's sample rules for Poisson).
///
/// Each iteration: weights wᵢ = (dμ/dη)²/V(μ)·priorᵢ, working outcome
/// zᵢ = ηᵢ − offsetᵢ + (yᵢ − μᵢ)/(dμ/dη); weighted within regression of z on X (the
/// demeaning warm-started from the previous iteration); η ← offset + fitted. When the
/// deviance is not finite the step is halved (up to 30 times). Stops when
/// |ΔD|/(c + |D|) < `EstimationOptions.tolerance` (1e-8), c = 0.1 (0.1·min(1, ȳ) for
/// Poisson, `devianceFloor`), after one more step so that the
/// covariance is computed at the converged weights; the criterion reached and the iteration
/// count are in the report, and hitting the iteration limit is a warning, not silence.
enum GLMFit {
    static func fit(_ input: ModelFrame, model: ModelKind, options: EstimationOptions) throws(ModelError) -> FitResult {
        guard let baseFamily = model.family else { throw .invalidOption("\(model.rawValue) is not a GLM") }
        let link = options.link ?? baseFamily.defaultLink
        try checkOutcomes(input, family: baseFamily)
        var report = input.report
        let countModel = baseFamily == .poisson || model == .negbin
        let frame = try estimationSample(input, countModel: countModel, link: link, options: options, report: &report)

        var state: IRLSState
        var theta: Double? = nil
        if model == .negbin {
            (state, theta) = try NegativeBinomialFit.fit(frame, link: link, options: options, report: &report)
        } else {
            let start = options.startingMeans.map { s in
                let cold = startingMean(frame, family: baseFamily, link: link)
                return (mu: s.means(for: frame.sample) { cold[$0] }, regression: WithinRegression?.none)
            }
            state = try irls(frame, family: baseFamily, link: link, options: options, start: start)
        }
        record(state, options: options, in: &report)
        try requireTerms(state.regression, frame)
        let family = state.family
        let n = frame.observations
        // The final working weights and residuals (y − μ)/(dμ/dη), element by element on all cores.
        let (mu, y, prior) = (state.mu, frame.response, frame.weights)
        let weights = Parallel.doubles(n) { (prior?[$0] ?? 1) * family.workingWeight(mu: mu[$0], link: link) }
        let residual = Parallel.doubles(n) { (y[$0] - mu[$0]) / link.derivative(mu: mu[$0]) }
        let fe = fixedEffects(state, frame, weights: weights, options: options)
        let components = FitComponents(model: model, family: family, link: link, frame: frame, report: report,
                                       regression: state.regression, beta: state.beta, solution: state.solution,
                                       xTilde: state.xTilde, workingWeights: weights, workingResidual: residual,
                                       mu: state.mu, eta: state.eta, withinTotalSumOfSquares: nil, fixedEffects: fe,
                                       theta: theta)
        return try ResultAssembly.assemble(components, options: options)
    }

    /// Every outcome must be valid for the family (e.g. non-negative for Poisson).
    static func checkOutcomes(_ input: ModelFrame, family: Family) throws(ModelError) {
        for (k, y) in input.response.enumerated() {
            if let why = family.invalidOutcome(y) {
                throw .invalidOutcome("row \(input.sample[k] + 1) of the data has \(why)")
            }
        }
    }

    /// The estimation sample: singletons (and, for count models with the log link, groups
    /// whose outcome is all zero and separated observations, alternately until neither
    /// removes anything) trimmed, the drops recorded in `report`.
    static func estimationSample(_ input: ModelFrame, countModel: Bool, link: Link, options: EstimationOptions,
                                 report: inout EstimationReport) throws(ModelError) -> ModelFrame {
        var frame = input
        if countModel && input.response.allSatisfy({ $0 == 0 }) {
            throw .invalidOutcome("the outcome is 0 in every observation; there is nothing to explain")
        }
        if countModel && link == .log {
            // Trim and check separation until nothing changes (each step can create work for the other).
            while true {
                frame = Estimator.trimmed(frame, report: &report, dropSingletons: options.dropSingletons,
                                          dropZeroGroups: options.checkSeparation)
                guard options.checkSeparation, frame.observations > 0 else { break }
                let sep = try SeparationDetector.detect(y: frame.response, x: frame.design, groupings: frame.fixedEffects)
                if !sep.converged {
                    report.warnings.append("The separation check (ReLU) reached its iteration limit; some separated observations may remain.")
                }
                let count = sep.separated.filter { $0 }.count
                if count == 0 { break }
                report.drop(.separated, count: count)
                frame = frame.restricted(to: (0..<frame.observations).filter { !sep.separated[$0] }, report: report)
            }
        } else {
            frame = Estimator.trimmed(frame, report: &report, dropSingletons: options.dropSingletons, dropZeroGroups: false)
        }
        guard frame.observations > 0 else {
            throw .noObservations(report.droppedObservations.map(\.note).joined(separator: " "))
        }
        if countModel && frame.response.allSatisfy({ $0 == 0 }) {
            throw .invalidOutcome("the outcome is 0 in every observation left after the checks; there is nothing to explain")
        }
        return frame
    }

    /// The iterations, criterion, tolerance and convergence into the report, with a warning
    /// when IRLS stopped at its iteration limit.
    static func record(_ state: IRLSState, options: EstimationOptions, in report: inout EstimationReport) {
        report.iterations = state.iterations
        report.criterion = state.criterion
        report.tolerance = options.tolerance
        report.converged = state.converged
        if !state.converged {
            report.warnings.append("IRLS did not converge in \(options.maximumIterations) iterations (criterion \(String(format: "%.2e", state.criterion)) against \(options.tolerance)); estimates are not reliable. Check for separation or rescale the regressors, or raise the iteration limit.")
        }
    }

    /// The fixed effects, normalised: from the last solve when its step was taken whole (then
    /// η − offset − Xβ = Dα exactly), else by demeaning v = η − offset − Xβ with the final weights.
    static func fixedEffects(_ state: IRLSState, _ frame: ModelFrame, weights: [Double],
                             options: EstimationOptions) -> [FixedEffectEstimates] {
        if let alpha = state.fixedEffects {
            return FixedEffectRecovery.normalised(alpha, groupings: frame.fixedEffects)
        }
        let n = frame.observations
        var v = [Double](repeating: 0, count: n)
        for i in 0..<n { v[i] = state.eta[i] - (frame.offset?[i] ?? 0) }
        for j in 0..<frame.design.columns where state.beta[j] != 0 {
            let col = frame.design.column(j)
            let base = col.startIndex
            for i in 0..<n { v[i] -= state.beta[j] * col[base + i] }
        }
        return FixedEffectRecovery.estimates(of: v, groupings: frame.fixedEffects, weights: weights,
                                             tolerance: options.fixedEffectTolerance)
    }

    /// A model whose formula had terms must keep at least one.
    static func requireTerms(_ regression: WithinRegression, _ frame: ModelFrame) throws(ModelError) {
        guard (regression.active ?? []).isEmpty, frame.design.columns > 0 else { return }
        if !regression.absorbed.isEmpty && regression.collinear.isEmpty {
            throw .noEstimableTerms("every term was absorbed by the fixed effects")
        }
        throw .noEstimableTerms("every term was dropped as collinear")
    }

    struct IRLSState {
        var family: Family
        var mu: [Double]
        var eta: [Double]
        var beta: [Double]
        var solution: LeastSquaresSolution
        var xTilde: Matrix
        var regression: WithinRegression
        var iterations: Int
        var criterion: Double
        var converged: Bool
        var deviance: Double
        /// The fixed-effect coefficients of the last solve, when η = offset + its fit
        /// (no step-halving in the last iteration); `nil` otherwise.
        var fixedEffects: [[Double]]?
    }

    /// IRLS from a starting mean (or the family's start), keeping the regression's column choice when given.
    static func irls(_ frame: ModelFrame, family: Family, link: Link, options: EstimationOptions,
                     start: (mu: [Double], regression: WithinRegression?)?) throws(ModelError) -> IRLSState {
        let y = frame.response
        let prior = frame.weights
        let startMu = start?.mu ?? startingMean(frame, family: family, link: link)
        var mu = startMu
        var eta = Parallel.doubles(mu.count) { link.eta(startMu[$0]) }
        var deviance = family.deviance(y, mu, weights: prior)
        var regression = start?.regression ?? WithinRegression(groupings: frame.fixedEffects, weights: nil,
                                                               tolerance: options.fixedEffectTolerance)
        var ls = options.leastSquares
        ls.refinement = .never
        ls.computeCovariance = true
        ls.checkFinite = false      // the frame is screened and the weights are checked below
        var progress = IRLSProgress(demeanTolerance: options.fixedEffectTolerance, canonical: isCanonical(family, link),
                                    logLink: link == .log, devianceFloor: devianceFloor(frame, family: family))
        var last: WithinRegression.Solution? = nil
        while progress.iterations < options.maximumIterations || (progress.converged && !progress.polished) {
            progress.iterations += 1
            // The last solve's X̃ and z̃ become this solve's output storage; the rest of it is
            // released before the solve.
            let spare = last.map { (x: $0.xTilde, z: $0.zTilde) }
            last = nil
            let (w, z, valid) = IRLSPasses.working(y: y, mu: mu, eta: eta, offset: frame.offset, prior: prior,
                                                   family: family, link: link)
            guard valid else {
                throw .numerical("IRLS weights became non-finite at iteration \(progress.iterations); the model may be separated or badly scaled")
            }
            regression = regression.reweighted(groupings: frame.fixedEffects, weights: w, tolerance: options.fixedEffectTolerance)
            var s = try regression.solve(x: frame.design, xLow: nil, z: consume z, weights: w, options: stepOptions(ls, converged: progress.converged),
                                         demeanTolerance: progress.demeanTolerance, reusing: consume spare)
            let exactSolve = progress.demeanTolerance <= options.fixedEffectTolerance
            // The fit becomes the new η in its own storage, μ is overwritten in place.
            var stepEta = s.fitted
            s.fitted = []
            let (step, halvings) = try admissibleStep(eta: &stepEta, mu: &mu, previousEta: eta, frame: frame, family: family,
                                                      link: link, iteration: progress.iterations)
            progress.lastStepWhole = halvings == 0
            let change = abs(step.deviance - deviance) / (progress.devianceFloor + abs(step.deviance))
            eta = stepEta
            deviance = step.deviance
            last = s
            if progress.finished(change: change, step: step, exactSolve: exactSolve, options: options) { break }
        }
        guard let final = last else { throw .numerical("IRLS ran no iteration") }
        return IRLSState(family: family, mu: mu, eta: eta, beta: final.beta, solution: final.solution, xTilde: final.xTilde,
                         regression: regression, iterations: progress.iterations, criterion: progress.criterion,
                         converged: progress.converged, deviance: deviance,
                         fixedEffects: progress.lastStepWhole ? final.fixedEffects : nil)
    }

    /// Where IRLS stands between iterations: the deviance criterion, whether it has
    /// converged and taken its polish step, and the fixed-effect tolerance of the next solve.
    struct IRLSProgress {
        /// The fixed-effect tolerance of the next solve (ppmlhdfe's idea): exact on the first
        /// solve, which decides the absorbed columns; then 1% of the last deviance criterion
        /// (at most 1e-5), so early iterations, far from the solution, do not demean to 1e-10;
        /// the target again once the criterion is met, so the polish step is always an exact
        /// solve. With a non-canonical link convergence is declared only on a solve made at
        /// the target tolerance; with a canonical one it may be declared on a looser solve,
        /// and the exact polish step then confirms it (`polishConfirms`).
        var demeanTolerance: Double
        /// Whether the link is the family's canonical one (see `assess`).
        let canonical: Bool
        /// |ΔD|/(floor + |D|) of the last step; see `devianceFloor`.
        var criterion = Double.infinity
        var converged = false
        var polished = false
        var iterations = 0
        /// Whether the last step was taken whole (no step-halving).
        var lastStepWhole = false

        /// After a step (not the polish) with deviance criterion `change`: converged when the
        /// criterion is below the tolerance and η has settled too, on a solve at the target
        /// fixed-effect tolerance; and the next solve's fixed-effect tolerance.
        ///
        /// With a non-canonical link (Gamma or negative binomial with log) IRLS converges only
        /// linearly, and the deviance criterion alone leaves 1e-6 errors in coefficients.
        /// Then one more step, so that the covariance uses weights from the converged μ,
        /// not the one before (otherwise SEs carry errors of √tolerance).
        /// Canonical links (Poisson with log, Gaussian with identity) make IRLS Newton's
        /// method, which converges quadratically: the polish step after the deviance
        /// criterion squares the remaining error, so the η test is needed only otherwise.
        /// (Small Poisson outcomes are handled by the criterion's floor, `devianceFloor`.)
        mutating func assess(change: Double, step: IRLSPasses.Step, exactSolve: Bool, options: EstimationOptions) {
            criterion = change
            if criterion < options.tolerance && (canonical || (step.etaChange <= etaTolerance(step) && exactSolve)) { converged = true }
            demeanTolerance = criterion < options.tolerance ? options.fixedEffectTolerance
                : max(options.fixedEffectTolerance, min(1e-5, 0.01 * criterion))
        }

        /// After a step with deviance criterion `change`: whether the iterations end. The
        /// polish step (the one after convergence) goes to `polishConfirms`; any other to `assess`.
        mutating func finished(change: Double, step: IRLSPasses.Step, exactSolve: Bool, options: EstimationOptions) -> Bool {
            if converged { return polishConfirms(change: change, step: step, options: options) }
            assess(change: change, step: step, exactSolve: exactSolve, options: options)
            return false
        }

        /// After the polish step (an exact solve) with deviance criterion `change`: whether it
        /// confirms the convergence declared before it, and then the iterations end. With a
        /// canonical link the convergence may have been declared on a loose solve (see
        /// `demeanTolerance`), which a warm-started demeaning can stall into a small change;
        /// the polish, as a Newton step from near the solution, then moves the deviance by
        /// far less than the tolerance. If it moves it by more, the convergence is withdrawn
        /// and the iterations go on from the polish (assessed like any other step).
        ///
        /// Declaring convergence on the loose solve saves an iteration against waiting for an
        /// exact one before the polish (PPML with two fixed effects on 1e6 rows: 7 iterations
        /// instead of 8; fixest stops after 6 with the same criterion and no polish step).
        private mutating func polishConfirms(change: Double, step: IRLSPasses.Step, options: EstimationOptions) -> Bool {
            if change < options.tolerance || !canonical { polished = true; return true }
            converged = false
            assess(change: change, step: step, exactSolve: true, options: options)
            return false
        }

        /// How far η may still move for convergence: with the log link a change in η is the
        /// relative change in μ, so 1e-9 whatever the outcomes' units (relative to |η| it
        /// loosened with the units: outcomes of 1e-300, |η| ≈ 690, stopped the Gamma fit
        /// 700 times earlier, its slopes off by 1.5e-8); with the identity link, 1e-9·(1 + max|η|).
        let logLink: Bool
        /// The floor of the criterion's denominator (`devianceFloor`).
        let devianceFloor: Double
        func etaTolerance(_ step: IRLSPasses.Step) -> Double {
            logLink ? 1e-9 : 1e-9 * (1 + step.etaSize)
        }
    }

    /// The floor c of the deviance criterion |ΔD|/(c + |D|): fixest's and ppmlhdfe's 0.1,
    /// except for Poisson, 0.1·min(1, ȳ) with ȳ = Σwᵢyᵢ/Σwᵢ.
    ///
    /// The Poisson deviance scales with the outcomes, so with 0.1 the criterion becomes an
    /// absolute test once |D| is well below 0.1: flows of about 1e-3 passed it after a step
    /// that left the margins 30% off, and outcomes of 1e-300 (deviance near 1e-299) after
    /// one step, 650 from the right intercept (where R's glm stops too). Scaled by ȳ the
    /// test stays relative; for ȳ ≥ 1 it is fixest's, bit for bit.
    static func devianceFloor(_ frame: ModelFrame, family: Family) -> Double {
        guard family == .poisson else { return 0.1 }
        let mean = weightedMeanResponse(frame)
        return mean > 0 && mean.isFinite ? 0.1 * min(1, mean) : 0.1
    }

    /// The family's starting mean for each outcome, given the weighted mean Σwᵢyᵢ/Σwᵢ.
    static func startingMean(_ frame: ModelFrame, family: Family, link: Link) -> [Double] {
        let mean = weightedMeanResponse(frame), y = frame.response
        return Parallel.doubles(y.count) { family.startingMean(y[$0], mean: mean, link: link) }
    }

    /// Σwᵢyᵢ/Σwᵢ over the frame (wᵢ the prior weights, 1 without them).
    static func weightedMeanResponse(_ frame: ModelFrame) -> Double {
        let y = frame.response, prior = frame.weights
        var sw = 0.0, swy = 0.0
        for i in 0..<frame.observations { let w = prior?[i] ?? 1; sw += w; swy += w * y[i] }
        return swy / sw
    }

    /// Whether the link is the family's canonical one (Poisson with log, Gaussian with identity).
    static func isCanonical(_ family: Family, _ link: Link) -> Bool {
        (family == .poisson && link == .log) || (family == .gaussian && link == .identity)
    }

    /// The least-squares options of one IRLS solve. Steps before the polish take the
    /// normal-equations path whatever the size (it declines to QR on collinear or
    /// ill-conditioned designs, so the first solve's rank decision stands); the polish
    /// step, whose factorization gives the covariance, uses the caller's method. No step
    /// needs the residuals of the within regression (the fit's working residuals come from
    /// μ, its fit is Xβ + Dα from the coefficients), so none asks for them: the
    /// normal-equations path then forms neither them nor Xβ (two n-vectors, an eighth of the
    /// peak of a PPML fit at 1e7 rows), and keeps a near-perfect fit, whose residuals alone
    /// it would hand to QR for want of digits.
    static func stepOptions(_ ls: LeastSquares.Options, converged: Bool) -> LeastSquares.Options {
        var stepOptions = ls
        if !converged && ls.method == .automatic { stepOptions.method = .normalEquations }
        stepOptions.residualsNeeded = false
        return stepOptions
    }

    /// The IRLS step to η = offset + fit, halved towards the previous η,
    /// η ← (η_previous + η_step)/2, until μ is admissible and the deviance finite (at most
    /// 30 halvings); and the number of halvings. `eta` holds the fit on entry and the η of
    /// the step taken on return, `mu` its μ; `previousEta` is the current η.
    static func admissibleStep(eta: inout [Double], mu: inout [Double], previousEta: [Double], frame: ModelFrame,
                               family: Family, link: Link, iteration: Int) throws(ModelError) -> (IRLSPasses.Step, halvings: Int) {
        let n = frame.observations, y = frame.response, prior = frame.weights
        var step = IRLSPasses.step(eta: &eta, mu: &mu, offset: frame.offset, previousEta: previousEta, y: y, prior: prior,
                                   family: family, link: link)
        var halvings = 0
        while !step.admissible || !step.deviance.isFinite {
            halvings += 1
            if halvings > 30 {
                let largest = y.reduce(0) { max($0, abs($1)) }
                let why = largest > 1e150 ? " (outcomes up to \(largest), whose squares overflow double precision: rescale the outcome)" : ""
                throw .numerical("IRLS step-halving failed at iteration \(iteration): the deviance stays non-finite\(why)")
            }
            for i in 0..<n { eta[i] = 0.5 * (previousEta[i] + eta[i]) }
            step = IRLSPasses.step(eta: &eta, mu: &mu, offset: nil, previousEta: previousEta, y: y, prior: prior,
                                   family: family, link: link)
        }
        return (step, halvings)
    }
}
