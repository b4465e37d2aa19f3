/// Leave-one-cluster-out estimates: for each term, a dot per cluster at the estimate
/// without it, clusters sorted by that estimate (largest on top), and the full-sample
/// estimate as a dashed line labelled with its value (as summclust's and the influence
/// plots of MacKinnon, Nielsen & Webb 2023 show them).
///
/// A leave-one-out estimate whose sign differs from the full sample's is a hollow
/// triangle in vermillion instead of a filled blue circle (shape and colour both), so the
/// clusters that overturn the sign stand out in print too.
public struct JackknifePlot: SVGPlot {
    /// One cluster's leave-one-out estimate.
    public struct LeaveOneOut: Sendable, Equatable {
        public let cluster: String
        public let estimate: Double

        public init(cluster: String, estimate: Double) {
            self.cluster = cluster
            self.estimate = estimate
        }
    }

    /// One term: its full-sample estimate and the estimate without each cluster.
    public struct Panel: Sendable, Equatable {
        public let term: String
        public let estimate: Double
        public let leaveOneOut: [LeaveOneOut]

        public init(term: String, estimate: Double, leaveOneOut: [LeaveOneOut]) {
            self.term = term
            self.estimate = estimate
            self.leaveOneOut = leaveOneOut
        }

        /// The finite estimates, largest first (ties in the order given).
        public var sorted: [LeaveOneOut] {
            leaveOneOut.filter { $0.estimate.isFinite }.enumerated()
                .sorted { ($1.element.estimate, $0.offset) < ($0.element.estimate, $1.offset) }.map(\.element)
        }
    }

    public var panels: [Panel]
    /// What the clusters are, for the axis title: "region".
    public var clusterName: String
    public var chrome: PlotChrome
    public var width: Double
    static let rowHeight = 17.0
    static let sameSign = Palette.blue
    static let flipped = Palette.vermillion

    public init(panels: [Panel], clusterName: String, title: String, caption: [String] = [], width: Double = PlotTheme.defaultWidth) {
        self.panels = panels
        self.clusterName = clusterName
        self.chrome = PlotChrome(title: title, caption: caption)
        self.width = width
    }

    public func document() -> SVGDocument {
        let p = PlotTheme.padding, inner = width - 2 * p
        var entries = [LegendEntry("estimate without the \(clusterName)", .marker(.circle, Self.sameSign, filled: true)),
                       LegendEntry("full-sample estimate", .line(PlotTheme.textColor, .dashed, width: 1.4))]
        if panels.contains(where: { panel in panel.sorted.contains { Self.flips($0.estimate, panel.estimate) } }) {
            entries.insert(LegendEntry("sign differs from the full sample", .marker(.triangle, Self.flipped, filled: false)), at: 1)
        }
        let legend = Legend(entries)
        let labels = panels.flatMap { $0.leaveOneOut.map(\.cluster) }
        let labelWidth = CategoryAxis.labelWidth(for: labels, limit: width * 0.3)
        var elements = chrome.header(x: p, y: p, width: inner)
        var y = p + chrome.headerHeight(width: inner)
        elements += legend.elements(x: p, y: y, width: inner)
        y += legend.height(width: inner) + 4
        for panel in panels {
            let (panelElements, bottom) = self.panel(panel, top: y, labelWidth: labelWidth)
            elements.append(.group(panelElements, class: "panel"))
            y = bottom + 10
        }
        elements += chrome.footer(x: p, y: y, width: inner)
        return SVGDocument(width: width, height: y + chrome.footerHeight(width: inner) + p,
                           title: chrome.title.isEmpty ? "Leave-one-out estimates" : chrome.title,
                           description: "Estimates of \(panels.count) term(s) without each \(clusterName), sorted, with the full-sample estimate.",
                           elements: elements)
    }

    /// Whether `b` has the other sign than `full`.
    static func flips(_ b: Double, _ full: Double) -> Bool { (b < 0) != (full < 0) && b != 0 && full != 0 }

    func panel(_ panel: Panel, top: Double, labelWidth: Double) -> ([SVGElement], Double) {
        let p = PlotTheme.padding
        var out: [SVGElement] = [.text(panel.term, x: p, y: top + PlotTheme.axisTitleSize,
                                       style: TextStyle(size: PlotTheme.axisTitleSize, weight: .bold))]
        let rows = panel.sorted
        let area = PlotRect(x: p + labelWidth + PlotTheme.tickLength + PlotTheme.tickLabelGap,
                            y: top + PlotTheme.lineHeight(PlotTheme.axisTitleSize) + 20,
                            width: 0, height: Self.rowHeight * Double(max(rows.count, 1)))
        let plotArea = PlotRect(x: area.x, y: area.y, width: width - p - 10 - area.x, height: area.height)
        let x = LinearScale.fitted(covering: rows.map(\.estimate) + [panel.estimate], from: plotArea.x, to: plotArea.maxX, horizontal: true)
        let band = BandScale(count: rows.count, from: plotArea.y, to: plotArea.maxY)
        let xAxis = NumericAxis(.bottom, scale: x, title: "estimate of \(panel.term) without the \(clusterName)")
        let yAxis = CategoryAxis(.left, labels: rows.map(\.cluster), positions: rows.indices.map(band.center), labelWidth: labelWidth)
        out += xAxis.gridElements(area: plotArea)
        if panel.estimate.isFinite {
            let label = "full sample " + TickFormat.significant(panel.estimate)
            let px = x.position(panel.estimate)
            out += ReferenceLine(.vertical, at: px, color: PlotTheme.textColor, dash: .dashed, width: 1.4, label: label)
                .elements(area: plotArea, class: "full-sample", labelAnchor: px > plotArea.midX ? .end : .start)
        }
        let dots: [SVGElement] = rows.enumerated().map { k, r in
            let flipped = Self.flips(r.estimate, panel.estimate)
            let center = PlotPoint(x: x.position(r.estimate), y: band.center(k))
            let mark = (flipped ? MarkerShape.triangle : .circle)
                .element(at: center, size: 8, color: flipped ? Self.flipped : Self.sameSign, filled: !flipped).tagged("point")
            return .titled("without \(r.cluster): \(ReportNumber.significant(r.estimate, 4))", [mark], class: "leave-one-out")
        }
        out.append(.group(dots, class: "dots"))
        out += xAxis.elements(area: plotArea) + yAxis.elements(area: plotArea)
        return (out, plotArea.maxY + xAxis.thickness)
    }
}
