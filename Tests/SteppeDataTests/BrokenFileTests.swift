import Foundation
@testable import SteppeData
import SteppeNumerics
import Testing

/// Broken large files (issue 15 part 4): a bad byte near the end of a file that takes the
/// two-halves path, a non-numeric cell in a column used as numbers, an unbalanced quote,
/// and files truncated inside a quoted field. Each error names the line and column, the
/// same from the two-halves reader as from one sequential pass, and is found in that one
/// read (the 1 GB run of the same cases is in the changelog: memory stays at the columns).
@Suite("CSV: broken large files")
struct BrokenFileTests {
    /// Two halves from 64 KiB on, as `ParallelCSVTests`.
    static let parallel: CSVOptions = { var o = CSVOptions(); o.parallelMinimumBytes = 64 << 10; return o }()
    static let sequential: CSVOptions = { var o = CSVOptions(); o.parallel = false; return o }()

    /// The lines of a flows file: a header and `rows` records of 32–38 bytes (about 350 kB
    /// for 10,000 rows, so both halves hold thousands of records).
    static func lines(_ rows: Int) -> [String] {
        var g = SeededRandom(seed: 15)
        var lines = ["origin,destination,flow,distance"]
        for _ in 0..<rows {
            lines.append("r\(100 + g.nextInt(below: 300)),r\(100 + g.nextInt(below: 300)),\(g.nextInt(below: 97)),\(100 + g.nextInt(below: 900_000))")
        }
        return lines
    }

    static func write(_ text: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-broken-\(UUID().uuidString).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The error of reading `path`: sequentially, by the two-halves reader itself (which
    /// must not decline: the file is large and its split is between records), and by
    /// `CSVReader.read` with the parallel options; all three must be the same error.
    static func errors(_ path: String, options extra: (inout CSVOptions) -> Void = { _ in }) throws -> CSVError? {
        var seq = sequential, par = parallel
        extra(&seq)
        extra(&par)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size >= par.parallelMinimumBytes)
        func caught(_ body: () throws -> Void) -> CSVError? {
            do { try body(); return nil } catch { return error as? CSVError }
        }
        let a = caught { _ = try CSVReader.read(path: path, options: seq) }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var declined = false
        let b = caught { declined = try CSVReader.readInTwoHalves(fd, size: size, path: path, options: par) == nil }
        let c = caught { _ = try CSVReader.read(path: path, options: par) }
        #expect(!declined, "the two-halves reader declined")
        #expect(a == b && b == c, "sequential \(String(describing: a)), halves \(String(describing: b)), read \(String(describing: c))")
        return a
    }

    @Test("a NUL byte three lines from the end of the second half: its line and column")
    func nulNearEnd() throws {
        var lines = Self.lines(10_000)
        let k = lines.count - 3
        lines[k] = "r101,r202,17,12\u{0}34"
        let path = Self.write(lines.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        let error = try #require(try Self.errors(path))
        #expect(error.line == k + 1 && error.column == 16, "\(error)")
        #expect(error.message == CSVParser.nulMessage)
    }

    @Test("a word in a numeric column near the end: an error there when the column is used as numbers, text otherwise")
    func wordInNumericColumn() throws {
        var lines = Self.lines(10_000)
        let k = lines.count - 5
        lines[k] = "r101,r202,many,1234"
        let path = Self.write(lines.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        let error = try #require(try Self.errors(path) { $0.numbersExpected = ["flow"] })
        #expect(error.description == "\(path):\(k + 1):11: 'many' in column 'flow' is not a number (the column is declared numeric)")
        // Not expected to be numbers: the column is text, as before (and as R reads it).
        let table = try CSVReader.read(path: path, options: Self.parallel)
        #expect(table["flow"]?.kind == .text && table.rowCount == 10_000)
    }

    @Test("a quote opened near the end and never closed: where it opened")
    func unbalancedQuote() throws {
        var lines = Self.lines(10_000)
        let k = lines.count - 4
        lines[k] = "r101,\"r202,17,1234"
        let path = Self.write(lines.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        let error = try #require(try Self.errors(path))
        #expect(error.description == "\(path):\(k + 1):6: unterminated quoted field (a \" opened here is never closed)")
    }

    @Test("truncated inside a quoted field on the last line, and inside one that holds line breaks")
    func truncatedInsideQuotes() throws {
        var lines = Self.lines(10_000)
        lines[0] += ",note"
        for i in 1..<lines.count { lines[i] += ",n\(i % 7)" }
        // The last record's note opens a quote, holds two line breaks, and the file stops.
        let last = lines.count
        let path = Self.write(lines.joined(separator: "\n") + "\nr101,r202,17,1234,\"Almaty\nAstana\nShym")
        defer { unlink(path) }
        let error = try #require(try Self.errors(path))
        #expect(error.description == "\(path):\(last + 1):19: unterminated quoted field (a \" opened here is never closed)")
    }

    @Test("truncated inside a quoted field that opened more than the cell limit before the end: where it opened")
    func truncatedLongQuotedField() throws {
        var lines = Self.lines(10_000)
        let k = lines.count - 2_000                     // about 70 kB before the end
        lines[k] = "r101,\"r202,17,1234"
        let path = Self.write(lines.joined(separator: "\n") + "\n")
        defer { unlink(path) }
        let error = try #require(try Self.errors(path) { $0.maxCellBytes = 10_000; $0.maxRecordBytes = 40_000 })
        #expect(error.line == k + 1 && error.column == 6, "\(error)")
        #expect(error.message.hasPrefix("a quoted field longer than 10000 bytes: a quote opened here and never closed?"), "\(error)")
    }
}
