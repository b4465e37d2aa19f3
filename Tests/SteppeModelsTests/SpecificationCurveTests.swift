import Foundation
import SteppeData
@testable import SteppeModels
import SteppeNumerics
import Testing

/// The specification curve against fitting each specification directly from its formula
/// text (written out here, not by the curve's code), and its bad input.
@Suite("Sensitivity: specification curve")
struct SpecificationCurveTests {
    /// 5 × 5 flows with some zeros, a distance and a push factor; origins A–E.
    static func flows() throws -> Table {
        var o: [String] = [], d: [String] = [], flow: [Double] = [], dist: [Double] = [], push: [Double] = [], size: [Double] = []
        let names = ["A", "B", "C", "D", "E"]
        for i in 0..<5 { for j in 0..<5 where i != j {
            o.append(names[i]); d.append(names[j])
            let km = 50 + Double((i * 7 + j * 13) % 11) * 40
            let p = Double(i) * 0.3 - Double(j) * 0.1
            dist.append(km); push.append(p); size.append(Double(i + 1))
            flow.append((i + 2 * j) % 7 == 0 ? 0 : (200 * exp(-0.01 * km + p)).rounded())
        } }
        return try Table(columns: [.text("origin", o), .text("destination", d), .numeric("flow", flow),
                                   .numeric("dist", dist), .numeric("push", push), .numeric("size", size)])
    }

    @Test("every specification equals the direct fit of its formula; ols-log drops the zeros")
    func matchesDirectFits() throws {
        let table = try Self.flows()
        let dims = try ["fe=|origin", "model=ppml|ols-log|ols-log1p", "controls=|push", "sample=all|drop:origin=E"]
            .map { try SpecificationDimension(parsing: $0) }
        let curve = try SpecificationCurve.run(table, formula: Formula(parsing: "flow ~ log(dist)"), model: .ppml,
                                               options: EstimationOptions(covariance: .hetero), dimensions: dims, term: "log(dist)")
        #expect(curve.specifications.count == 2 * 3 * 2 * 2 && curve.failed.isEmpty)
        let estimates = curve.specifications.map { $0.coefficient!.estimate }
        #expect(estimates == estimates.sorted())
        let zeros = (0..<table.rowCount).filter { try! table.column("flow").numbers![$0] == 0 }.count
        #expect(zeros > 0)
        // Four specifications written out by hand.
        let cases: [(String, String, ModelKind, [Int]?)] = [
            ("fe=none, model=ppml, controls=none, sample=all", "flow ~ log(dist)", .ppml, nil),
            ("fe=origin, model=ols-log, controls=push, sample=all", "log(flow) ~ log(dist) + push | origin", .ols, nil),
            ("fe=none, model=ols-log1p, controls=push, sample=drop:origin=E", "log1p(flow) ~ log(dist) + push", .ols, Array(0..<16)),
            ("fe=origin, model=ppml, controls=none, sample=drop:origin=E", "flow ~ log(dist) | origin", .ppml, Array(0..<16)),
        ]
        for (label, formula, model, rows) in cases {
            let spec = try #require(curve.specifications.first { $0.label == label }, "\(label)")
            let data = rows.map { table.rows($0) } ?? table
            let direct = try Estimator.fit(data, formula: formula, model: model, options: EstimationOptions(covariance: .hetero))
            #expect(spec.formula == formula)
            #expect(spec.coefficient == direct.coefficient("log(dist)"), "\(label)")
            #expect(spec.observations == direct.statistics.observations)
        }
        // Every specification, the warm-started PPML fits (controls=push, after controls=none) included, against its direct fit.
        for spec in curve.specifications {
            let rows = spec.label.hasSuffix("drop:origin=E") ? Array(0..<16) : nil
            let data = rows.map { table.rows($0) } ?? table
            let direct = try Estimator.fit(data, formula: spec.formula, model: spec.model, options: EstimationOptions(covariance: .hetero))
            let c = try #require(direct.coefficient("log(dist)"))
            #expect(abs(spec.coefficient!.estimate - c.estimate) <= 1e-9 * abs(c.estimate), "\(spec.label)")
            #expect(abs(spec.coefficient!.standardError - c.standardError) <= 1e-7 * c.standardError, "\(spec.label)")
        }
        let logSpec = try #require(curve.specifications.first { $0.label == "fe=none, model=ols-log, controls=none, sample=all" })
        #expect(logSpec.observations == table.rowCount - zeros)
        let m = estimates.count
        #expect(curve.median == (estimates[m / 2 - 1] + estimates[m / 2]) / 2)
        let significant = curve.specifications.filter { $0.coefficient!.pValue < 0.05 }.count
        #expect(curve.shareSignificant == Double(significant) / Double(m))
    }

    @Test("a specification that cannot estimate the term is listed with its reason, not averaged")
    func failuresReported() throws {
        let table = try Self.flows()
        let dims = [try SpecificationDimension(parsing: "fe=|origin"), try SpecificationDimension(parsing: "controls=|push")]
        let curve = try SpecificationCurve.run(table, formula: Formula(parsing: "flow ~ log(dist)"), model: .ppml,
                                               options: EstimationOptions(), dimensions: dims, term: "log(dist)")
        #expect(curve.failed.isEmpty)
        // size is constant within origin: the origin effects absorb it.
        let onPush = try SpecificationCurve.run(table, formula: Formula(parsing: "flow ~ log(dist) + size"), model: .ppml,
                                                options: EstimationOptions(), dimensions: [dims[0]], term: "size")
        #expect(onPush.specifications.count == 2 && onPush.failed.count == 1)
        #expect(onPush.failed[0].failure?.contains("absorbed") == true, "\(onPush.failed[0].failure ?? "")")
    }

    @Test("bad dimensions are one-line errors")
    func badInput() throws {
        func message(_ text: String) -> String {
            do { _ = try SpecificationDimension(parsing: text); return "no error" } catch { return "\(error)" }
        }
        #expect(message("colour=red|blue").hasPrefix("--vary: unknown dimension 'colour'"))
        #expect(message("model=ppml|probit").contains("unknown model 'probit'"))
        #expect(message("sample=drop:origin").contains("is not all, drop:COLUMN=v1,v2"))
        #expect(message("fe").contains("is not NAME=ALT1|ALT2"))
        let table = try Self.flows()
        #expect(throws: ModelError.self) {
            try SpecificationCurve.run(table, formula: Formula(parsing: "flow ~ log(dist)"), model: .ppml, options: EstimationOptions(),
                                       dimensions: [SpecificationDimension(parsing: "sample=drop:origin=Z")], term: "log(dist)")
        }
    }
}

/// The test of the whole curve under the null against a statsmodels implementation of
/// specr's boot_null on mtcars (`Fixtures/curve/null_make_reference.py`), on the same 30
/// resamples: each replicate's median, share significant and Stouffer's Z, and the p-values.
@Suite("Sensitivity: specification curve under the null")
struct SpecificationCurveNullTests {
    @Test("every replicate's statistics and the p-values equal statsmodels' on the same resamples")
    func matchesStatsmodels() throws {
        let reference = try Fixtures.json("curve/null_reference.json")
        let table = try Fixtures.table("r/mtcars.csv")
        let dims = try ["model=ols|ols-log|poisson", "controls=|wt|wt + hp", "fe=|cyl"].map { try SpecificationDimension(parsing: $0) }
        let options = EstimationOptions(covariance: .iid)
        let formula = try Formula(parsing: "mpg ~ drat")
        let curve = try SpecificationCurve.run(table, formula: formula, model: .ols, options: options, dimensions: dims, term: "drat")
        // The specifications in the reference's order (model, controls, fe: the last fastest) match too.
        let specs = reference["specifications"] as! [[String: Any]]
        for (spec, ref) in zip(curve.unranked, specs) {
            let c = try #require(spec.coefficient)
            #expect(abs(c.estimate - (ref["estimate"] as! Double)) <= 1e-9 * abs(c.estimate), "\(spec.label)")
            #expect(abs(c.pValue - (ref["pValue"] as! Double)) <= 1e-7 * max(c.pValue, 1e-12), "\(spec.label)")
        }
        let resamples = reference["resamples"] as! [[Int]]
        let (plans, frames) = try SpecificationCurve.setUp(table, formula: formula, model: .ols, options: options, dimensions: dims)
        let test = try SpecificationCurve.nullTest(curve, plans: plans, frames: frames, count: resamples.count, seed: 0,
                                                   link: nil, progress: nil) { r, _ in
            var counts = [Int](repeating: 0, count: table.rowCount)
            for row in resamples[r] { counts[row] += 1 }
            return counts
        }
        #expect(test.failedFits == 0 && test.completed == resamples.count)
        #expect(test.direction == reference["direction"] as! Double)
        let observed = reference["observed"] as! [String: Double]
        #expect(abs(test.observed.median - observed["median"]!) <= 1e-9)
        #expect(abs(test.observed.shareSignificant - observed["shareSignificant"]!) <= 1e-12)
        #expect(abs(test.observed.stouffer - observed["stouffer"]!) <= 1e-7)
        for (mine, ref) in zip(test.null, reference["replicates"] as! [[String: Double]]) {
            #expect(abs(mine.median - ref["median"]!) <= 1e-9 * max(1, abs(mine.median)))
            #expect(abs(mine.shareSignificant - ref["shareSignificant"]!) <= 1e-12)
            #expect(abs(mine.stouffer - ref["stouffer"]!) <= 1e-6 * max(1, abs(mine.stouffer)))
        }
        #expect(test.pValueMedian == reference["pValueMedian"] as! Double)
        #expect(test.pValueShare == reference["pValueShare"] as! Double)
        #expect(test.pValueStouffer == reference["pValueStouffer"] as! Double)
    }

    @Test("the null outcome removes the effect: each specification refitted to it on all rows estimates 0")
    func nullOutcomeHasNoEffect() throws {
        let table = try SpecificationCurveTests.flows()
        let dims = try ["fe=|origin", "model=ppml|ols-log|ols"].map { try SpecificationDimension(parsing: $0) }
        let formula = try Formula(parsing: "flow ~ log(dist)")
        let options = EstimationOptions(covariance: .hetero)
        let curve = try SpecificationCurve.run(table, formula: formula, model: .ppml, options: options, dimensions: dims, term: "log(dist)")
        let (plans, frames) = try SpecificationCurve.setUp(table, formula: formula, model: .ppml, options: options, dimensions: dims)
        let test = try SpecificationCurve.nullTest(curve, plans: plans, frames: frames, count: 1, seed: 0, link: nil, progress: nil) { _, _ in
            [Int](repeating: 1, count: table.rowCount)
        }
        #expect(abs(test.null[0].median) <= 1e-8)
        #expect(test.null[0].shareSignificant == 0)
    }

    /// Stouffer's term for p = 0 against the direction is −Φ̄⁻¹(2.2e-308) ≈ −37.5, the mirror of
    /// the term in the direction; Φ̄⁻¹(1 − 0/2) = −∞ had made the whole replicate −∞. An NA p
    /// (a degenerate refit) adds 0. Reference: scipy.stats.norm.isf(2.2250738585072014e-308) = 37.5193793471445.
    @Test("Stouffer's Z: p = 0 against the direction is finite, the mirror of p = 0 with it; NA adds 0")
    func stoufferExtremes() {
        let against = SpecificationCurve.statistics([(-0.849, 0), (0.2, 0.5)], direction: 1, alpha: 0.05)
        let along = SpecificationCurve.statistics([(0.849, 0), (-0.2, 0.5)], direction: 1, alpha: 0.05)
        #expect(against.stouffer.isFinite && abs(against.stouffer + along.stouffer) < 1e-12, "\(against.stouffer), \(along.stouffer)")
        let term = Normal.standard.survivalQuantile(Double.leastNormalMagnitude)
        #expect(abs(term - 37.5193793471445) < 1e-9 && abs(along.stouffer - (term + Normal.standard.survivalQuantile(0.75)) / 2.squareRoot()) < 1e-12)
        let withNA = SpecificationCurve.statistics([(0.5, .nan), (0.2, 0.5)], direction: 1, alpha: 0.05)
        #expect(abs(withNA.stouffer - Normal.standard.survivalQuantile(0.25) / 2.squareRoot()) < 1e-12)
    }

    @Test("same seed, same bits; fewer than 99 replicates is refused")
    func seededAndChecked() throws {
        let table = try SpecificationCurveTests.flows()
        let dims = try ["controls=|push", "model=ppml|ols-log1p"].map { try SpecificationDimension(parsing: $0) }
        let formula = try Formula(parsing: "flow ~ log(dist)")
        func run(_ reps: Int, _ seed: UInt64) throws -> SpecificationCurve.NullTest {
            try #require(try SpecificationCurve.run(table, formula: formula, model: .ppml, options: EstimationOptions(covariance: .hetero),
                                                    dimensions: dims, term: "log(dist)", null: .init(replicates: reps, seed: seed)).nullTest)
        }
        let a = try run(99, 7), b = try run(99, 7), c = try run(99, 8)
        #expect(a.null == b.null && a.pValueMedian == b.pValueMedian)
        #expect(a.null != c.null)
        #expect(throws: ModelError.self) { try run(98, 7) }
    }
}
