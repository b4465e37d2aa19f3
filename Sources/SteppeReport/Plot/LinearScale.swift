/// A linear scale: pixel = start + (value − low)/(high − low)·(end − start).
///
/// Built from the data (`covering:`), its domain runs from one nice tick below the data
/// to one above (Heckbert's loose labels, `NiceNumbers.looseTicks`), so that the first
/// and last ticks frame every value; built from an exact domain, its ticks are the nice
/// numbers inside it.
public struct LinearScale: PlotScale {
    public let domain: ClosedRange<Double>
    public let start: Double
    public let end: Double
    public let ticks: [Double]
    /// The distance between ticks (a nice number): what the labels' decimals follow.
    public let step: Double

    /// A scale whose domain covers the finite `values` with about `tickCount` ticks at
    /// round numbers, from pixel `start` to `end`.
    public init(covering values: [Double], from start: Double, to end: Double, tickCount: Int = 5) {
        let finite = values.filter(\.isFinite)
        let (ticks, step) = NiceNumbers.looseTicks(finite.min() ?? 0, finite.max() ?? 1, count: tickCount)
        self.domain = ticks.first!...ticks.last!
        self.start = start
        self.end = end
        self.ticks = ticks
        self.step = step
    }

    /// A scale of exactly `domain`, with the nice ticks inside it.
    public init(domain: ClosedRange<Double>, from start: Double, to end: Double, tickCount: Int = 5) {
        let (ticks, step) = NiceNumbers.innerTicks(domain.lowerBound, domain.upperBound, count: tickCount)
        let (lo, hi) = NiceNumbers.widened(domain.lowerBound, domain.upperBound)
        self.domain = lo...hi
        self.start = start
        self.end = end
        self.ticks = ticks
        self.step = step
    }

    /// A scale of exactly `domain` with the given ticks (inside it) spaced by `step`: for axes
    /// whose ticks must be of a kind, such as whole ranks.
    public init(domain: ClosedRange<Double>, from start: Double, to end: Double, ticks: [Double], step: Double) {
        self.domain = domain
        self.start = start
        self.end = end
        self.ticks = ticks.filter { domain.contains($0) }
        self.step = step
    }

    /// A scale covering `values` (or of exactly `domain`, when given) with as many ticks as
    /// have labels that do not overlap at `labelSize`: the preferred count for the axis's
    /// length first, fewer until the labels fit.
    public static func fitted(covering values: [Double], domain: ClosedRange<Double>? = nil, from start: Double, to end: Double,
                              horizontal: Bool, labelSize: Double = PlotTheme.tickLabelSize) -> LinearScale {
        var count = preferredTickCount(length: abs(end - start), horizontal: horizontal)
        while true {
            let scale = domain.map { LinearScale(domain: $0, from: start, to: end, tickCount: count) }
                ?? LinearScale(covering: values, from: start, to: end, tickCount: count)
            if count <= 2 || scale.labelsFit(horizontal: horizontal, size: labelSize) { return scale }
            count -= 1
        }
    }

    public var tickLabels: [String] { TickFormat.labels(ticks, step: step) }

    public func position(_ value: Double) -> Double {
        start + (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * (end - start)
    }

    /// The value at `pixel` (the inverse of `position`).
    public func value(at pixel: Double) -> Double {
        domain.lowerBound + (pixel - start) / (end - start) * (domain.upperBound - domain.lowerBound)
    }
}
