import Foundation

/// Values against a parameter that was swept, one line per series, each labelled
/// directly at its right end (`DirectLabels`): how estimates move when an assumption
/// changes (the flows of `steppe flows` across the distance decay β).
///
/// Each series has its own colour, dash pattern and marker shape (`SeriesStyle`), and its
/// label repeats the marker, so the lines are told apart in greyscale too. The value axis
/// is logarithmic when `logarithmic` is set and every value is positive (flows that differ
/// by orders of magnitude stay readable); otherwise linear, and the caption says why.
/// `marked` draws a dashed vertical line at one parameter value (the one a companion
/// figure uses), labelled. Values that are not finite break no line: the point is left out.
public struct ParameterSweepPlot: SVGPlot {
    /// One line: its label and a value per parameter value.
    public struct Series: Sendable, Equatable {
        public let label: String
        public let values: [Double]
        /// Its colour, marker and dash; nil for the k-th of `SeriesStyle.series`. A caller
        /// can give series that share something the same colour (one origin) and the same
        /// marker and dash (one destination), as long as no two series share all three.
        public let style: SeriesStyle?

        public init(label: String, values: [Double], style: SeriesStyle? = nil) {
            self.label = label
            self.values = values
            self.style = style
        }
    }

    public var parameter: [Double]
    public var series: [Series]
    public var parameterTitle: String
    public var valueTitle: String
    public var logarithmic: Bool
    public var marked: (value: Double, label: String)?
    public var chrome: PlotChrome
    public var width: Double

    public init(parameter: [Double], series: [Series], parameterTitle: String, valueTitle: String, logarithmic: Bool = true,
                marked: (value: Double, label: String)? = nil, title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.parameter = parameter
        self.series = series
        self.parameterTitle = parameterTitle
        self.valueTitle = valueTitle
        self.logarithmic = logarithmic
        self.marked = marked
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    /// The finite values, and whether the log axis applies (all of them positive).
    var usesLog: Bool {
        let all = series.flatMap(\.values).filter(\.isFinite)
        return logarithmic && !all.isEmpty && all.allSatisfy { $0 > 0 }
    }

    /// The points of series `k` that are drawn: (parameter, value) with both finite.
    func points(_ k: Int) -> [(Double, Double)] {
        zip(parameter, series[k].values).filter { $0.0.isFinite && $0.1.isFinite }
    }

    /// The parameter axis: the swept values (and the marked one) with 6% of their span on
    /// each side, so that the first and last points sit clear of the axes and the axis is
    /// not stretched to the next round number.
    var parameterDomain: ClosedRange<Double> {
        let xs = (parameter + (marked.map { [$0.value] } ?? [])).filter(\.isFinite)
        let lo = xs.min() ?? 0, hi = xs.max() ?? 1
        let pad = hi > lo ? 0.06 * (hi - lo) : 0.5
        return (lo - pad)...(hi + pad)
    }

    /// The parameter axis over `parameterDomain`, ticked at the swept values themselves
    /// when there are at most ten and their labels fit (with the decimals the most precise
    /// of them needs, at most three: 0.5, 1.0, …; −0.351, 0.887): a sweep's values are the
    /// ones a reader looks up. Otherwise, round ticks (`LinearScale.fitted`).
    func parameterScale(from left: Double, to right: Double) -> LinearScale {
        let values = Array(Set(parameter.filter(\.isFinite))).sorted()
        let decimals = values.map(Self.decimals).max() ?? 0
        let swept = LinearScale(domain: parameterDomain, from: left, to: right, ticks: values, step: pow(10, -Double(decimals)))
        if values.count >= 2 && values.count <= 10 && swept.labelsFit(horizontal: true, size: PlotTheme.tickLabelSize) { return swept }
        return LinearScale.fitted(covering: [], domain: parameterDomain, from: left, to: right, horizontal: true)
    }

    /// The decimals `v` needs, at most three.
    static func decimals(_ v: Double) -> Int {
        for d in 0...2 {
            let scaled = v * pow(10, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-9 { return d }
        }
        return 3
    }

    static let labelSize = PlotTheme.directLabelSize
    var spacing: Double { PlotTheme.lineHeight(Self.labelSize) }

    /// The width the direct labels take at the right: marker, gap and the widest label,
    /// at most 38% of the plot.
    var labelsWidth: Double {
        let widest = series.map { TextMetrics.reservedWidth($0.label, size: Self.labelSize) }.max() ?? 0
        return min(width * 0.38, widest + 30)
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let top = p + chrome.headerHeight(width: inner) + (marked == nil ? 4 : 20)
        let height = max(300, Double(series.count) * spacing + 40)
        let values = series.flatMap(\.values)
        let y: any PlotScale = usesLog ? LogScale.fitted(covering: values, from: top + height, to: top, horizontal: false)
            : LinearScale.fitted(covering: values, from: top + height, to: top, horizontal: false)
        let yAxis = NumericAxis(.left, scale: y, title: valueTitle + (usesLog ? " (log scale)" : ""))
        let left = p + yAxis.thickness, right = width - p - labelsWidth
        let x = parameterScale(from: left, to: right)
        let xAxis = NumericAxis(.bottom, scale: x, title: parameterTitle)
        let area = PlotRect(x: left, y: top, width: right - left, height: height)
        var elements = chrome.header(x: p, y: p, width: inner)
        elements += xAxis.gridElements(area: area) + yAxis.gridElements(area: area)
        if let marked, marked.value.isFinite {
            elements += ReferenceLine(.vertical, at: x.position(marked.value), color: PlotTheme.textColor, label: marked.label)
                .elements(area: area, class: "marked", labelAnchor: x.position(marked.value) > area.midX ? .end : .start)
        }
        elements.append(.group(series.indices.map { lineElements($0, x: x, y: y) }, class: "lines"))
        let (labels, labelsBottom) = labelElements(x: x, y: y, area: area)
        elements.append(.group(labels, class: "direct-labels"))
        elements += xAxis.elements(area: area) + yAxis.elements(area: area)
        let bottom = max(area.maxY + xAxis.thickness, labelsBottom + 4)
        let footer = PlotChrome(title: chrome.title, caption: fullCaption)
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "\(series.count) lines of values against \(parameterTitle), each labelled at its end.", elements: elements)
    }

    func style(_ k: Int) -> SeriesStyle { series[k].style ?? SeriesStyle.series(k) }

    func lineElements(_ k: Int, x: LinearScale, y: any PlotScale) -> SVGElement {
        let style = self.style(k)
        let pts = points(k).map { PlotPoint(x: x.position($0.0), y: y.position($0.1)) }
        var parts: [SVGElement] = []
        if pts.count > 1 { parts.append(SVGElement.polyline(pts, style: .stroked(style.color, width: 1.8, dash: style.dash)).tagged("line")) }
        parts += pts.map { style.shape.element(at: $0, size: 7, color: style.color).tagged("point") }
        let tip = series[k].label + ": " + points(k).map { "\(TickFormat.significant($0.0, 4)) → \(ReportNumber.grouped($0.1.rounded()))" }.joined(separator: ", ")
        return .titled(tip, parts, class: "series")
    }

    /// Each series' label at its last point, spread apart, with a leader line when moved,
    /// and the label's marker; and the lowest baseline used.
    func labelElements(x: LinearScale, y: any PlotScale, area: PlotRect) -> ([SVGElement], Double) {
        let ends = series.indices.compactMap { k in points(k).last.map { (k, PlotPoint(x: x.position($0.0), y: y.position($0.1))) } }
        let size = Self.labelSize, raise = size * 0.35
        let baselines = DirectLabels.spread(ends.map { $0.1.y + raise }, spacing: spacing, within: (area.y + size)...(area.maxY + raise))
        var out: [SVGElement] = []
        for ((k, end), baseline) in zip(ends, baselines) {
            let style = self.style(k), mid = baseline - raise
            let markerX = area.maxX + 14
            var parts: [SVGElement] = [.line(x1: end.x + 4, y1: end.y, x2: markerX - 6, y2: mid, style: .stroked(PlotTheme.referenceColor, width: 0.7))]
            parts.append(style.shape.element(at: PlotPoint(x: markerX, y: mid), size: 7, color: style.color))
            let shown = TextFitting.truncate(series[k].label, width: labelsWidth - 24, size: size)
            parts.append(.text(shown, x: markerX + 8, y: baseline, style: TextStyle(size: size)))
            out.append(shown == series[k].label ? .group(parts, class: "direct-label") : .titled(series[k].label, parts, class: "direct-label"))
        }
        return (out, baselines.max() ?? area.maxY)
    }

    var fullCaption: [String] {
        var out = chrome.caption
        if logarithmic && !usesLog { out.append("The value axis is linear: some values are zero or negative, which a log scale cannot show.") }
        let missing = series.indices.map { parameter.count - points($0).count }.reduce(0, +)
        if missing > 0 { out.append("\(missing) value\(missing == 1 ? " is" : "s are") not finite and not drawn.") }
        return out
    }
}
