/// A table of named columns of equal length: what a CSV file or a bundled dataset becomes.
///
/// Columnar, so a model that uses four columns of a wide file touches only those four.
/// Immutable; the operations that select rows or add columns return new tables, whose
/// untouched columns share storage with the old one.
public struct Table: Sendable, Equatable {
    /// The columns, in file order.
    public let columns: [Column]
    /// The number of rows.
    public let rowCount: Int
    private let index: [String: Int]

    /// A table of the given columns.
    ///
    /// - Throws: `TableError.lengthMismatch` when the columns differ in length,
    ///   `TableError.duplicateColumn` when two have the same name.
    public init(columns: [Column]) throws(TableError) {
        var index: [String: Int] = [:]
        let count = columns.first?.count ?? 0
        for (j, c) in columns.enumerated() {
            guard c.count == count else {
                throw .lengthMismatch(column: c.name, rows: c.count, expected: count)
            }
            guard index[c.name] == nil else { throw .duplicateColumn(c.name) }
            index[c.name] = j
        }
        self.columns = columns
        self.rowCount = count
        self.index = index
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The column called `name`, or `nil`.
    public subscript(name: String) -> Column? {
        index[name].map { columns[$0] }
    }

    /// The column called `name`.
    ///
    /// - Throws: `TableError.unknownColumn`, listing the columns there are.
    public func column(_ name: String) throws(TableError) -> Column {
        guard let j = index[name] else { throw .unknownColumn(name, available: columnNames) }
        return columns[j]
    }

    /// The rows at `indices`, in that order. Complexity: O(rows selected · columns).
    public func rows(_ indices: [Int]) -> Table {
        // Lengths agree and names are unique by construction.
        try! Table(columns: columns.map { $0.rows(indices) })
    }

    /// A table with `column` added, or replacing the column of the same name.
    ///
    /// - Throws: `TableError.lengthMismatch` when its length differs.
    public func adding(_ column: Column) throws(TableError) -> Table {
        var cols = columns
        if let j = index[column.name] { cols[j] = column } else { cols.append(column) }
        return try Table(columns: cols)
    }
}

/// Errors from building or querying a `Table`.
public enum TableError: Error, Equatable, Sendable, CustomStringConvertible {
    case lengthMismatch(column: String, rows: Int, expected: Int)
    case duplicateColumn(String)
    case unknownColumn(String, available: [String])

    public var description: String {
        switch self {
        case let .lengthMismatch(column, rows, expected):
            return "column '\(column)' has \(rows) rows, the others \(expected)"
        case let .duplicateColumn(name):
            return "two columns are named '\(name)'"
        case let .unknownColumn(name, available):
            let shown = available.prefix(12).joined(separator: ", ")
            return "no column named '\(name)' (columns: \(shown)\(available.count > 12 ? ", …" : ""))"
        }
    }
}
