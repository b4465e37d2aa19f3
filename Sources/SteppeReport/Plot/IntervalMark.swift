/// An interval drawn as a line with short end caps (an error bar), tagged `interval`.
public enum IntervalMark {
    /// Cap half-length in pixels.
    static let cap = 3.5

    /// A horizontal interval from pixel `x1` to `x2` at height `y`.
    public static func horizontal(from x1: Double, to x2: Double, at y: Double, color: SVGColor, width: Double = 1.6) -> SVGElement {
        let style = ShapeStyle.stroked(color, width: width)
        return .group([.line(x1: x1, y1: y, x2: x2, y2: y, style: style),
                       .line(x1: x1, y1: y - cap, x2: x1, y2: y + cap, style: style),
                       .line(x1: x2, y1: y - cap, x2: x2, y2: y + cap, style: style)], class: "interval")
    }

    /// A vertical interval from pixel `y1` to `y2` at `x`; caps only when `caps` (thin
    /// intervals of many specifications go without).
    public static func vertical(from y1: Double, to y2: Double, at x: Double, color: SVGColor, width: Double = 1.2,
                                caps: Bool = true) -> SVGElement {
        let style = ShapeStyle.stroked(color, width: width)
        var parts: [SVGElement] = [.line(x1: x, y1: y1, x2: x, y2: y2, style: style)]
        if caps {
            parts += [.line(x1: x - cap, y1: y1, x2: x + cap, y2: y1, style: style),
                      .line(x1: x - cap, y1: y2, x2: x + cap, y2: y2, style: style)]
        }
        return .group(parts, class: "interval")
    }

    /// "0.532 [0.201, 0.863]", for tooltips: four significant digits.
    public static func describe(_ estimate: Double, _ low: Double, _ high: Double) -> String {
        let f = { (v: Double) in v.isFinite ? ReportNumber.significant(v, 4) : "NA" }
        return "\(f(estimate)) [\(f(low)), \(f(high))]"
    }
}
