/// Numbers parsed by the CSV reader's fast path, held column by column in a small block
/// and handed to their `ColumnBuilder`s a block at a time.
///
/// Appending each number to its column's `Array` costs a uniqueness check (a runtime
/// call) and a capacity check per cell, and interleaves writes to every column's fresh
/// memory: with the numbers themselves parsed in about 20–30 ns, storing them took a
/// third of a read (a read that stored nothing ran at 700–740 MB/s against 380–500). Here a cell costs one store into a block that stays in cache
/// (`rowsPerBlock` numbers per column, 2 KiB), and a full block goes to its column in one
/// `append(contentsOf:)`.
///
/// The owner keeps the order of each column's cells: before anything else appends to
/// column j (a missing or text cell, a record read by the general path), it drains
/// column j (`drain(column:into:)`), and it drains every column before its builders are
/// read or copied (`drainAll`). The storage is allocated by `init` and freed by
/// `deallocate()`, within one call of the reader.
struct StagedNumbers {
    /// Numbers per column per block. Default 256: 2 KiB a column, so the blocks of 40
    /// columns (80 KiB) stay in a core's L2 cache, and a drain's fixed cost is spread over
    /// 256 cells.
    static let rowsPerBlock = 256

    private let values: UnsafeMutablePointer<Double>
    private let counts: UnsafeMutablePointer<Int>
    let columns: Int

    init(columns: Int) {
        self.columns = columns
        values = .allocate(capacity: max(columns, 1) * Self.rowsPerBlock)
        counts = .allocate(capacity: max(columns, 1))
        counts.initialize(repeating: 0, count: max(columns, 1))
    }

    func deallocate() {
        values.deallocate()
        counts.deallocate()
    }

    /// Adds `x` to column `j`'s block; returns `true` when the block is now full (the
    /// caller then drains the column).
    @inline(__always)
    func push(_ x: Double, column j: Int) -> Bool {
        let k = counts[j]
        values[j &* Self.rowsPerBlock &+ k] = x
        counts[j] = k &+ 1
        return k &+ 1 == Self.rowsPerBlock
    }

    /// Moves column `j`'s numbers to the end of `builder` (which must be numeric when any are held).
    @inline(__always)
    func drain(column j: Int, into builder: inout ColumnBuilder) {
        let k = counts[j]
        guard k > 0 else { return }
        builder.appendNumbers(UnsafeBufferPointer(start: values + j &* Self.rowsPerBlock, count: k))
        counts[j] = 0
    }

    /// Moves every column's numbers to its builder.
    func drainAll(into builders: inout [ColumnBuilder]) {
        for j in 0..<min(columns, builders.count) { drain(column: j, into: &builders[j]) }
    }
}
