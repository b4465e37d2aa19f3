import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Inputs the fuzzers (Fuzz/, `scripts/fuzz`) found, each a bug fixed: the decimal parser
/// against strtod, and the CSV reader read in memory, from a file in small chunks, in two
/// halves, and after a round trip through `CSVWriter`.
@Suite("Fuzz regressions: CSV and numbers")
struct FuzzRegressionDataTests {
    static func parse(_ bytes: [UInt8]) -> Double? { bytes.withUnsafeBufferPointer { DecimalParser.parse($0) } }

    static func temporaryFile(_ text: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-fuzzreg-\(UUID().uuidString).csv").path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// FuzzDecimal: "\r1" parsed as 1, since strtod skips leading white space and only a
    /// space was refused; "\n19", "\t1.5", "\u{0B}5" and "\u{0C}5" likewise.
    @Test("a number with leading white space other than a space is not a number", arguments: [9, 10, 11, 12, 13, 32] as [UInt8])
    func leadingWhiteSpace(_ space: UInt8) {
        #expect(Self.parse([space, UInt8(ascii: "1")]) == nil)
        #expect(Self.parse([space] + Array("1.5e3".utf8)) == nil)
        #expect(Self.parse([space] + Array("123456789012345678901234".utf8)) == nil, "the strtod path too")
        #expect(Self.parse(Array("-12.5".utf8)) == -12.5)
    }

    @Test("a cell of a vertical tab and a number, or a quoted line break and a number, is text")
    func whiteSpaceCellsAreText() throws {
        let t = try CSVReader.read(text: "a,b\n\u{0B}5,1\n\"\n6\",2\n")
        #expect(try t.column("a").kind == .text)
        #expect(try t.column("a").text(at: 0) == "\u{0B}5" && t.column("a").text(at: 1) == "\n6")
        #expect(try t.column("b").numbers == [1, 2])
    }

    /// FuzzCSV round trip: "x\r\ny" is one Character, equal to neither "\r" nor "\n", so the
    /// writer left the field unquoted and the text read back as two records.
    @Test("the writer quotes a CRLF, and a space that a combining mark follows, inside text")
    func writerQuotesByBytes() throws {
        let t = try CSVReader.read(text: "a,b\n\"x\r\ny\",1\n\" \u{301}z\",2\n")
        #expect(try t.column("a").text(at: 0) == "x\r\ny")
        #expect(CSVWriter.field("x\r\ny") == "\"x\r\ny\"")
        #expect(CSVWriter.field(" \u{301}z") == "\" \u{301}z\"")
        let back = try CSVReader.read(text: CSVWriter.text(t))
        #expect(back.rowCount == 2)
        #expect(try Array(back.column("a").text(at: 0).utf8) == Array("x\r\ny".utf8))
        #expect(try Array(back.column("a").text(at: 1).utf8) == Array(" \u{301}z".utf8))
    }

    /// FuzzCSV two halves: the second half's column was numbers ("nan" among them, which a
    /// numeric column reads as missing) before it met text, so it had respelled them
    /// ("nan" became a missing cell, "1e309" "inf"), while one pass, already in a text
    /// column, kept them as written. The halves are now joined only when the second became
    /// text at its first cell; otherwise the file is read in one pass.
    @Test("two halves give the one-pass table when the second half became text after numbers")
    func halvesWithPromotedText() throws {
        for text in ["x\n1e308\n1e309\n~-0\n.5\n5.\n4.9e-324\nnan\ninf\n-inf\n0x10\n",
                     "x\na\nb\nc\nd\ne\nf\n1.50\nnan\n007\nz\n"] {
            let path = Self.temporaryFile(text)
            defer { unlink(path) }
            var sequential = CSVOptions(), parallel = CSVOptions()
            sequential.parallel = false
            parallel.parallelMinimumBytes = 0
            let a = try CSVReader.read(path: path, options: sequential), b = try CSVReader.read(path: path, options: parallel)
            #expect(try a.column("x").kind == .text)
            #expect(a == b, "\(text.debugDescription)")
            #expect(try (0..<b.rowCount).map { try b.column("x").isMissing($0) } == [Bool](repeating: false, count: b.rowCount))
        }
    }

    /// FuzzCSV round trip: an unquoted header name kept a lone CR (cells with one were
    /// refused, names were not), which the writer quoted and the reader then took as the
    /// file's line end.
    @Test("a lone CR in an unquoted header name is an error naming its line and column")
    func carriageReturnInHeader() {
        #expect(HostileCSVTests.error(reading: "\ntruelse\rNA,T\n1,2\n")
                == "<data>:2:8: " + CSVParser.carriageReturnMessage)
        #expect(HostileCSVTests.error(reading: "\na\rb,c\n1,2\n") == "<data>:2:2: " + CSVParser.carriageReturnMessage)
    }

    /// FuzzCSV round trip: the line-end convention was that of the first CR or LF even
    /// inside quotes, so a quoted lone CR in the header (kept as data in a file whose lines
    /// end in LF, and written back quoted) made the file an old-Mac one when read again,
    /// and the CR became an LF.
    @Test("a quoted lone CR in the first record does not decide the line ends")
    func quotedCarriageReturnInHeader() throws {
        for text in ["\"a\rb\",c\n1,2\n", "\n\"a\rb\",c\n1,2\n", "h\n\"x\ry\"\n"] {
            let t = try CSVReader.read(text: text)
            let back = try CSVReader.read(text: CSVWriter.text(t))
            #expect(t == back, "\(text.debugDescription)")
            #expect(t.columnNames.contains("a\rb") || t.columnNames == ["h"])
            let path = Self.temporaryFile(text)
            defer { unlink(path) }
            var small = CSVOptions(chunkSize: 64)
            small.parallel = false
            #expect(try CSVReader.read(path: path, options: small) == t, "streamed")
            small.parallel = true
            small.parallelMinimumBytes = 0
            #expect(try CSVReader.read(path: path, options: small) == t, "two halves")
        }
        // An old-Mac file is still one: its first line end outside quotes is a lone CR.
        let mac = try CSVReader.read(text: "a,\"b\rc\"\r1,2\r")
        #expect(mac.columnNames == ["a", "b\nc"] && mac.rowCount == 1)
    }
}
