/// A map from data values to pixels along one axis, with its ticks.
///
/// `LinearScale` and `LogScale` conform; `NumericAxis` draws any conforming scale. The
/// pixel range runs from `start` (the domain's lower end) to `end` and may be reversed:
/// a vertical axis has `start` at the bottom, the larger pixel.
public protocol PlotScale: Sendable {
    /// The data interval the axis shows.
    var domain: ClosedRange<Double> { get }
    /// The pixels of the domain's lower and upper ends.
    var start: Double { get }
    var end: Double { get }
    /// Tick values, increasing, inside the domain.
    var ticks: [Double] { get }
    /// Their labels, formatted alike.
    var tickLabels: [String] { get }
    /// The pixel of `value` (values outside the domain map outside the pixel range).
    func position(_ value: Double) -> Double
}

extension PlotScale {
    /// The pixel length of the axis.
    public var length: Double { abs(end - start) }

    /// Whether the tick labels, set at `size`, leave a gap between neighbours: 8 px for
    /// labels side by side (a horizontal axis), 2 px between lines (a vertical one).
    public func labelsFit(horizontal: Bool, size: Double) -> Bool {
        let positions = ticks.map(position)
        let labels = tickLabels
        guard positions.count > 1 else { return true }
        for i in 1..<positions.count {
            let spacing = abs(positions[i] - positions[i - 1])
            let needed = horizontal
                ? (TextMetrics.reservedWidth(labels[i], size: size) + TextMetrics.reservedWidth(labels[i - 1], size: size)) / 2 + 8
                : PlotTheme.lineHeight(size) + 2
            if spacing < needed { return false }
        }
        return true
    }
}

/// The number of ticks an axis of `length` pixels asks for first: one per 80 px along a
/// horizontal axis and one per 50 px up a vertical one, between 3 and 10. Tick fitting
/// lowers it until the labels fit.
func preferredTickCount(length: Double, horizontal: Bool) -> Int {
    min(10, max(3, Int((length / (horizontal ? 80 : 50)).rounded(.down)) + 1))
}
