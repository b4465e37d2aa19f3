import SteppeData

/// A specification curve (Simonsohn, Simmons & Nelson 2020, Nature Human Behaviour; R's
/// specr): the estimate of one term under every combination of reasonable choices —
/// fixed effects, estimator and outcome scale, controls, sample — ranked, with the
/// median and the share of specifications in which the term is significant.
///
/// Each specification is fitted with the base options (weights, offset, covariance) on a
/// frame shared with the specifications of the same outcome scale and fixed effects
/// (`SpecificationFrames`: the union frame's columns and rows, checked to be the sample its
/// own frame would have), so its estimate equals what `steppe fit` prints for the same
/// formula; specifications run in parallel, results in a fixed order. A specification that fails (its formula does not apply, the term is absorbed,
/// the fit fails) is listed with the reason and left out of the median and shares.
public enum SpecificationCurve {
    /// One specification: its choices, formula, and the term's estimate.
    public struct Specification: Sendable {
        /// "fe=origin, model=ols-log", the choices in the order of the dimensions.
        public let label: String
        /// (dimension, alternative) pairs.
        public let choices: [(name: String, value: String)]
        public let formula: String
        public let model: ModelKind
        /// The term's coefficient; nil when the specification failed.
        public let coefficient: Coefficient?
        /// Observations used.
        public let observations: Int
        /// Why the specification has no estimate.
        public let failure: String?
        /// IRLS iterations of its fit (0 for OLS and for a fit that failed before any).
        public var iterations: Int = 0
    }

    /// The curve: successful specifications ranked by estimate, then the failed ones.
    public struct Result: Sendable {
        public let term: String
        public let specifications: [Specification]
        /// The median estimate over successful specifications.
        public let median: Double
        /// Shares of successful specifications with p < 1 − level, and of those, positive and negative.
        public let shareSignificant: Double
        public let shareSignificantPositive: Double
        public let shareSignificantNegative: Double
        /// 1 − the confidence level: the significance threshold.
        public let alpha: Double
        public var failed: [Specification] { specifications.filter { $0.coefficient == nil } }
        /// The test of the whole curve under the null, when asked for (`NullOptions`).
        public internal(set) var nullTest: NullTest? = nil
        /// The specifications in the order of the combinations (the last dimension fastest).
        let unranked: [Specification]
    }

    /// Fits every combination of `dimensions`' alternatives around the base specification.
    ///
    /// - Parameters:
    ///   - table: the data.
    ///   - formula: the base formula; its left-hand side is the outcome on its level scale
    ///     (the `model` dimension's `ols-log` and `ols-log1p` take its log).
    ///   - model: the base estimator, used when no `model` dimension is given.
    ///   - options: the options of every fit (weights, offset, covariance, level).
    ///   - dimensions: the choices; their Cartesian product is fitted.
    ///   - term: the coefficient followed across specifications.
    ///   - null: when given, the test of the whole curve under the null (`nullTest`).
    ///   - start: fitted means of the base model (`StartingMeans(fit)`), where the first GLM
    ///     fit of each group on the outcome's level scale starts; `nil`: the family's start.
    /// - Throws: `ModelError.invalidOption` for no dimensions, more than 4,096
    ///   specifications, or a term that no specification estimates.
    public static func run(_ table: Table, formula: Formula, model: ModelKind, options: EstimationOptions,
                           dimensions: [SpecificationDimension], term: String,
                           null: NullOptions? = nil, start: StartingMeans? = nil,
                           progress: ProgressHandler? = nil) throws(ModelError) -> Result {
        let (plans, frames) = try setUp(table, formula: formula, model: model, options: options, dimensions: dimensions)
        let groups = warmStartGroups(plans)
        let fittedGroups = Replicates.run(count: groups.count, seed: 0, progress: progress) { g, _ in
            fitGroup(groups[g], plans: plans, frames: frames, term: term, base: start)
        }
        var fitted = [Specification?](repeating: nil, count: plans.count)
        for (group, specs) in zip(groups, fittedGroups) { for (k, spec) in zip(group, specs) { fitted[k] = spec } }
        let all = fitted.map { $0! }
        var result = try summary(all, term: term, alpha: 1 - options.confidenceLevel)
        if let null {
            result.nullTest = try nullTest(result, plans: plans, frames: frames, rows: table.rowCount, options: null,
                                           link: options.link, progress: progress)
        }
        return result
    }

    /// The plans of every combination and their shared frames.
    static func setUp(_ table: Table, formula: Formula, model: ModelKind, options: EstimationOptions,
                      dimensions: [SpecificationDimension]) throws(ModelError) -> ([SpecificationPlan], SpecificationFrames) {
        guard !dimensions.isEmpty else { throw .invalidOption("give at least one --vary dimension") }
        let combinations = product(dimensions.map { $0.alternatives.count })
        guard combinations.count <= 4096 else {
            throw .invalidOption("\(combinations.count) specifications: at most 4,096 (fewer --vary alternatives)")
        }
        let plans = try combinations.map { c throws(ModelError) in
            try SpecificationPlan(formula: formula, model: model, dimensions: dimensions, choice: c)
        }
        var shared = options
        if shared.absorptionCache == nil { shared.absorptionCache = AbsorptionCache() }
        return (plans, SpecificationFrames(table: table, options: shared, plans: plans))
    }

    /// Every index tuple of a product of `counts` alternatives, the last dimension fastest.
    static func product(_ counts: [Int]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for c in counts { out = out.flatMap { prefix in (0..<c).map { prefix + [$0] } } }
        return out
    }

    /// Plan indices in groups that differ only in their controls (same estimator, outcome
    /// scale, fixed effects and sample), fewest controls first: within a group, GLM fits
    /// start from the first one's fitted means (`StartingMeans`; the first from the base
    /// model's, when given), which saves IRLS iterations
    /// without changing the estimates beyond the convergence tolerance. Groups run in
    /// parallel, each in a fixed order, so the results do not depend on the thread count.
    static func warmStartGroups(_ plans: [SpecificationPlan]) -> [[Int]] {
        var byKey: [String: [Int]] = [:], order: [String] = []
        for (k, plan) in plans.enumerated() {
            let sample = plan.choices.first { $0.name == SpecificationDimension.Kind.sample.rawValue }?.value ?? "all"
            let key = "\(plan.frameKey)|\(plan.scale.model.rawValue)|\(sample)"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(k)
        }
        return order.map { key in byKey[key]!.sorted { (plans[$0].rhs.count, $0) < (plans[$1].rhs.count, $1) } }
    }

    /// The specifications of one warm-start group, in its order.
    static func fitGroup(_ group: [Int], plans: [SpecificationPlan], frames: SpecificationFrames, term: String,
                         base: StartingMeans?) -> [Specification] {
        var start: StartingMeans? = nil
        return group.map { k in
            let model = plans[k].scale.model
            let warmable = model.family != nil && model != .negbin && plans[k].scale.transform == .level
            let (spec, result) = fit(plans[k], frames: frames, term: term, start: warmable ? (start ?? base) : nil)
            if start == nil, warmable, let result, result.report.converged { start = StartingMeans(result) }
            return spec
        }
    }

    /// One specification, fitted (from `start` when given); failures become a
    /// `Specification` with the reason.
    static func fit(_ plan: SpecificationPlan, frames: SpecificationFrames, term: String,
                    start: StartingMeans? = nil) -> (Specification, FitResult?) {
        let text = plan.formulaText, model = plan.scale.model
        func failed(_ why: String, observations: Int = 0) -> Specification {
            Specification(label: plan.label, choices: plan.choices, formula: text, model: model, coefficient: nil,
                          observations: observations, failure: why)
        }
        do {
            let prepared = try frames.prepare(plan)
            var options = prepared.options
            options.startingMeans = start
            let result = try Estimator.fit(prepared.frame, model: model, options: options)
            let n = result.statistics.observations
            guard let c = result.coefficient(term) else {
                return (failed(result.report.droppedTerms.first { $0.term == term }.map(\.note) ?? "\(term) is not a term of this specification.",
                               observations: n), result)
            }
            guard result.report.converged else { return (failed("the estimation did not converge", observations: n), result) }
            return (Specification(label: plan.label, choices: plan.choices, formula: text, model: model, coefficient: c,
                                  observations: n, failure: nil, iterations: result.report.iterations), result)
        } catch {
            return (failed("\(error)"), nil)
        }
    }

    /// Ranks the successful specifications and computes the median and shares.
    static func summary(_ all: [Specification], term: String, alpha: Double) throws(ModelError) -> Result {
        let ok = all.filter { $0.coefficient != nil }.sorted { $0.coefficient!.estimate < $1.coefficient!.estimate }
        guard !ok.isEmpty else {
            throw .invalidOption("no specification estimates \(term): " + (all.first?.failure ?? "none was fitted"))
        }
        let estimates = ok.map { $0.coefficient!.estimate }
        let m = estimates.count
        let median = SampleQuantile.median(sorted: estimates)
        let significant = ok.filter { $0.coefficient!.pValue < alpha }
        let n = Double(m)
        return Result(term: term, specifications: ok + all.filter { $0.coefficient == nil }, median: median,
                      shareSignificant: Double(significant.count) / n,
                      shareSignificantPositive: Double(significant.filter { $0.coefficient!.estimate > 0 }.count) / n,
                      shareSignificantNegative: Double(significant.filter { $0.coefficient!.estimate < 0 }.count) / n,
                      alpha: alpha, unranked: all)
    }
}
