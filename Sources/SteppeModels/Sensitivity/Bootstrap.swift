import SteppeNumerics

/// Which bootstrap `SensitivityModel.bootstrap` runs.
public enum BootstrapType: String, Sendable, Codable, CaseIterable {
    /// The wild cluster bootstrap of a linear model (OLS/WLS, with fixed effects), by the
    /// fast algorithm of Roodman, Nielsen, MacKinnon & Webb (2019), "Fast and wild":
    /// boottest's default and fwildclusterboot's / wildboottest's `bootstrap_type = "11"`.
    case wild
    /// The score bootstrap of a GLM (Kline & Santos 2012; boottest's `boottype(score)`):
    /// the clusters' score contributions at the null-imposed estimate times wild weights,
    /// with no refit per replicate.
    case score
    /// The pairs bootstrap: rows drawn with replacement, the model refitted on each draw.
    case pairs
    /// The cluster (block) bootstrap: whole clusters drawn with replacement, refitted.
    case cluster

    /// Whether the type draws wild weights (and so needs clusters and `BootstrapWeights`).
    public var isWild: Bool { self == .wild || self == .score }
}

/// The distribution of the wild weights vᵍ, one per cluster and replicate; each has mean 0
/// and variance 1. Draws come from replicate b's own stream `SeededRandom(seed:).stream(b)`,
/// the clusters in the order of the estimation sample (first appearance), as:
/// - `rademacher` (default; boottest's, fwildclusterboot's and wildboottest's): ±1 with
///   probability ½ each, −1 when `nextUniform()` < ½. With 2^G ≤ B every one of the 2^G
///   sign vectors is used once instead (full enumeration, as boottest and
///   fwildclusterboot): the results are then exact and do not depend on the seed.
/// - `webb`: ±√(1/2), ±1, ±√(3/2) with probability 1/6 each (Webb 2023), index
///   `nextInt(below: 6)` into that list in increasing order; for few clusters, where
///   Rademacher weights allow only 2^G distinct draws.
/// - `mammen`: −(√5 − 1)/2 with probability (√5 + 1)/(2√5), else (√5 + 1)/2 (Mammen
///   1993), the first when `nextUniform()` is below that probability; its third moment is 1.
/// - `normal`: standard normal by inversion (`nextNormal()`).
public enum BootstrapWeights: String, Sendable, Codable, CaseIterable {
    case rademacher, webb, mammen, normal
}

/// Where the wild weights of a multiway wild cluster bootstrap are drawn (one-way: the
/// clusters, whatever this says).
public enum BootclusterChoice: Sendable, Equatable {
    /// The clustering dimension with the fewest clusters (the first on a tie): the default,
    /// fwildclusterboot's `bootcluster = "min"`, which MacKinnon, Nielsen & Webb (2021)
    /// find the more reliable.
    case fewest
    /// The intersection of the dimensions (boottest's and fwildclusterboot's default, "max").
    case intersection
    /// These columns (interacted).
    case columns([String])
}

/// The settings of a bootstrap; each has a documented default.
public struct BootstrapOptions: Sendable {
    /// The method. `nil` (default): `wild` for OLS, `score` for the GLMs (PPML, Poisson,
    /// Gaussian, Gamma, negative binomial).
    public var type: BootstrapType?
    /// Replicates B. `nil` (default): 9,999 for the wild and score bootstrap (boottest's
    /// and fwildclusterboot's default, large enough that a p-value near 0.05 is known to
    /// ±0.005), 999 for the pairs and cluster bootstrap, whose replicates are refits.
    /// At least 99.
    public var replicates: Int?
    /// The columns that define the clusters (interacted when several; `["a", "b"]` is the
    /// one-way clustering by a^b). `nil` (default): the covariance's cluster variable,
    /// else the first fixed effect. The wild, score and cluster bootstraps need clusters;
    /// the pairs bootstrap ignores them.
    public var cluster: [String]?
    /// Several clustering dimensions, each a list of columns (interacted): `[["a"], ["b"]]`
    /// is two-way clustering by a and b (Cameron–Gelbach–Miller; the wild bootstrap only,
    /// at most two). When given it replaces `cluster`. `nil` (default): `cluster`, else the
    /// covariance's cluster variables (one or two), else the first fixed effect.
    public var clusters: [[String]]?
    /// The level at which multiway wild weights are drawn. Default `.fewest`.
    public var bootcluster: BootclusterChoice
    /// The terms to test. `nil` (default): every coefficient.
    public var terms: [String]?
    /// The value of each coefficient under the null hypothesis. Default 0.
    public var nullValue: Double
    /// The wild weights. Default `.rademacher`.
    public var weights: BootstrapWeights
    /// Impose the null on the bootstrap's data-generating process (WCR, the default, which
    /// MacKinnon & Webb find more reliable with few clusters); `false` bootstraps from the
    /// unrestricted fit (WCU).
    public var imposeNull: Bool
    /// The seed of the streams (replicate b draws from stream b). Default 1.
    public var seed: UInt64
    /// Whether to compute the confidence intervals. Default `true`. For the null-imposed
    /// score bootstrap each bound is found by about 25 refits of the model under other
    /// nulls; `false` skips them (the interval is then `nil` with its reason).
    public var intervals: Bool

    public init(type: BootstrapType? = nil, replicates: Int? = nil, cluster: [String]? = nil, terms: [String]? = nil,
                nullValue: Double = 0, weights: BootstrapWeights = .rademacher, imposeNull: Bool = true,
                seed: UInt64 = 1, intervals: Bool = true, clusters: [[String]]? = nil,
                bootcluster: BootclusterChoice = .fewest) {
        self.type = type
        self.clusters = clusters
        self.bootcluster = bootcluster
        self.replicates = replicates
        self.cluster = cluster
        self.terms = terms
        self.nullValue = nullValue
        self.weights = weights
        self.imposeNull = imposeNull
        self.seed = seed
        self.intervals = intervals
    }

    /// The smallest number of replicates accepted: below 99 a bootstrap p-value moves in
    /// steps of more than 0.01 and a 95% interval rests on fewer than five draws per tail.
    public static let minimumReplicates = 99
    /// The largest number accepted: 10⁶ replicates keep about 100 MB of streams and
    /// statistics in memory (and resolve a p-value to ±0.0005).
    public static let maximumReplicates = 1_000_000
}

extension SensitivityModel {
    /// Bootstrap tests and intervals for the coefficients: wild cluster (OLS), score (GLMs),
    /// pairs or cluster bootstrap, as `options` says; see `BootstrapType` and the types'
    /// own documentation (`WildBootstrap`, `ScoreBootstrap`, `ResamplingBootstrap`).
    ///
    /// Replicates are seeded (stream b for replicate b) and their results combined in
    /// replicate order, so the same seed gives the same bits on any number of threads.
    /// Replicates that fail (a statistic that is not finite, a refit that throws or does
    /// not converge, a term dropped in a resample) are counted with their reasons and left
    /// out of the p-value's and the interval's denominators, never averaged over silently.
    ///
    /// - Throws: `ModelError.invalidOption` for options that do not fit the model (fewer
    ///   than 99 replicates, the wild bootstrap of a GLM, no clusters, two-way clusters for
    ///   other than the wild bootstrap, more than two clustering dimensions, an
    ///   unknown term or column, fewer than two clusters, a null that is not finite);
    ///   `ModelError.numerical` when the design cannot be rebuilt or the restricted fit fails.
    public func bootstrap(_ options: BootstrapOptions = BootstrapOptions(),
                          progress: ProgressHandler? = nil) throws(ModelError) -> BootstrapResult {
        let plan = try BootstrapPlan(self, options)
        switch plan.type {
        case .wild: return try WildBootstrap.run(self, plan, progress: progress)
        case .score: return try ScoreBootstrap.run(self, plan, progress: progress)
        case .pairs, .cluster: return try ResamplingBootstrap.run(self, plan, progress: progress)
        }
    }
}

/// Options resolved against the model: defaults filled in, everything checked once.
struct BootstrapPlan: Sendable {
    let type: BootstrapType
    let replicates: Int
    /// The cluster dimensions joined by + (each's columns by ^) (`nil` for pairs).
    let clusterName: String?
    /// The groups at which weights are drawn or clusters resampled: the one dimension, or
    /// the bootcluster of a two-way wild bootstrap (`nil` for pairs).
    let clusters: Grouping?
    /// The clustering dimensions of the variance on the estimation sample (one or two).
    let dimensions: [Grouping]
    let bootclusterName: String?
    /// Positions of the tested terms in `fit.coefficients`.
    let termIndices: [Int]
    let nullValue: Double
    let weights: BootstrapWeights
    let imposeNull: Bool
    let seed: UInt64
    let intervals: Bool
    let level: Double

    init(_ model: SensitivityModel, _ options: BootstrapOptions) throws(ModelError) {
        let type = options.type ?? (model.model == .ols ? .wild : .score)
        if type == .wild && model.model != .ols {
            throw .invalidOption("the wild bootstrap refits least squares, and this is a \(model.model.rawValue) model; use the score bootstrap (--type score), or pairs or cluster")
        }
        let reps = options.replicates ?? (type.isWild ? 9_999 : 999)
        guard reps >= BootstrapOptions.minimumReplicates else {
            throw .invalidOption("--reps must be at least \(BootstrapOptions.minimumReplicates), got \(reps): fewer draws give p-values too coarse to use")
        }
        guard reps <= BootstrapOptions.maximumReplicates else {
            throw .invalidOption("--reps must be at most \(BootstrapOptions.maximumReplicates), got \(reps): the draws' streams and statistics are kept in memory")
        }
        guard options.nullValue.isFinite else { throw .invalidOption("--null must be a finite number, got \(options.nullValue)") }
        var indices: [Int] = []
        for term in options.terms ?? model.fit.coefficients.map(\.term) { indices.append(try model.coefficientIndex(term)) }
        guard !indices.isEmpty else { throw .invalidOption("the model has no coefficient to test (only fixed effects); add a regressor to the formula") }
        self.type = type
        self.replicates = reps
        self.termIndices = indices
        self.nullValue = options.nullValue
        self.weights = options.weights
        self.imposeNull = options.imposeNull
        self.seed = options.seed
        self.intervals = options.intervals
        self.level = model.options.confidenceLevel
        if type == .pairs {
            clusterName = nil
            clusters = nil
            dimensions = []
            bootclusterName = nil
            return
        }
        let names = try Self.clusterDimensions(model, options, type: type)
        var groups: [Grouping] = []
        for columns in names { groups.append(try Self.grouping(model, columns, type: type)) }
        dimensions = groups
        clusterName = names.map { $0.joined(separator: "^") }.joined(separator: "+")
        guard groups.count == 2 else {
            clusters = groups[0]
            bootclusterName = names[0].joined(separator: "^")
            return
        }
        switch options.bootcluster {
        case .fewest:
            let j = groups[1].levelCount < groups[0].levelCount ? 1 : 0
            (clusters, bootclusterName) = (groups[j], names[j].joined(separator: "^"))
        case .intersection:
            (clusters, bootclusterName) = (CovarianceEstimator.intersect(groups), names.map { $0.joined(separator: "^") }.joined(separator: "∩"))
        case .columns(let columns):
            (clusters, bootclusterName) = (try Self.grouping(model, columns, type: type), columns.joined(separator: "^"))
        }
    }

    /// The groups of `columns` on the estimation sample, at least two of them.
    static func grouping(_ model: SensitivityModel, _ columns: [String], type: BootstrapType) throws(ModelError) -> Grouping {
        guard !columns.isEmpty, !columns.contains(where: \.isEmpty) else { throw .invalidOption("--cluster needs a column name") }
        let groups = try model.grouping(columns, on: model.fit.sample)
        guard groups.levelCount >= 2 else {
            throw .invalidOption("the \(type.rawValue) bootstrap needs at least two clusters, and \(columns.joined(separator: "^")) has \(groups.levelCount) in the estimation sample; cluster by a variable with more groups")
        }
        return groups
    }

    /// The clustering dimensions: those given (`clusters`, else `cluster`), else the
    /// covariance's cluster variables, else the first fixed effect; two only for the wild
    /// bootstrap.
    static func clusterDimensions(_ model: SensitivityModel, _ options: BootstrapOptions,
                                  type: BootstrapType) throws(ModelError) -> [[String]] {
        let names: [[String]]
        if let given = options.clusters ?? options.cluster.map({ [$0] }) {
            names = given
        } else if case .cluster(let vcov)? = model.options.covariance {
            names = vcov.map { $0.split(separator: "^").map(String.init) }
        } else if let first = model.fit.fixedEffects.first {
            names = [first.name.split(separator: "^").map(String.init)]
        } else {
            throw .invalidOption("the \(type.rawValue) bootstrap needs clusters: give --cluster COL (a column of the data), or --vcov cluster:COL")
        }
        guard !names.isEmpty else { throw .invalidOption("--cluster needs a column name") }
        guard names.count <= 2 else {
            throw .invalidOption("the wild bootstrap clusters one or two ways, and \(names.count) clustering dimensions were given (\(names.map { $0.joined(separator: "^") }.joined(separator: ", "))); keep two, or interact columns with ^")
        }
        if names.count == 2 && type != .wild {
            throw .invalidOption("two-way clusters (\(names.map { $0.joined(separator: "^") }.joined(separator: ", "))) are supported by the wild bootstrap of OLS only; the \(type.rawValue) bootstrap clusters one way: choose one with --cluster")
        }
        return names
    }

    /// The level's two-sided α = 1 − level.
    var alpha: Double { 1 - level }
}

/// The estimation sample of the fit (after singleton and separation trimming) as a frame,
/// and its active design columns.
enum BootstrapSample {
    /// `model.frame` restricted to the rows of `model.fit.sample`, in that order.
    static func frame(_ model: SensitivityModel) throws(ModelError) -> ModelFrame {
        try model.fitFrame(report: model.fit.report)
    }

    /// The active design columns of the fit (the frame's columns of `fit.coefficients`).
    static func activeColumns(_ model: SensitivityModel) throws(ModelError) -> [Int] {
        var out: [Int] = []
        for c in model.fit.coefficients {
            guard let j = model.frame.coefficientNames.firstIndex(of: c.term) else {
                throw .numerical("the fit's term \(c.term) is not a column of its frame")
            }
            out.append(j)
        }
        return out
    }
}

extension SensitivityModel {
    /// Every replicate's t* for each tested term (wild and score bootstraps), NaN for the
    /// failed ones, in replicate order: what the p-values count, for checks against
    /// references that publish the whole bootstrap distribution and for plotting it
    /// (`steppe sensitivity bootstrap --plot`). The same draws as `bootstrap(_:progress:)`
    /// with the same options; the terms in the order of `BootstrapResult.terms`.
    ///
    /// - Throws: `ModelError.invalidOption` for the pairs and cluster bootstraps, which
    ///   keep no statistics per replicate; as `bootstrap(_:progress:)` otherwise.
    public func bootstrapReplicateStatistics(_ options: BootstrapOptions) throws(ModelError) -> [[Double]] {
        let plan = try BootstrapPlan(self, options)
        guard let clusters = plan.clusters, plan.type.isWild else {
            throw .invalidOption("only the wild and score bootstraps have replicate statistics")
        }
        var out: [[Double]] = []
        if plan.type == .wild {
            let wild = try WildBootstrap.setup(self, plan)
            for m in plan.termIndices {
                let d = try WildTermKernel(wild.design, structure: wild.structure, term: m).distribution(wild.draws, imposeNull: plan.imposeNull)
                out.append(d.statistics(delta: plan.imposeNull ? fit.coefficients[m].estimate - plan.nullValue : 0))
            }
            return out
        }
        let draws = WildWeightDraws(clusters: clusters.levelCount, requested: plan.replicates, kind: plan.weights, seed: plan.seed)
        let setup = try ScoreSetup(self, clusters: clusters)
        for m in plan.termIndices {
            let mu = plan.imposeNull ? try setup.restrictedMeans(term: m, null: plan.nullValue, start: fit.fittedValues) : fit.fittedValues
            let design = try setup.design(means: mu)
            out.append(setup.distribution(design.projectedScores(design.breadColumn(m)), draws).statistics(delta: 0))
        }
        return out
    }
}
