import Foundation
import SteppeData
import SteppeModels
import Testing

/// GLMs and linear models against R 4.2.2's glm, lm, MASS::glm.nb and sandwich, on datasets
/// R ships (`Fixtures/r/make_reference.R` wrote the data and the numbers).
@Suite("Against R's glm, lm and sandwich")
struct RGLMReferenceTests {
    struct Case: Sendable, CustomStringConvertible {
        let key: String
        let file: String
        let formula: String
        let model: ModelKind
        var weights: String? = nil
        var offset: String? = nil
        var cluster: String? = nil
        /// Text columns, and R's spelling of categorical variables (`Diet`, or `factor(cyl)` for `C(cyl)`).
        let categorical: [String: String]
        var description: String { key }
    }

    static let cases: [Case] = [
        Case(key: "chick_poisson", file: "chickweight", formula: "weight ~ Time + Diet", model: .poisson, cluster: "Chick", categorical: ["Diet": "Diet"]),
        Case(key: "chick_gamma", file: "chickweight", formula: "weight ~ Time + Diet", model: .gamma, cluster: "Chick", categorical: ["Diet": "Diet"]),
        Case(key: "chick_gaussian_glm", file: "chickweight", formula: "weight ~ Time + Diet", model: .gaussian, cluster: "Chick", categorical: ["Diet": "Diet"]),
        Case(key: "chick_ols", file: "chickweight", formula: "weight ~ Time + Diet", model: .ols, cluster: "Chick", categorical: ["Diet": "Diet"]),
        Case(key: "insurance_poisson", file: "insurance", formula: "Claims ~ District + Group + Age", model: .poisson,
             offset: "log(Holders)", cluster: "District", categorical: ["District": "District", "Group": "Group", "Age": "Age"]),
        Case(key: "quine_negbin", file: "quine", formula: "Days ~ Eth + Sex + Age + Lrn", model: .negbin,
             categorical: ["Eth": "Eth", "Sex": "Sex", "Age": "Age", "Lrn": "Lrn"]),
        Case(key: "warpbreaks_poisson", file: "warpbreaks", formula: "breaks ~ wool * tension", model: .poisson,
             categorical: ["wool": "wool", "tension": "tension"]),
        Case(key: "mtcars_wls", file: "mtcars", formula: "mpg ~ wt + hp + I(hp^2)", model: .ols, weights: "1/disp", cluster: "cyl", categorical: [:]),
        Case(key: "mtcars_interaction", file: "mtcars", formula: "mpg ~ wt * C(cyl)", model: .ols, categorical: ["cyl": "factor(cyl)"]),
    ]

    /// R's coefficient name in Steppe's spelling: `Diet2` → `Diet[T.2]`, `factor(cyl)6` → `C(cyl)[T.6]`.
    static func steppeName(_ r: String, _ categorical: [String: String]) -> String {
        r.split(separator: ":").map { part -> String in
            let p = String(part)
            for (variable, spelling) in categorical where p.hasPrefix(spelling) && p.count > spelling.count {
                let level = p.dropFirst(spelling.count)
                let explicit = spelling.hasPrefix("factor(")
                return (explicit ? "C(\(variable))" : variable) + "[T.\(level)]"
            }
            return p
        }.joined(separator: ":")
    }

    static let textColumns: [String: Column.Kind] = ["Chick": .text, "Diet": .text, "District": .text]

    func fit(_ c: Case, _ covariance: CovarianceType, _ correction: SmallSampleCorrection) throws -> FitResult {
        let table = try Fixtures.table("r/\(c.file).csv", options: CSVOptions(columnKinds: Self.textColumns))
        let options = EstimationOptions(covariance: covariance, weights: c.weights, offset: c.offset,
                                        smallSampleCorrection: correction, tolerance: 1e-10)
        return try Estimator.fit(table, formula: c.formula, model: c.model, options: options)
    }

    func check(_ fit: FitResult, _ reference: [String: Double], _ c: Case, _ what: String, standardErrors: Bool, tolerance: Double) {
        #expect(fit.coefficients.count == reference.count, "\(c.key) \(what): \(fit.coefficients.map(\.term)) vs \(reference.keys.sorted())")
        for (rName, value) in reference {
            let name = Self.steppeName(rName, c.categorical)
            guard let b = fit.coefficient(name) else { Issue.record("\(c.key): no coefficient \(name)"); continue }
            let ours = standardErrors ? b.standardError : b.estimate
            #expect(relativeDifference(ours, value) < tolerance || abs(ours - value) < 1e-12,
                    "\(c.key) \(what) \(name): \(ours) vs R \(value)")
        }
    }

    @Test("Coefficients to 1e-8, standard errors to 1e-7, fit statistics", arguments: cases)
    func reference(_ c: Case) throws {
        let all = try Fixtures.json("r/reference.json")
        let r = all[c.key] as! [String: Any]
        let model = try fit(c, .iid, .statsmodels)
        check(model, r["coefficients"] as! [String: Double], c, "coefficient", standardErrors: false, tolerance: 1e-8)
        check(model, r["se_model"] as! [String: Double], c, "model-based SE", standardErrors: true, tolerance: 1e-7)
        check(try fit(c, .heteroskedastic(.hc0), .statsmodels), r["se_hc0"] as! [String: Double], c, "HC0", standardErrors: true, tolerance: 1e-7)
        check(try fit(c, .heteroskedastic(.hc1), .statsmodels), r["se_hc1"] as! [String: Double], c, "HC1", standardErrors: true, tolerance: 1e-7)
        if c.model == .ols {
            check(try fit(c, .heteroskedastic(.hc2), .statsmodels), r["se_hc2"] as! [String: Double], c, "HC2", standardErrors: true, tolerance: 1e-7)
            check(try fit(c, .heteroskedastic(.hc3), .statsmodels), r["se_hc3"] as! [String: Double], c, "HC3", standardErrors: true, tolerance: 1e-7)
        }
        if let cluster = c.cluster {
            check(try fit(c, .cluster([cluster]), .statsmodels), r["se_cluster_hc1"] as! [String: Double], c,
                  "cluster (sandwich HC1)", standardErrors: true, tolerance: 1e-7)
            if c.model != .ols {
                // sandwich's HC0 with cadjust, G/(G − 1) alone: Stata's convention for likelihood models.
                check(try fit(c, .cluster([cluster]), .stata), r["se_cluster_hc0"] as! [String: Double], c,
                      "cluster (sandwich HC0, G/(G−1))", standardErrors: true, tolerance: 1e-7)
            }
        }
        let s = model.statistics
        #expect(s.observations == r["nobs"] as! Int)
        #expect(relativeDifference(s.logLikelihood!, r["loglik"] as! Double) < 1e-9, "\(c.key) loglik \(s.logLikelihood!)")
        #expect(relativeDifference(s.aic!, r["aic"] as! Double) < 1e-9, "\(c.key) AIC \(s.aic!) vs \(r["aic"]!)")
        if let deviance = r["deviance"] as? Double {
            #expect(relativeDifference(s.deviance!, deviance) < 1e-9, "\(c.key) deviance \(s.deviance!) vs \(deviance)")
            #expect(relativeDifference(s.nullDeviance!, r["null_deviance"] as! Double) < 1e-9, "\(c.key) null deviance")
            #expect(relativeDifference(s.dispersion!, r["dispersion"] as! Double) < 1e-8, "\(c.key) dispersion")
        } else {
            #expect(relativeDifference(s.rSquared!, r["r_squared"] as! Double) < 1e-10)
            #expect(relativeDifference(s.adjustedRSquared!, r["adj_r_squared"] as! Double) < 1e-10)
            #expect(relativeDifference(s.residualStandardError!, r["sigma"] as! Double) < 1e-10)
        }
        if let theta = r["theta"] as? Double {
            #expect(relativeDifference(s.theta!, theta) < 1e-6, "\(c.key) θ \(s.theta!) vs \(theta)")
        }
    }

    @Test("Fixed effects equal explicit dummy variables (R's glm and lm with factor(Chick))")
    func fixedEffectsEqualDummies() throws {
        let all = try Fixtures.json("r/reference.json")
        let table = try Fixtures.table("r/chickweight.csv", options: CSVOptions(columnKinds: Self.textColumns))
        var options = EstimationOptions()
        options.covariance = .iid
        options.smallSampleCorrection = .statsmodels
        options.tolerance = 1e-10
        let pois = try Estimator.fit(table, formula: "weight ~ Time | Chick", model: .poisson, options: options)
        let rp = all["chick_poisson_dummies"] as! [String: Any]
        let time = pois.coefficient("Time")!
        #expect(relativeDifference(time.estimate, (rp["coefficients"] as! [String: Double])["Time"]!) < 1e-8)
        #expect(relativeDifference(time.standardError, (rp["se_model"] as! [String: Double])["Time"]!) < 1e-7)
        #expect(relativeDifference(pois.statistics.deviance!, rp["deviance"] as! Double) < 1e-9)
        #expect(relativeDifference(pois.statistics.logLikelihood!, rp["loglik"] as! Double) < 1e-9)

        let ols = try Estimator.fit(table, formula: "weight ~ Time + I(Time^2) | Chick", model: .ols, options: options)
        let ro = all["chick_ols_dummies"] as! [String: Any]
        for (name, value) in ro["coefficients"] as! [String: Double] {
            #expect(relativeDifference(ols.coefficient(name)!.estimate, value) < 1e-9, "\(name)")
        }
        for (name, value) in ro["se_model"] as! [String: Double] {
            #expect(relativeDifference(ols.coefficient(name)!.standardError, value) < 1e-8, "\(name) SE")
        }
        #expect(relativeDifference(ols.statistics.deviance!, ro["rss"] as! Double) < 1e-10)
    }
}
