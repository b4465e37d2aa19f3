/// Extreme bounds per variable (Leamer 1983, 1985; Levine & Renelt 1992): a thin black
/// line with end caps from Leamer's lower to upper bound (the lowest b − τ·se and the
/// highest b + τ·se over every regression), and over it a thick blue bar of the weighted
/// mean ± 2 weighted standard errors with a diamond at the mean (Sala-i-Martin 1997's
/// summary), as R's ExtremeBounds tabulates them; a solid line at zero, and "robust" or
/// "fragile" written beside each variable (Leamer's verdict: both bounds of one sign).
public struct ExtremeBoundsPlot: SVGPlot {
    /// One variable's bounds and weighted summary.
    public struct Variable: Sendable, Equatable {
        public let term: String
        public let leamerLow: Double
        public let leamerHigh: Double
        public let mean: Double
        public let standardError: Double
        /// Leamer's verdict; nil when it has none (no regression).
        public let robust: Bool?

        public init(term: String, leamerLow: Double, leamerHigh: Double, mean: Double, standardError: Double, robust: Bool?) {
            self.term = term
            self.leamerLow = leamerLow
            self.leamerHigh = leamerHigh
            self.mean = mean
            self.standardError = standardError
            self.robust = robust
        }
    }

    public var variables: [Variable]
    public var chrome: PlotChrome
    public var width: Double
    static let rowHeight = 34.0
    static let meanColor = Palette.blue

    public init(variables: [Variable], title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.variables = variables
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let legend = Legend([LegendEntry("Leamer's extreme bounds", .interval(nil, PlotTheme.textColor, filled: true, width: 1.2)),
                             LegendEntry("weighted mean ± 2 s.e.", .interval(.diamond, Self.meanColor, filled: true, width: 5))])
        let labelWidth = CategoryAxis.labelWidth(for: variables.map(\.term), limit: width * 0.32)
        let verdictWidth = ["robust", "fragile"].map { TextMetrics.reservedWidth($0, size: PlotTheme.directLabelSize) }.max()! + 12
        var elements = chrome.header(x: p, y: p, width: inner)
        let legendTop = p + chrome.headerHeight(width: inner)
        elements += legend.elements(x: p, y: legendTop, width: inner)
        let left = p + labelWidth + PlotTheme.tickLength + PlotTheme.tickLabelGap
        let area = PlotRect(x: left, y: legendTop + legend.height(width: inner) + 10, width: width - p - verdictWidth - left,
                            height: Self.rowHeight * Double(max(variables.count, 1)))
        let values: [Double] = variables.flatMap { [$0.leamerLow, $0.leamerHigh, $0.mean - 2 * $0.standardError, $0.mean + 2 * $0.standardError] } + [0]
        let x = LinearScale.fitted(covering: values, from: area.x, to: area.maxX, horizontal: true)
        let rows = BandScale(count: variables.count, from: area.y, to: area.maxY)
        let xAxis = NumericAxis(.bottom, scale: x, title: "coefficient")
        let yAxis = CategoryAxis(.left, labels: variables.map(\.term), positions: variables.indices.map(rows.center), labelWidth: labelWidth)
        elements += xAxis.gridElements(area: area)
        elements += ReferenceLine(.vertical, at: x.position(0), dash: .solid, width: 1).elements(area: area, class: "zero")
        elements.append(.group(variables.enumerated().map { k, v in row(v, y: rows.center(k), x: x, right: area.maxX + 8) }, class: "variables"))
        elements += xAxis.elements(area: area) + yAxis.elements(area: area)
        let bottom = area.maxY + xAxis.thickness
        elements += chrome.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + chrome.footerHeight(width: inner) + p,
                           title: chrome.title.isEmpty ? "Extreme bounds" : chrome.title,
                           description: "Leamer's extreme bounds and the weighted mean ± 2 s.e. of \(variables.count) variable(s).",
                           elements: elements)
    }

    /// One variable's marks at height `y`, and its verdict at `right`.
    func row(_ v: Variable, y: Double, x: LinearScale, right: Double) -> SVGElement {
        var parts: [SVGElement] = []
        if v.leamerLow.isFinite && v.leamerHigh.isFinite {
            parts.append(IntervalMark.horizontal(from: x.position(v.leamerLow), to: x.position(v.leamerHigh), at: y - 0,
                                                 color: PlotTheme.textColor, width: 1.2).tagged("bounds"))
        }
        if v.mean.isFinite {
            if v.standardError.isFinite {
                let lo = x.position(v.mean - 2 * v.standardError), hi = x.position(v.mean + 2 * v.standardError)
                parts.append(SVGElement.line(x1: lo, y1: y, x2: hi, y2: y, style: ShapeStyle.stroked(Self.meanColor, width: 5)).tagged("interval"))
            }
            parts.append(MarkerShape.diamond.element(at: PlotPoint(x: x.position(v.mean), y: y), size: 10, color: Self.meanColor)
                .with(SVGAttribute("stroke", SVGColor.white.hex)).tagged("point"))
        }
        if let robust = v.robust {
            parts.append(.text(robust ? "robust" : "fragile", x: right, y: y + PlotTheme.directLabelSize * 0.35,
                               style: TextStyle(size: PlotTheme.directLabelSize, weight: robust ? .bold : .normal)))
        }
        let tip = "\(v.term): bounds [\(ReportNumber.significant(v.leamerLow, 4)), \(ReportNumber.significant(v.leamerHigh, 4))], mean \(ReportNumber.significant(v.mean, 4)) (s.e. \(ReportNumber.significant(v.standardError, 4)))"
        return .titled(tip, parts, class: "variable")
    }
}
