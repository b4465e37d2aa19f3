import Foundation
import SteppeTestFixtures
import Testing

/// `.csv.gz` and `.csv.zst` as data at the command line: the same fit, to the last
/// printed digit, as on the plain file; a damaged file is one line on stderr and status 1;
/// errors and limits inside one are those of the plain file.
@Suite("steppe command line: compressed data")
struct CompressedInputCLITests {
    /// The compressed fixtures, shared with SteppeDataTests (`Fixtures/compressed`).
    static let fixtures = FixtureDirectory(target: "SteppeDataTests")

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try fixtures.data("compressed/" + name)) }

    /// A fresh directory holding the fixtures `names`, and the extra files `files`.
    static func directory(_ names: [String], files: [String: [UInt8]] = [:]) throws -> URL {
        var all = files
        for name in names { all[name] = try bytes(name) }
        return try HostileInputCLITests.directory(all)
    }

    static let formula = ["-f", "flow ~ log(km) + border | origin + destination", "-m", "ppml"]

    @Test("a fit on .csv.gz, .csv.zst, several members or frames, or a misnamed file prints what the fit on the .csv does",
          arguments: ["text", "json"])
    func sameFit(format: String) throws {
        let names = ["od.csv.gz", "od.csv.zst", "od-members.csv.gz", "od-frames.csv.zst"]
        let dir = try Self.directory(["od.csv"] + names, files: ["gzip-inside.csv": try Self.bytes("od.csv.gz"),
                                                                  "plain-inside.csv.zst": try Self.bytes("od.csv")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try HostileInputCLITests.run(["fit", "od.csv"] + Self.formula + ["--format", format], in: dir)
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderr)")
        #expect(plain.stdout.contains("log(km)"))
        for name in names + ["gzip-inside.csv", "plain-inside.csv.zst"] {
            let run = try HostileInputCLITests.run(["fit", name] + Self.formula + ["--format", format], in: dir)
            #expect(run.status == 0 && run.stderr.isEmpty, "\(name): \(run.stderr)")
            // Only the lines that name the data file differ, and only by the name.
            let a = plain.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let b = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(a.count == b.count, "\(name)")
            for (x, y) in zip(a, b) where x != y {
                #expect(y.contains(name) && y.replacingOccurrences(of: name, with: "od.csv") == x, "\(name): \(y) vs \(x)")
            }
            #expect(b.contains { $0.contains(name) }, "\(name) is named")
        }
    }

    @Test("a truncated or corrupt file is one line on stderr, status 1, nothing on stdout")
    func damaged() throws {
        let gz = try Self.bytes("od.csv.gz"), zst = try Self.bytes("od.csv.zst")
        var corrupt = gz
        corrupt[gz.count / 2] ^= 0xFF
        var badCheck = zst
        badCheck[zst.count - 2] ^= 0x01
        let dir = try Self.directory([], files: ["cut.csv.gz": Array(gz.prefix(gz.count / 2)), "cut.csv.zst": Array(zst.dropLast(3)),
                                                "corrupt.csv.gz": corrupt, "check.csv.zst": badCheck])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = [("cut.csv.gz", "steppe: error: cut.csv.gz: truncated gzip stream after "),
                     ("cut.csv.zst", "steppe: error: cut.csv.zst: truncated zstd stream after "),
                     ("corrupt.csv.gz", "steppe: error: corrupt.csv.gz: corrupt gzip stream after "),
                     ("check.csv.zst", "steppe: error: check.csv.zst: corrupt zstd stream after ")]
        for (name, start) in cases {
            let run = try HostileInputCLITests.run(["fit", name] + Self.formula, in: dir)
            #expect(run.status == 1 && run.stdout.isEmpty, "\(name)")
            #expect(run.stderr.hasPrefix(start) && run.stderr.filter { $0 == "\n" }.count == 1, "\(name): \(run.stderr)")
        }
        let check = try HostileInputCLITests.run(["fit", "check.csv.zst"] + Self.formula, in: dir)
        #expect(check.stderr.hasSuffix(" bytes of CSV (zstd: Restored data doesn't match checksum)\n"), "\(check.stderr)")
    }

    @Test("a CSV error and the line limit inside a compressed file read as in the plain file")
    func errorsInside() throws {
        let dir = try Self.directory(["text_in_numeric.csv.gz", "bomb.csv.zst", "od.csv.gz"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try HostileInputCLITests.run(["fit", "text_in_numeric.csv.gz", "-f", "flow ~ log(dist)"], in: dir)
        #expect(text.status == 1 && text.stderr
                == "steppe: error: text_in_numeric.csv.gz:3:7: 'far' in column 'dist' is not a number (the column is declared numeric)\n")
        let bomb = try HostileInputCLITests.run(["fit", "bomb.csv.zst", "-f", "a ~ b"], in: dir, environment: ["STEPPE_MAX_CELL_BYTES": "64K"])
        #expect(bomb.status == 1 && bomb.stderr == "steppe: error: bomb.csv.zst:2:1: a field longer than 64 KiB (65536 bytes): "
                + "not a CSV file? (the environment variable STEPPE_MAX_CELL_BYTES raises the limit)\n")
        let overwrite = try HostileInputCLITests.run(["fit", "od.csv.gz"] + Self.formula + ["-o", "od.csv.gz"], in: dir)
        #expect(overwrite.status == 1 && overwrite.stderr.hasPrefix("steppe: error: cannot write output to od.csv.gz: it is an input of this command"))
        #expect(try [UInt8](Data(contentsOf: dir.appendingPathComponent("od.csv.gz"))) == Self.bytes("od.csv.gz"), "the input is untouched")
    }
}
