/// A standalone SVG 1.1 document: a size in pixels, a `viewBox` of the same size (so it
/// scales without distortion when a page sets another width), a white background, and the
/// elements in the order painted.
///
/// Only what renders alike in browsers and in rsvg-convert (librsvg) is used: presentation
/// attributes rather than CSS, no `<foreignObject>`, no web fonts, no filters, no
/// `dominant-baseline` (text is placed by its baseline). The font is a generic sans-serif
/// stack on the root, inherited by every text: Helvetica, Arial and their metric twins
/// (Liberation Sans, Nimbus Sans), then any `sans-serif`, so `TextMetrics`' Helvetica
/// widths hold wherever one of the four is installed.
public struct SVGDocument: Sendable, Equatable {
    /// The `font-family` of every text.
    public static let fontFamily = "Helvetica, Arial, Liberation Sans, Nimbus Sans, sans-serif"

    public let width: Double
    public let height: Double
    /// The document's `<title>`: its accessible name, and what a browser tab shows.
    public var title: String
    /// A longer description (`<desc>`): what the plot shows, for screen readers.
    public var description: String?
    public var elements: [SVGElement]

    public init(width: Double, height: Double, title: String, description: String? = nil, elements: [SVGElement] = []) {
        self.width = width
        self.height = height
        self.title = title
        self.description = description
        self.elements = elements
    }

    /// The markup. `standalone` (the default, for an `.svg` file) starts with the XML
    /// declaration; without it the text is an `<svg>` element that HTML can inline as it is.
    public func render(standalone: Bool = true) -> String {
        let w = SVGFormatting.number(width), h = SVGFormatting.number(height)
        var root = SVGElement("svg", [
            SVGAttribute("xmlns", "http://www.w3.org/2000/svg"), SVGAttribute("version", "1.1"),
            SVGAttribute("width", w), SVGAttribute("height", h), SVGAttribute("viewBox", "0 0 \(w) \(h)"),
            SVGAttribute("font-family", Self.fontFamily), SVGAttribute("role", "img"),
        ])
        root.children = [SVGElement("title", text: title)]
        if let description { root.children.append(SVGElement("desc", text: description)) }
        root.children.append(SVGElement.rect(x: 0, y: 0, width: width, height: height, style: .filled(.white)).tagged("background"))
        root.children += elements
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        root.write(into: &out, depth: 0)
        return out
    }
}

/// A plot that draws itself as an SVG document.
///
/// Every plot type of SteppeReport conforms: it holds plain data (numbers and labels, no
/// model results), and `document()` lays it out. `svg` is the file's text and
/// `inlineSVG` the `<svg>` element alone, for an HTML page to embed.
public protocol SVGPlot: Sendable {
    func document() -> SVGDocument
}

extension SVGPlot {
    /// The SVG file's text (with the XML declaration).
    public var svg: String { document().render(standalone: true) }

    /// The `<svg>` element alone, to inline in HTML.
    public var inlineSVG: String { document().render(standalone: false) }
}
