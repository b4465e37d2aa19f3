import Foundation
import SteppeData
@testable import SteppeModels
import Testing

/// Degenerate fits are refused with one sentence or reported with NA figures and their
/// reasons (`FitDegeneracy`), never with ±∞, NaN printed as a number, or three stars on a
/// standard error of 1e-16. References: R 4.x on the same data, the numbers quoted beside
/// each test, from
///
///     options(digits = 17)
///     d <- data.frame(y = c(1.5, 2.1, 0.7, 3.3), a = 1:4, b = c(4, 3, 9, 1), c = c(2, 5, 1, 6),
///                     d = c(7, 1, 4, 2), e = c(1, 8, 2, 5))
///     summary(lm(y ~ a + b + c + d + e, d))             # NaN standard errors, logLik Inf
///     g <- glm(y ~ a + b + c, poisson, d); coef(g); sqrt(diag(vcov(g)))
///     p <- data.frame(y = c(3, 5, 7, 9, 11, 15), x = c(1, 2, 3, 4, 5, 7))
///     summary(lm(y ~ x, p))                              # "essentially perfect fit"
///     k <- data.frame(y = 5, x = c(1, 2, 3, 4, 5, 7)); summary(lm(y ~ 0 + x, k))
///
/// and fixest's source for its message on a constant outcome ("The dependent variable is a
/// constant. Estimation cannot be done.", `fixest_env`).
@Suite("Degenerate fits: refused, or NA with a reason")
struct DegenerateFitTests {
    /// y = 1 + 2x exactly.
    static func perfect() throws -> Table {
        try Table(columns: [.numeric("y", [3, 5, 7, 9, 11, 15]), .numeric("x", [1, 2, 3, 4, 5, 7]),
                            .text("g", ["a", "a", "b", "b", "c", "c"])])
    }

    /// Four rows, five regressors (n < p): after two collinear drops, n = K = 4.
    static func wide() throws -> Table {
        try Table(columns: [.numeric("y", [1.5, 2.1, 0.7, 3.3]), .numeric("a", [1, 2, 3, 4]), .numeric("b", [4, 3, 9, 1]),
                            .numeric("c", [2, 5, 1, 6]), .numeric("d", [7, 1, 4, 2]), .numeric("e", [1, 8, 2, 5])])
    }

    /// ppmlhdfe's separation example 08: after the separated row and the singleton it leaves,
    /// id1 has one level.
    static func separation08() throws -> Table {
        try Table(columns: [.numeric("y", [0, 0, 1, 1, 1, 1, 2, 2, 2]), .numeric("x1", [1, 1, 2, 0, 1, 0, 0, 0, 1]),
                            .numeric("x2", [0, 0, 0, 0, 0, 1, 0, 1, 0]), .numeric("id1", [1, 2, 1, 2, 2, 2, 2, 2, 2]),
                            .numeric("id2", [2, 2, 3, 1, 2, 3, 1, 2, 3])])
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    /// Every figure of `fit` is finite, or NaN with a reason; its JSON has no NaN or
    /// infinity, and every null has its nullReasons entry.
    func expectHonest(_ fit: FitResult, _ label: String) throws {
        for c in fit.coefficients {
            let figures = [("estimate", c.estimate), ("stdError", c.standardError), ("statistic", c.statistic), ("pValue", c.pValue),
                           ("confLow", c.confidenceLow), ("confHigh", c.confidenceHigh)]
            for (key, x) in figures {
                #expect(x.isFinite || (x.isNaN && key != "estimate"), "\(label) \(c.term) \(key) = \(x)")
            }
            #expect(!(c.standardError.isFinite && c.standardError < 1e-10 * max(1, abs(c.estimate))), "\(label): \(c.term) has a zero SE")
        }
        for (key, name) in FitStatistics.numberKeys {
            guard let x = fit.statistics[keyPath: key] else { continue }
            #expect(x.isFinite || (x.isNaN && fit.undefinedReasons[name] != nil), "\(label) \(name) = \(x) without a reason")
        }
        let encoder = JSONEncoder()
        encoder.userInfo[.fitResultContractOnly] = true
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(fit))
        try expectNullsExplained(object, label)
    }

    /// In `value`, each null member of an object has a reason in that object's nullReasons.
    func expectNullsExplained(_ value: Any, _ label: String) throws {
        if let array = value as? [Any] { for v in array { try expectNullsExplained(v, label) }; return }
        guard let object = value as? [String: Any] else { return }
        let reasons = object["nullReasons"] as? [String: String] ?? [:]
        for (key, v) in object {
            if v is NSNull { #expect(reasons[key]?.isEmpty == false, "\(label): \(key) is null without a reason") }
            if let x = v as? Double { #expect(x.isFinite, "\(label): \(key) = \(x)") }
            try expectNullsExplained(v, label)
        }
    }

    @Test("a constant outcome is refused for every model, as fixest does ('The dependent variable is a constant')")
    func constantOutcome() throws {
        let table = try Table(columns: [.numeric("y", [5, 5, 5, 5, 5, 5]), .numeric("x", [1, 2, 3, 4, 5, 7]),
                                        .text("g", ["a", "a", "b", "b", "c", "c"])])
        for model in ModelKind.allCases {
            for formula in ["y ~ x", "y ~ x | g"] {
                let text = message { _ = try Estimator.fit(table, formula: formula, model: model) }
                #expect(text.hasPrefix("invalid outcome: the dependent variable y is a constant (5 in all 6 observations"),
                        "\(model) \(formula): \(text)")
                #expect(!text.contains("\n"))
            }
        }
        // Through the origin there is something to explain: R's lm(y ~ 0 + x) gives
        // 1.0576923076923077 (s.e. 0.25439916452544142), R² 0.77564102564102555.
        let origin = try Estimator.fit(table, formula: "y ~ 0 + x", model: .ols)
        let b = try #require(origin.coefficient("x"))
        #expect(abs(b.estimate - 1.0576923076923077) < 1e-12 && abs(b.standardError - 0.25439916452544142) < 1e-12)
        #expect(abs(origin.statistics.rSquared! - 0.77564102564102555) < 1e-12)
        try expectHonest(origin, "origin")
    }

    @Test("an outcome made constant by dropping singletons is fitted, as ppmlhdfe fits its example 03: a perfect fit with NA figures")
    func constantAfterTrimming() throws {
        let table = try Table(columns: [.numeric("y", [3, 3, 3, 9]), .numeric("x", [1, 2, 4, 3]), .text("g", ["a", "a", "a", "b"])])
        for model in [ModelKind.ols, .ppml] {
            let fit = try Estimator.fit(table, formula: "y ~ x | g", model: model, options: EstimationOptions(covariance: .hetero))
            #expect(fit.statistics.observations == 3)
            #expect(abs(fit.coefficient("x")!.estimate) < 1e-8, "\(model)")
            #expect(fit.coefficient("x")!.standardError.isNaN, "\(model)")
            try expectHonest(fit, "constant after trimming, \(model)")
        }
    }

    @Test("a perfect OLS fit: exact estimates, NA standard errors under every covariance, R² 1, no log-likelihood")
    func perfectOLS() throws {
        // R: lm gives 1 and 2 with standard errors near 1e-16 and three stars, and warns
        // "essentially perfect fit: summary may be unreliable"; logLik is +199 (rounding noise).
        let table = try Self.perfect()
        for covariance in [CovarianceType.iid, .hetero, .heteroskedastic(.hc3), .cluster(["g"])] {
            let fit = try Estimator.fit(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: covariance))
            #expect(abs(fit.coefficient("(Intercept)")!.estimate - 1) < 1e-12 && abs(fit.coefficient("x")!.estimate - 2) < 1e-12)
            #expect(fit.coefficients.allSatisfy { $0.standardError.isNaN && $0.pValue.isNaN && $0.confidenceLow.isNaN })
            #expect(fit.undefinedReasons["stdError"]?.hasPrefix("perfect fit: the residuals are zero") == true, "\(covariance)")
            #expect(fit.statistics.rSquared == 1 && fit.statistics.residualStandardError == 0 && fit.statistics.deviance == 0)
            #expect(fit.statistics.logLikelihood!.isNaN && fit.statistics.aic!.isNaN && fit.undefinedReasons["aic"] != nil)
            #expect(fit.report.warnings.contains { $0.hasPrefix("Standard errors, tests and intervals are NA: perfect fit") })
            try expectHonest(fit, "perfect \(covariance)")
        }
    }

    @Test("a perfect fit within fixed effects: the within R² is NA when the fixed effects explain y entirely")
    func perfectWithinFixedEffects() throws {
        let table = try Table(columns: [.numeric("y", [1, 1, 4, 4, 2, 2]), .numeric("x", [1, 2, 3, 5, 4, 7]),
                                        .text("g", ["a", "a", "b", "b", "c", "c"])])
        let fit = try Estimator.fit(table, formula: "y ~ x | g", model: .ols, options: EstimationOptions(covariance: .hetero))
        #expect(abs(fit.coefficient("x")!.estimate) < 1e-12)
        #expect(fit.coefficient("x")!.standardError.isNaN)
        // y is constant within g, so its within variation is 0 and 1 − RSS/TSS_within is 0/0.
        #expect(fit.statistics.withinRSquared!.isNaN && fit.undefinedReasons["withinRSquared"] != nil)
        #expect(fit.statistics.rSquared == 1)
        try expectHonest(fit, "within")
    }

    @Test("n = K after collinear drops (4 rows, 5 regressors): estimates as R's lm, NA standard errors, σ̂ and adjusted R²")
    func noResidualDegreesOfFreedom() throws {
        // R: lm(y ~ a+b+c+d+e) gives 2.3285714285714287, 0.31428571428571411,
        // −0.2857142857142857, 4.4e−17, d and e NA, NaN standard errors, "Residual standard
        // error: NaN on 0 degrees of freedom", logLik Inf.
        let fit = try Estimator.fit(try Self.wide(), formula: "y ~ a + b + c + d + e", model: .ols)
        let reference = ["(Intercept)": 2.3285714285714287, "a": 0.31428571428571411, "b": -0.2857142857142857, "c": 0]
        for (term, value) in reference { #expect(abs(fit.coefficient(term)!.estimate - value) < 1e-12, "\(term)") }
        #expect(Set(fit.report.droppedTerms.map(\.term)) == ["d", "e"])
        #expect(fit.statistics.residualDegreesOfFreedom == 0)
        #expect(fit.coefficients.allSatisfy { $0.standardError.isNaN })
        #expect(fit.undefinedReasons["stdError"]?.hasPrefix("no residual degrees of freedom (4 observations, 4 parameters)") == true)
        #expect(fit.statistics.residualStandardError!.isNaN && fit.statistics.adjustedRSquared!.isNaN)
        #expect(fit.statistics.rSquared == 1)
        try expectHonest(fit, "n = K")
    }

    @Test("n = K for GLMs: Poisson keeps R's model-based standard errors without fixest's (n−1)/(n−K), Gaussian and Gamma are NA")
    func noResidualDegreesOfFreedomGLM() throws {
        // R: glm(y ~ a + b + c, poisson) on the 4 rows: 0.917285766629708, 0.0430764218739969,
        // −0.160820205047900, 0.0441918698991072, s.e. 2.885317454137107, 0.438357373519979,
        // 0.363857312137309, 0.538717115271788 (R's IRLS stops a little earlier: 1e-5).
        let table = try Self.wide()
        let statsmodels = try Estimator.fit(table, formula: "y ~ a + b + c", model: .poisson,
                                            options: EstimationOptions(smallSampleCorrection: .statsmodels))
        let r = [("(Intercept)", 0.917285766629708, 2.885317454137107), ("a", 0.0430764218739969, 0.438357373519979),
                 ("b", -0.160820205047900, 0.363857312137309), ("c", 0.0441918698991072, 0.538717115271788)]
        for (term, b, se) in r {
            let c = try #require(statsmodels.coefficient(term))
            #expect(abs(c.estimate - b) < 1e-6 && abs(c.standardError - se) < 1e-5 * se, "\(term): \(c.estimate) \(c.standardError)")
        }
        try expectHonest(statsmodels, "poisson statsmodels")
        let fixest = try Estimator.fit(table, formula: "y ~ a + b + c", model: .poisson)
        #expect(fixest.coefficients.allSatisfy { $0.standardError.isNaN })
        #expect(fixest.undefinedReasons["stdError"]?.contains("--small-sample statsmodels") == true)
        try expectHonest(fixest, "poisson fixest")
        for model in [ModelKind.gaussian, .gamma, .negbin, .ppml] {
            let fit = try Estimator.fit(table, formula: "y ~ a + b + c", model: model)
            #expect(fit.coefficients.allSatisfy { $0.standardError.isNaN }, "\(model)")
            try expectHonest(fit, "\(model) n = K")
        }
    }

    @Test("ppmlhdfe's example 08 clustered by id1, which one cluster is left of: estimates, NA standard errors, and the way out")
    func singleClusterAfterSeparation() throws {
        let table = try Self.separation08()
        let fit = try Estimator.fit(table, formula: "y ~ x1 + x2 | id1 + id2", model: .ppml)
        // R's glm on the rows left reports x1 = −0.18822640645959818 and x2 = 0.15834718382037477
        // with a dummy dropped; Steppe absorbs the fixed effects first and drops x2, so its x1
        // is their difference (SeparationTests).
        #expect(abs(fit.coefficient("x1")!.estimate - (-0.18822640645959818 - 0.15834718382037477)) < 1e-7)
        #expect(fit.clusterCounts == [1])
        #expect(fit.coefficient("x1")!.standardError.isNaN)
        let why = try #require(fit.undefinedReasons["stdError"])
        #expect(why.contains("id1 has 1 in the estimation sample") && why.contains("--vcov hetero"), "\(why)")
        try expectHonest(fit, "08 clustered")
        let hetero = try Estimator.fit(table, formula: "y ~ x1 + x2 | id1 + id2", model: .ppml, options: EstimationOptions(covariance: .hetero))
        #expect(hetero.coefficient("x1")!.standardError.isFinite)
        try expectHonest(hetero, "08 hetero")
    }

    @Test("one cluster asked for explicitly: NA standard errors with the reason, not an error")
    func singleClusterExplicit() throws {
        let table = try Table(columns: [.numeric("y", [1, 2, 3, 5]), .numeric("x", [1, 2, 4, 3]), .text("g", ["a", "a", "a", "a"])])
        let fit = try Estimator.fit(table, formula: "y ~ x", model: .ols, options: EstimationOptions(covariance: .cluster(["g"])))
        #expect(fit.coefficients.allSatisfy { $0.standardError.isNaN && $0.estimate.isFinite })
        #expect(fit.degreesOfFreedom == 0)
        try expectHonest(fit, "one cluster")
    }

    @Test("no observations left, or nothing to estimate: one sentence")
    func nothingLeft() throws {
        let table = try Table(columns: [.numeric("y", [1, 2, 3, 5]), .numeric("x", [1, 2, 4, 3]), .numeric("w", [0, 0, 0, 0]),
                                        .text("g", ["a", "a", "b", "b"]), .numeric("xg", [1, 1, 2, 2]), .text("id", ["1", "2", "3", "4"])])
        for model in ModelKind.allCases {
            let zero = message { _ = try Estimator.fit(table, formula: "y ~ x", model: model, options: EstimationOptions(weights: "w")) }
            #expect(zero.hasPrefix("no observations left") && zero.contains("zero weight"), "\(model): \(zero)")
            let absorbed = message { _ = try Estimator.fit(table, formula: "y ~ xg | g", model: model) }
            #expect(absorbed.hasPrefix("nothing to estimate: every term was absorbed by the fixed effects"), "\(model): \(absorbed)")
            let singletons = message { _ = try Estimator.fit(table, formula: "y ~ x | id", model: model) }
            #expect(singletons.hasPrefix("no observations left"), "\(model): \(singletons)")
        }
    }

    @Test("IRLS stopped at its iteration cap: reported as not converged, every figure finite or NA with a reason")
    func iterationCap() throws {
        let table = try Table(columns: [.numeric("y", [0, 1, 3, 2, 7, 4, 12, 9]), .numeric("x", [0.1, 0.5, 1.1, 0.9, 2.0, 1.4, 2.6, 2.2])])
        for model in [ModelKind.poisson, .ppml, .gamma, .negbin] {
            let y = model == .gamma ? "I(y + 1)" : "y"
            let fit = try Estimator.fit(table, formula: "\(y) ~ x", model: model, options: EstimationOptions(maximumIterations: 1))
            if model != .negbin {
                #expect(!fit.report.converged, "\(model)")
                #expect(fit.report.warnings.contains { $0.contains("did not converge") })
            }
            try expectHonest(fit, "\(model) capped")
        }
        #expect(message { _ = try Estimator.fit(table, formula: "y ~ x", model: .poisson, options: EstimationOptions(maximumIterations: 0)) }
            .contains("at least 1"))
    }

    @Test("a perfect Poisson fit keeps its model-based standard errors and NA's the sandwich")
    func perfectPoisson() throws {
        let x = [0.0, 1, 2, 3, 4, 5]
        let table = try Table(columns: [.numeric("y", x.map { exp(0.5 + 0.3 * $0) }), .numeric("x", x)])
        let iid = try Estimator.fit(table, formula: "y ~ x", model: .ppml)
        #expect(abs(iid.coefficient("x")!.estimate - 0.3) < 1e-8 && iid.coefficient("x")!.standardError.isFinite)
        try expectHonest(iid, "perfect ppml iid")
        let hetero = try Estimator.fit(table, formula: "y ~ x", model: .ppml, options: EstimationOptions(covariance: .hetero))
        #expect(hetero.coefficient("x")!.standardError.isNaN)
        #expect(hetero.undefinedReasons["stdError"]?.contains("--vcov iid") == true)
        try expectHonest(hetero, "perfect ppml hetero")
    }

    @Test("reasons survive the full Codable round trip")
    func reasonsRoundTrip() throws {
        let fit = try Estimator.fit(try Self.wide(), formula: "y ~ a + b + c", model: .ols)
        let decoded = try JSONDecoder().decode(FitResult.self, from: try JSONEncoder().encode(fit))
        #expect(decoded.undefinedReasons == fit.undefinedReasons)
    }
}
