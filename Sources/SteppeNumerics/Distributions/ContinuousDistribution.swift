/// A continuous probability distribution on the real line: density, both tails, and their inverses.
///
/// Both tails are computed directly, never as 1 minus the other, so that a
/// survival probability of 1e-300 keeps its digits (what p-values of very large
/// t statistics need). Arguments outside the domain give NaN, as scipy.stats does:
/// p ∉ [0, 1] for the quantiles, NaN x for the rest.
public protocol ContinuousDistribution: Sendable {
    /// The probability density at x.
    func density(_ x: Double) -> Double
    /// P(X ≤ x), the lower tail.
    func cdf(_ x: Double) -> Double
    /// P(X > x), the upper tail (scipy's `sf`).
    func survival(_ x: Double) -> Double
    /// The x with P(X ≤ x) = p (scipy's `ppf`).
    func quantile(_ p: Double) -> Double
    /// The x with P(X > x) = q (scipy's `isf`): accurate for tiny q, where `quantile(1 − q)` is not.
    func survivalQuantile(_ q: Double) -> Double
}
