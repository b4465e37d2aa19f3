import Foundation

/// The normal distribution N(μ, σ²).
///
/// cdf and survival from the complementary error function, Φ(x) = ½·erfc(−x/√2)
/// (glibc's `erfc`, correct to about an ulp), so tails keep full relative accuracy
/// down to 1e-308. Quantiles by Wichura's AS 241 (PPND16, relative error about
/// 1e-16), then one Newton step on the tail that is being inverted.
/// Matches scipy.stats.norm to 1e-12 relative on the committed table.
public struct Normal: ContinuousDistribution, Equatable {
    /// The mean μ.
    public let mean: Double
    /// The standard deviation σ > 0.
    public let standardDeviation: Double

    /// N(μ, σ²). Default: the standard normal.
    ///
    /// - Throws: `invalidArgument` unless μ is finite and σ is finite and positive.
    public init(mean: Double = 0, standardDeviation: Double = 1) throws(NumericsError) {
        guard mean.isFinite, standardDeviation.isFinite, standardDeviation > 0 else {
            throw .invalidArgument(operation: "Normal", detail: "needs a finite mean and a positive standard deviation, got \(mean), \(standardDeviation)")
        }
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    private init(unchecked: Void) { mean = 0; standardDeviation = 1 }

    /// N(0, 1).
    public static let standard = Normal(unchecked: ())

    private func z(_ x: Double) -> Double { (x - mean) / standardDeviation }

    public func density(_ x: Double) -> Double {
        let t = z(x)
        return exp(-0.5 * t * t - SpecialFunctions.halfLogTwoPi) / standardDeviation
    }

    public func cdf(_ x: Double) -> Double { Self.standardLowerTail(z(x)) }

    public func survival(_ x: Double) -> Double { Self.standardLowerTail(-z(x)) }

    public func quantile(_ p: Double) -> Double {
        mean + standardDeviation * Self.standardQuantile(p)
    }

    public func survivalQuantile(_ q: Double) -> Double {
        mean - standardDeviation * Self.standardQuantile(q)
    }

    /// Φ(x) = ½·erfc(−x/√2): no cancellation in either tail.
    static func standardLowerTail(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return 0.5 * erfc(-x * 0.707_106_781_186_547_524_4)
    }

    /// Φ⁻¹(p) by AS 241 with one Newton correction on the smaller tail.
    static func standardQuantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Invert the smaller tail: p below ½ as given, above ½ through 1 − p (exact there).
        let lower = p < 0.5
        let tail = lower ? p : 1 - p
        var x = as241(tail)          // x < 0 with Φ(x) = tail
        let f = standardLowerTail(x) - tail
        let d = exp(-0.5 * x * x - SpecialFunctions.halfLogTwoPi)
        if d > 0 { x -= f / d }
        return lower ? x : -x
    }

    /// Wichura (1988), Algorithm AS 241, PPND16, for p ∈ (0, ½]: returns x ≤ 0 with Φ(x) = p.
    private static func as241(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r
                + 6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r
                + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
                + 1.3314166789178437745e+2) * r + 3.3871328727963666080e0)
            let den = (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r
                + 3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r
                + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
                + 4.2313330701600911252e+1) * r + 1.0)
            return q * num / den
        }
        var r = (-log(p)).squareRoot()
        let x: Double
        if r <= 5 {
            r -= 1.6
            let num = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
            let den = (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                + 2.05319162663775882187e0) * r + 1.0)
            x = num / den
        } else {
            r -= 5
            let num = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
            let den = (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                + 5.99832206555887937690e-1) * r + 1.0)
            x = num / den
        }
        return -x
    }
}
