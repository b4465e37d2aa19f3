/// A table read in ranges of rows, never whole: the input of out-of-core fits.
///
/// An in-memory `Table` is one (its ranges are slices); a column store on disk
/// (`ColumnStore`, an HDF5 file) is the other, whose ranges are read from the file on
/// demand, so memory holds one range at a time whatever the number of rows.
///
/// Text columns come back with their codes into the table's one list of levels (the
/// same list for every range), so a code means the same level in every range and a
/// fixed effect read range by range needs no recoding.
public protocol ChunkedTable: Sendable {
    /// The number of rows.
    var rowCount: Int { get }
    /// The column names, in order.
    var columnNames: [String] { get }
    /// Rows `range` of the columns `names` (in that order), as a `Table`; text columns
    /// carry the whole level list.
    /// - Throws: `ChunkedTableError` for an unknown column, a range outside the table, a read
    ///   failure, or a file that changed since it was opened.
    func rows(_ range: Range<Int>, columns names: [String]) throws(ChunkedTableError) -> Table
    /// Throws when the data under the table changed since it was opened (a file whose size
    /// or modification time differ): a fit reads it many times and must not mix two versions.
    func checkUnchanged() throws(ChunkedTableError)
}

/// Why a range of a `ChunkedTable` could not be read: one line, naming the file when there is one.
public struct ChunkedTableError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Table: ChunkedTable {
    public func rows(_ range: Range<Int>, columns names: [String]) throws(ChunkedTableError) -> Table {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw ChunkedTableError("rows \(range.lowerBound)..<\(range.upperBound) are outside the table's \(rowCount)")
        }
        var picked: [Column] = []
        for name in names {
            guard let column = self[name] else { throw ChunkedTableError("no column named '\(name)'") }
            picked.append(column.slice(range))
        }
        do { return try Table(columns: picked) } catch { throw ChunkedTableError(error.description) }
    }

    /// A table in memory does not change.
    public func checkUnchanged() throws(ChunkedTableError) {}
}

extension Column {
    /// Rows `range` of the column (text keeps all its levels).
    public func slice(_ range: Range<Int>) -> Column {
        switch values {
        case .numeric(let v): return Column(name: name, values: .numeric(Array(v[range])))
        case .boolean(let v): return Column(name: name, values: .boolean(Array(v[range])))
        case .text(let codes, let levels): return Column(name: name, values: .text(codes: Array(codes[range]), levels: levels))
        }
    }
}
