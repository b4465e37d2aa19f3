import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// gzip and Zstandard files read as CSV: known by their first bytes, decompressed as they
/// are read, to exactly the table of the plain file; several members and frames read to
/// the end; a truncated, corrupt or padded-with-garbage file is one error naming the file,
/// never a table; a CSV error inside one names the line and column of the text.
@Suite("CSV: gzip and zstd")
struct CompressedCSVTests {
    typealias F = CompressedFixtures

    static let plain = F.path("od.csv")

    /// Files written by the gzip and zstd tools and Python's gzip module (`make-fixtures.sh`).
    static let external = ["od.csv.gz", "od-python.csv.gz", "od.csv.zst", "od-members.csv.gz", "od-frames.csv.zst"]

    @Test("files from gzip, zstd and Python read to the plain file's table, bit for bit, in any chunks", arguments: external)
    func externalWriters(name: String) throws {
        let expected = try CSVReader.read(path: Self.plain)
        #expect(try expected.rowCount == 156 && expected.column("note").kind == .text && expected.column("border").kind == .boolean)
        #expect(F.identical(try CSVReader.read(path: F.path(name)), expected))
        #expect(F.identical(try CSVReader.read(path: F.path(name), options: CSVOptions(chunkSize: 64)), expected), "64-byte chunks")
        for inputBytes in [2, 3, 17, 4_096] {
            let t = try F.read(F.path(name), gzip: name.hasSuffix(".gz"), inputBytes: inputBytes, options: CSVOptions(chunkSize: 100))
            #expect(F.identical(t, expected), "compressed input read \(inputBytes) bytes at a time")
        }
    }

    @Test("gzip members and zstd frames, cut anywhere (inside a record, a quoted field), read completely")
    func membersAndFrames() throws {
        let text = F.text(rows: 8_000)
        let path = F.temporaryFile(text, name: "plain.csv")
        defer { unlink(path) }
        let expected = try CSVReader.read(path: path)
        let cuts = [1, 2, 777, 65_536, text.count / 2, text.count - 1]
        let files: [(String, [UInt8])] = [
            ("members.csv.gz", F.pieces(text, at: cuts) { F.gzipMember($0, blockSize: 1_000) }),
            ("frames.csv.zst", F.pieces(text, at: cuts) { F.zstdFrame($0, blockSize: 999) }),
            ("one.csv.gz", F.gzipMember(text)),
            ("one.csv.zst", F.zstdFrame(text)),
            ("padded.csv.gz", F.gzipMember(text) + [UInt8](repeating: 0, count: 1_000)),
            ("empty-members.csv.gz", F.gzipMember([]) + F.gzipMember(text) + F.gzipMember([])),
        ]
        for (name, bytes) in files {
            let file = F.temporaryFile(bytes, name: name)
            defer { unlink(file) }
            #expect(F.identical(try CSVReader.read(path: file), expected), "\(name)")
            #expect(F.identical(try CSVReader.read(path: file, options: CSVOptions(chunkSize: 4_096)), expected), "\(name), 4 KiB chunks")
        }
    }

    @Test("a file of a megabyte compressed by the gzip and zstd tools at test time, read in many chunks",
          .enabled(if: F.has("gzip") && F.has("zstd")))
    func toolsAtTestTime() throws {
        let text = F.text(rows: 40_000, seed: 7)
        let path = F.temporaryFile(text, name: "big.csv")
        defer { unlink(path) }
        let expected = try CSVReader.read(path: path)
        let chunks = CSVOptions(chunkSize: 64 << 10)
        #expect(text.count > 16 * chunks.chunkSize && expected.rowCount == 40_000, "many chunks")
        for (tool, arguments) in [("gzip", ["-c", "-6"]), ("zstd", ["-c", "-q", "-3"]), ("zstd", ["-c", "-q", "-1", "-T2", "--no-check"])] {
            let compressed = try F.run(tool, arguments, input: text)
            let file = F.temporaryFile(compressed, name: "big.csv." + (tool == "gzip" ? "gz" : "zst"))
            defer { unlink(file) }
            #expect(compressed.count < text.count / 2, "\(tool) compressed")
            #expect(F.identical(try CSVReader.read(path: file), expected), "\(tool) \(arguments)")
            #expect(F.identical(try CSVReader.read(path: file, options: chunks), expected), "\(tool) \(arguments), 64 KiB chunks")
        }
    }

    @Test("a name does not decide: gzip named .csv, plain text named .gz, zstd named .gz all read")
    func misnamed() throws {
        let expected = try CSVReader.read(path: Self.plain)
        for (source, name) in [("od.csv.gz", "data.csv"), ("od.csv", "data.csv.gz"), ("od.csv.zst", "data.csv.gz"), ("od.csv.gz", "data.csv.zst")] {
            let file = F.temporaryFile(try F.bytes(source), name: name)
            defer { unlink(file) }
            #expect(F.identical(try CSVReader.read(path: file), expected), "\(source) as \(name)")
        }
        #expect(CSVCompression.detect([0x1F, 0x8B]) == .gzip && CSVCompression.detect([0x1F]) == .none)
        #expect(CSVCompression.detect([0x5E, 0x2A, 0x4D, 0x18]) == .zstd, "a skippable frame")
        #expect(CSVCompression.detect(Array("x,y\n".utf8)) == .none)
    }

    @Test("a skippable zstd frame before and between frames is passed over")
    func skippableFrames() throws {
        let text = F.text(rows: 500)
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18] + F.littleEndian(5) + [1, 2, 3, 4, 5]
        let file = F.temporaryFile(skippable + F.zstdFrame(Array(text[..<100])) + skippable + F.zstdFrame(Array(text[100...])), name: "skip.csv.zst")
        defer { unlink(file) }
        #expect(F.identical(try CSVReader.read(path: file), try CSVReader.read(bytes: text)))
    }

    @Test("an empty compressed file is an empty CSV file")
    func empty() throws {
        for (name, bytes) in [("empty.csv.gz", F.gzipMember([])), ("empty.csv.zst", F.zstdFrame([]))] {
            let file = F.temporaryFile(bytes, name: name)
            defer { unlink(file) }
            #expect(F.error(reading: file) == "\(file): the file is empty (no header row)")
        }
    }

    @Test("a compressed stream through a pipe reads as the file does")
    func pipe() throws {
        let bytes = try F.bytes("od-members.csv.gz")
        let stream = HostileCSVTests.pipePath { fd in
            var at = 0
            while at < bytes.count {
                let n = min(333, bytes.count - at)
                _ = bytes[at..<(at + n)].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, n) }
                at += n
            }
        }
        let t = try CSVReader.read(path: stream.path)
        stream.close()
        #expect(F.identical(t, try CSVReader.read(path: Self.plain)))
    }
}
