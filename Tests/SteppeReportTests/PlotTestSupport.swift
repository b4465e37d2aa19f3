import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SteppeReport

/// An SVG document parsed back with Foundation's XMLParser: what the plot tests inspect,
/// so that they check the markup a renderer would read, not the builder's values.
final class SVGNode {
    let name: String
    let attributes: [String: String]
    var children: [SVGNode] = []
    var text = ""
    weak var parent: SVGNode?

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Every node below (and including) this one, depth first.
    var all: [SVGNode] { [self] + children.flatMap(\.all) }

    /// Nodes with `class="name"`.
    func tagged(_ name: String) -> [SVGNode] { all.filter { $0.attributes["class"] == name } }

    /// Elements named `name` below this node.
    func elements(_ name: String) -> [SVGNode] { all.filter { $0.name == name } }

    func number(_ key: String) -> Double { Double(attributes[key] ?? "") ?? .nan }

    /// The text of the node's `<text>` descendants, in order.
    var texts: [String] { elements("text").map(\.text) }
}

/// Parses `svg`, failing the test when it is not well-formed XML.
func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SVGNode {
    let delegate = SVGTreeBuilder()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = delegate
    let ok = parser.parse()
    #expect(ok, "not well-formed XML: \(String(describing: parser.parserError))", sourceLocation: sourceLocation)
    return try #require(delegate.root, sourceLocation: sourceLocation)
}

final class SVGTreeBuilder: NSObject, XMLParserDelegate {
    var root: SVGNode?
    var current: SVGNode?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let node = SVGNode(name: name, attributes: attributes)
        node.parent = current
        if let current { current.children.append(node) } else { root = node }
        current = node
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        current = current?.parent
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current?.text += string }
}

/// A numeric axis read back from the SVG: its line's pixel ends and its tick labels'
/// values, from which a data value's pixel follows (the ends are the domain's ends for
/// the plots' loose scales, whose first and last ticks are the domain).
struct ReadAxis {
    let start: Double, end: Double
    let low: Double, high: Double
    let ticks: [Double]

    /// The pixel of `value`.
    func pixel(_ value: Double) -> Double { start + (value - low) / (high - low) * (end - start) }

    /// The `index`-th numeric axis (`class="axis"` groups whose labels are all numbers),
    /// horizontal or vertical; the domain is `domain` when given (an exact-domain scale), else
    /// its first and last tick.
    static func read(_ svg: SVGNode, horizontal: Bool, index: Int = 0, domain: ClosedRange<Double>? = nil) throws -> ReadAxis {
        let axes = svg.tagged("axis").filter { axis in
            let line = axis.children.first { $0.name == "line" }
            guard let line else { return false }
            let isHorizontal = line.number("y1") == line.number("y2")
            let labels = axis.children.filter { $0.name == "text" && $0.attributes["class"] == nil }.map(\.text)
            return isHorizontal == horizontal && !labels.isEmpty && labels.allSatisfy { value(of: $0) != nil }
        }
        let axis = try #require(index < axes.count ? axes[index] : nil)
        let line = axis.children.first { $0.name == "line" }!
        let ticks = axis.children.filter { $0.name == "text" && $0.attributes["class"] == nil }.compactMap { value(of: $0.text) }
        let (a, b) = horizontal ? (line.number("x1"), line.number("x2")) : (line.number("y2"), line.number("y1"))
        return ReadAxis(start: a, end: b, low: domain?.lowerBound ?? ticks.first!, high: domain?.upperBound ?? ticks.last!, ticks: ticks)
    }

    /// A tick label's number: "−1.5" and "12,000" too.
    static func value(of label: String) -> Double? {
        Double(label.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: ""))
    }
}

/// Whether `ticks` are round: each a multiple of one 1-2-5 step, evenly spaced.
func areRound(_ ticks: [Double]) -> Bool {
    guard ticks.count >= 2 else { return false }
    let step = ticks[1] - ticks[0]
    let nice = NiceNumbers.nice(step, round: true)
    guard abs(step - nice) <= 1e-9 * nice else { return false }
    return ticks.allSatisfy { t in abs(t / step - (t / step).rounded()) < 1e-6 }
        && zip(ticks.dropFirst(), ticks).allSatisfy { abs(($0 - $1) - step) < 1e-9 * max(1, abs(step)) }
}

/// The golden SVG `name` in Fixtures/plots (found from this file's path); with
/// STEPPE_UPDATE_EXPECTED=1 in the environment, `actual` is written there first.
func goldenSVG(_ name: String, actual: String) throws -> String {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/plots")
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["STEPPE_UPDATE_EXPECTED"] == "1" {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
    }
    return try String(contentsOf: url, encoding: .utf8)
}
