import Foundation
import SteppeData
import SteppeModels
import Testing

/// Influence measures against statsmodels' OLSInfluence and GLMInfluence, R's rstudent.glm
/// formula and brute-force leave-one-out refits (`Fixtures/sensitivity/influence_make_reference.py`).
@Suite("Influence: hat values, studentized residuals, Cook's distance, DFFITS, DFBETAS")
struct InfluenceTests {
    static func data() throws -> Table { try Fixtures.table("sensitivity/influence_data.csv") }

    static func reference(_ key: String) throws -> [String: Any] {
        try Fixtures.json("sensitivity/influence_reference.json")[key] as! [String: Any]
    }

    /// Each measure present in the reference `key`, for every observation, to `tolerance`
    /// relative, or `tolerance`·1e-3 absolute below 1e-3 in magnitude (statsmodels' OLS
    /// DFBETAS are differences of refitted coefficients, which lose digits when small).
    func compare(_ result: InfluenceResult, _ key: String, tolerance: Double = 1e-8, terms: [Int]? = nil) throws {
        let r = try Self.reference(key)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= tolerance * max(abs(b), 1e-3) }
        let measures: [(String, (InfluenceResult.Observation) -> Double)] = [
            ("hat", \.hat), ("studentized", \.studentizedResidual), ("external", \.externallyStudentizedResidual),
            ("cooks", \.cooksDistance), ("dffits", \.dffits),
        ]
        for (name, value) in measures {
            guard let expected = r[name] as? [Double] else { continue }
            #expect(expected.count == result.observations.count)
            for (i, o) in result.observations.enumerated() {
                #expect(close(value(o), expected[i]), "\(key) \(name) row \(o.row + 1): \(value(o)) vs \(expected[i])")
            }
        }
        let dfbetas = r["dfbetas"] as! [[Double]]
        for (m, j) in (terms ?? Array(0..<result.terms.count)).enumerated() {
            for (i, o) in result.observations.enumerated() {
                #expect(close(o.dfbetas[j], dfbetas[m][i]), "\(key) dfbetas \(result.terms[j]) row \(o.row + 1): \(o.dfbetas[j]) vs \(dfbetas[m][i])")
            }
        }
    }

    @Test("OLS: OLSInfluence's hat values, residuals, Cook's distance, DFFITS and DFBETAS")
    func ols() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2", model: .ols)
        let result = try model.influence()
        try compare(result, "ols_nofe", tolerance: 1e-10)
        #expect(result.parameterCount == 3)
        #expect(result.thresholds.cooksDistance == 0.1)
        #expect(result.countsAbove.cooksDistance == result.observations.filter { $0.cooksDistance > 0.1 }.count)
        // Row 6 has the large x1: the largest leverage, above 2K/n.
        #expect(result.observations.max { $0.hat < $1.hat }?.row == 5)
        #expect(result.countsAbove.hat >= 1)
    }

    @Test("OLS with one fixed effect: the hat values include the group's 1/n_g, as with dummies")
    func olsFixedEffect() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2 | fe", model: .ols)
        let result = try model.influence()
        #expect(result.parameterCount == 2 + 5)
        try compare(result, "ols_fe", tolerance: 1e-9)
    }

    @Test("weighted OLS equals the OLS of √w·y on √w·X")
    func weightedOLS() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "y ~ x1 + x2", model: .ols, options: EstimationOptions(weights: "w"))
        try compare(model.influence(), "ols_weighted", tolerance: 1e-10)
    }

    @Test("Poisson: GLMInfluence, and R's rstudent.glm for the external residual")
    func poisson() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2", model: .poisson,
                                         options: EstimationOptions(tolerance: 1e-12))
        let result = try model.influence()
        try compare(result, "poisson_nofe")
        #expect(!result.exact)
        // --exact keeps the hat values and residuals.
        let exact = try model.influence(exact: true)
        #expect(exact.exact)
        #expect(exact.failed.isEmpty)
        #expect(zip(exact.observations, result.observations).allSatisfy { $0.hat == $1.hat && $0.studentizedResidual == $1.studentizedResidual })
        try compare(exact, "poisson_exact")
    }

    @Test("Poisson with one fixed effect against the GLM with dummies")
    func poissonFixedEffect() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2 | fe", model: .poisson,
                                         options: EstimationOptions(tolerance: 1e-12))
        try compare(model.influence(), "poisson_fe")
    }

    @Test("the most influential rows come by Cook's distance; two runs of --exact are identical")
    func rankingAndDeterminism() throws {
        let model = try SensitivityModel(table: Self.data(), formula: "count ~ x1 + x2", model: .ppml)
        let a = try model.influence(exact: true), b = try model.influence(exact: true)
        #expect(a == b)
        let top = a.mostInfluential(3)
        #expect(top.count == 3)
        #expect(top[0].cooksDistance >= top[1].cooksDistance && top[1].cooksDistance >= top[2].cooksDistance)
        #expect(top[0].cooksDistance == a.observations.map(\.cooksDistance).max())
    }

    /// The data with a second fixed effect, g2 = row number mod 4, as the reference script adds it.
    static func twoWay() throws -> Table {
        try data().adding(.text("g2", (0..<40).map { "g\($0 % 4)" }))
    }

    @Test("OLS with two fixed effects: the hat values of the model with both as dummies")
    func olsTwoFixedEffects() throws {
        // Two fixed effects are absorbed iteratively: to 1e-13, so that small DFBETAS keep 9 digits.
        let model = try SensitivityModel(table: Self.twoWay(), formula: "y ~ x1 + x2 | fe + g2", model: .ols,
                                         options: EstimationOptions(fixedEffectTolerance: 1e-13))
        let result = try model.influence()
        #expect(result.parameterCount == 2 + 5 + 3)
        try compare(result, "ols_fe2", tolerance: 1e-9)
    }

    @Test("Poisson with two fixed effects against the GLM with dummies")
    func poissonTwoFixedEffects() throws {
        let model = try SensitivityModel(table: Self.twoWay(), formula: "count ~ x1 + x2 | fe + g2", model: .poisson,
                                         options: EstimationOptions(tolerance: 1e-12, fixedEffectTolerance: 1e-13))
        try compare(model.influence(), "poisson_fe2")
    }

    @Test("--exact with a fixed effect is refused with the reason")
    func refusals() throws {
        let table = try Self.twoWay()
        let one = try SensitivityModel(table: table, formula: "count ~ x1 | fe", model: .poisson)
        #expect(throws: ModelError.self) { try one.influence(exact: true) }
    }
}
