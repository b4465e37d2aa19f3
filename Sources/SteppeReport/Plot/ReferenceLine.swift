/// A line across the plotting area at a data value that is not data itself: zero, the
/// median of a curve, an observed statistic, the full-sample estimate.
///
/// It is drawn with a dash pattern and, when `label` is given, labelled in words at its
/// end, so that it is told from the data by more than its colour.
public struct ReferenceLine: Sendable {
    public enum Orientation: Sendable { case vertical, horizontal }

    public let orientation: Orientation
    /// The pixel where it crosses its axis.
    public let position: Double
    public var color: SVGColor
    public var dash: DashPattern
    public var width: Double
    public var label: String?

    public init(_ orientation: Orientation, at position: Double, color: SVGColor = PlotTheme.referenceColor,
                dash: DashPattern = .dashed, width: Double = 1.2, label: String? = nil) {
        self.orientation = orientation
        self.position = position
        self.color = color
        self.dash = dash
        self.width = width
        self.label = label
    }

    /// The line across `area`, tagged `class`. A vertical line's label sits above the area's
    /// top, after the line (`labelAnchor` `.start`), before it (`.end`) or centred on it; a
    /// horizontal one's just above the line at the left end (`.start`) or the right end
    /// (otherwise).
    public func elements(area: PlotRect, class name: String, labelAnchor: TextAnchor = .middle) -> [SVGElement] {
        let style = ShapeStyle.stroked(color, width: width, dash: dash)
        var out: [SVGElement]
        switch orientation {
        case .vertical: out = [.line(x1: position, y1: area.y, x2: position, y2: area.maxY, style: style)]
        case .horizontal: out = [.line(x1: area.x, y1: position, x2: area.maxX, y2: position, style: style)]
        }
        if let label {
            let textStyle = TextStyle(size: PlotTheme.directLabelSize, anchor: labelAnchor, color: color == PlotTheme.referenceColor ? PlotTheme.textColor : color)
            switch orientation {
            case .vertical:
                let dx: Double = labelAnchor == .start ? 3 : labelAnchor == .end ? -3 : 0
                out.append(.text(label, x: position + dx, y: area.y - 4, style: textStyle))
            case .horizontal:
                let left = labelAnchor == .start
                out.append(.text(label, x: left ? area.x + 4 : area.maxX - 4, y: position - 4, style: textStyle.anchored(left ? .start : .end)))
            }
        }
        return [SVGElement.group(out, class: name)]
    }
}
