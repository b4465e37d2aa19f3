import Foundation
import PropertyBased
import SteppeData
import SteppeModels
import SteppeNumerics

/// What the model properties share: a generated regression data set (sizes from the
/// property library's generators, so they shrink; values from `SeededRandom` seeded by
/// a generated integer, so a failure's `.fixedSeed` replays it exactly).
struct RegressionDraft: Sendable, CustomStringConvertible {
    var rows: Int, levelsA: Int, levelsB: Int, regressors: Int, seed: UInt64
    var description: String { "rows \(rows), levels \(levelsA)×\(levelsB), regressors \(regressors), seed \(seed)" }

    /// Columns y (OLS), flow (positive counts for PPML, some zero), x1…xk, text groups a, b.
    func table() -> Table {
        var g = SeededRandom(seed: seed)
        let a = (0..<rows).map { i in i < levelsA ? i : g.nextInt(below: levelsA) }
        let b = (0..<rows).map { i in i < levelsB ? i : g.nextInt(below: levelsB) }
        let effectA = (0..<levelsA).map { _ in g.nextNormal() }, effectB = (0..<levelsB).map { _ in g.nextNormal() }
        let x = (0..<regressors).map { _ in (0..<rows).map { _ in g.nextNormal() } }
        var y = [Double](), flow = [Double]()
        for i in 0..<rows {
            var eta = effectA[a[i]] + effectB[b[i]]
            for k in 0..<regressors { eta += 0.5 * Double(k % 3 + 1) / Double(regressors) * x[k][i] }
            y.append(eta + g.nextNormal())
            flow.append((exp(eta + 2) * (0.5 + g.nextUniform())).rounded())
        }
        var columns: [Column] = [.numeric("y", y), .numeric("flow", flow),
                                 .text("a", a.map { "a\($0)" }), .text("b", b.map { "b\($0)" })]
        for k in 0..<regressors { columns.append(.numeric("x\(k + 1)", x[k])) }
        return try! Table(columns: columns)
    }

    /// `x1 + … + xk`.
    var regressorTerms: String { terms(regressors) }

    /// `x1 + … + xk` for the first `k` regressors.
    func terms(_ k: Int) -> String { (1...k).map { "x\($0)" }.joined(separator: " + ") }
}

/// The largest relative difference between two lists (0 for equal lists; `scale` floors the denominator).
func largestRelativeDifference(_ a: [Double], _ b: [Double], scale: Double = 1e-300) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { x, y in x == y ? 0 : abs(x - y) / max(abs(x), abs(y), scale) }.max() ?? 0
}
