/// One attribute of an SVG element: a name and its value as written (escaped on output).
public struct SVGAttribute: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// A numeric attribute, written with `SVGFormatting.number` (two decimals at most).
    public init(_ name: String, _ number: Double) {
        self.init(name, SVGFormatting.number(number))
    }
}

/// An element of an SVG document: its name, attributes in the order written, and either
/// children or text.
///
/// Marks are built with the constructors in `SVGElement+Shapes.swift` (`rect`, `line`,
/// `text`, …), which take typed styles; this type only holds and writes the tree. Plots
/// tag their marks with a `class` attribute (`point`, `interval`, `bar`, …) that nothing
/// styles but that tests and readers of the file can find them by.
public struct SVGElement: Sendable, Equatable {
    public let name: String
    public private(set) var attributes: [SVGAttribute]
    public var children: [SVGElement]
    /// Character data (for `text`, `title`, `desc`); escaped on output.
    public var text: String?

    public init(_ name: String, _ attributes: [SVGAttribute] = [], children: [SVGElement] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// A copy with `attribute` added, or replacing one of the same name.
    public func with(_ attribute: SVGAttribute) -> SVGElement {
        var copy = self
        if let i = copy.attributes.firstIndex(where: { $0.name == attribute.name }) {
            copy.attributes[i] = attribute
        } else {
            copy.attributes.append(attribute)
        }
        return copy
    }

    /// A copy tagged `class="name"`.
    public func tagged(_ name: String) -> SVGElement { with(SVGAttribute("class", name)) }

    /// The value of the attribute `name`, if it has one.
    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// Appends the element's markup: one element per line, children indented by one space
    /// per level, text inline.
    func write(into out: inout String, depth: Int) {
        out += String(repeating: " ", count: depth) + "<" + name
        for a in attributes { out += " \(a.name)=\"\(SVGFormatting.escape(a.value))\"" }
        if let text {
            out += ">" + SVGFormatting.escape(text) + "</\(name)>\n"
        } else if children.isEmpty {
            out += "/>\n"
        } else {
            out += ">\n"
            for c in children { c.write(into: &out, depth: depth + 1) }
            out += String(repeating: " ", count: depth) + "</\(name)>\n"
        }
    }
}
