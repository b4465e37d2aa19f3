import Foundation
import Testing
@testable import SteppeReport

/// The flow map and the β sweep on small known inputs: one curve and one arrowhead per
/// flow drawn, a marker per place at the pixel the projection's formula gives (computed
/// here from the definition, to 0.01 px), the two directions of a pair bent to opposite
/// sides, widths proportional to the flows, and golden SVGs.
@Suite("SteppeReport: flow map and β sweep")
struct PlotFlowsTests {
    static let places: [FlowMapPlot.Place] = [
        .init(name: "Almaty city", latitude: 43.24, longitude: 76.89), .init(name: "Astana city", latitude: 51.17, longitude: 71.45),
        .init(name: "Shymkent city", latitude: 42.32, longitude: 69.59), .init(name: "Aktobe", latitude: 50.28, longitude: 57.21),
    ]
    static let map = FlowMapPlot(places: places, flows: [
        .init(origin: 0, destination: 1, value: 1000), .init(origin: 1, destination: 0, value: 800),
        .init(origin: 2, destination: 1, value: 500), .init(origin: 3, destination: 0, value: 0),
        .init(origin: 2, destination: 2, value: 70),
    ], title: "four regions", caption: ["A test."])

    @Test("a curve and an arrowhead per flow drawn, a marker per place, the label and the dropped flows in the caption")
    func marks() throws {
        let svg = try parseSVG(Self.map.svg)
        #expect(svg.tagged("flow").count == 3 && svg.tagged("flow-line").count == 3 && svg.tagged("arrowhead").count == 3)
        #expect(svg.tagged("place").count == 4)
        #expect(svg.elements("title").first?.text.hasPrefix("ESTIMATED flows, not observed: four regions") == true)
        #expect(svg.tagged("title").first?.texts.joined(separator: " ").contains("ESTIMATED flows, not observed") == true)
        let caption = svg.tagged("caption").first?.texts.joined(separator: " ") ?? ""
        #expect(caption.contains("2 flows are not drawn"))
        // every place named, each name on a halo
        let labels = svg.tagged("region-label").flatMap(\.texts)
        for p in Self.places { #expect(labels.filter { $0 == p.name }.count == 2, "\(p.name)") }
    }

    @Test("each place's marker sits where the equirectangular formula puts it, to 0.01 px")
    func projection() throws {
        let svg = try parseSVG(Self.map.svg)
        let markers = Self.map.layout().markers
        let phi0 = Self.places.map(\.latitude).reduce(0, +) / 4 * .pi / 180
        let u = Self.places.map { $0.longitude * cos(phi0) }, v = Self.places.map(\.latitude)
        let k = min(markers.width / (u.max()! - u.min()!), markers.height / (v.max()! - v.min()!))
        let dots = svg.tagged("place")
        for (i, place) in Self.places.enumerated() {
            let x = markers.midX + k * (u[i] - (u.max()! + u.min()!) / 2)
            let y = markers.midY - k * (place.latitude - (v.max()! + v.min()!) / 2)
            #expect(abs(dots[i].number("cx") - x) <= 0.01 && abs(dots[i].number("cy") - y) <= 0.01, "\(place.name)")
        }
        // the graticule agrees: the parallel at 50°N is k·(51.17 − 50) px below Astana's marker
        let parallel = try #require(svg.tagged("graticule").first?.elements("line").first { $0.number("y1") == $0.number("y2")
            && abs($0.number("y1") - (dots[1].number("cy") + k * 1.17)) < 0.02 })
        #expect(parallel.number("x1") < dots[3].number("cx"))
    }

    /// A path's points: "Mx y Qcx cy ex ey".
    static func bezier(_ node: SVGNode) -> [Double] {
        (node.attributes["d"] ?? "").replacingOccurrences(of: "M", with: "").replacingOccurrences(of: "Q", with: " ")
            .split(separator: " ").compactMap { Double($0) }
    }

    @Test("A→B and B→A bend to opposite sides; widths are proportional to the flows, the largest darkest")
    func curves() throws {
        let svg = try parseSVG(Self.map.svg)
        let lines = svg.tagged("flow-line")   // drawn smallest first: 500, 800, 1000
        #expect(lines.map { $0.number("stroke-width") } == [4, 6.4, 8])
        #expect(lines[2].attributes["stroke"] == SequentialRamp.flows.stops.last!.hex)
        #expect(lines[0].attributes["stroke"] == SequentialRamp.flows.stops.first!.hex)
        // the side of the control point from the chord A→B, by the sign of the cross product
        func side(_ b: [Double], chordFrom a: SVGNode, to c: SVGNode) -> Double {
            let (ax, ay, cx, cy) = (a.number("cx"), a.number("cy"), c.number("cx"), c.number("cy"))
            return (cx - ax) * (b[3] - ay) - (cy - ay) * (b[2] - ax)
        }
        let dots = svg.tagged("place")
        let ab = Self.bezier(lines[2]), ba = Self.bezier(lines[1])
        #expect(side(ab, chordFrom: dots[0], to: dots[1]) * side(ba, chordFrom: dots[0], to: dots[1]) < 0)
    }

    @Test("FlowCurve: the control point is 0.2 chords to the right of travel; a segment keeps the curve")
    func flowCurve() {
        let c = FlowCurve(from: PlotPoint(x: 0, y: 0), to: PlotPoint(x: 200, y: 0))
        #expect(c.control == PlotPoint(x: 100, y: 40))  // east, so right is down (y grows) in SVG
        let back = FlowCurve(from: PlotPoint(x: 200, y: 0), to: PlotPoint(x: 0, y: 0))
        #expect(back.control == PlotPoint(x: 100, y: -40))
        let s = c.segment(0.25, 0.75)
        for t in [0.0, 0.3, 1.0] {
            let p = s.point(at: t), q = c.point(at: 0.25 + 0.5 * t)
            #expect(abs(p.x - q.x) < 1e-9 && abs(p.y - q.y) < 1e-9)
        }
        let t = c.parameter(atDistance: 30, fromEnd: true)
        #expect(abs(FlowCurve.distance(c.point(at: t), c.end) - 30) < 1e-6)
        // close centres part by at least the minimum offset
        #expect(FlowCurve(from: PlotPoint(x: 0, y: 0), to: PlotPoint(x: 20, y: 0)).control.y == 24)
    }

    static let sweep = ParameterSweepPlot(parameter: [0.5, 1, 2], series: [
        .init(label: "South → North", values: [900, 500, 120]), .init(label: "South → Capital", values: [2000, 1500, 800]),
        .init(label: "West → Capital", values: [300, .nan, 90]),
    ], parameterTitle: "distance decay β", valueTitle: "estimated flow", marked: (1, "β of the map, 1"),
       title: "ESTIMATED flows, not observed: the β sweep")

    @Test("β sweep: a line and points per series at their values, labels at the ends, swept values as ticks")
    func sweepPlot() throws {
        let svg = try parseSVG(Self.sweep.svg)
        #expect(svg.tagged("series").count == 3 && svg.tagged("line").count == 3)
        #expect(svg.tagged("point").count == 8)  // one value is NaN
        #expect(svg.tagged("direct-label").flatMap(\.texts) == ["South → North", "South → Capital", "West → Capital"])
        let x = try ReadAxis.read(svg, horizontal: true, domain: 0.41...2.09)
        #expect(x.ticks == [0.5, 1, 2])
        let y = try Self.logAxis(svg)
        let first = try #require(svg.tagged("point").first)
        #expect(abs(first.number("cx") - x.pixel(0.5)) <= 0.0101)
        #expect(abs(first.number("cy") - y(900)) <= 0.0101)
        let marked = try #require(svg.tagged("marked").first?.elements("line").first)
        #expect(abs(marked.number("x1") - x.pixel(1)) <= 0.0101)
        // labels do not overlap: baselines at least a line apart
        let baselines = svg.tagged("direct-label").compactMap { $0.elements("text").first?.number("y") }.sorted()
        #expect(zip(baselines.dropFirst(), baselines).allSatisfy { $0 - $1 >= PlotTheme.lineHeight(PlotTheme.directLabelSize) - 0.01 })
    }

    /// The pixel of a value on the first vertical log axis, from its first and last tick labels.
    static func logAxis(_ svg: SVGNode) throws -> (Double) -> Double {
        let axis = try #require(svg.tagged("axis").first { a in
            let line = a.children.first { $0.name == "line" }
            return line.map { $0.number("x1") == $0.number("x2") } ?? false
        })
        let line = axis.children.first { $0.name == "line" }!
        let ticks = axis.children.filter { $0.name == "text" && $0.attributes["class"] == nil }.compactMap { ReadAxis.value(of: $0.text) }
        let lo = log10(ticks.first!), hi = log10(ticks.last!)
        let bottom = line.number("y2"), top = line.number("y1")
        return { v in bottom + (log10(v) - lo) / (hi - lo) * (top - bottom) }
    }

    @Test("DirectLabels.spread keeps the order, parts crowded labels and stays in bounds when it can")
    func spread() {
        let out = DirectLabels.spread([50, 52, 51, 200], spacing: 10, within: 0...100)
        #expect(out == [50, 70, 60, 100])
        let low = DirectLabels.spread([98, 99, 100], spacing: 10, within: 0...100)
        #expect(low == [80, 90, 100])
    }

    @Test("golden flow map and β sweep", arguments: ["flow-map.svg", "beta-sweep.svg"])
    func golden(name: String) throws {
        let actual = name == "flow-map.svg" ? Self.map.svg : Self.sweep.svg
        let expected = try goldenSVG(name, actual: actual)
        #expect(actual == expected, "\(name) differs from Fixtures/plots/\(name); regenerate with STEPPE_UPDATE_EXPECTED=1 if intended")
    }
}
