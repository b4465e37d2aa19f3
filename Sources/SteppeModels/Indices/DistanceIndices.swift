/// migest's `index_distance(m, d)` (Bell et al. 2002, Table 6), over the pairs of
/// distinct regions:
/// - `mean` = Σ m_ij d_ij / Σ m_ij: the mean distance of a move,
///   matrixStats::weightedMean(dist, flow).
/// - `median`: the flow-weighted median distance, matrixStats::weightedMedian(dist, flow)
///   (interpolated; `WeightedMedian`, which says how ties are ordered).
/// - `decay`: the coefficient of log(dist) in the Poisson GLM
///   `round(flow) ~ orig + dest + log(dist)` (`DistanceDecayFit`); negative when flows
///   fall with distance.
enum DistanceIndices {
    static func compute(_ matrix: MigrationMatrix, total: Double, distances d: [Double]) -> [IndexValue] {
        let n = matrix.count, f = matrix.flows
        var weighted = 0.0
        for i in 0..<n { for j in 0..<n where j != i { weighted += f[i * n + j] * d[i * n + j] } }
        // Every cell: the diagonal's flows are zero, so the median drops them with the other zero weights.
        let median = WeightedMedian.of(d, weights: f)
        let decay = DistanceDecayFit.fit(flows: matrix.flows, distances: d, n: n)
        return [IndexValue("mean", weighted / total),
                median.map { IndexValue("median", $0) } ?? IndexValue("median", undefined: "no flows"),
                decay.beta.map { IndexValue("decay", $0) } ?? IndexValue("decay", undefined: decay.reason ?? "")]
    }
}
