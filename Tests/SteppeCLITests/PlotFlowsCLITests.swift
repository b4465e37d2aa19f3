import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--plot FILE.svg` on flows, interaction, indices and predict, end to end on the default
/// data: the tables still go to standard output, the files are well-formed SVG with the
/// marks the results call for (a curve per flow of the table and the β sweep beside it,
/// a point per pair, a pair of markers per row), estimates are labelled ESTIMATED, and the
/// bad cases are one-line errors. The plots' layout is tested in SteppeReportTests.
@Suite("steppe flows, interaction, indices, predict --plot")
struct PlotFlowsCLITests {
    /// Runs `steppe arguments… --plot out.svg` in a fresh directory; returns the result and
    /// every file written there (the SVGs), by name.
    static func run(_ arguments: [String], plot: String = "out.svg", files: [String] = []) throws -> (CLI.Result, [String: String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for f in files { try FileManager.default.copyItem(at: CLI.fixtures.appendingPathComponent(f), to: directory.appendingPathComponent(f)) }
        let r = try CLI.run(arguments + ["--plot", plot], in: directory)
        var svgs: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !files.contains(name) {
            svgs[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return (r, svgs)
    }

    /// The number of elements tagged `class` in `svg`, after checking that it parses.
    static func count(_ svg: String, _ tag: String) -> Int {
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return svg.components(separatedBy: "class=\"\(tag)\"").count - 1
    }

    @Test("flows --plot: the map of the table's 15 flows in map.svg, the β sweep of its 12 pairs in map-sweep.svg")
    func flows() throws {
        let (r, svgs) = try Self.run(["flows"], plot: "map.svg")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ESTIMATED flows (not observed)"))
        let map = try #require(svgs["map.svg"]), sweep = try #require(svgs["map-sweep.svg"])
        #expect(Self.count(map, "flow-line") == 15 && Self.count(map, "arrowhead") == 15 && Self.count(map, "place") == 20)
        #expect(map.contains("<title>ESTIMATED flows, not observed: Kazakhstan regions 2023"))
        #expect(map.contains("map-sweep.svg"))
        #expect(Self.count(sweep, "series") == 12 && Self.count(sweep, "point") == 12 * 5 && Self.count(sweep, "direct-label") == 12)
        #expect(sweep.contains(">Turkistan → Astana city<") && sweep.contains("ESTIMATED flows, not observed"))
    }

    @Test("flows --top 0 --plot: every pair on the map; --calibrated: the three β in the sweep")
    func flowsOptions() throws {
        let (all, svgs) = try Self.run(["flows", "--top", "0"], plot: "all")
        #expect(all.status == 0, "\(all.stderr)")
        #expect(Self.count(try #require(svgs["all"]), "flow-line") == 380)
        #expect(svgs["all-sweep.svg"] != nil)
        let (cal, calSVGs) = try Self.run(["flows", "--calibrated"])
        #expect(cal.status == 0, "\(cal.stderr)")
        #expect(Self.count(try #require(calSVGs["out-sweep.svg"]), "point") == 12 * 3)
    }

    @Test("interaction --plot: one SVG, two panels: a point per pair in the decay, a mark per pair and model against predictions")
    func interaction() throws {
        let (r, svgs) = try Self.run(["interaction"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try #require(svgs["out.svg"])
        #expect(Self.count(svg, "panel") == 2)
        // 17 × 16 pairs: 272 in the decay panel, 272 for each of gravity and radiation
        #expect(Self.count(svg, "point") == 272 * 3)
        #expect(Self.count(svg, "fitted") == 1 && svg.contains("fitted decay, β = −0.92"))
        #expect(svg.contains(">radiation (finite-size)<"))
    }

    @Test("interaction --coordinates --plot: the decay against great-circle km from the centres")
    func interactionCoordinates() throws {
        let (r, svgs) = try Self.run(["interaction", "od.csv", "--coordinates", "od_coordinates.csv", "--model", "both",
                                      "--origin-population", "pop_o", "--destination-population", "pop_d"],
                                     files: ["od.csv", "od_coordinates.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try #require(svgs["out.svg"])
        #expect(Self.count(svg, "point") == 12 * 3 && svg.contains("distance (great_circle_km) (log scale)"))
    }

    @Test("indices --plot: the latest year's 272 pairs with the decay index; an estimated matrix says so")
    func indices() throws {
        let (r, svgs) = try Self.run(["indices"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try #require(svgs["out.svg"])
        #expect(Self.count(svg, "point") + Self.count(svg, "zero") == 272)
        #expect(svg.contains("korea-interregional 2020") && svg.contains("decay index β = −0.92") && !svg.contains("ESTIMATED"))
        let (est, estSVGs) = try Self.run(["indices", "korea-interregional", "--year", "2015", "--estimated"])
        #expect(est.status == 0, "\(est.stderr)")
        #expect(try #require(estSVGs["out.svg"]).contains("<title>ESTIMATED flows, not observed: Distance decay of korea-interregional 2015"))
    }

    @Test("predict --plot: a baseline ring and a scenario triangle per predicted row, the changed rows on top")
    func predict() throws {
        let (r, svgs) = try Self.run(["predict"])
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try #require(svgs["out.svg"])
        #expect(Self.count(svg, "baseline") == 28 && Self.count(svg, "scenario") == 28)
        #expect(svg.contains("12 rows have no finite baseline or scenario"))
        let first = try #require(svg.range(of: "class=\"category\""))
        let firstLabel = svg[first.upperBound...].prefix(200)
        #expect(["Turkistan", "Zhambyl", "Shymkent"].contains { firstLabel.contains($0) })
    }

    @Test("--format html puts the same plots on the page: the map and the sweep, the two panels, the decay, the dumbbell")
    func htmlFigures() throws {
        for (arguments, figures) in [(["flows"], 2), (["interaction"], 1), (["indices"], 1), (["predict"], 1)] {
            let r = try CLI.run(arguments + ["--format", "html"])
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            #expect(r.stdout.components(separatedBy: "<figure").count - 1 == figures, "\(arguments)")
        }
        let noDistances = try CLI.run(["indices", "od.csv", "--format", "html"])
        #expect(noDistances.status == 0 && !noDistances.stdout.contains("<figure"))
    }

    @Test("bad --plot cases are one-line errors and write nothing")
    func errors() throws {
        let (prior, priorSVGs) = try Self.run(["flows", "--method", "cm"])
        #expect(prior.status != 0 && prior.stderr.contains("--plot draws the distance-decay estimate") && priorSVGs.isEmpty)
        let (noDistance, noSVGs) = try Self.run(["indices", "od.csv"], files: ["od.csv"])
        #expect(noDistance.status != 0 && noDistance.stderr.contains("--plot draws flow against distance: give the distances") && noSVGs.isEmpty)
        #expect(noDistance.stdout.isEmpty)
        let dash = try CLI.run(["predict", "--plot", "-"])
        #expect(dash.status != 0 && dash.stderr.contains("--plot needs a file name"))
    }
}
