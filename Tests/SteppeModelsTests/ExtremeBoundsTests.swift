import Foundation
import SteppeData
import SteppeModels
import Testing

/// Extreme bounds analysis against R's ExtremeBounds 0.1.7 (`eba_make_reference.R`) and an
/// independent statsmodels brute force (`eba_make_reference.py`) on mtcars, and against the
/// tables printed in Hlavac (2016), JSS 72(9), section 4.2.
@Suite("Extreme bounds analysis (ExtremeBounds)")
struct ExtremeBoundsTests {
    static let paperFormula = "mpg ~ wt + cyl + carb + disp + hp + vs + drat + qsec + gear + am"

    static func mtcars() throws -> Table { try Fixtures.table("sensitivity/eba_mtcars.csv") }

    static func analyse(_ formula: String, _ options: ExtremeBounds.Options, model: ModelKind = .ols,
                        estimation: EstimationOptions = EstimationOptions()) throws -> ExtremeBounds.Result {
        let m = try SensitivityModel(table: try mtcars(), formula: formula, model: model, options: estimation)
        return try ExtremeBounds.analyse(m, options: options)
    }

    static var paperOptions: ExtremeBounds.Options {
        ExtremeBounds.Options(focus: ["cyl", "carb", "disp", "hp"], free: ["wt"], doubtful: ["vs", "drat", "wt", "qsec", "gear", "am"],
                              exclusive: [["cyl", "carb", "disp", "hp"], ["am", "gear"]], maximumVIF: 7, weighting: .lri)
    }

    /// Every variable of the reference (R's names mapped by `names`) against `result`.
    func compare(_ result: ExtremeBounds.Result, _ key: String, names: [String: String] = [:], only: Set<String>? = nil,
                 tolerance: Double = 1e-10) throws {
        for file in ["sensitivity/eba_reference_r.json", "sensitivity/eba_reference_python.json"] {
            let r = try Fixtures.json(file)[key] as! [String: Any]
            #expect(result.combinations == r["combinations"] as! Int, "\(file) \(key)")
            #expect(result.regressions == r["regressions"] as! Int, "\(file) \(key)")
            var matched = 0
            for e in r["variables"] as! [[String: Any]] {
                let reference = e["term"] as! String
                let term = names[reference] ?? reference
                if let only, !only.contains(term) { continue }
                let v = try #require(result.variables.first { $0.term == term }, "\(file) \(key): no \(term)")
                matched += 1
                #expect(v.regressions == e["regressions"] as! Int && v.coefficientsUsed == e["coefficientsUsed"] as! Int,
                        "\(file) \(key) \(term): \(v.regressions)/\(v.coefficientsUsed)")
                #expect(v.leamerRobust == e["leamerRobust"] as? Bool, "\(file) \(key) \(term) robust")
                let pairs: [(String, Double)] = [
                    ("weightedMean", v.weightedMean), ("weightedStdError", v.weightedStandardError),
                    ("weightedVariance", v.weightedVariance), ("shareNegative", v.shareNegative),
                    ("sharePositive", v.sharePositive), ("shareSignificantNegative", v.shareSignificantNegative),
                    ("shareSignificantPositive", v.shareSignificantPositive), ("leamerLow", v.leamerLow),
                    ("leamerHigh", v.leamerHigh), ("cdfNormalBelowZero", v.cdfNormalBelowZero),
                    ("cdfGenericBelowZero", v.cdfGenericBelowZero),
                ]
                for (name, value) in pairs {
                    let expected = e[name] as! Double
                    #expect(relativeDifference(value, expected) < tolerance, "\(file) \(key) \(term) \(name): \(value) vs \(expected)")
                }
            }
            #expect(matched == (only?.count ?? result.variables.count), "\(file) \(key): \(matched) variables matched")
        }
    }

    @Test("the paper's sophisticated EBA (exclusive sets, VIF 7, HC0, LRI weights) matches ExtremeBounds and the brute force")
    func paperExample() throws {
        let result = try Self.analyse(Self.paperFormula, Self.paperOptions,
                                      estimation: EstimationOptions(covariance: .heteroskedastic(.hc0)))
        try compare(result, "paper")
    }

    @Test("the paper's printed tables (Hlavac 2016, pp. 15–17), to their 3 decimals")
    func paperTables() throws {
        let result = try Self.analyse(Self.paperFormula, Self.paperOptions,
                                      estimation: EstimationOptions(covariance: .heteroskedastic(.hc0)))
        #expect(result.combinations == 148 && result.regressions == 148)
        let v = Dictionary(uniqueKeysWithValues: result.variables.map { ($0.term, $0) })
        let printed: [(String, Int, Int, Double, Double, Double, Double, Double, Double)] = [
            // term, regressions, used, mean, SE, Leamer low, high, G: CDF(β ≤ 0) %, signif & β<0 %
            ("(Intercept)", 148, 148, 26.199, 6.286, -19.521, 55.021, 2.756, 0),
            ("wt", 148, 148, -3.623, 0.902, -7.495, -0.659, 99.957, 100),
            ("cyl", 37, 26, -1.370, 0.403, -2.295, 0.101, 99.521, 92.308),
            ("carb", 37, 37, -0.822, 0.327, -2.197, 0.358, 95.315, 59.459),
            ("disp", 37, 14, -0.016, 0.008, -0.034, 0.009, 95.200, 57.143),
            ("hp", 37, 37, -0.027, 0.008, -0.052, 0.002, 99.047, 81.081),
        ]
        for p in printed {
            let x = try #require(v[p.0])
            #expect(x.regressions == p.1 && x.coefficientsUsed == p.2, "\(p.0)")
            for (a, b) in [(x.weightedMean, p.3), (x.weightedStandardError, p.4), (x.leamerLow, p.5), (x.leamerHigh, p.6),
                           (100 * x.cdfGenericBelowZero, p.7), (100 * x.shareSignificantNegative, p.8)] {
                #expect(abs(a - b) <= 5e-4 + 1e-12, "\(p.0): \(a) vs printed \(b)")
            }
            #expect(x.leamerRobust == (p.0 == "wt"))
        }
        #expect(abs(100 * v["(Intercept)"]!.shareSignificantPositive - 79.73) < 5e-3)
    }

    @Test("--draws: a seeded subset of the combinations, whose summary is that of the direct fits of the drawn ones")
    func drawnCombinations() throws {
        let formula = "mpg ~ wt + hp + qsec + drat + am"
        var options = ExtremeBounds.Options(focus: ["wt"], doubtful: ["hp", "qsec", "drat", "am"], k: [1])
        let all = try Self.analyse(formula, options)
        #expect(all.combinations == 4 && all.drawn == nil)
        options.draws = 4
        let same = try Self.analyse(formula, options)
        #expect(same.drawn == nil && same.variables == all.variables)
        options.draws = 3
        let drawn = try Self.analyse(formula, options)
        #expect(drawn.combinations == 4 && drawn.drawn == 3 && drawn.regressions == 3)
        #expect(try Self.analyse(formula, options).variables == drawn.variables)
        // The equal-weight mean of wt is the mean of three of the four direct fits.
        let table = try Self.mtcars()
        let betas = try ["hp", "qsec", "drat", "am"].map { other in
            try Estimator.fit(table, formula: "mpg ~ wt + \(other)", model: .ols).coefficient("wt")!.estimate
        }
        let mean = try #require(drawn.variables.first { $0.term == "wt" }).weightedMean
        let subsetMeans = (0..<4).map { left in (betas.reduce(0, +) - betas[left]) / 3 }
        #expect(subsetMeans.contains { abs($0 - mean) <= 1e-12 * abs(mean) })
        options.draws = 1
        #expect(throws: ModelError.self) { try Self.analyse(formula, options) }
    }

    @Test("every term focus, k = 0:4, classical errors and equal weights (the doubtful set defaults to the other terms)")
    func naive() throws {
        let result = try Self.analyse("mpg ~ cyl + disp + hp + wt + qsec",
                                      .init(focus: ["cyl", "disp", "hp", "wt", "qsec"], k: [0, 1, 2, 3, 4]))
        try compare(result, "naive")
    }

    @Test("R² weights with a free term")
    func rSquaredWeights() throws {
        let result = try Self.analyse("mpg ~ am + wt + hp + cyl + disp + qsec + drat",
                                      .init(focus: ["wt", "hp"], free: ["am"], k: [0, 1, 2], weighting: .r2))
        try compare(result, "r2")
    }

    @Test("a Poisson GLM with LRI weights (ExtremeBounds' reg.fun = glm)")
    func poisson() throws {
        var estimation = EstimationOptions(covariance: .iid, smallSampleCorrection: .statsmodels)
        estimation.tolerance = 1e-13
        let result = try Self.analyse("carb ~ hp + wt + cyl + disp + qsec", .init(focus: ["hp", "wt"], k: [0, 1, 2], weighting: .lri),
                                      model: .poisson, estimation: estimation)
        try compare(result, "poisson", tolerance: 1e-9)
    }

    @Test("a fixed effect gives the focus results of its dummies, VIFs included (ExtremeBounds with factor(cyl) free)")
    func fixedEffectAsDummies() throws {
        let options = ExtremeBounds.Options(focus: ["wt", "hp"], k: [0, 1, 2], maximumVIF: 4, weighting: .lri)
        let fe = try Self.analyse("mpg ~ wt + hp + disp + qsec + drat | cyl", options, estimation: EstimationOptions(covariance: .iid))
        try compare(fe, "dummies", only: ["wt", "hp"])
        var withDummies = options
        withDummies.free = ["C(cyl)"]
        let dummies = try Self.analyse("mpg ~ C(cyl) + wt + hp + disp + qsec + drat", withDummies)
        try compare(dummies, "dummies", names: ["factor(cyl)6": "C(cyl)[T.6]", "factor(cyl)8": "C(cyl)[T.8]"])
    }

    @Test("bad input is a one-line invalidOption that says what to do", arguments: [
        ("k", "is too high"), ("focusFree", "both focus and free"), ("exclusive", "is not doubtful"),
        ("r2glm", "needs an OLS model"), ("unknown", "is not a term"), ("noFocus", "at least one focus"), ("vif", "--vif must be"),
    ])
    func errors(_ c: (String, String)) throws {
        var options = ExtremeBounds.Options(focus: ["wt"], doubtful: ["hp", "qsec"], k: [0, 1])
        var model = ModelKind.ols
        switch c.0 {
        case "k": options.k = [0, 5]
        case "focusFree": options.free = ["wt"]
        case "exclusive": options.exclusive = [["hp", "cyl"]]; options.free = ["cyl"]
        case "r2glm": model = .poisson; options.weighting = .r2
        case "unknown": options.focus = ["weight"]
        case "noFocus": options.focus = []
        default: options.maximumVIF = 0.5
        }
        do {
            _ = try Self.analyse("mpg ~ wt + hp + qsec + cyl", options, model: model)
            Issue.record("\(c.0): no error")
        } catch let ModelError.invalidOption(message) {
            #expect(message.contains(c.1), "\(c.0): \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test("terms split at the separator outside parentheses")
    func termLists() {
        #expect(SensitivityTerms.split(" log(a), poly(x, 2) ,b ,", separator: ",") == ["log(a)", "poly(x, 2)", "b"])
        #expect(SensitivityTerms.split("cyl + carb | am+gear", separator: "|") == ["cyl + carb", "am+gear"])
    }
}
