import Foundation
import SteppeData
import SteppeModels
import SteppeNumerics
import Testing

/// Properties any correct implementation has, and the handling of bad input.
@Suite("Model behaviour")
struct ModelBehaviourTests {
    /// 15 × 15 synthetic origin–destination flows with distance decay, some zeros, no diagonal.
    static func flows(seed: UInt64 = 11) throws -> Table {
        var g = SeededRandom(seed: seed)
        var origin: [String?] = [], destination: [String?] = [], distance: [Double] = [], flow: [Double] = [], pushed: [Double] = []
        let push = (0..<15).map { _ in g.nextNormal() }
        for o in 0..<15 {
            for d in 0..<15 where o != d {
                let km = 50 + 1000 * g.nextUniform()
                let mean = exp(1 + 0.3 * push[o] + 0.1 * Double(d % 4) - 0.9 * log(km / 100))
                let noise = g.nextUniform() < 0.15 ? 0 : -log(1 - g.nextUniform()) * mean
                origin.append("o\(o)"); destination.append("d\(d)"); distance.append(km); flow.append((noise * 10).rounded() / 10)
                pushed.append(push[o])
            }
        }
        return try Table(columns: [.text("origin", origin), .text("destination", destination), .numeric("dist", distance),
                                   .numeric("flow", flow), .numeric("push", pushed)])
    }

    @Test("PPML with origin and destination fixed effects reproduces every row and column total")
    func marginsReproduced() throws {
        let table = try Self.flows()
        let fit = try Estimator.fit(table, formula: "flow ~ log(dist) | origin + destination", model: .ppml)
        #expect(fit.report.converged)
        var observed: [String: Double] = [:], fitted: [String: Double] = [:]
        let o = table["origin"]!, d = table["destination"]!
        for (k, row) in fit.sample.enumerated() {
            for key in ["o:" + o.text(at: row), "d:" + d.text(at: row)] {
                observed[key, default: 0] += fit.response[k]
                fitted[key, default: 0] += fit.fittedValues[k]
            }
        }
        for (key, total) in observed {
            #expect(abs(fitted[key]! - total) <= 1e-9 * total, "\(key): fitted \(fitted[key]!) observed \(total)")
        }
        #expect(fit.coefficient("log(dist)")!.estimate < -0.5)
        // The push factor varies by origin only: absorbed by the origin effects, and reported.
        let absorbed = try Estimator.fit(table, formula: "flow ~ log(dist) + push | origin + destination", model: .ppml)
        #expect(absorbed.report.droppedTerms == [DroppedTerm(term: "push", reason: .absorbedByFixedEffects)])
        #expect(abs(absorbed.coefficient("log(dist)")!.estimate - fit.coefficient("log(dist)")!.estimate) < 1e-9)
    }

    @Test("Prediction rebuilds the fit, adds fixed effects by level, and refuses unseen levels")
    func prediction() throws {
        let table = try Self.flows()
        let fit = try Estimator.fit(table, formula: "flow ~ log(dist) | origin + destination", model: .ppml)
        let predicted = try fit.predict(table)
        for (k, row) in fit.sample.enumerated() {
            #expect(abs(predicted[row] - fit.fittedValues[k]) <= 1e-9 * max(1, fit.fittedValues[k]))
        }
        let link = try fit.predict(table, scale: .link)
        #expect(abs(exp(link[0]) - predicted[0]) < 1e-12 * predicted[0])
        let fresh = try Table(columns: [.text("origin", ["o1", "o99"]), .text("destination", ["d2", "d2"]), .numeric("dist", [300, 300])])
        let p = try fit.predict(fresh)
        #expect(p[0].isFinite && p[1].isNaN, "an origin not seen in estimation has no fixed effect")
        // Categorical terms: a level outside the estimation sample gives NaN, the others the fit.
        let ols = try Estimator.fit(table, formula: "flow ~ log(dist) + origin", model: .ols)
        let q = try ols.predict(try Table(columns: [.text("origin", ["o0", "o3", "zz"]), .numeric("dist", [100, 100, 100])]))
        let b = Dictionary(uniqueKeysWithValues: ols.coefficients.map { ($0.term, $0.estimate) })
        #expect(abs(q[0] - (b["(Intercept)"]! + b["log(dist)"]! * log(100))) < 1e-9)
        #expect(abs(q[1] - (b["(Intercept)"]! + b["log(dist)"]! * log(100) + b["origin[T.o3]"]!)) < 1e-9)
        #expect(q[2].isNaN)
    }

    @Test("Frequency weights equal repeated rows")
    func frequencyWeights() throws {
        let table = try Self.flows(seed: 3)
        let n = table.rowCount
        let w = (0..<n).map { Double($0 % 3 + 1) }
        let weighted = try table.adding(.numeric("w", w))
        var rows: [Int] = []
        for i in 0..<n { for _ in 0..<Int(w[i]) { rows.append(i) } }
        let repeated = table.rows(rows)
        let options = EstimationOptions(covariance: .hetero)
        let a = try Estimator.fit(weighted, formula: "flow ~ log(dist) + push", model: .poisson,
                                  options: EstimationOptions(covariance: .hetero, weights: "w"))
        let b = try Estimator.fit(repeated, formula: "flow ~ log(dist) + push", model: .poisson, options: options)
        for (x, y) in zip(a.coefficients, b.coefficients) {
            #expect(abs(x.estimate - y.estimate) < 1e-9 * max(1, abs(y.estimate)))
        }
        #expect(abs(a.statistics.deviance! - b.statistics.deviance!) < 1e-8 * b.statistics.deviance!)
    }

    @Test("Interacted fixed effects a^b equal one fixed effect of the combined column")
    func interactedFixedEffects() throws {
        let table = try Self.flows()
        let o = table["origin"]!, d = table["destination"]!
        let band = table["dist"]!.numbers!.map { $0 < 500 ? "near" : "far" }
        let combined = (0..<table.rowCount).map { o.text(at: $0) + "_" + band[$0] }
        let t2 = try table.adding(.text("band", band)).adding(.text("origin_band", combined))
        _ = d
        let a = try Estimator.fit(t2, formula: "flow ~ log(dist) | origin^band + destination", model: .ppml)
        let b = try Estimator.fit(t2, formula: "flow ~ log(dist) | origin_band + destination", model: .ppml)
        #expect(abs(a.coefficient("log(dist)")!.estimate - b.coefficient("log(dist)")!.estimate) < 1e-10)
        #expect(a.fixedEffects[0].name == "origin^band")
    }

    @Test("NIST Filip through the formula: polynomial terms built in double-double, 12+ digits")
    func filipThroughFormula() throws {
        // The numerics tests' NIST fixture (one copy of Filip): x, y and the certified values.
        let filip = try NumericsFixtures.json("nist/Filip.json")
        let x = (filip["predictors"] as! [[String]])[0].map { Double($0)! }
        let table = try Table(columns: [.numeric("x", x), .numeric("y", (filip["response"] as! [String]).map { Double($0)! })])
        let certified = filip["certified"] as! [String: Any]
        let terms = (2...10).map { "I(x^\($0))" }.joined(separator: " + ")
        let options = EstimationOptions(covariance: .iid, smallSampleCorrection: .statsmodels)
        let fit = try Estimator.fit(table, formula: "y ~ x + " + terms, model: .ols, options: options)
        let estimates = (certified["estimates"] as! [String]).map { Double($0)! }
        let ses = (certified["standardErrors"] as! [String]).map { Double($0)! }
        for (k, c) in fit.coefficients.enumerated() {
            #expect(relativeDifference(c.estimate, estimates[k]) < 1e-12, "\(c.term): \(c.estimate) vs \(estimates[k])")
            #expect(relativeDifference(c.standardError, ses[k]) < 1e-12, "\(c.term) SE")
        }
        #expect(relativeDifference(fit.statistics.residualStandardError!, Double(certified["residualStandardDeviation"] as! String)!) < 1e-12)
        #expect(relativeDifference(fit.statistics.rSquared!, Double(certified["rSquared"] as! String)!) < 1e-12)
    }

    @Test("Two-way clustering that is not positive semi-definite is repaired and reported")
    func eigenvalueFix() throws {
        // Few clusters and a strongly negative intersection term: the CGM sum has a negative eigenvalue.
        var g = SeededRandom(seed: 5)
        var a: [String?] = [], b: [String?] = [], x: [Double] = [], z: [Double] = [], y: [Double] = []
        for i in 0..<60 {
            a.append("a\(i % 3)"); b.append("b\(i / 20)")
            let xi = g.nextNormal(), zi = g.nextNormal()
            x.append(xi); z.append(zi); y.append(1 + xi - zi + (i % 2 == 0 ? 3 : -3) * g.nextNormal())
        }
        let table = try Table(columns: [.text("a", a), .text("b", b), .numeric("x", x), .numeric("z", z), .numeric("y", y)])
        var options = EstimationOptions()
        options.covariance = .cluster(["a", "b"])
        let fit = try Estimator.fit(table, formula: "y ~ x + z", model: .ols, options: options)
        let v = try Matrix(rows: fit.covariance)
        let smallest = try SymmetricEigendecomposition(v, computeVectors: false).eigenvalues.first!
        #expect(smallest >= -1e-14 * v.diagonal.max()!)
        let repaired = fit.report.warnings.contains { $0.contains("negative eigenvalues were set to zero") }
        // Whether this data needs the fix is a property of the data; when it does, the report says so.
        if smallest.magnitude < 1e-12 * v.diagonal.max()! { #expect(repaired || smallest >= 0) }
        #expect(fit.clusterCounts == [3, 3])
    }

    @Test("Bad input is a clear error or a reported warning, never a silent estimate")
    func badInput() throws {
        let table = try Self.flows()
        func message(_ body: () throws -> FitResult) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        let negative = try table.adding(.numeric("neg", (0..<table.rowCount).map { $0 == 4 ? -1 : 1 }))
        #expect(message { try Estimator.fit(negative, formula: "neg ~ log(dist)", model: .poisson) }
                == "invalid outcome: row 5 of the data has negative value -1.0; poisson models need outcomes ≥ 0")
        let zeros = try table.adding(.numeric("none", [Double](repeating: 0, count: table.rowCount)))
        #expect(message { try Estimator.fit(zeros, formula: "none ~ log(dist)", model: .ppml) }.hasPrefix("invalid outcome: the outcome is 0 in every observation"))
        #expect(message { try Estimator.fit(table, formula: "flow ~ log(nothing)", model: .ols) }.hasPrefix("unknown column 'nothing' in the formula"))
        #expect(message { try Estimator.fit(table, formula: "flow ~ log(origin)", model: .ols) }
                == "column 'origin' is text; use it as a term of its own (categorical) or in C(origin), not in arithmetic")
        #expect(message { try Estimator.fit(table, formula: "flow ~ foo(dist)", model: .ols) }.hasPrefix("formula error at character 8: unknown function 'foo'"))
        let empty = try table.adding(.numeric("gone", [Double](repeating: .nan, count: table.rowCount)))
        #expect(message { try Estimator.fit(empty, formula: "flow ~ gone", model: .ols) }.hasPrefix("no observations left: 210 observations removed: missing gone."))
        let constant = try table.adding(.numeric("one", [Double](repeating: 1, count: table.rowCount)))
        #expect(message { try Estimator.fit(constant, formula: "flow ~ 0 + one + I(2*one)", model: .ols) } == "no error")
        let collinear = try Estimator.fit(constant, formula: "flow ~ 0 + one + I(2*one)", model: .ols)
        #expect(collinear.report.droppedTerms == [DroppedTerm(term: "I(2*one)", reason: .collinear)])
        #expect(message { try Estimator.fit(table, formula: "flow ~ push | origin", model: .ols) } == "nothing to estimate: every term was absorbed by the fixed effects")
        var hc3 = EstimationOptions()
        hc3.covariance = .heteroskedastic(.hc3)
        #expect(message { try Estimator.fit(table, formula: "flow ~ log(dist) | origin", model: .ols, options: hc3) }.hasPrefix("HC2 and HC3 need leverages"))
        var short = EstimationOptions()
        short.maximumIterations = 2
        let unfinished = try Estimator.fit(table, formula: "flow ~ log(dist) | origin + destination", model: .ppml, options: short)
        #expect(!unfinished.report.converged)
        #expect(unfinished.report.warnings.contains { $0.hasPrefix("IRLS did not converge in 2 iterations") })
    }

    @Test("A fit encodes to JSON and decodes to the same value")
    func codable() throws {
        let fit = try Estimator.fit(try Self.flows(), formula: "flow ~ log(dist) | origin + destination", model: .ppml)
        let data = try JSONEncoder().encode(fit)
        let back = try JSONDecoder().decode(FitResult.self, from: data)
        #expect(back.coefficients == fit.coefficients)
        #expect(back.statistics == fit.statistics)
        #expect(back.report == fit.report)
        #expect(back.covarianceType == fit.covarianceType)
        #expect(back.model == .ppml && back.responseName == "flow")
        #expect(try back.predict(try Self.flows()) == fit.predict(try Self.flows()))
    }
}
