import Foundation

/// Round numbers for axis ticks: Heckbert's "nice numbers" (Paul S. Heckbert, "Nice
/// numbers for graph labels", Graphics Gems I, 1990, pp. 61–63 and 657–659).
///
/// A nice number is 1, 2 or 5 times a power of ten. Heckbert's loose labelling takes
/// the range's nice number, the step as the nice number nearest to range/(n − 1), and
/// extends the axis to the multiples of the step just outside the data, so that the
/// first and last ticks cover it. (Wilkinson's extended algorithm, Talbot, Lin and
/// Hanrahan 2010, scores more candidates; for axes of 3–8 ticks the 1-2-5 steps give the
/// same ticks in nearly every case, at a fraction of the code.)
public enum NiceNumbers {
    /// Heckbert's `nicenum`: the nice number nearest to `x` (`round`), or the smallest one
    /// at least `x` (not `round`). For x ≤ 0 or not finite, 1.
    ///
    /// With f = x/10^⌊log₁₀ x⌋ in [1, 10): rounded, f < 1.5 → 1, f < 3 → 2, f < 7 → 5,
    /// else 10; not rounded, f ≤ 1 → 1, f ≤ 2 → 2, f ≤ 5 → 5, else 10.
    public static func nice(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let exponent = floor(log10(x))
        let power = pow(10, exponent)
        let f = x / power
        let n: Double
        if round {
            n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        } else {
            n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return n * power
    }

    /// Heckbert's loose labels of [`low`, `high`] with about `count` ticks: the step and
    /// the ticks from ⌊low/step⌋·step to ⌈high/step⌉·step, each rounded to the step's
    /// decimals (so 0.1 + 0.2 prints as 0.3). An empty range is widened first: by 1 on
    /// each side around 0, else by a tenth of the value.
    public static func looseTicks(_ low: Double, _ high: Double, count: Int = 5) -> (ticks: [Double], step: Double) {
        let (lo, hi) = widened(low, high)
        let range = nice(hi - lo, round: false)
        let step = nice(range / Double(max(count - 1, 1)), round: true)
        let first = floor(lo / step + 1e-9), last = ceil(hi / step - 1e-9)
        let ticks = stride(from: first, through: last, by: 1).map { rounded($0 * step, step: step) }
        return (ticks, step)
    }

    /// Nice ticks inside [`low`, `high`] (the axis is not extended): multiples of Heckbert's
    /// step for about `count` ticks that lie within the range.
    public static func innerTicks(_ low: Double, _ high: Double, count: Int = 5) -> (ticks: [Double], step: Double) {
        let (lo, hi) = widened(low, high)
        let step = nice(nice(hi - lo, round: false) / Double(max(count - 1, 1)), round: true)
        let first = ceil(lo / step - 1e-9), last = floor(hi / step + 1e-9)
        guard first <= last else { return ([rounded((lo + hi) / 2, step: step)], step) }
        return (stride(from: first, through: last, by: 1).map { rounded($0 * step, step: step) }, step)
    }

    /// The range made non-empty and finite.
    static func widened(_ low: Double, _ high: Double) -> (Double, Double) {
        guard low.isFinite, high.isFinite else { return (0, 1) }
        let lo = min(low, high), hi = max(low, high)
        if hi > lo { return (lo, hi) }
        if lo == 0 { return (-1, 1) }
        let d = abs(lo) / 10
        return (lo - d, hi + d)
    }

    /// `x` rounded to the decimals of `step` (a nice number), so that accumulated binary
    /// error does not show: 0.30000000000000004 becomes 0.3.
    static func rounded(_ x: Double, step: Double) -> Double {
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        guard decimals > 0 else { return x.rounded() == 0 ? 0 : x.rounded() }
        let scale = pow(10, Double(min(decimals, 15)))
        let r = (x * scale).rounded() / scale
        return r == 0 ? 0 : r
    }
}
