import Foundation

/// migest's `index_intensity(mig_total, pop_total, n)`, from Bell et al. (2002) and
/// Courgeau (1973), "Migrants et migrations", Population 28(1).
enum IntensityIndices {
    /// - `cmp`, the crude migration probability (Bell et al. 2002; "crude migration
    ///   intensity" in Bernard et al. 2017): 100 · M / P, with M the flows between
    ///   distinct regions and P the total population (migest: `mig_total`, `pop_total`).
    /// - `courgeauK`, Courgeau's k: cmp / ln(n²), n the number of regions (`n`): the
    ///   intensity net of the number of regions the migration is counted between.
    static func compute(_ matrix: MigrationMatrix, total: Double, populations p: [Double]) -> [IndexValue] {
        let population = p.reduce(0, +)
        let cmp = 100 * total / population
        let n = Double(matrix.count)
        return [IndexValue("cmp", cmp), IndexValue("courgeauK", cmp / log(n * n))]
    }
}
