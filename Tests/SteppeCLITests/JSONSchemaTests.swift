import Foundation
import Testing

/// Every command that prints JSON, validated against docs/steppe-output.schema.json by the
/// jsonschema package (docs/validate_output.py), and a document with a renamed key rejected.
@Suite("steppe JSON output: the schema")
struct JSONSchemaTests {
    static let repository = CLI.testDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let schema = repository.appendingPathComponent("docs/steppe-output.schema.json")
    static let validator = repository.appendingPathComponent("docs/validate_output.py")

    /// Commands covering every document kind: fits with one and several models, iid,
    /// robust and clustered errors, a fit with no residual degrees of freedom (nulls with
    /// reasons), predict, flows, every dataset's manifest, bench and bench --data.
    static func commands() throws -> [(String, [String])] {
        var list: [(String, [String])] = [
            ("fit-default", ["fit"]),
            ("fit-two", ["fit", "flows.csv", "-f", "flow ~ log(dist) | origin + destination", "-m", "ppml", "-m", "ols"]),
            ("fit-ols-hetero", ["fit", "flows.csv", "-f", "flow ~ log(dist) + push", "--vcov", "hc3"]),
            ("fit-saturated", ["fit", "saturated.csv", "-f", "y ~ x"]),
            ("predict", ["predict"]),
            ("flows", ["flows"]),
            ("indices", ["indices"]),
            ("indices-nulls", ["indices", "flows.csv", "--distance", "dist"]),
            ("interaction", ["interaction"]),
            ("interaction-quasi", ["interaction", "flows.csv", "--cost", "dist", "--constraint", "production", "--vcov", "quasi"]),
            ("datasets-list", ["datasets", "list"]),
            ("bench", ["bench", "--rows", "2000", "--levels", "20", "--repetitions", "1", "--no-peak", "--problem", "glm"]),
            ("sensitivity-curve", ["sensitivity", "curve"]),
            ("sensitivity-curve-null", ["sensitivity", "curve", "--null-reps", "99"]),
            ("sensitivity-inputs", ["sensitivity", "inputs", "--draws", "40"]),
            ("sensitivity-inputs-flows", ["sensitivity", "inputs", "--through", "flows", "--draws", "20", "--top", "3"]),
            ("sensitivity-jackknife", ["sensitivity", "jackknife"]),
            ("sensitivity-jackknife-flows", ["sensitivity", "jackknife", "flows.csv", "-f", "flow ~ log(dist) | origin", "-m", "ppml"]),
            ("sensitivity-influence", ["sensitivity", "influence"]),
            ("sensitivity-ovb", ["sensitivity", "ovb"]),
            ("sensitivity-eba", ["sensitivity", "eba"]),
            ("sensitivity-bootstrap", ["sensitivity", "bootstrap", "--reps", "199", "--no-ci"]),
            ("sensitivity-bootstrap-wild", ["sensitivity", "bootstrap", "flows.csv", "-f", "flow ~ log(dist) + push",
                                            "--cluster", "origin", "--type", "wild", "--reps", "999"]),
            ("sensitivity-bootstrap-pairs", ["sensitivity", "bootstrap", "flows.csv", "-f", "flow ~ log(dist)", "-m", "ppml",
                                             "--type", "pairs", "--reps", "99"]),
            ("sensitivity-influence-ols", ["sensitivity", "influence", "flows.csv", "-f", "flow ~ log(dist) + push"]),
            ("sensitivity-curve-flows", ["sensitivity", "curve", "flows.csv", "-f", "flow ~ log(dist) + push", "-m", "ppml",
                                         "--term", "push", "--vary", "fe=|origin", "--vary", "model=ppml|ols-log"]),
        ]
        let names = try CLI.run(["datasets", "list", "--format", "csv"]).stdout.split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[0]) }
        #expect(names.count >= 11)
        for name in names { list.append(("datasets-show-\(name)", ["datasets", "show", name])) }
        return list.map { ($0.0, $0.1 + ["--format", "json"]) }
            + [("bench-data", ["bench", "--data", "flows.csv", "-f", "flow ~ log(dist)", "-m", "ppml", "--repetitions", "1"])]
    }

    /// docs/validate_output.py on `files` against the schema (also the degenerate sweep's check).
    static func validate(_ files: [URL]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.validator.path, Self.schema.path] + files.map(\.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return CLI.Result(status: process.terminationStatus, stdout: text, stderr: "")
    }

    @Test("every JSON-printing command validates against the schema")
    func everyCommand() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "y,x\n1,2\n3,5\n".write(to: dir.appendingPathComponent("saturated.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: CLI.fixtures.appendingPathComponent("flows.csv"), to: dir.appendingPathComponent("flows.csv"))
        var files: [URL] = []
        for (name, arguments) in try Self.commands() {
            let r = try CLI.run(arguments, in: dir)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            for token in [": NaN", ": nan", ": inf", ": -inf", "Infinity"] { #expect(!r.stdout.contains(token), "\(name) prints \(token)") }
            let file = dir.appendingPathComponent(name + ".json")
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let result = try Self.validate(files)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == files.count, "\(result.stdout)")
        // The saturated fit's infinite standard errors are nulls with their reason.
        let saturated = try String(contentsOf: dir.appendingPathComponent("fit-saturated.json"), encoding: .utf8)
        #expect(saturated.contains("\"stdError\": null") && saturated.contains("no residual degrees of freedom"))

        // The schema is a contract, not a formality: a renamed key fails it.
        let renamed = dir.appendingPathComponent("renamed.json")
        let fit = try String(contentsOf: files[1], encoding: .utf8)
        try fit.replacingOccurrences(of: "\"stdError\"", with: "\"standardError\"").write(to: renamed, atomically: true, encoding: .utf8)
        let rejected = try Self.validate([renamed])
        #expect(rejected.status == 1 && rejected.stdout.contains("invalid"), "\(rejected.stdout)")
    }
}
