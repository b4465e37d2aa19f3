#if canImport(Glibc)
import Glibc
#endif
@_spi(SteppeInternal) import SteppeNumerics

/// Reads CSV files (RFC 4180) into a `Table`, from bytes, streaming.
///
/// - A header row names the columns; names must be non-empty and distinct.
/// - Fields may be quoted with `"`; inside quotes, `""` is a quote, and commas and
///   line breaks are data. A UTF-8 byte-order mark is skipped.
/// - Lines end in LF or CRLF (mixed freely), or in CR alone when the file's first line
///   end is a lone CR (old-Mac files; then LF and CRLF also end lines). In a file of LF
///   or CRLF lines, a CR alone inside an unquoted field is an error that names its line
///   and column: mixed line endings would otherwise join rows (see `LineEndings`).
/// - An unquoted cell's leading and trailing ASCII spaces and tabs are not part of it,
///   whatever its column: `  3 ` is the number 3 (as R and pandas read it), ` NA` is
///   missing, ` Almaty ` is the text `Almaty`. Quoted cells are kept exactly as written.
/// - Missing values: the texts in `CSVOptions.missingValues` (default: empty and `NA`).
/// - Kinds are inferred per column (numeric, boolean, text; see `ColumnBuilder`) unless
///   declared in `CSVOptions.columnKinds`.
/// - Limits: a record of more than `CSVOptions.maxRecordBytes` (4 MiB) or a cell of more
///   than `.maxCellBytes` (1 MiB) is an error, and so is a NUL byte anywhere; so a file
///   that is not text, or a stream that never ends a line, fails in bounded memory.
///
/// The file is read in chunks of `CSVOptions.chunkSize` bytes and each cell goes
/// straight into its column, so memory holds the columns, never the file's text.
/// Pipes, FIFOs and devices (anything but a regular file) are read the same way as a
/// stream, with the same limits. Numbers are parsed from bytes (`DecimalParser`); text
/// cells become codes into a level table. Every error names the file, line and column.
///
/// A file compressed with gzip or Zstandard (`.csv.gz`, `.csv.zst`; known by its first
/// bytes, whatever its name) is decompressed as it is read, in bounded memory, with the
/// same limits and errors at the line and column of the decompressed text; a truncated or
/// corrupt stream is an error naming the file (see `GzipBytes`, `ZstdBytes`).
public enum CSVReader {
    /// Reads the CSV file at `path`.
    ///
    /// - Throws: `CSVError` for a file that is missing, unreadable, a directory, empty,
    ///   or malformed (ragged rows, an unterminated quote, text where a declared numeric
    ///   column expects a number, invalid UTF-8, a NUL byte, a lone CR among LF line ends,
    ///   duplicate or empty header names, a record or cell over the limits), or compressed
    ///   and truncated or corrupt.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        let (fd, info) = try openForReading(path)
        defer { close(fd) }
        // Only a regular file has a size and can be read at an offset; anything else
        // (a pipe, a FIFO, /dev/zero) is a stream, read once from its start.
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        let size = regular ? Int(info.st_size) : 0
        // A compressed file (by its first bytes, whatever its name) is decompressed as it is read.
        var file = FileBytes(fd: fd, path: path, seekable: regular)
        switch CSVCompression.detect(try file.peek(CSVCompression.magicBytes)) {
        case .gzip: return try readDecompressed(GzipBytes(file), compressedSize: regular ? size : nil, path: path, options: options)
        case .zstd: return try readDecompressed(ZstdBytes(file), compressedSize: regular ? size : nil, path: path, options: options)
        case .none: break
        }
        if regular && options.parallel && size >= options.parallelMinimumBytes,
           let table = try readInTwoHalves(fd, size: size, path: path, options: options) {
            return table
        }
        var parser = CSVParser(file: path, options: options)
        if regular { parser.plannedBytes = size }
        try stream(&file, fromStart: true, into: &parser, options: options)
        return try parser.finish()
    }

    /// The file at `path` opened read-only, and its status; the caller closes it.
    /// - Throws: `CSVError` for a file that is missing, unreadable or a directory.
    static func openForReading(_ path: String) throws(CSVError) -> (fd: Int32, info: stat) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw CSVError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw CSVError(file: path, message: "is a directory, not a CSV file")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw CSVError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        return (fd, info)
    }

    /// Feeds bytes [start, end) of the file (to its end when `end` is nil) to `parser`, in
    /// chunks, keeping an unfinished record for the next chunk; the last call is final.
    ///
    /// From the file's start, the line ends are decided and an old-Mac file's translated
    /// (`LineEndings`); a later start must be known to be in a file of LF line ends. An
    /// unfinished record longer than `parser.limitCheckBytes` is checked against the
    /// limits each time more of it is read, and the buffer grows (doubling) only while the
    /// record it holds is within `CSVOptions.maxRecordBytes`: the text in memory never
    /// exceeds the larger of the chunk and that limit.
    static func stream(_ fd: Int32, from start: Int, to end: Int?, into parser: inout CSVParser, path: String,
                       options: CSVOptions, seekable: Bool = true) throws(CSVError) {
        var file = FileBytes(fd: fd, path: path, seekable: seekable, from: start, to: end)
        try stream(&file, fromStart: start == 0, into: &parser, options: options)
    }

    /// Feeds all of `source` to `parser`, as `stream(_:from:to:into:path:options:seekable:)`
    /// does for a file's bytes; `fromStart` when the source starts at the start of the CSV
    /// text (then its line ends are decided from it), else it is known to be of LF line ends.
    static func stream<Source: CSVByteSource>(_ source: inout Source, fromStart: Bool, into parser: inout CSVParser,
                                              options: CSVOptions) throws(CSVError) {
        var buffer = [UInt8](repeating: 0, count: max(options.chunkSize, 64))
        var filled = 0          // bytes of buffer in use (carried-over partial record + new data)
        var endings = fromStart ? LineEndings() : LineEndings.lineFeed
        while true {
            if filled == buffer.count {
                // One record is longer than the buffer (and within the limit): grow it.
                let grown = max(buffer.count + 64, min(2 * buffer.count, options.maxRecordBytes + 1))
                buffer.append(contentsOf: [UInt8](repeating: 0, count: grown - buffer.count))
            }
            let got = try buffer.withUnsafeMutableBufferPointer { p throws(CSVError) in
                try source.read(into: p.baseAddress! + filled, count: p.count - filled)
            }
            let atEnd = got == 0
            filled += got
            let consumed = try buffer.withUnsafeMutableBufferPointer { p throws(CSVError) in
                endings.normalize(p, count: filled, final: atEnd)
                return try parser.consume(UnsafeBufferPointer(rebasing: p[0..<filled]), final: atEnd)
            }
            if atEnd { break }
            // Keep the unfinished record for the next round.
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    let rest = filled - consumed
                    if rest > 0 { memmove(p.baseAddress!, p.baseAddress! + consumed, rest) }
                }
                filled -= consumed
                endings.discard(consumed)
            }
            if filled > parser.limitCheckBytes {
                try buffer.withUnsafeBufferPointer { p throws(CSVError) in
                    try parser.checkLimits(UnsafeBufferPointer(rebasing: p[0..<filled]), complete: false)
                }
            }
        }
    }

    /// Reads up to `count` bytes at `offset` into `destination`: one `pread` for a regular
    /// file; for a stream (which cannot seek, and whose reads return what a writer has
    /// written so far), `read` until `count` bytes or the end, so that a stream fills the
    /// buffer as a file does and a long record is not parsed again for every small read.
    /// Returns the bytes read, 0 at the end, or −1 on an error (`errno` set).
    static func readBytes(_ fd: Int32, into destination: UnsafeMutableRawPointer, count: Int, at offset: Int, seekable: Bool) -> Int {
        if seekable { return pread(fd, destination, count, off_t(offset)) }
        var total = 0
        while total < count {
            let got = Glibc.read(fd, destination + total, count - total)
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return total > 0 ? total : -1 }
            if got == 0 { break }
            total += got
        }
        return total
    }

    /// Parses the two halves of a large file on two threads, or returns `nil` when that
    /// cannot give exactly the sequential result (then the caller reads sequentially).
    ///
    /// The split is the first line end after the middle. Both halves are parsed at once,
    /// the second on the guess that the split is a record boundary, and the first half's
    /// parse checks the guess: it reads exactly the bytes a sequential read does before the
    /// split, so it ends cleanly only if no quoted field is open there, and then the line
    /// end is a record's end. If it ends inside a quoted field, the second half's work is
    /// discarded and `nil` returned. (Misaligned, the second half almost always fails on
    /// its first records — a wrong field count, a stray quote — so little is wasted; a pass
    /// counting the quotes before the split, made alone before the halves start, cost about
    /// a tenth of a read.) The second half's parser starts with the first half's header and
    /// line count, so its errors name the right line; the first half's error wins when
    /// both fail. The columns are joined when each column's kind agrees between the halves
    /// (or one half has only missing cells); otherwise, because inference could then
    /// differ from one pass over the file, `nil`.
    static func readInTwoHalves(_ fd: Int32, size: Int, path: String, options: CSVOptions) throws(CSVError) -> Table? {
        var probe = [UInt8](repeating: 0, count: 1 << 16)
        // Only files of LF (or CRLF) line ends are split at an LF: an old-Mac file, or one
        // whose first line end outside quotes is not in its first MiB (as for `readHeader`),
        // is read in one pass. The quotes are counted from the file's start: one read.
        guard size > 1 else { return nil }
        var head = [UInt8](repeating: 0, count: min(size, 1 << 20))
        let first = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard first > 1, head.withUnsafeBufferPointer({ LineEndings.convention(of: UnsafeBufferPointer(rebasing: $0[0..<first])) }) == .lineFeed
        else { return nil }
        head = []
        var split = -1
        var offset = size / 2
        while split < 0 && offset < size {
            let got = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if got <= 0 { return nil }
            if let k = probe[0..<got].firstIndex(of: UInt8(ascii: "\n")) { split = offset + k + 1 } else { offset += got }
        }
        guard split > 0, split < size else { return nil }

        // The header, from the start of the file.
        guard let header = try CSVParser(file: path, options: options).readHeader(fd: fd, path: path) else { return nil }

        /// How one half's parse ended.
        enum Half { case parsed(CSVParser), failed(CSVError), splitInsideQuotes }
        let splitAt = split
        var outcome = Parallel.map(2) { half -> Half in
            if half == 0 {
                // Room for the whole file: the second half is appended to these columns.
                var parser = CSVParser(file: path, options: options)
                parser.plannedBytes = size
                do throws(CSVError) {
                    try stream(fd, from: 0, to: splitAt, into: &parser, path: path, options: options)
                    return .parsed(parser)
                } catch {
                    return parser.endedInsideQuotes ? .splitInsideQuotes : .failed(error)
                }
            }
            // Lines are counted from 2 here; an error's line is corrected below.
            var parser = CSVParser(file: path, options: options, header: header, firstLine: 2)
            parser.plannedBytes = size - splitAt
            do throws(CSVError) {
                try stream(fd, from: splitAt, to: nil, into: &parser, path: path, options: options)
                return .parsed(parser)
            } catch {
                return .failed(error)
            }
        }
        var a: CSVParser
        switch outcome[0] {
        case .parsed(let parser): a = parser
        case .failed(let e): throw e
        case .splitInsideQuotes: return nil
        }
        let second = outcome[1]
        outcome = []                  // a's columns are now referenced once: joined in place
        switch second {
        case .parsed(let b):
            return try a.joined(with: b)
        case .failed(let e):
            // The second half's error, on the file's line: add the lines of the first half.
            guard e.line > 0 else { throw e }
            let lines = countByte(UInt8(ascii: "\n"), in: fd, before: split) ?? 0
            throw CSVError(file: e.file, line: e.line - 1 + lines, column: e.column, message: e.message)
        case .splitInsideQuotes:
            return nil                // only the first half reports this
        }
    }

    /// How many times `byte` occurs in the file's first `end` bytes, read in 1 MiB chunks;
    /// `nil` when the file cannot be read that far.
    static func countByte(_ byte: UInt8, in fd: Int32, before end: Int) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0, at = 0
        while at < end {
            let want = min(buffer.count, end - at)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(at)) }
            if got <= 0 { return nil }
            total &+= buffer.withUnsafeBytes { countByte(byte, in: $0.baseAddress!, count: got) }
            at += got
        }
        return total
    }

    /// How many times `byte` occurs in `count` bytes at `base` (memchr from one to the next).
    static func countByte(_ byte: UInt8, in base: UnsafeRawPointer, count: Int) -> Int {
        var n = 0
        var p = base
        let end = base + count
        while p < end, let hit = memchr(p, Int32(byte), end - p) {
            n += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return n
    }

    /// Reads CSV text held in memory; `name` stands in for the file name in errors.
    public static func read(bytes: [UInt8], name: String = "<data>", options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        if bytes.withUnsafeBufferPointer({ LineEndings.convention(of: $0) }) != .lineFeed {
            // Lone CRs (or no line end at all) to translate: on a copy.
            var translated = bytes
            var endings = LineEndings()
            translated.withUnsafeMutableBufferPointer { endings.normalize($0, count: $0.count, final: true) }
            if endings.convention == .carriageReturn { return try parse(translated, name: name, options: options) }
        }
        return try parse(bytes, name: name, options: options)
    }

    /// `bytes`, whose line ends are LF or CRLF, parsed as one final chunk.
    private static func parse(_ bytes: [UInt8], name: String, options: CSVOptions) throws(CSVError) -> Table {
        var parser = CSVParser(file: name, options: options)
        _ = try bytes.withUnsafeBufferPointer { p throws(CSVError) in try parser.consume(p, final: true) }
        return try parser.finish()
    }

    /// Reads CSV text from a string; see `read(bytes:name:options:)`.
    public static func read(text: String, name: String = "<data>", options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        try read(bytes: Array(text.utf8), name: name, options: options)
    }
}
