import Foundation
import SteppeTestFixtures
import Testing

/// `steppe fit --out-of-core`: on a CSV file (converted to a temporary store in the scratch
/// directory, removed after), on a store, with any --chunk-rows, it prints the table the
/// fit in memory prints, but for the data note; bad options are one line and status 1.
@Suite("steppe command line: fit --out-of-core")
struct OutOfCoreCLITests {
    static let formula = ["-f", "flow ~ log(km) + border | origin + destination", "-m", "ppml"]

    /// The output without its data note (which says how the data were read).
    static func withoutDataNote(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("Data: ") }.joined(separator: "\n")
    }

    @Test("the table of the fit in memory, from a CSV file and from a store, for any chunk size; no scratch file left")
    func sameTable() throws {
        let od = [UInt8](try ConvertCLITests.fixtures.data("compressed/od.csv"))
        let dir = try HostileInputCLITests.directory(["od.csv": od])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scratch"), withIntermediateDirectories: false)
        let memory = try HostileInputCLITests.run(["fit", "od.csv"] + Self.formula, in: dir)
        #expect(memory.status == 0, "\(memory.stderr)")
        let convert = try HostileInputCLITests.run(["convert", "od.csv", "od.h5"], in: dir)
        #expect(convert.status == 0, "\(convert.stderr)")
        for (input, chunk) in [("od.csv", "1048576"), ("od.csv", "10"), ("od.h5", "1"), ("od.h5", "64")] {
            let run = try HostileInputCLITests.run(["fit", input, "--out-of-core", "--chunk-rows", chunk, "--scratch", "scratch"] + Self.formula, in: dir)
            #expect(run.status == 0 && run.stderr.isEmpty, "\(input) \(chunk): \(run.stderr)")
            #expect(Self.withoutDataNote(run.stdout) == Self.withoutDataNote(memory.stdout),
                    "\(input) \(chunk): \(firstDifference(run.stdout, memory.stdout))")
            #expect(run.stdout.contains("fitted out of core"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("scratch").path).isEmpty)
        }
        let json = try HostileInputCLITests.run(["fit", "od.h5", "--out-of-core", "--format", "json"] + Self.formula, in: dir)
        #expect(json.status == 0 && json.stdout.contains("\"outOfCore\": true"), "\(json.stderr)")
    }

    @Test("bad options and unsupported models: one line, status 1")
    func badOptions() throws {
        let od = [UInt8](try ConvertCLITests.fixtures.data("compressed/od.csv"))
        let dir = try HostileInputCLITests.directory(["od.csv": od])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["fit", "od.csv", "--out-of-core", "--scratch", "no/such/dir"] + Self.formula,
             "steppe: error: the scratch directory no/such/dir does not exist or is not a directory (--scratch)\n"),
            (["fit", "od.csv", "--out-of-core", "-m", "negbin", "-f", "flow ~ log(km) | origin"],
             "steppe: error: the negative binomial is not fitted out of core"),
            (["fit", "od.csv", "--chunk-rows", "10"] + Self.formula, "steppe: error: --chunk-rows and --scratch go with --out-of-core"),
            (["fit", "od.csv", "--out-of-core", "--chunk-rows", "0"] + Self.formula, "steppe: error: --chunk-rows must be a positive number of rows, not 0"),
        ]
        for (arguments, expected) in cases {
            let run = try HostileInputCLITests.run(arguments, in: dir)
            #expect(run.status != 0 && run.stdout.isEmpty, "\(arguments)")
            #expect(run.stderr.hasPrefix(expected), "\(arguments): \(run.stderr)")
        }
    }
}
