import SteppeModels
import SteppeReport

/// The keys of `steppe interaction --format json` besides `tables` and `data`: `model`
/// (the PPML fit, FitResult's contract encoding), `interaction` (the specification and
/// spint's statistics) and `radiation`.
enum InteractionJSON {
    static func fields(gravity: InteractionFit?, radiation: RadiationFit?) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        if let g = gravity {
            out.append(("model", FitJSON.value(g.fit)))
            let m = g.model
            out.append(("interaction", .object([
                ("constraint", .string(m.constraint.rawValue)), ("costFunction", .string(m.costFunction.rawValue)),
                ("costTerm", .string(m.costTerm)), ("formula", .string(m.formula)), ("covariance", .string(m.covariance.description)),
                ("originVariables", .array(m.originVariables.map { .string($0) })),
                ("destinationVariables", .array(m.destinationVariables.map { .string($0) })),
                ("statistics", statistics(g.statistics, quasi: m.covariance == .quasiPoisson)),
                ("excluded", excluded(g.exclusions)),
            ])))
        }
        if let r = radiation {
            out.append(("radiation", .object([
                ("originPopulation", .string(r.model.originPopulation)), ("destinationPopulation", .string(r.model.destinationPopulation)),
                ("regions", .number(Double(r.regions.count))),
                ("finiteSize", statistics(r.statistics, quasi: false)),
                ("uncorrected", statistics(r.statisticsUncorrected, quasi: false)),
                ("excluded", excluded(r.exclusions)),
            ])))
        }
        return out
    }

    static func excluded(_ e: [InteractionExclusion]) -> JSONValue {
        .array(e.map { .object([("reason", .string($0.reason.rawValue)), ("count", .number(Double($0.count)))]) })
    }

    /// The statistics object; a statistic that does not exist (quasi-Poisson likelihoods) or
    /// is not finite is null, with its reason under `nullReasons`.
    static func statistics(_ s: InteractionStatistics, quasi: Bool) -> JSONValue {
        let values: [(String, Double?)] = [
            ("nobs", Double(s.observations)), ("parameterCount", Double(s.parameterCount)),
            ("deviance", s.deviance), ("nullDeviance", s.nullDeviance), ("d2", s.d2), ("adjustedD2", s.adjustedD2),
            ("logLikelihood", s.logLikelihood), ("nullLogLikelihood", s.nullLogLikelihood),
            ("pseudoRSquared", s.pseudoRSquared), ("adjustedPseudoRSquared", s.adjustedPseudoRSquared), ("aic", s.aic),
            ("ssi", s.ssi), ("srmse", s.srmse), ("cpc", s.cpc), ("pearsonDispersion", s.pearsonDispersion),
        ]
        var fields: [(String, JSONValue)] = [], reasons: [(String, JSONValue)] = []
        for (key, value) in values {
            if let v = value, v.isFinite { fields.append((key, .number(v))); continue }
            fields.append((key, .null))
            reasons.append((key, .string(value == nil && quasi ? "quasi-Poisson has no likelihood (spint reports not-a-number)" : "not finite: \(value.map { "\($0)" } ?? "undefined")")))
        }
        if !reasons.isEmpty { fields.append(("nullReasons", .object(reasons))) }
        return .object(fields)
    }
}
