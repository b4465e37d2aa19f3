import Foundation
import SteppeData
import SteppeNumerics

extension SpecificationCurve {
    /// The three statistics of a whole curve that Simonsohn, Simmons & Nelson (2020) test,
    /// each oriented in the direction of the observed median (`direction`, ±1).
    public struct CurveStatistics: Sendable, Equatable {
        /// The median estimate.
        public let median: Double
        /// The share of estimated specifications significant (p < α) with the sign of `direction`.
        public let shareSignificant: Double
        /// Stouffer's Z: Σ_s Φ⁻¹(1 − p₁,s)/√S, p₁,s the one-sided p-value of specification s in
        /// `direction` (p/2 when its estimate has that sign, 1 − p/2 otherwise); an NA p-value
        /// (a degenerate refit) counts as 1, adding 0.
        public let stouffer: Double
        /// Specifications estimated.
        public let specifications: Int
    }

    /// Inference for the curve under the null that the term has no effect in any specification.
    public struct NullTest: Sendable {
        /// Replicates drawn, and those in which at least one specification was estimated.
        public let replicates: Int
        public let completed: Int
        /// +1 or −1: the sign of the observed median; every statistic is oriented by it.
        public let direction: Double
        public let observed: CurveStatistics
        /// Each completed replicate's statistics, in replicate order.
        public let null: [CurveStatistics]
        /// Shares of completed replicates at least as extreme as observed, in `direction`:
        /// median·direction, the share significant, and Stouffer's Z.
        public let pValueMedian: Double
        public let pValueShare: Double
        public let pValueStouffer: Double
        /// Specification fits that failed across replicates, and the first reason.
        public let failedFits: Int
        public let firstFailure: String?
    }

    /// How the null is imposed and resampled.
    public struct NullOptions: Sendable {
        /// Bootstrap replicates (specr's `n_samples`; default 500).
        public var replicates: Int
        public var seed: UInt64
        public init(replicates: Int = 500, seed: UInt64 = 1) {
            self.replicates = replicates
            self.seed = seed
        }
    }

    /// The null test of `curve`, as R's specr `boot_null` (Simonsohn et al. 2020, §"Inference").
    ///
    /// Each estimated specification s imposes the null on its own outcome with its own
    /// estimate b_s of the term x: y − b_s·x for linear models (on the specification's
    /// scale, e.g. log y − b_s·x for ols-log), y·exp(−b_s·x) for log-link GLMs and PPML,
    /// whose mean then no longer depends on x. Replicate r draws the table's rows with
    /// replacement (n draws from stream r of `seed`), and every specification is refitted
    /// to its null outcome on its rows of that draw, so all specifications see the same
    /// resample, as specr's. Rows are resampled independently: with clustered data the
    /// null distribution ignores the clustering, as specr's does.
    ///
    /// - Throws: `ModelError.invalidOption` for fewer than 99 replicates, a term with more than
    ///   one column, or a link other than identity and log.
    static func nullTest(_ curve: Result, plans: [SpecificationPlan], frames: SpecificationFrames, rows: Int,
                         options: NullOptions, link: Link?, progress: ProgressHandler?) throws(ModelError) -> NullTest {
        guard options.replicates >= 99 else { throw .invalidOption("--null-reps must be at least 99, got \(options.replicates)") }
        let resamples: @Sendable (Int, inout SeededRandom) -> [Int] = { _, random in
            var counts = [Int](repeating: 0, count: rows)
            for _ in 0..<rows { counts[random.nextInt(below: rows)] += 1 }
            return counts
        }
        return try nullTest(curve, plans: plans, frames: frames, count: options.replicates, seed: options.seed,
                            link: link, progress: progress, counts: resamples)
    }

    /// The null test with given resamples: `counts(r, &random)` is how many times each table
    /// row enters replicate r (the references pass their own draws).
    static func nullTest(_ curve: Result, plans: [SpecificationPlan], frames: SpecificationFrames, count: Int, seed: UInt64,
                         link: Link?, progress: ProgressHandler?,
                         counts: @escaping @Sendable (Int, inout SeededRandom) -> [Int]) throws(ModelError) -> NullTest {
        let estimated = zip(plans, curve.unranked).compactMap { plan, spec in spec.coefficient.map { (plan, $0.estimate) } }
        let nulls = try estimated.map { plan, b throws(ModelError) in try NullOutcome(plan: plan, frames: frames, term: curve.term, estimate: b, link: link) }
        let alpha = curve.alpha
        let observed = statistics(curve.specifications.compactMap(\.coefficient).map { ($0.estimate, $0.pValue) },
                                  direction: curve.median < 0 ? -1 : 1, alpha: alpha)
        let direction = curve.median < 0 ? -1.0 : 1.0
        let replicates = Replicates.run(count: count, seed: seed, progress: progress) { r, random in
            let weights = counts(r, &random)
            var fitted: [(Double, Double)] = [], failed = 0, first: String? = nil
            for null in nulls {
                switch null.fit(counts: weights, frames: frames, term: curve.term) {
                case .success(let c): fitted.append(c)
                case .failure(let why): failed += 1; if first == nil { first = why.reason }
                }
            }
            return (stats: fitted.isEmpty ? nil : statistics(fitted, direction: direction, alpha: alpha), failed: failed, first: first)
        }
        let completed = replicates.compactMap(\.stats)
        guard !completed.isEmpty else {
            throw .invalidOption("no null replicate estimated any specification: \(replicates.first?.first ?? "unknown reason")")
        }
        func share(_ extreme: (CurveStatistics) -> Bool) -> Double { Double(completed.filter(extreme).count) / Double(completed.count) }
        return NullTest(replicates: count, completed: completed.count, direction: direction, observed: observed, null: completed,
                        pValueMedian: share { $0.median * direction >= observed.median * direction },
                        pValueShare: share { $0.shareSignificant >= observed.shareSignificant },
                        pValueStouffer: share { $0.stouffer >= observed.stouffer },
                        failedFits: replicates.reduce(0) { $0 + $1.failed }, firstFailure: replicates.lazy.compactMap(\.first).first)
    }

    /// The curve statistics of (estimate, p-value) pairs, oriented by `direction`.
    static func statistics(_ fits: [(estimate: Double, pValue: Double)], direction: Double, alpha: Double) -> CurveStatistics {
        let sorted = fits.map(\.estimate).sorted()
        let m = sorted.count
        let median = SampleQuantile.median(sorted: sorted)
        let significant = fits.filter { $0.pValue < alpha && $0.estimate * direction > 0 }.count
        // A p-value that is NA (a degenerate refit: a perfect fit or one cluster in a resample)
        // counts as 1, no evidence, so Φ⁻¹ adds 0: a NaN here had added Φ⁻¹(NaN) to the sum.
        // Φ⁻¹(1 − p₁) is Φ̄⁻¹(p/2) in the direction and −Φ̄⁻¹(p/2) against it, both from p/2
        // (floored at the least normal double: ±37.5 at most): 1 − p/2 rounds to 1 for
        // p < 2.2e-16, which had made one such specification's term, and the sum, −∞.
        let z = fits.reduce(0.0) { sum, f in
            let p = f.pValue.isNaN ? 1 : f.pValue
            let q = Normal.standard.survivalQuantile(max(p / 2, Double.leastNormalMagnitude))
            return sum + (f.estimate * direction > 0 ? q : -q)
        }
        return CurveStatistics(median: median, shareSignificant: Double(significant) / Double(m),
                               stouffer: z / Double(m).squareRoot(), specifications: m)
    }
}

/// One specification with the null imposed on its outcome (see `SpecificationCurve.nullTest`).
struct NullOutcome: Sendable {
    let plan: SpecificationPlan
    /// The null outcome on the specification's frame, in the frame's order.
    let response: [Double]

    init(plan: SpecificationPlan, frames: SpecificationFrames, term: String, estimate b: Double, link: Link?) throws(ModelError) {
        let prepared = try frames.prepare(plan)
        let frame = prepared.frame
        let columns = frame.coefficientNames.indices.filter { frame.coefficientNames[$0] == term }
        guard columns.count == 1 else {
            throw .invalidOption("the null test needs \(term) to be one numeric column of \(plan.label)")
        }
        let x = frame.design.column(columns[0])
        let model = plan.scale.model
        let effectiveLink = model.family == nil ? Link.identity : (link ?? model.family!.defaultLink)
        switch effectiveLink {
        case .identity: response = zip(frame.response, x).map { $0 - b * $1 }
        case .log: response = zip(frame.response, x).map { $0 * exp(-b * $1) }
        }
        self.plan = plan
    }

    /// The specification refitted to its null outcome on the rows drawn `counts[row]` times.
    func fit(counts: [Int], frames: SpecificationFrames, term: String) -> Swift.Result<(Double, Double), NullFailure> {
        do {
            let prepared = try frames.prepare(plan)
            var positions: [Int] = []
            for (k, row) in prepared.tableRows.enumerated() where counts[row] > 0 {
                positions += repeatElement(k, count: counts[row])
            }
            guard !positions.isEmpty else { return .failure(NullFailure("no row of \(plan.label) was drawn")) }
            let frame = prepared.frame.replacingResponse(response).restricted(to: positions, report: prepared.frame.report)
            var options = prepared.options
            options.absorptionCache = nil     // every replicate is another sample: nothing to share
            let result = try Estimator.fit(frame, model: plan.scale.model, options: options)
            guard let c = result.coefficient(term), result.report.converged else {
                return .failure(NullFailure("\(plan.label): \(term) not estimated or the fit did not converge"))
            }
            return .success((c.estimate, c.pValue))
        } catch {
            return .failure(NullFailure("\(plan.label): \(error)"))
        }
    }
}

struct NullFailure: Error, Sendable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
