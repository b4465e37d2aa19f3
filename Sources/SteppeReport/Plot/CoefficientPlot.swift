/// A coefficient plot: each coefficient's estimate and confidence interval, several models
/// side by side, as fixest's `coefplot` draws them (Bergé 2018, R package fixest).
///
/// One row per term (in the order the terms first appear across the models), the
/// models dodged within the row, each with its own colour *and* marker shape
/// (`SeriesStyle`) and named in the legend; a vertical line at zero. The horizontal axis
/// always includes zero. An estimate that is not finite is left out, and the caption
/// says which; an interval that is not finite leaves the point alone.
public struct CoefficientPlot: SVGPlot {
    /// One coefficient of one model.
    public struct Estimate: Sendable, Equatable {
        public let term: String
        public let estimate: Double
        public let low: Double
        public let high: Double

        public init(term: String, estimate: Double, low: Double, high: Double) {
            self.term = term
            self.estimate = estimate
            self.low = low
            self.high = high
        }
    }

    /// One model: its legend name and coefficients.
    public struct Model: Sendable, Equatable {
        public let name: String
        public let estimates: [Estimate]

        public init(name: String, estimates: [Estimate]) {
            self.name = name
            self.estimates = estimates
        }
    }

    public var models: [Model]
    public var chrome: PlotChrome
    /// The horizontal axis's title.
    public var axisTitle: String
    public var width: Double

    /// - Parameters:
    ///   - level: the intervals' confidence level, for the axis title (default 0.95).
    public init(models: [Model], title: String, caption: [String] = [], level: Double = 0.95,
                width: Double = PlotTheme.defaultWidth) {
        self.models = models
        self.chrome = PlotChrome(title: title, caption: caption)
        self.axisTitle = "Estimate and \(TickFormat.fixed(100 * level, decimals: level * 100 == (level * 100).rounded() ? 0 : 1))% confidence interval"
        self.width = width
    }

    /// The terms in order of first appearance.
    public var terms: [String] {
        var seen = Set<String>(), out: [String] = []
        for m in models { for e in m.estimates where e.estimate.isFinite && seen.insert(e.term).inserted { out.append(e.term) } }
        return out
    }

    /// The caption with a sentence for the estimates left out.
    var fullCaption: [String] {
        let missing = models.flatMap { m in m.estimates.filter { !$0.estimate.isFinite }.map { "\(m.name): \($0.term)" } }
        return chrome.caption + (missing.isEmpty ? [] : ["Not shown (no finite estimate): " + missing.joined(separator: "; ") + "."])
    }

    /// The height of one term's row: room for every model's interval, 24 px at least.
    var rowHeight: Double { max(26, 11 * Double(models.count) + 12) }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let chrome = PlotChrome(title: self.chrome.title, caption: fullCaption)
        let legend = Legend(models.enumerated().map { k, m in
            let s = SeriesStyle.series(k)
            return LegendEntry(m.name, .interval(s.shape, s.color, filled: true, width: 1.6))
        })
        let terms = self.terms
        let labelWidth = CategoryAxis.labelWidth(for: terms, limit: width * 0.34)
        let top = p + chrome.headerHeight(width: inner) + legend.height(width: inner) + 8
        let plotHeight = rowHeight * Double(max(terms.count, 1))
        let left = p + labelWidth + PlotTheme.tickLength + PlotTheme.tickLabelGap
        let right = width - p - 12
        let values: [Double] = models.flatMap { $0.estimates.flatMap { [$0.estimate, $0.low, $0.high] } } + [0]
        let x = LinearScale.fitted(covering: values, from: left, to: right, horizontal: true)
        let xAxis = NumericAxis(.bottom, scale: x, title: axisTitle)
        let area = PlotRect(x: left, y: top, width: right - left, height: plotHeight)
        let rows = BandScale(count: terms.count, from: area.y, to: area.maxY)
        let yAxis = CategoryAxis(.left, labels: terms, positions: terms.indices.map(rows.center), labelWidth: labelWidth)
        var elements = chrome.header(x: p, y: p, width: inner)
        elements += legend.elements(x: p, y: p + chrome.headerHeight(width: inner), width: inner)
        elements += xAxis.gridElements(area: area)
        elements += ReferenceLine(.vertical, at: x.position(0), dash: .solid, width: 1).elements(area: area, class: "zero")
        elements += marks(terms: terms, x: x, rows: rows)
        elements += xAxis.elements(area: area) + yAxis.elements(area: area)
        let bottom = area.maxY + xAxis.thickness
        elements += chrome.footer(x: p, y: bottom, width: inner)
        let height = bottom + chrome.footerHeight(width: inner) + p
        return SVGDocument(width: width, height: height, title: chrome.title.isEmpty ? "Coefficient plot" : chrome.title,
                           description: "Estimates and confidence intervals of \(terms.count) terms in \(models.count) model(s).",
                           elements: elements)
    }

    /// Every model's interval and point, dodged within each term's row.
    func marks(terms: [String], x: LinearScale, rows: BandScale) -> [SVGElement] {
        var out: [SVGElement] = []
        for (j, model) in models.enumerated() {
            let style = SeriesStyle.series(j)
            var marks: [SVGElement] = []
            for e in model.estimates where e.estimate.isFinite {
                guard let i = terms.firstIndex(of: e.term) else { continue }
                let y = rows.dodge(i, series: j, of: models.count)
                var parts: [SVGElement] = []
                if e.low.isFinite && e.high.isFinite {
                    parts.append(IntervalMark.horizontal(from: x.position(e.low), to: x.position(e.high), at: y, color: style.color))
                }
                parts.append(style.shape.element(at: PlotPoint(x: x.position(e.estimate), y: y), size: 8, color: style.color).tagged("point"))
                let tip = "\(model.name): \(e.term) = \(IntervalMark.describe(e.estimate, e.low, e.high))"
                marks.append(.titled(tip, parts, class: "estimate"))
            }
            out.append(.group(marks, class: "series"))
        }
        return out
    }
}
