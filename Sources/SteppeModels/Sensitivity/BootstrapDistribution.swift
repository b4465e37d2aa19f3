import Foundation
import SteppeNumerics

/// The bootstrap statistics of one term as functions of the tested null, in the form the
/// fast wild bootstrap gives them (Roodman et al. 2019, section 3.5): with δ = β̂ − r for
/// the null r, replicate b's statistic is
///
///     t*_b(δ) = N_b(δ) / √(c·D_b(δ)),  N_b = n0_b + δ·n1_b,  D_b = q0_b + 2δ·q1_b + δ²·q2_b,
///
/// c the small-sample factor. So once the five numbers of each replicate are known, the
/// p-value at any null costs O(B), which makes the confidence interval by test inversion
/// cheap. (For the unrestricted bootstrap and the score bootstrap the δ parts are 0.)
struct BootstrapDistribution: Sendable {
    var n0: [Double], n1: [Double], q0: [Double], q1: [Double], q2: [Double]
    let factor: Double

    init(count: Int, factor: Double) {
        n0 = [Double](repeating: 0, count: count)
        n1 = n0; q0 = n0; q1 = n0; q2 = n0
        self.factor = factor
    }

    var count: Int { n0.count }

    /// Room for `capacity` replicates in each array.
    mutating func reserve(_ capacity: Int) {
        n0.reserveCapacity(capacity); n1.reserveCapacity(capacity)
        q0.reserveCapacity(capacity); q1.reserveCapacity(capacity); q2.reserveCapacity(capacity)
    }

    /// Appends another block's replicates (same factor).
    mutating func append(_ other: BootstrapDistribution) {
        n0 += other.n0; n1 += other.n1; q0 += other.q0; q1 += other.q1; q2 += other.q2
    }

    /// t*_b(δ), or NaN when its denominator is not positive and finite (a failed replicate).
    @inline(__always)
    func statistic(_ b: Int, delta: Double) -> Double {
        let d = q0[b] + delta * (2 * q1[b] + delta * q2[b])
        guard d > 0, d.isFinite else { return .nan }
        return (n0[b] + delta * n1[b]) / (factor * d).squareRoot()
    }

    /// Every replicate's statistic at δ.
    func statistics(delta: Double) -> [Double] { (0..<count).map { statistic($0, delta: delta) } }

    /// The symmetric p-value of `observed` against the replicates at δ (see `BootstrapPValue`).
    /// Counts in one pass with no array of statistics (the interval's test inversion calls
    /// it up to 200 times); each t*_b is computed exactly as `statistic(_:delta:)` does.
    func pValue(observed: Double, delta: Double) -> BootstrapPValue {
        let threshold = abs(observed) * (1 - BootstrapPValue.tieTolerance)
        var extreme = 0, failed = 0
        for b in 0..<count {
            let t = statistic(b, delta: delta)
            if !t.isFinite { failed += 1; continue }
            if abs(t) >= threshold { extreme += 1 }
        }
        return BootstrapPValue(observed: observed, extreme: extreme, failed: failed, total: count)
    }
}

/// The two-sided symmetric bootstrap p-value: the share of the feasible replicates with
/// |t*_b| ≥ |t| (wildboottest's default "two-tailed" type, boottest's `ptype(symmetric)`).
///
/// Replicates whose statistic is not finite are failures: counted, and left out of the
/// denominator (as boottest's BFeas). A tie — |t*_b| within 10⁻¹⁰ relative of |t| — counts
/// as at least as extreme. Ties are not rare: under the null-imposed wild bootstrap the
/// sign vectors ±(1, …, 1) reproduce the original sample, so their t* equals t up to
/// rounding; counting them as ≥ (as the definition says) makes the p-value independent of
/// that rounding. wildboottest and boottest count |t*| > |t| strictly, so their p-value
/// may be lower by those replicates' share (2/2^G under full enumeration), decided by the
/// last bits of their arithmetic; the reference tests record and check both counts.
struct BootstrapPValue {
    let value: Double
    /// Replicates at least as extreme, feasible replicates, failed replicates.
    let extreme: Int
    let feasible: Int
    let failed: Int

    static let tieTolerance = 1e-10

    init(observed: Double, statistics: [Double]) {
        let threshold = abs(observed) * (1 - Self.tieTolerance)
        var extreme = 0, failed = 0
        for t in statistics {
            if !t.isFinite { failed += 1; continue }
            if abs(t) >= threshold { extreme += 1 }
        }
        self.init(observed: observed, extreme: extreme, failed: failed, total: statistics.count)
    }

    /// From counts already made: `extreme` of the `total − failed` feasible replicates.
    init(observed: Double, extreme: Int, failed: Int, total: Int) {
        self.extreme = extreme
        self.failed = failed
        feasible = total - failed
        value = feasible > 0 && observed.isFinite ? Double(extreme) / Double(feasible) : .nan
    }

    /// The failures' reasons, one per failed replicate.
    func failureReasons(_ why: String) -> [String] { Array(repeating: why, count: failed) }
}

/// Confidence intervals from bootstrap tests.
enum BootstrapInterval {
    /// The symmetric percentile-t interval β̂ ± se·a₍ₘ₎, a₍₁₎ ≥ a₍₂₎ ≥ … the sorted |t*_b| of
    /// the feasible replicates and m = ⌈α·B⌉. When the bootstrap distribution does not
    /// depend on the null (WCU, the unrestricted score bootstrap), this is exactly the set
    /// of nulls r whose symmetric p-value is at least α, the inversion of the test.
    static func percentileT(estimate: Double, standardError se: Double, statistics: [Double],
                            alpha: Double) -> (low: Double, high: Double) {
        let magnitudes = statistics.filter(\.isFinite).map { abs($0) }.sorted(by: >)
        let m = Int((alpha * Double(magnitudes.count)).rounded(.up))
        guard m >= 1, m <= magnitudes.count, se.isFinite else { return (.nan, .nan) }
        let q = magnitudes[m - 1]
        return (estimate - q * se, estimate + q * se)
    }

    /// The interval {r : p(r) ≥ α} found by inverting the test, as boottest does: from the
    /// estimate (where p = 1) outwards on each side, a bracket whose width doubles from
    /// 2·z·scale until p < α, then bisection to `tolerance`·scale (or `maxEvaluations`
    /// evaluations of p a side). p(r) is a step function of r; bisection finds where it
    /// crosses α nearest to the bracket (the set is an interval in practice; where it is
    /// not, the outermost crossing inside the first bracket). A side whose bracket reaches
    /// 2⁴⁰·scale without rejecting is unbounded (±∞).
    static func inverted(estimate: Double, scale: Double, alpha: Double, tolerance: Double, maxEvaluations: Int,
                         pValue: (Double) throws(ModelError) -> Double) throws(ModelError) -> (low: Double, high: Double) {
        guard scale > 0, scale.isFinite else { return (.nan, .nan) }
        let z = Normal.standard.survivalQuantile(alpha / 2)
        var ends: [Double] = []
        for direction in [-1.0, 1.0] {
            var inside = 0.0, outside = 2 * z
            var evaluations = 0
            var bounded = false
            while outside < 0x1p40 {
                evaluations += 1
                if try pValue(estimate + direction * outside * scale) < alpha { bounded = true; break }
                inside = outside
                outside *= 2
            }
            guard bounded else { ends.append(direction * .infinity); continue }
            while outside - inside > tolerance && evaluations < maxEvaluations {
                let mid = 0.5 * (inside + outside)
                evaluations += 1
                if try pValue(estimate + direction * mid * scale) < alpha { outside = mid } else { inside = mid }
            }
            ends.append(estimate + direction * 0.5 * (inside + outside) * scale)
        }
        return (ends[0], ends[1])
    }

}

/// The small-sample factor of the bootstrap's cluster-robust standard errors: the one the
/// fit's clustered covariance would use with these G clusters (`SmallSampleCorrection`):
/// fixest and statsmodels G/(G − 1)·(n − 1)/(n − K), K counted as fixest counts it (fixed
/// effects nested in the clusters not counted); Stata the same for linear models and
/// G/(G − 1) for likelihood models; none 1. The factor scales t and every t* alike, so
/// p-values and intervals do not depend on it; only the reported t does.
enum BootstrapFactor {
    static func cluster(_ model: SensitivityModel, frame: ModelFrame, clusters: Grouping, slopes: Int) -> Double {
        let correction = model.options.smallSampleCorrection
        let n = Double(frame.observations), g = Double(clusters.levelCount)
        let k = Double(CovarianceEstimator.parameterCount(slopes: slopes, fixedEffects: frame.fixedEffects, clusters: [clusters],
                                                          nested: correction == .fixest || correction == .stata))
        switch correction {
        case .fixest, .statsmodels: return g / (g - 1) * (n - 1) / (n - k)
        case .stata: return model.model == .ols ? g / (g - 1) * (n - 1) / (n - k) : g / (g - 1)
        case .none: return 1
        }
    }
}
