/// The zeros of a log-scaled axis, drawn where they can be seen: a thin strip below the
/// plotting area, set apart from it by a gap and labelled "0" at the axis, with one hollow
/// marker per zero at its other coordinate.
///
/// A log scale has no zero, and leaving zero flows out silently would make a sparse matrix
/// look dense; the strip keeps them in the picture (as ggplot users do with a broken axis)
/// and the caption says how many there are.
struct ZeroStrip {
    static let gap = 8.0
    static let height = 14.0

    /// The strip's rectangle under `area`.
    static func rect(below area: PlotRect) -> PlotRect {
        PlotRect(x: area.x, y: area.maxY + gap, width: area.width, height: height)
    }

    /// The strip with markers at the pixels `xs`, its frame, and the "0" label left of it.
    static func elements(xs: [Double], below area: PlotRect, color: SVGColor, shape: MarkerShape = .circle) -> [SVGElement] {
        let strip = rect(below: area)
        var out: [SVGElement] = [.rect(x: strip.x, y: strip.y, width: strip.width, height: strip.height,
                                       style: ShapeStyle(fill: SVGColor(hex: 0xF4F4F4), stroke: PlotTheme.gridColor, strokeWidth: 1))]
        out.append(.text("0", x: strip.x - PlotTheme.tickLength - PlotTheme.tickLabelGap, y: strip.midY + PlotTheme.tickLabelSize * 0.35,
                         style: TextStyle(size: PlotTheme.tickLabelSize, anchor: .end)))
        out += xs.map { shape.element(at: PlotPoint(x: $0, y: strip.midY), size: 6, color: color, filled: false).tagged("zero") }
        return [SVGElement.group(out, class: "zero-strip")]
    }
}
