#if canImport(Glibc)
import Glibc
#endif
internal import CHDF5

/// A column store on disk (`ColumnStoreFormat`: an HDF5 file), read in ranges of rows: the
/// `ChunkedTable` of out-of-core fits, written by `ColumnStoreWriter` or `steppe convert`.
///
/// Opening reads the store's description (names, kinds, row count) and every text
/// column's levels, and checks them: a range then costs one hyperslab read per column
/// asked for. The file stays open (read-only) until the store is released.
///
/// ```swift
/// let store = try ColumnStore(path: "flows.h5")
/// for start in stride(from: 0, to: store.rowCount, by: 65_536) {
///     let part = try store.rows(start..<min(start + 65_536, store.rowCount), columns: ["flow", "origin"])
///     …
/// }
/// ```
///
/// Every read first checks that the file is the one opened (`checkUnchanged`): its device,
/// inode, size and modification time. All HDF5 calls are made under `HDF5Lock` (the serial
/// library is not thread-safe), so stores may be read from several threads, one read at a
/// time.
public final class ColumnStore: ChunkedTable {
    /// The file.
    public let path: String
    /// The number of rows (`@rows`).
    public let rowCount: Int
    /// The column names, in order.
    public let columnNames: [String]
    /// Each column's kind, in column order.
    public let kinds: [Column.Kind]
    /// The version of steppe that wrote the store (`@steppe_version`).
    public let steppeVersion: String

    /// Each text column's levels (empty for others), in column order.
    let levels: [[String]]
    let file: hid_t
    /// Column j's dataset, open.
    let datasets: [hid_t]
    let columnIndex: [String: Int]
    /// The file as it was when opened.
    let identity: FileIdentity

    /// Opens the store at `path`.
    ///
    /// - Throws: `ChunkedTableError`, one line naming the file, for a file that is missing or
    ///   not HDF5, an HDF5 file that is not a Steppe store, a store of another format
    ///   version (naming both), an incomplete store (its writing never finished), and a
    ///   damaged or truncated one.
    public init(path: String) throws(ChunkedTableError) {
        guard let identity = FileIdentity(path) else {
            throw ChunkedTableError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        if identity.isDirectory { throw ChunkedTableError("\(path): is a directory, not a column store") }
        // A FIFO or device has no size to check and cannot be read at offsets; HDF5 would wait on a FIFO.
        if !identity.isRegular { throw ChunkedTableError("\(path): not a regular file, so not a column store") }
        guard access(path, R_OK) == 0 else {
            throw ChunkedTableError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        let opened: Result<Opened, ChunkedTableError> = HDF5Lock.run { Opened.open(path) }
        let store: Opened
        switch opened {
        case .success(let s): store = s
        case .failure(let e): throw e
        }
        self.path = path
        self.rowCount = store.rows
        self.columnNames = store.names
        self.kinds = store.kinds
        self.steppeVersion = store.steppeVersion
        self.levels = store.levels
        self.file = store.file
        self.datasets = store.datasets
        self.columnIndex = Dictionary(store.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.identity = identity
    }

    deinit {
        let (file, datasets) = (self.file, self.datasets)
        HDF5Lock.run {
            for d in datasets { H5Dclose(d) }
            H5Fclose(file)
        }
    }

    /// Writes `table` as a store at `path` (replacing any file there): a `ColumnStoreWriter`
    /// given the whole table as one batch, so the store reads back as `table` exactly
    /// (text columns keep their level lists, unused levels included).
    /// - Throws: `ColumnStoreError` as `ColumnStoreWriter` does.
    public static func write(table: Table, to path: String, steppeVersion: String = "unknown",
                             chunkRows: Int = ColumnStore.defaultChunkRows) throws(ColumnStoreError) {
        let writer = try ColumnStoreWriter(path: path, steppeVersion: steppeVersion, chunkRows: chunkRows)
        try writer.append(table)
        try writer.finish()
    }
}

/// What opening a store found, built under `HDF5Lock`; every identifier is closed on a failure.
struct Opened: Sendable {
    var file: hid_t
    var rows: Int
    var names: [String]
    var kinds: [Column.Kind]
    var steppeVersion: String
    var levels: [[String]]
    var datasets: [hid_t]

    static func open(_ path: String) -> Result<Opened, ChunkedTableError> {
        func fail(_ why: String) -> Result<Opened, ChunkedTableError> { .failure(ChunkedTableError("\(path): \(why)")) }
        guard H5Fis_hdf5(path) > 0 else {
            return fail("not an HDF5 file, so not a column store (write one with `steppe convert FILE.csv STORE.h5`)")
        }
        let file = H5Fopen(path, steppe_H5F_ACC_RDONLY(), H5.defaultList)
        guard file >= 0 else { return fail("a damaged or truncated HDF5 file (\(H5.lastError()))") }
        var datasets: [hid_t] = []
        func failClosing(_ why: String) -> Result<Opened, ChunkedTableError> {
            for d in datasets { H5Dclose(d) }
            H5Fclose(file)
            return fail(why)
        }
        let F = ColumnStoreFormat.self
        guard H5.hasAttribute(file, F.storeVersionAttribute) else {
            return failClosing("an HDF5 file, but not a Steppe column store (it has no @\(F.storeVersionAttribute))")
        }
        guard let version = H5.integerAttribute(file, F.storeVersionAttribute) else {
            return failClosing("a damaged column store (its @\(F.storeVersionAttribute) is not an integer)")
        }
        let steppe = H5.stringAttribute(file, F.steppeVersionAttribute) ?? "unknown"
        guard version == F.version else {
            return failClosing("written by store version \(version) (steppe \(steppe)); this steppe reads version \(F.version)")
        }
        guard H5.hasAttribute(file, F.rowsAttribute) else {
            return failClosing("an incomplete column store (no @\(F.rowsAttribute): its writing never finished)")
        }
        guard let rows64 = H5.integerAttribute(file, F.rowsAttribute), rows64 >= 0, let rows = Int(exactly: rows64) else {
            return failClosing("a damaged column store (its @\(F.rowsAttribute) is not a count)")
        }
        guard let names = H5.readStrings(file, F.namesDataset), let kindNames = H5.readStrings(file, F.kindsDataset),
              names.count == kindNames.count
        else { return failClosing("a damaged column store (its \(F.namesDataset) and \(F.kindsDataset) cannot be read)") }
        var kinds: [Column.Kind] = []
        for (name, k) in zip(names, kindNames) {
            guard let kind = Column.Kind(rawValue: k) else {
                return failClosing("a damaged column store (column '\(name)' has the unknown kind '\(k)')")
            }
            kinds.append(kind)
        }
        guard Set(names).count == names.count else { return failClosing("a damaged column store (two columns have one name)") }
        var levels: [[String]] = []
        for (j, kind) in kinds.enumerated() {
            let name = "\(F.columnsGroup)/\(F.datasetName(j))"
            guard H5.hasLink(file, F.columnsGroup), H5.hasLink(file, name) else {
                return failClosing("a damaged column store (column '\(names[j])' has no dataset \(name))")
            }
            let d = H5Dopen2(file, name, H5.defaultList)
            guard d >= 0 else { return failClosing("a damaged column store (\(name): \(H5.lastError()))") }
            datasets.append(d)
            guard H5.length(d) == rows else {
                return failClosing("a damaged column store (\(name), column '\(names[j])', does not hold \(rows) rows)")
            }
            let expected = kind == .numeric ? H5T_FLOAT : H5T_INTEGER
            guard H5.typeClass(d) == expected else {
                return failClosing("a damaged column store (\(name), column '\(names[j])', is not of a \(kind.rawValue) column's type)")
            }
            if kind == .text {
                let levelsName = "\(F.levelsGroup)/\(F.datasetName(j))"
                guard H5.hasLink(file, F.levelsGroup), let list = H5.readStrings(file, levelsName) else {
                    return failClosing("a damaged column store (text column '\(names[j])' has no levels \(levelsName))")
                }
                levels.append(list)
            } else {
                levels.append([])
            }
        }
        return .success(Opened(file: file, rows: rows, names: names, kinds: kinds, steppeVersion: steppe,
                               levels: levels, datasets: datasets))
    }
}
