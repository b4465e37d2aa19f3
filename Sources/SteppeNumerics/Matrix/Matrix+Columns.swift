extension Matrix {
    /// Column `j` as a slice of the storage, without copying. Complexity: O(1).
    ///
    /// The slice shares storage with the matrix until either is written.
    public func column(_ j: Int) -> ArraySlice<Double> {
        precondition(j >= 0 && j < columns, "Matrix column index out of range")
        return elements[(j * rows)..<((j + 1) * rows)]
    }

    /// Row `i`, copied (rows are strided in column-major storage). Complexity: O(columns).
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix row index out of range")
        return (0..<columns).map { elements[i + $0 * rows] }
    }

    /// Replaces column `j` with `values`.
    ///
    /// - Throws: `NumericsError.shapeMismatch` when `values.count != rows`.
    /// Complexity: O(rows).
    public mutating func setColumn(_ j: Int, to values: some Collection<Double>) throws(NumericsError) {
        precondition(j >= 0 && j < columns, "Matrix column index out of range")
        guard values.count == rows else {
            throw .shapeMismatch(operation: "Matrix.setColumn", detail: "\(values.count) values for \(rows) rows")
        }
        elements.replaceSubrange((j * rows)..<((j + 1) * rows), with: values)
    }

    /// The columns in `range`, copied into a new matrix. Complexity: O(rows · range.count).
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "Matrix column range out of range")
        return Matrix(uncheckedRows: rows, columns: range.count,
                      elements: Array(elements[(range.lowerBound * rows)..<(range.upperBound * rows)]))
    }

    /// The listed columns, in the order given, copied into a new matrix.
    /// Complexity: O(rows · indices.count).
    public func columns(_ indices: [Int]) -> Matrix {
        var storage: [Double] = []
        storage.reserveCapacity(rows * indices.count)
        for j in indices { storage.append(contentsOf: column(j)) }
        return Matrix(uncheckedRows: rows, columns: indices.count, elements: storage)
    }

    /// The main diagonal, of length min(rows, columns). Complexity: O(min(rows, columns)).
    public var diagonal: [Double] {
        (0..<Swift.min(rows, columns)).map { elements[$0 + $0 * rows] }
    }

    /// Calls `body` with a pointer to the column-major storage (leading dimension `rows`).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the column-major storage (leading dimension `rows`).
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        try elements.withUnsafeMutableBufferPointer(body)
    }
}
