@_spi(SteppeInternal) import SteppeNumerics

/// A pass over the blocks of an out-of-core design on all cores, with results that do not
/// depend on the number of cores: `body` runs for a few blocks at a time in parallel (each
/// block read and reduced by one task), and `combine` takes the blocks' results one by
/// one in block order, on the calling thread. Memory holds the results of one batch.
enum BlockPass {
    /// Blocks read and reduced at once: four (two per core here; each a few MB).
    static let batch = 4

    static func run<T: Sendable>(blocks: Range<Int>, _ body: @Sendable (Int) throws(ModelError) -> T,
                                 combine: (T) -> Void) throws(ModelError) {
        var start = blocks.lowerBound
        while start < blocks.upperBound {
            let end = min(blocks.upperBound, start + batch), first = start
            let results = Parallel.map(end - start) { k -> Result<T, ModelError> in
                do throws(ModelError) { return .success(try body(first + k)) } catch { return .failure(error) }
            }
            for r in results {
                switch r {
                case .success(let value): combine(value)
                case .failure(let error): throw error
                }
            }
            start = end
        }
    }
}

/// An array that parallel tasks of one pass add into, each task its own array (a vector's
/// group sums): a reference, so a task mutates it without copying, and no two tasks share one.
final class SumsBox: @unchecked Sendable {
    var values: [Double]
    init(count: Int) { values = [Double](repeating: 0, count: count) }
}
