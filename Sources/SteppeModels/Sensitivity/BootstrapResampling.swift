import Foundation
import SteppeNumerics

/// The pairs and cluster bootstraps, for any model: the estimation sample resampled with
/// replacement and the model refitted on each resample, with the fit's estimator and
/// options (iid standard errors, which the refits do not use).
///
/// - Pairs: replicate b draws n rows, `nextInt(below: n)` n times from stream b.
/// - Cluster: replicate b draws G clusters, `nextInt(below: G)` G times, and takes each drawn
///   cluster's rows in sample order (a cluster drawn twice appears twice; its fixed-effect
///   levels stay shared, which leaves the within estimates unchanged).
/// Each refit trims the singletons and separated observations its resample creates. A refit
/// that throws or whose IRLS does not converge fails for every term, and a term the
/// resample cannot estimate (dropped as collinear, absorbed) fails for that term; failures
/// are counted with their reasons and left out.
///
/// Per term, over the R feasible replicates' estimates β*:
/// - standard error: their standard deviation, √(Σ(β* − β̄*)²/(R − 1)) (Efron & Tibshirani;
///   Stata's `bootstrap`, R's `boot`);
/// - interval: the percentile interval, the (1 − level)/2 and (1 + level)/2 quantiles of
///   β* by linear interpolation (R's quantile type 7, numpy's default);
/// - t = (β̂ − null)/se and p = 2(1 − Φ(|t|)), the normal approximation that Stata's
///   `bootstrap` reports.
/// Matches a numpy reimplementation that draws the same rows from Steppe's generator
/// (xoshiro256**, reimplemented in the fixture script) and refits with numpy, to 1e-10.
enum ResamplingBootstrap {
    static func run(_ model: SensitivityModel, _ plan: BootstrapPlan, progress: ProgressHandler?) throws(ModelError) -> BootstrapResult {
        let frame = try BootstrapSample.frame(model)
        let members = plan.clusters.map(Self.members)
        let options = { var o = model.options; o.covariance = .iid; o.absorptionCache = nil; return o }()
        let terms = plan.termIndices.map { model.fit.coefficients[$0].term }
        let n = frame.observations
        let refits = Replicates.run(count: plan.replicates, seed: plan.seed, progress: progress) { _, random in
            let rows = members.map { Self.clusterDraw($0, &random) } ?? (0..<n).map { _ in random.nextInt(below: n) }
            return Self.refit(model, frame.restricted(to: rows, report: frame.report), options: options, terms: terms)
        }
        let outcomes = plan.termIndices.enumerated().map { position, m in
            Self.summary(model, plan, term: m, estimates: refits.map { $0[position] })
        }
        let reference = plan.type == .pairs
            ? "pairs bootstrap: bootstrap standard error and percentile interval (Stata's bootstrap, R's boot)"
            : "cluster bootstrap: clusters resampled; bootstrap standard error and percentile interval (Stata's bootstrap, cluster())"
        return BootstrapResult(type: plan.type, weights: nil, replicates: plan.replicates, enumerated: false,
                               clusterVariable: plan.clusterName, clusters: plan.clusters?.levelCount, seed: plan.seed,
                               confidenceLevel: plan.level, reference: reference,
                               terms: outcomes.map { $0.result(plan, replicates: plan.replicates, enumerated: false) })
    }

    /// The rows of each cluster, in sample order.
    static func members(_ g: Grouping) -> [[Int]] {
        var out = [[Int]](repeating: [], count: g.levelCount)
        for (i, c) in g.codes.enumerated() { out[Int(c)].append(i) }
        return out
    }

    /// G clusters drawn with replacement; their rows concatenated in the order drawn.
    static func clusterDraw(_ members: [[Int]], _ random: inout SeededRandom) -> [Int] {
        var rows: [Int] = []
        for _ in 0..<members.count { rows += members[random.nextInt(below: members.count)] }
        return rows
    }

    /// Each term's estimate in the refit, or why there is none.
    static func refit(_ model: SensitivityModel, _ variant: ModelFrame, options: EstimationOptions,
                      terms: [String]) -> [Result<Double, BootstrapRefitFailure>] {
        let fit: FitResult
        do { fit = try model.refit(variant, options: options) } catch {
            return terms.map { _ in .failure(BootstrapRefitFailure(reason: "the refit failed: \(error.description)")) }
        }
        guard fit.report.converged else {
            return terms.map { _ in .failure(BootstrapRefitFailure(reason: "the refit's IRLS did not converge")) }
        }
        return terms.map { term in
            guard let b = fit.coefficient(term)?.estimate, b.isFinite else {
                return .failure(BootstrapRefitFailure(reason: "\(term) is not estimable in the resample (collinear or absorbed)"))
            }
            return .success(b)
        }
    }

    /// Standard error, percentile interval, t and p of one term from its replicates.
    static func summary(_ model: SensitivityModel, _ plan: BootstrapPlan, term m: Int,
                        estimates: [Result<Double, BootstrapRefitFailure>]) -> TermOutcome {
        let coefficient = model.fit.coefficients[m]
        var out = TermOutcome(term: coefficient.term, estimate: coefficient.estimate, intervalMethod: "percentile")
        var values: [Double] = []
        for e in estimates {
            switch e {
            case .success(let b): values.append(b)
            case .failure(let f): out.failures.append(f.reason)
            }
        }
        guard values.count >= 2 else {
            for key in ["stdError", "tStatistic", "pValue", "confLow", "confHigh"] {
                out.reasons[key] = "fewer than two replicates could be refitted"
            }
            return out
        }
        var sum = CompensatedSum()
        for b in values { sum.add(b) }
        let mean = sum.value / Double(values.count)
        var ss = CompensatedSum()
        for b in values { ss.add((b - mean) * (b - mean)) }
        out.standardError = (ss.value / Double(values.count - 1)).squareRoot()
        out.statistic = (coefficient.estimate - plan.nullValue) / out.standardError
        out.pValue = 2 * Normal.standard.survival(abs(out.statistic))
        if !out.statistic.isFinite { out.reasons["tStatistic"] = "the bootstrap standard error is 0: every replicate gave the same estimate" }
        if plan.intervals {
            let sorted = values.sorted()
            out.interval = (SampleQuantile.type7(sorted, plan.alpha / 2), SampleQuantile.type7(sorted, 1 - plan.alpha / 2))
        } else {
            out.reasons["confLow"] = "not computed (intervals were turned off)"
            out.reasons["confHigh"] = out.reasons["confLow"]
        }
        return out
    }
}

/// Why a replicate's refit gave no estimate.
struct BootstrapRefitFailure: Error, Sendable {
    let reason: String
}
