import Foundation
import Testing
@testable import SteppeReport

/// Golden SVGs of small inputs (Fixtures/plots): the whole file compared exactly, so any
/// change of layout shows in review as a diff of the markup (regenerate with
/// STEPPE_UPDATE_EXPECTED=1 after a deliberate change, and look at the pictures:
/// `rsvg-convert -o x.png Fixtures/plots/x.svg`).
@Suite("SteppeReport: golden plots")
struct PlotGoldenTests {
    static let plots: [(String, any SVGPlot)] = [
        ("coefficients.svg", PlotTypesTests.coefficients),
        ("specification-curve.svg", PlotTypesTests.curve),
        ("bootstrap.svg", BootstrapHistogramPlot(panels: [
            .init(title: "log(dist)", values: (0..<200).map { Double(($0 * 37) % 101) / 25 - 2 }, observed: -2.4,
                  observedLabel: "observed t = −2.4", note: "p = 0.03, 200 replicates")],
            valueTitle: "bootstrap t*", title: "Wild cluster bootstrap by region (14 clusters)",
            caption: ["Bars: the replicates' t*; the dashed line: the observed t."])),
        ("jackknife.svg", JackknifePlot(panels: [.init(term: "log(income)", estimate: 0.67, leaveOneOut: [
            .init(cluster: "Almaty city", estimate: 0.66), .init(cluster: "Astana city", estimate: 0.12),
            .init(cluster: "Atyrau", estimate: 0.96), .init(cluster: "North Kazakhstan", estimate: 0.66),
            .init(cluster: "Turkistan", estimate: 0.75)])], clusterName: "region", title: "Leave one region out")),
        ("extreme-bounds.svg", ExtremeBoundsPlot(variables: [
            .init(term: "log(income_2020_kzt_month)", leamerLow: -0.2, leamerHigh: 1.4, mean: 0.6, standardError: 0.2, robust: false),
            .init(term: "crude_birth_rate", leamerLow: 0.01, leamerHigh: 0.09, mean: 0.04, standardError: 0.01, robust: true)],
            title: "Extreme bounds: departures, ppml, 8 regressions")),
        ("contour.svg", ContourPlot(x: (0..<9).map { Double($0) / 20 }, y: (0..<9).map { Double($0) / 20 },
                                    z: (0..<9).map { i in (0..<9).map { j in 0.5 - 3 * Double(i * j) / 400 } },
                                    threshold: (0, "adjusted estimate = 0"),
                                    points: [.init(label: "unadjusted (0.5)", x: 0, y: 0, shape: .triangle, color: .black),
                                             .init(label: "1× b (0.2)", x: 0.25, y: 0.2, shape: .diamond, color: Palette.vermillion)],
                                    xTitle: "Partial R² with the treatment", yTitle: "Partial R² with the outcome",
                                    title: "Sensitivity to an omitted confounder")),
    ]

    @Test("each golden SVG is reproduced exactly and is well-formed", arguments: plots.map(\.0))
    func golden(name: String) throws {
        let plot = try #require(Self.plots.first { $0.0 == name }?.1)
        let actual = plot.svg
        _ = try parseSVG(actual)
        let expected = try goldenSVG(name, actual: actual)
        #expect(actual == expected, "\(name) differs from Fixtures/plots/\(name); regenerate with STEPPE_UPDATE_EXPECTED=1 if intended")
    }
}
