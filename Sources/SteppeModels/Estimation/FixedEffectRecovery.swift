/// Fixed-effect coefficients from the part of the linear predictor they explain.
enum FixedEffectRecovery {
    /// Demeans `v` (the outcome, or working outcome, less Xβ and the offset) with the final
    /// weights; returns the coefficients normalised so that the first level (in data order)
    /// of every fixed effect but the first is 0, the difference moved into the first.
    static func estimates(of v: [Double], groupings: [Grouping], weights: [Double]?, tolerance: Double) -> [FixedEffectEstimates] {
        guard !groupings.isEmpty else { return [] }
        var absorber = FixedEffectAbsorber(groupings: groupings, weights: weights)
        absorber.tolerance = tolerance
        return normalised(absorber.demean(v).coefficients, groupings: groupings)
    }

    /// Coefficients α of a fixed-effect fit Dα (from `WithinRegression.Solution.fixedEffects`),
    /// normalised as `estimates(of:groupings:weights:tolerance:)` normalises them.
    static func normalised(_ coefficients: [[Double]], groupings: [Grouping]) -> [FixedEffectEstimates] {
        guard !groupings.isEmpty, coefficients.count == groupings.count else { return [] }
        var alpha = coefficients
        for g in 1..<max(groupings.count, 1) where !alpha[g].isEmpty {
            let shift = alpha[g][0]
            for l in 0..<alpha[g].count { alpha[g][l] -= shift }
            for l in 0..<alpha[0].count { alpha[0][l] += shift }
        }
        return zip(groupings, alpha).map { FixedEffectEstimates(name: $0.name, levels: $0.levels, values: $1) }
    }
}
