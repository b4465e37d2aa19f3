/// A point marker's shape: the channel that tells series apart besides colour.
///
/// Shapes of one `size` have about the same area (a square's side is 0.886 of the
/// circle's diameter, a triangle's side 1.35 of it), so no series looks heavier for its
/// shape. Hollow markers are outlined in the colour and filled white.
public enum MarkerShape: String, Sendable, Equatable, CaseIterable {
    case circle, triangle, square, diamond, triangleDown, plus, cross

    /// The marker centred at `center`, `size` pixels across (a circle's diameter).
    public func element(at center: PlotPoint, size: Double, color: SVGColor, filled: Bool = true) -> SVGElement {
        let style = filled && !isStroke
            ? ShapeStyle(fill: color, stroke: color, strokeWidth: 0.8)
            : ShapeStyle(fill: isStroke ? nil : .white, stroke: color, strokeWidth: isStroke ? 2 : 1.5)
        let x = center.x, y = center.y, r = size / 2
        switch self {
        case .circle:
            return .circle(cx: x, cy: y, r: r, style: style)
        case .square:
            let s = size * 0.886
            return .rect(x: x - s / 2, y: y - s / 2, width: s, height: s, style: style)
        case .triangle, .triangleDown:
            let side = size * 1.35, h = side * 0.866
            let sign: Double = self == .triangle ? 1 : -1
            let top = y - sign * h * 2 / 3, base = y + sign * h / 3
            return .polygon([PlotPoint(x: x, y: top), PlotPoint(x: x + side / 2, y: base), PlotPoint(x: x - side / 2, y: base)], style: style)
        case .diamond:
            let d = size * 0.71
            return .polygon([PlotPoint(x: x, y: y - d), PlotPoint(x: x + d, y: y), PlotPoint(x: x, y: y + d), PlotPoint(x: x - d, y: y)], style: style)
        case .plus:
            return .path("M\(n(x - r)) \(n(y))H\(n(x + r))M\(n(x)) \(n(y - r))V\(n(y + r))", style: style)
        case .cross:
            let d = r * 0.8
            return .path("M\(n(x - d)) \(n(y - d))L\(n(x + d)) \(n(y + d))M\(n(x - d)) \(n(y + d))L\(n(x + d)) \(n(y - d))", style: style)
        }
    }

    /// Drawn with strokes only (no fill to be hollow or not).
    public var isStroke: Bool { self == .plus || self == .cross }

    private func n(_ x: Double) -> String { SVGFormatting.number(x) }
}
