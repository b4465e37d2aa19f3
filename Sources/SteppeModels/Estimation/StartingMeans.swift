/// Starting values for IRLS: a mean μᵢ for rows of the data (fixest's `mustart`), usually
/// the fitted values of a nearby model, so that a refit of a variant (one control more,
/// other fixed effects) starts close to its solution and needs fewer iterations.
///
/// The converged estimates do not depend on the start beyond the convergence tolerance
/// (the same criterion |ΔD|/(0.1 + |D|) < tolerance decides, and the final polish step is
/// taken as from any start); only the number of iterations does.
public struct StartingMeans: Sendable {
    /// Table row numbers (0-based), as `FitResult.sample`.
    public let rows: [Int]
    /// μ at each of `rows`, positive and finite.
    public let means: [Double]

    /// - Precondition: one mean per row.
    public init(rows: [Int], means: [Double]) {
        precondition(rows.count == means.count, "one starting mean per row")
        self.rows = rows
        self.means = means
    }

    /// The fitted means of `fit`, for the rows of its estimation sample.
    public init(_ fit: FitResult) {
        self.init(rows: fit.sample, means: fit.fittedValues)
    }

    /// The starting mean of each row of `sample`: the given one where there is one that is
    /// positive and finite, `fallback(k)` otherwise.
    func means(for sample: [Int], fallback: (Int) -> Double) -> [Double] {
        if sample == rows { return means.enumerated().map { $1 > 0 && $1.isFinite ? $1 : fallback($0) } }
        var byRow: [Int: Double] = [:]
        byRow.reserveCapacity(rows.count)
        for (row, mu) in zip(rows, means) { byRow[row] = mu }
        return sample.enumerated().map { k, row in
            if let mu = byRow[row], mu > 0, mu.isFinite { return mu }
            return fallback(k)
        }
    }
}
