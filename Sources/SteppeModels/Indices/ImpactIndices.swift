import SteppeNumerics

/// migest's `index_impact(m, p)`: the effect of migration on the distribution of the
/// population (Bell et al. 2002; Shryock & Siegel 1976; UN DESA 1970, Manual VI).
enum ImpactIndices {
    /// With net_i = D_i − O_i and turnover t_i = D_i + O_i (migest's `sum_region`):
    /// - `effectiveness`, the migration effectiveness index (MEI; Shryock et al. 1975):
    ///   100 · Σ|net_i| / Σ t_i, from 0 (balanced exchanges) to 100 (one-way moves).
    ///   migest spells the column `effectivness`.
    /// - `anmr`, the aggregate net migration rate (Bell et al. 2002): 100 · ½ Σ|net_i| / P.
    /// - `preference`, the index of preference (Bachi 1957; UN DESA): Σ_{i≠j} m_ij /
    ///   (M · s_i · s_j) with s_i = p_i / P — the flows against those expected if migrants
    ///   chose origins and destinations in proportion to population, summed over pairs.
    /// - `velocity`, the index of velocity (Bogue, Shryock & Hoermann 1957):
    ///   P · Σ_{i≠j} m_ij / (p_i · p_j).
    /// The sums over pairs are over every cell as migest's `sum(m / …)` (the diagonal is zero).
    static func compute(_ matrix: MigrationMatrix, margins: (out: [Double], in: [Double], total: Double), populations: [Double]?) -> [IndexValue] {
        let n = matrix.count
        var absNet = 0.0, turnover = 0.0
        for i in 0..<n {
            absNet += abs(margins.in[i] - margins.out[i])
            turnover += margins.in[i] + margins.out[i]
        }
        let effectiveness = IndexValue("effectiveness", 100 * absNet / turnover)
        guard let p = populations else {
            // The effectiveness index needs flows only (migest computes it without the populations too).
            return [effectiveness] + ["anmr", "preference", "velocity"].map { IndexValue($0, undefined: "no populations given") }
        }
        let population = p.reduce(0, +)
        var preference = CompensatedSum(), velocity = CompensatedSum()
        let total = margins.total
        for i in 0..<n {
            let si = p[i] / population
            for j in 0..<n where j != i {
                let m = matrix.flows[i * n + j]
                preference.add(m / (total * (si * (p[j] / population))))
                velocity.add(m / (p[i] * p[j]) * population)
            }
        }
        return [effectiveness,
                IndexValue("anmr", 100 * 0.5 * absNet / population),
                IndexValue("preference", preference.value),
                IndexValue("velocity", velocity.value)]
    }
}
