import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--plot FILE.svg` end to end on the default analysis: the table still goes to standard
/// output, the file is well-formed SVG with the marks the results call for (one interval
/// per coefficient per model, one point per specification, a bar per bin), and a bad
/// `--plot` is a one-line error. The plots' layout is tested in SteppeReportTests.
@Suite("steppe --plot")
struct PlotCLITests {
    /// Runs `steppe arguments… --plot FILE` in a fresh directory and returns the result and the SVG.
    static func run(_ arguments: [String]) throws -> (CLI.Result, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let r = try CLI.run(arguments + ["--plot", "out.svg"], in: directory)
        let svg = (try? String(contentsOf: directory.appendingPathComponent("out.svg"), encoding: .utf8)) ?? ""
        return (r, svg)
    }

    /// The number of elements tagged `class` in `svg`, after checking that it parses.
    static func count(_ svg: String, _ tag: String) -> Int {
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return svg.components(separatedBy: "class=\"\(tag)\"").count - 1
    }

    @Test("fit --plot: both default models' slopes with intervals, the intercept left out, the table printed")
    func fit() throws {
        let (r, svg) = try Self.run(["fit"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Push factors of internal migration"))
        // model (1): 4 slopes; model (2): 3 slopes and the year dummy.
        #expect(Self.count(svg, "interval") == 8 && Self.count(svg, "point") == 8)
        #expect(!svg.contains(">(Intercept)<") && svg.contains("The intercept is not shown"))
        #expect(svg.contains(">log(dist_main_km)<") && svg.contains("C(year)[T.2023]"))
    }

    @Test("sensitivity curve --plot: a point per specification and the choices panel")
    func curve() throws {
        let (r, svg) = try Self.run(["sensitivity", "curve"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.count(svg, "point") == 8)
        #expect(Self.count(svg, "choice") == 8 * 3)
        #expect(svg.contains(">ols-log<") && svg.contains(">unemployment_rate_pct<"))
    }

    @Test("sensitivity jackknife, eba, ovb and bootstrap --plot write their plots")
    func methods() throws {
        let (jack, jackSVG) = try Self.run(["sensitivity", "jackknife"])
        #expect(jack.status == 0, "\(jack.stderr)")
        #expect(Self.count(jackSVG, "panel") == 4 && Self.count(jackSVG, "point") == 4 * 14)
        let (eba, ebaSVG) = try Self.run(["sensitivity", "eba"])
        #expect(eba.status == 0, "\(eba.stderr)")
        #expect(Self.count(ebaSVG, "bounds") >= 1 && ebaSVG.contains(">log(income_2020_kzt_month)<"))
        let (ovb, ovbSVG) = try Self.run(["sensitivity", "ovb"])
        #expect(ovb.status == 0, "\(ovb.stderr)")
        #expect(Self.count(ovbSVG, "threshold") == 1 && Self.count(ovbSVG, "point") == 3)
        let (boot, bootSVG) = try Self.run(["sensitivity", "bootstrap", "--reps", "199", "--no-ci", "--term", "crude_birth_rate"])
        #expect(boot.status == 0, "\(boot.stderr)")
        #expect(Self.count(bootSVG, "panel") == 1 && Self.count(bootSVG, "bar") > 5 && Self.count(bootSVG, "observed") == 1)
    }

    @Test("a bad --plot is a one-line error and writes nothing")
    func errors() throws {
        let dash = try CLI.run(["fit", "--plot", "-"])
        #expect(dash.status != 0 && dash.stderr.contains("--plot needs a file name"))
        let (pairs, svg) = try Self.run(["sensitivity", "bootstrap", "--type", "pairs", "--reps", "99"])
        #expect(pairs.status != 0 && pairs.stderr.contains("--plot draws the t* of the wild and score bootstraps") && svg.isEmpty)
    }
}
