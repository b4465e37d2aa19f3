/// Removes observations that fixed effects fit perfectly: singletons, and (for
/// Poisson-type models) groups whose outcomes are all zero. Iterated to a fixed point,
/// because each removal can create new cases in another grouping.
///
/// - Singletons (reghdfe/ppmlhdfe's default; fixest keeps them): a group of one
///   observation has its own parameter, fits it exactly and contributes nothing to
///   the slopes, but keeping it understates the standard errors (Correia 2015).
/// - All-zero groups (fixest's `fixef.rm = "perfect"`): the group's fixed effect
///   tends to −∞; those observations are separated by the fixed effect alone.
enum SampleTrimming {
    struct Outcome {
        var keep: [Bool]
        var singletons = 0
        var zeroGroups = 0
        /// Grouping names with all-zero groups found, in order.
        var zeroGroupingNames: [String] = []
    }

    static func trim(groupings: [Grouping], response: [Double], keep initial: [Bool],
                     dropSingletons: Bool, dropZeroOutcomeGroups: Bool) -> Outcome {
        var out = Outcome(keep: initial)
        guard !groupings.isEmpty, dropSingletons || dropZeroOutcomeGroups else { return out }
        var changed = true
        while changed {
            changed = false
            for g in groupings {
                var counts = [Int](repeating: 0, count: g.levelCount)
                var positive = [Bool](repeating: false, count: g.levelCount)
                for (i, c) in g.codes.enumerated() where out.keep[i] {
                    counts[Int(c)] += 1
                    if response[i] != 0 { positive[Int(c)] = true }
                }
                for (i, c) in g.codes.enumerated() where out.keep[i] {
                    let level = Int(c)
                    if dropZeroOutcomeGroups && !positive[level] {
                        out.keep[i] = false
                        out.zeroGroups += 1
                        if !out.zeroGroupingNames.contains(g.name) { out.zeroGroupingNames.append(g.name) }
                        changed = true
                    } else if dropSingletons && counts[level] == 1 {
                        out.keep[i] = false
                        out.singletons += 1
                        changed = true
                    }
                }
            }
        }
        return out
    }
}
