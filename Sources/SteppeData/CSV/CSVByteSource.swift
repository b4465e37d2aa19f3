#if canImport(Glibc)
import Glibc
#endif

/// Where `CSVReader.stream` gets its bytes: a file read as it is (`FileBytes`), or one
/// decompressed on the way (`GzipBytes`, `ZstdBytes`). The reader asks for as many bytes
/// as its buffer has room for, so the parser, its limits and its line and column counts
/// work on the CSV text whatever the file holds.
protocol CSVByteSource {
    /// Fills up to `count` bytes at `destination` and returns how many: fewer than
    /// `count` only at the end of the data, and 0 once the end is reached. A source that
    /// is damaged (a read that fails, a truncated or corrupt compressed stream) throws.
    mutating func read(into destination: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int
}

/// The bytes of an open file, from `start` to `end` (its end when `nil`): one `pread` at
/// a time for a regular file, `read` for a stream (a pipe, a FIFO, a device), as
/// `CSVReader.readBytes` does. Bytes a stream gave to `peek` are given again first.
struct FileBytes: CSVByteSource {
    let fd: Int32
    let path: String
    let seekable: Bool
    /// The file's next byte to read (for a stream, the count of bytes read from it).
    private(set) var offset: Int
    let end: Int?
    /// Bytes read from a stream by `peek`, not yet given to `read`.
    private var pending: [UInt8] = []

    init(fd: Int32, path: String, seekable: Bool, from start: Int = 0, to end: Int? = nil) {
        self.fd = fd
        self.path = path
        self.seekable = seekable
        self.offset = start
        self.end = end
    }

    mutating func read(into destination: UnsafeMutableRawPointer, count: Int) throws(CSVError) -> Int {
        var given = 0
        if !pending.isEmpty {
            given = min(count, pending.count)
            pending.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: given) }
            pending.removeFirst(given)
            if given == count { return given }
        }
        let want = end.map { min(count - given, $0 - offset) } ?? (count - given)
        guard want > 0 else { return given }
        let got = CSVReader.readBytes(fd, into: destination + given, count: want, at: offset, seekable: seekable)
        if got < 0 {
            throw CSVError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
        offset += got
        return given + got
    }

    /// The next (at most) `count` bytes, which `read` then gives again: read at the offset
    /// of a regular file, kept from a stream. Fewer at the end of the data.
    mutating func peek(_ count: Int) throws(CSVError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got: Int
        if seekable {
            got = bytes.withUnsafeMutableBytes { CSVReader.readBytes(fd, into: $0.baseAddress!, count: count, at: offset, seekable: true) }
        } else {
            got = try bytes.withUnsafeMutableBufferPointer { p throws(CSVError) in try read(into: p.baseAddress!, count: count) }
        }
        if got < 0 {
            throw CSVError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
        }
        bytes.removeLast(count - got)
        if !seekable { pending = bytes + pending }
        return bytes
    }
}

/// How a file's bytes are compressed, decided by its first bytes (the formats' magic
/// numbers), never by its name: a `.gz` file that holds plain text is read as text, and a
/// gzip file named `.csv` is decompressed. No CSV file starts with either: 0x8B and 0xB5
/// are UTF-8 continuation bytes, which cannot follow 0x1F or `(`.
enum CSVCompression: Equatable, Sendable {
    case none
    /// gzip (RFC 1952): 1F 8B.
    case gzip
    /// Zstandard (RFC 8878): a frame, 28 B5 2F FD, or a skippable frame, 5x 2A 4D 18.
    case zstd

    /// The bytes `detect` needs.
    static let magicBytes = 4

    static func detect(_ head: [UInt8]) -> CSVCompression {
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B { return .gzip }
        guard head.count >= 4 else { return .none }
        if head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD { return .zstd }
        if head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18 { return .zstd }
        return .none
    }
}
