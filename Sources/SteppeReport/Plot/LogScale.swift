import Foundation

/// A base-10 logarithmic scale: pixel = start + (log₁₀ v − log₁₀ low)/(log₁₀ high −
/// log₁₀ low)·(end − start), for positive values.
///
/// Ticks are the 1-2-5 sequence (1, 2, 5, 10, 20, …) when the data span few decades,
/// the powers of ten when 1-2-5 would crowd the axis, and every second, fifth or tenth
/// power beyond that; the domain runs from the largest tick at or below the smallest
/// value to the smallest tick at or above the largest (loose labels, as `LinearScale`).
/// Labels print the values themselves (0.01, 0.1, 1, 10, 1,000), in scientific notation
/// outside 10⁻⁴ to 10¹⁰.
public struct LogScale: PlotScale {
    public let domain: ClosedRange<Double>
    public let start: Double
    public let end: Double
    public let ticks: [Double]

    /// The tick sets from densest to sparsest: mantissas per decade, or a stride of decades.
    enum Density: CaseIterable {
        case oneTwoFive, decades, everySecond, everyFifth, everyTenth

        var decadeStride: Int {
            switch self {
            case .oneTwoFive, .decades: return 1
            case .everySecond: return 2
            case .everyFifth: return 5
            case .everyTenth: return 10
            }
        }
    }

    /// A scale covering the positive finite `values` (others are left out; none: 1 to 10)
    /// with the densest tick set that has at most `maxTicks` ticks.
    public init(covering values: [Double], from start: Double, to end: Double, maxTicks: Int = 8) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let lo = positive.min() ?? 1, hi = max(positive.max() ?? 10, lo)
        var chosen: (ticks: [Double], domain: ClosedRange<Double>)? = nil
        for density in Density.allCases {
            let candidate = Self.ticks(lo, hi, density)
            chosen = candidate
            if candidate.ticks.count <= maxTicks { break }
        }
        self.domain = chosen!.domain
        self.ticks = chosen!.ticks
        self.start = start
        self.end = end
    }

    /// A scale covering `values` whose tick labels do not overlap at `labelSize`.
    public static func fitted(covering values: [Double], from start: Double, to end: Double, horizontal: Bool,
                              labelSize: Double = PlotTheme.tickLabelSize) -> LogScale {
        var maxTicks = preferredTickCount(length: abs(end - start), horizontal: horizontal) + 2
        while true {
            let scale = LogScale(covering: values, from: start, to: end, maxTicks: maxTicks)
            if maxTicks <= 2 || scale.labelsFit(horizontal: horizontal, size: labelSize) { return scale }
            maxTicks -= 1
        }
    }

    /// The ticks of one density around [lo, hi], and the domain from the tick at or below lo
    /// to the tick at or above hi.
    static func ticks(_ lo: Double, _ hi: Double, _ density: Density) -> (ticks: [Double], domain: ClosedRange<Double>) {
        let step = density.decadeStride
        let first = Int(floor(log10(lo) + 1e-12)), last = Int(ceil(log10(hi) - 1e-12))
        let firstDecade = Int(floor(Double(first) / Double(step))) * step
        var candidates: [Double] = []
        var e = firstDecade
        while e <= max(last, first) + step {
            let mantissas: [Double] = density == .oneTwoFive ? [1, 2, 5] : [1]
            for m in mantissas { candidates.append(m * pow(10, Double(e))) }
            e += step
        }
        let below = candidates.last { $0 <= lo * (1 + 1e-12) } ?? candidates[0]
        var above = candidates.first { $0 >= hi * (1 - 1e-12) } ?? candidates[candidates.count - 1]
        if above <= below { above = candidates.first { $0 > below } ?? below * 10 }
        let inside = candidates.filter { $0 >= below && $0 <= above }
        return (inside, below...above)
    }

    public var tickLabels: [String] { ticks.map(Self.label) }

    /// A tick value as printed: its own decimals below 1, grouped thousands from 10,000.
    static func label(_ v: Double) -> String {
        if v < 1e-4 || v >= 1e10 { return TickFormat.scientific(v) }
        let decimals = v >= 1 ? 0 : Int(-floor(log10(v) + 1e-9))
        return TickFormat.fixed(v, decimals: decimals, grouped: v >= 10_000)
    }

    public func position(_ value: Double) -> Double {
        let a = log10(domain.lowerBound), b = log10(domain.upperBound)
        return start + (log10(value) - a) / (b - a) * (end - start)
    }
}
