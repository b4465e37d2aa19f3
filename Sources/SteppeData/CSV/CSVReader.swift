#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV files (RFC 4180) into a `Table`, from bytes, streaming.
///
/// - A header row names the columns; names must be non-empty and distinct.
/// - Fields may be quoted with `"`; inside quotes, `""` is a quote, and commas and
///   line breaks are data. Lines end in LF or CRLF. A UTF-8 byte-order mark is skipped.
/// - Missing values: the texts in `CSVOptions.missingValues` (default: empty and `NA`).
/// - Kinds are inferred per column (numeric, boolean, text; see `ColumnBuilder`) unless
///   declared in `CSVOptions.columnKinds`.
///
/// The file is read in chunks of `CSVOptions.chunkSize` bytes and each cell goes
/// straight into its column, so memory holds the columns, never the file's text.
/// Numbers are parsed from bytes (`DecimalParser`); text cells become codes into a
/// level table. Every error names the file, line and column.
public enum CSVReader {
    /// Reads the CSV file at `path`.
    ///
    /// - Throws: `CSVError` for a file that is missing, unreadable, a directory, empty,
    ///   or malformed (ragged rows, an unterminated quote, text where a declared numeric
    ///   column expects a number, invalid UTF-8, duplicate or empty header names).
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
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
        defer { close(fd) }
        var parser = CSVParser(file: path, options: options)
        var buffer = [UInt8](repeating: 0, count: max(options.chunkSize, 64))
        var filled = 0          // bytes of buffer in use (carried-over partial record + new data)
        while true {
            if filled == buffer.count {
                // One record is longer than the buffer: grow it.
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
            let got = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if got < 0 {
                throw CSVError(file: path, message: "read failed: \(String(cString: strerror(errno)))")
            }
            let atEnd = got == 0
            filled += got
            let consumed = try buffer.withUnsafeBufferPointer { p throws(CSVError) in
                try parser.consume(UnsafeBufferPointer(rebasing: p[0..<filled]), final: atEnd)
            }
            if atEnd { break }
            // Keep the unfinished record for the next round.
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    let rest = filled - consumed
                    if rest > 0 { memmove(p.baseAddress!, p.baseAddress! + consumed, rest) }
                }
                filled -= consumed
            }
        }
        return try parser.finish()
    }

    /// Reads CSV text held in memory; `name` stands in for the file name in errors.
    public static func read(bytes: [UInt8], name: String = "<data>", options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        var parser = CSVParser(file: name, options: options)
        _ = try bytes.withUnsafeBufferPointer { p throws(CSVError) in try parser.consume(p, final: true) }
        return try parser.finish()
    }

    /// Reads CSV text from a string; see `read(bytes:name:options:)`.
    public static func read(text: String, name: String = "<data>", options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        try read(bytes: Array(text.utf8), name: name, options: options)
    }
}
