extension FitResult {
    /// Encodes the contract's model object (ARCHITECTURE.md, "The JSON contract"), in this
    /// order: model, formula, response, link, nobs, rowsInData, converged, iterations,
    /// criterion, tolerance, coefficients, vcov, statistics, fixedEffects, dropped,
    /// warnings; then, unless `userInfo[.fitResultContractOnly]` is `true`, sample,
    /// responseValues, fittedValues, linearPredictor and design.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: FitCodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(formula, forKey: .formula)
        try c.encode(responseName, forKey: .response)
        try c.encodeIfPresent(link, forKey: .link)
        try c.encode(statistics.observations, forKey: .nobs)
        try c.encode(report.rowsInData, forKey: .rowsInData)
        try c.encode(report.converged, forKey: .converged)
        try c.encode(report.iterations, forKey: .iterations)
        try c.encodeIfPresent(report.criterion.flatMap { $0.isFinite ? $0 : nil }, forKey: .criterion)   // a number or absent (schema)
        try c.encodeIfPresent(report.tolerance, forKey: .tolerance)
        var coefficientList = c.nestedUnkeyedContainer(forKey: .coefficients)
        for coefficient in coefficients {
            var object = coefficientList.nestedContainer(keyedBy: Coefficient.CodingKeys.self)
            try coefficient.encodeFields(into: &object, context: whyNotFinite, known: undefinedReasons)
        }
        var vcov = c.nestedContainer(keyedBy: VcovCodingKeys.self, forKey: .vcov)
        try encodeCovariance(into: &vcov)
        var stats = c.nestedContainer(keyedBy: FitStatistics.CodingKeys.self, forKey: .statistics)
        try statistics.encodeFields(into: &stats, context: whyNotFinite, known: undefinedReasons)
        try c.encode(fixedEffects, forKey: .fixedEffects)
        var dropped = c.nestedContainer(keyedBy: DroppedCodingKeys.self, forKey: .dropped)
        try dropped.encode(report.droppedObservations, forKey: .observations)
        try dropped.encode(report.droppedTerms, forKey: .terms)
        try c.encode(report.warnings, forKey: .warnings)
        guard encoder.userInfo[.fitResultContractOnly] as? Bool != true else { return }
        try c.encode(sample, forKey: .sample)
        try c.encode(response, forKey: .responseValues)
        try c.encode(fittedValues, forKey: .fittedValues)
        try c.encode(linearPredictor, forKey: .linearPredictor)
        try c.encode(design, forKey: .design)
    }

    /// vcov: type (iid, hetero or cluster), variant (hc0…hc3), clusters and clusterCounts,
    /// smallSample, test (t or normal), degreesOfFreedom, confidenceLevel, matrix (k×k, rows
    /// in the order of `coefficients`).
    private func encodeCovariance(into v: inout KeyedEncodingContainer<VcovCodingKeys>) throws {
        switch covarianceType {
        case .iid:
            try v.encode("iid", forKey: .type)
        case .heteroskedastic(let variant):
            try v.encode("hetero", forKey: .type)
            try v.encode(variant, forKey: .variant)
        case .cluster(let names):
            try v.encode("cluster", forKey: .type)
            try v.encode(names, forKey: .clusters)
            try v.encode(clusterCounts, forKey: .clusterCounts)
        }
        try v.encode(smallSampleCorrection, forKey: .smallSample)
        try v.encode(testDistribution, forKey: .test)
        try v.encodeIfPresent(degreesOfFreedom, forKey: .degreesOfFreedom)
        try v.encode(confidenceLevel, forKey: .confidenceLevel)
        var rows = v.nestedUnkeyedContainer(forKey: .matrix)
        var reasons: [(String, String)] = []
        for row in covariance {
            var cells = rows.nestedUnkeyedContainer()
            for x in row {
                if x.isFinite { try cells.encode(x) } else { try cells.encodeNil() }
            }
        }
        if covariance.joined().contains(where: { !$0.isFinite }) { reasons.append(("matrix", undefinedReasons["matrix"] ?? "not finite: " + whyNotFinite)) }
        if !reasons.isEmpty { try v.encode(OrderedStrings(pairs: reasons), forKey: .nullReasons) }
    }

    /// Why an inference figure of this fit may not be a finite number, for `nullReasons`.
    var whyNotFinite: String {
        if statistics.residualDegreesOfFreedom <= 0 {
            return "no residual degrees of freedom (\(statistics.observations) observations, \(statistics.parameterCount) parameters)"
        }
        if let fewest = clusterCounts.min(), fewest < 2 { return "fewer than two clusters; use --vcov hetero (or iid) for this fit" }
        if !report.warnings.isEmpty { return "see the fit's warnings" }
        return "the figure is not defined for this fit"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FitCodingKeys.self)
        let v = try c.nestedContainer(keyedBy: VcovCodingKeys.self, forKey: .vcov)
        var report = EstimationReport(rowsInData: try c.decode(Int.self, forKey: .rowsInData))
        report.converged = try c.decode(Bool.self, forKey: .converged)
        report.iterations = try c.decode(Int.self, forKey: .iterations)
        report.criterion = try c.decodeIfPresent(Double.self, forKey: .criterion)
        report.tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance)
        let dropped = try c.nestedContainer(keyedBy: DroppedCodingKeys.self, forKey: .dropped)
        report.droppedObservations = try dropped.decode([DroppedObservations].self, forKey: .observations)
        report.droppedTerms = try dropped.decode([DroppedTerm].self, forKey: .terms)
        report.warnings = try c.decode([String].self, forKey: .warnings)
        guard c.contains(.design) else {
            throw DecodingError.keyNotFound(FitCodingKeys.design, DecodingError.Context(
                codingPath: c.codingPath,
                debugDescription: "the contract view of a fit (without sample and design) cannot be decoded into a FitResult; encode the full FitResult"))
        }
        let matrix = try v.decode([[Double?]].self, forKey: .matrix).map { $0.map { $0 ?? .nan } }
        self.init(model: try c.decode(ModelKind.self, forKey: .model), formula: try c.decode(String.self, forKey: .formula),
                  responseName: try c.decode(String.self, forKey: .response), link: try c.decodeIfPresent(Link.self, forKey: .link),
                  coefficients: try c.decode([Coefficient].self, forKey: .coefficients), covariance: matrix,
                  covarianceType: try Self.decodeCovarianceType(v),
                  smallSampleCorrection: try v.decode(SmallSampleCorrection.self, forKey: .smallSample),
                  degreesOfFreedom: try v.decodeIfPresent(Double.self, forKey: .degreesOfFreedom),
                  confidenceLevel: try v.decode(Double.self, forKey: .confidenceLevel),
                  clusterCounts: try v.decodeIfPresent([Int].self, forKey: .clusterCounts) ?? [],
                  statistics: try c.decode(FitStatistics.self, forKey: .statistics), report: report,
                  fixedEffects: try c.decode([FixedEffectEstimates].self, forKey: .fixedEffects),
                  sample: try c.decode([Int].self, forKey: .sample), response: try c.decode([Double].self, forKey: .responseValues),
                  fittedValues: try c.decode([Double].self, forKey: .fittedValues),
                  linearPredictor: try c.decode([Double].self, forKey: .linearPredictor),
                  design: try c.decode(DesignSpecification.self, forKey: .design))
        undefinedReasons = try Self.decodeReasons(c, vcov: v)
    }

    /// The `nullReasons` of the statistics, the vcov and the coefficients, back into `undefinedReasons`.
    private static func decodeReasons(_ c: KeyedDecodingContainer<FitCodingKeys>,
                                      vcov v: KeyedDecodingContainer<VcovCodingKeys>) throws -> [String: String] {
        struct Reasons: Decodable { let nullReasons: [String: String]? }
        var reasons = try v.decodeIfPresent([String: String].self, forKey: .nullReasons) ?? [:]
        let stats = try c.decode(Reasons.self, forKey: .statistics)
        reasons.merge(stats.nullReasons ?? [:]) { a, _ in a }
        for coefficient in try c.decode([Reasons].self, forKey: .coefficients) {
            reasons.merge(coefficient.nullReasons ?? [:]) { a, _ in a }
        }
        return reasons
    }

    private static func decodeCovarianceType(_ v: KeyedDecodingContainer<VcovCodingKeys>) throws -> CovarianceType {
        switch try v.decode(String.self, forKey: .type) {
        case "iid": return .iid
        case "hetero": return .heteroskedastic(try v.decode(CovarianceType.HCVariant.self, forKey: .variant))
        case "cluster": return .cluster(try v.decode([String].self, forKey: .clusters))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: v, debugDescription: "unknown vcov type '\(other)'")
        }
    }
}
