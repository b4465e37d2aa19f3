/// A specification curve with its choices panel, as R's specr draws it (`plot_specs`;
/// Simonsohn, Simmons & Nelson 2020, Nature Human Behaviour 4:1208).
///
/// Top: the estimates ranked from lowest to highest, each with its confidence interval;
/// the significant ones are filled blue circles and the others hollow grey diamonds
/// (shape, fill and colour all differ), with a dashed line at the median (its value in
/// the legend) and a solid one at zero. Bottom: one row per choice value, grouped by dimension, with a mark
/// in each specification's column for the value it takes (dark grey whatever the
/// significance, which the top panel shows), so a column read downwards is the
/// specification. The two panels share the rank axis.
public struct SpecificationCurvePlot: SVGPlot {
    /// One specification's estimate, interval and choices.
    public struct Specification: Sendable, Equatable {
        public let estimate: Double
        public let low: Double
        public let high: Double
        public let significant: Bool
        /// The value of each dimension, in the order of `dimensions`.
        public let choices: [String]

        public init(estimate: Double, low: Double, high: Double, significant: Bool, choices: [String]) {
            self.estimate = estimate
            self.low = low
            self.high = high
            self.significant = significant
            self.choices = choices
        }
    }

    /// A dimension of choices: its name and values, in the order the rows show them.
    public struct Dimension: Sendable, Equatable {
        public let name: String
        public let values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    public var specifications: [Specification]
    public var dimensions: [Dimension]
    /// The median estimate (the dashed line).
    public var median: Double
    /// What the vertical axis shows, e.g. "Estimate of log(income) and 95% interval".
    public var estimateTitle: String
    /// The legend's words for significant and not: "p < 0.05", "p ≥ 0.05".
    public var significanceLabels: (yes: String, no: String)
    public var chrome: PlotChrome
    public var width: Double
    /// Height of the top panel in pixels.
    public var curveHeight = 250.0
    static let choiceRow = 16.0
    static let significantColor = Palette.blue
    static let otherColor = SVGColor(hex: 0x767676)

    public init(specifications: [Specification], dimensions: [Dimension], median: Double, estimateTitle: String,
                alpha: Double = 0.05, title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.specifications = specifications.filter { $0.estimate.isFinite }.enumerated()
            .sorted { ($0.element.estimate, $0.offset) < ($1.element.estimate, $1.offset) }.map(\.element)
        self.dimensions = dimensions
        self.median = median
        self.estimateTitle = estimateTitle
        let a = ReportNumber.significant(alpha, 3)
        self.significanceLabels = ("significant (p < \(a))", "not significant (p ≥ \(a))")
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    /// The rows of the choices panel: each dimension's name, then its values.
    var choiceRows: [(label: String, dimension: Int, value: String?)] {
        dimensions.enumerated().flatMap { d, dim in [(dim.name, d, nil)] + dim.values.map { ("\($0)", d, $0) } }
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        let legend = Legend([LegendEntry(significanceLabels.yes, .marker(.circle, Self.significantColor, filled: true)),
                             LegendEntry(significanceLabels.no, .marker(.diamond, Self.otherColor, filled: false)),
                             LegendEntry("median " + TickFormat.significant(median), .line(PlotTheme.textColor, .dashed, width: 1.2))])
        let labelWidth = choiceLabelWidth
        let left = p + labelWidth + PlotTheme.tickLength + PlotTheme.tickLabelGap
        var y = p + chrome.headerHeight(width: inner)
        var elements = chrome.header(x: p, y: p, width: inner)
        elements += legend.elements(x: p, y: y, width: inner)
        y += legend.height(width: inner) + 6
        elements.append(.text(estimateTitle, x: p, y: y + PlotTheme.axisTitleSize, style: TextStyle(size: PlotTheme.axisTitleSize)))
        y += PlotTheme.lineHeight(PlotTheme.axisTitleSize) + 22
        let curve = PlotRect(x: left, y: y, width: width - p - 8 - left, height: curveHeight)
        let columns = BandScale(count: specifications.count, from: curve.x, to: curve.maxX)
        elements += curvePanel(curve, columns: columns)
        let choices = PlotRect(x: left, y: curve.maxY + 16, width: curve.width, height: Double(choiceRows.count) * Self.choiceRow)
        elements += choicesPanel(choices, columns: columns, labelWidth: labelWidth)
        let ranks = rankScale(choices)
        let rankAxis = NumericAxis(.bottom, scale: ranks, title: "Specifications, ranked by the estimate", grid: false)
        elements += rankAxis.elements(area: choices)
        let bottom = choices.maxY + rankAxis.thickness
        elements += chrome.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + chrome.footerHeight(width: inner) + p,
                           title: chrome.title.isEmpty ? "Specification curve" : chrome.title,
                           description: "\(specifications.count) specifications ranked by the estimate, with the choices each makes.",
                           elements: elements)
    }

    /// The left column: the widest of the values (with their 12 px indent), the bold
    /// dimension names and the estimate axis's labels, at most 30% of the width.
    var choiceLabelWidth: Double {
        let size = PlotTheme.tickLabelSize
        let values = dimensions.flatMap(\.values).map { TextMetrics.reservedWidth($0, size: size) + 12 }
        let names = dimensions.map { TextMetrics.reservedWidth($0.name, size: size, weight: .bold) }
        return min(width * 0.3, (values + names + [TextMetrics.reservedWidth("−0.000", size: size)]).max()!)
    }

    /// The rank axis: whole ranks at nice steps (and 1), 1 to n at the columns' centres.
    func rankScale(_ area: PlotRect) -> LinearScale {
        let n = Double(specifications.count)
        var count = preferredTickCount(length: area.width, horizontal: true)
        while true {
            let (ticks, step) = NiceNumbers.innerTicks(1, max(n, 2), count: count)
            let whole = max(step, 1)
            let kept = ticks.filter { $0 >= 1 && $0 <= n && $0.truncatingRemainder(dividingBy: whole) == 0 }
            // The first specification is labelled too, unless a tick is already near it.
            let ranks = kept.first.map { $0 - 1 >= whole / 2 } ?? true ? [1] + kept : kept
            let scale = LinearScale(domain: 0.5...(n + 0.5), from: area.x, to: area.maxX, ticks: ranks, step: whole)
            if count <= 2 || scale.labelsFit(horizontal: true, size: PlotTheme.tickLabelSize) { return scale }
            count -= 1
        }
    }

    /// The ranked estimates and intervals, the median and zero lines, the estimate axis.
    func curvePanel(_ area: PlotRect, columns: BandScale) -> [SVGElement] {
        let values: [Double] = specifications.flatMap { [$0.estimate, $0.low, $0.high] } + [0, median]
        let y = LinearScale.fitted(covering: values, from: area.maxY, to: area.y, horizontal: false)
        let axis = NumericAxis(.left, scale: y)
        var out = axis.gridElements(area: area)
        out += ReferenceLine(.horizontal, at: y.position(0), dash: .solid, width: 1).elements(area: area, class: "zero")
        let size = min(7, max(2.5, abs(columns.bandwidth) * 0.8))
        let caps = abs(columns.bandwidth) >= 9
        var marks: [SVGElement] = []
        for (k, s) in specifications.enumerated() {
            let x = columns.center(k)
            let color = s.significant ? Self.significantColor : Self.otherColor
            var parts: [SVGElement] = []
            if s.low.isFinite && s.high.isFinite {
                parts.append(IntervalMark.vertical(from: y.position(s.low), to: y.position(s.high), at: x, color: color,
                                                   width: min(1.2, max(0.6, abs(columns.bandwidth) * 0.3)), caps: caps))
            }
            let shape: MarkerShape = s.significant ? .circle : .diamond
            parts.append(shape.element(at: PlotPoint(x: x, y: y.position(s.estimate)), size: size, color: color, filled: s.significant).tagged("point"))
            let tip = "\(k + 1). " + zip(dimensions, s.choices).map { "\($0.name)=\($1)" }.joined(separator: ", ") + ": " + IntervalMark.describe(s.estimate, s.low, s.high)
            marks.append(.titled(tip, parts, class: "specification"))
        }
        out.append(.group(marks, class: "curve"))
        // The median's value is in the legend: on the line it would cover the estimates near it.
        out += ReferenceLine(.horizontal, at: y.position(median), color: PlotTheme.textColor, dash: .dashed)
            .elements(area: area, class: "median")
        out += axis.elements(area: area)
        return out
    }

    /// The choices panel: a row per value (under its dimension's name), a mark per column.
    func choicesPanel(_ area: PlotRect, columns: BandScale, labelWidth: Double) -> [SVGElement] {
        var out: [SVGElement] = []
        let rows = choiceRows
        let labelX = area.x - PlotTheme.tickLength - PlotTheme.tickLabelGap
        let w = min(6, max(1.5, abs(columns.bandwidth) * 0.7))
        for (r, row) in rows.enumerated() {
            let cy = area.y + (Double(r) + 0.5) * Self.choiceRow
            guard let value = row.value else {
                let name = TextFitting.truncate(row.label, width: labelWidth, size: PlotTheme.tickLabelSize, weight: .bold)
                out.append(.text(name, x: area.x - labelWidth - PlotTheme.tickLength - PlotTheme.tickLabelGap, y: cy + 4,
                                 style: TextStyle(size: PlotTheme.tickLabelSize, weight: .bold)))
                continue
            }
            let fitted = TextFitting.truncate(value, width: labelWidth - 12, size: PlotTheme.tickLabelSize)
            let text = SVGElement.text(fitted, x: labelX, y: cy + 4, style: TextStyle(size: PlotTheme.tickLabelSize, anchor: .end))
            out.append(fitted == value ? text.tagged("category") : .titled(value, [text], class: "category"))
            if r % 2 == 1 {
                out.insert(.rect(x: area.x, y: cy - Self.choiceRow / 2, width: area.width, height: Self.choiceRow, style: .filled(SVGColor(hex: 0xF4F4F4))), at: 0)
            }
            for (k, s) in specifications.enumerated() where s.choices.indices.contains(row.dimension) && s.choices[row.dimension] == value {
                out.append(SVGElement.rect(x: columns.center(k) - w / 2, y: cy - 5, width: w, height: 10,
                                           style: .filled(PlotTheme.axisColor)).tagged("choice"))
            }
        }
        return [SVGElement.group(out, class: "choices")]
    }
}
