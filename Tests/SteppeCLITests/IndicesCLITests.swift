import Foundation
import SteppeTestFixtures
import Testing

/// `steppe indices` end to end: the default analysis, the JSON envelope with migest's
/// numbers (Korea 2020, SteppeModelsTests/Fixtures/indices/migest_reference.json), and bad
/// input as one line with a non-zero exit. The indices themselves are tested in
/// SteppeModelsTests (IndicesTests).
@Suite("steppe indices")
struct IndicesCLITests {
    static let models = FixtureDirectory(target: "SteppeModelsTests")

    /// Writes `csv` to a temporary file and returns its path.
    static func file(_ name: String, _ csv: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-indices-\(ProcessInfo.processInfo.processIdentifier)-\(name).csv")
        try csv.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("The default: Korea's observed matrix, every year, every index")
    func defaultAnalysis() throws {
        let r = try CLI.run(["indices"])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["cmp", "courgeauK", "effectiveness", "giniTotal", "mwgMean", "acv", "median", "decay", "2012", "2020"] {
            #expect(r.stdout.contains(key), "\(key)")
        }
        #expect(!r.stdout.contains("NaN") && !r.stdout.contains("nan"))
    }

    @Test("--year 2020 --format json: the envelope and migest's numbers")
    func koreaJSON() throws {
        let r = try CLI.run(["indices", "korea-interregional", "--year", "2020", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 2 && object["command"] as? String == "indices")
        let results = try #require(object["results"] as? [[String: Any]])
        #expect(results.count == 1 && results[0]["year"] as? Double == 2020)
        let reference = try #require((Self.models.json("indices/migest_reference.json")["korea"] as? [[String: Any]])?.last)
        let pairs: [(String, String, String, String)] = [("intensity", "cmp", "intensity", "cmp"), ("impact", "effectiveness", "impact", "effectivness"),
                                                        ("connectivity", "giniTotal", "connectivity", "gini_total"), ("distance", "decay", "distance", "decay")]
        for (group, key, rGroup, rKey) in pairs {
            let got = try #require((results[0][group] as? [String: Any])?[key] as? Double)
            let want = try #require((reference[rGroup] as? [String: Any])?[rKey] as? Double)
            #expect(abs(got - want) <= 1e-7 * abs(want), "\(key): \(got) vs \(want)")
        }
    }

    /// The matrix `steppe flows --calibrated` estimates for Kazakhstan, every pair, as the README's example writes it.
    static func estimatedMatrix() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-indices-\(ProcessInfo.processInfo.processIdentifier)-kz.csv").path
        let r = try CLI.run(["flows", "--calibrated", "--top", "0", "--format", "csv", "--table", "1", "-o", path])
        #expect(r.status == 0, "\(r.stderr)")
        return path
    }

    @Test("Indices of an estimated matrix are labelled so: title, note and JSON; observed ones are not")
    func estimated() throws {
        let kz = try Self.estimatedMatrix()
        let flags = [kz, "--flow", "estimated flow", "--distance", "distance km"]
        let text = try CLI.run(["indices"] + flags)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("Migration indices of an ESTIMATED matrix, not observed flows (migest's"))
        #expect(text.stdout.contains("ESTIMATED flows (the flow column 'estimated flow'): the indices describe"))
        // The decay comes back as the calibrated β that went in (README: −0.887).
        let decay = text.stdout.split(separator: "\n").first { $0.hasPrefix("distance decay") }
        #expect(decay?.hasSuffix(" -0.8875") == true, "\(String(describing: decay))")
        let json = try CLI.run(["indices"] + flags + ["--format", "json"])
        let results = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        #expect(results.count == 1 && results[0]["estimated"] as? Bool == true)
        #expect(try Self.validates(json.stdout))
        // --estimated labels any column; observed flows say nothing and carry "estimated": false.
        let flag = try CLI.run(["indices", "flows.csv", "--estimated"])
        #expect(flag.stdout.hasPrefix("Migration indices of an ESTIMATED matrix") && flag.stdout.contains("ESTIMATED flows (--estimated)"))
        let observed = try CLI.run(["indices", "--year", "2020", "--format", "json"])
        let first = try #require((try JSONSerialization.jsonObject(with: Data(observed.stdout.utf8)) as? [String: Any])?["results"] as? [[String: Any]])
        #expect(first[0]["estimated"] as? Bool == false)
        #expect(!(try CLI.run(["indices", "--year", "2020"])).stdout.contains("ESTIMATED"))
    }

    /// Whether `document` is valid against docs/steppe-output.schema.json (docs/validate_output.py, jsonschema).
    static func validates(_ document: String) throws -> Bool {
        let repository = CLI.testDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-indices-\(ProcessInfo.processInfo.processIdentifier)-estimated.json")
        try document.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("docs/validate_output.py").path,
                             repository.appendingPathComponent("docs/steppe-output.schema.json").path, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")
        return process.terminationStatus == 0
    }

    @Test("Bad input: one line naming the rows or regions, exit 1")
    func badInput() throws {
        let negative = try Self.file("negative", "origin,destination,flow\nA,B,3\nB,A,-2\nA,C,1\n")
        let zero = try Self.file("zero", "origin,destination,flow\nA,B,0\nB,A,0\n")
        let flows = try Self.file("flows", "origin,destination,flow,dist\nA,B,3,10\nB,A,2,10\nA,C,1,\nC,A,4,20\n")
        let pops = try Self.file("pops", "region,population\nA,100\nB,200\n")
        let cases: [([String], String)] = [
            (["indices", negative], "1 negative flow (data row 2)"),
            (["indices", zero], "total flow between distinct regions is zero"),
            (["indices", flows, "--populations", pops], "no population for 1 region in the flows: C"),
            (["indices", flows, "--distance", "dist"], "no distance for 3 pairs of regions: A → C, B → C"),
            (["indices", "--year", "1999"], "no rows for --year 1999"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status == 1, "\(arguments): \(r.status)")
            #expect(r.stderr.hasPrefix("steppe: error: ") && r.stderr.contains(message), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty)
        }
    }
}
