/// Bootstrap distributions: for each term, a histogram of the replicates' statistics
/// (t* of the wild and score bootstraps) with the observed statistic as a dashed line,
/// labelled with its value, as boottest's and fwildclusterboot's plots show them.
///
/// One panel per term, stacked, each with its own axes. Bins: `Histogram` (Freedman–
/// Diaconis, rounded to 1-2-5 widths). Replicates that are not finite (failed) are left
/// out and counted in the panel's note.
public struct BootstrapHistogramPlot: SVGPlot {
    /// One term's replicates and observed statistic.
    public struct Panel: Sendable, Equatable {
        public let title: String
        public let values: [Double]
        public let observed: Double
        /// The observed line's label, e.g. "observed t = 2.31".
        public let observedLabel: String
        /// A line under the panel's title, e.g. "p = 0.012 (9,999 replicates)".
        public let note: String?

        public init(title: String, values: [Double], observed: Double, observedLabel: String, note: String? = nil) {
            self.title = title
            self.values = values
            self.observed = observed
            self.observedLabel = observedLabel
            self.note = note
        }

        /// The histogram of the finite values.
        public var histogram: Histogram { Histogram(values) }
    }

    public var panels: [Panel]
    /// The horizontal axes' title, e.g. "bootstrap t*".
    public var valueTitle: String
    public var chrome: PlotChrome
    public var width: Double
    public var panelHeight = 170.0
    static let barColor = Palette.skyBlue
    static let observedColor = Palette.vermillion

    public init(panels: [Panel], valueTitle: String, title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.panels = panels
        self.valueTitle = valueTitle
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let legend = Legend([LegendEntry("replicates (count per bin)", .swatch(Self.barColor)),
                             LegendEntry("observed statistic", .line(Self.observedColor, .dashed, width: 2))])
        var elements = chrome.header(x: p, y: p, width: inner)
        var y = p + chrome.headerHeight(width: inner)
        elements += legend.elements(x: p, y: y, width: inner)
        y += legend.height(width: inner) + 4
        for panel in panels {
            let (panelElements, bottom) = self.panel(panel, top: y)
            elements.append(.group(panelElements, class: "panel"))
            y = bottom + 8
        }
        elements += chrome.footer(x: p, y: y, width: inner)
        return SVGDocument(width: width, height: y + chrome.footerHeight(width: inner) + p,
                           title: chrome.title.isEmpty ? "Bootstrap distribution" : chrome.title,
                           description: "Histograms of the bootstrap replicates of \(panels.count) term(s), with the observed statistic.",
                           elements: elements)
    }

    /// One panel from `top`: its title, histogram, observed line and axes; and its bottom.
    func panel(_ panel: Panel, top: Double) -> ([SVGElement], Double) {
        let p = PlotTheme.padding
        var out: [SVGElement] = [.text(panel.title, x: p, y: top + PlotTheme.axisTitleSize, style: TextStyle(size: PlotTheme.axisTitleSize, weight: .bold))]
        var y = top + PlotTheme.lineHeight(PlotTheme.axisTitleSize)
        if let note = panel.note {
            out.append(.text(note, x: p, y: y + PlotTheme.captionSize, style: TextStyle(size: PlotTheme.captionSize, color: PlotTheme.mutedTextColor)))
            y += PlotTheme.lineHeight(PlotTheme.captionSize)
        }
        y += 22
        let histogram = panel.histogram
        let countScale = { (from: Double, to: Double) in
            LinearScale.fitted(covering: [0, Double(histogram.counts.max() ?? 1)], from: from, to: to, horizontal: false)
        }
        let probe = NumericAxis(.left, scale: countScale(y + panelHeight, y), title: "count")
        let area = PlotRect(x: p + probe.thickness, y: y, width: width - 2 * p - probe.thickness - 8, height: panelHeight)
        let counts = countScale(area.maxY, area.y)
        let x = LinearScale.fitted(covering: histogram.edges + [panel.observed], from: area.x, to: area.maxX, horizontal: true)
        let xAxis = NumericAxis(.bottom, scale: x, title: valueTitle, grid: false)
        let yAxis = NumericAxis(.left, scale: counts, title: "count")
        out += yAxis.gridElements(area: area)
        out.append(.group(bars(histogram, x: x, y: counts), class: "bars"))
        if panel.observed.isFinite {
            let px = x.position(panel.observed)
            let anchor: TextAnchor = px > area.midX ? .end : .start
            out += ReferenceLine(.vertical, at: px, color: Self.observedColor, dash: .dashed, width: 2, label: panel.observedLabel)
                .elements(area: area, class: "observed", labelAnchor: anchor)
        }
        out += xAxis.elements(area: area) + yAxis.elements(area: area)
        return (out, area.maxY + xAxis.thickness)
    }

    /// One bar per bin (empty bins too, with no height), tagged `bar`.
    func bars(_ h: Histogram, x: LinearScale, y: LinearScale) -> [SVGElement] {
        let style = ShapeStyle(fill: Self.barColor, stroke: .white, strokeWidth: 0.5)
        return h.counts.enumerated().map { i, c in
            let x0 = x.position(h.edges[i]), x1 = x.position(h.edges[i + 1])
            let top = y.position(Double(c)), base = y.position(0)
            let bar = SVGElement.rect(x: x0, y: top, width: x1 - x0, height: base - top, style: style)
            let range = "[\(SVGFormatting.number(h.edges[i])), \(SVGFormatting.number(h.edges[i + 1])))"
            return .titled("\(range): \(c)", [bar], class: "bar")
        }
    }
}
