import SteppeData

/// One specification of a curve before it is fitted: the choices, and what they make of
/// the base model (estimator and outcome scale, right-hand side, fixed effects, sample).
struct SpecificationPlan: Sendable {
    /// (dimension, alternative) pairs, in the order of the dimensions.
    let choices: [(name: String, value: String)]
    let scale: OutcomeScale
    /// Right-hand-side terms as written: the base formula's, then the controls added.
    let rhs: [String]
    /// The fixed effects in formula syntax, "" for none.
    let fixedEffects: String
    /// The sample rule, `nil` for all rows.
    let sample: SampleRule?
    /// Whether the base formula has an intercept.
    let intercept: Bool
    /// The base formula's outcome on its level scale.
    let response: String

    /// "fe=origin, model=ols-log": the choices, "none" for an empty alternative.
    var label: String {
        choices.map { "\($0.name)=\($0.value.isEmpty ? "none" : $0.value)" }.joined(separator: ", ")
    }

    /// The formula this specification fits.
    var formulaText: String { Self.formula(lhs: scale.lhs(response), rhs: rhs, fixedEffects: fixedEffects, intercept: intercept) }

    /// The frame key: specifications with the same outcome scale and fixed effects can share
    /// one model frame (their right-hand sides are columns of it, their samples rows of it).
    var frameKey: String { "\(scale.transform)|\(fixedEffects)" }

    /// `lhs ~ rhs | fixedEffects`, with `0 +` when there is neither intercept nor fixed effect.
    static func formula(lhs: String, rhs: [String], fixedEffects: String, intercept: Bool) -> String {
        lhs + " ~ " + (intercept || !fixedEffects.isEmpty ? "" : "0 + ") + (rhs.isEmpty ? "1" : rhs.joined(separator: " + "))
            + (fixedEffects.isEmpty ? "" : " | " + fixedEffects)
    }

    /// The plan of combination `choice` (one alternative index per dimension) around `formula`.
    /// - Throws: `ModelError.invalidOption` when a sample alternative cannot be parsed.
    init(formula: Formula, model: ModelKind, dimensions: [SpecificationDimension], choice: [Int]) throws(ModelError) {
        let choices = zip(dimensions, choice).map { (name: $0.kind.rawValue, value: $0.alternatives[$1]) }
        var scale = OutcomeScale(model: model, transform: .level)
        var rhs = formula.terms.map(\.label)
        var fixed = formula.fixedEffects.map { $0.map(Expression.quoteIfNeeded).joined(separator: "^") }.joined(separator: " + ")
        var sample: SampleRule? = nil
        for (dimension, value) in zip(dimensions.map(\.kind), choices.map(\.value)) {
            switch dimension {
            case .model: scale = OutcomeScale(value)!
            case .fixedEffects: fixed = value
            case .controls:
                let present = rhs
                rhs += value.split(separator: "+").map(\.trimmingWhitespace).filter { !$0.isEmpty && !present.contains($0) }
            case .sample:
                if value != "all" {
                    guard let rule = SampleRule(value) else { throw .invalidOption("--vary sample: '\(value)' is not a sample rule") }
                    sample = rule
                }
            }
        }
        self.choices = choices
        self.scale = scale
        self.rhs = rhs
        self.fixedEffects = fixed
        self.sample = sample
        self.intercept = formula.hasIntercept
        self.response = formula.response.description
    }
}
