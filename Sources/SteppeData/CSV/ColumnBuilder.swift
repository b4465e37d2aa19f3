/// Accumulates one column's cells while a CSV file streams past, inferring its kind.
///
/// A column starts undecided and becomes numeric, boolean or text at its first
/// non-missing cell. A numeric or boolean column that later meets a cell it cannot
/// hold becomes text; its earlier cells are then written back as text (numbers in
/// shortest round-trip form, so `1.50` reads back as `1.5`: declare the column's kind
/// in `CSVOptions.columnKinds` to keep the original spelling). A declared kind never
/// changes: a cell that does not fit is an error.
struct ColumnBuilder {
    enum State {
        case undecided(missing: Int)
        case numeric([Double])
        case boolean([Double])
        case text(codes: [Int32], levels: [String], index: [String: Int32])
    }

    let name: String
    let declared: Column.Kind?
    var state: State

    init(name: String, declared: Column.Kind?) {
        self.name = name
        self.declared = declared
        switch declared {
        case .numeric?: state = .numeric([])
        case .boolean?: state = .boolean([])
        case .text?: state = .text(codes: [], levels: [], index: [:])
        case nil: state = .undecided(missing: 0)
        }
    }

    /// Why a cell was refused, for the error message.
    enum Refusal: Error { case notNumber, notBoolean, invalidUTF8 }

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
        switch state {
        case .undecided(let m): state = .undecided(missing: m + 1)
        case .numeric(var v): state = .undecided(missing: 0); v.append(.nan); state = .numeric(v)
        case .boolean(var v): state = .undecided(missing: 0); v.append(.nan); state = .boolean(v)
        case .text(var codes, let levels, let index):
            state = .undecided(missing: 0); codes.append(-1); state = .text(codes: codes, levels: levels, index: index)
        }
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(Refusal) {
        switch state {
        case .undecided(let missing):
            let prefix = [Double](repeating: .nan, count: missing)
            if let v = DecimalParser.parse(bytes) {
                state = .numeric(prefix + [v])
            } else if let b = Self.booleanValue(bytes) {
                state = .boolean(prefix + [b])
            } else {
                state = .text(codes: [Int32](repeating: -1, count: missing), levels: [], index: [:])
                try appendText(bytes)
            }
        case .numeric(var v):
            if let x = DecimalParser.parse(bytes) {
                state = .undecided(missing: 0)   // release the array so the append does not copy
                v.append(x)
                state = .numeric(v)
            } else {
                if declared == .numeric { throw .notNumber }
                state = Self.promote(v, format: Column.format)
                try appendText(bytes)
            }
        case .boolean(var v):
            if let x = Self.booleanValue(bytes) {
                state = .undecided(missing: 0)
                v.append(x)
                state = .boolean(v)
            } else {
                if declared == .boolean { throw .notBoolean }
                state = Self.promote(v) { $0 != 0 ? "true" : "false" }
                try appendText(bytes)
            }
        case .text:
            try appendText(bytes)
        }
    }

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) throws(Refusal) {
        guard case .text(var codes, var levels, var index) = state else { return }
        state = .undecided(missing: 0)
        guard let s = String(validating: bytes, as: UTF8.self) else {
            state = .text(codes: codes, levels: levels, index: index)
            throw .invalidUTF8
        }
        if let c = index[s] {
            codes.append(c)
        } else {
            let c = Int32(levels.count)
            index[s] = c
            levels.append(s)
            codes.append(c)
        }
        state = .text(codes: codes, levels: levels, index: index)
    }

    private static func promote(_ values: [Double], format: (Double) -> String) -> State {
        var index: [String: Int32] = [:]
        var levels: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(values.count + 1)
        for v in values {
            if v.isNaN { codes.append(-1); continue }
            let s = format(v)
            if let c = index[s] { codes.append(c) } else {
                let c = Int32(levels.count)
                index[s] = c; levels.append(s); codes.append(c)
            }
        }
        return .text(codes: codes, levels: levels, index: index)
    }

    /// The finished column. An all-missing column with no declared kind is numeric (all NaN).
    func finish() -> Column {
        switch state {
        case .undecided(let m): return Column(name: name, values: .numeric([Double](repeating: .nan, count: m)))
        case .numeric(let v): return Column(name: name, values: .numeric(v))
        case .boolean(let v): return Column(name: name, values: .boolean(v))
        case .text(let codes, let levels, _): return Column(name: name, values: .text(codes: codes, levels: levels))
        }
    }
}
