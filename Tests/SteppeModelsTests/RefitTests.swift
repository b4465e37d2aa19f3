import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// Refits of variants of one model: frames selected from a full frame, sharing absorbed columns.
@Suite("Refits of model variants")
struct RefitTests {
    /// Synthetic panel: 40 regions × 12 years, three regressors correlated with the region effect.
    static func panel() throws -> Table {
        var g = SeededRandom(seed: 2024)
        var region: [String?] = [], year: [String?] = [], x1: [Double] = [], x2: [Double] = [], x3: [Double] = [], y: [Double] = []
        let effect = (0..<40).map { _ in g.nextNormal() }
        for r in 0..<40 {
            for t in 0..<12 {
                let a = g.nextNormal() + effect[r], b = g.nextNormal() - 0.5 * effect[r], c = g.nextNormal()
                region.append("r\(r)"); year.append("\(2000 + t)")
                x1.append(a); x2.append(b); x3.append(c)
                y.append(2 * effect[r] + 0.1 * Double(t) + 0.5 * a - 0.25 * b + 0.1 * c + g.nextNormal())
            }
        }
        return try Table(columns: [.text("region", region), .text("year", year), .numeric("x1", x1), .numeric("x2", x2),
                                   .numeric("x3", x3), .numeric("y", y)])
    }

    @Test("a selected variant with a shared cache equals the fit of the smaller formula, and absorbs each column once")
    func variantsMatchDirectFits() throws {
        let table = try Self.panel()
        let full = try ModelFrame(table: table, formula: Formula(parsing: "y ~ x1 + x2 + x3 | region + year"))
        var options = EstimationOptions()
        options.absorptionCache = AbsorptionCache()
        let subsets = [["x1"], ["x1", "x2"], ["x1", "x3"], ["x1", "x2", "x3"], ["x2", "x3"]]
        for subset in subsets {
            let variant = try Estimator.fit(full.selecting(columns: subset), model: .ols, options: options)
            let direct = try Estimator.fit(table, formula: "y ~ " + subset.joined(separator: " + ") + " | region + year", model: .ols)
            #expect(variant.formula == direct.formula)
            #expect(variant.coefficients.map(\.term) == direct.coefficients.map(\.term))
            for (a, b) in zip(variant.coefficients, direct.coefficients) {
                #expect(relativeDifference(a.estimate, b.estimate) < 1e-10)
                #expect(relativeDifference(a.standardError, b.standardError) < 1e-9)
            }
            #expect(relativeDifference(variant.statistics.rSquared!, direct.statistics.rSquared!) < 1e-12)
            #expect(relativeDifference(variant.statistics.withinRSquared!, direct.statistics.withinRSquared!) < 1e-10)
        }
        // y and the three regressors were demeaned once each; every other lookup was a hit.
        let stats = options.absorptionCache!.statistics
        #expect(options.absorptionCache!.count == 4)
        #expect(stats.misses == 4)
        // Lookups: each variant's columns plus y, 2 + 3 + 3 + 4 + 3 = 15.
        #expect(stats.hits == 15 - 4)
    }

    @Test("the cache is keyed by sample: a fit on another sample does not reuse columns")
    func cacheKeyedBySample() throws {
        let table = try Self.panel()
        var options = EstimationOptions()
        options.absorptionCache = AbsorptionCache()
        let a = try Estimator.fit(table, formula: "y ~ x1 | region", model: .ols, options: options)
        let half = table.rows(Array(0..<240))
        let b = try Estimator.fit(half, formula: "y ~ x1 | region", model: .ols, options: options)
        let fresh = try Estimator.fit(half, formula: "y ~ x1 | region", model: .ols)
        #expect(a.coefficients[0].estimate != b.coefficients[0].estimate)
        #expect(relativeDifference(b.coefficients[0].estimate, fresh.coefficients[0].estimate) < 1e-12)
        #expect(options.absorptionCache!.statistics.hits == 0)
    }

    @Test("selecting an unknown column names it")
    func unknownColumn() throws {
        let frame = try ModelFrame(table: Self.panel(), formula: Formula(parsing: "y ~ x1 + x2"))
        #expect(throws: ModelError.self) { try frame.selecting(columns: ["x9"]) }
        do { _ = try frame.selecting(columns: ["x9"]) } catch { #expect("\(error)".contains("no column x9")) }
    }
}

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
