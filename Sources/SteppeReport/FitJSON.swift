import SteppeModels

/// The JSON of a fit: DESIGN.md's contract for `steppe fit --format json`.
///
/// Keys, in order: model, formula, nobs, converged, iterations, criterion, coefficients
/// (term, estimate, stdError, statistic, pValue, confLow, confHigh), vcov (type,
/// clusters, clusterCounts, smallSample), statistics (only those that apply), dropped
/// (observations: reason, count, variable; terms: term, reason), warnings. Keys may be
/// added in later versions, never renamed.
public enum FitJSON {
    /// One fit as a JSON object.
    public static func value(_ fit: FitResult) -> JSONValue {
        var vcov: [(String, JSONValue)] = []
        switch fit.covarianceType {
        case .iid: vcov.append(("type", .string("iid")))
        case .heteroskedastic(let v): vcov.append(("type", .string("hetero"))); vcov.append(("variant", .string(v.rawValue)))
        case .cluster(let names):
            vcov.append(("type", .string("cluster")))
            vcov.append(("clusters", .array(names.map { .string($0) })))
            vcov.append(("clusterCounts", .array(fit.clusterCounts.map { .number(Double($0)) })))
        }
        vcov.append(("smallSample", .string(fit.smallSampleCorrection.rawValue)))
        vcov.append(("test", .string(fit.testDistribution)))
        if let df = fit.degreesOfFreedom { vcov.append(("degreesOfFreedom", .number(df))) }

        let s = fit.statistics
        var stats: [(String, JSONValue)] = []
        func add(_ key: String, _ v: Double?) { if let v, v.isFinite { stats.append((key, .number(v))) } }
        add("rSquared", s.rSquared)
        add("adjustedRSquared", s.adjustedRSquared)
        add("withinRSquared", s.withinRSquared)
        add("pseudoRSquared", s.pseudoRSquared)
        add("adjustedPseudoRSquared", s.adjustedPseudoRSquared)
        add("squaredCorrelation", s.squaredCorrelation)
        add("residualStdError", s.residualStandardError)
        add("deviance", s.deviance)
        add("nullDeviance", s.nullDeviance)
        add("logLikelihood", s.logLikelihood)
        add("aic", s.aic)
        add("bic", s.bic)
        add("theta", s.theta)
        add("dispersion", s.dispersion)

        var obj: [(String, JSONValue)] = [
            ("model", .string(fit.model)),
            ("formula", .string(fit.formula)),
            ("nobs", .number(Double(s.observations))),
            ("converged", .bool(fit.report.converged)),
            ("iterations", .number(Double(fit.report.iterations))),
        ]
        if let c = fit.report.criterion { obj.append(("criterion", .number(c))) }
        obj.append(("coefficients", .array(fit.coefficients.map { c in
            .object([("term", .string(c.term)), ("estimate", .number(c.estimate)), ("stdError", .number(c.standardError)),
                     ("statistic", .number(c.statistic)), ("pValue", .number(c.pValue)),
                     ("confLow", .number(c.confidenceLow)), ("confHigh", .number(c.confidenceHigh))])
        })))
        obj.append(("vcov", .object(vcov)))
        obj.append(("statistics", .object(stats)))
        if !fit.fixedEffects.isEmpty {
            obj.append(("fixedEffects", .array(fit.fixedEffects.map { fe in
                .object([("name", .string(fe.name)), ("levels", .number(Double(fe.levels.count)))])
            })))
        }
        obj.append(("dropped", .object([
            ("observations", .array(fit.report.droppedObservations.map { d in
                var o: [(String, JSONValue)] = [("reason", .string(d.reason.rawValue)), ("count", .number(Double(d.count)))]
                if let v = d.variable { o.append(("variable", .string(v))) }
                return .object(o)
            })),
            ("terms", .array(fit.report.droppedTerms.map { t in
                .object([("term", .string(t.term)), ("reason", .string(t.reason.rawValue))])
            })),
        ])))
        obj.append(("warnings", .array(fit.report.warnings.map { .string($0) })))
        return .object(obj)
    }
}
