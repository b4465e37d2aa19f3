import SteppeData

/// A specification curve (Simonsohn, Simmons & Nelson 2020, Nature Human Behaviour; R's
/// specr): the estimate of one term under every combination of reasonable choices —
/// fixed effects, estimator and outcome scale, controls, sample — ranked, with the
/// median and the share of specifications in which the term is significant.
///
/// Each specification is fitted directly (`Estimator.fit` on the chosen rows and formula,
/// with the base options: weights, offset, covariance), so its estimate equals what `steppe
/// fit` prints for the same formula; specifications run in parallel, results in a fixed
/// order. A specification that fails (its formula does not apply, the term is absorbed,
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
    /// - Throws: `ModelError.invalidOption` for no dimensions, more than 4,096
    ///   specifications, or a term that no specification estimates.
    public static func run(_ table: Table, formula: Formula, model: ModelKind, options: EstimationOptions,
                           dimensions: [SpecificationDimension], term: String,
                           progress: ProgressHandler? = nil) throws(ModelError) -> Result {
        guard !dimensions.isEmpty else { throw .invalidOption("give at least one --vary dimension") }
        let combinations = product(dimensions.map { $0.alternatives.count })
        guard combinations.count <= 4096 else {
            throw .invalidOption("\(combinations.count) specifications: at most 4,096 (fewer --vary alternatives)")
        }
        let fitted = Replicates.run(count: combinations.count, seed: 0, progress: progress) { k, _ in
            fit(table, formula: formula, model: model, options: options, dimensions: dimensions, choice: combinations[k], term: term)
        }
        return try summary(fitted, term: term, alpha: 1 - options.confidenceLevel)
    }

    /// Every index tuple of a product of `counts` alternatives, the last dimension fastest.
    static func product(_ counts: [Int]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for c in counts { out = out.flatMap { prefix in (0..<c).map { prefix + [$0] } } }
        return out
    }

    /// One specification, fitted; failures become a `Specification` with the reason.
    static func fit(_ table: Table, formula: Formula, model: ModelKind, options: EstimationOptions,
                    dimensions: [SpecificationDimension], choice: [Int], term: String) -> Specification {
        let choices = zip(dimensions, choice).map { (name: $0.kind.rawValue, value: $0.alternatives[$1]) }
        let label = choices.map { "\($0.name)=\($0.value.isEmpty ? "none" : $0.value)" }.joined(separator: ", ")
        var scale = OutcomeScale(model: model, transform: .level)
        var rhs = formula.terms.map(\.label), fixed = formula.fixedEffects.map { $0.joined(separator: "^") }.joined(separator: " + ")
        var rows: [Int]? = nil
        do {
            for (dimension, value) in zip(dimensions.map(\.kind), choices.map(\.value)) {
                switch dimension {
                case .model: scale = OutcomeScale(value)!
                case .fixedEffects: fixed = value
                case .controls:
                    let present = rhs
                    rhs += value.split(separator: "+").map(\.trimmingWhitespace).filter { !$0.isEmpty && !present.contains($0) }
                case .sample: if value != "all" { rows = try SampleRule(value)!.rows(of: table) }
                }
            }
        } catch {
            return Specification(label: label, choices: choices, formula: "", model: scale.model, coefficient: nil, observations: 0, failure: "\(error)")
        }
        let lhs = scale.lhs(formula.response.description)
        let text = lhs + " ~ " + (formula.hasIntercept || !fixed.isEmpty ? "" : "0 + ") + (rhs.isEmpty ? "1" : rhs.joined(separator: " + "))
            + (fixed.isEmpty ? "" : " | " + fixed)
        let data = rows.map { table.rows($0) } ?? table
        do {
            let result = try Estimator.fit(data, formula: text, model: scale.model, options: options)
            guard let c = result.coefficient(term) else {
                let why = result.report.droppedTerms.first { $0.term == term }.map(\.note) ?? "\(term) is not a term of this specification."
                return Specification(label: label, choices: choices, formula: text, model: scale.model, coefficient: nil,
                                     observations: result.statistics.observations, failure: why)
            }
            let failure = result.report.converged ? nil : "the estimation did not converge"
            return Specification(label: label, choices: choices, formula: text, model: scale.model, coefficient: failure == nil ? c : nil,
                                 observations: result.statistics.observations, failure: failure)
        } catch {
            return Specification(label: label, choices: choices, formula: text, model: scale.model, coefficient: nil, observations: 0, failure: "\(error)")
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
        let median = m % 2 == 1 ? estimates[m / 2] : (estimates[m / 2 - 1] + estimates[m / 2]) / 2
        let significant = ok.filter { $0.coefficient!.pValue < alpha }
        let n = Double(m)
        return Result(term: term, specifications: ok + all.filter { $0.coefficient == nil }, median: median,
                      shareSignificant: Double(significant.count) / n,
                      shareSignificantPositive: Double(significant.filter { $0.coefficient!.estimate > 0 }.count) / n,
                      shareSignificantNegative: Double(significant.filter { $0.coefficient!.estimate < 0 }.count) / n,
                      alpha: alpha)
    }
}
