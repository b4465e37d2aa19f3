@_spi(SteppeInternal) import SteppeNumerics
import Testing

@Suite("Parallel work")
struct ParallelTests {
    @Test("map returns results in index order", arguments: [0, 1, 2, 7, 100])
    func mapOrder(count: Int) {
        #expect(Parallel.map(count) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }

    @Test("chunks cover 0..<n in order, in pieces of chunkLength that depend only on n",
          arguments: [0, 1, Parallel.chunkLength, Parallel.chunkLength + 1, 3 * Parallel.chunkLength - 5])
    func chunksCover(count: Int) {
        let ranges = Parallel.chunks(count) { $0 }
        #expect(ranges.first?.lowerBound ?? 0 == 0)
        #expect(ranges.last?.upperBound ?? 0 == count)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(ranges.dropLast().allSatisfy { $0.count == Parallel.chunkLength })
        #expect(ranges.count == max(1, (count + Parallel.chunkLength - 1) / Parallel.chunkLength))
    }

    @Test("tasks writing disjoint chunks of a SharedBuffer fill it exactly")
    func sharedBufferWrites() {
        let n = 2 * Parallel.chunkLength + 123
        var out = [Double](repeating: -1, count: n)
        let sums = out.withUnsafeMutableBufferPointer { p in
            let shared = SharedBuffer(p.baseAddress!)
            return Parallel.chunks(n) { rows in
                var s = 0.0
                for i in rows { shared[i] = Double(i); s += Double(i) }
                return s
            }
        }
        #expect(out == (0..<n).map(Double.init))
        #expect(sums.reduce(0, +) == Double(n - 1) * Double(n) / 2)
    }
}
