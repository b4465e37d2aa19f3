import SteppeNumerics

/// What `SensitivityModel.jackknife` found: for each term the leave-one-cluster-out
/// estimates and the CRV3 jackknife standard error, and the leverage of each cluster.
///
/// The fields mirror the JSON results of `steppe sensitivity jackknife` (camelCase keys of
/// the same names; `clusterLeverage` is `leverage.byCluster` there).
public struct JackknifeResult: Sendable, Equatable {
    /// The estimate of a term without one cluster.
    public struct LeaveOneOut: Sendable, Equatable {
        /// The cluster left out (its label; for observations, "row N" with N the 1-based data row).
        public let cluster: String
        /// β̂₍₋g₎ of the term.
        public let estimate: Double
        /// The partial leverage of the cluster for this term (summclust's): the share of the
        /// term's residualised variation, Σ_{i∈g} wᵢx̃⊥ᵢⱼ² / Σᵢ wᵢx̃⊥ᵢⱼ².
        public let partialLeverage: Double
    }

    /// A cluster whose removal moves a term much.
    public struct Influential: Sendable, Equatable {
        public let cluster: String
        /// β̂₍₋g₎.
        public let estimate: Double
        /// β̂₍₋g₎ − β̂.
        public let change: Double
    }

    /// Minimum, maximum, median and mean of a set of leverages.
    public struct Summary: Sendable, Equatable {
        public let min: Double
        public let max: Double
        /// The middle value (the mean of the two middle ones for an even count).
        public let median: Double
        public let mean: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            let n = sorted.count
            guard n > 0 else { self.min = .nan; self.max = .nan; self.median = .nan; self.mean = .nan; return }
            self.min = sorted[0]
            self.max = sorted[n - 1]
            self.median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
            var s = CompensatedSum()
            for v in values { s.add(v) }
            self.mean = s.value / Double(n)
        }
    }

    /// One term's results.
    public struct Term: Sendable, Equatable {
        public let term: String
        /// β̂ on the whole sample.
        public let estimate: Double
        /// The fit's own standard error (its covariance type).
        public let stdError: Double
        /// √V₃ⱼⱼ, V₃ = (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ; `nil` when a refit failed.
        public let crv3StdError: Double?
        /// Every cluster's leave-one-out estimate, in the order clusters first appear in the sample.
        public let leaveOneOut: [LeaveOneOut]
        /// The clusters whose removal moves the estimate most (largest |change| first).
        public let mostInfluential: [Influential]
        /// The partial leverages of the clusters for this term, summarised.
        public let partialLeverage: Summary
    }

    /// A cluster without a leave-one-out estimate.
    public struct Failure: Sendable, Equatable {
        public let cluster: String
        /// Why the refit failed (one sentence).
        public let reason: String
    }

    /// A cluster's size and leverage.
    public struct ClusterLeverage: Sendable, Equatable {
        public let cluster: String
        /// Its observations in the estimation sample.
        public let observations: Int
        /// L_g = Σ_{i∈g} wᵢx̃ᵢᵀBx̃ᵢ = tr(X̃_g B X̃_gᵀ W_g).
        public let leverage: Double
        /// Observations the refit without g used, when it trimmed more than g's rows
        /// (singletons or separated observations its removal created); `nil` otherwise.
        public let refitObservations: Int?
    }

    /// The terms reported (all, or those asked for), in the fit's order.
    public let terms: [Term]
    /// The cluster leverages summarised; they add up to k, the number of coefficients.
    public let leverage: Summary
    /// Each cluster's size and leverage, in order of first appearance.
    public let clusterLeverage: [ClusterLeverage]
    /// The grouping left out one group at a time: a column, columns joined by ^, or
    /// "observation" for leave-one-observation-out.
    public let clusterVariable: String
    /// G, the number of clusters in the estimation sample.
    public let clusters: Int
    /// Clusters whose refit failed, with the reason.
    public let failed: [Failure]
    /// The CRV3 covariance of every coefficient of the fit (k × k, the fit's order), or `nil`
    /// when a refit failed.
    public let crv3Covariance: [[Double]]?
}
