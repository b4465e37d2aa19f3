@_spi(SteppeInternal) import SteppeNumerics

/// y_ij = f(x_ij) (or f(x_ij, y_ij)) for every off-diagonal cell of an n × n row-major
/// matrix, y_ii = 0: the decay fit's log d and its prior d^β = exp(β log d), once per
/// evaluation of β.
///
/// Rows in the blocks of `BalancedPoissonFit` on all cores; each cell is written by one
/// task with a value that depends on its input alone, so the result is the same on any
/// number of cores. Row by row in memory order: reusing f(x_ij) for x_ji where distances
/// are symmetric halves the calls of `exp` but reads one of the two cells across the
/// rows, and on 10⁶ cells that took longer than the calls it saved (17 against 11 ms of
/// CPU a pass in a microbenchmark).
enum OffDiagonalMap {
    /// y_ij = f(x_ij), y_ii = 0.
    @inline(__always)
    static func map(_ x: [Double], into y: inout [Double], n: Int, _ f: @escaping @Sendable (Double) -> Double) {
        update(&y, with: x, n: n) { x, _ in f(x) }
    }

    /// y_ij = f(x_ij, y_ij), y_ii = 0.
    @inline(__always)
    static func update(_ y: inout [Double], with x: [Double], n: Int, _ f: @escaping @Sendable (Double, Double) -> Double) {
        precondition(x.count == n * n && y.count == n * n)
        let rows = BalancedPoissonFit.blockRows, blocks = (n + rows - 1) / rows
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
            let xs = SharedBuffer(UnsafeMutablePointer(mutating: px.baseAddress!)), ys = SharedBuffer(py.baseAddress!)
            let block: @Sendable (Int) -> Int = { k in
                for i in (k * rows)..<min(n, (k + 1) * rows) {
                    let input = xs.base + i * n, output = ys.base + i * n
                    for j in 0..<i { output[j] = f(input[j], output[j]) }
                    output[i] = 0
                    for j in (i + 1)..<n { output[j] = f(input[j], output[j]) }
                }
                return k
            }
            _ = n * n >= BalancedPoissonFit.parallelCells ? Parallel.map(blocks, block) : (0..<blocks).map(block)
        } }
    }
}
