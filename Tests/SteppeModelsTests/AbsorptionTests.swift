import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// The two-way absorption in coefficient space against the general one on observations.
@Suite("Fixed-effect absorption")
struct AbsorptionTests {
    /// Two random groupings "a" and "b" of `rows` observations, and the generator after
    /// drawing them (the tests draw weights and data from it next).
    static func twoGroupings(seed: UInt64, rows n: Int, levelsA: Int, levelsB: Int)
        -> (SeededRandom, [Int32], [Int32], Grouping, Grouping) {
        var g = SeededRandom(seed: seed)
        let a = (0..<n).map { _ in Int32(g.nextInt(below: levelsA)) }, b = (0..<n).map { _ in Int32(g.nextInt(below: levelsB)) }
        return (g, a, b, Grouping(name: "a", codes: a, levels: (0..<levelsA).map { "a\($0)" }),
                Grouping(name: "b", codes: b, levels: (0..<levelsB).map { "b\($0)" }))
    }

    @Test("two groupings: the cell algorithm gives the projection of the general algorithm", arguments: [false, true])
    func twoWayEqualsGeneral(weighted: Bool) throws {
        let n = 20_000
        var (g, a, b, ga, gb) = Self.twoGroupings(seed: 31, rows: n, levelsA: 300, levelsB: 200)
        // A third grouping with one level is spanned by the other two: same projection, general path.
        let one = Grouping(name: "one", codes: [Int32](repeating: 0, count: n), levels: ["all"])
        let w: [Double]? = weighted ? (0..<n).map { _ in 0.1 + g.nextUniform() } : nil
        let v = (0..<n).map { i in g.nextNormal() + 0.01 * Double(a[i]) - 0.02 * Double(b[i]) }
        let twoWay = FixedEffectAbsorber(groupings: [ga, gb], weights: w).demean(v)
        let general = FixedEffectAbsorber(groupings: [ga, gb, one], weights: w).demean(v)
        #expect(twoWay.converged && general.converged)
        let scale = v.map(abs).max()!
        for i in 0..<n { #expect(abs(twoWay.residual[i] - general.residual[i]) <= 1e-8 * scale) }
        // The residual is orthogonal to every group (weighted): its group sums vanish.
        var sums = [Double](repeating: 0, count: 300)
        for i in 0..<n { sums[Int(a[i])] += (w?[i] ?? 1) * twoWay.residual[i] }
        #expect(sums.map(abs).max()! <= 1e-8 * scale * Double(n) / 300)
    }

    /// Several columns at once share the passes over the observations (rows in chunks on
    /// all cores); each column must come out as it does alone. 150,000 rows: three chunks.
    @Test("two groupings, several columns at once: each as demeaned alone", arguments: [false, true])
    func twoWayColumnsTogether(weighted: Bool) throws {
        let n = 150_000
        var (g, a, b, ga, gb) = Self.twoGroupings(seed: 32, rows: n, levelsA: 400, levelsB: 250)
        let w: [Double]? = weighted ? (0..<n).map { _ in 0.1 + g.nextUniform() } : nil
        var columns: [[Double]] = []
        for k in 0..<3 {
            var c = [Double](repeating: 0, count: n)
            let slope = 0.01 * Double(k + 1)
            for i in 0..<n {
                let noise = g.nextNormal()
                c[i] = noise + slope * Double(a[i]) - 0.02 * Double(b[i])
            }
            columns.append(c)
        }
        let x = try Matrix(rows: n, columns: 3, columnMajor: columns.flatMap { $0 })
        let absorber = FixedEffectAbsorber(groupings: [ga, gb], weights: w)
        let (together, _, converged, _) = absorber.demean(columns: x)
        #expect(converged)
        for k in 0..<3 {
            let alone = absorber.demean(columns[k])
            let scale: Double = columns[k].map { abs($0) }.max() ?? 1
            for i in 0..<n where abs(together[i, k] - alone.residual[i]) > 1e-9 * scale {
                Issue.record("column \(k) row \(i): \(together[i, k]) vs \(alone.residual[i])")
                break
            }
        }
    }
}
