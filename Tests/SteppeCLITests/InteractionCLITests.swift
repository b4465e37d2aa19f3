import Foundation
import SteppeTestFixtures
import Testing

/// `steppe interaction`: the default analysis, JSON, and bad input as one-line errors.
@Suite("steppe interaction")
struct InteractionCLITests {
    /// A 3-region matrix written to a temporary directory, with one cell changed by `edit`.
    static func matrix(_ edit: (inout [[String]]) -> Void = { _ in }) throws -> URL {
        var rows = [["origin", "destination", "flow", "km", "pop_o", "pop_d"]]
        let pop = ["A": "100", "B": "50", "C": "20"], km = ["AB": "10", "AC": "30", "BC": "25"]
        for o in ["A", "B", "C"] { for d in ["A", "B", "C"] where o != d {
            let key = String([o, d].sorted().joined())
            rows.append([o, d, String(o.unicodeScalars.first!.value % 7 + d.unicodeScalars.first!.value % 5 + 3), km[key]!, pop[o]!, pop[d]!])
        } }
        edit(&rows)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-interaction-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("m.csv")
        try rows.map { $0.joined(separator: ",") }.joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func run(_ file: URL, _ extra: [String]) throws -> CLI.Result {
        try CLI.run(["interaction", file.path, "--cost", "km", "--top", "0"] + extra)
    }

    @Test("Default: Korea 2020, doubly constrained power cost, and the radiation model side by side")
    func defaultRun() throws {
        let r = try CLI.run(["interaction"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("log(dist_centroid_km)  -0.920150"))       // spint: -0.9201503781
        #expect(r.stdout.contains("Gravity vs radiation on the same matrix"))
        #expect(r.stdout.contains("17 rows removed: intrazonal (origin = destination)."))
        #expect(r.stdout.contains("Rows of year 2020: 289 of 2601"))
        #expect(!r.stdout.contains("NaN") && !r.stdout.contains(" NA "))
    }

    @Test("Quasi-Poisson standard errors as spint's Quasi=True")
    func quasi() throws {
        let r = try CLI.run(["interaction", "--vcov", "quasi", "--model", "gravity", "--table", "1", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0.044288"))   // spint: 0.04428812777
    }

    @Test("Radiation only, with populations named; JSON envelope")
    func radiationJSON() throws {
        let r = try Self.run(try Self.matrix(), ["--model", "radiation", "--origin-population", "pop_o", "--destination-population", "pop_d", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["command"] as? String == "interaction" && json["schemaVersion"] as? Int == 2)
        #expect(json["model"] == nil && json["radiation"] != nil)
    }

    /// Each bad input: the change to the matrix, extra flags, and what the error must say.
    static func badCase(_ name: String) -> ((inout [[String]]) -> Void, [String], String) {
        switch name {
        case "negative flow": return ({ $0[2][2] = "-4" }, [], "row 2 (A → C: -4)")
        case "zero distance": return ({ $0[3][3] = "0" }, [], "off the diagonal")
        case "region without attractiveness":
            return ({ $0[3][5] = ""; $0[5][5] = "" }, ["--constraint", "production", "--destination-vars", "pop_d"], "no value for 1 destination in the flows: A")
        case "unknown column": return ({ _ in }, ["--constraint", "none", "--origin-vars", "nope"], "unknown origin variable column 'nope'")
        case "pair twice": return ({ $0.append($0[1]) }, [], "appears more than once")
        default: return ({ _ in }, ["--model", "both"], "needs populations")
        }
    }

    @Test("Bad input: one line naming rows, pairs or regions; non-zero exit",
          arguments: ["negative flow", "zero distance", "region without attractiveness", "unknown column", "pair twice", "radiation without populations"])
    func badInput(_ name: String) throws {
        let (edit, extra, message) = Self.badCase(name)
        let r = try Self.run(try Self.matrix(edit), extra)
        #expect(r.status == 1, "\(name): status \(r.status)")
        #expect(r.stdout.isEmpty, "\(name)")
        #expect(r.stderr.hasPrefix("steppe: error: ") && r.stderr.contains(message), "\(name): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(name)")
    }

    @Test("--coordinates: great-circle distances for both models; the radiation model as scikit-mobility's on six cities")
    func coordinates() throws {
        let fixtures = FixtureDirectory(target: "SteppeModelsTests")
        let r = try CLI.run(["interaction", fixtures.url("interaction/cities_flows.csv").path, "--coordinates", fixtures.url("interaction/cities.csv").path,
                             "--model", "both", "--origin-population", "pop_o", "--destination-population", "pop_d", "--format", "json"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let interaction = try #require(json["interaction"] as? [String: Any])
        #expect(interaction["costTerm"] as? String == "log(great_circle_km)")
        let radiation = try #require(json["radiation"] as? [String: Any])
        let reference = try #require(fixtures.json("interaction/radiation_coordinates.json")["statistics"] as? [String: [String: Double]])
        for (key, ours) in [("finiteSize", "finiteSize"), ("plain", "uncorrected")] {
            let s = try #require(radiation[ours] as? [String: Any])
            for (name, theirs) in [("ssi", "SSI"), ("srmse", "SRMSE"), ("cpc", "CPC")] {
                let got = try #require(s[name] as? Double), want = reference[key]![theirs]!
                #expect(abs(got - want) <= 1e-12 * want, "\(key) \(name): \(got) vs scikit-mobility \(want)")
            }
        }
        // The data have no row Aktobe → Pavlodar: without coordinates there is no distance to it.
        let text = try CLI.run(["interaction", fixtures.url("interaction/cities_flows.csv").path, "--coordinates", fixtures.url("interaction/cities.csv").path,
                                "--model", "both", "--origin-population", "pop_o", "--destination-population", "pop_d"])
        #expect(text.stdout.contains("Distances: great_circle_km, great-circle km between the region centres of"))
        #expect(text.stdout.contains("28 pairs of 28 rows"))
    }

    @Test("Unknown cost column and a bundled matrix without --year")
    func columnsAndYears() throws {
        let unknown = try CLI.run(["interaction", try Self.matrix().path, "--cost", "miles"])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown cost column 'miles'"))
        let stacked = try CLI.run(["interaction", "korea-interregional"])
        #expect(stacked.status == 1 && stacked.stderr.contains("appears more than once") && stacked.stderr.contains("--year"))
    }
}
