import Foundation
@testable import SteppeData
import SteppeNumerics
import Testing

/// Large files are read as two halves on two threads; the result must be the sequential one.
@Suite("CSV: reading in two halves")
struct ParallelCSVTests {
    /// Two halves from 64 KiB on, so that small files exercise the parallel path.
    static let parallel: CSVOptions = { var o = CSVOptions(); o.parallelMinimumBytes = 64 << 10; return o }()

    /// A file of about 500 kB: numbers, text, booleans, missing cells, and quoted fields
    /// with commas, doubled quotes and line breaks.
    static func writeFile(_ rows: Int, lastRow: String? = nil, textAfter: Int? = nil) throws -> String {
        var g = SeededRandom(seed: 99)
        var text = "id,value,region,flag,note\n"
        for i in 0..<rows {
            let v = textAfter.map { i >= $0 ? "n/a\(i % 3)" : "\(g.nextNormal())" } ?? (i % 97 == 0 ? "" : "\(g.nextNormal())")
            let note = i % 50 == 0 ? "\"line one\nline \"\"two\"\", with comma\"" : (i % 7 == 0 ? "NA" : "plain \(i % 13)")
            text += "\(i),\(v),r\(g.nextInt(below: 40)),\(i % 2 == 0 ? "true" : "false"),\(note)\n"
        }
        if let lastRow { text += lastRow }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-parallel-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The two-halves reader alone: its table, or nil when it declines.
    static func halves(_ path: String) throws -> Table? {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        return try CSVReader.readInTwoHalves(fd, size: size, path: path, options: parallel)
    }

    @Test("the same table as a sequential read, quoted line breaks included")
    func sameAsSequential() throws {
        let path = try Self.writeFile(8_000)
        defer { unlink(path) }
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int >= Self.parallel.parallelMinimumBytes)
        var sequential = CSVOptions()
        sequential.parallel = false
        let a = try CSVReader.read(path: path, options: Self.parallel), b = try CSVReader.read(path: path, options: sequential)
        #expect(a.rowCount == 8_000)
        #expect(try Self.halves(path) != nil, "the two-halves path declined")
        #expect(a.columns.map(\.kind) == b.columns.map(\.kind))
        #expect(CSVWriter.text(a) == CSVWriter.text(b))
    }

    /// Variants of file layout that the split must handle exactly as one pass does.
    static let variants = ["crlf", "bom", "no-final-newline", "blank-lines", "quoted-commas", "header-only-first-half", "one-long-line-middle",
                           "quoted-line-breaks-across-middle"]

    @Test("layouts: CRLF, BOM, no final newline, blank lines, quoted commas, uneven halves", arguments: variants)
    func layouts(_ variant: String) throws {
        var g = SeededRandom(seed: 7)
        var rows: [String] = []
        let count = variant == "header-only-first-half" ? 3 : 4_000
        for i in 0..<count {
            var note = "n\(g.nextInt(below: 9))"
            if variant == "quoted-commas" && i % 3 == 0 { note = "\"a, b, \"\"c\"\"\"" }
            if variant == "one-long-line-middle" && i == count / 2 { note = "\"" + String(repeating: "x", count: 200_000) + "\"" }
            // 40 kB of quoted line breaks around the middle: the first line end after the
            // middle is inside quotes, so the halves must decline.
            if variant == "quoted-line-breaks-across-middle" && i == count / 2 { note = "\"" + String(repeating: "x\n", count: 20_000) + "\"" }
            rows.append("\(i),\(g.nextNormal()),\(i % 5 == 0 ? "" : "t\(i % 4)"),\(note)")
            if variant == "blank-lines" && i % 100 == 0 { rows.append("") }
        }
        var text = "id,value,kind,note\n"
        let sep = variant == "crlf" ? "\r\n" : "\n"
        text = (variant == "crlf" ? "id,value,kind,note\r\n" : text) + rows.joined(separator: sep) + (variant == "no-final-newline" ? "" : sep)
        var bytes = Array(text.utf8)
        if variant == "bom" { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-layout-\(UUID().uuidString).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { unlink(path) }
        var small = Self.parallel
        small.parallelMinimumBytes = variant == "header-only-first-half" ? 10 : 1_000
        var sequential = CSVOptions()
        sequential.parallel = false
        let a = try CSVReader.read(path: path, options: small), b = try CSVReader.read(path: path, options: sequential)
        #expect(a.rowCount == count)
        #expect(a.columns.map(\.kind) == b.columns.map(\.kind))
        #expect(CSVWriter.text(a) == CSVWriter.text(b))
        if variant == "quoted-line-breaks-across-middle" {
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            #expect(try CSVReader.readInTwoHalves(fd, size: bytes.count, path: path, options: small) == nil,
                    "a split inside a quoted field must be refused")
            #expect(try a.column("note").text(at: count / 2).count == 40_000)
        }
    }

    @Test("a column numeric in one half and text in the other is inferred as one pass would")
    func kindsDisagree() throws {
        let path = try Self.writeFile(8_000, textAfter: 6_000)
        defer { unlink(path) }
        var sequential = CSVOptions()
        sequential.parallel = false
        let a = try CSVReader.read(path: path, options: Self.parallel), b = try CSVReader.read(path: path, options: sequential)
        #expect(try a.column("value").kind == .text)
        #expect(try Self.halves(path) == nil, "the two-halves path should decline when the kinds disagree")
        #expect(CSVWriter.text(a) == CSVWriter.text(b))
    }

    @Test("an error in the second half names the file's line")
    func errorLine() throws {
        let path = try Self.writeFile(8_000, lastRow: "1,2,3\n")
        defer { unlink(path) }
        // 1 header line + 8,000 records of which every 50th spans two lines.
        let expectedLine = 1 + 8_000 + 8_000 / 50 + 1
        #expect(throws: CSVError.self) { try CSVReader.read(path: path, options: Self.parallel) }
        do { _ = try CSVReader.read(path: path, options: Self.parallel) } catch {
            #expect(error.line == expectedLine, "\(error)")
            #expect(error.message == "3 fields where the header has 5")
        }
    }

    @Test("an error in the first half is reported as a sequential read reports it")
    func errorInFirstHalf() throws {
        var text = "id,value\n"
        for i in 0..<20_000 { text += i == 100 ? "1,2,3\n" : "\(i),\(Double(i) / 3)\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-first-half-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        do {
            _ = try CSVReader.read(path: path, options: Self.parallel)
            Issue.record("a ragged row must fail the read")
        } catch {
            #expect(error.line == 102 && error.message == "3 fields where the header has 2", "\(error)")
        }
    }
}

