import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import Testing

/// Damaged compressed files: each is one error that names the file and what is wrong
/// (truncated, corrupt, garbage after the data), never a table built from part of it; a
/// CSV error inside a sound compressed file is the plain file's error, line and column.
@Suite("CSV: damaged gzip and zstd files")
struct CompressedCSVErrorTests {
    typealias F = CompressedFixtures

    static let truncatedTail = "bytes of CSV: the file ends inside the compressed data (an incomplete download or copy?)"

    @Test("a file cut anywhere is a truncated stream, with the bytes of CSV before the cut",
          arguments: ["od.csv.gz", "od.csv.zst", "od-members.csv.gz", "od-frames.csv.zst"])
    func truncated(name: String) throws {
        let bytes = try F.bytes(name)
        let format = name.hasSuffix(".gz") ? "gzip" : "zstd"
        // The end of the first member or frame is a complete file of its own: not a cut to find.
        let boundaries = name.contains("members") || name.contains("frames") ? [Self.secondPiece(bytes, gzip: format == "gzip")] : []
        for length in Array(stride(from: 4, to: bytes.count, by: 61)) + [bytes.count - 4, bytes.count - 1] where !boundaries.contains(length) {
            let file = F.temporaryFile(Array(bytes[..<length]), name: name)
            defer { unlink(file) }
            let error = F.error(reading: file)
            #expect(error.hasPrefix("\(file): truncated \(format) stream after ") && error.hasSuffix(Self.truncatedTail), "cut at \(length): \(error)")
        }
        // Without the last byte of its check, all the text was read (zstd gives a block
        // only once it is whole: the second frame of od-frames has no checksum).
        guard !name.contains("frames") else { return }
        let file = F.temporaryFile(Array(bytes.dropLast()), name: name)
        defer { unlink(file) }
        #expect(F.error(reading: file) == "\(file): truncated \(format) stream after 10781 \(Self.truncatedTail)", "all the text, not its end")
    }

    /// Where the second member or frame of `bytes` starts: the first gzip header (1F 8B 08)
    /// or zstd magic number after the first.
    static func secondPiece(_ bytes: [UInt8], gzip: Bool) -> Int {
        let magic: [UInt8] = gzip ? [0x1F, 0x8B, 0x08] : [0x28, 0xB5, 0x2F, 0xFD]
        return (4..<(bytes.count - magic.count)).first { Array(bytes[$0..<($0 + magic.count)]) == magic } ?? bytes.count
    }

    @Test("a byte changed anywhere in the compressed data or its check is an error naming the file, never a table",
          arguments: ["od.csv.gz", "od.csv.zst"])
    func corrupt(name: String) throws {
        let bytes = try F.bytes(name)
        let gzip = name.hasSuffix(".gz")
        // gzip's header bytes 4–9 (time, flags for the compressor, system) are not checked by
        // any reader; zstd's frame header is, and its checksum covers the data.
        for k in stride(from: gzip ? 10 : 4, to: bytes.count, by: 5) {
            var damaged = bytes
            damaged[k] ^= 0xFF
            let file = F.temporaryFile(damaged, name: name)
            defer { unlink(file) }
            let error = F.error(reading: file)
            let named = error.hasPrefix("\(file): corrupt \(gzip ? "gzip" : "zstd") stream after ")
                || error.hasPrefix("\(file): truncated \(gzip ? "gzip" : "zstd") stream after ")
                || error.hasPrefix("\(file): bytes that are not gzip data after the end of gzip member 1 ")
            #expect(named, "byte \(k): \(error)")
        }
    }

    @Test("a damaged byte that makes bad CSV reports the damage, not the CSV error; one that parses fails at the check")
    func damageBeforeTheCheck() throws {
        let text = Array("id,x\n".utf8) + Array((0..<2_000).map { "\($0),\($0 * 7)\n" }.joined().utf8)
        let member = F.gzipMember(text)
        let at = member.count / 2                       // a byte of the CSV, stored as it is
        for (replacement, what) in [(UInt8(ascii: "\""), "a stray quote"), (member[at] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1"), "another digit")] {
            var damaged = member
            damaged[at] = replacement
            let file = F.temporaryFile(damaged, name: "damaged.csv.gz")
            defer { unlink(file) }
            #expect(F.error(reading: file) == "\(file): corrupt gzip stream after \(text.count) bytes of CSV (zlib: incorrect data check, at byte \(member.count - 4) of the file)", "\(what)")
        }
        var wrongLength = member
        wrongLength[member.count - 1] ^= 1
        let file = F.temporaryFile(wrongLength, name: "length.csv.gz")
        defer { unlink(file) }
        #expect(F.error(reading: file).contains("zlib: incorrect length check"))
    }

    @Test("bytes after the compressed data that are not another member or frame are an error; zero padding after gzip is not")
    func trailingGarbage() throws {
        let gz = try F.bytes("od.csv.gz"), zst = try F.bytes("od.csv.zst")
        let garbage = Array("hello\n".utf8)
        let file = F.temporaryFile(gz + garbage, name: "garbage.csv.gz")
        defer { unlink(file) }
        #expect(F.error(reading: file) == "\(file): bytes that are not gzip data after the end of gzip member 1 (at byte \(gz.count) of the file, "
                + "after 10781 bytes of CSV): a damaged file, or something appended to it?")
        let padded = F.temporaryFile(gz + [0, 0, 0] + [1], name: "padded.csv.gz")
        defer { unlink(padded) }
        #expect(F.error(reading: padded).contains("bytes that are not gzip data after the end of gzip member 1"), "zeros then garbage")
        let z = F.temporaryFile(zst + garbage, name: "garbage.csv.zst")
        defer { unlink(z) }
        #expect(F.error(reading: z).hasPrefix("\(z): corrupt zstd stream after 10781 bytes of CSV (zstd: "))
        let zeros = F.temporaryFile(zst + [0, 0, 0, 0], name: "zeros.csv.zst")
        defer { unlink(zeros) }
        #expect(F.error(reading: zeros).hasPrefix("\(zeros): corrupt zstd stream after 10781 bytes of CSV"), "as zstd -d refuses it")
    }

    @Test("a CSV error inside a compressed file names the line and column of the text, as for the plain file")
    func csvErrorsInside() throws {
        // Every seventh note holds a line break, so lines and records differ.
        let rows = (0..<3_000).map { "\($0),\($0 % 7 == 0 ? "\"a\nb\"" : "p"),\($0 * 7)\n" }
        for (row, damage) in [(1_234, { (s: String) in s.dropLast() + ",extra\n" }), (2_500, { (s: String) in s.replacingOccurrences(of: ",p,", with: ",p\"q,") })] {
            var broken = rows
            broken[row] = damage(broken[row])
            let text = Array(("id,note,x\n" + broken.joined()).utf8)
            let plain = F.temporaryFile(text, name: "broken.csv")
            defer { unlink(plain) }
            let expected = F.error(reading: plain)
            #expect(expected.hasPrefix("\(plain):\(row + 2 + (row + 6) / 7):"), "\(expected)")
            for (name, bytes) in [("broken.csv.gz", F.pieces(text, at: [text.count / 3]) { F.gzipMember($0, blockSize: 4_000) }),
                                  ("broken.csv.zst", F.zstdFrame(text, blockSize: 3_000))] {
                let file = F.temporaryFile(bytes, name: name)
                defer { unlink(file) }
                #expect(F.error(reading: file) == file + expected.dropFirst(plain.count), "\(name)")
            }
        }
    }

    @Test("a compressed line that never ends fails at the limits, within them, as a plain stream does")
    func bomb() throws {
        // 64 MiB of one cell in 2 KB (zstd -19): refused after the cell limit (1 MiB).
        let path = F.path("bomb.csv.zst")
        #expect(F.error(reading: path)
                == "\(path):2:1: a field longer than 1 MiB (1048576 bytes): not a CSV file? (CSVOptions.maxCellBytes raises the limit)")
        var options = CSVOptions()
        options.maxCellBytes = 8 << 20
        #expect(F.error(reading: path, options: options)
                == "\(path):2: no line end within 4 MiB (4194304 bytes), the longest a record may be: not a CSV file? (CSVOptions.maxRecordBytes raises the limit)")
    }
}
