extension Matrix {
    /// The n×n identity matrix. Complexity: O(n²).
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = 1 }
        return m
    }

    /// A diagonal matrix with `diagonal` on its diagonal. Complexity: O(n²).
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i + i * n] = diagonal[i] }
        return m
    }

    /// A matrix from a list of rows, as one writes it on paper.
    ///
    /// - Throws: `NumericsError.shapeMismatch` when the rows differ in length.
    /// Complexity: O(rows · columns).
    public init(rows data: [[Double]]) throws(NumericsError) {
        let r = data.count
        let c = data.first?.count ?? 0
        var storage = [Double](repeating: 0, count: r * c)
        for (i, row) in data.enumerated() {
            guard row.count == c else {
                throw .shapeMismatch(operation: "Matrix(rows:)", detail: "row \(i) has \(row.count) elements, row 0 has \(c)")
            }
            for j in 0..<c { storage[i + j * r] = row[j] }
        }
        self.init(uncheckedRows: r, columns: c, elements: storage)
    }

    /// A matrix from a list of columns (each becomes one contiguous column).
    ///
    /// The columns are copied straight into storage that is not zeroed first, on all cores
    /// when the matrix holds at least `Parallel.chunkLength` elements (a design of 10⁶ rows
    /// and 21 columns: one 160 MB pass, not a zeroing pass and a copy on one core).
    ///
    /// - Throws: `NumericsError.shapeMismatch` when the columns differ in length.
    /// Complexity: O(rows · columns).
    public init(columns data: [[Double]]) throws(NumericsError) {
        let r = data.first?.count ?? 0
        for (j, column) in data.enumerated() where column.count != r {
            throw .shapeMismatch(operation: "Matrix(columns:)", detail: "column \(j) has \(column.count) elements, column 0 has \(r)")
        }
        let storage = [Double](unsafeUninitializedCapacity: r * data.count) { out, initialized in
            guard r > 0 else { initialized = 0; return }
            let shared = SharedBuffer(out.baseAddress!)
            let copy: @Sendable (Int) -> Void = { j in
                data[j].withUnsafeBufferPointer { (shared.base + j * r).initialize(from: $0.baseAddress!, count: r) }
            }
            if r * data.count >= Parallel.chunkLength {
                _ = Parallel.map(data.count, copy)
            } else {
                for j in data.indices { copy(j) }
            }
            initialized = r * data.count
        }
        self.init(uncheckedRows: r, columns: data.count, elements: storage)
    }

    /// A column vector (n×1) holding `values`.
    public init(column values: [Double]) {
        self.init(uncheckedRows: values.count, columns: 1, elements: values)
    }
}
