@testable import SteppeNumerics
import Testing

/// `GramPass` against the same sums in double-double arithmetic (exact products, error
/// about 1e-32 relative), on sizes that cut into several chunks of 65,536 rows, blocks
/// with a remainder, an odd last row, and column counts that leave one to three columns
/// after the groups of four.
@Suite("Gram matrix pass")
struct GramPassTests {
    @Test("XᵀWX and XᵀWy equal double-double sums to 1e-13", arguments: [1, 4, 7, 13], [false, true])
    func matchesCompensatedSums(p: Int, weighted: Bool) {
        let n = 150_001
        var g = SeededRandom(seed: 31 + UInt64(p))
        var x = Matrix(rows: n, columns: p)
        for j in 0..<p { for i in 0..<n { x[i, j] = g.nextNormal() + (j == 0 ? 3 : 0) } }
        let y = (0..<n).map { _ in g.nextNormal() }
        let w = weighted ? (0..<n).map { _ in 0.1 + g.nextUniform() } : nil
        let (gram, rhs) = GramPass.compute(x, y, weights: w)
        func reference(_ a: Int, _ b: Int?) -> (sum: Double, magnitude: Double) {
            var s = DoubleDouble(0), m = 0.0
            for i in 0..<n {
                let t = DoubleDouble.twoProduct(w?[i] ?? 1, x[i, a])
                let v = b.map { x[i, $0] } ?? y[i]
                let term = t * v
                s = s + term
                m += abs(term.doubleValue)
            }
            return (s.doubleValue, m)
        }
        for j in 0..<p {
            for k in j..<p {
                let (r, m) = reference(j, k)
                #expect(abs(gram[j + k * p] - r) <= 1e-13 * m, "G[\(j), \(k)] = \(gram[j + k * p]) vs \(r)")
            }
            let (r, m) = reference(j, nil)
            #expect(abs(rhs[j] - r) <= 1e-13 * m, "c[\(j)] = \(rhs[j]) vs \(r)")
        }
    }
}
