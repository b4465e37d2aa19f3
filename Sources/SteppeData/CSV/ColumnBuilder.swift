/// Accumulates one column's cells while a CSV file streams past, inferring its kind.
///
/// A column starts undecided and becomes numeric, boolean or text at its first
/// non-missing cell. A numeric or boolean column that later meets a cell it cannot
/// hold becomes text; its earlier cells are then written back as text (numbers in
/// shortest round-trip form, so `1.50` reads back as `1.5`: declare the column's kind
/// in `CSVOptions.columnKinds` to keep the original spelling). A declared kind never
/// changes: a cell that does not fit is an error.
struct ColumnBuilder: Sendable {
    /// What the column holds so far.
    enum Kind { case undecided, numeric, boolean, text }

    let name: String
    let declared: Column.Kind?
    /// Whether a numeric column refuses a cell that is not a number, as a declared one
    /// does, rather than becoming text (`CSVOptions.numbersExpected`).
    let expectsNumbers: Bool
    private(set) var kind: Kind
    /// Missing cells seen while undecided.
    private var leadingMissing = 0
    /// Numbers (numeric) or 1/0 (boolean), NaN for missing.
    private var numbers: [Double] = []
    /// Text codes into `levels`, −1 for missing.
    private var codes: [Int32] = []
    private var levels: [String] = []
    /// Codes by String, kept only once a level that is not pure ASCII has appeared: Swift
    /// compares Strings by canonical equivalence (a precomposed and a decomposed é are
    /// equal, and so are the Kelvin sign and K), and such levels must share a code, as
    /// code that maps levels to values by String relies on. While every level is ASCII,
    /// equal Strings are equal bytes and `byteIndex` alone decides, with no String
    /// hashing per new level (which was a tenth of reading a file of 40,000 pair labels).
    private var index: [String: Int32]? = nil
    /// Rows to reserve room for once the kind is known (see `reserve(rows:)`).
    private var plannedRows = 0
    /// Whether the column was numeric or boolean before it became text: its earlier cells
    /// are then spelled as `promoteToText` writes them, not as the file does.
    private var promoted = false
    /// Whether the kind came from earlier batches of the same file (`CSVReader.readBatches`):
    /// a numeric or boolean column then refuses a cell it cannot hold (`.kindChanged`)
    /// instead of becoming text, since the rows already handed over cannot be rewritten.
    let continues: Bool

    /// A builder for column `name`; `continuing` is the kind earlier batches of the file
    /// gave an undeclared column (nil: none yet, or not reading in batches).
    init(name: String, declared: Column.Kind?, expectsNumbers: Bool = false, continuing: Column.Kind? = nil) {
        self.name = name
        self.declared = declared
        self.expectsNumbers = expectsNumbers
        self.continues = declared == nil && continuing != nil
        switch declared ?? continuing {
        case .numeric?: kind = .numeric
        case .boolean?: kind = .boolean
        case .text?: kind = .text
        case nil: kind = .undecided
        }
    }

    /// The kind the column has taken (`nil` while undecided).
    var decidedKind: Column.Kind? {
        switch kind {
        case .undecided: return nil
        case .numeric: return .numeric
        case .boolean: return .boolean
        case .text: return .text
        }
    }

    /// Why a cell was refused. A new text level is checked for bytes no text cell may
    /// hold: NUL anywhere, and a carriage return in an unquoted cell (RFC 4180 quotes
    /// it; one left in a field means the file's line ends are mixed, see `LineEndings`).
    /// A level met again is the same bytes, so only the first of each is checked.
    /// `kindChanged`: text in a column that earlier batches read as numbers or booleans.
    enum Refusal: Error { case notNumber, notBoolean, invalidUTF8, nulByte, carriageReturn, kindChanged(Column.Kind) }

    /// Reserves room for `rows` cells in all, now if the kind is known, else when it is
    /// decided, so that the column's storage is allocated once instead of doubling (each
    /// doubling copies the column and touches fresh pages). Reserved but unused room is
    /// address space only: pages never written are never resident.
    mutating func reserve(rows: Int) {
        plannedRows = max(plannedRows, rows)
        switch kind {
        case .numeric, .boolean: numbers.reserveCapacity(plannedRows)
        case .text: codes.reserveCapacity(plannedRows)
        case .undecided: break
        }
    }

    static func booleanValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        switch bytes.count {
        case 4:
            let t = (bytes[0] | 0x20, bytes[1] | 0x20, bytes[2] | 0x20, bytes[3] | 0x20)
            return t == (116, 114, 117, 101) ? 1 : nil               // "true"
        case 5:
            let f = (bytes[0] | 0x20, bytes[1] | 0x20, bytes[2] | 0x20, bytes[3] | 0x20, bytes[4] | 0x20)
            return f == (102, 97, 108, 115, 101) ? 0 : nil           // "false"
        default:
            return nil
        }
    }

    mutating func appendMissing() {
        switch kind {
        case .undecided: leadingMissing += 1
        case .numeric, .boolean: numbers.append(.nan)
        case .text: codes.append(-1)
        }
    }

    /// Whether the column is numeric (so a reader may parse numbers and `appendNumbers` them).
    var isNumeric: Bool { kind == .numeric }

    /// Appends numbers already parsed from cells (the column must be numeric).
    mutating func appendNumbers(_ xs: UnsafeBufferPointer<Double>) { numbers.append(contentsOf: xs) }

    /// Appends a cell (already trimmed when unquoted); `quoted` when it was written in quotes.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) throws(Refusal) {
        switch kind {
        case .numeric:
            if let x = DecimalParser.parse(bytes) { numbers.append(x); return }
            // A NUL is an error whatever the kind: found before the column's numbers are
            // rewritten as text, which for a bad byte near the end of a large file cost
            // more memory than the file and all the time of the read.
            if bytes.contains(0) { throw .nulByte }
            // A column expected to hold numbers reports what the text column it would have
            // become reports (a CR left by mixed line ends), so that only the work differs.
            if expectsNumbers && declared != .numeric && !quoted && bytes.contains(UInt8(ascii: "\r")) { throw .carriageReturn }
            if declared == .numeric || expectsNumbers { throw .notNumber }
            if continues { throw .kindChanged(.numeric) }
            promoteToText(format: Column.format)
            try appendText(bytes, quoted: quoted)
        case .boolean:
            if let x = Self.booleanValue(bytes) { numbers.append(x); return }
            if bytes.contains(0) { throw .nulByte }
            if declared == .boolean { throw .notBoolean }
            if continues { throw .kindChanged(.boolean) }
            promoteToText { $0 != 0 ? "true" : "false" }
            try appendText(bytes, quoted: quoted)
        case .text:
            try appendText(bytes, quoted: quoted)
        case .undecided:
            if let v = DecimalParser.parse(bytes) {
                kind = .numeric
                numbers = [Double](repeating: .nan, count: leadingMissing)
                numbers.reserveCapacity(plannedRows)
                numbers.append(v)
            } else if let b = Self.booleanValue(bytes) {
                kind = .boolean
                numbers = [Double](repeating: .nan, count: leadingMissing)
                numbers.reserveCapacity(plannedRows)
                numbers.append(b)
            } else {
                kind = .text
                codes = [Int32](repeating: -1, count: leadingMissing)
                codes.reserveCapacity(plannedRows)
                try appendText(bytes, quoted: quoted)
            }
        }
    }

    /// Levels by their bytes (`LevelTable`), so that a repeated level costs a hash and a
    /// byte comparison, not a String and a dictionary of Strings.
    private var byteIndex = LevelTable()

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) throws(Refusal) {
        let h = LevelTable.hash(bytes)
        if let c = byteIndex.code(of: bytes, hash: h) {
            codes.append(c)
            return
        }
        // A level not seen before (by its bytes): validate and record it.
        if bytes.contains(0) { throw .nulByte }
        if !quoted && bytes.contains(UInt8(ascii: "\r")) { throw .carriageReturn }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        codes.append(record(s, bytes: bytes, hash: h))
    }

    /// The code of text `s` (already validated), recording it as a level when absent.
    private mutating func code(ofText s: String) -> Int32 {
        Array(s.utf8).withUnsafeBufferPointer { bytes in
            let h = LevelTable.hash(bytes)
            return byteIndex.code(of: bytes, hash: h) ?? record(s, bytes: bytes, hash: h)
        }
    }

    /// Records `s`, whose `bytes` are not in `byteIndex`, under the code of a canonically
    /// equivalent level (once non-ASCII levels exist) or a new one.
    private mutating func record(_ s: String, bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int32 {
        if index == nil && bytes.contains(where: { $0 >= 0x80 }) { index = Self.stringIndex(levels) }
        let c = index?[s] ?? Int32(levels.count)
        if c == Int32(levels.count) {
            index?[s] = c
            levels.append(s)
        }
        byteIndex.insert(bytes, hash: h, code: c)
        return c
    }

    /// Codes by String for `levels` (distinct under String equality), the first code for any text.
    private static func stringIndex(_ levels: [String]) -> [String: Int32] {
        var index: [String: Int32] = [:]
        index.reserveCapacity(levels.count)
        for (c, s) in levels.enumerated() where index[s] == nil { index[s] = Int32(c) }
        return index
    }

    /// Rewrites the numbers so far as text codes (`format` gives each number's text).
    private mutating func promoteToText(format: (Double) -> String) {
        codes.reserveCapacity(numbers.count + 1)
        for v in numbers {
            codes.append(v.isNaN ? -1 : code(ofText: format(v)))
        }
        numbers = []
        kind = .text
        promoted = true
    }

    /// Appends `other`'s cells in place (no copy of this part when its storage is unique
    /// and has room, as `reserve(rows:)` arranges), when both parts have the same numeric
    /// or boolean kind; returns whether it did. Other combinations go through `joined(with:)`.
    mutating func appendInPlace(_ other: ColumnBuilder) -> Bool {
        guard kind == other.kind, kind == .numeric || kind == .boolean else { return false }
        numbers.append(contentsOf: other.numbers)
        return true
    }

    /// This column followed by `other`'s cells, when one pass over both parts would have
    /// inferred the same kind: the same kind, or one part with missing cells only. `nil`
    /// otherwise (a numeric part followed by a text part, for instance, where one pass
    /// would keep the text part's spelling of later numbers; and so a text part followed
    /// by one that became text only after numbers, which it spelled as `promoteToText`
    /// does, and whose "nan" cells it read as missing).
    func joined(with other: ColumnBuilder) -> Column? {
        switch (kind, other.kind) {
        case (.undecided, .undecided):
            return Column(name: name, values: .numeric([Double](repeating: .nan, count: leadingMissing + other.leadingMissing)))
        case (.numeric, .numeric), (.boolean, .boolean):
            let values = numbers + other.numbers
            return Column(name: name, values: kind == .numeric ? .numeric(values) : .boolean(values))
        case (.numeric, .undecided), (.boolean, .undecided):
            let values = numbers + [Double](repeating: .nan, count: other.leadingMissing)
            return Column(name: name, values: kind == .numeric ? .numeric(values) : .boolean(values))
        case (.undecided, .numeric), (.undecided, .boolean):
            let values = [Double](repeating: .nan, count: leadingMissing) + other.numbers
            return Column(name: name, values: other.kind == .numeric ? .numeric(values) : .boolean(values))
        case (.text, .undecided):
            return Column(name: name, values: .text(codes: codes + [Int32](repeating: -1, count: other.leadingMissing), levels: levels))
        case (.undecided, .text):
            return Column(name: name, values: .text(codes: [Int32](repeating: -1, count: leadingMissing) + other.codes, levels: other.levels))
        case (.text, .text) where !other.promoted:
            // Recode the second part's levels into the first's (first appearance order holds).
            var joined = self
            let map = other.levels.map { joined.code(ofText: $0) }
            let levels = joined.levels
            var codes = self.codes
            codes.reserveCapacity(codes.count + other.codes.count)
            for c in other.codes { codes.append(c < 0 ? -1 : map[Int(c)]) }
            return Column(name: name, values: .text(codes: codes, levels: levels))
        default:
            return nil
        }
    }

    func finish() -> Column {
        switch kind {
        case .undecided: return Column(name: name, values: .numeric([Double](repeating: .nan, count: leadingMissing)))
        case .numeric: return Column(name: name, values: .numeric(numbers))
        case .boolean: return Column(name: name, values: .boolean(numbers))
        case .text: return Column(name: name, values: .text(codes: codes, levels: levels))
        }
    }
}
