import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SteppeData
import SteppeTestFixtures

/// Writers of gzip and Zstandard files in a few lines of Swift, independent of zlib and
/// libzstd: deflate's stored blocks and zstd's raw blocks carry the bytes as they are, so
/// any split into members, frames and blocks, and any damage, is easy to make and to
/// place. The fixtures in `Fixtures/compressed` (made by the gzip and zstd tools and by
/// Python, `make-fixtures.sh`) check the reader against real compressors.
enum CompressedFixtures {
    static let directory = FixtureDirectory(target: "SteppeDataTests")

    /// The path of `Fixtures/compressed/name`.
    static func path(_ name: String) -> String { directory.url("compressed/" + name).path }

    /// The bytes of `Fixtures/compressed/name`.
    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try directory.data("compressed/" + name)) }

    /// A new temporary file holding `bytes`, named `…name`.
    static func temporaryFile(_ bytes: [UInt8], name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("steppe-compressed-\(UUID().uuidString)-\(name)").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// CRC-32 (ISO 3309, as gzip stores it), bit by bit.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func littleEndian(_ x: UInt32, bytes n: Int = 4) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: x >> (8 * UInt32($0))) } }

    /// One gzip member of `data` in stored deflate blocks of at most `blockSize` bytes.
    static func gzipMember(_ data: [UInt8], blockSize: Int = 65_535) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        var start = 0
        repeat {
            let end = min(data.count, start + min(blockSize, 65_535))
            let n = UInt32(end - start)
            out.append(end == data.count ? 1 : 0)           // BFINAL, BTYPE 00 (stored)
            out += littleEndian(n, bytes: 2) + littleEndian(~n & 0xFFFF, bytes: 2)
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + littleEndian(crc32(data)) + littleEndian(UInt32(truncatingIfNeeded: data.count))
    }

    /// One Zstandard frame of `data` in raw blocks of at most `blockSize` bytes (window
    /// 128 KiB, no content size, no checksum).
    static func zstdFrame(_ data: [UInt8], blockSize: Int = 1 << 17) -> [UInt8] {
        var out: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 7 << 3]
        var start = 0
        repeat {
            let end = min(data.count, start + min(blockSize, 1 << 17))
            let header = UInt32(end - start) << 3 | (end == data.count ? 1 : 0)   // Block_Type 0 (raw)
            out += littleEndian(header, bytes: 3) + data[start..<end]
            start = end
        } while start < data.count
        return out
    }

    /// `data` cut at `cuts` (byte offsets), each piece compressed alone by `compress`, joined.
    static func pieces(_ data: [UInt8], at cuts: [Int], _ compress: ([UInt8]) -> [UInt8]) -> [UInt8] {
        let bounds = [0] + cuts + [data.count]
        return (0..<(bounds.count - 1)).flatMap { compress(Array(data[bounds[$0]..<bounds[$0 + 1]])) }
    }

    /// A seeded table as CSV text of `rows` rows: numbers with and without exponents,
    /// missing cells, booleans, text with quotes and line breaks.
    static func text(rows: Int, seed: UInt64 = 16) -> [UInt8] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var out = "id,region,flow,share,border,note\n"
        for i in 0..<rows {
            let r = next()
            let share = r % 19 == 0 ? "NA" : "\(Double(r % 1_000_003) * pow(10, Double(Int(r % 11) - 7)))"
            let note = ["", "plain", "\"a, b\"", "\"two\nlines\"", "\"said \"\"x\"\"\""][Int(r % 5)]
            out += "\(i),R\(r % 37),\(r % 5_000),\(share),\(r % 2 == 0 ? "true" : "false"),\(note)\n"
        }
        return Array(out.utf8)
    }

    /// Whether two tables are the same to the bit: names, kinds, every number's bit pattern
    /// (so NaN and −0 too), every text code and level.
    static func identical(_ a: Table, _ b: Table) -> Bool {
        guard a.rowCount == b.rowCount, a.columnNames == b.columnNames else { return false }
        for (x, y) in zip(a.columns, b.columns) {
            switch (x.values, y.values) {
            case (.numeric(let u), .numeric(let v)), (.boolean(let u), .boolean(let v)):
                guard u.map(\.bitPattern) == v.map(\.bitPattern) else { return false }
            case (.text(let c, let l), .text(let d, let m)):
                guard c == d && l == m else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// The error reading `path` throws, as `file:line:column: message`, or "no error".
    static func error(reading path: String, options: CSVOptions = CSVOptions()) -> String {
        do {
            _ = try CSVReader.read(path: path, options: options)
            return "no error"
        } catch {
            return error.description
        }
    }

    /// The table of the compressed file at `path`, read through `GzipBytes` or `ZstdBytes`
    /// with an input buffer of `inputBytes`.
    static func read(_ path: String, gzip: Bool, inputBytes: Int, options: CSVOptions = CSVOptions()) throws -> Table {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let file = FileBytes(fd: fd, path: path, seekable: true)
        if gzip {
            return try CSVReader.readDecompressed(GzipBytes(file, inputBytes: inputBytes), compressedSize: nil, path: path, options: options)
        }
        return try CSVReader.readDecompressed(ZstdBytes(file, inputBytes: inputBytes), compressedSize: nil, path: path, options: options)
    }

    /// Whether `tool` is on the PATH.
    static func has(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs `tool arguments…` with `input` on its standard input; its standard output.
    static func run(_ tool: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let source = temporaryFile(input, name: "input")
        defer { unlink(source) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardInput = FileHandle(forReadingAtPath: source)
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](out)
    }
}
