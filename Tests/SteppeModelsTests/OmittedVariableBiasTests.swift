import Foundation
import SteppeData
import SteppeModels
import Testing

/// Omitted-variable-bias sensitivity against PySensemakr 0.0.8 on the Darfur data of
/// Cinelli & Hazlett (2020) (`Fixtures/sensitivity/ovb_make_reference.py`), and the
/// invariances the method must have.
@Suite("Omitted-variable bias (sensemakr)")
struct OmittedVariableBiasTests {
    static let controls = "age + farmer_dar + herder_dar + pastvoted + hhsize_darfur + female"
    /// The paper's model with village as a fixed effect: the same numbers as with village
    /// dummies (PySensemakr's references are fits with dummies), and a fit of 8 columns
    /// instead of 493.
    static let paperFormula = "peacefactor ~ directlyharmed + \(controls) | village"
    static let dummyFormula = "peacefactor ~ directlyharmed + \(controls) + village"

    static func darfur() throws -> Table { try Fixtures.table("sensitivity/ovb_darfur.csv") }

    static func reference(_ key: String) throws -> [String: Any] {
        try Fixtures.json("sensitivity/ovb_darfur_reference.json")[key] as! [String: Any]
    }

    static func analyse(_ formula: String, _ options: OmittedVariableBias.Options, model: ModelKind = .ols,
                        estimation: EstimationOptions = EstimationOptions()) throws -> OmittedVariableBias.Result {
        let m = try SensitivityModel(table: try darfur(), formula: formula, model: model, options: estimation)
        return try OmittedVariableBias.analyse(m, options: options)
    }

    /// Every number of `result` against PySensemakr's, to `tolerance` relative.
    func compare(_ result: OmittedVariableBias.Result, _ key: String, tolerance: Double = 1e-10) throws {
        let r = try Self.reference(key)
        let scalars: [(String, Double)] = [
            ("estimate", result.estimate), ("stdError", result.standardError), ("tStatistic", result.tStatistic),
            ("partialR2", result.partialR2), ("partialF2", result.partialF2), ("robustnessValue", result.robustnessValue),
            ("robustnessValueAlpha", result.robustnessValueAlpha),
        ]
        for (name, value) in scalars {
            let expected = r[name] as! Double
            #expect(relativeDifference(value, expected) < tolerance, "\(key) \(name): \(value) vs \(expected)")
        }
        #expect(result.degreesOfFreedom == r["degreesOfFreedom"] as! Int)
        let bounds = r["bounds"] as! [[String: Any]]
        try #require(result.bounds.count == bounds.count)
        for (b, e) in zip(result.bounds, bounds) {
            #expect(b.kd == e["kd"] as! Double && b.ky == e["ky"] as! Double)
            let pairs: [(String, Double)] = [
                ("r2dzx", b.r2dzx), ("r2yzdx", b.r2yzdx), ("adjustedEstimate", b.adjustedEstimate),
                ("adjustedStdError", b.adjustedStandardError), ("adjustedT", b.adjustedT),
                ("adjustedConfLow", b.adjustedConfidenceLow), ("adjustedConfHigh", b.adjustedConfidenceHigh),
            ]
            for (name, value) in pairs {
                let expected = e[name] as! Double
                #expect(relativeDifference(value, expected) < tolerance, "\(key) \(b.benchmark) kd \(b.kd) \(name): \(value) vs \(expected)")
            }
        }
        let contour = r["contour"] as! [String: Any]
        let x = contour["r2dzx"] as! [Double], y = contour["r2yzdx"] as! [Double], z = contour["adjustedEstimate"] as! [[Double]]
        try #require(result.contour.r2dzx.count == x.count && result.contour.r2yzdx.count == y.count)
        var worst = 0.0
        for i in x.indices {
            worst = max(worst, abs(result.contour.r2dzx[i] - x[i]), abs(result.contour.r2yzdx[i] - y[i]))
            for j in y.indices {
                // Absolute against the estimate's scale: the grid crosses zero.
                worst = max(worst, abs(result.contour.adjustedEstimate[i][j] - z[i][j]) / abs(result.estimate))
            }
        }
        #expect(worst < tolerance, "\(key) contour: largest difference \(worst)")
    }

    @Test("the paper's example (directlyharmed, benchmark female, kd 1:3, village fixed effect) matches PySensemakr's dummy fit to 1e-10")
    func paperExample() throws {
        let result = try Self.analyse(Self.paperFormula, .init(treatment: "directlyharmed", benchmarks: ["female"]))
        try compare(result, "paper")
        // As printed in Cinelli & Hazlett (2020), section 6 and table 3: 0.097 (0.023),
        // t = 4.18, R²_Y~D|X = 2.2%, RV = 13.9%, RV_α=0.05 = 7.6%; 1× female: 0.9%, 12.5%, 0.075.
        #expect(abs(result.estimate - 0.097) < 5e-4 && abs(result.standardError - 0.023) < 5e-4)
        #expect(abs(result.tStatistic - 4.18) < 5e-3 && abs(result.partialR2 - 0.022) < 5e-4)
        #expect(abs(result.robustnessValue - 0.139) < 5e-4 && abs(result.robustnessValueAlpha - 0.076) < 5e-4)
        #expect(abs(result.bounds[0].r2dzx - 0.009) < 5e-4 && abs(result.bounds[0].r2yzdx - 0.125) < 5e-4)
        #expect(abs(result.bounds[0].adjustedEstimate - 0.075) < 5e-4)
    }

    @Test("q, alpha, ky different from kd, two benchmarks and reduce = false match PySensemakr")
    func otherOptions() throws {
        let options = OmittedVariableBias.Options(treatment: "directlyharmed", benchmarks: ["female", "pastvoted"],
                                                  kd: [1, 2], ky: [0.5, 3], q: 0.5, alpha: 0.1, reduce: false)
        try compare(try Self.analyse(Self.paperFormula, options), "options")
    }

    @Test("a categorical benchmark is one group of dummies (sensemakr's group partial R²)")
    func groupBenchmark() throws {
        let formula = "peacefactor ~ directlyharmed + age + C(occupation) + pastvoted + hhsize_darfur + female | village"
        try compare(try Self.analyse(formula, .init(treatment: "directlyharmed", benchmarks: ["C(occupation)"], kd: [1, 2])), "group")
    }

    @Test("the paper's model with 485 village dummies matches PySensemakr too")
    func paperWithDummies() throws {
        // Without double-double refinement: refining a 1276 × 493 least-squares problem takes
        // minutes in a debug build; the plain QR answer is good to about 13 digits here.
        var estimation = EstimationOptions()
        estimation.leastSquares.refinement = .never
        try compare(try Self.analyse(Self.dummyFormula, .init(treatment: "directlyharmed", benchmarks: ["female"]),
                                     estimation: estimation), "paper")
    }

    @Test("a fixed effect gives the numbers of its dummies (villages with 3 or more respondents)")
    func fixedEffectsEqualDummies() throws {
        let table = try Self.darfur()
        let village = table["village"]!
        var counts: [String: Int] = [:]
        for i in 0..<table.rowCount { counts[village.text(at: i), default: 0] += 1 }
        let rows = (0..<table.rowCount).filter { counts[village.text(at: $0)]! >= 3 }
        let subset = table.rows(rows)
        let options = OmittedVariableBias.Options(treatment: "directlyharmed", benchmarks: ["female", "pastvoted"],
                                                  kd: [1, 2], ky: [1, 4], q: 0.5)
        let fe = try OmittedVariableBias.analyse(try SensitivityModel(table: subset, formula: Self.paperFormula, model: .ols), options: options)
        let dummies = try OmittedVariableBias.analyse(try SensitivityModel(table: subset, formula: Self.dummyFormula, model: .ols), options: options)
        #expect(fe.degreesOfFreedom == dummies.degreesOfFreedom)
        let pairs: [(Double, Double)] = [(fe.estimate, dummies.estimate), (fe.standardError, dummies.standardError),
                                         (fe.partialR2, dummies.partialR2), (fe.robustnessValue, dummies.robustnessValue),
                                         (fe.robustnessValueAlpha, dummies.robustnessValueAlpha)]
            + zip(fe.bounds, dummies.bounds).flatMap { a, b in
                [(a.r2dzx, b.r2dzx), (a.r2yzdx, b.r2yzdx), (a.adjustedEstimate, b.adjustedEstimate),
                 (a.adjustedStandardError, b.adjustedStandardError), (a.adjustedConfidenceHigh, b.adjustedConfidenceHigh)]
            }
        for (a, b) in pairs { #expect(relativeDifference(a, b) < 1e-10, "\(a) vs \(b)") }
    }

    @Test("the covariance the model asks for changes nothing: sensemakr's statistics are classical")
    func covarianceIrrelevant() throws {
        let options = OmittedVariableBias.Options(treatment: "directlyharmed", benchmarks: ["female"])
        let base = try Self.analyse(Self.paperFormula, options)
        for covariance in [CovarianceType.hetero, .heteroskedastic(.hc0), .cluster(["village"])] {
            let other = try Self.analyse(Self.paperFormula, options, estimation: EstimationOptions(covariance: covariance))
            #expect(other.estimate == base.estimate && other.standardError == base.standardError)
            #expect(other.robustnessValue == base.robustnessValue && other.robustnessValueAlpha == base.robustnessValueAlpha)
            #expect(other.bounds == base.bounds && other.contour == base.contour)
        }
    }

    @Test("flipping the sign of the treatment flips the estimates and leaves the robustness values unchanged")
    func signFlip() throws {
        let options = OmittedVariableBias.Options(treatment: "directlyharmed", benchmarks: ["female"])
        let base = try Self.analyse(Self.paperFormula, options)
        var flippedOptions = options
        flippedOptions.treatment = "I(-directlyharmed)"
        let flipped = try Self.analyse("peacefactor ~ I(-directlyharmed) + \(Self.controls) | village", flippedOptions)
        #expect(relativeDifference(flipped.estimate, -base.estimate) < 1e-12)
        #expect(relativeDifference(flipped.standardError, base.standardError) < 1e-12)
        #expect(relativeDifference(flipped.robustnessValue, base.robustnessValue) < 1e-12)
        #expect(relativeDifference(flipped.robustnessValueAlpha, base.robustnessValueAlpha) < 1e-12)
        for (a, b) in zip(flipped.bounds, base.bounds) {
            #expect(relativeDifference(a.r2dzx, b.r2dzx) < 1e-12 && relativeDifference(a.r2yzdx, b.r2yzdx) < 1e-12)
            #expect(relativeDifference(a.adjustedEstimate, -b.adjustedEstimate) < 1e-12)
            #expect(relativeDifference(a.adjustedConfidenceLow, -b.adjustedConfidenceHigh) < 1e-12)
        }
    }

    @Test("bad input is a one-line invalidOption that says what to do", arguments: [
        ("ppml", "linear models"), ("kd", "is impossible"), ("unknown", "not a term"), ("categorical", "must be one column"),
        ("q", "--q must be"), ("ky", "--ky must be"), ("benchmark", "is the treatment"),
    ])
    func errors(_ c: (String, String)) throws {
        var options = OmittedVariableBias.Options(treatment: "directlyharmed", benchmarks: ["female"])
        var formula = Self.paperFormula, model = ModelKind.ols
        switch c.0 {
        case "ppml": model = .ppml; formula = "wouldvote ~ directlyharmed + \(Self.controls)"
        case "kd": options.kd = [500]
        case "unknown": options.treatment = "harmed"
        case "categorical": options.treatment = "C(occupation)"; formula = "peacefactor ~ directlyharmed + C(occupation) + female"
        case "q": options.q = 0
        case "ky": options.ky = [1]
        default: options.benchmarks = ["directlyharmed"]
        }
        do {
            _ = try Self.analyse(formula, options, model: model)
            Issue.record("\(c.0): no error")
        } catch let ModelError.invalidOption(message) {
            #expect(message.contains(c.1), "\(c.0): \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test("the closed forms at the paper's numbers (t = 4.18445, df = 783)")
    func closedForms() {
        // sensemakr's documentation: partial_r2(4.18445, 783) = 0.021873, partial_f2 = 0.022362.
        #expect(abs(OmittedVariableBias.partialR2(t: 4.18445, degreesOfFreedom: 783) - 0.021873) < 5e-7)
        #expect(abs(OmittedVariableBias.partialF2(t: 4.18445, degreesOfFreedom: 783) - 0.022362) < 5e-7)
        #expect(OmittedVariableBias.robustnessValue(t: 0.5, degreesOfFreedom: 783, q: 1, alpha: 0.05) == 0)
    }
}
