#if canImport(Glibc)
import Glibc
#endif
internal import CHDF5

/// Writes a column store (`ColumnStoreFormat`) from tables of rows appended one after the
/// other, so that a file larger than memory is converted in bounded memory: the writer
/// holds one chunk of rows (`chunkRows`) per column and each text column's levels.
///
/// ```swift
/// let writer = try ColumnStoreWriter(path: "flows.h5", steppeVersion: "0.1.0")
/// try CSVReader.readBatches(path: "flows.csv") { batch in try writer.append(batch) }
/// try writer.finish()
/// ```
///
/// - The first batch fixes the columns (names and order); every later batch has the same
///   names in the same order.
/// - A column's kind is fixed by the first batch in which it holds a value: a numeric
///   column all missing is not yet any kind (it is how a CSV column whose cells so far are
///   all missing reads), so the rows before are missing in whatever kind comes. After
///   that, a batch whose column has another kind is an error naming the column and row,
///   unless all its cells are missing (then they are written as missing). A column never
///   given a value is numeric, all NaN, as `CSVReader` reads it.
/// - Text levels are global: each batch's levels are mapped to the store's codes, new
///   levels numbered in the order they come (a batch's own levels in its order, which
///   for `CSVReader`'s batches is first appearance), so the store's levels are in order
///   of first appearance over all rows, as `CSVReader.read` numbers them; a table written
///   whole keeps its level list exactly. Levels equal as Swift Strings (canonically
///   equivalent) share one code, as in `CSVReader`.
/// - Rows are written a chunk at a time, when one is complete, and the rest at `finish`,
///   which also writes the levels, the names, the kinds and, last, `@rows`. A writer
///   dropped without `finish` closes the file, which is then no store (it has no `@rows`).
///
/// The file at `path` is created (replaced when it exists) at once: to replace a store
/// only by a complete one, write to a temporary path and rename it (as `steppe convert`
/// does). After an error, the writer refuses everything (its file is incomplete).
public final class ColumnStoreWriter {
    /// The file being written.
    public let path: String
    /// Rows per chunk of the column datasets (and rows the writer buffers).
    public let chunkRows: Int
    /// Rows appended so far.
    public private(set) var rowCount = 0

    private var file: hid_t = -1
    private var columnGroup: hid_t = -1
    private var columns: [StoreColumn] = []
    private var started = false
    private var flushedRows = 0
    /// The datasets' chunk length, decided at the first write: `chunkRows`, or the number
    /// of rows when the whole store is written at `finish` and is shorter than one chunk.
    private var storeChunk: Int? = nil
    private var state = State.open
    /// HDF5 objects of the file open just before `finish` closed it: the file, the
    /// `columns` group and one dataset per column when nothing leaked (a check for tests).
    package private(set) var openObjectsAtFinish = 0

    private enum State { case open, finished, failed }

    /// Creates the store file at `path` (replacing any file there) and writes its version
    /// attributes; `steppeVersion` is recorded as `@steppe_version`.
    ///
    /// - Parameter chunkRows: rows per chunk, positive (a programmer error otherwise, which
    ///   traps). Default `ColumnStore.defaultChunkRows` (65,536; see `ColumnStoreFormat`).
    /// - Throws: `ColumnStoreError` when the file cannot be created (no such directory, no
    ///   permission, a full disk).
    public convenience init(path: String, steppeVersion: String = "unknown", chunkRows: Int = ColumnStore.defaultChunkRows) throws(ColumnStoreError) {
        try self.init(path: path, steppeVersion: steppeVersion, chunkRows: chunkRows, formatVersion: ColumnStoreFormat.version)
    }

    /// A writer that records `formatVersion` as `@steppe_store_version`: for tests of how
    /// readers refuse stores of other versions. Not API.
    package init(path: String, steppeVersion: String, chunkRows: Int, formatVersion: Int64) throws(ColumnStoreError) {
        precondition(chunkRows > 0, "ColumnStoreWriter: chunkRows must be positive")
        self.path = path
        self.chunkRows = chunkRows
        let created: Result<(hid_t, hid_t), ColumnStoreError> = HDF5Lock.run {
            let file = H5Fcreate(path, steppe_H5F_ACC_TRUNC(), H5.defaultList, H5.defaultList)
            guard file >= 0 else { return .failure(ColumnStoreError("cannot create the store \(path): \(H5.reason())")) }
            let columns = H5Gcreate2(file, ColumnStoreFormat.columnsGroup, H5.defaultList, H5.defaultList, H5.defaultList)
            guard columns >= 0,
                  H5.writeAttribute(file, ColumnStoreFormat.storeVersionAttribute, formatVersion, fileType: steppe_H5T_STD_I32LE()),
                  H5.writeAttribute(file, ColumnStoreFormat.steppeVersionAttribute, steppeVersion)
            else {
                let error = ColumnStoreError("cannot create the store \(path): \(H5.reason())")
                if columns >= 0 { H5Gclose(columns) }
                H5Fclose(file)
                return .failure(error)
            }
            return .success((file, columns))
        }
        switch created {
        case .success(let ids): (file, columnGroup) = ids
        case .failure(let error): throw error
        }
    }

    deinit {
        let (file, group, datasets) = (self.file, columnGroup, columns.map(\.dataset))
        HDF5Lock.run { Self.close(file: file, group: group, datasets: datasets) }
    }

    /// Appends the rows of `batch` (any number, 0 included).
    ///
    /// Complexity: O(rows · columns), plus one dictionary look-up per level of each text
    /// column; a chunk is written to the file each time `chunkRows` rows are complete.
    /// - Throws: `ColumnStoreError` for columns other than the first batch's, a column
    ///   whose kind differs from the store's (naming it and the row), a name or level with
    ///   a NUL byte, a failed write, or a writer already finished or failed.
    public func append(_ batch: Table) throws(ColumnStoreError) {
        try requireOpen()
        do throws(ColumnStoreError) {
            try appendRows(batch)
        } catch {
            state = .failed
            throw error
        }
    }

    /// Writes the last rows, the levels, the column names and kinds and the row count, and
    /// closes the file: it is then a complete store.
    /// - Throws: `ColumnStoreError` for a failed write (a full disk), or a writer already
    ///   finished or failed.
    public func finish() throws(ColumnStoreError) {
        try requireOpen()
        state = .failed                 // until it succeeds
        let (path, rows) = (self.path, rowCount)
        try flush(final: true)
        let failure: String? = HDF5Lock.run {
            var ok = true
            for j in columns.indices where columns[j].dataset < 0 {
                // Never given a value: numeric, all missing (the fill value).
                columns[j].kind = .numeric
                columns[j].dataset = createDataset(j, rows: rows)
                ok = ok && columns[j].dataset >= 0
            }
            ok = ok && writeLevels()
            ok = ok && H5.writeStrings(file, ColumnStoreFormat.namesDataset, columns.map(\.name))
            ok = ok && H5.writeStrings(file, ColumnStoreFormat.kindsDataset, columns.map { ($0.kind ?? .numeric).rawValue })
            ok = ok && H5.writeAttribute(file, ColumnStoreFormat.rowsAttribute, Int64(rows), fileType: steppe_H5T_STD_I64LE())
            ok = ok && H5Fflush(file, H5F_SCOPE_GLOBAL) >= 0
            let reason = ok ? nil : H5.reason()
            openObjectsAtFinish = Int(H5Fget_obj_count(file, steppe_H5F_OBJ_ALL()))
            let closed = Self.close(file: file, group: columnGroup, datasets: columns.map(\.dataset))
            file = -1
            columnGroup = -1
            for j in columns.indices { columns[j].dataset = -1 }
            return reason ?? (closed ? nil : H5.reason())
        }
        if let failure { throw ColumnStoreError("cannot finish the store \(path): \(failure)") }
        state = .finished
    }

    private func requireOpen() throws(ColumnStoreError) {
        switch state {
        case .open: return
        case .finished: throw ColumnStoreError("the store \(path) is already finished")
        case .failed: throw ColumnStoreError("the store \(path) is incomplete: an earlier write failed")
        }
    }

    private func appendRows(_ batch: Table) throws(ColumnStoreError) {
        if !started {
            if let j = batch.columnNames.firstIndex(where: { $0.utf8.contains(0) }) {
                throw ColumnStoreError("cannot store column \(j + 1) in \(path): its name holds a NUL byte")
            }
            columns = batch.columnNames.map { StoreColumn(name: $0) }
            started = true
        } else if batch.columnNames != columns.map(\.name) {
            throw ColumnStoreError("a batch for \(path) has the columns \(Self.list(batch.columnNames)) where the store has \(Self.list(columns.map(\.name)))")
        }
        // Each column's part in this batch: its kind checked (or decided), its levels mapped.
        var parts: [StoreColumn.Part] = []
        parts.reserveCapacity(columns.count)
        for (j, column) in batch.columns.enumerated() {
            parts.append(try columns[j].prepare(column, buffered: rowCount - flushedRows, firstRow: rowCount, store: path))
        }
        var offset = 0
        while offset < batch.rowCount {
            let n = min(batch.rowCount - offset, chunkRows - (rowCount - flushedRows))
            for j in columns.indices { columns[j].append(parts[j], batch.columns[j], offset..<(offset + n)) }
            rowCount += n
            offset += n
            if rowCount - flushedRows == chunkRows { try flush(final: false) }
        }
    }

    /// Writes the buffered rows of every column that has a kind (creating its dataset at
    /// the first write, with the rows before it missing: the fill value).
    private func flush(final: Bool) throws(ColumnStoreError) {
        if storeChunk == nil { storeChunk = final ? max(1, min(chunkRows, rowCount)) : chunkRows }
        let (start, end) = (flushedRows, rowCount)
        let failure: String? = HDF5Lock.run {
            for j in columns.indices where columns[j].kind != nil {
                if columns[j].dataset < 0 {
                    columns[j].dataset = createDataset(j, rows: end)
                    guard columns[j].dataset >= 0 else { return H5.reason() }
                } else if end > start {
                    var size = hsize_t(end)
                    guard H5Dset_extent(columns[j].dataset, &size) >= 0 else { return H5.reason() }
                }
                if end > start {
                    guard columns[j].write(from: start) else { return H5.reason() }
                }
            }
            return nil
        }
        if let failure {
            throw ColumnStoreError("cannot write rows \(start + 1)–\(end) to the store \(path): \(failure)")
        }
        flushedRows = end
    }

    /// Creates column `j`'s dataset, `rows` long, extensible, chunked by `storeChunk`, with
    /// the kind's missing value as its fill value, and its `@name` and `@kind`; −1 on failure.
    private func createDataset(_ j: Int, rows: Int) -> hid_t {
        let kind = columns[j].kind ?? .numeric
        var dims = hsize_t(rows), maxDims = steppe_H5S_UNLIMITED(), chunk = hsize_t(storeChunk ?? chunkRows)
        let space = H5Screate_simple(1, &dims, &maxDims)
        guard space >= 0 else { return -1 }
        defer { H5Sclose(space) }
        let properties = H5Pcreate(steppe_H5P_DATASET_CREATE())
        guard properties >= 0 else { return -1 }
        defer { H5Pclose(properties) }
        guard H5Pset_chunk(properties, 1, &chunk) >= 0 else { return -1 }
        let fileType: hid_t
        let filled: herr_t
        switch kind {
        case .numeric:
            var fill = Double.nan
            fileType = steppe_H5T_IEEE_F64LE()
            filled = H5Pset_fill_value(properties, steppe_H5T_NATIVE_DOUBLE(), &fill)
        case .boolean:
            var fill: Int8 = -1
            fileType = steppe_H5T_STD_I8LE()
            filled = H5Pset_fill_value(properties, steppe_H5T_NATIVE_INT8(), &fill)
        case .text:
            var fill: Int32 = -1
            fileType = steppe_H5T_STD_I32LE()
            filled = H5Pset_fill_value(properties, steppe_H5T_NATIVE_INT32(), &fill)
        }
        guard filled >= 0 else { return -1 }
        let dataset = H5Dcreate2(columnGroup, ColumnStoreFormat.datasetName(j), fileType, space, H5.defaultList, properties, H5.defaultList)
        guard dataset >= 0 else { return -1 }
        guard H5.writeAttribute(dataset, ColumnStoreFormat.nameAttribute, columns[j].name),
              H5.writeAttribute(dataset, ColumnStoreFormat.kindAttribute, kind.rawValue)
        else {
            H5Dclose(dataset)
            return -1
        }
        return dataset
    }

    /// Writes `levels/j` for every text column.
    private func writeLevels() -> Bool {
        let group = H5Gcreate2(file, ColumnStoreFormat.levelsGroup, H5.defaultList, H5.defaultList, H5.defaultList)
        guard group >= 0 else { return false }
        defer { H5Gclose(group) }
        for (j, column) in columns.enumerated() where column.kind == .text {
            guard H5.writeStrings(group, ColumnStoreFormat.datasetName(j), column.levels) else { return false }
        }
        return true
    }

    /// Closes the datasets, the group and the file (those not −1); whether all closed.
    @discardableResult
    private static func close(file: hid_t, group: hid_t, datasets: [hid_t]) -> Bool {
        var ok = true
        for d in datasets where d >= 0 { ok = H5Dclose(d) >= 0 && ok }
        if group >= 0 { ok = H5Gclose(group) >= 0 && ok }
        if file >= 0 { ok = H5Fclose(file) >= 0 && ok }
        return ok
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + ", … (\(names.count))"
    }
}
