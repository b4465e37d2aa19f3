import Foundation
import SteppeData
import SteppeModels
import Testing

/// Numerical hostility (issue 15 part 5): values near 1e300 and 1e-300 in the outcome and
/// the regressors (OLS and Poisson), weights from 1e-12 to 1e12, a Poisson fit whose
/// fitted values fall to 1e-24 without separation, negative binomials whose θ̂ is infinite,
/// Gamma outcomes of 1e-300. Each fit, at the default options, converges to the right
/// answer; where R or statsmodels fail or stop early, the right answer is exact (scaling y
/// by c shifts a log-link intercept by log c; scaling a regressor by c divides its
/// coefficient by c) or Newton's method on the score run to rounding.
///
/// `Fixtures/hostility/make_reference.R` (R 4.2.2, MASS 7.3-58) wrote hostility.csv and
/// printed the R numbers below; `make_reference_statsmodels.py` (statsmodels 0.15.0) the
/// statsmodels ones. Coefficients are in formula order, the intercept first.
@Suite("Numerical hostility: extreme magnitudes, weights, near-separation, θ̂ = ∞")
struct NumericalHostilityTests {
    struct Case: Sendable, CustomStringConvertible {
        let key: String
        let formula: String
        let model: ModelKind
        var weights: String? = nil
        /// The right answer, and where it comes from.
        let reference: [Double]
        let source: String
        /// Largest relative difference allowed, coefficient by coefficient.
        let tolerance: Double
        var description: String { key }
    }

    static let cases: [Case] = [
        // R's lm agrees; statsmodels' OLS drops two columns as rank-deficient ([0, 2.97, 1.09]).
        Case(key: "ols_big", formula: "ylinbig ~ x1big + x2big", model: .ols,
             reference: [2.4340422271546017e+300, 2.9260052316984289, -2.3510578663508142], source: "R lm", tolerance: 1e-13),
        // R's lm agrees; statsmodels keeps only the intercept ([1.45e-300, 0, 0]).
        Case(key: "ols_tiny", formula: "ylintiny ~ x1tiny + x2tiny", model: .ols,
             reference: [2.4340422271546018e-300, 2.9260052316984297, -2.3510578663508142], source: "R lm", tolerance: 1e-13),
        // statsmodels WLS: [5.223247048630203, 3.5930576073988885, -6.214926313231579].
        Case(key: "wls_wide", formula: "ylin ~ x1 + x2", model: .ols, weights: "w",
             reference: [5.2232470486302018, 3.5930576073988845, -6.2149263132315795], source: "R lm", tolerance: 1e-12),
        // R's glm fails ("NA/NaN/Inf in 'x'"); so does statsmodels ("NaN, inf or invalid value detected in weights").
        Case(key: "pois_ybig", formula: "ycountbig ~ x1 + x2", model: .poisson,
             reference: [691.85742874858295, 0.43078711901672834, -0.7556695738280087], source: "exact: the base fit + log 1e300", tolerance: 1e-10),
        // R's glm stops after one step at [-37.30, 1.9e-16, -1.8e-14] even at epsilon 1e-16
        // (its criterion |ΔD|/(|D| + 0.1) is absolute when D ≈ 1e-299); statsmodels at
        // [-37.41, -1.8e-15, -2.3e-14], warning of perfect separation.
        Case(key: "pois_ytiny", formula: "ycounttiny ~ x1 + x2", model: .poisson,
             reference: [-689.69362704784442, 0.43078711901672834, -0.7556695738280087], source: "exact: the base fit + log 1e-300", tolerance: 1e-10),
        Case(key: "pois_xbig", formula: "ycount ~ x1big + x2big", model: .poisson,
             reference: [1.0819008503692249, 4.3078711901672853e-301, -7.5566957382800827e-301], source: "R glm", tolerance: 1e-10),
        // statsmodels drops both slopes as rank-deficient ([0.8329, 0, 0]).
        Case(key: "pois_xtiny", formula: "ycount ~ x1tiny + x2tiny", model: .poisson,
             reference: [1.0819008503692251, 4.3078711901672848e+299, -7.5566957382800878e+299], source: "R glm", tolerance: 1e-10),
        // statsmodels (var_weights): [-11.075607721907376, 0.8734643275408396, 12.905468709214595].
        Case(key: "pois_wide", formula: "ycount ~ x1 + x2", model: .poisson, weights: "w",
             reference: [-11.075607721907383, 0.87346432754084136, 12.905468709214604], source: "R glm", tolerance: 1e-10),
        // Fitted values down to 4.5e-24, not separated. R's glm: [3.0453878639998542,
        // -1.4201458525758537], warning "fitted rates numerically 0 occurred" (it clamps μ at
        // 2.2e-16); statsmodels: [3.0453878639998546, -1.4201458525758544].
        Case(key: "pois_nearsep", formula: "ysep ~ s", model: .poisson,
             reference: [3.045387863999852, -1.4201458525758459], source: "Newton on the score", tolerance: 1e-10),
        Case(key: "gamma_base", formula: "ypos ~ x1 + x2", model: .gamma,
             reference: [0.25969409535817234, 0.54890891615961779, 0.5923758407662908], source: "R glm", tolerance: 1e-8),
        // R's glm returns [-691.744, 0.587, 0.706] (μ² underflows in its weights);
        // statsmodels fails ("The first guess on the deviance function returned a nan").
        Case(key: "gamma_tiny", formula: "ypostiny ~ x1 + x2", model: .gamma,
             reference: [-690.51583380285547, 0.54890891615961779, 0.5923758407662908], source: "exact: the base fit + log 1e-300", tolerance: 1e-8),
        // Three outcomes of 1e-300, 1e-200, 1e-100 among ordinary ones. R's glm fails ("NA/NaN/Inf
        // in 'x'", after "step size truncated due to divergence"); statsmodels:
        // [0.27196583405756797, 0.526229187339654, 0.49140908735916705].
        Case(key: "gamma_mixed", formula: "ymixed ~ x1 + x2", model: .gamma,
             reference: [0.27196583405756808, 0.52622918733965407, 0.49140908735916727], source: "Newton on the score", tolerance: 1e-8),
        // θ̂ = ∞: the profile log-likelihood rises through θ = 1e2…1e9 (make_reference.R).
        // MASS::glm.nb warns "iteration limit reached" and stops at θ = 20602 with
        // [1.0819043645176374, 0.43077949066321614, -0.75567232687697727].
        Case(key: "negbin_poisson_data", formula: "ycount ~ x1 + x2", model: .negbin,
             reference: [1.0819008503692249, 0.43078711901672834, -0.7556695738280087], source: "the Poisson fit (R glm)", tolerance: 1e-8),
        // Underdispersed (Pearson dispersion 0.78). MASS::glm.nb: θ = 34561 after "iteration
        // limit reached", [0.58673789889621364, 0.56824041044831652, -0.14607852909172997];
        // statsmodels NegativeBinomial: α = 1.1e-6, [0.5867789738578707, 0.5682333027790137, -0.14614522804571103].
        Case(key: "negbin_underdispersed", formula: "ynb ~ x1 + x2", model: .negbin,
             reference: [0.58674190544023441, 0.5682389866132993, -0.14608520219616294], source: "the Poisson fit (R glm)", tolerance: 1e-8),
    ]

    static let table: Table = try! Fixtures.table("hostility/hostility.csv")

    static func fit(_ formula: String, _ model: ModelKind, weights: String? = nil) throws -> FitResult {
        try Estimator.fit(table, formula: formula, model: model, options: EstimationOptions(weights: weights))
    }

    @Test("coefficients agree with the right answer", arguments: cases)
    func coefficients(_ c: Case) throws {
        let fit = try Self.fit(c.formula, c.model, weights: c.weights)
        #expect(fit.report.converged, "\(c.key): \(fit.report.warnings)")
        #expect(fit.report.observationsDropped == 0 && fit.report.droppedTerms.isEmpty, "\(c.key): \(fit.report.droppedObservations.map(\.note))")
        #expect(fit.coefficients.count == c.reference.count)
        for (b, r) in zip(fit.coefficients, c.reference) {
            #expect(relativeDifference(b.estimate, r) < c.tolerance, "\(c.key) \(b.term): \(b.estimate) vs \(r) (\(c.source))")
        }
    }

    @Test("standard errors scale with the outcome, or are reported as not representable")
    func standardErrors() throws {
        let base = try Self.fit("ycount ~ x1 + x2", .poisson)
        // Poisson with y·c: SE(β) = SE_base/√c exactly (the score scales by c, the information by c).
        for (formula, factor) in [("ycountbig ~ x1 + x2", 1e-150), ("ycounttiny ~ x1 + x2", 1e150)] {
            let fit = try Self.fit(formula, .poisson)
            for (b, r) in zip(fit.coefficients, base.coefficients) {
                #expect(relativeDifference(b.standardError, r.standardError * factor) < 1e-8, "\(formula) \(b.term): \(b.standardError)")
            }
        }
        // Variances of 1e598 or 1e-602 are not doubles: the fit says so rather than print numbers.
        for (formula, model) in [("ylinbig ~ x1big + x2big", ModelKind.ols), ("ycount ~ x1tiny + x2tiny", .poisson)] {
            let fit = try Self.fit(formula, model)
            #expect(fit.coefficients.contains { !$0.standardError.isFinite } && !fit.report.warnings.isEmpty, "\(formula): \(fit.report.warnings)")
        }
    }

    /// Gamma with y·c: μ̂ scales by c, so each Pearson residual (y − μ)/μ, the dispersion and
    /// the slopes' standard errors are those of the base fit. Dividing by √V(μ) = μ had
    /// underflowed to 0 below 1e-162 (χ² read as 0: a "perfect fit" with NA errors).
    @Test("Gamma outcomes of 1e-300: the base fit's dispersion and standard errors")
    func gammaTinyDispersion() throws {
        let base = try Self.fit("ypos ~ x1 + x2", .gamma), tiny = try Self.fit("ypostiny ~ x1 + x2", .gamma)
        let (a, b) = (try #require(tiny.statistics.dispersion), try #require(base.statistics.dispersion))
        #expect(relativeDifference(a, b) < 1e-8, "dispersion \(a) against \(b)")
        #expect(tiny.undefinedReasons.isEmpty, "\(tiny.undefinedReasons)")
        for (x, y) in zip(tiny.coefficients.dropFirst(), base.coefficients.dropFirst()) {
            #expect(relativeDifference(x.standardError, y.standardError) < 1e-8, "\(x.term): \(x.standardError) vs \(y.standardError)")
        }
    }

    /// A Gaussian GLM's deviance Σ(y − μ)² is ∞ for outcomes near 1e300 (R's glm.fit stops
    /// too, "NA/NaN/Inf in 'x'"); the error names the magnitude and the remedy. OLS solves
    /// on y/s and reaches the estimates (`ols_big`).
    @Test("a Gaussian GLM on outcomes near 1e300: one error that names the magnitude")
    func gaussianOverflow() {
        #expect {
            try Self.fit("ylinbig ~ x1big + x2big", .gaussian)
        } throws: { error in
            "\(error)".contains("whose squares overflow double precision: rescale the outcome")
        }
    }

    @Test("near-separation: every observation kept, fitted values down to 1e-20 and below")
    func nearSeparation() throws {
        let fit = try Self.fit("ysep ~ s", .poisson)
        #expect(fit.sample.count == 60)
        #expect(fit.fittedValues.min()! < 1e-20 && fit.fittedValues.min()! > 0)
    }

    @Test("negative binomial with θ̂ = ∞: a warning that says so, θ at the ceiling, the Poisson likelihood")
    func infiniteTheta() throws {
        for outcome in ["ycount", "ynb"] {
            let nb = try Self.fit("\(outcome) ~ x1 + x2", .negbin), poisson = try Self.fit("\(outcome) ~ x1 + x2", .poisson)
            #expect(nb.report.warnings.contains { $0.hasPrefix("θ̂ is infinite (no overdispersion: Σ(y − μ)² = ") }, "\(nb.report.warnings)")
            #expect(try #require(nb.statistics.theta) >= 1e8)
            let (a, b) = (try #require(nb.statistics.logLikelihood), try #require(poisson.statistics.logLikelihood))
            #expect(abs(a - b) < 1e-6, "\(outcome): ℓ \(a) against Poisson \(b)")
            for (x, y) in zip(nb.coefficients, poisson.coefficients) {
                #expect(relativeDifference(x.standardError, y.standardError) < 1e-6)
            }
        }
    }
}
