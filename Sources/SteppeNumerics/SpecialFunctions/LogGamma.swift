import Foundation

/// Special functions behind the distributions. Internal: the public surface is the
/// distribution types. Accuracy notes are on each function; the end-to-end check is the
/// scipy table in the tests (1e-12 relative, tails to 1e-300).
enum SpecialFunctions {
    /// ½·ln(2π).
    static let halfLogTwoPi = 0.918_938_533_204_672_741_78

    /// Stirling's remainder Δ(x) = lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x > 0.
    ///
    /// For x ≥ 10, the asymptotic series Σ B₂ₖ/(2k(2k−1)x^(2k−1)) to eight terms
    /// (truncation below 2e-18); it carries the small part of lnΓ without the
    /// cancellation that subtracting two large log-gammas would cost. Below 10, by
    /// definition from `logGamma`.
    static func stirlingRemainder(_ x: Double) -> Double {
        if x >= 10 {
            let z = 1 / (x * x)
            let c: [Double] = [1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
                               -691.0 / 360_360, 1.0 / 156, -3617.0 / 122_400]
            var s = c[7]
            for k in stride(from: 6, through: 0, by: -1) { s = s * z + c[k] }
            return s / x
        }
        return logGamma(x) - ((x - 0.5) * log(x) - x + halfLogTwoPi)
    }

    /// lnΓ(x) for x > 0, to about 1e-15 absolute (what exponents need).
    ///
    /// Stirling's series for x ≥ 10; below that, the recurrence
    /// lnΓ(x) = lnΓ(x + n) − ln(x(x+1)…(x+n−1)) with x + n ≥ 10.
    /// Own code rather than libm's `lgamma`, which writes the global `signgam` (a data race under threads).
    static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "logGamma requires x > 0")
        if x >= 10 {
            return (x - 0.5) * log(x) - x + halfLogTwoPi + stirlingRemainder(x)
        }
        var product = 1.0
        var shifted = x
        while shifted < 10 { product *= shifted; shifted += 1 }
        return logGamma(shifted) - log(product)
    }

    /// Δ(a) + Δ(b) − Δ(a + b), the correction term of ln B(a, b) for large a, b (TOMS 708's `bcorr`).
    static func betaCorrection(_ a: Double, _ b: Double) -> Double {
        stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(a + b)
    }

    /// ln Γ(b)/Γ(a + b)... precisely ln Γ(a) − ln Γ(a + b) for a ≥ 10 and any b > 0 (TOMS 708's `algdiv`):
    /// −b·ln a − (a + b − ½)·ln(1 + b/a) + b + Δ(a) − Δ(a + b), with no large terms cancelling.
    static func logGammaRatio(_ a: Double, plus b: Double) -> Double {
        -b * log(a) - (a + b - 0.5) * log1p(b / a) + b + stirlingRemainder(a) - stirlingRemainder(a + b)
    }

    /// ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b), for a, b > 0, to about 1e-15 relative to the larger of 1 and |ln B|.
    ///
    /// Both ≥ 10: (p − ½)ln(p/(p+q)) + q·ln(1 − p/(p+q)) − ½ln q + ½ln 2π + Δ-correction, p ≤ q.
    /// One ≥ 10: lnΓ(p) + [lnΓ(q) − lnΓ(p+q)] by `logGammaRatio`. Both small: directly.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let p = min(a, b), q = max(a, b)
        if p >= 10 {
            let w = p / (p + q)
            return (p - 0.5) * log(w) + q * log1p(-w) - 0.5 * log(q) + halfLogTwoPi + betaCorrection(p, q)
        }
        if q >= 10 {
            return logGamma(p) + logGammaRatio(q, plus: p)
        }
        return logGamma(p) + logGamma(q) - logGamma(p + q)
    }

    /// e − ln(1 + e) for e > −1, accurate for small |e| where the two terms cancel (TOMS 708's `rlog1`).
    ///
    /// For |e| ≤ ½: with t = e/(2 + e), ln(1 + e) = 2·atanh t, so
    /// e − ln(1 + e) = t·e − 2(t³/3 + t⁵/5 + …), every term of one sign.
    static func logOnePlusComplement(_ e: Double) -> Double {
        if abs(e) > 0.5 { return e - log1p(e) }
        let t = e / (2 + e)
        let t2 = t * t
        var term = t * t2
        var series = 0.0
        var k = 3.0
        while true {
            let add = term / k
            series += add
            if abs(add) <= 1e-17 * abs(series) || k > 80 { break }
            term *= t2
            k += 2
        }
        return t * e - 2 * series
    }
}
