/// An axis of named categories at given pixel positions (band centres), with labels that
/// never overlap: on a vertical axis each label is wrapped into `labelWidth` pixels on at
/// most `maxLines` lines and truncated with "…" beyond; on a horizontal axis labels are
/// set level when they fit their band and at −45° (truncated to `labelWidth`) when not.
/// A shortened label carries its full text as a `<title>` tooltip.
public struct CategoryAxis: Sendable {
    public let edge: AxisEdge
    public let labels: [String]
    /// The pixel of each label along the axis (a band centre).
    public let positions: [Double]
    /// The largest width of a label: the margin on a vertical axis, the length of a rotated
    /// label on a horizontal one.
    public var labelWidth: Double
    public var maxLines: Int = 2
    public var labelSize: Double = PlotTheme.tickLabelSize
    public var title: String?

    public init(_ edge: AxisEdge, labels: [String], positions: [Double], labelWidth: Double, title: String? = nil) {
        self.edge = edge
        self.labels = labels
        self.positions = positions
        self.labelWidth = labelWidth
        self.title = title
    }

    /// The width a left axis needs for `labels` at most `limit` wide: the widest label's
    /// estimate, capped at `limit`.
    public static func labelWidth(for labels: [String], limit: Double, size: Double = PlotTheme.tickLabelSize) -> Double {
        min(limit, labels.map { TextMetrics.reservedWidth($0, size: size) }.max() ?? 0)
    }

    /// The distance between neighbouring positions (the band), or the axis's span for one label.
    var spacing: Double {
        guard positions.count > 1 else { return .infinity }
        return zip(positions.dropFirst(), positions).map { abs($0 - $1) }.min() ?? .infinity
    }

    /// Whether labels on a horizontal axis must turn: some label is wider than its band.
    public var rotated: Bool {
        edge.isHorizontal && labels.contains { TextMetrics.reservedWidth($0, size: labelSize) > spacing - 4 }
    }

    /// Lines per label on a vertical axis: as many as `maxLines` allows and the spacing holds.
    var linesAllowed: Int {
        let fitting = (spacing - 2) / PlotTheme.lineHeight(labelSize)
        return fitting.isFinite ? max(1, min(maxLines, Int(fitting))) : maxLines
    }

    /// The space outside the area: tick, labels and title.
    public var thickness: Double {
        let titleSpace = title == nil ? 0 : 4 + PlotTheme.lineHeight(PlotTheme.axisTitleSize)
        let labels: Double
        if !edge.isHorizontal {
            labels = labelWidth
        } else if rotated {
            let widest = self.labels.map { min(labelWidth, TextMetrics.reservedWidth($0, size: labelSize)) }.max() ?? 0
            labels = widest * 0.7072 + labelSize
        } else {
            labels = PlotTheme.lineHeight(labelSize)
        }
        return PlotTheme.tickLength + PlotTheme.tickLabelGap + labels + titleSpace
    }

    /// The labels, ticks and title.
    public func elements(area: PlotRect) -> [SVGElement] {
        var out: [SVGElement] = []
        for (label, p) in zip(labels, positions) {
            out += edge.isHorizontal ? horizontal(label, at: p, area: area) : vertical(label, at: p, area: area)
        }
        if let title { out += AxisTitle.elements(title, edge: edge, area: area, offset: thickness) }
        return [SVGElement.group(out, class: "axis")]
    }

    func vertical(_ label: String, at y: Double, area: PlotRect) -> [SVGElement] {
        let fitted = TextFitting.wrap(label, width: labelWidth, size: labelSize, maxLines: linesAllowed)
        let left = edge == .left
        let x = left ? area.x - PlotTheme.tickLength - PlotTheme.tickLabelGap : area.maxX + PlotTheme.tickLength + PlotTheme.tickLabelGap
        let lh = PlotTheme.lineHeight(labelSize)
        let style = TextStyle(size: labelSize, anchor: left ? .end : .start)
        let lines = fitted.lines.enumerated().map { k, line in
            SVGElement.text(line, x: x, y: y + (Double(k) - Double(fitted.lines.count - 1) / 2) * lh + labelSize * 0.35, style: style)
        }
        let tick = SVGElement.line(x1: left ? area.x : area.maxX, y1: y, x2: left ? area.x - PlotTheme.tickLength : area.maxX + PlotTheme.tickLength,
                                   y2: y, style: .stroked(PlotTheme.axisColor))
        return [tick, fitted.isShortened ? .titled(label, lines, class: "category") : .group(lines, class: "category")]
    }

    func horizontal(_ label: String, at x: Double, area: PlotRect) -> [SVGElement] {
        let bottom = edge == .bottom
        let y = bottom ? area.maxY : area.y
        let direction: Double = bottom ? 1 : -1
        let tick = SVGElement.line(x1: x, y1: y, x2: x, y2: y + direction * PlotTheme.tickLength, style: .stroked(PlotTheme.axisColor))
        let offset = PlotTheme.tickLength + PlotTheme.tickLabelGap
        let text: SVGElement
        let shown: String
        if rotated {
            shown = TextFitting.truncate(label, width: labelWidth, size: labelSize)
            let ly = bottom ? y + offset + labelSize * 0.7 : y - offset
            text = .text(shown, x: x + labelSize * 0.3, y: ly, style: TextStyle(size: labelSize, anchor: .end), rotation: -45)
        } else {
            shown = label
            let ly = bottom ? y + offset + labelSize * 0.9 : y - offset - labelSize * 0.2
            text = .text(shown, x: x, y: ly, style: TextStyle(size: labelSize, anchor: .middle))
        }
        return [tick, shown == label ? text.tagged("category") : .titled(label, [text], class: "category")]
    }
}
