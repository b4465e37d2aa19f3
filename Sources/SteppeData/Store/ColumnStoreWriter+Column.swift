internal import CHDF5

/// One column of a store being written: its kind (once known), its dataset (once
/// created), the rows of the current chunk not yet written, and, for text, the store's
/// levels and the dictionary from level to code.
struct StoreColumn {
    let name: String
    /// `nil` while every value so far is missing (and no batch has had a kind other than
    /// an all-missing numeric column, which is how an undecided CSV column reads).
    var kind: Column.Kind? = nil
    /// The dataset, or −1 before its first write.
    var dataset: hid_t = -1
    private var numbers: [Double] = []
    private var flags: [Int8] = []
    private var codes: [Int32] = []
    /// The store's levels, in the order they came, and their codes.
    private(set) var levels: [String] = []
    private var levelCodes: [String: Int32] = [:]

    init(name: String) { self.name = name }

    /// How a batch's column goes into the store.
    enum Part {
        /// Its values, of the store column's kind; for text, each batch code's store code.
        case values(codeMap: [Int32])
        /// Missing values only (of any kind; or still no kind at all).
        case missing
    }

    /// Rows buffered for the current chunk.
    var buffered: Int {
        switch kind {
        case .numeric?: return numbers.count
        case .boolean?: return flags.count
        case .text?: return codes.count
        case nil: return 0
        }
    }

    /// Checks `column` (a batch's) against this column's kind, deciding the kind when this
    /// is the first batch with a value (`buffered` rows of the current chunk came before it,
    /// all missing), and maps a text column's levels to store codes.
    /// - Throws: `ColumnStoreError` when the kinds differ and the batch holds a value, or a
    ///   level holds a NUL byte or a code is outside the column's levels.
    mutating func prepare(_ column: Column, buffered: Int, firstRow: Int, store path: String) throws(ColumnStoreError) -> Part {
        let firstValue = (0..<column.count).first { !column.isMissing($0) }
        // A numeric column all missing is how a CSV column reads before its first value:
        // it decides nothing. Any other kind (a value, or a declared boolean or text) does.
        if kind == nil && (firstValue != nil || column.kind != .numeric) {
            kind = column.kind
            appendMissing(buffered)
        }
        guard let kind else { return .missing }
        guard kind == column.kind else {
            guard let firstValue else { return .missing }
            throw ColumnStoreError("column '\(name)' holds \(Self.noun(kind)) before row \(firstRow + 1) and \(Self.noun(column.kind)) "
                                   + "at row \(firstRow + firstValue + 1) ('\(column.text(at: firstValue).prefix(40))'), writing \(path): "
                                   + "a store's column has one kind (declare the column's kind, as CSVOptions.columnKinds does)")
        }
        guard case .text(let batchCodes, let batchLevels) = column.values else { return .values(codeMap: []) }
        var map: [Int32] = []
        map.reserveCapacity(batchLevels.count)
        for level in batchLevels {
            if let c = levelCodes[level] { map.append(c); continue }
            if level.utf8.contains(0) {
                throw ColumnStoreError("column '\(name)' has a level holding a NUL byte, writing \(path): a store's levels are C strings")
            }
            let c = Int32(levels.count)
            levels.append(level)
            levelCodes[level] = c
            map.append(c)
        }
        if let bad = batchCodes.first(where: { $0 >= Int32(batchLevels.count) || $0 < -1 }) {
            throw ColumnStoreError("column '\(name)' has the code \(bad) outside its \(batchLevels.count) levels, writing \(path)")
        }
        return .values(codeMap: map)
    }

    /// Appends rows `range` of `column` as `part` says (`prepare` made it for this batch).
    mutating func append(_ part: Part, _ column: Column, _ range: Range<Int>) {
        guard kind != nil else { return }       // nothing but missing values so far
        guard case .values(let map) = part else { return appendMissing(range.count) }
        switch column.values {
        case .numeric(let v):
            numbers.append(contentsOf: v[range])
        case .boolean(let v):
            flags.reserveCapacity(flags.count + range.count)
            for x in v[range] { flags.append(x.isNaN ? -1 : (x != 0 ? 1 : 0)) }
        case .text(let c, _):
            codes.reserveCapacity(codes.count + range.count)
            map.withUnsafeBufferPointer { m in
                for x in c[range] { codes.append(x < 0 ? -1 : m[Int(x)]) }
            }
        }
    }

    private mutating func appendMissing(_ n: Int) {
        switch kind {
        case .numeric?: numbers.append(contentsOf: repeatElement(.nan, count: n))
        case .boolean?: flags.append(contentsOf: repeatElement(-1, count: n))
        case .text?: codes.append(contentsOf: repeatElement(-1, count: n))
        case nil: break
        }
    }

    /// Writes the buffered rows to the dataset at row `start` (the dataset already extends
    /// over them) and empties the buffer; whether HDF5 wrote them. Called with `HDF5Lock` held.
    mutating func write(from start: Int) -> Bool {
        let n = buffered
        guard n > 0 else { return true }
        let space = H5Dget_space(dataset)
        guard space >= 0 else { return false }
        defer { H5Sclose(space) }
        var offset = hsize_t(start), count = hsize_t(n)
        guard H5Sselect_hyperslab(space, H5S_SELECT_SET, &offset, nil, &count, nil) >= 0 else { return false }
        let memory = H5Screate_simple(1, &count, nil)
        guard memory >= 0 else { return false }
        defer { H5Sclose(memory) }
        let status: herr_t
        switch kind {
        case .numeric?:
            status = numbers.withUnsafeBytes { H5Dwrite(dataset, steppe_H5T_NATIVE_DOUBLE(), memory, space, H5.defaultList, $0.baseAddress!) }
            numbers.removeAll(keepingCapacity: true)
        case .boolean?:
            status = flags.withUnsafeBytes { H5Dwrite(dataset, steppe_H5T_NATIVE_INT8(), memory, space, H5.defaultList, $0.baseAddress!) }
            flags.removeAll(keepingCapacity: true)
        case .text?:
            status = codes.withUnsafeBytes { H5Dwrite(dataset, steppe_H5T_NATIVE_INT32(), memory, space, H5.defaultList, $0.baseAddress!) }
            codes.removeAll(keepingCapacity: true)
        case nil:
            return true
        }
        return status >= 0
    }

    /// The kind in words, for errors.
    static func noun(_ kind: Column.Kind) -> String {
        switch kind {
        case .numeric: return "numbers"
        case .boolean: return "true/false values"
        case .text: return "text"
        }
    }
}
