/// The `results` object of `steppe sensitivity eba --format json`: the keys of
/// docs/steppe-output.schema.json. Numbers that are not finite encode as `null`, with the
/// reason under `nullReasons`.
extension ExtremeBounds.Result: Encodable {
    enum CodingKeys: String, CodingKey {
        case combinations, drawn, regressions, omitted, level, criticalValue, weighting, maximumVIF, k, focus, free, doubtful, variables
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(combinations, forKey: .combinations)
        try c.encodeIfPresent(drawn, forKey: .drawn)
        try c.encode(regressions, forKey: .regressions)
        try c.encode(omitted, forKey: .omitted)
        try c.encode(level, forKey: .level)
        try c.encode(criticalValue, forKey: .criticalValue)
        try c.encode(weighting, forKey: .weighting)
        try c.encodeIfPresent(maximumVIF, forKey: .maximumVIF)
        try c.encode(k, forKey: .k)
        try c.encode(focus, forKey: .focus)
        try c.encode(free, forKey: .free)
        try c.encode(doubtful, forKey: .doubtful)
        try c.encode(variables, forKey: .variables)
    }
}

extension ExtremeBounds.Variable: Encodable {
    enum CodingKeys: String, CodingKey {
        case term, type, regressions, coefficientsUsed, weightedMean, weightedStdError, weightedVariance, shareNegative,
             sharePositive, shareSignificantPositive, shareSignificantNegative, leamerLow, leamerHigh, leamerRobust,
             cdfNormalBelowZero, cdfGenericBelowZero, nullReasons
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(term, forKey: .term)
        try c.encode(role, forKey: .type)
        try c.encode(regressions, forKey: .regressions)
        try c.encode(coefficientsUsed, forKey: .coefficientsUsed)
        let values: [(CodingKeys, Double)] = [
            (.weightedMean, weightedMean), (.weightedStdError, weightedStandardError), (.weightedVariance, weightedVariance),
            (.shareNegative, shareNegative), (.sharePositive, sharePositive),
            (.shareSignificantPositive, shareSignificantPositive), (.shareSignificantNegative, shareSignificantNegative),
            (.leamerLow, leamerLow), (.leamerHigh, leamerHigh),
        ]
        for (key, value) in values { try c.encode(value, forKey: key) }
        if let leamerRobust { try c.encode(leamerRobust, forKey: .leamerRobust) } else { try c.encodeNil(forKey: .leamerRobust) }
        try c.encode(cdfNormalBelowZero, forKey: .cdfNormalBelowZero)
        try c.encode(cdfGenericBelowZero, forKey: .cdfGenericBelowZero)
        let missing = values.filter { !$0.1.isFinite }.map(\.0.rawValue)
            + (leamerRobust == nil ? ["leamerRobust"] : [])
            + [(CodingKeys.cdfNormalBelowZero, cdfNormalBelowZero), (.cdfGenericBelowZero, cdfGenericBelowZero)]
                .filter { !$0.1.isFinite }.map(\.0.rawValue)
        if !missing.isEmpty {
            let why = coefficientsUsed == 0
                ? "no coefficient was used: every one exceeded the VIF limit, or no regression was kept"
                : "not finite: a standard error of 0 or a zero total weight"
            var reasons = c.nestedContainer(keyedBy: NullReasonKey.self, forKey: .nullReasons)
            for key in missing { try reasons.encode(why, forKey: NullReasonKey(key)) }
        }
    }
}
