/// What a legend entry shows beside its label.
public enum LegendSymbol: Sendable, Equatable {
    /// A point marker.
    case marker(MarkerShape, SVGColor, filled: Bool)
    /// A line of a colour, dash pattern and width.
    case line(SVGColor, DashPattern, width: Double)
    /// A marker on an interval line with end caps (an estimate and its interval).
    case interval(MarkerShape?, SVGColor, filled: Bool, width: Double)
    /// A filled square (bars, areas).
    case swatch(SVGColor)
}

/// One entry of a legend.
public struct LegendEntry: Sendable, Equatable {
    public let label: String
    public let symbol: LegendSymbol

    public init(_ label: String, _ symbol: LegendSymbol) {
        self.label = label
        self.symbol = symbol
    }
}

/// A legend laid out in rows within a width: entries side by side while they fit, a new
/// row when not, each label truncated (with a tooltip) to the width left beside its symbol.
public struct Legend: Sendable {
    public let entries: [LegendEntry]
    public var size: Double = PlotTheme.legendSize
    static let symbolWidth = 24.0
    static let symbolGap = 6.0
    static let entryGap = 18.0

    public init(_ entries: [LegendEntry]) { self.entries = entries }

    /// Each entry's row and x offset within `width`.
    func placement(width: Double) -> [(row: Int, x: Double, label: String)] {
        var out: [(Int, Double, String)] = []
        var row = 0, x = 0.0
        for e in entries {
            let label = TextFitting.truncate(e.label, width: width - Self.symbolWidth - Self.symbolGap, size: size)
            let w = Self.symbolWidth + Self.symbolGap + TextMetrics.reservedWidth(label, size: size)
            if x > 0 && x + w > width {
                row += 1
                x = 0
            }
            out.append((row, x, label))
            x += w + Self.entryGap
        }
        return out
    }

    var rowHeight: Double { PlotTheme.lineHeight(size) + 4 }

    /// The legend's height in `width` pixels (0 with no entries).
    public func height(width: Double) -> Double {
        guard let last = placement(width: width).last else { return 0 }
        return Double(last.row + 1) * rowHeight
    }

    /// The legend with its top-left corner at (`x`, `y`).
    public func elements(x: Double, y: Double, width: Double) -> [SVGElement] {
        var out: [SVGElement] = []
        for (entry, place) in zip(entries, placement(width: width)) {
            let cy = y + Double(place.row) * rowHeight + rowHeight / 2
            let sx = x + place.x
            var parts = symbol(entry.symbol, x: sx, cy: cy)
            parts.append(.text(place.label, x: sx + Self.symbolWidth + Self.symbolGap, y: cy + size * 0.35, style: TextStyle(size: size)))
            out.append(place.label == entry.label ? .group(parts, class: "legend-entry") : .titled(entry.label, parts, class: "legend-entry"))
        }
        return [SVGElement.group(out, class: "legend")]
    }

    func symbol(_ symbol: LegendSymbol, x: Double, cy: Double) -> [SVGElement] {
        let mid = PlotPoint(x: x + Self.symbolWidth / 2, y: cy)
        switch symbol {
        case let .marker(shape, color, filled):
            return [shape.element(at: mid, size: 8, color: color, filled: filled)]
        case let .line(color, dash, width):
            return [.line(x1: x, y1: cy, x2: x + Self.symbolWidth, y2: cy, style: .stroked(color, width: width, dash: dash))]
        case let .interval(shape, color, filled, width):
            let style = ShapeStyle.stroked(color, width: width)
            var out: [SVGElement] = [.line(x1: x + 2, y1: cy, x2: x + Self.symbolWidth - 2, y2: cy, style: style),
                                     .line(x1: x + 2, y1: cy - 4, x2: x + 2, y2: cy + 4, style: style),
                                     .line(x1: x + Self.symbolWidth - 2, y1: cy - 4, x2: x + Self.symbolWidth - 2, y2: cy + 4, style: style)]
            if let shape { out.append(shape.element(at: mid, size: 8, color: color, filled: filled)) }
            return out
        case let .swatch(color):
            return [.rect(x: x + 6, y: cy - 6, width: 12, height: 12, style: ShapeStyle(fill: color, stroke: PlotTheme.axisColor, strokeWidth: 0.5))]
        }
    }
}
