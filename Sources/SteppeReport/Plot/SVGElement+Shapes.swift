/// The SVG shapes the plots are drawn with, each from typed geometry and style.
extension SVGElement {
    public static func rect(x: Double, y: Double, width: Double, height: Double, style: ShapeStyle) -> SVGElement {
        SVGElement("rect", [SVGAttribute("x", x), SVGAttribute("y", y), SVGAttribute("width", max(width, 0)),
                            SVGAttribute("height", max(height, 0))] + style.attributes)
    }

    public static func line(x1: Double, y1: Double, x2: Double, y2: Double, style: ShapeStyle) -> SVGElement {
        SVGElement("line", [SVGAttribute("x1", x1), SVGAttribute("y1", y1), SVGAttribute("x2", x2), SVGAttribute("y2", y2)]
                   + style.attributes)
    }

    public static func circle(cx: Double, cy: Double, r: Double, style: ShapeStyle) -> SVGElement {
        SVGElement("circle", [SVGAttribute("cx", cx), SVGAttribute("cy", cy), SVGAttribute("r", r)] + style.attributes)
    }

    /// An open line through `points`.
    public static func polyline(_ points: [PlotPoint], style: ShapeStyle) -> SVGElement {
        SVGElement("polyline", [SVGAttribute("points", pointList(points))] + style.attributes)
    }

    /// A closed shape through `points`.
    public static func polygon(_ points: [PlotPoint], style: ShapeStyle) -> SVGElement {
        SVGElement("polygon", [SVGAttribute("points", pointList(points))] + style.attributes)
    }

    /// A path with the data `d` (SVG path syntax).
    public static func path(_ d: String, style: ShapeStyle) -> SVGElement {
        SVGElement("path", [SVGAttribute("d", d)] + style.attributes)
    }

    /// One line of text with its baseline at `y`; `rotation` in degrees about (x, y),
    /// negative counter-clockwise (−90 reads bottom to top).
    public static func text(_ string: String, x: Double, y: Double, style: TextStyle, rotation: Double = 0) -> SVGElement {
        var attributes = [SVGAttribute("x", x), SVGAttribute("y", y)] + style.attributes
        if rotation != 0 {
            attributes.append(SVGAttribute("transform", "rotate(\(SVGFormatting.number(rotation)) \(SVGFormatting.number(x)) \(SVGFormatting.number(y)))"))
        }
        return SVGElement("text", attributes, text: string)
    }

    /// A group of elements, tagged `class` when given.
    public static func group(_ children: [SVGElement], class name: String? = nil) -> SVGElement {
        SVGElement("g", name.map { [SVGAttribute("class", $0)] } ?? [], children: children)
    }

    /// A group whose `<title>` (a tooltip in browsers, the accessible name elsewhere) is
    /// `tooltip`: how a shortened label keeps its full text.
    public static func titled(_ tooltip: String, _ children: [SVGElement], class name: String? = nil) -> SVGElement {
        group([SVGElement("title", text: tooltip)] + children, class: name)
    }

    static func pointList(_ points: [PlotPoint]) -> String {
        points.map { SVGFormatting.number($0.x) + "," + SVGFormatting.number($0.y) }.joined(separator: " ")
    }
}

/// A point in pixels, y down (SVG user space).
public struct PlotPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A rectangle in pixels: the area a plot's marks are drawn in.
public struct PlotRect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
}
