/// A dense matrix of `Double`, stored column by column (column-major, as BLAS and LAPACK expect).
///
/// Element (i, j) lives at `elements[i + j * rows]`. Storage is a Swift array, so
/// copies are cheap until one of them is written (copy-on-write), and a column is
/// a contiguous run of `rows` numbers: `column(_:)` hands it out without copying,
/// which is what tall data (millions of rows, tens of columns) needs.
///
/// Index checks: subscripts trap on an index out of range, as `Array` does; that is a
/// programmer error. Everything that depends on data (shapes of operands, finiteness)
/// is checked by the throwing operations instead.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order; `elements.count == rows * columns`.
    public internal(set) var elements: [Double]

    /// A `rows`×`columns` matrix with every element equal to `value`.
    ///
    /// Complexity: O(rows · columns).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage.
    ///
    /// - Throws: `NumericsError.shapeMismatch` when `elements.count != rows * columns`.
    public init(rows: Int, columns: Int, columnMajor elements: [Double]) throws(NumericsError) {
        guard rows >= 0, columns >= 0, elements.count == rows * columns else {
            throw .shapeMismatch(
                operation: "Matrix(rows:columns:columnMajor:)",
                detail: "\(elements.count) elements for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Internal initializer for storage whose size the caller guarantees.
    init(uncheckedRows rows: Int, columns: Int, elements: [Double]) {
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// Whether the matrix has no elements.
    public var isEmpty: Bool { rows == 0 || columns == 0 }

    /// Element (i, j), zero-based. Traps when out of range (a programmer error).
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return elements[row + column * rows]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            elements[row + column * rows] = newValue
        }
    }

    /// Whether every element is finite (no NaN, no infinity). Complexity: O(rows · columns).
    public var isFinite: Bool { elements.allSatisfy(\.isFinite) }
}

extension Matrix: CustomStringConvertible {
    /// Rows on separate lines, elements in `%g`-like shortest form; large matrices are elided.
    public var description: String {
        let maxShown = 8
        var lines = ["\(rows)×\(columns) Matrix"]
        for i in 0..<min(rows, maxShown) {
            var cells: [String] = []
            for j in 0..<min(columns, maxShown) { cells.append("\(self[i, j])") }
            if columns > maxShown { cells.append("…") }
            lines.append("  " + cells.joined(separator: "  "))
        }
        if rows > maxShown { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}
