/// What `SensitivityModel.bootstrap` found: one `BootstrapTermResult` per tested term, and
/// how the replicates were drawn.
///
/// Encodable with the keys of `steppe sensitivity bootstrap`'s JSON `results`:
/// `{type, weights, reps, enumerated, clusterVariable, clusters, seed, confidenceLevel,
/// reference, terms: [...]}` (`weights` only for the wild and score bootstrap,
/// `clusterVariable` and `clusters` only when there are clusters; for the wild bootstrap
/// also `bootcluster`, the level of the weights, and `clusterCounts`, the clusters of each
/// dimension of the variance). `clusterVariable` joins two-way dimensions with +, and
/// `clusters` is then the number of bootclusters (what 2^G enumerates).
public struct BootstrapResult: Sendable, Equatable, Encodable {
    public let type: BootstrapType
    /// The wild weights (`nil` for the pairs and cluster bootstrap).
    public let weights: BootstrapWeights?
    /// Replicates drawn: B, or 2^G under full enumeration.
    public let replicates: Int
    /// Whether the 2^G Rademacher sign vectors were enumerated (2^G ≤ B).
    public let enumerated: Bool
    /// The clustering variable (columns joined by ^) and its number of clusters G.
    public let clusterVariable: String?
    public let clusters: Int?
    public let seed: UInt64
    /// The level of the intervals (the model's confidence level).
    public let confidenceLevel: Double
    /// The software whose definition the results follow, in words.
    public let reference: String
    public let terms: [BootstrapTermResult]
    /// The wild bootstrap's bootcluster (its columns joined by ^; ∩ for the intersection).
    public let bootcluster: String?
    /// The wild bootstrap's clusters per dimension of the variance (one or two counts).
    public let clusterCounts: [Int]?

    init(type: BootstrapType, weights: BootstrapWeights?, replicates: Int, enumerated: Bool, clusterVariable: String?,
         clusters: Int?, seed: UInt64, confidenceLevel: Double, reference: String, terms: [BootstrapTermResult],
         bootcluster: String? = nil, clusterCounts: [Int]? = nil) {
        self.type = type
        self.weights = weights
        self.replicates = replicates
        self.enumerated = enumerated
        self.clusterVariable = clusterVariable
        self.clusters = clusters
        self.seed = seed
        self.confidenceLevel = confidenceLevel
        self.reference = reference
        self.terms = terms
        self.bootcluster = bootcluster
        self.clusterCounts = clusterCounts
    }

    enum CodingKeys: String, CodingKey {
        case type, weights, reps, enumerated, clusterVariable, clusters, bootcluster, clusterCounts, seed, confidenceLevel, reference, terms
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(weights, forKey: .weights)
        try c.encode(replicates, forKey: .reps)
        try c.encode(enumerated, forKey: .enumerated)
        try c.encodeIfPresent(clusterVariable, forKey: .clusterVariable)
        try c.encodeIfPresent(clusters, forKey: .clusters)
        try c.encodeIfPresent(bootcluster, forKey: .bootcluster)
        try c.encodeIfPresent(clusterCounts, forKey: .clusterCounts)
        try c.encode(seed, forKey: .seed)
        try c.encode(confidenceLevel, forKey: .confidenceLevel)
        try c.encode(reference, forKey: .reference)
        try c.encode(terms, forKey: .terms)
    }
}

/// Replicates that failed for one reason, and how many.
public struct BootstrapFailure: Sendable, Equatable, Encodable {
    public let reason: String
    public let count: Int

    /// Failures grouped by reason, most frequent first (ties in order of first appearance).
    static func grouped(_ reasons: [String]) -> [BootstrapFailure] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for r in reasons {
            if counts[r] == nil { order.append(r) }
            counts[r, default: 0] += 1
        }
        return order.enumerated().sorted { a, b in
            counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
        }.map { BootstrapFailure(reason: $0.element, count: counts[$0.element]!) }
    }
}

/// One term's bootstrap test and interval.
///
/// JSON keys: term, estimate, stdError, tStatistic, pValue, confLow, confHigh, reps,
/// enumerated, type, weights, nullValue, imposedNull, failed, failures, intervalMethod and,
/// when a number is not finite, nullReasons {key: why}.
public struct BootstrapTermResult: Sendable, Equatable, Encodable {
    public let term: String
    /// β̂ of the fit.
    public let estimate: Double
    /// The bootstrap standard error (pairs and cluster: the standard deviation of the
    /// replicates' estimates); NaN for the wild and score bootstrap, which test without one.
    public let standardError: Double
    /// The observed statistic: (β̂ − null)/se with the CRV1 standard error for the wild
    /// bootstrap, the score statistic at the restricted estimate for the null-imposed score
    /// bootstrap, (β̂ − null)/(bootstrap standard error) for pairs and cluster.
    public let tStatistic: Double
    public let pValue: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// Replicates drawn (failed ones included).
    public let replicates: Int
    public let enumerated: Bool
    public let type: BootstrapType
    public let weights: BootstrapWeights?
    public let nullValue: Double
    /// Whether the null was imposed on the bootstrap's data-generating process.
    public let imposedNull: Bool
    /// Replicates that failed (left out of the p-value and the interval), by reason.
    public let failures: [BootstrapFailure]
    /// How the interval was found: testInversion, percentileT (the WCU and unrestricted
    /// score bootstrap's symmetric interval, the exact inversion of its test) or percentile.
    public let intervalMethod: String
    /// Why a number is NaN (key: the JSON key).
    public let nullReasons: [String: String]

    /// Replicates that failed, in all.
    public var failed: Int { failures.reduce(0) { $0 + $1.count } }

    /// Equal when every field is, numbers compared bit for bit (so NaN equals NaN: two runs
    /// with the same seed compare equal).
    public static func == (a: Self, b: Self) -> Bool {
        let x = [a.estimate, a.standardError, a.tStatistic, a.pValue, a.confidenceLow, a.confidenceHigh, a.nullValue]
        let y = [b.estimate, b.standardError, b.tStatistic, b.pValue, b.confidenceLow, b.confidenceHigh, b.nullValue]
        return x.map(\.bitPattern) == y.map(\.bitPattern) && a.term == b.term && a.replicates == b.replicates
            && a.enumerated == b.enumerated && a.type == b.type && a.weights == b.weights && a.imposedNull == b.imposedNull
            && a.failures == b.failures && a.intervalMethod == b.intervalMethod && a.nullReasons == b.nullReasons
    }

    enum CodingKeys: String, CodingKey {
        case term, estimate, stdError, tStatistic, pValue, confLow, confHigh, reps, enumerated, type, weights
        case nullValue, imposedNull, failed, failures, intervalMethod, nullReasons
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(term, forKey: .term)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(standardError, forKey: .stdError)
        try c.encode(tStatistic, forKey: .tStatistic)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(confidenceLow, forKey: .confLow)
        try c.encode(confidenceHigh, forKey: .confHigh)
        try c.encode(replicates, forKey: .reps)
        try c.encode(enumerated, forKey: .enumerated)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(weights, forKey: .weights)
        try c.encode(nullValue, forKey: .nullValue)
        try c.encode(imposedNull, forKey: .imposedNull)
        try c.encode(failed, forKey: .failed)
        try c.encode(failures, forKey: .failures)
        try c.encode(intervalMethod, forKey: .intervalMethod)
        if !nullReasons.isEmpty {
            var r = c.nestedContainer(keyedBy: ReasonKey.self, forKey: .nullReasons)
            for key in nullReasons.keys.sorted() { try r.encode(nullReasons[key]!, forKey: ReasonKey(key)) }
        }
    }

    private struct ReasonKey: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { return nil }
    }
}

/// The pieces of a term's result, assembled into `BootstrapTermResult` with the reasons for
/// any NaN.
struct TermOutcome {
    var term: String
    var estimate: Double
    var standardError: Double = .nan
    var statistic: Double = .nan
    var pValue: Double = .nan
    var interval: (low: Double, high: Double) = (.nan, .nan)
    var intervalMethod: String
    var failures: [String] = []
    var reasons: [String: String] = [:]

    func result(_ plan: BootstrapPlan, replicates: Int, enumerated: Bool) -> BootstrapTermResult {
        var reasons = self.reasons
        let values: [(String, Double)] = [("stdError", standardError), ("tStatistic", statistic), ("pValue", pValue),
                                          ("confLow", interval.low), ("confHigh", interval.high)]
        for (key, v) in values where !v.isFinite && reasons[key] == nil {
            reasons[key] = "not finite: no replicate gave a finite statistic"
        }
        for (key, v) in values where v.isFinite { reasons[key] = nil }
        return BootstrapTermResult(term: term, estimate: estimate, standardError: standardError, tStatistic: statistic,
                                   pValue: pValue, confidenceLow: interval.low, confidenceHigh: interval.high,
                                   replicates: replicates, enumerated: enumerated, type: plan.type,
                                   weights: plan.type.isWild ? plan.weights : nil, nullValue: plan.nullValue,
                                   imposedNull: plan.type.isWild && plan.imposeNull,
                                   failures: BootstrapFailure.grouped(failures), intervalMethod: intervalMethod,
                                   nullReasons: reasons)
    }
}
