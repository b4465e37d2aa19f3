/// Quantiles of a sample, for the summaries of replicates and specifications.
public enum SampleQuantile {
    /// The p-quantile of sorted values by linear interpolation between order statistics
    /// (R's quantile type 7, numpy's default): x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋₊₁₎ − x₍⌊h⌋₎),
    /// h = (n − 1)p; NaN for no values.
    public static func type7(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The median of sorted values: the middle one, or the mean (a + b)/2 of the two middle
    /// ones (as R's median); NaN for no values.
    public static func median(sorted: [Double]) -> Double {
        let m = sorted.count
        guard m > 0 else { return .nan }
        return m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2
    }
}
