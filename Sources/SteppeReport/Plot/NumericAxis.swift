/// Which side of the plotting area an axis runs along.
public enum AxisEdge: Sendable, Equatable {
    case bottom, left, top, right

    var isHorizontal: Bool { self == .bottom || self == .top }
}

/// A numeric axis: grid lines across the plotting area at the ticks, the axis line,
/// tick marks outward, tick labels and a title, all outside the area except the grid.
///
/// The labels are the scale's (`PlotScale.tickLabels`); fitted scales (`LinearScale.fitted`)
/// have already dropped ticks until neighbouring labels do not overlap. A title too long
/// for the axis is shortened with its full text in a tooltip.
public struct NumericAxis: Sendable {
    public let edge: AxisEdge
    public let scale: any PlotScale
    public var title: String?
    /// Draw light grid lines across the area at the ticks. Default true.
    public var grid: Bool
    public var labelSize: Double = PlotTheme.tickLabelSize

    public init(_ edge: AxisEdge, scale: any PlotScale, title: String? = nil, grid: Bool = true) {
        self.edge = edge
        self.scale = scale
        self.title = title
        self.grid = grid
    }

    /// The space the axis needs outside the plotting area: ticks, labels and title.
    public var thickness: Double {
        let titleSpace = title == nil ? 0 : 4 + PlotTheme.lineHeight(PlotTheme.axisTitleSize)
        let labels = edge.isHorizontal
            ? PlotTheme.lineHeight(labelSize)
            : scale.tickLabels.map { TextMetrics.reservedWidth($0, size: labelSize) }.max() ?? 0
        return PlotTheme.tickLength + PlotTheme.tickLabelGap + labels + titleSpace
    }

    /// The grid lines (to draw under the data).
    public func gridElements(area: PlotRect) -> [SVGElement] {
        guard grid else { return [] }
        let style = ShapeStyle.stroked(PlotTheme.gridColor, width: 1)
        return [SVGElement.group(scale.ticks.map { t in
            let p = scale.position(t)
            return edge.isHorizontal
                ? SVGElement.line(x1: p, y1: area.y, x2: p, y2: area.maxY, style: style)
                : SVGElement.line(x1: area.x, y1: p, x2: area.maxX, y2: p, style: style)
        }, class: "grid")]
    }

    /// The axis line, ticks, labels and title (to draw over the grid).
    public func elements(area: PlotRect) -> [SVGElement] {
        let line = ShapeStyle.stroked(PlotTheme.axisColor, width: 1)
        let textStyle = TextStyle(size: labelSize, color: PlotTheme.textColor)
        var out: [SVGElement] = []
        switch edge {
        case .bottom, .top:
            let y = edge == .bottom ? area.maxY : area.y
            let direction: Double = edge == .bottom ? 1 : -1
            out.append(.line(x1: area.x, y1: y, x2: area.maxX, y2: y, style: line))
            for (t, label) in zip(scale.ticks, scale.tickLabels) {
                let x = scale.position(t)
                out.append(.line(x1: x, y1: y, x2: x, y2: y + direction * PlotTheme.tickLength, style: line))
                let baseline = edge == .bottom ? y + PlotTheme.tickLength + PlotTheme.tickLabelGap + labelSize * 0.9
                    : y - PlotTheme.tickLength - PlotTheme.tickLabelGap - labelSize * 0.2
                out.append(.text(label, x: x, y: baseline, style: textStyle.anchored(.middle)))
            }
        case .left, .right:
            let x = edge == .left ? area.x : area.maxX
            let direction: Double = edge == .left ? -1 : 1
            out.append(.line(x1: x, y1: area.y, x2: x, y2: area.maxY, style: line))
            for (t, label) in zip(scale.ticks, scale.tickLabels) {
                let y = scale.position(t)
                out.append(.line(x1: x, y1: y, x2: x + direction * PlotTheme.tickLength, y2: y, style: line))
                let lx = x + direction * (PlotTheme.tickLength + PlotTheme.tickLabelGap)
                out.append(.text(label, x: lx, y: y + labelSize * 0.35, style: textStyle.anchored(edge == .left ? .end : .start)))
            }
        }
        out += titleElements(area: area)
        return [SVGElement.group(out, class: "axis")]
    }

    func titleElements(area: PlotRect) -> [SVGElement] {
        guard let title else { return [] }
        return AxisTitle.elements(title, edge: edge, area: area, offset: thickness)
    }
}

/// An axis's title: centred along the axis, `offset` pixels outside the area (its far edge),
/// rotated on vertical axes, shortened with a tooltip when longer than the axis.
enum AxisTitle {
    static func elements(_ title: String, edge: AxisEdge, area: PlotRect, offset: Double) -> [SVGElement] {
        let size = PlotTheme.axisTitleSize
        let style = TextStyle(size: size, anchor: .middle, color: PlotTheme.textColor)
        let available = edge.isHorizontal ? area.width : area.height
        let shown = TextFitting.truncate(title, width: available, size: size)
        let element: SVGElement
        switch edge {
        case .bottom: element = .text(shown, x: area.midX, y: area.maxY + offset - size * 0.25, style: style)
        case .top: element = .text(shown, x: area.midX, y: area.y - offset + size * 0.95, style: style)
        case .left: element = .text(shown, x: area.x - offset + size * 0.95, y: area.midY, style: style, rotation: -90)
        case .right: element = .text(shown, x: area.maxX + offset - size * 0.25, y: area.midY, style: style, rotation: -90)
        }
        return [shown == title ? element.tagged("axis-title") : .titled(title, [element], class: "axis-title")]
    }
}
