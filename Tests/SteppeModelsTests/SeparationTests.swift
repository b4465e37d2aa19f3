import Foundation
import SteppeData
import SteppeModels
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
}
