#if canImport(Glibc)
import Glibc
#endif
internal import CHDF5

extension ColumnStore {
    /// Rows `range` of the columns `names`, in that order, read from the file: one
    /// hyperslab per column. Text columns carry the store's whole level list, so a code
    /// means the same level in every range.
    ///
    /// Complexity: O(rows in `range` · columns asked for), and the bytes read; a range
    /// aligned on `ColumnStore.defaultChunkRows` reads whole chunks.
    /// - Throws: `ChunkedTableError` for an unknown column, a range outside the store, a
    ///   file changed since it was opened (`checkUnchanged`), or a read that fails or
    ///   finds values no store holds (a damaged file).
    public func rows(_ range: Range<Int>, columns names: [String]) throws(ChunkedTableError) -> Table {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw ChunkedTableError("\(path): rows \(range.lowerBound)..<\(range.upperBound) are outside the store's \(rowCount)")
        }
        var picked: [Int] = []
        for name in names {
            guard let j = columnIndex[name] else {
                let shown = columnNames.prefix(12).joined(separator: ", ")
                throw ChunkedTableError("\(path): no column named '\(name)' (columns: \(shown)\(columnNames.count > 12 ? ", …" : ""))")
            }
            picked.append(j)
        }
        try checkUnchanged()
        let read: Result<[Column], ChunkedTableError> = HDF5Lock.run {
            var columns: [Column] = []
            for j in picked {
                switch readColumn(j, range) {
                case .success(let c): columns.append(c)
                case .failure(let e): return .failure(e)
                }
            }
            return .success(columns)
        }
        switch read {
        case .success(let columns):
            do { return try Table(columns: columns) } catch { throw ChunkedTableError("\(path): \(error.description)") }
        case .failure(let e):
            throw e
        }
    }

    /// The whole store as a `Table` in memory (all rows of all columns).
    /// - Throws: `ChunkedTableError` as `rows(_:columns:)` does.
    public func table() throws(ChunkedTableError) -> Table {
        try rows(0..<rowCount, columns: columnNames)
    }

    /// Throws when the file is no longer the one opened: another file at the path, or the
    /// same file with another size or modification time (see `FileIdentity`).
    public func checkUnchanged() throws(ChunkedTableError) {
        guard let now = FileIdentity(path) else {
            throw ChunkedTableError("\(path): the store cannot be read any more since it was opened (\(String(cString: strerror(errno))))")
        }
        guard now == identity else {
            throw ChunkedTableError("\(path): the store changed since it was opened (its size or modification time differ); "
                                    + "a fit must not mix two versions of its data: run it again")
        }
    }

    /// HDF5 objects of this store's file open now: the file and one dataset per column
    /// when nothing leaked (a check for tests). Not API.
    package var openObjects: Int {
        HDF5Lock.run { Int(H5Fget_obj_count(file, steppe_H5F_OBJ_ALL())) }
    }

    /// Column `j`'s rows `range`, checked; called with `HDF5Lock` held.
    private func readColumn(_ j: Int, _ range: Range<Int>) -> Result<Column, ChunkedTableError> {
        let name = columnNames[j]
        let n = range.count
        func damaged(_ why: String) -> Result<Column, ChunkedTableError> {
            .failure(ChunkedTableError("\(path): cannot read rows \(range.lowerBound)..<\(range.upperBound) of column '\(name)': \(why) (a damaged or truncated store?)"))
        }
        switch kinds[j] {
        case .numeric:
            var ok = true
            let values = [Double](unsafeUninitializedCapacity: n) { buffer, count in
                ok = read(datasets[j], range, steppe_H5T_NATIVE_DOUBLE(), UnsafeMutableRawPointer(buffer.baseAddress))
                count = n
            }
            guard ok else { return damaged(H5.lastError()) }
            return .success(Column(name: name, values: .numeric(values)))
        case .boolean:
            var ok = true
            let flags = [Int8](unsafeUninitializedCapacity: n) { buffer, count in
                ok = read(datasets[j], range, steppe_H5T_NATIVE_INT8(), UnsafeMutableRawPointer(buffer.baseAddress))
                count = n
            }
            guard ok else { return damaged(H5.lastError()) }
            var values = [Double](repeating: .nan, count: n)
            for (i, f) in flags.enumerated() {
                switch f {
                case 1: values[i] = 1
                case 0: values[i] = 0
                case -1: break
                default: return damaged("the value \(f) in a boolean column")
                }
            }
            return .success(Column(name: name, values: .boolean(values)))
        case .text:
            var ok = true
            let codes = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
                ok = read(datasets[j], range, steppe_H5T_NATIVE_INT32(), UnsafeMutableRawPointer(buffer.baseAddress))
                count = n
            }
            guard ok else { return damaged(H5.lastError()) }
            let levelCount = Int32(levels[j].count)
            // One pass that vectorises: every code must be −1 or a level's.
            var bad = false
            for c in codes { bad = bad || c < -1 || c >= levelCount }
            if bad, let c = codes.first(where: { $0 < -1 || $0 >= levelCount }) {
                return damaged("the code \(c) outside its \(levelCount) levels")
            }
            return .success(Column(name: name, values: .text(codes: codes, levels: levels[j])))
        }
    }

    /// Reads rows `range` of `dataset` as `memoryType` into `destination`; whether HDF5 did.
    private func read(_ dataset: hid_t, _ range: Range<Int>, _ memoryType: hid_t, _ destination: UnsafeMutableRawPointer?) -> Bool {
        guard !range.isEmpty, let destination else { return true }
        let space = H5Dget_space(dataset)
        guard space >= 0 else { return false }
        defer { H5Sclose(space) }
        var start = hsize_t(range.lowerBound), count = hsize_t(range.count)
        guard H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nil, &count, nil) >= 0 else { return false }
        let memory = H5Screate_simple(1, &count, nil)
        guard memory >= 0 else { return false }
        defer { H5Sclose(memory) }
        return H5Dread(dataset, memoryType, memory, space, H5.defaultList, destination) >= 0
    }
}
