/// Labels set beside the ends of lines, spread apart vertically so that none overlaps
/// another: the direct labelling that replaces a legend when lines are many (Cleveland
/// 1994, *The Elements of Graphing Data*, p. 145: "put labels next to the curves").
public enum DirectLabels {
    /// The baselines for labels wanted at `wanted` (any order), at least `spacing` apart
    /// and, when there is room, inside `bounds`: each label as near its line's end as the
    /// others allow.
    ///
    /// The labels are sorted by their wanted position and pushed down where they crowd
    /// (one pass), then pulled back up from the bottom bound (a second pass), and pushed
    /// down from the top bound again (a third), which leaves every gap ≥ `spacing` and
    /// moves each label the least a sweep of this kind can. When the labels need more
    /// than the bounds hold, they run past the bottom. Returns the positions in the order
    /// of `wanted`. O(n log n).
    public static func spread(_ wanted: [Double], spacing: Double, within bounds: ClosedRange<Double>) -> [Double] {
        let order = wanted.indices.sorted { (wanted[$0], $0) < (wanted[$1], $1) }
        var y = order.map { min(max(wanted[$0], bounds.lowerBound), bounds.upperBound) }
        guard !y.isEmpty else { return [] }
        for k in 1..<y.count { y[k] = max(y[k], y[k - 1] + spacing) }
        y[y.count - 1] = min(y[y.count - 1], bounds.upperBound)
        for k in stride(from: y.count - 2, through: 0, by: -1) { y[k] = min(y[k], y[k + 1] - spacing) }
        y[0] = max(y[0], bounds.lowerBound)
        for k in 1..<y.count { y[k] = max(y[k], y[k - 1] + spacing) }
        var out = [Double](repeating: 0, count: y.count)
        for (k, i) in order.enumerated() { out[i] = y[k] }
        return out
    }
}
