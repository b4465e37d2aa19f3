import Foundation

/// The clustering of a wild cluster bootstrap: the dimensions of the cluster-robust
/// variance (one, or two for Cameron–Gelbach–Miller multiway clustering), the bootcluster
/// at which the wild weights are drawn, and the cells every one of them is a union of.
///
/// One-way by A: V = c_A·Σ_{h∈A} s_h s_hᵀ (CRV1), weights drawn per cluster of A.
/// Two-way by A and B (Cameron, Gelbach & Miller 2011): V = c_A·V_A + c_B·V_B − c_AB·V_{A∩B},
/// each term the CRV1 meat of its own clusters, and the weights drawn per bootcluster:
/// by default the dimension with fewer clusters (fwildclusterboot's `bootcluster = "min"`,
/// which MacKinnon, Nielsen & Webb (2021) recommend; boottest and fwildclusterboot default
/// to the intersection, `max` here). The small-sample factors c_S are those of Steppe's own
/// two-way clustered covariance (`steppe fit --vcov cluster:a,b`; `BootstrapFactor`):
/// fixest's G_min/(G_min − 1)·(n − 1)/(n − K) for every term by default, or each term's own
/// G_S/(G_S − 1)·(n − 1)/(n − K) with `--small-sample statsmodels`, which is
/// fwildclusterboot's and boottest's choice (`cluster.df = "conventional"`). Unlike the fit,
/// the bootstrap does not set negative eigenvalues of V to zero (neither boottest nor
/// fwildclusterboot does): a replicate whose variance is not positive is a failure.
///
/// Cells are the intersection of every dimension and the bootcluster; each cluster of every
/// term and each bootcluster is a union of cells, which is what lets the kernel work on
/// cell-level sums only (`WildTermKernel`).
struct WildClusterStructure: Sendable {
    /// One term of the inclusion–exclusion sum: its clusters, cell → cluster, and its signed
    /// small-sample factor (+c for a single dimension, −c for the intersection).
    struct Term: Sendable {
        let count: Int
        let cellCluster: [Int]
        let weight: Double
    }

    let boot: Grouping
    let cells: Grouping
    /// Cell → bootcluster.
    let cellBoot: [Int]
    let terms: [Term]

    /// - Parameters:
    ///   - dimensions: the clustering dimensions on the estimation sample (one or two).
    ///   - boot: the bootcluster grouping on the same rows.
    ///   - factors: each term's small-sample factor, in the order dimension 1, dimension 2,
    ///     their intersection.
    init(dimensions: [Grouping], boot: Grouping, factors: [Double]) {
        self.boot = boot
        let termGroupings = dimensions.count == 1 ? dimensions : dimensions + [CovarianceEstimator.intersect(dimensions)]
        if dimensions.count == 1 && dimensions[0].codes == boot.codes {
            cells = boot
        } else {
            cells = CovarianceEstimator.intersect(dimensions + [boot])
        }
        let first = Self.firstRows(cells)
        cellBoot = first.map { Int(boot.codes[$0]) }
        terms = termGroupings.enumerated().map { t, grouping in
            Term(count: grouping.levelCount, cellCluster: first.map { Int(grouping.codes[$0]) },
                 weight: t == 2 ? -factors[t] : factors[t])
        }
    }

    /// The first row of each group.
    static func firstRows(_ g: Grouping) -> [Int] {
        var first = [Int](repeating: -1, count: g.levelCount)
        for (i, c) in g.codes.enumerated() where first[Int(c)] < 0 { first[Int(c)] = i }
        return first
    }

    /// Rows of the stacked kernel matrices: Σ over terms of their cluster counts.
    var stackedCount: Int { terms.reduce(0) { $0 + $1.count } }
}

extension BootstrapFactor {
    /// The factor of each inclusion–exclusion term of a multiway clustered variance, as
    /// Steppe's clustered covariance computes it (`CovarianceEstimator`): fixest and Stata
    /// G_min/(G_min − 1)·(n − 1)/(n − K) for every term (Stata without (n − 1)/(n − K) for
    /// likelihood models), statsmodels each term's own G_S/(G_S − 1)·(n − 1)/(n − K) (the
    /// choice of fwildclusterboot and boottest), none 1. K counts the slopes and the
    /// fixed-effect levels not nested in a cluster dimension (fixest, Stata). One dimension
    /// gives the one factor of `cluster(_:frame:clusters:slopes:)`.
    static func multiway(_ model: SensitivityModel, frame: ModelFrame, dimensions: [Grouping], slopes: Int) -> [Double] {
        let correction = model.options.smallSampleCorrection
        let n = Double(frame.observations)
        let k = Double(CovarianceEstimator.parameterCount(slopes: slopes, fixedEffects: frame.fixedEffects, clusters: dimensions,
                                                          nested: correction == .fixest || correction == .stata))
        let counts = dimensions.count == 1 ? [dimensions[0].levelCount]
            : dimensions.map(\.levelCount) + [CovarianceEstimator.intersect(dimensions).levelCount]
        let gMin = Double(dimensions.map(\.levelCount).min() ?? 2)
        return counts.map { count in
            let g = Double(count)
            switch correction {
            case .fixest: return gMin / (gMin - 1) * (n - 1) / (n - k)
            case .stata: return gMin / (gMin - 1) * (model.model == .ols ? (n - 1) / (n - k) : 1)
            case .statsmodels: return (g > 1 ? g / (g - 1) : 1) * (n - 1) / (n - k)
            case .none: return 1
            }
        }
    }
}
