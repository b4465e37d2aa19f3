/// An sRGB colour, written as `#rrggbb`.
public struct SVGColor: Sendable, Equatable, Hashable {
    public let red: UInt8, green: UInt8, blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    /// `#rrggbb`, lower case.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [red, green, blue].map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined()
    }

    public static let white = SVGColor(hex: 0xFFFFFF)
    public static let black = SVGColor(hex: 0x000000)
}

/// A stroke's dash pattern: the second channel of lines that colour alone would tell apart.
public enum DashPattern: Sendable, Equatable, Hashable, CaseIterable {
    case solid, dashed, dotted, dashDot, longDash

    /// Dash and gap lengths in multiples of the stroke width, so that thick and thin lines
    /// of one pattern look alike; empty for solid.
    public var lengths: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [4, 2.5]
        case .dotted: return [1, 2]
        case .dashDot: return [4, 2, 1, 2]
        case .longDash: return [8, 3]
        }
    }

    /// The `stroke-dasharray` value for a stroke of `width` pixels; nil for solid.
    public func dashArray(width: Double) -> String? {
        lengths.isEmpty ? nil : SVGFormatting.numbers(lengths.map { $0 * max(width, 1) })
    }
}

/// How a shape is painted, as SVG presentation attributes (not CSS, which rsvg-convert
/// and other renderers support only in part): `fill`, `stroke`, `stroke-width`,
/// `stroke-dasharray`, `fill-opacity`.
public struct ShapeStyle: Sendable, Equatable {
    /// The fill; nil for `fill="none"`.
    public var fill: SVGColor?
    /// The stroke; nil for no stroke.
    public var stroke: SVGColor?
    public var strokeWidth: Double
    public var dash: DashPattern
    /// The fill's opacity, 0 to 1; nil for opaque.
    public var fillOpacity: Double?

    public init(fill: SVGColor? = nil, stroke: SVGColor? = nil, strokeWidth: Double = 1, dash: DashPattern = .solid,
                fillOpacity: Double? = nil) {
        self.fill = fill
        self.stroke = stroke
        self.strokeWidth = strokeWidth
        self.dash = dash
        self.fillOpacity = fillOpacity
    }

    /// A filled shape with no outline.
    public static func filled(_ color: SVGColor, opacity: Double? = nil) -> ShapeStyle {
        ShapeStyle(fill: color, fillOpacity: opacity)
    }

    /// An unfilled line.
    public static func stroked(_ color: SVGColor, width: Double = 1, dash: DashPattern = .solid) -> ShapeStyle {
        ShapeStyle(stroke: color, strokeWidth: width, dash: dash)
    }

    var attributes: [SVGAttribute] {
        var out = [SVGAttribute("fill", fill?.hex ?? "none")]
        if let fillOpacity { out.append(SVGAttribute("fill-opacity", fillOpacity)) }
        if let stroke {
            out.append(SVGAttribute("stroke", stroke.hex))
            out.append(SVGAttribute("stroke-width", strokeWidth))
            if let d = dash.dashArray(width: strokeWidth) { out.append(SVGAttribute("stroke-dasharray", d)) }
        }
        return out
    }
}

/// The weight of a text's font.
public enum FontWeight: String, Sendable, Equatable {
    case normal, bold
}

/// Where a text's `x` is: its start, middle or end (`text-anchor`).
public enum TextAnchor: String, Sendable, Equatable {
    case start, middle, end
}

/// How a text is set: size in pixels, weight, anchor and colour. The family is the
/// document's (`SVGDocument.fontFamily`), inherited.
public struct TextStyle: Sendable, Equatable {
    public var size: Double
    public var weight: FontWeight
    public var anchor: TextAnchor
    public var color: SVGColor

    public init(size: Double, weight: FontWeight = .normal, anchor: TextAnchor = .start, color: SVGColor = PlotTheme.textColor) {
        self.size = size
        self.weight = weight
        self.anchor = anchor
        self.color = color
    }

    /// The same style with another anchor.
    public func anchored(_ anchor: TextAnchor) -> TextStyle {
        var copy = self
        copy.anchor = anchor
        return copy
    }

    var attributes: [SVGAttribute] {
        var out = [SVGAttribute("font-size", size)]
        if weight != .normal { out.append(SVGAttribute("font-weight", weight.rawValue)) }
        if anchor != .start { out.append(SVGAttribute("text-anchor", anchor.rawValue)) }
        out.append(SVGAttribute("fill", color.hex))
        return out
    }
}
