import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Files that are not quite CSV, or not CSV at all: spaces around numbers, old-Mac and
/// mixed line endings, NUL bytes, cells and records past the limits, streams that never
/// end a line. Each is read as the documentation says or fails with one error that names
/// the line and column, in bounded memory.
@Suite("CSV: hostile input")
struct HostileCSVTests {
    static func temporaryFile(_ bytes: [UInt8]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-hostile-\(UUID().uuidString).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// The error reading `text` throws, as `file:line:column: message`.
    static func error(reading text: String, options: CSVOptions = CSVOptions()) -> String {
        do {
            _ = try CSVReader.read(text: text, options: options)
            return "no error"
        } catch {
            return error.description
        }
    }

    // MARK: Spaces and tabs around cells

    /// Records without quotes (the fast path) and the same records with a quoted extra
    /// field (the general path).
    static let spaced = ["1,  3 ,  Almaty ,true ", "2,\t4,Astana,\tfalse", "3,5 \t,   ,  NA", "4, -2.5e1 ,Almaty,FALSE"]

    @Test("unquoted cells lose their leading and trailing spaces and tabs, on both paths", arguments: [false, true])
    func unquotedCellsAreTrimmed(general: Bool) throws {
        let text = "id,x,t,b" + (general ? ",q" : "") + "\n" + Self.spaced.map { $0 + (general ? ",\"q\"" : "") + "\n" }.joined()
        let t = try CSVReader.read(text: text)
        let x = try t.column("x"), name = try t.column("t"), b = try t.column("b")
        #expect(x.kind == .numeric && x.numbers == [3, 4, 5, -25], "numbers with spaces around them are numbers")
        guard case .text(let codes, let levels) = name.values else { Issue.record("t is text"); return }
        #expect(levels == ["Almaty", "Astana"] && codes == [0, 1, -1, 0], "' Almaty ' and 'Almaty' are one level; blanks are missing")
        #expect(b.kind == .boolean && b.isMissing(2) && b.numbers?[0] == 1 && b.numbers?[3] == 0, "'  NA' is missing")
    }

    @Test("quoted cells are kept as written; a declared number with quoted spaces says why it fails")
    func quotedCellsAreKept() throws {
        let t = try CSVReader.read(text: "x,t\n\" 3 \",\" Almaty \"\n4,Almaty\n")
        #expect(try t.column("x").kind == .text && t.column("x").text(at: 0) == " 3 ")
        #expect(try t.column("t").text(at: 0) == " Almaty " && t.column("t").text(at: 1) == "Almaty")
        let declared = CSVOptions(columnKinds: ["x": .numeric])
        #expect(Self.error(reading: "x\n\" 3 \"\n", options: declared)
                == "<data>:2:1: ' 3 ' in column 'x' is not a number (the column is declared numeric); quoted cells are read as written: remove the quotes or the spaces")
        // The writer quotes what the reader would trim, so text survives a round trip.
        let round = try CSVReader.read(text: CSVWriter.text(t))
        #expect(try round.column("t").text(at: 0) == " Almaty ")
        #expect(CSVWriter.field("\tx") == "\"\tx\"")
    }

    @Test("spaced numbers read the same in two halves as in one pass")
    func trimmedInTwoHalves() throws {
        var text = "id,value,region\n"
        for i in 0..<8_000 { text += "\(i),\(i % 3 == 0 ? "  " : "")\(Double(i) / 8)\(i % 5 == 0 ? "\t" : ""), r\(i % 17) \n" }
        let path = Self.temporaryFile(Array(text.utf8))
        defer { unlink(path) }
        var sequential = CSVOptions()
        sequential.parallel = false
        let a = try CSVReader.read(path: path, options: ParallelCSVTests.parallel), b = try CSVReader.read(path: path, options: sequential)
        #expect(try ParallelCSVTests.halves(path) != nil, "the two-halves path declined")
        #expect(try a.column("value").kind == .numeric && a.column("value").numbers?[7_999] == 7_999.0 / 8)
        #expect(try a.column("region").text(at: 3) == "r3")
        #expect(CSVWriter.text(a) == CSVWriter.text(b))
    }

    // MARK: Line endings

    @Test("old-Mac files (CR alone) are read as CR-separated records, in memory and streamed")
    func carriageReturnFiles() throws {
        let t = try CSVReader.read(text: "y,x\r1,2\r3,4\r")
        #expect(try t.columnNames == ["y", "x"] && t.rowCount == 2 && t.column("x").numbers == [2, 4])
        // A line break inside quotes reads as LF; CRLF and LF after a first lone CR still end lines.
        let q = try CSVReader.read(text: "a,b\r1,\"x\ry\"\r2,z\r\n3,w\n4,v")
        #expect(try q.rowCount == 4 && q.column("b").text(at: 0) == "x\ny" && q.column("a").numbers == [1, 2, 3, 4])
        // Streamed in 64-byte chunks, so that CRs fall on every chunk boundary; BOM too.
        var lines = ["id,value,label"]
        for i in 0..<500 { lines.append("\(i),\(Double(i) / 3),\"l\(i % 7)\"") }
        let path = Self.temporaryFile([0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r") + "\r").utf8))
        defer { unlink(path) }
        let streamed = try CSVReader.read(path: path, options: CSVOptions(chunkSize: 64))
        let reference = try CSVReader.read(text: lines.joined(separator: "\n") + "\n")
        #expect(CSVWriter.text(streamed) == CSVWriter.text(reference))
    }

    @Test("a large old-Mac file is read in one pass, not split at an LF it does not have")
    func carriageReturnFilesAreNotSplit() throws {
        var text = "id,value\r"
        for i in 0..<20_000 { text += "\(i),\(Double(i) / 7)\r" }
        let path = Self.temporaryFile(Array(text.utf8))
        defer { unlink(path) }
        #expect(try ParallelCSVTests.halves(path) == nil)
        let t = try CSVReader.read(path: path, options: ParallelCSVTests.parallel)
        #expect(try t.rowCount == 20_000 && t.column("value").numbers?[19_999] == 19_999.0 / 7)
    }

    @Test("a header longer than one probe (120 kB) still lets an LF file be read in two halves")
    func wideHeaderIsSplit() throws {
        let columns = 12_000
        var text = (1...columns).map { "column\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<30 { text += (0..<columns).map { "\(($0 + i) % 10)" }.joined(separator: ",") + "\n" }
        let path = Self.temporaryFile(Array(text.utf8))
        defer { unlink(path) }
        let halves = try #require(try ParallelCSVTests.halves(path))
        #expect(try halves.rowCount == 30 && halves.columns.count == columns && halves.column("column7").numbers?[29] == Double((6 + 29) % 10))
    }

    @Test("a CR alone inside a field of an LF file is an error naming mixed line endings")
    func mixedLineEndings() {
        #expect(Self.error(reading: "a,b\n1,2\n3,x\ry\n") == "<data>:3:4: " + CSVParser.carriageReturnMessage)
        #expect(Self.error(reading: "a,b\n1,2\r3,4\n") == "<data>:2:4: " + CSVParser.carriageReturnMessage, "two lines joined")
        // The same with a quoted field (the general path): the field count fails first, and says why.
        #expect(Self.error(reading: "a,b\n\"1\",2\r3,4\n")
                == "<data>:2: 3 fields where the header has 2; column 6 holds a carriage return that no line feed follows: mixed line endings?")
        // A CR before a delimiter or the line end is not data, as before.
        #expect(try! CSVReader.read(text: "a,b\n1\r,2\r\n").column("a").numbers == [1])
    }

    // MARK: NUL bytes

    @Test("a NUL byte is an error at its line and column, wherever it is")
    func nulBytes() throws {
        let nul = CSVParser.nulMessage
        #expect(Self.error(reading: "a,b\n1,2\n3,\u{0}4\n") == "<data>:3:3: " + nul)
        #expect(Self.error(reading: "a,b\n1,2\n3,4\u{0}\n") == "<data>:3:4: " + nul, "in a numeric column")
        #expect(Self.error(reading: "a,b\n1,\"x\ny\u{0}\"\n") == "<data>:3:2: " + nul, "in a quoted field, after a line break")
        #expect(Self.error(reading: "a\u{0},b\n1,2\n") == "<data>:1:2: " + nul, "in the header")
        #expect(Self.error(reading: "a,b\n1,\u{0}\n", options: CSVOptions(columnKinds: ["b": .numeric])) == "<data>:2:3: " + nul,
                "a NUL, not 'not a number', in a declared column")
        do {
            _ = try CSVReader.read(path: "/dev/zero")
            Issue.record("/dev/zero must fail")
        } catch {
            #expect(error.description == "/dev/zero:1:1: " + nul)
        }
    }

    // MARK: Limits

    @Test("a cell over maxCellBytes is an error at the cell; an unclosed quote at its quote")
    func cellLimit() throws {
        var options = CSVOptions()
        options.maxCellBytes = 100
        #expect(Self.error(reading: "a,b\n1," + String(repeating: "x", count: 200) + "\n", options: options)
                == "<data>:2:3: a field longer than 100 bytes: not a CSV file? (CSVOptions.maxCellBytes raises the limit)")
        // From a file: the quote is never closed, and the read stops at the limit, not at the end.
        options.maxCellBytes = 1_000
        let path = Self.temporaryFile(Array(("a,b\n1,2\n3,\"" + String(repeating: "x\n", count: 5_000)).utf8))
        defer { unlink(path) }
        do {
            _ = try CSVReader.read(path: path, options: options)
            Issue.record("an unclosed quote must fail")
        } catch {
            #expect(error.description == "\(path):3:3: a quoted field longer than 1000 bytes: a quote opened here and never closed? (CSVOptions.maxCellBytes raises the limit)")
        }
        options.maxCellBytes = 1 << 20
        #expect(CSVParser.describe(bytes: 1 << 20) == "1 MiB (1048576 bytes)")
    }

    @Test("a record over maxRecordBytes is an error at its line; so is a record with too many fields, early")
    func recordLimit() throws {
        var options = CSVOptions()
        options.maxRecordBytes = 1_000
        #expect(Self.error(reading: "a,b\n" + String(repeating: "1,", count: 600) + "1\n", options: options)
                == "<data>:2: a record longer than 1000 bytes: not a CSV file? (CSVOptions.maxRecordBytes raises the limit)")
        // 100,000 fields where the header has 2: counted, not held.
        #expect(Self.error(reading: "a,b\n1,2\n" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "\n")
                == "<data>:3: 100000 fields where the header has 2")
    }

    /// A pipe's read end as a path (`/dev/fd/N`), fed by `write` on another thread.
    static func pipePath(writing write: @escaping @Sendable (Int32) -> Void) -> (path: String, close: () -> Void) {
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            write(writeEnd)
            Glibc.close(writeEnd)
            done.signal()
        }
        // Closing the read end first lets a writer blocked on a full pipe fail and finish.
        return ("/dev/fd/\(readEnd)", { Glibc.close(readEnd); done.wait() })
    }

    @Test("a pipe is read as a stream: a whole file in small writes, and one that never ends a line")
    func streams() throws {
        signal(SIGPIPE, SIG_IGN)     // the writer of the endless stream outlives the reader
        let good = Self.pipePath { fd in
            let rows = (0..<3_000).map { "\($0),\(Double($0) / 4)\n" }
            _ = "id,v\n".withCString { Glibc.write(fd, $0, 5) }
            for r in rows { _ = r.withCString { Glibc.write(fd, $0, strlen($0)) } }
        }
        let t = try CSVReader.read(path: good.path)
        good.close()
        #expect(try t.rowCount == 3_000 && t.column("v").numbers?[2_999] == 2_999.0 / 4)

        var options = CSVOptions(chunkSize: 16 << 10)
        options.maxRecordBytes = 64 << 10
        let endless = Self.pipePath { fd in
            let piece = Array(String(repeating: "1,", count: 4_096).utf8)
            for _ in 0..<64 where piece.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress!, $0.count) }) > 0 {}
        }
        defer { endless.close() }
        do {
            _ = try CSVReader.read(path: endless.path, options: options)
            Issue.record("a stream without line ends must fail")
        } catch {
            #expect(error.description == "\(endless.path):1: no line end within 64 KiB (65536 bytes), the longest a record may be: not a CSV file? (CSVOptions.maxRecordBytes raises the limit)")
        }
    }
}
