import Foundation
import SteppeTestFixtures
import Testing

/// `steppe convert`: a CSV file (plain, .csv.gz, .csv.zst) into a store, one summary line;
/// `steppe fit STORE.h5` prints what the fit on the CSV prints; bad input is one line on
/// stderr with status 1 and leaves no store (and an existing file unchanged).
@Suite("steppe command line: convert")
struct ConvertCLITests {
    static let fixtures = FixtureDirectory(target: "SteppeDataTests")
    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try fixtures.data("compressed/" + name)) }
    static let formula = ["-f", "flow ~ log(km) + border | origin + destination", "-m", "ppml"]

    @Test("convert prints one line; the fit on the store prints what the fit on the CSV does")
    func convertAndFit() throws {
        let dir = try HostileInputCLITests.directory(["od.csv": try Self.bytes("od.csv"), "od.csv.gz": try Self.bytes("od.csv.gz"),
                                                      "od.csv.zst": try Self.bytes("od.csv.zst")])
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try HostileInputCLITests.run(["fit", "od.csv"] + Self.formula, in: dir)
        #expect(plain.status == 0, "\(plain.stderr)")
        for (input, batch) in [("od.csv", "65536"), ("od.csv.gz", "7"), ("od.csv.zst", "1")] {
            let store = "\(input).h5"
            let run = try HostileInputCLITests.run(["convert", input, store, "--batch-rows", batch], in: dir)
            #expect(run.status == 0 && run.stderr.isEmpty, "\(input): \(run.stderr)")
            let line = try #require(run.stdout.split(separator: "\n").first.map(String.init))
            #expect(run.stdout.split(separator: "\n").count == 1)
            #expect(line.hasPrefix("\(store): 156 rows, 9 columns (5 numeric, 1 boolean, 3 text), ") && line.hasSuffix(" bytes"), "\(line)")
            let fit = try HostileInputCLITests.run(["fit", store] + Self.formula, in: dir)
            #expect(fit.status == 0 && fit.stderr.isEmpty, "\(store): \(fit.stderr)")
            #expect(fit.stdout == plain.stdout.replacingOccurrences(of: "od.csv", with: store), "\(firstDifference(fit.stdout, plain.stdout))")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("bad input: one line, status 1, no store written and an existing file unchanged")
    func badInput() throws {
        let dir = try HostileInputCLITests.directory(["od.csv": try Self.bytes("od.csv"), "kept.h5": Array("old".utf8),
                                                      "mixed.csv": Array("id,v\n1,1.5\n2,2\n3,three\n".utf8),
                                                      "ragged.csv": Array("a,b\n1,2\n3\n".utf8), "notastore.h5": Array("a,b\n1,2\n".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["convert", "missing.csv", "x.h5"], "steppe: error: missing.csv: cannot open: No such file or directory\n"),
            (["convert", "od.csv", "od.csv"], "steppe: error: cannot write output to od.csv: it is an input of this command; nothing was written, choose another output path\n"),
            (["convert", "ragged.csv", "kept.h5"], "steppe: error: ragged.csv:3: 1 field where the header has 2\n"),
            (["convert", "mixed.csv", "kept.h5", "--batch-rows", "2"],
             "steppe: error: mixed.csv:4:3: 'three' in column 'v', which earlier batches of rows read as numbers: a file read in batches "
             + "cannot change a column's kind once rows have been handed over; declare the column text (--text 'v')\n"),
            (["convert", "od.csv", "no/such/dir/x.h5"], "steppe: error: cannot create the store no/such/dir/x.h5: No such file or directory\n"),
            (["convert", "od.csv", "."], "steppe: error: cannot write the store to .: it is a directory\n"),
            (["fit", "notastore.h5", "-f", "b ~ a"], "steppe: error: notastore.h5: not an HDF5 file, so not a column store (write one with `steppe convert FILE.csv STORE.h5`)\n"),
        ]
        for (arguments, expected) in cases {
            let run = try HostileInputCLITests.run(arguments, in: dir)
            #expect(run.status == 1 && run.stdout.isEmpty, "\(arguments)")
            #expect(run.stderr == expected, "\(arguments)")
        }
        #expect(try Data(contentsOf: dir.appendingPathComponent("kept.h5")) == Data("old".utf8), "a failed convert leaves the file")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(files == ["od.csv", "kept.h5", "mixed.csv", "ragged.csv", "notastore.h5"], "no store or temporary file is left")
        let declared = try HostileInputCLITests.run(["convert", "mixed.csv", "kept.h5", "--batch-rows", "2", "--text", "v"], in: dir)
        #expect(declared.status == 0 && declared.stdout == "kept.h5: 3 rows, 2 columns (1 numeric, 1 text), \(Self.size(dir, "kept.h5")) bytes\n",
                "\(declared.stdout)\(declared.stderr)")
        let zero = try HostileInputCLITests.run(["convert", "od.csv", "z.h5", "--batch-rows", "0"], in: dir)
        #expect(zero.status == 64 && zero.stderr == "steppe: error: --batch-rows must be a positive number of rows, not 0\n", "\(zero.stderr)")
    }

    static func size(_ dir: URL, _ name: String) -> String {
        let n = ((try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path))?[.size] as? Int) ?? 0
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
