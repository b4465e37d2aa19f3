import Foundation
import Testing
@testable import SteppeReport

/// Each plot type on a known input: the SVG parses, has one mark per datum, and the marks
/// sit at the pixels the drawn axes give their values (to 0.01 px, the files' precision),
/// with round ticks that cover the data.
@Suite("SteppeReport: plot types")
struct PlotTypesTests {
    static let coefficients = CoefficientPlot(models: [
        .init(name: "(1) ols", estimates: [.init(term: "log(dist)", estimate: -0.8, low: -1.1, high: -0.5),
                                           .init(term: "contiguous", estimate: 0.4, low: 0.1, high: 0.7),
                                           .init(term: "log(pop)", estimate: 1.05, low: 0.9, high: 1.2)]),
        .init(name: "(2) ppml", estimates: [.init(term: "log(dist)", estimate: -0.6, low: -0.75, high: -0.45),
                                            .init(term: "log(pop)", estimate: 0.95, low: .nan, high: .nan),
                                            .init(term: "dropped", estimate: .nan, low: .nan, high: .nan)]),
    ], title: "Gravity", caption: ["The intercept is not shown."])

    @Test("coefficient plot: an interval per finite coefficient per model, points at their estimates")
    func coefficientPlot() throws {
        let svg = try parseSVG(Self.coefficients.svg)
        #expect(svg.tagged("estimate").count == 5)
        #expect(svg.tagged("interval").count == 4)  // (2)'s log(pop) has no interval
        #expect(svg.tagged("point").count == 5)
        let x = try ReadAxis.read(svg, horizontal: true)
        #expect(x.ticks.first! <= -1.1 && x.ticks.last! >= 1.2 && areRound(x.ticks) && x.ticks.contains(0))
        let series = svg.tagged("series")
        #expect(series.count == 2)
        let first = try #require(series[0].tagged("point").first)
        #expect(first.name == "circle")
        #expect(abs(first.number("cx") - x.pixel(-0.8)) <= 0.0101)
        let triangle = try #require(series[1].tagged("point").first)
        #expect(triangle.name == "polygon")  // the second model's marker is another shape
        let zero = try #require(svg.tagged("zero").first?.elements("line").first)
        #expect(abs(zero.number("x1") - x.pixel(0)) <= 0.0101)
        // the interval's ends
        let interval = try #require(series[0].tagged("interval").first?.elements("line").first)
        #expect(abs(interval.number("x1") - x.pixel(-1.1)) <= 0.0101 && abs(interval.number("x2") - x.pixel(-0.5)) <= 0.0101)
        #expect(svg.tagged("caption").first?.texts.joined(separator: " ").contains("Not shown (no finite estimate): (2) ppml: dropped.") == true)
        // models dodged: the two models' log(dist) points in one row, at different heights
        let y0 = first.number("cy"), y1 = Self.polygonCentre(triangle).1
        #expect(y0 < y1 && y1 - y0 < Self.coefficients.rowHeight)
    }

    static let curve = SpecificationCurvePlot(specifications: [
        .init(estimate: 0.5, low: 0.2, high: 0.8, significant: true, choices: ["ppml", "none"]),
        .init(estimate: -0.1, low: -0.5, high: 0.3, significant: false, choices: ["ols-log", "none"]),
        .init(estimate: 0.2, low: -0.1, high: 0.5, significant: false, choices: ["ppml", "x2"]),
        .init(estimate: 0.9, low: 0.6, high: 1.2, significant: true, choices: ["ols-log", "x2"]),
    ], dimensions: [.init(name: "model", values: ["ppml", "ols-log"]), .init(name: "controls", values: ["none", "x2"])],
       median: 0.35, estimateTitle: "Estimate of x and 95% interval", title: "Specification curve of x")

    @Test("specification curve: a point per specification, ranked, and a choice mark per dimension in its column")
    func specificationCurve() throws {
        let svg = try parseSVG(Self.curve.svg)
        let points = svg.tagged("point")
        #expect(points.count == 4)
        #expect(svg.tagged("choice").count == 8)
        // significant: filled circles; not: hollow diamonds (polygons filled white)
        #expect(points.map(\.name) == ["polygon", "polygon", "circle", "circle"])
        #expect(points[0].attributes["fill"] == "#ffffff" && points[2].attributes["fill"] == Palette.blue.hex)
        let y = try ReadAxis.read(svg, horizontal: false)
        #expect(y.ticks.first! <= -0.5 && y.ticks.last! >= 1.2 && areRound(y.ticks))
        let ranks = try ReadAxis.read(svg, horizontal: true, domain: 0.5...4.5)
        let ranked = [-0.1, 0.2, 0.5, 0.9]
        for (k, p) in points.enumerated() {
            let (cx, cy) = p.name == "circle" ? (p.number("cx"), p.number("cy")) : Self.polygonCentre(p)
            #expect(abs(cx - ranks.pixel(Double(k + 1))) <= 0.0101)
            #expect(abs(cy - y.pixel(ranked[k])) <= 0.0101)
        }
        let median = try #require(svg.tagged("median").first?.elements("line").first)
        #expect(abs(median.number("y1") - y.pixel(0.35)) <= 0.0101)
        // the choice marks of the first-ranked (ols-log, none) sit in its column
        let column = svg.tagged("choice").filter { abs($0.number("x") + $0.number("width") / 2 - ranks.pixel(1)) < 0.02 }
        #expect(column.count == 2)
    }

    /// A diamond's centre: the middle of its points' bounding box.
    static func polygonCentre(_ p: SVGNode) -> (Double, Double) {
        let pts = (p.attributes["points"] ?? "").split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        let xs = pts.map { $0[0] }, ys = pts.map { $0[1] }
        return ((xs.min()! + xs.max()!) / 2, (ys.min()! + ys.max()!) / 2)
    }

    @Test("bootstrap histogram: one bar per bin, bars at their edges and counts, the observed line")
    func bootstrapHistogram() throws {
        let values = (0..<400).map { Double($0 % 40) / 10 - 2 } + [.nan]
        let plot = BootstrapHistogramPlot(panels: [.init(title: "x", values: values, observed: 2.7, observedLabel: "observed t = 2.7")],
                                          valueTitle: "bootstrap t*", title: "Wild bootstrap")
        let h = plot.panels[0].histogram
        let svg = try parseSVG(plot.svg)
        let bars = svg.tagged("bar")
        #expect(bars.count == h.counts.count && h.total == 400)
        let x = try ReadAxis.read(svg, horizontal: true), y = try ReadAxis.read(svg, horizontal: false)
        #expect(x.ticks.first! <= h.edges.first! && x.ticks.last! >= 2.7 && areRound(x.ticks) && areRound(y.ticks))
        for (i, bar) in bars.enumerated() {
            let rect = try #require(bar.elements("rect").first)
            #expect(abs(rect.number("x") - x.pixel(h.edges[i])) <= 0.0101)
            #expect(abs(rect.number("y") - y.pixel(Double(h.counts[i]))) <= 0.0101)
        }
        let observed = try #require(svg.tagged("observed").first)
        #expect(abs(observed.elements("line")[0].number("x1") - x.pixel(2.7)) <= 0.0101)
        #expect(observed.texts == ["observed t = 2.7"])
    }

    @Test("jackknife: a dot per cluster, sorted largest on top, the full-sample line; sign flips are triangles")
    func jackknife() throws {
        let panel = JackknifePlot.Panel(term: "x", estimate: 0.3, leaveOneOut: [
            .init(cluster: "A", estimate: 0.28), .init(cluster: "B", estimate: 0.45), .init(cluster: "C", estimate: -0.05),
            .init(cluster: "D", estimate: 0.31), .init(cluster: "E", estimate: .nan)])
        let svg = try parseSVG(JackknifePlot(panels: [panel], clusterName: "region", title: "Leave one region out").svg)
        let points = svg.tagged("point")
        #expect(points.count == 4)
        #expect(points.map(\.name) == ["circle", "circle", "circle", "polygon"])
        let x = try ReadAxis.read(svg, horizontal: true)
        #expect(abs(points[0].number("cx") - x.pixel(0.45)) <= 0.0101)
        #expect(zip(points.dropLast(), points.dropFirst().dropLast()).allSatisfy { $0.number("cy") < $1.number("cy") })
        let line = try #require(svg.tagged("full-sample").first?.elements("line").first)
        #expect(abs(line.number("x1") - x.pixel(0.3)) <= 0.0101)
        #expect(svg.tagged("category").map { $0.texts.joined() } == ["B", "D", "A", "C"])
    }

    @Test("extreme bounds: bounds, mean ± 2 s.e. and the verdict per variable")
    func extremeBounds() throws {
        let plot = ExtremeBoundsPlot(variables: [
            .init(term: "a", leamerLow: -0.2, leamerHigh: 1.4, mean: 0.6, standardError: 0.2, robust: false),
            .init(term: "b", leamerLow: 0.1, leamerHigh: 0.9, mean: 0.5, standardError: 0.1, robust: true)], title: "EBA")
        let svg = try parseSVG(plot.svg)
        #expect(svg.tagged("bounds").count == 2 && svg.tagged("interval").count == 2 && svg.tagged("point").count == 2)
        let x = try ReadAxis.read(svg, horizontal: true)
        let bar = svg.tagged("interval")[0]
        #expect(abs(bar.number("x1") - x.pixel(0.2)) <= 0.0101 && abs(bar.number("x2") - x.pixel(1.0)) <= 0.0101)
        let bounds = svg.tagged("bounds")[1].elements("line")[0]
        #expect(abs(bounds.number("x1") - x.pixel(0.1)) <= 0.0101 && abs(bounds.number("x2") - x.pixel(0.9)) <= 0.0101)
        #expect(svg.texts.contains("robust") && svg.texts.contains("fragile"))
    }

    /// sensemakr's adjusted estimate for the contour test (β̂ = 0.5, se = 0.2, df = 100): β̂ − se·√(df·y·x/(1 − x)).
    static func adjusted(_ x: Double, _ y: Double) -> Double { 0.5 - 0.2 * (100 * y * x / (1 - x)).squareRoot() }

    @Test("contour plot: marching squares on sensemakr's adjusted estimate; points where their partial R²s put them")
    func contour() throws {
        let grid = (0..<40).map { 0.4 * Double($0) / 39 }
        let z = grid.map { x in grid.map { y in Self.adjusted(x, y) } }
        let plot = ContourPlot(x: grid, y: grid, z: z, threshold: (0, "adjusted estimate = 0"),
                               points: [.init(label: "unadjusted", x: 0, y: 0, shape: .triangle, color: .black),
                                        .init(label: "1× b", x: 0.1, y: 0.3, shape: .diamond, color: Palette.vermillion)],
                               xTitle: "R² with the treatment", yTitle: "R² with the outcome", title: "OVB")
        // One contour's points against the formula: the threshold's, to the grid's interpolation error.
        let threshold = try #require(plot.lines(at: 0).first)
        #expect(threshold.count > 20)
        for p in threshold { #expect(abs(Self.adjusted(p.x, p.y)) < 2e-3) }
        let svg = try parseSVG(plot.svg)
        let x = try ReadAxis.read(svg, horizontal: true, domain: 0...0.4), y = try ReadAxis.read(svg, horizontal: false, domain: 0...0.4)
        #expect(areRound(x.ticks) && x.ticks.first == 0)
        let bench = try #require(svg.tagged("point").last)
        #expect(abs(Self.polygonCentre(bench).0 - x.pixel(0.1)) <= 0.0101 && abs(Self.polygonCentre(bench).1 - y.pixel(0.3)) <= 0.0101)
        let drawn = try #require(svg.tagged("threshold").first?.elements("polyline").first?.attributes["points"])
        let first = drawn.split(separator: " ")[0].split(separator: ",").map { Double($0)! }
        let data = (x.low + (first[0] - x.start) / (x.end - x.start) * (x.high - x.low), y.low + (first[1] - y.start) / (y.end - y.start) * (y.high - y.low))
        #expect(abs(Self.adjusted(data.0, data.1)) < 2e-3)
        #expect(svg.tagged("contour").count == plot.levels.count)
    }

    @Test("every plot type inlines as an <svg> element without the XML declaration")
    func inline() {
        let plots: [any SVGPlot] = [Self.coefficients, Self.curve]
        for p in plots { #expect(p.inlineSVG.hasPrefix("<svg ") && p.svg.hasPrefix("<?xml")) }
    }
}
