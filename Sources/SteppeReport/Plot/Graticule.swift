import Foundation

/// Parallels and meridians at round degrees across a map's area, labelled at its left
/// (°N) and bottom (°E) edges: the frame of a map that has no coastline or borders to
/// show, so that a reader still sees where north is and how far apart places are.
///
/// The step is the 1-2-5 number (`NiceNumbers`) that gives about four lines along the
/// longer side; lines are light grey, under everything else.
public struct Graticule: Sendable {
    public let projection: EquirectangularProjection
    public let area: PlotRect
    /// Degrees between lines.
    public let step: Double

    /// A graticule over `area` for `projection`.
    public init(projection: EquirectangularProjection, area: PlotRect) {
        self.projection = projection
        self.area = area
        let span = max(area.width, area.height) / projection.scale
        self.step = NiceNumbers.nice(span / 4, round: true)
    }

    /// The latitude and longitude ranges the area covers.
    var ranges: (lat: ClosedRange<Double>, lon: ClosedRange<Double>) {
        let c = cos(projection.standardParallel * .pi / 180)
        let origin = projection.point(latitude: 0, longitude: 0)
        let lon = { (x: Double) in (x - origin.x) / (projection.scale * c) }
        let lat = { (y: Double) in (origin.y - y) / projection.scale }
        return (lat(area.maxY)...lat(area.y), lon(area.x)...lon(area.maxX))
    }

    /// The round values of `range` at multiples of `step`.
    func values(_ range: ClosedRange<Double>) -> [Double] {
        let first = ceil(range.lowerBound / step), last = floor(range.upperBound / step)
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { NiceNumbers.rounded($0 * step, step: step) }
    }

    /// A degree label: "45°N", "60°E" (S and W for negative values).
    static func label(_ degrees: Double, positive: String, negative: String) -> String {
        let text = TickFormat.significant(abs(degrees), 4)
        return degrees == 0 ? "0°" : text + "°" + (degrees > 0 ? positive : negative)
    }

    /// The lines and their labels (outside the area: left and below).
    public func elements() -> [SVGElement] {
        let (lat, lon) = ranges
        let style = ShapeStyle.stroked(PlotTheme.gridColor, width: 1)
        let text = TextStyle(size: PlotTheme.captionSize, color: PlotTheme.mutedTextColor)
        var out: [SVGElement] = []
        for phi in values(lat) {
            let y = projection.point(latitude: phi, longitude: 0).y
            out.append(.line(x1: area.x, y1: y, x2: area.maxX, y2: y, style: style))
            out.append(.text(Self.label(phi, positive: "N", negative: "S"), x: area.x - 4, y: y + 4, style: text.anchored(.end)))
        }
        for lambda in values(lon) {
            let x = projection.point(latitude: 0, longitude: lambda).x
            out.append(.line(x1: x, y1: area.y, x2: x, y2: area.maxY, style: style))
            out.append(.text(Self.label(lambda, positive: "E", negative: "W"), x: x, y: area.maxY + PlotTheme.captionSize + 2,
                             style: text.anchored(.middle)))
        }
        return [SVGElement.group(out, class: "graticule")]
    }

    /// The space the labels need outside the area: on the left, and below.
    public static func margins(size: Double = PlotTheme.captionSize) -> (left: Double, bottom: Double) {
        (TextMetrics.reservedWidth("47.5°N", size: size) + 6, size + 6)
    }
}
