/// Contour lines of a function on a grid (computed by `MarchingSquares`), each labelled
/// with its value, one level drawn apart as a dashed vermillion line (the threshold a
/// conclusion turns on), and labelled points: the layout of sensemakr's
/// `ovb_contour_plot` (Cinelli & Hazlett 2020), and of any contour plot.
///
/// The axes are the grid's exact ranges. Contour labels sit on the lines (on a white
/// box) where they collide with no other label; the points' labels are placed first.
public struct ContourPlot: SVGPlot {
    /// A labelled point, drawn with a shape and colour and named beside it.
    public struct LabelledPoint: Sendable, Equatable {
        public let label: String
        public let x: Double
        public let y: Double
        public let shape: MarkerShape
        public let color: SVGColor

        public init(label: String, x: Double, y: Double, shape: MarkerShape, color: SVGColor) {
            self.label = label
            self.x = x
            self.y = y
            self.shape = shape
            self.color = color
        }
    }

    /// The sampled function: `z[i][j]` at (`x[i]`, `y[j]`).
    public var x: [Double], y: [Double], z: [[Double]]
    /// The levels drawn as grey lines; default: the nice numbers inside z's range.
    public var levels: [Double]
    /// The level drawn apart, and its legend text.
    public var threshold: (value: Double, label: String)?
    public var points: [LabelledPoint]
    /// Legend entries for the points (one per kind).
    public var pointLegend: [LegendEntry]
    public var xTitle: String, yTitle: String
    public var chrome: PlotChrome
    public var width: Double
    static let lineColor = SVGColor(hex: 0x555555)
    static let thresholdColor = Palette.vermillion

    public init(x: [Double], y: [Double], z: [[Double]], levels: [Double]? = nil, threshold: (value: Double, label: String)? = nil,
                points: [LabelledPoint] = [], pointLegend: [LegendEntry] = [], xTitle: String, yTitle: String,
                title: String, caption: [String] = [], width: Double = 600) {
        self.x = x
        self.y = y
        self.z = z
        let finite = z.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        self.levels = levels ?? NiceNumbers.innerTicks(lo, hi, count: 8).ticks
            .filter { $0 > lo && $0 < hi && $0 != threshold?.value }
        self.threshold = threshold
        self.points = points
        self.pointLegend = pointLegend
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    /// The contour lines of one level, in the grid's coordinates.
    public func lines(at level: Double) -> [[MarchingSquares.Point]] {
        MarchingSquares.contours(x: x, y: y, z: z, level: level)
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        var entries = [LegendEntry("adjusted estimate (contours)", .line(Self.lineColor, .solid, width: 1))]
        if let threshold { entries.append(LegendEntry(threshold.label, .line(Self.thresholdColor, .dashed, width: 2))) }
        let legend = Legend(entries + pointLegend)
        var elements = chrome.header(x: p, y: p, width: inner)
        let legendTop = p + chrome.headerHeight(width: inner)
        elements += legend.elements(x: p, y: legendTop, width: inner)
        let top = legendTop + legend.height(width: inner) + 10
        let probe = LinearScale.fitted(covering: [], domain: (y.first ?? 0)...(y.last ?? 1), from: top + 400, to: top, horizontal: false)
        let left = p + NumericAxis(.left, scale: probe, title: yTitle).thickness
        let side = min(width - p - 12 - left, 440)
        let area = PlotRect(x: left, y: top, width: side, height: side)
        let xs = LinearScale.fitted(covering: [], domain: (x.first ?? 0)...(x.last ?? 1), from: area.x, to: area.maxX, horizontal: true)
        let ys = LinearScale.fitted(covering: [], domain: (y.first ?? 0)...(y.last ?? 1), from: area.maxY, to: area.y, horizontal: false)
        let xAxis = NumericAxis(.bottom, scale: xs, title: xTitle), yAxis = NumericAxis(.left, scale: ys, title: yTitle)
        elements += xAxis.gridElements(area: area) + yAxis.gridElements(area: area)
        var placement = LabelPlacement(bounds: area)
        let pointMarks = pointElements(xs, ys, &placement)
        elements += contourElements(xs, ys, &placement)
        elements += pointMarks
        elements += xAxis.elements(area: area) + yAxis.elements(area: area)
        let bottom = area.maxY + xAxis.thickness
        elements += chrome.footer(x: p, y: bottom, width: inner)
        return SVGDocument(width: width, height: bottom + chrome.footerHeight(width: inner) + p,
                           title: chrome.title.isEmpty ? "Contour plot" : chrome.title,
                           description: "Contours of \(levels.count) levels over \(x.count) × \(y.count) grid points, with \(points.count) labelled point(s).",
                           elements: elements)
    }

    /// Every level's lines (the threshold last, over the others) and their labels.
    func contourElements(_ xs: LinearScale, _ ys: LinearScale, _ placement: inout LabelPlacement) -> [SVGElement] {
        var out: [SVGElement] = []
        var labels: [SVGElement] = []
        var all = levels.map { ($0, false) }
        if let threshold { all.append((threshold.value, true)) }
        for (level, isThreshold) in all {
            let style = isThreshold ? ShapeStyle.stroked(Self.thresholdColor, width: 2, dash: .dashed) : .stroked(Self.lineColor, width: 1)
            let paths = lines(at: level).map { line in line.map { PlotPoint(x: xs.position($0.x), y: ys.position($0.y)) } }
            let name = isThreshold ? "threshold" : "contour"
            out.append(.group(paths.map { SVGElement.polyline($0, style: style) }, class: name))
            if let longest = paths.max(by: { $0.count < $1.count }), longest.count >= 2 {
                labels += contourLabel(TickFormat.significant(level), on: longest, color: isThreshold ? Self.thresholdColor : PlotTheme.textColor, &placement)
            }
        }
        return out + [.group(labels, class: "contour-labels")]
    }

    /// A level's label on a white box at the first free place along the line (its middle,
    /// then a third and two thirds along, then near the ends).
    func contourLabel(_ text: String, on line: [PlotPoint], color: SVGColor, _ placement: inout LabelPlacement) -> [SVGElement] {
        let size = PlotTheme.directLabelSize
        let spots = [0.5, 0.33, 0.67, 0.2, 0.8, 0.1, 0.9].map { line[min(line.count - 1, Int(Double(line.count - 1) * $0))] }
        let boxes = spots.map { LabelPlacement.box(text, x: $0.x, baseline: $0.y + size * 0.35, size: size, anchor: .middle) }
        guard let k = placement.place(boxes) else { return [] }
        let b = boxes[k]
        return [.rect(x: b.x - 1, y: b.y, width: b.width + 2, height: b.height, style: .filled(.white, opacity: 0.85)),
                .text(text, x: spots[k].x, y: spots[k].y + size * 0.35, style: TextStyle(size: size, anchor: .middle, color: color))]
    }

    /// The points and their labels, placed right, left, above or below them.
    func pointElements(_ xs: LinearScale, _ ys: LinearScale, _ placement: inout LabelPlacement) -> [SVGElement] {
        let size = PlotTheme.directLabelSize
        var out: [SVGElement] = []
        for point in points {
            let c = PlotPoint(x: xs.position(point.x), y: ys.position(point.y))
            placement.reserve(PlotRect(x: c.x - 5, y: c.y - 5, width: 10, height: 10))
            let mark = point.shape.element(at: c, size: 9, color: point.color).tagged("point")
            let spots: [(Double, Double, TextAnchor)] = [(c.x + 8, c.y + size * 0.35, .start), (c.x - 8, c.y + size * 0.35, .end),
                                                         (c.x, c.y - 9, .middle), (c.x, c.y + 9 + size * 0.8, .middle),
                                                         (c.x + 6, c.y - 8, .start), (c.x + 6, c.y + 8 + size * 0.8, .start)]
            let boxes = spots.map { LabelPlacement.box(point.label, x: $0.0, baseline: $0.1, size: size, anchor: $0.2) }
            var parts = [mark]
            if let k = placement.place(boxes) {
                parts.append(.text(point.label, x: spots[k].0, y: spots[k].1, style: TextStyle(size: size, anchor: spots[k].2)))
            }
            out.append(.titled(point.label, parts, class: "labelled-point"))
        }
        return [.group(out, class: "points")]
    }
}
