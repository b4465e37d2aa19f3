/// Two values per row, joined: a dot (dumbbell) plot of a baseline against a scenario
/// (Cleveland 1984, "Graphical methods for data presentation: full scale breaks, dot
/// charts, and multibased logging", *The American Statistician* 38), rows sorted by the
/// change so that the largest increase is on top and the largest decrease at the foot.
///
/// The baseline is an open ring, the scenario a filled triangle of another colour drawn
/// under it (so that a row that does not change shows the triangle inside the ring),
/// joined by a grey line: shape tells them apart without colour, and the legend names
/// both. The change in percent is printed at the right of every row that changes. Rows
/// whose baseline or scenario is not finite are left out and counted in the caption; ties
/// keep the order given.
public struct DumbbellPlot: SVGPlot {
    /// One row: its label and its two values.
    public struct Row: Sendable, Equatable {
        public let label: String
        public let baseline: Double
        public let scenario: Double

        public init(label: String, baseline: Double, scenario: Double) {
            self.label = label
            self.baseline = baseline
            self.scenario = scenario
        }

        public var change: Double { scenario - baseline }
    }

    public var rows: [Row]
    public var baselineName: String
    public var scenarioName: String
    public var valueTitle: String
    public var chrome: PlotChrome
    public var width: Double
    static let rowHeight = 18.0
    static let baselineColor = Palette.blue
    static let scenarioColor = Palette.vermillion

    public init(rows: [Row], baselineName: String = "baseline", scenarioName: String = "scenario", valueTitle: String,
                title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.rows = rows
        self.baselineName = baselineName
        self.scenarioName = scenarioName
        self.valueTitle = valueTitle
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    /// The rows drawn, largest change first (ties in the order given).
    public var sorted: [Row] {
        rows.enumerated().filter { $0.element.baseline.isFinite && $0.element.scenario.isFinite }
            .sorted { ($1.element.change, $0.offset) < ($0.element.change, $1.offset) }.map(\.element)
    }

    /// "+12.3%", "−4.0%", or "" for no change (and for a zero baseline).
    static func percent(_ row: Row) -> String {
        guard row.change != 0, row.baseline != 0 else { return "" }
        let p = 100 * row.change / row.baseline
        return (p > 0 ? "+" : "") + TickFormat.fixed(p, decimals: abs(p) >= 10 ? 0 : 1) + "%"
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let shown = sorted
        let legend = Legend([LegendEntry(baselineName, .marker(.circle, Self.baselineColor, filled: false)),
                             LegendEntry(scenarioName, .marker(.triangle, Self.scenarioColor, filled: true))])
        let labelWidth = CategoryAxis.labelWidth(for: shown.map(\.label), limit: width * 0.3)
        let percentWidth = (shown.map { TextMetrics.reservedWidth(Self.percent($0), size: PlotTheme.directLabelSize) }.max() ?? 0) + 10
        var elements = chrome.header(x: p, y: p, width: inner)
        let top = p + chrome.headerHeight(width: inner)
        elements += legend.elements(x: p, y: top, width: inner)
        let areaTop = top + legend.height(width: inner) + 8
        let left = p + labelWidth + PlotTheme.tickLength + PlotTheme.tickLabelGap, right = width - p - percentWidth
        let area = PlotRect(x: left, y: areaTop, width: right - left, height: Self.rowHeight * Double(max(shown.count, 1)))
        let x = LinearScale.fitted(covering: shown.flatMap { [$0.baseline, $0.scenario] }, from: left, to: right, horizontal: true)
        let band = BandScale(count: shown.count, from: area.y, to: area.maxY)
        let xAxis = NumericAxis(.bottom, scale: x, title: valueTitle)
        let yAxis = CategoryAxis(.left, labels: shown.map(\.label), positions: shown.indices.map(band.center), labelWidth: labelWidth)
        elements += xAxis.gridElements(area: area)
        elements.append(.group(shown.enumerated().map { k, row in marks(row, y: band.center(k), x: x, area: area) }, class: "rows"))
        elements += xAxis.elements(area: area) + yAxis.elements(area: area)
        let bottom = area.maxY + xAxis.thickness
        let footer = PlotChrome(title: chrome.title, caption: fullCaption)
        elements += footer.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + footer.footerHeight(width: inner) + p, title: chrome.title,
                           description: "\(baselineName) and \(scenarioName) of \(shown.count) rows, sorted by the change.", elements: elements)
    }

    /// One row: the joining line, the two markers and the change in percent.
    func marks(_ row: Row, y: Double, x: LinearScale, area: PlotRect) -> SVGElement {
        let b = x.position(row.baseline), s = x.position(row.scenario)
        var parts: [SVGElement] = [.line(x1: b, y1: y, x2: s, y2: y, style: .stroked(SVGColor(hex: 0x999999), width: 2)).tagged("change")]
        parts.append(MarkerShape.triangle.element(at: PlotPoint(x: s, y: y), size: 8, color: Self.scenarioColor).tagged("scenario"))
        parts.append(MarkerShape.circle.element(at: PlotPoint(x: b, y: y), size: 11, color: Self.baselineColor, filled: false)
            .with(SVGAttribute("fill", "none")).tagged("baseline"))
        let percent = Self.percent(row)
        if !percent.isEmpty {
            parts.append(.text(percent, x: width - PlotTheme.padding, y: y + PlotTheme.directLabelSize * 0.35,
                               style: TextStyle(size: PlotTheme.directLabelSize, anchor: .end)))
        }
        let tip = "\(row.label): \(baselineName) \(ReportNumber.grouped(row.baseline.rounded())), \(scenarioName) \(ReportNumber.grouped(row.scenario.rounded()))"
        return .titled(tip, parts, class: "row")
    }

    var fullCaption: [String] {
        var out = ["Rows sorted by the change (\(scenarioName) − \(baselineName)), the largest increase on top; the right column is the change in percent of the \(baselineName)."]
        let dropped = rows.count - sorted.count
        if dropped > 0 { out.append("\(dropped) row\(dropped == 1 ? " has" : "s have") no finite \(baselineName) or \(scenarioName) and \(dropped == 1 ? "is" : "are") not drawn.") }
        return chrome.caption + out
    }
}
