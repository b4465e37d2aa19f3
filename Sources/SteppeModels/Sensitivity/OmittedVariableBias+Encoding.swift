/// The `results` object of `steppe sensitivity ovb --format json`: the keys of
/// docs/steppe-output.schema.json. Numbers that are not finite encode as `null`, with the
/// reason under `nullReasons`.
extension OmittedVariableBias.Result: Encodable {
    enum CodingKeys: String, CodingKey {
        case treatment, estimate, stdError, tStatistic, degreesOfFreedom, partialR2, partialF2, robustnessValue,
             robustnessValueAlpha, q, alpha, reduce, bounds, contour, warnings
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(treatment, forKey: .treatment)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(standardError, forKey: .stdError)
        try c.encode(tStatistic, forKey: .tStatistic)
        try c.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
        try c.encode(partialR2, forKey: .partialR2)
        try c.encode(partialF2, forKey: .partialF2)
        try c.encode(robustnessValue, forKey: .robustnessValue)
        try c.encode(robustnessValueAlpha, forKey: .robustnessValueAlpha)
        try c.encode(q, forKey: .q)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(reduce, forKey: .reduce)
        try c.encode(bounds, forKey: .bounds)
        try c.encode(contour, forKey: .contour)
        try c.encode(warnings, forKey: .warnings)
    }
}

extension OmittedVariableBias.Bound: Encodable {
    enum CodingKeys: String, CodingKey {
        case benchmark, kd, ky, r2dzx, r2yzdx, adjustedEstimate, adjustedStdError, adjustedT, adjustedConfLow,
             adjustedConfHigh, nullReasons
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(benchmark, forKey: .benchmark)
        try c.encode(kd, forKey: .kd)
        try c.encode(ky, forKey: .ky)
        try c.encode(r2dzx, forKey: .r2dzx)
        try c.encode(r2yzdx, forKey: .r2yzdx)
        let values: [(CodingKeys, Double)] = [(.adjustedEstimate, adjustedEstimate), (.adjustedStdError, adjustedStandardError),
                                              (.adjustedT, adjustedT), (.adjustedConfLow, adjustedConfidenceLow),
                                              (.adjustedConfHigh, adjustedConfidenceHigh)]
        for (key, value) in values { try c.encode(value, forKey: key) }
        let missing = values.filter { !$0.1.isFinite }.map(\.0.rawValue)
        if !missing.isEmpty {
            var reasons = c.nestedContainer(keyedBy: NullReasonKey.self, forKey: .nullReasons)
            for key in missing {
                try reasons.encode("not finite: the confounder explains all of the outcome's residual variance (r2yzdx = 1), so the adjusted standard error is 0",
                                   forKey: NullReasonKey(key))
            }
        }
    }
}

/// A key of a `nullReasons` object: the name of the key whose value is null.
struct NullReasonKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
