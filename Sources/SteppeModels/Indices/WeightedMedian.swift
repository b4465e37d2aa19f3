/// The interpolated weighted median of matrixStats::weightedMedian(x, w) with its
/// defaults (`interpolate = TRUE`, `ties = NULL`), as migest's index_distance calls it.
///
/// Points with weight ≤ 0 are dropped; the rest are sorted by x and given the normalized
/// cumulative weight at their midpoint, c_k = Σ_{l≤k} w_l − w_k / 2 (Σ w = 1). With h the
/// first k where c_k ≥ ½, the median is x_h + (½ − c_h) / (c_h − c_{h−1}) · (x_h − x_{h−1})
/// (x_1 when h = 1).
///
/// Ties: matrixStats sorts with R's quicksort, which does not keep tied values in their
/// order, and c_h depends on the order of tied points; here tied points keep the order
/// they are given in (a stable sort, `RadixOrder`). Where R's sort leaves ties in order
/// the two agree exactly (IndicesTests checks both). x must be finite.
enum WeightedMedian {
    static func of(_ x: [Double], weights w: [Double]) -> Double? {
        let kept = (0..<x.count).filter { w[$0] > 0 }
        guard !kept.isEmpty else { return nil }
        let order = x.withUnsafeBufferPointer { RadixOrder.sorted(kept, by: $0) }
        let total = order.reduce(0) { $0 + w[$1] }
        var cumulative = 0.0, previous = 0.0
        for (k, index) in order.enumerated() {
            let share = w[index] / total
            cumulative += share
            let c = cumulative - share / 2
            if c >= 0.5 {
                if k == 0 { return x[index] }
                let below = x[order[k - 1]]
                return x[index] + (0.5 - c) / (c - previous) * (x[index] - below)
            }
            previous = c
        }
        return x[order.last!]
    }
}
