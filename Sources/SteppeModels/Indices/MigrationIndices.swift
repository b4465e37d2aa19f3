/// The migration indices of R's migest (`index_intensity`, `index_impact`,
/// `index_connectivity`, `index_distance`, migest 2.0.5), which follow Bell, Blake, Boyle,
/// Duke-Williams, Rees, Stillwell & Hugo (2002), "Cross-national comparison of internal
/// migration: issues and measures", JRSS A 165(3), 435–464, computed on one
/// origin–destination matrix.
///
/// Notation used in every formula: n regions; m_ij the flow from i to j (i ≠ j; the
/// diagonal is zero); M = Σ_{i≠j} m_ij; O_i = Σ_j m_ij (out), D_j = Σ_i m_ij (in);
/// p_i populations, P = Σ p_i; d_ij distances; K = n(n − 1) off-diagonal pairs.
///
/// Populations and distances are optional: without them the intensity and the impact
/// indices but the effectiveness (resp. the distance indices) are undefined, with that reason. An index that is undefined for the
/// data (a region with no out-migration makes its Gini undefined, say) has no value and
/// a reason; none is ever NaN.
public enum MigrationIndices {
    /// Every index for `matrix`; `populations` in region order (see
    /// `MigrationMatrix.populations(_:)`), `distances` n × n row-major (see
    /// `MigrationMatrix.distances`).
    public static func compute(_ matrix: MigrationMatrix, populations: [Double]?, distances: [Double]?) -> MigrationIndexSet {
        let margins = matrix.margins
        let noPopulation = "no populations given"
        let intensity = populations.map { IntensityIndices.compute(matrix, total: margins.total, populations: $0) }
            ?? ["cmp", "courgeauK"].map { IndexValue($0, undefined: noPopulation) }
        let impact = ImpactIndices.compute(matrix, margins: margins, populations: populations)
        let distance = distances.map { DistanceIndices.compute(matrix, total: margins.total, distances: $0) }
            ?? ["mean", "median", "decay"].map { IndexValue($0, undefined: "no distances given") }
        return MigrationIndexSet(intensity: intensity, impact: impact,
                                 connectivity: ConnectivityIndices.compute(matrix, margins: margins),
                                 distance: distance, regions: matrix.count, totalFlow: margins.total)
    }
}
