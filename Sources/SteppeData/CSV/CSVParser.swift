/// The byte-level state machine behind `CSVReader`: splits records into fields and
/// hands each field to its column's builder.
#if canImport(Glibc)
import Glibc
#endif

struct CSVParser: Sendable {
    let file: String
    let options: CSVOptions
    private let quote = UInt8(ascii: "\"")
    private let newline = UInt8(ascii: "\n")
    private let carriageReturn = UInt8(ascii: "\r")
    private var header: [String]? = nil
    private var builders: [ColumnBuilder] = []
    /// Whether each column is numeric, kept beside the builders so that the fast path's
    /// check reads one Bool rather than a builder.
    private var numericColumns: [Bool] = []
    private let missingEmpty: Bool
    private let shortMissing: [PackedMissing]
    private let longMissing: [[UInt8]]
    /// Whether `unquotedRecord` may parse numbers while finding field ends: not when a
    /// missing-value spelling is itself a number (it must be checked first) or the
    /// delimiter could be part of a number.
    private let parsesNumbersInline: Bool
    private(set) var line = 1            // line at which the next record starts
    private var startedFile = false
    private var rows = 0
    private var scratch: [UInt8] = []    // unescaped text of a quoted field
    /// Bytes the columns will hold in all (this parser's part, or the whole file when
    /// another part is appended later); with it, room for the rows is reserved once the
    /// first chunk shows the bytes per row.
    var plannedBytes: Int? = nil
    private var bytesSeen = 0
    private var planned = false
    /// Whether the data ended inside a quoted field (the error thrown then says so). For a
    /// part of a file that ends where the next part starts, this is how the reader learns
    /// that the boundary was not between records.
    private(set) var endedInsideQuotes = false
    /// `consume` stops (returning the bytes used so far) once this many rows are held:
    /// how `CSVReader.readBatches` takes tables of at most so many rows. Default: no limit.
    var rowLimit = Int.max
    /// Records longer than this many bytes are checked against `options.maxCellBytes` and
    /// `.maxRecordBytes` (`checkLimits`): the smaller limit, so that shorter records, nearly
    /// all of them, cost one comparison.
    let limitCheckBytes: Int

    init(file: String, options: CSVOptions) {
        self.file = file
        self.options = options
        let spellings = options.missingValues.map { Array($0.utf8) }
        self.missingEmpty = spellings.contains { $0.isEmpty }
        self.shortMissing = spellings.filter { !$0.isEmpty && $0.count <= 8 }.map { b in
            PackedMissing(length: b.count, bytes: b.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        }
        self.longMissing = spellings.filter { $0.count > 8 }
        let numericSpelling = spellings.contains { b in b.withUnsafeBufferPointer { DecimalParser.parse($0) != nil } }
        self.parsesNumbersInline = !numericSpelling && !Array("0123456789+-.eE".utf8).contains(options.delimiter)
        self.limitCheckBytes = max(0, min(options.maxCellBytes, options.maxRecordBytes))
    }

    /// A field of the current record: its bytes (a slice of the buffer or of `scratch`) and where it starts.
    /// A parser for the second half of a file: the header is known, and the first record
    /// starts on `firstLine`.
    init(file: String, options: CSVOptions, header: [String], firstLine: Int) {
        self.init(file: file, options: options)
        self.header = header
        self.builders = header.map { ColumnBuilder(name: $0, declared: options.columnKinds[$0], expectsNumbers: options.numbersExpected.contains($0)) }
        self.numericColumns = builders.map(\.isNumeric)
        self.line = firstLine
        self.startedFile = true
    }

    /// The header of the file open as `fd`, parsed from its first record, or `nil` when the
    /// first 1 MiB holds no complete record.
    func readHeader(fd: Int32, path: String) throws(CSVError) -> [String]? {
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard got > 0 else { return nil }
        // The end of the first record: the first line end outside quotes.
        var inQuotes = false
        var end = -1
        for i in 0..<got {
            if bytes[i] == quote { inQuotes.toggle() } else if bytes[i] == newline && !inQuotes { end = i + 1; break }
        }
        guard end > 0 else { return nil }
        var parser = CSVParser(file: path, options: options)
        _ = try bytes.withUnsafeBufferPointer { p throws(CSVError) in try parser.consume(UnsafeBufferPointer(rebasing: p[0..<end]), final: true) }
        return parser.header
    }

    /// This parser's table followed by `other`'s rows (the next part of the same file), or
    /// `nil` when a column's kinds disagree so that joining could differ from one pass.
    /// Numeric and boolean columns are extended in place (this parser is used up).
    mutating func joined(with other: CSVParser) throws(CSVError) -> Table? {
        guard let header, other.header == header else { return nil }
        var columns: [Column] = []
        for j in 0..<builders.count {
            if builders[j].appendInPlace(other.builders[j]) {
                columns.append(builders[j].finish())
                builders[j] = ColumnBuilder(name: header[j], declared: nil)
                continue
            }
            guard let column = builders[j].joined(with: other.builders[j]) else { return nil }
            columns.append(column)
        }
        do { return try Table(columns: columns) } catch { throw CSVError(file: file, message: "\(error)") }
    }

    struct Field { var start: Int; var end: Int; var quoted: Bool; var escaped: Bool; var line: Int; var column: Int }

    /// Parses as many complete records of `data` as there are; returns the number of bytes used.
    /// With `final`, the last record may end without a newline, and an unfinished quote is an error.
    mutating func consume(_ data: UnsafeBufferPointer<UInt8>, final: Bool) throws(CSVError) -> Int {
        var i = 0
        let n = data.count
        if !startedFile {
            if n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF { i = 3 }
            else if n < 3 && !final { return 0 }
            startedFile = true
        }
        var fields: [Field] = []
        fields.reserveCapacity(builders.count + 1)
        var consumed = i
        // The fast path's numbers, on their way to the builders (drained before the general
        // path appends and at the end of this call).
        var staged: StagedNumbers? = nil
        defer { staged?.deallocate() }
        var stoppedAtLimit = false
        recordLoop: while i < n, let base = data.baseAddress {
            if rows >= rowLimit { stoppedAtLimit = true; break recordLoop }
            let hit = memchr(base + i, Int32(newline), n - i)
            // No line end in the rest: the record is unfinished, and waits for the next
            // chunk (parsing it now would be work thrown away, and fields held for nothing:
            // a stream that never ends a line costs the buffer alone).
            if hit == nil && !final { break recordLoop }
            // A complete record without quotes, once the header is known: the fast path.
            if header != nil, let hit {
                let e = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                var end = e
                if end > i && data[end - 1] == carriageReturn { end -= 1 }
                if end > i, memchr(base + i, Int32(quote), end - i) == nil {
                    if end - i > limitCheckBytes { try checkLimits(UnsafeBufferPointer(rebasing: data[i..<end]), complete: true) }
                    if staged == nil { staged = StagedNumbers(columns: builders.count) }
                    if try unquotedRecord(data, from: i, to: end, staged: staged!) {
                        line += 1
                        i = e + 1
                        consumed = i
                        continue recordLoop
                    }
                }
            }
            staged?.drainAll(into: &builders)
            fields.removeAll(keepingCapacity: true)
            // Fields are held up to one more than the header has; the rest of a record too
            // long are only counted, for the error.
            let fieldCap = header.map { $0.count + 1 } ?? Int.max
            var extraFields = 0
            var checkedEnd = false
            var recordLine = line
            var lineStart = i
            var p = i
            // One record: fields separated by the delimiter, ended by a newline or the end of data.
            fieldLoop: while true {
                if !final && !checkedEnd && p - i > limitCheckBytes {
                    // A long record: parse on only if it ends in this data (its line end
                    // may be inside quotes, as the one found above may be).
                    checkedEnd = true
                    if !Self.holdsCompleteRecord(data, from: i) { break recordLoop }
                }
                if fields.count == fieldCap { fields.removeLast(); extraFields += 1 }
                if p < n && data[p] == quote {
                    let startLine = recordLine, startColumn = p - lineStart + 1
                    var q = p + 1
                    var escaped = false
                    while true {
                        guard q < n else {
                            if final {
                                endedInsideQuotes = true
                                throw CSVError(file: file, line: startLine, column: startColumn,
                                               message: "unterminated quoted field (a \" opened here is never closed)")
                            }
                            break recordLoop
                        }
                        let c = data[q]
                        if c == quote {
                            if q + 1 < n && data[q + 1] == quote { escaped = true; q += 2; continue }
                            if q + 1 >= n && !final { break recordLoop }   // cannot tell "" from " yet
                            break
                        }
                        if c == newline { recordLine += 1; lineStart = q + 1 }
                        q += 1
                    }
                    fields.append(Field(start: p + 1, end: q, quoted: true, escaped: escaped, line: startLine, column: startColumn))
                    p = q + 1
                    // After the closing quote: a delimiter, a line end, or the end of data.
                    if p < n && data[p] != options.delimiter && data[p] != newline && data[p] != carriageReturn {
                        throw CSVError(file: file, line: recordLine, column: p - lineStart + 1,
                                       message: "unexpected character after a closing quote")
                    }
                } else {
                    var q = p
                    while q < n {
                        let c = data[q]
                        if c == options.delimiter || c == newline { break }
                        if c == quote {
                            throw CSVError(file: file, line: recordLine, column: q - lineStart + 1,
                                           message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                        }
                        q += 1
                    }
                    if q >= n && !final { break recordLoop }
                    var end = q
                    if end > p && data[end - 1] == carriageReturn { end -= 1 }
                    fields.append(Field(start: p, end: end, quoted: false, escaped: false, line: recordLine, column: p - lineStart + 1))
                    p = q
                }
                if p < n && data[p] == carriageReturn && p + 1 < n && data[p + 1] == newline { p += 1 }
                if p < n && data[p] == carriageReturn && p + 1 >= n && !final { break recordLoop }
                if p >= n {
                    if !final { break recordLoop }
                    break fieldLoop
                }
                if data[p] == options.delimiter { p += 1; continue fieldLoop }
                // newline (or a lone CR after a quoted field)
                p += 1
                break fieldLoop
            }
            if p - i > limitCheckBytes { try checkLimits(UnsafeBufferPointer(rebasing: data[i..<p]), complete: true) }
            try finishRecord(fields, extraFields: extraFields, data: data, line: recordLine)
            line = recordLine + 1
            i = p
            consumed = p
        }
        staged?.drainAll(into: &builders)
        let used = final && !stoppedAtLimit ? n : consumed
        bytesSeen += used
        if !planned, let total = plannedBytes, rows >= 64, bytesSeen > 0 {
            // Rows in all ≈ rows so far × bytes in all / bytes so far, with 10% to spare.
            planned = true
            let estimate = Double(rows) * Double(total) / Double(bytesSeen) * 1.1 + 64
            if estimate < 1e10 { for j in 0..<builders.count { builders[j].reserve(rows: Int(estimate)) } }
        }
        return used
    }

    /// A record known to be complete, non-empty and free of quotes, in bytes [start, end)
    /// (line end excluded): each field goes to its column as it is found, and a numeric
    /// column's number is parsed while its end is found (`DecimalParser.parsePrefix`), so
    /// the bytes of a number are read once. Any other cell (missing, text, a number only
    /// `strtod` can round) goes through `appendCell` as in the general path, after the
    /// column's staged numbers (`staged` holds the inline-parsed ones). The number parser
    /// sees the bytes up to the end of `data`, not of the record, so that the last field's
    /// digits too are read eight at a time; the record's line end stops it.
    /// Returns `false` when the record has more or fewer fields than the header: the general path
    /// then reads it again and reports the error (cells already appended do not matter,
    /// as the read fails).
    private mutating func unquotedRecord(_ data: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, staged: StagedNumbers) throws(CSVError) -> Bool {
        guard let header else { return false }
        let base = data.baseAddress!
        let columns = builders.count
        let delimiter = options.delimiter
        var j = 0
        var q = start
        while true {
            guard j < columns else { return false }
            var fieldEnd = -1
            if parsesNumbersInline && numericColumns[j], let (v, length) = DecimalParser.parsePrefix(UnsafeBufferPointer(start: base + q, count: data.count - q)),
               q + length == end || data[q + length] == delimiter {
                if staged.push(v, column: j) { staged.drain(column: j, into: &builders[j]) }
                fieldEnd = q + length
            } else {
                staged.drain(column: j, into: &builders[j])
                if let hit = memchr(base + q, Int32(delimiter), end - q) {
                    fieldEnd = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                } else {
                    fieldEnd = end
                }
                // As in the general path, a carriage return ending an unquoted field is not data.
                let cellEnd = fieldEnd > q && data[fieldEnd - 1] == carriageReturn ? fieldEnd - 1 : fieldEnd
                let field = Field(start: q, end: cellEnd, quoted: false, escaped: false, line: line, column: q - start + 1)
                try appendCell(UnsafeBufferPointer(start: base + q, count: cellEnd - q), column: j, field: field, header: header)
            }
            j += 1
            if fieldEnd >= end { break }
            q = fieldEnd + 1
        }
        guard j == columns else { return false }
        rows += 1
        return true
    }

    private func bytes(of f: Field, in data: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: data[f.start..<f.end])
    }

    private mutating func finishRecord(_ fields: [Field], extraFields: Int, data: UnsafeBufferPointer<UInt8>, line recordLine: Int) throws(CSVError) {
        // A blank line: skipped (it cannot be a record of a file with more than one column).
        if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end && (header?.count ?? 2) > 1 { return }
        guard let header else {
            var names: [String] = []
            var seen = Set<String>()
            for f in fields {
                let raw = text(of: f, data: data)
                guard let name = raw else {
                    throw CSVError(file: file, line: f.line, column: f.column, message: "header name is not valid UTF-8")
                }
                if let k = bytes(of: f, in: data).firstIndex(of: 0) {
                    let (l, c) = position(ofByte: k, in: bytes(of: f, in: data), field: f)
                    throw CSVError(file: file, line: l, column: c, message: Self.nulMessage)
                }
                // As for cells: a lone CR in an unquoted name means mixed line ends.
                if !f.quoted, let k = bytes(of: f, in: data).firstIndex(of: UInt8(ascii: "\r")) {
                    let (l, c) = position(ofByte: k, in: bytes(of: f, in: data), field: f)
                    throw CSVError(file: file, line: l, column: c, message: Self.carriageReturnMessage)
                }
                let trimmed = name.trimmingWhitespace
                if trimmed.isEmpty {
                    throw CSVError(file: file, line: f.line, column: f.column, message: "empty column name in the header (column \(names.count + 1))")
                }
                if seen.contains(trimmed) {
                    throw CSVError(file: file, line: f.line, column: f.column, message: "duplicate column name '\(trimmed)' in the header")
                }
                seen.insert(trimmed)
                names.append(trimmed)
            }
            self.header = names
            builders = names.map { ColumnBuilder(name: $0, declared: options.columnKinds[$0], expectsNumbers: options.numbersExpected.contains($0)) }
            numericColumns = builders.map(\.isNumeric)
            return
        }
        guard fields.count == header.count && extraFields == 0 else {
            let count = fields.count + extraFields
            throw CSVError(file: file, line: recordLine, column: 0,
                           message: "\(count) field\(count == 1 ? "" : "s") where the header has \(header.count)" + loneCarriageReturnNote(fields, data: data))
        }
        for (j, f) in fields.enumerated() {
            let cell = bytes(of: f, in: data)
            if f.escaped {
                // Undo the doubled quotes into scratch, then use that.
                scratch.removeAll(keepingCapacity: true)
                var k = 0
                while k < cell.count {
                    scratch.append(cell[k])
                    k += (cell[k] == quote) ? 2 : 1
                }
                let unescaped = scratch
                try unescaped.withUnsafeBufferPointer { u throws(CSVError) in try appendCell(u, column: j, field: f, header: header) }
            } else {
                try appendCell(cell, column: j, field: f, header: header)
            }
        }
        rows += 1
    }

    /// One cell to its column. An unquoted cell is read without its leading and trailing
    /// ASCII spaces and tabs (`trimmedBlanks`), whatever its column's kind: `  3 ` is the
    /// number 3, ` NA` is missing, ` Almaty` is the level `Almaty`. R and pandas trim
    /// numbers so; text is trimmed too (R's `strip.white = TRUE`), so that one level is
    /// never two because of a stray space, as the header's names are trimmed. A quoted
    /// cell is kept exactly as written: `" 3 "` is text, and in a column declared text,
    /// `""` and `"NA"` are the texts, not missing (so `CSVWriter`'s files read back exactly).
    private mutating func appendCell(_ cell: UnsafeBufferPointer<UInt8>, column j: Int, field f: Field, header: [String]) throws(CSVError) {
        if isMissing(cell) && !(f.quoted && builders[j].declared == .text) {
            builders[j].appendMissing()
            return
        }
        var value = cell
        if !f.quoted, let trimmed = Self.trimmedBlanks(cell) {
            if isMissing(trimmed) {
                builders[j].appendMissing()
                return
            }
            value = trimmed
        }
        defer { numericColumns[j] = builders[j].isNumeric }
        do {
            try builders[j].append(value, quoted: f.quoted)
        } catch {
            throw cellError(error, cell: cell, value: value, column: j, field: f, header: header)
        }
    }

    /// `cell` without its leading and trailing spaces and tabs, or `nil` when it has none
    /// (the common case, decided by its first and last byte).
    @inline(__always)
    static func trimmedBlanks(_ cell: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard let first = cell.first, let last = cell.last else { return nil }
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        guard first == space || first == tab || last == space || last == tab else { return nil }
        var a = 0, b = cell.count
        while a < b && (cell[a] == space || cell[a] == tab) { a += 1 }
        while b > a && (cell[b - 1] == space || cell[b - 1] == tab) { b -= 1 }
        return UnsafeBufferPointer(rebasing: cell[a..<b])
    }

    /// Whether the cell is one of the missing-value spellings: compared as (length, up to
    /// eight bytes packed into an integer), so the check costs no allocation or retain.
    @inline(__always)
    private func isMissing(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = cell.count
        if n > 8 { return longMissing.contains { $0.elementsEqual(cell) } }
        if n == 0 { return missingEmpty }
        var key: UInt64 = 0
        for k in 0..<n { key |= UInt64(cell[k]) << (8 * UInt64(k)) }
        for m in shortMissing where m.length == n && m.bytes == key { return true }
        return false
    }

    /// A missing-value spelling of at most 8 bytes, packed little-endian.
    private struct PackedMissing { var length: Int; var bytes: UInt64 }

    private func text(of f: Field, data: UnsafeBufferPointer<UInt8>) -> String? {
        var b = Array(bytes(of: f, in: data))
        if f.escaped {
            var out: [UInt8] = []
            var k = 0
            while k < b.count { out.append(b[k]); k += (b[k] == quote) ? 2 : 1 }
            b = out
        }
        return String(validating: b, as: UTF8.self)
    }

    /// The rows held (since the start, or since the last `takeBatch`).
    var rowCount: Int { rows }

    /// The rows held so far as a table, and a fresh start for the next rows of the same
    /// file: each undeclared column keeps the kind these rows gave it (`ColumnBuilder`'s
    /// `continuing`), a column still undecided stays so, and text levels start again
    /// (each batch numbers its own, in order of first appearance). `reserving` rows are
    /// made room for in each column.
    mutating func takeBatch(reserving: Int) throws(CSVError) -> Table {
        let table = try finish()
        builders = builders.map { b in
            var next = ColumnBuilder(name: b.name, declared: b.declared, expectsNumbers: b.expectsNumbers, continuing: b.decidedKind)
            next.reserve(rows: reserving)
            return next
        }
        numericColumns = builders.map(\.isNumeric)
        rows = 0
        return table
    }

    /// The table, once all data has been consumed.
    func finish() throws(CSVError) -> Table {
        guard header != nil else {
            throw CSVError(file: file, message: "the file is empty (no header row)")
        }
        do {
            return try Table(columns: builders.map { $0.finish() })
        } catch {
            throw CSVError(file: file, message: "\(error)")
        }
    }
}
