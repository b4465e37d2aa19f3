import Foundation
import Testing
@testable import SteppeReport

/// Distance decay, observed against predicted, the two side by side, and the scenario
/// dumbbell on small known inputs: one point per pair (zeros in their strip, counted),
/// points and the fitted curve at the pixels the drawn log axes give, the 45° line on
/// the square's diagonal, a pair of markers per row in the order of the change, goldens.
@Suite("SteppeReport: distance decay, observed against predicted, scenario plots")
struct PlotDecayTests {
    static let decay = DistanceDecayPlot(distances: [50, 100, 200, 400, 800, 300, -1, 120],
                                         flows: [5000, 2600, 1200, 0, 300, 0, 40, .nan],
                                         decay: .init(beta: -1, label: "fitted decay, β = −1"), title: "Decay of a test matrix")

    @Test("decay: a point per positive pair, zeros in the strip and in the caption, dropped pairs counted")
    func decayMarks() throws {
        let svg = try parseSVG(Self.decay.svg)
        #expect(svg.tagged("point").count == 4 && svg.tagged("zero").count == 2)
        let caption = svg.tagged("caption").first?.texts.joined(separator: " ") ?? ""
        #expect(caption.contains("2 zero flows are not on the log scale"))
        #expect(caption.contains("2 pairs have no positive distance or no finite flow"))
        #expect(svg.tagged("zero-strip").first?.texts == ["0"])
    }

    @Test("decay: points and the curve at the pixels of the drawn log axes; the curve's slope is β")
    func decayPixels() throws {
        let svg = try parseSVG(Self.decay.svg)
        let (x, y) = try Self.logAxes(svg)
        let first = try #require(svg.tagged("point").first)
        #expect(abs(first.number("cx") - x(50)) <= 0.0101 && abs(first.number("cy") - y(5000)) <= 0.0101)
        // level a = mean(log T + log d) over the positive pairs; the curve is exp(a)·d^−1
        let a = [(50.0, 5000.0), (100, 2600), (200, 1200), (800, 300)].map { log($0.1) + log($0.0) }.reduce(0, +) / 4
        let curve = try #require(svg.tagged("fitted").first?.elements("polyline").first)
        let pts = (curve.attributes["points"] ?? "").split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        let mid = pts[pts.count / 2]
        let d = Self.inverse(x, mid[0])
        #expect(abs(mid[1] - y(exp(a) / d)) < 0.05)
    }

    /// The value at a pixel of a log axis (by bisection on the axis's own map).
    static func inverse(_ axis: (Double) -> Double, _ pixel: Double) -> Double {
        var lo = -10.0, hi = 10.0
        let increasing = axis(10) > axis(1)
        for _ in 0..<100 {
            let m = (lo + hi) / 2
            if (axis(pow(10, m)) < pixel) == increasing { lo = m } else { hi = m }
        }
        return pow(10, (lo + hi) / 2)
    }

    /// The pixel maps of the first horizontal and first vertical log axes, from their lines and first and last tick labels.
    static func logAxes(_ svg: SVGNode) throws -> ((Double) -> Double, (Double) -> Double) {
        func axis(horizontal: Bool) throws -> (Double) -> Double {
            let group = try #require(svg.tagged("axis").first { a in
                guard let line = a.children.first(where: { $0.name == "line" }) else { return false }
                return (line.number("y1") == line.number("y2")) == horizontal
            })
            let line = group.children.first { $0.name == "line" }!
            let ticks = group.children.filter { $0.name == "text" && $0.attributes["class"] == nil }.compactMap { ReadAxis.value(of: $0.text) }
            let lo = log10(ticks.first!), hi = log10(ticks.last!)
            let (a, b) = horizontal ? (line.number("x1"), line.number("x2")) : (line.number("y2"), line.number("y1"))
            return { v in a + (log10(v) - lo) / (hi - lo) * (b - a) }
        }
        return (try axis(horizontal: true), try axis(horizontal: false))
    }

    static let observed = ObservedPredictedPlot(models: [
        .init(name: "gravity", observed: [100, 2000, 0, 50], predicted: [120, 1500, 30, 40]),
        .init(name: "radiation", observed: [100, 2000, 0, 50], predicted: [300, 900, 10, 0]),
    ], title: "Observed against predicted")

    @Test("observed against predicted: one mark per pair and model, one scale on both axes, the 45° line on the diagonal")
    func observedPredicted() throws {
        let svg = try parseSVG(Self.observed.svg)
        let series = svg.tagged("series")
        #expect(series.count == 2)
        #expect(series[0].tagged("point").count == 3 && series[0].tagged("zero").count == 1)
        #expect(series[1].tagged("point").count == 2 && series[1].tagged("zero").count == 1)  // a zero prediction is dropped
        #expect(series[0].tagged("point").first?.name == "circle" && series[1].tagged("point").first?.name == "polygon")
        let (x, y) = try Self.logAxes(svg)
        let p = series[0].tagged("point")[1]
        #expect(abs(p.number("cx") - x(1500)) <= 0.0101 && abs(p.number("cy") - y(2000)) <= 0.0101)
        let line = try #require(svg.tagged("identity").first?.elements("line").first)
        #expect(abs(Self.inverse(x, line.number("x1")) / Self.inverse(y, line.number("y1")) - 1) < 1e-3)  // starts on observed = predicted
        #expect(abs((line.number("x2") - line.number("x1")) + (line.number("y2") - line.number("y1"))) < 0.02)  // 45°: Δx = −Δy
        let caption = svg.tagged("caption").first?.texts.joined(separator: " ") ?? ""
        #expect(caption.contains("radiation: 1 pair without a positive prediction"))
    }

    @Test("the two panels side by side: both panels, one title, the captions of both")
    func interactionFit() throws {
        let plot = InteractionFitPlot(decay: Self.decay, fit: Self.observed, title: "Two panels")
        let svg = try parseSVG(plot.svg)
        #expect(svg.tagged("panel").count == 2 && svg.tagged("panel-title").count == 2)
        #expect(svg.tagged("point").count == 4 + 5)
        let caption = svg.tagged("caption").first?.texts.joined(separator: " ") ?? ""
        #expect(caption.contains("Left: ") && caption.contains("Right: "))
        // the panels' plotting areas start at one height
        let tops = svg.tagged("panel").map { panel in panel.tagged("grid").first!.elements("line").first { $0.number("x1") == $0.number("x2") }!.number("y1") }
        #expect(abs(tops[0] - tops[1]) < 0.01)
        #expect(plot.document().width == 960)
    }

    static let dumbbell = DumbbellPlot(rows: [
        .init(label: "North 2023", baseline: 1000, scenario: 1000), .init(label: "South 2023", baseline: 800, scenario: 1000),
        .init(label: "West 2023", baseline: 600, scenario: 500), .init(label: "Missing", baseline: .nan, scenario: 1),
    ], valueTitle: "predicted departures", title: "Scenario: income*=1.2 in South")

    @Test("scenario dumbbell: a ring and a triangle per row, sorted by the change, percent labels, the missing row counted")
    func dumbbellPlot() throws {
        let svg = try parseSVG(Self.dumbbell.svg)
        #expect(svg.tagged("baseline").count == 3 && svg.tagged("scenario").count == 3 && svg.tagged("change").count == 3)
        let labels = svg.tagged("category").flatMap(\.texts)
        #expect(labels == ["South 2023", "North 2023", "West 2023"])
        let x = try ReadAxis.read(svg, horizontal: true)
        let rows = svg.tagged("row")
        let south = rows[0]
        #expect(abs(south.tagged("baseline")[0].number("cx") - x.pixel(800)) <= 0.0101)
        #expect(south.texts.contains("+25%") && rows[2].texts.contains("−17%") && !rows[1].texts.contains { $0.hasSuffix("%") })
        #expect(svg.tagged("caption").first?.texts.joined(separator: " ").contains("1 row has no finite baseline or scenario") == true)
    }

    @Test("golden decay, two-panel and dumbbell plots", arguments: ["distance-decay.svg", "interaction-fit.svg", "dumbbell.svg"])
    func golden(name: String) throws {
        let actual: String
        switch name {
        case "distance-decay.svg": actual = Self.decay.svg
        case "interaction-fit.svg": actual = InteractionFitPlot(decay: Self.decay, fit: Self.observed, title: "Two panels").svg
        default: actual = Self.dumbbell.svg
        }
        let expected = try goldenSVG(name, actual: actual)
        #expect(actual == expected, "\(name) differs from Fixtures/plots/\(name); regenerate with STEPPE_UPDATE_EXPECTED=1 if intended")
    }
}
