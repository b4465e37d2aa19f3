import Foundation

/// Student's t distribution with ν > 0 degrees of freedom.
///
/// Tails from the regularized incomplete beta function: for x ≥ 0,
/// P(T > x) = ½·I_{ν/(ν+x²)}(ν/2, ½), with ν/(ν+x²) and x²/(ν+x²) each computed
/// without cancellation or overflow (as r/(r + x) and x/(r + x), r = ν/x). Quantiles
/// by `QuantileSolver` on the upper tail, reflected for the lower. Matches
/// scipy.stats.t to 1e-12 relative on the committed table, tails to 1e-300, ν from 1 to 10⁵.
public struct StudentT: ContinuousDistribution, Equatable {
    /// ν, the degrees of freedom.
    public let degreesOfFreedom: Double

    /// t with ν degrees of freedom; ν may be fractional.
    ///
    /// - Throws: `invalidArgument` unless ν is finite and positive.
    public init(degreesOfFreedom: Double) throws(NumericsError) {
        guard degreesOfFreedom.isFinite, degreesOfFreedom > 0 else {
            throw .invalidArgument(operation: "StudentT", detail: "degrees of freedom must be finite and positive, got \(degreesOfFreedom)")
        }
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T > |x|) and P(T ≤ |x|), both without cancellation.
    private func tails(_ x: Double) -> (upper: Double, lower: Double) {
        let v = degreesOfFreedom
        let t = abs(x)
        if t.isInfinite { return (0, 1) }
        if t == 0 { return (0.5, 0.5) }
        // w = v/(v + t²) and 1 − w = t²/(v + t²), scaled to avoid overflow of t².
        let w: Double, wc: Double
        if t > 1 {
            let r = v / t
            w = r / (r + t); wc = t / (r + t)
        } else {
            w = v / (v + t * t); wc = t * t / (v + t * t)
        }
        if w < 1e-200 {
            // Far tail (t ≳ 1e100·√ν): I_w(a, ½) = w^a/(a·B(a, ½))·(1 + O(w)), in logarithms since w^a may
            // underflow where the answer does not; ln w = ln ν − 2 ln t − ln(1 + ν/t²).
            let a = v / 2
            let logW = log(v) - 2 * log(t) - log1p((v / t) / t)
            let upper = 0.5 * exp(a * logW - log(a) - SpecialFunctions.logBeta(a, 0.5))
            return (upper, 1 - upper)
        }
        let (value, complement) = SpecialFunctions.regularizedBeta(v / 2, 0.5, x: w, y: wc)
        return (0.5 * value, 0.5 + 0.5 * complement)
    }

    public func density(_ x: Double) -> Double { exp(logDensity(x)) }

    func logDensity(_ x: Double) -> Double {
        let v = degreesOfFreedom
        return -0.5 * (v + 1) * log1p(x * x / v) - 0.5 * log(v) - SpecialFunctions.logBeta(v / 2, 0.5)
    }

    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let (upper, lower) = tails(x)
        return x < 0 ? upper : lower
    }

    public func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        let (upper, lower) = tails(x)
        return x < 0 ? lower : upper
    }

    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return p <= 0.5 ? -upperTailQuantile(p) : upperTailQuantile(1 - p)
    }

    public func survivalQuantile(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        return q <= 0.5 ? upperTailQuantile(q) : -upperTailQuantile(1 - q)
    }

    /// The x ≥ 0 with P(T > x) = q, for q ∈ [0, ½].
    private func upperTailQuantile(_ q: Double) -> Double {
        if q == 0 { return .infinity }
        if q == 0.5 { return 0 }
        let v = degreesOfFreedom
        // Start from the normal quantile, or from the power-law tail x ≈ (c/q)^(1/ν) when that is further out.
        let z = -Normal.standardQuantile(q)
        let logC = 0.5 * (v - 1) * log(v) - SpecialFunctions.logBeta(v / 2, 0.5) - log(v)
        let tailStart = exp((logC - log(q)) / v)
        let start = max(z, tailStart.isFinite ? min(tailStart, 1e300) : z, 1e-8)
        return QuantileSolver.solve(target: q, tail: .upper, start: start,
                                    probability: { tails($0).upper }, logDensity: logDensity)
    }
}
