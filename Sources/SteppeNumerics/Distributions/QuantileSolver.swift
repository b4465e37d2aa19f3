import Foundation

/// Inverts a tail probability of a distribution on (0, ∞) by safeguarded Newton steps on
/// u = ln x, solving ln T(eᵘ) = ln t.
///
/// Working on logarithms of both the argument and the probability makes the problem
/// nearly linear in the tails (T ~ x^−ν for t and F, ~ e^−x for χ²), so a handful of
/// steps reach full precision from a rough start even for t = 1e-300. A bracket is
/// found first by doubling steps in u; a Newton step that leaves the bracket is
/// replaced by bisection; when the step in u is below 2e-16, Newton steps on x itself
/// restore the last digits (u = ln x holds only ulp(u) of absolute precision).
enum QuantileSolver {
    /// Which tail T is: the lower (cdf, increasing in x) or the upper (survival, decreasing).
    enum Tail { case lower, upper }

    /// - Parameters:
    ///   - target: t ∈ (0, 1), the tail probability wanted.
    ///   - tail: which tail `probability` computes.
    ///   - probability: T(x).
    ///   - logDensity: ln f(x), for the Newton derivative d ln T/du = ±x·f(x)/T(x).
    ///   - start: an initial guess x₀ > 0.
    /// - Returns: x > 0, or +∞ / 0 when the answer lies beyond the doubles.
    static func solve(target: Double, tail: Tail, start: Double,
                      probability: (Double) -> Double, logDensity: (Double) -> Double) -> Double {
        let logTarget = log(target)
        let sign: Double = tail == .lower ? 1 : -1
        let maxU = log(Double.greatestFiniteMagnitude), minU = log(Double.leastNormalMagnitude)
        // g(u) = sign·(ln T(eᵘ) − ln t) is increasing in u.
        func g(_ u: Double) -> Double { sign * (log(probability(exp(u))) - logTarget) }

        var u = log(max(start, Double.leastNormalMagnitude))
        if !u.isFinite { u = 0 }
        var gu = g(u)
        if gu == 0 { return exp(u) }
        var lo = -Double.infinity, hi = Double.infinity
        // Bracket: step in the direction that brings g to zero, doubling the stride.
        var stride = 1.0
        var current = u, gCurrent = gu
        while true {
            if gCurrent < 0 { lo = current } else { hi = current }
            if lo.isFinite && hi.isFinite { break }
            var next = gCurrent < 0 ? current + stride : current - stride
            if next > maxU {
                if current >= maxU { return .infinity }
                next = maxU
            }
            if next < minU {
                if current <= minU { return 0 }
                next = minU
            }
            stride *= 2
            current = next
            gCurrent = g(current)
            if gCurrent == 0 { return exp(current) }
            if gCurrent.isNaN { return .nan }
        }
        // Start Newton from whichever bracket end is closer to the root in g.
        u = current; gu = gCurrent
        for _ in 0..<200 {
            let x = exp(u)
            let t = probability(x)
            let slope = exp(logDensity(x) + u - log(t))   // |d ln T / du|
            var next = u - gu / slope
            if !(next > lo && next < hi) || !next.isFinite {
                next = 0.5 * (lo + hi)
            }
            let step = next - u
            u = next
            gu = g(u)
            if gu == 0 { break }
            if gu < 0 { lo = u } else { hi = u }
            if abs(step) <= 2e-16 * max(1, abs(u)) || hi - lo <= 2e-16 * max(1, abs(u)) { break }
        }
        // u carries only ulp(u) absolute precision (1e-13 near x = 1e300): finish with
        // Newton steps on x itself, x ← x ∓ (ln T(x) − ln t)·T(x)/f(x).
        var x = exp(u)
        for _ in 0..<3 {
            let t = probability(x)
            let correction = sign * (log(t) - logTarget) * t / exp(logDensity(x))
            guard correction.isFinite, abs(correction) < 1e-8 * x else { break }
            x -= correction
            if abs(correction) <= 1e-17 * x { break }
        }
        return x
    }
}
