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

    @Test("the cache is keyed by the data: same column names and rows in other data do not reuse columns")
    func cacheKeyedByData() throws {
        let table = try Self.panel()
        let y = try table.column("y").numbers!
        let other = try Table(columns: table.columns.map { $0.name == "y" ? .numeric("y", y.map { $0 * $0 }) : $0 })
        let options = EstimationOptions(absorptionCache: AbsorptionCache())
        _ = try Estimator.fit(table, formula: "y ~ x1 | region", model: .ols, options: options)
        let b = try Estimator.fit(other, formula: "y ~ x1 | region", model: .ols, options: options)
        let fresh = try Estimator.fit(other, formula: "y ~ x1 | region", model: .ols)
        #expect(b.coefficients[0].estimate == fresh.coefficients[0].estimate)
        #expect(options.absorptionCache!.statistics.hits == 0)
    }

    @Test("selecting an unknown column names it")
    func unknownColumn() throws {
        let frame = try ModelFrame(table: Self.panel(), formula: Formula(parsing: "y ~ x1 + x2"))
        #expect(throws: ModelError.self) { try frame.selecting(columns: ["x9"]) }
        do { _ = try frame.selecting(columns: ["x9"]) } catch { #expect("\(error)".contains("no column x9")) }
    }

    /// A count outcome on the panel: y ~ Poisson(exp(0.5 + 0.3·x1 − 0.2·x2 + 0.1·x3)).
    static func counts() throws -> Table {
        let panel = try Self.panel()
        var g = SeededRandom(seed: 7)
        let x1 = try panel.column("x1").numbers!, x2 = try panel.column("x2").numbers!, x3 = try panel.column("x3").numbers!
        let y: [Double] = (0..<panel.rowCount).map { i in
            let mu = exp(0.5 + 0.3 * x1[i] - 0.2 * x2[i] + 0.1 * x3[i])
            var k = 0.0, p = exp(-mu), s = p
            let u = g.nextUniform()
            while u > s && k < 1000 { k += 1; p *= mu / k; s += p }
            return k
        }
        let region = try panel.column("region"), year = try panel.column("year")
        return try Table(columns: [.text("region", (0..<panel.rowCount).map { region.text(at: $0) }),
                                   .text("year", (0..<panel.rowCount).map { year.text(at: $0) }),
                                   .numeric("x1", x1), .numeric("x2", x2), .numeric("x3", x3), .numeric("y", y)])
    }

    @Test("PPML from the means of a nearby fit: the cold fit's estimates to 1e-9, in fewer iterations; rows without a start get the usual one")
    func startingMeans() throws {
        let table = try Self.counts()
        let small = try Estimator.fit(table, formula: "y ~ x1 + x2 | region + year", model: .ppml)
        let cold = try Estimator.fit(table, formula: "y ~ x1 + x2 + x3 | region + year", model: .ppml)
        var options = EstimationOptions()
        options.startingMeans = StartingMeans(small)
        let warm = try Estimator.fit(table, formula: "y ~ x1 + x2 + x3 | region + year", model: .ppml, options: options)
        #expect(warm.report.converged && warm.report.iterations < cold.report.iterations)
        for (w, c) in zip(warm.coefficients, cold.coefficients) {
            #expect(abs(w.estimate - c.estimate) <= 1e-9 * abs(c.estimate), "\(c.term)")
            #expect(abs(w.standardError - c.standardError) <= 1e-7 * c.standardError, "\(c.term)")
        }
        // Starts for half the rows only: the others start from the family's default, same answer.
        let half = StartingMeans(rows: Array(small.sample.prefix(small.sample.count / 2)),
                                 means: Array(small.fittedValues.prefix(small.sample.count / 2)))
        options.startingMeans = half
        let partial = try Estimator.fit(table, formula: "y ~ x1 + x2 + x3 | region + year", model: .ppml, options: options)
        for (p, c) in zip(partial.coefficients, cold.coefficients) {
            #expect(abs(p.estimate - c.estimate) <= 1e-9 * abs(c.estimate), "\(c.term)")
        }
    }
}
