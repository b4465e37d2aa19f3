/// The Gini family of migest's `index_connectivity`, computed as R's migration.indices
/// 0.3.0 computes them (Bell et al. 2002, corrected from Plane & Mulligan 1997,
/// "Measuring spatial focusing in a migration system", Demography 34(2)).
///
/// With S(x) = Σ_a Σ_b |x_a − x_b| over ordered pairs (`PairwiseDifferences`), S_all over
/// the K = n(n−1) off-diagonal flows, S_i over row i's n−1 flows and S^j over column j's:
/// - `giniTotal` = S_all / (2(K − 1) M): migration.gini.total(m, corrected = TRUE),
///   migest's default `gini_corrected = TRUE` (Plane & Mulligan's 2K when FALSE).
/// - `giniOrigStd` = Σ_i S_i / S_all: migration.gini.row.standardized(m) / 100, the row
///   Gini Σ_i S_i / (2KM) over the uncorrected total Gini S_all / (2KM).
/// - `giniDestStd` = Σ_j S^j / S_all, the same for columns.
/// - `mwgOrig` = (1/n) Σ_i G_i · D_i / M with G_i = S_i / (2(n − 2) O_i) (the corrected
///   out-migration Gini of origin i): migration.weighted.gini.out(m). As that function
///   codes it, each origin's Gini is weighted by the region's share of in-migration
///   (colSums) and the sum divided by n.
/// - `mwgDest` = (1/n) Σ_j G^j · O_j / M with G^j = S^j / (2(n − 2) D_j): migration.weighted.gini.in(m).
/// - `mwgMean` = (mwgOrig + mwgDest) / 2: migration.weighted.gini.mean(m).
enum GiniIndices {
    static func compute(_ matrix: MigrationMatrix, margins: (out: [Double], in: [Double], total: Double)) -> [IndexValue] {
        let n = matrix.count, total = margins.total
        let (sAll, rowSums, colSums) = PairwiseDifferences.sums(matrix.flows, n: n)
        let k = Double(n * (n - 1))
        let equal = "every flow between distinct regions is the same, so the standardized Gini is 0/0"
        var out = [IndexValue("giniTotal", sAll / (2 * (k - 1) * total))]
        out.append(sAll > 0 ? IndexValue("giniOrigStd", rowSums.reduce(0, +) / sAll) : IndexValue("giniOrigStd", undefined: equal))
        out.append(sAll > 0 ? IndexValue("giniDestStd", colSums.reduce(0, +) / sAll) : IndexValue("giniDestStd", undefined: equal))
        let orig = weighted("mwgOrig", matrix, within: rowSums, own: margins.out, weight: margins.in, total: total, side: "out-migration from")
        let dest = weighted("mwgDest", matrix, within: colSums, own: margins.in, weight: margins.out, total: total, side: "in-migration to")
        out += [orig, dest]
        if let a = orig.value, let b = dest.value {
            out.append(IndexValue("mwgMean", (a + b) / 2))
        } else {
            out.append(IndexValue("mwgMean", undefined: orig.reason ?? dest.reason ?? ""))
        }
        return out
    }

    /// (1/n) Σ_r [S_r / (2(n − 2) own_r)] · weight_r / M, undefined when n < 3 or some own_r is 0.
    static func weighted(_ key: String, _ matrix: MigrationMatrix, within s: [Double], own: [Double], weight: [Double],
                         total: Double, side: String) -> IndexValue {
        let n = matrix.count
        guard n >= 3 else { return IndexValue(key, undefined: "needs at least three regions (its Gini divides by 2(n − 2))") }
        if let r = own.firstIndex(of: 0) {
            return IndexValue(key, undefined: "no \(side) \(matrix.regions[r]), whose Gini is 0/0 (migration.indices gives NaN)")
        }
        var sum = 0.0
        for r in 0..<n { sum += s[r] / (2 * Double(n - 2) * own[r]) * weight[r] / total }
        return IndexValue(key, sum / Double(n))
    }
}
