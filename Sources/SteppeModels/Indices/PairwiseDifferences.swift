import SteppeNumerics

/// Σ_a Σ_b |x_a − x_b| over all ordered pairs of `values`, the numerator of every Gini
/// index, in O(K log K) rather than the O(K²) of migration.indices' `dist()`:
/// with x_(1) ≤ … ≤ x_(K) sorted, Σ_a Σ_b |x_a − x_b| = 2 Σ_k (2k − K − 1) x_(k).
/// The sum is compensated (double-double), so it agrees with the direct sum to ~1e-15.
enum PairwiseDifferences {
    static func sum(_ values: [Double]) -> Double {
        let x = values.sorted()
        let k = Double(x.count)
        var s = CompensatedSum()
        for (r, v) in x.enumerated() { s.add((2 * Double(r + 1) - k - 1) * v) }
        return 2 * s.value
    }
}
