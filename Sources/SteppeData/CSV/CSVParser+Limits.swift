/// What the parser refuses besides malformed CSV, and how it says so: records and cells
/// over the size limits, NUL bytes, carriage returns left inside fields, and cells that
/// do not fit their declared kind. Every error names the line and column.
#if canImport(Glibc)
import Glibc
#endif

extension CSVParser {
    /// The message for a NUL byte: no text file has one; a UTF-16 file has one in every
    /// other byte, and binary data (or `/dev/zero`) is full of them.
    static let nulMessage = "a NUL byte (0x00): this is not UTF-8 text (a binary file, or UTF-16?)"

    /// Checks one record against `options.maxCellBytes` and `.maxRecordBytes`, and for NUL
    /// bytes; `data` starts at the record's first byte (on line `line`) and holds the
    /// whole record when `complete` (its line end may be included), or the part read so
    /// far of one still being read (the reader calls this when that part is longer than
    /// `limitCheckBytes`, so a record that never ends fails within the limits).
    ///
    /// Complexity: O(bytes); called only for records longer than the smaller limit.
    func checkLimits(_ data: UnsafeBufferPointer<UInt8>, complete: Bool) throws(CSVError) {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), delimiter = options.delimiter
        var n = data.count
        if complete && n > 0 && data[n - 1] == lf { n -= 1 }
        if complete && n > 0 && data[n - 1] == cr { n -= 1 }
        var lineNumber = line, lineStart = 0
        var fieldStart = 0, fieldLine = line, fieldColumn = 1
        var inQuotes = false
        for i in 0..<n {
            let c = data[i]
            if c == 0 {
                throw CSVError(file: file, line: lineNumber, column: i - lineStart + 1, message: Self.nulMessage)
            } else if c == quote {
                inQuotes.toggle()                 // a doubled quote toggles twice
            } else if c == lf {
                lineNumber += 1
                lineStart = i + 1
            } else if c == delimiter && !inQuotes {
                try checkCell(data, from: fieldStart, to: i, line: fieldLine, column: fieldColumn)
                fieldStart = i + 1
                fieldLine = lineNumber
                fieldColumn = i + 1 - lineStart + 1
            }
        }
        try checkCell(data, from: fieldStart, to: n, line: fieldLine, column: fieldColumn)
        if n > options.maxRecordBytes {
            let limit = Self.describe(bytes: options.maxRecordBytes)
            let what = complete ? "a record longer than \(limit)" : "no line end within \(limit), the longest a record may be"
            throw CSVError(file: file, line: line, column: 0,
                           message: "\(what): not a CSV file? (\(options.recordLimitName) raises the limit)")
        }
    }

    /// Throws when the cell in bytes [start, end) of `data` is longer than `options.maxCellBytes`.
    private func checkCell(_ data: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, line: Int, column: Int) throws(CSVError) {
        guard end - start > options.maxCellBytes else { return }
        let limit = Self.describe(bytes: options.maxCellBytes)
        let message = start < end && data[start] == UInt8(ascii: "\"")
            ? "a quoted field longer than \(limit): a quote opened here and never closed? (\(options.cellLimitName) raises the limit)"
            : "a field longer than \(limit): not a CSV file? (\(options.cellLimitName) raises the limit)"
        throw CSVError(file: file, line: line, column: column, message: message)
    }

    /// Whether the bytes from `start` hold a whole record: a line feed outside quotes
    /// (quotes toggle, so a doubled quote inside a quoted field cancels out). Found with
    /// `memchr` from one quote or line feed to the next.
    static func holdsCompleteRecord(_ data: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard let base = data.baseAddress else { return false }
        let n = data.count
        var p = start
        while p < n {
            guard let lf = memchr(base + p, Int32(UInt8(ascii: "\n")), n - p) else { return false }
            let lineEnd = UnsafePointer<UInt8>(lf.assumingMemoryBound(to: UInt8.self)) - base
            guard let open = memchr(base + p, Int32(UInt8(ascii: "\"")), lineEnd - p) else { return true }
            let opened = UnsafePointer<UInt8>(open.assumingMemoryBound(to: UInt8.self)) - base
            guard let close = memchr(base + opened + 1, Int32(UInt8(ascii: "\"")), n - opened - 1) else { return false }
            p = UnsafePointer<UInt8>(close.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
        return false
    }

    /// `1 MiB (1048576 bytes)`, `64 KiB (65536 bytes)` or `1000 bytes`.
    static func describe(bytes n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB (\(n) bytes)" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB (\(n) bytes)" }
        return "\(n) byte\(n == 1 ? "" : "s")"
    }

    /// Line and column of byte `k` of `bytes`, a field's content (`unescaped` when its
    /// doubled quotes were undone, so each quote in it stands for two bytes of the file).
    func position(ofByte k: Int, in bytes: UnsafeBufferPointer<UInt8>, field f: Field, unescaped: Bool = false) -> (line: Int, column: Int) {
        var line = f.line, column = f.column + (f.quoted ? 1 : 0)
        for i in 0..<min(k, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += unescaped && bytes[i] == UInt8(ascii: "\"") ? 2 : 1
            }
        }
        return (line, column)
    }

    /// The error for a cell its column refused. `cell` is the field's content, `value`
    /// the part of it that was appended (trimmed of blanks when unquoted).
    func cellError(_ refusal: ColumnBuilder.Refusal, cell: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>,
                   column j: Int, field f: Field, header: [String]) -> CSVError {
        if let k = cell.firstIndex(of: 0) {
            let (l, c) = position(ofByte: k, in: cell, field: f, unescaped: f.escaped)
            return CSVError(file: file, line: l, column: c, message: Self.nulMessage)
        }
        let shown = String(decoding: value.prefix(40), as: UTF8.self)
        let message: String
        switch refusal {
        case .notNumber:
            let spaced = f.quoted && Self.trimmedBlanks(value).map { DecimalParser.parse($0) != nil } == true
            message = "'\(shown)' in column '\(header[j])' is not a number (the column is declared numeric)"
                + (spaced ? "; quoted cells are read as written: remove the quotes or the spaces" : "")
        case .notBoolean:
            message = "'\(shown)' in column '\(header[j])' is not true or false (the column is declared boolean)"
        case .invalidUTF8:
            message = "invalid UTF-8 in column '\(header[j])'"
        case .nulByte:
            message = Self.nulMessage           // found above; kept for completeness
        case .kindChanged(let earlier):
            let held = earlier == .numeric ? "numbers" : "true/false values"
            message = "'\(shown)' in column '\(header[j])', which earlier batches of rows read as \(held): a file read in batches "
                + "cannot change a column's kind once rows have been handed over; declare the column text "
                + "(" + options.textDeclarationName.split(separator: "{column}", omittingEmptySubsequences: false).joined(separator: header[j]) + ")"
        case .carriageReturn:
            let k = cell.firstIndex(of: UInt8(ascii: "\r")) ?? 0
            let (l, c) = position(ofByte: k, in: cell, field: f)
            return CSVError(file: file, line: l, column: c, message: Self.carriageReturnMessage)
        }
        return CSVError(file: file, line: f.line, column: f.column, message: message)
    }

    /// A carriage return that no line feed follows, inside an unquoted field of a file
    /// whose lines end in LF or CRLF: the line ends are mixed (see `LineEndings`).
    static let carriageReturnMessage = "a carriage return inside an unquoted field, in a file whose lines end in LF or CRLF: "
        + "mixed line endings? (save the file with one kind of line end, or quote the field if the CR is data)"

    /// For a record with the wrong number of fields: a note naming a carriage return
    /// inside one of its unquoted fields (a line end of another convention, which joined
    /// two lines into one), or "" when there is none.
    func loneCarriageReturnNote(_ fields: [Field], data: UnsafeBufferPointer<UInt8>) -> String {
        for f in fields where !f.quoted {
            let cell = UnsafeBufferPointer(rebasing: data[f.start..<f.end])
            if let k = cell.firstIndex(of: UInt8(ascii: "\r")) {
                return "; column \(f.column + k) holds a carriage return that no line feed follows: mixed line endings?"
            }
        }
        return ""
    }
}
