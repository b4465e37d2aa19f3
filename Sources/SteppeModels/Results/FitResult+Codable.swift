extension CodingUserInfoKey {
    /// Set to `true` to encode a `FitResult` as the contract's model object only, without
    /// the per-observation vectors and the design (what `steppe fit --format json` prints).
    public static let fitResultContractOnly = CodingUserInfoKey(rawValue: "steppe.fitResult.contractOnly")!
}

/// Keys of the JSON contract for one fit, in the order they are written. Keys may be
/// added, never renamed (CHANGELOG.md).
enum FitCodingKeys: String, CodingKey {
    case model, formula, response, link, nobs, rowsInData, converged, iterations, criterion, tolerance
    case coefficients, vcov, statistics, fixedEffects, dropped, warnings
    case sample, responseValues, fittedValues, linearPredictor, design
}

enum VcovCodingKeys: String, CodingKey {
    case type, variant, clusters, clusterCounts, smallSample, test, degreesOfFreedom, confidenceLevel, matrix, nullReasons
}

enum DroppedCodingKeys: String, CodingKey { case observations, terms }

/// Writes a number as the contract does: finite numbers as they are, anything else as
/// `null` with a sentence in `reasons[key]` (JSON has no NaN or infinity, and a bare null
/// would not say why).
struct FiniteNumberWriter<Key: CodingKey> {
    var reasons: [(String, String)] = []
    let context: String
    /// Reasons by key that replace "not defined: context" (`FitResult.undefinedReasons`).
    var known: [String: String] = [:]

    mutating func encode(_ x: Double, forKey key: Key, in container: inout KeyedEncodingContainer<Key>) throws {
        if x.isFinite { try container.encode(x, forKey: key); return }
        try container.encodeNil(forKey: key)
        reasons.append((key.stringValue, known[key.stringValue] ?? ((x.isNaN ? "not defined" : "infinite") + ": " + context)))
    }

    mutating func encodeIfPresent(_ x: Double?, forKey key: Key, in container: inout KeyedEncodingContainer<Key>) throws {
        if let x { try encode(x, forKey: key, in: &container) }
    }

    /// Writes `nullReasons` when some number was not finite.
    func finish(_ container: inout KeyedEncodingContainer<Key>, key: Key) throws {
        guard !reasons.isEmpty else { return }
        try container.encode(OrderedStrings(pairs: reasons), forKey: key)
    }
}

/// String pairs written as a JSON object in their order.
struct OrderedStrings: Encodable {
    let pairs: [(String, String)]
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (k, v) in pairs { try c.encode(v, forKey: Key(stringValue: k)) }
    }
}

extension Coefficient {
    enum CodingKeys: String, CodingKey { case term, estimate, stdError, statistic, pValue, confLow, confHigh, nullReasons }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &c, context: "see the fit's warnings")
    }

    /// The fields, with `known[key]` or else `context` as the reason given for a number that is not finite.
    func encodeFields(into c: inout KeyedEncodingContainer<CodingKeys>, context: String, known: [String: String] = [:]) throws {
        var numbers = FiniteNumberWriter<CodingKeys>(context: context, known: known)
        try c.encode(term, forKey: .term)
        try numbers.encode(estimate, forKey: .estimate, in: &c)
        try numbers.encode(standardError, forKey: .stdError, in: &c)
        try numbers.encode(statistic, forKey: .statistic, in: &c)
        try numbers.encode(pValue, forKey: .pValue, in: &c)
        try numbers.encode(confidenceLow, forKey: .confLow, in: &c)
        try numbers.encode(confidenceHigh, forKey: .confHigh, in: &c)
        try numbers.finish(&c, key: .nullReasons)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? .nan }
        self.init(term: try c.decode(String.self, forKey: .term), estimate: try number(.estimate),
                  standardError: try number(.stdError), statistic: try number(.statistic), pValue: try number(.pValue),
                  confidenceLow: try number(.confLow), confidenceHigh: try number(.confHigh))
    }
}

extension FitStatistics {
    enum CodingKeys: String, CodingKey {
        case observations = "nobs", parameterCount, residualDegreesOfFreedom
        case rSquared, adjustedRSquared, withinRSquared, pseudoRSquared, adjustedPseudoRSquared, squaredCorrelation
        case residualStandardError = "residualStdError"
        case deviance, nullDeviance, logLikelihood, nullLogLikelihood, aic, bic, theta, dispersion, nullReasons
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try encodeFields(into: &c, context: "see the fit's warnings")
    }

    func encodeFields(into c: inout KeyedEncodingContainer<CodingKeys>, context: String, known: [String: String] = [:]) throws {
        var numbers = FiniteNumberWriter<CodingKeys>(context: context, known: known)
        try c.encode(observations, forKey: .observations)
        try c.encode(parameterCount, forKey: .parameterCount)
        try c.encode(residualDegreesOfFreedom, forKey: .residualDegreesOfFreedom)
        let optional: [(Double?, CodingKeys)] = [
            (rSquared, .rSquared), (adjustedRSquared, .adjustedRSquared), (withinRSquared, .withinRSquared),
            (pseudoRSquared, .pseudoRSquared), (adjustedPseudoRSquared, .adjustedPseudoRSquared),
            (squaredCorrelation, .squaredCorrelation), (residualStandardError, .residualStandardError),
            (deviance, .deviance), (nullDeviance, .nullDeviance), (logLikelihood, .logLikelihood),
            (nullLogLikelihood, .nullLogLikelihood), (aic, .aic), (bic, .bic), (theta, .theta), (dispersion, .dispersion),
        ]
        for (value, key) in optional { try numbers.encodeIfPresent(value, forKey: key, in: &c) }
        try numbers.finish(&c, key: .nullReasons)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(observations: try c.decode(Int.self, forKey: .observations),
                  parameterCount: try c.decode(Int.self, forKey: .parameterCount),
                  residualDegreesOfFreedom: try c.decode(Int.self, forKey: .residualDegreesOfFreedom))
        func number(_ key: CodingKeys) throws -> Double? {
            guard c.contains(key) else { return nil }
            return try c.decodeIfPresent(Double.self, forKey: key) ?? .nan
        }
        rSquared = try number(.rSquared)
        adjustedRSquared = try number(.adjustedRSquared)
        withinRSquared = try number(.withinRSquared)
        pseudoRSquared = try number(.pseudoRSquared)
        adjustedPseudoRSquared = try number(.adjustedPseudoRSquared)
        squaredCorrelation = try number(.squaredCorrelation)
        residualStandardError = try number(.residualStandardError)
        deviance = try number(.deviance)
        nullDeviance = try number(.nullDeviance)
        logLikelihood = try number(.logLikelihood)
        nullLogLikelihood = try number(.nullLogLikelihood)
        aic = try number(.aic)
        bic = try number(.bic)
        theta = try number(.theta)
        dispersion = try number(.dispersion)
    }
}

extension FixedEffectEstimates {
    enum CodingKeys: String, CodingKey { case name, levelCount, levels, values }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(levels.count, forKey: .levelCount)
        guard encoder.userInfo[.fitResultContractOnly] as? Bool != true else { return }
        try c.encode(levels, forKey: .levels)
        try c.encode(values, forKey: .values)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), levels: try c.decode([String].self, forKey: .levels),
                  values: try c.decode([Double].self, forKey: .values))
    }
}
