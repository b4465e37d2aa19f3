import Foundation
import SteppeData
@testable import SteppeModels
import SteppeNumerics
import Testing

/// ppmlhdfe's separation test sets: the rows Steppe drops must be exactly the separated
/// ones, and the fit on the rest must match R's glm (slopes, deviance, dropped regressors).
@Suite("Separation in Poisson models (ppmlhdfe's test sets)")
struct SeparationTests {
    static let names = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
                        "example1", "example2", "fe1", "fe2", "fe3", "benchmark_table1", "primer_simple", "primer_two_regressors"]

    struct Case {
        let name: String
        let table: Table
        let formula: String
        let separated: Set<Int>
        let reference: [String: Any]
    }

    static func load(_ name: String) throws -> Case {
        let json = try Fixtures.json("separation/\(name).json")
        let columns = json["columns"] as! [String: [String]]
        let regressors = json["regressors"] as! [String]
        let fixed = json["fixedEffects"] as! [String]
        let order = ["y"] + regressors + fixed
        let table = try Table(columns: order.map { Column.numeric($0, columns[$0]!.map { Double($0)! }) })
        var formula = "y ~ " + (regressors.isEmpty ? "1" : regressors.joined(separator: " + "))
        if !fixed.isEmpty { formula += " | " + fixed.joined(separator: " + ") }
        return Case(name: name, table: table, formula: formula,
                    separated: Set((json["separatedRows"] as! [Int]).map { $0 - 1 }),
                    reference: json["reference"] as! [String: Any])
    }

    @Test("Dropped rows equal the separated rows, and the fit matches R", arguments: names)
    func separationSet(_ name: String) throws {
        let c = try Self.load(name)
        var options = EstimationOptions()
        options.dropSingletons = false       // as ppmlhdfe's validation (keepsing)
        options.covariance = .iid
        options.smallSampleCorrection = .statsmodels   // R's glm: the model-based covariance, no further factor
        let fit = try Estimator.fit(c.table, formula: c.formula, model: .ppml, options: options)
        let kept = Set(fit.sample)
        let dropped = Set(0..<c.table.rowCount).subtracting(kept)
        #expect(dropped == c.separated, "\(name): dropped \(dropped.sorted()), separated \(c.separated.sorted())")
        #expect(fit.report.converged, "\(name) did not converge")
        let reference = c.reference
        var slopes = reference["slopes"] as! [String: Double]
        var ses: [String: Double]? = reference["standardErrors"] as? [String: Double]
        var collinear = Set(reference["collinear"] as! [String])
        if name == "08" {
            // On the rows left, x2 is a combination of x1 and the fixed effects. R's glm, with the
            // dummies after the regressors, drops a dummy and reports both slopes; Steppe (like
            // ppmlhdfe and fixest) absorbs the fixed effects first and drops x2, so its x1 is R's
            // x1 − x2 on the same fit (the deviance below is R's).
            slopes = ["x1": slopes["x1"]! - slopes["x2"]!]
            ses = nil
            collinear = ["x2"]
        }
        for (term, value) in slopes {
            let b = try #require(fit.coefficient(term), "\(name): \(term) missing")
            #expect(abs(b.estimate - value) <= 1e-6 * max(1, abs(value)), "\(name) \(term): \(b.estimate) vs \(value)")
            if let se = ses?[term] {
                #expect(abs(b.standardError - se) <= 1e-6 * max(1, se), "\(name) \(term) SE: \(b.standardError) vs \(se)")
            }
        }
        let droppedTerms = Set(fit.report.droppedTerms.map(\.term))
        #expect(droppedTerms == collinear, "\(name): dropped terms \(droppedTerms), R drops \(collinear)")
        let deviance = reference["deviance"] as! Double
        #expect(abs(fit.statistics.deviance! - deviance) <= 1e-7 * max(1, deviance), "\(name) deviance \(fit.statistics.deviance!) vs \(deviance)")
        #expect(fit.statistics.observations == reference["observations"] as! Int)
    }

    @Test("The no-separation certificate is never given where rows are separated", arguments: names)
    func certificateIsSound(_ name: String) throws {
        let c = try Self.load(name)
        guard !c.separated.isEmpty else { return }
        let frame = try ModelFrame(table: c.table, formula: Formula(parsing: c.formula))
        #expect(try !SeparationDetector.certifiesNoSeparation(y: frame.response, x: frame.design, groupings: frame.fixedEffects),
                "\(name) has separated rows \(c.separated.sorted()) but was certified")
    }

    /// A Poisson problem with two fixed effects of 150 levels on 30,000 rows (about 30%
    /// zeros), large enough for the weighting path; `planted` rows with y = 0 get a dummy
    /// regressor that is 1 there and 0 elsewhere, which separates exactly those rows.
    static func twoWayProblem(planted: [Int]) throws -> Table {
        var g = SeededRandom(seed: 11)
        let n = 30_000, levels = 150
        var o = [Double](repeating: 0, count: n), d = o, x = o, y = o, dummy = o
        let a = (0..<levels).map { _ in 0.5 * g.nextNormal() }, b = (0..<levels).map { _ in 0.5 * g.nextNormal() }
        for i in 0..<n {
            let oi = g.nextInt(below: levels), di = g.nextInt(below: levels)
            o[i] = Double(oi); d[i] = Double(di); x[i] = g.nextNormal()
            let mu = exp(a[oi] + b[di] + 0.3 * x[i] - 0.2)
            var k = 0.0, p = exp(-mu), s = p
            let u = g.nextUniform()
            while u > s && k < 100 { k += 1; p *= mu / k; s += p }
            y[i] = k
        }
        for i in planted { y[i] = 0; dummy[i] = 1 }
        return try Table(columns: [.numeric("y", y), .numeric("x", x), .numeric("dummy", dummy), .numeric("o", o), .numeric("d", d)])
    }

    @Test("Large two-way problem: certified without rectifier iterations, and the rectifier agrees")
    func certificateOnLargeProblem() throws {
        let table = try Self.twoWayProblem(planted: [])
        let frame = try ModelFrame(table: table, formula: Formula(parsing: "y ~ x | o + d"))
        let zeros = frame.response.filter { $0 == 0 }.count
        #expect(zeros > 3_000)
        #expect(try SeparationDetector.certifiesNoSeparation(y: frame.response, x: frame.design, groupings: frame.fixedEffects))
        let relu = try SeparationDetector.detectByWeighting(y: frame.response, x: frame.design, groupings: frame.fixedEffects)
        #expect(relu.converged && !relu.separated.contains(true))
    }

    @Test("Large two-way problem with planted separation: not certified, and the separated rows are dropped")
    func plantedSeparation() throws {
        let planted = [17, 4_242, 29_999]
        let table = try Self.twoWayProblem(planted: planted)
        let frame = try ModelFrame(table: table, formula: Formula(parsing: "y ~ x + dummy | o + d"))
        #expect(try !SeparationDetector.certifiesNoSeparation(y: frame.response, x: frame.design, groupings: frame.fixedEffects))
        let fit = try Estimator.fit(table, formula: "y ~ x + dummy | o + d", model: .ppml)
        let dropped = Set(0..<table.rowCount).subtracting(fit.sample)
        #expect(dropped == Set(planted))
        #expect(fit.report.droppedObservations.contains { $0.reason == .separated && $0.count == planted.count })
        #expect(fit.report.droppedTerms.map(\.term) == ["dummy"])
    }

    @Test("Without fixed effects: certified when X has full rank on the y > 0 rows, not when a regressor lives on y = 0 rows only")
    func certificateWithoutFixedEffects() throws {
        let plain = try Self.twoWayProblem(planted: [])
        let frame = try ModelFrame(table: plain, formula: Formula(parsing: "y ~ x + o"))
        #expect(try SeparationDetector.certifiesNoSeparation(y: frame.response, x: frame.design, groupings: []))
        let planted = try Self.twoWayProblem(planted: [5, 6, 7])
        let separated = try ModelFrame(table: planted, formula: Formula(parsing: "y ~ x + dummy"))
        #expect(try !SeparationDetector.certifiesNoSeparation(y: separated.response, x: separated.design, groupings: []))
    }
}
