import Foundation

/// Snedecor's F distribution with d₁ > 0 (numerator) and d₂ > 0 (denominator) degrees of freedom.
///
/// Tails from the regularized incomplete beta function, P(F ≤ f) = I_x(d₁/2, d₂/2)
/// with x = d₁f/(d₁f + d₂) and 1 − x = d₂/(d₁f + d₂) each formed directly.
/// Quantiles by `QuantileSolver`. Matches scipy.stats.f to 1e-12 relative on the
/// committed table where scipy agrees with 60-digit mpmath; where it does not (its
/// upper quantiles near 1e-8 lose up to 8 digits), Steppe matches mpmath.
public struct FDistribution: ContinuousDistribution, Equatable {
    /// d₁, the numerator degrees of freedom.
    public let numeratorDegreesOfFreedom: Double
    /// d₂, the denominator degrees of freedom.
    public let denominatorDegreesOfFreedom: Double

    /// F with d₁ and d₂ degrees of freedom; both may be fractional.
    ///
    /// - Throws: `invalidArgument` unless both are finite and positive.
    public init(numeratorDegreesOfFreedom d1: Double, denominatorDegreesOfFreedom d2: Double) throws(NumericsError) {
        guard d1.isFinite, d1 > 0, d2.isFinite, d2 > 0 else {
            throw .invalidArgument(operation: "FDistribution", detail: "degrees of freedom must be finite and positive, got \(d1), \(d2)")
        }
        numeratorDegreesOfFreedom = d1
        denominatorDegreesOfFreedom = d2
    }

    /// (I_x(d₁/2, d₂/2), 1 − I_x) at f > 0.
    private func tails(_ f: Double) -> (lower: Double, upper: Double) {
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        if f.isInfinite { return (1, 0) }
        let x: Double, y: Double
        let ratio = (d1 / d2) * f          // d₁f/d₂, formed without overflow of d₁f
        if ratio > 1 {
            let r = 1 / ratio
            x = 1 / (1 + r); y = r / (1 + r)
        } else {
            x = ratio / (1 + ratio); y = 1 / (1 + ratio)
        }
        let (value, complement) = SpecialFunctions.regularizedBeta(d1 / 2, d2 / 2, x: x, y: y)
        return (value, complement)
    }

    public func density(_ x: Double) -> Double {
        if x < 0 { return 0 }
        return exp(logDensity(x))
    }

    func logDensity(_ f: Double) -> Double {
        let a = numeratorDegreesOfFreedom / 2, b = denominatorDegreesOfFreedom / 2
        let ratio = (numeratorDegreesOfFreedom / denominatorDegreesOfFreedom) * f
        return a * log(numeratorDegreesOfFreedom / denominatorDegreesOfFreedom) + (a - 1) * log(f)
            - (a + b) * log1p(ratio) - SpecialFunctions.logBeta(a, b)
    }

    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 0 }
        return tails(x).lower
    }

    public func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        return tails(x).upper
    }

    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        return p <= 0.5 ? solve(p, tail: .lower) : solve(1 - p, tail: .upper)
    }

    public func survivalQuantile(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        if q == 0 { return .infinity }
        if q == 1 { return 0 }
        return q <= 0.5 ? solve(q, tail: .upper) : solve(1 - q, tail: .lower)
    }

    private func solve(_ t: Double, tail: QuantileSolver.Tail) -> Double {
        QuantileSolver.solve(target: t, tail: tail, start: 1,
                             probability: { tail == .lower ? tails($0).lower : tails($0).upper },
                             logDensity: logDensity)
    }
}
